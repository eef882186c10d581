import { randomInt } from 'node:crypto';
import { floorToMs, MICROS_PER_MS } from '../common/time';

/** Positions one window spans per this many requested slots (a request of up to 500 versions spans one millisecond). */
export const SLOTS_PER_WINDOW = 500;

/**
 * The date_added positions of one writing transaction (and the change log's deletion positions), so that the
 * gap between two positions a reader sees says nothing about how many hidden versions lie between them.
 *
 * The transaction gets a window of whole milliseconds that no earlier transaction touched, starting at
 * max(now, the millisecond after the collection's last position): `ceil(n / 500)` milliseconds for up to `n`
 * versions, so its size depends on the request only in steps of 500. Inside it, `n` distinct microseconds are
 * drawn uniformly (CSPRNG) and handed out in a random order. Any set of versions of the transaction (those a
 * reader may see) thus lands on a uniformly random subset of the window, whatever the number of other
 * versions: the positions a reader sees are the same in distribution whether 0 or 499 hidden versions were
 * written with them. Positions stay unique, every position of a later commit is above every position of an
 * earlier one (the window starts after the last one, and writers hold the collection's counter row), and
 * the first microsecond of each millisecond is never used, so a position is never a whole millisecond
 * (X-TAXII-Date-Added-Last rounding, src/taxii/services/object-service.ts).
 */
export function allocatePositions(lastUs: number, nowUs: number, n: number, random: (max: number) => number = randomInt): number[] {
  if (n <= 0) return [];
  const base = Math.max(floorToMs(nowUs), floorToMs(lastUs) + MICROS_PER_MS);
  const windows = Math.ceil(n / SLOTS_PER_WINDOW);
  // Every microsecond of the window but the first of each millisecond.
  const slots = windows * (MICROS_PER_MS - 1);
  const slotAt = (i: number) => base + Math.floor(i / (MICROS_PER_MS - 1)) * MICROS_PER_MS + 1 + (i % (MICROS_PER_MS - 1));
  // A partial Fisher-Yates shuffle over the slot indexes: the first n of a uniformly random permutation, so
  // both the chosen set and the order in which it is handed out are uniform.
  const swapped = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = i + random(slots - i);
    const vi = swapped.get(i) ?? i;
    const vj = swapped.get(j) ?? j;
    swapped.set(j, vi);
    out.push(slotAt(vj));
  }
  return out;
}
