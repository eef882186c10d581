/**
 * The environment `npm start` runs the server with, which the benchmark starts it with too
 * (test/unit/start-script.test.ts holds the two equal): glibc's malloc arenas bounded to two, which on the
 * 10,000-object benchmark lowered the server's peak RSS by some 30 MB at no measurable CPU cost
 * (docs/performance.md, "Memory").
 */
export const START_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
