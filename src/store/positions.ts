import { randomInt } from 'node:crypto';
import { floorToMs, MICROS_PER_MS } from '../common/time';

/** Positions one window spans per this many requested slots (a request of up to 500 versions spans one millisecond). */
export const SLOTS_PER_WINDOW = 500;

/**
 * The date_added positions of one writing transaction (and the change log's deletion positions), in
 * ascending order, so that the gap between two positions a reader sees no longer counts the hidden versions
 * between them.
 *
 * The transaction gets a window of whole milliseconds that no earlier transaction touched, starting at
 * max(now, the millisecond after the collection's last position): `ceil(n / 500)` milliseconds for up to `n`
 * versions, so its size depends on the request only in steps of 500. Inside it, `n` distinct microseconds are
 * drawn uniformly with a CSPRNG and handed out in ascending order (the request's order, as before). A gap
 * between two positions is then a sum of random spacings whose scale depends on the request's total, which
 * the reader does not know: it bounds the number of versions between from above (gap - 1) but no longer
 * states it, where the old dense counter (+1 µs per version) did. Positions stay unique, every position of a
 * later commit is above every position of an earlier one (the window starts after the last one, and writers
 * hold the collection's counter row), and the first microsecond of each millisecond is never used, so a
 * position is never a whole millisecond (X-TAXII-Date-Added-Last rounding, src/taxii/services/object-service.ts).
 */
export function allocatePositions(lastUs: number, nowUs: number, n: number, random: (max: number) => number = randomInt): number[] {
  if (n <= 0) return [];
  const base = Math.max(floorToMs(nowUs), floorToMs(lastUs) + MICROS_PER_MS);
  const windows = Math.ceil(n / SLOTS_PER_WINDOW);
  // Every microsecond of the window but the first of each millisecond.
  const slots = windows * (MICROS_PER_MS - 1);
  const slotAt = (i: number) => base + Math.floor(i / (MICROS_PER_MS - 1)) * MICROS_PER_MS + 1 + (i % (MICROS_PER_MS - 1));
  // A partial Fisher-Yates shuffle over the slot indexes: the first n of a uniformly random permutation,
  // so the chosen set is a uniform n-subset of the window.
  const swapped = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = i + random(slots - i);
    const vi = swapped.get(i) ?? i;
    const vj = swapped.get(j) ?? j;
    swapped.set(j, vi);
    out.push(slotAt(vj));
  }
  return out.sort((a, b) => a - b);
}
