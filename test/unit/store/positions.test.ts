import { allocatePositions, SLOTS_PER_WINDOW } from '../../../src/store/positions';

/** date_added positions: unique, ascending, after every earlier commit's millisecond, and drawn at random. */
const NOW = 1_780_000_000_123_456;

test('When positions are allocated, Then they are unique, ascending, inside milliseconds after the last position and never a whole millisecond', () => {
  for (const n of [1, 2, 37, SLOTS_PER_WINDOW, SLOTS_PER_WINDOW + 1, 2000]) {
    const last = NOW + 5_500;
    const out = allocatePositions(last, NOW, n);
    expect(out).toHaveLength(n);
    expect(new Set(out).size).toBe(n);
    for (let i = 1; i < n; i++) expect(out[i]!).toBeGreaterThan(out[i - 1]!);
    const windowStart = last - (last % 1000) + 1000;
    expect(out[0]!).toBeGreaterThan(windowStart);
    expect(out[n - 1]!).toBeLessThan(windowStart + Math.ceil(n / SLOTS_PER_WINDOW) * 1000);
    for (const p of out) expect(p % 1000).not.toBe(0);
  }
});

test('When the clock is ahead of the last position, Then the window starts at the current millisecond', () => {
  const out = allocatePositions(NOW - 10_000, NOW, 3);
  expect(Math.floor(out[0]! / 1000)).toBe(Math.floor(NOW / 1000));
});

test('When one request holds versions a reader may not see, Then the gap between two it may see is not their number plus one (the dense counter gave exactly that)', () => {
  // Two visible versions with 20 hidden ones between them, many times over: the old counter gave a gap of 21 every time.
  const gaps = Array.from({ length: 20 }, () => {
    const out = allocatePositions(NOW, NOW, 22);
    return out[21]! - out[0]!;
  });
  expect(gaps.filter((g) => g === 21).length).toBeLessThan(gaps.length);
  expect(new Set(gaps).size).toBeGreaterThan(1);
});

test('When a window is drawn, Then its size depends on the number of positions only in steps of 500', () => {
  // With the smallest and largest draws forced, one position and 500 positions span the same millisecond.
  const lowest = allocatePositions(NOW, NOW, 1, () => 0);
  const highest = allocatePositions(NOW, NOW, 1, (max) => max - 1);
  expect(highest[0]! - lowest[0]!).toBe(998);
  const full = allocatePositions(NOW, NOW, SLOTS_PER_WINDOW, (max) => max - 1);
  expect(Math.floor(full[full.length - 1]! / 1000)).toBe(Math.floor(highest[0]! / 1000));
});
