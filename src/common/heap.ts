import { setFlagsFromString } from 'node:v8';

/**
 * Bounds how far V8 lets the old generation grow past what the last full collection kept before it collects
 * again: `percent` above it (0 leaves V8's own factor). Under steady polling a server promotes a few MB of
 * short-lived request garbage at each scavenge; with V8's factor, chosen up to 4x when collections are
 * cheap, the heap grew by some 90 MB before each full collection. At 50 % it stays about 50 MB lower with
 * no more CPU per request or per ingested object (docs/performance.md, "Issue 21, seventh pass"). The flag
 * is read each time V8 sets the next limit, so setting it at start-up takes effect from the next full
 * collection.
 */
export function boundHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
