/** FreshReads (src/store/fresh-reads.ts): shared reads, each started after every caller that gets it asked. */
import fc from 'fast-check';
import { FreshReads } from '../../../src/store/fresh-reads';

/** A read source whose reads the test settles by hand; `value` is what a read started now would see. */
function source(sharesFailure?: (err: unknown) => boolean) {
  const started: Array<{ key: string; sawValue: number; resolve: (v: number) => void; reject: (e: Error) => void }> = [];
  const state = { value: 0 };
  const reads = new FreshReads<number>(
    (key) =>
      new Promise<number>((resolve, reject) => {
        const sawValue = state.value;
        started.push({ key, sawValue, resolve: () => resolve(sawValue), reject });
      }),
    sharesFailure,
  );
  return { reads, started, state };
}

const tick = () => new Promise((r) => setImmediate(r));

test('When callers arrive while a read is under way, Then they share the next read, which starts after the first one ends', async () => {
  const { reads, started, state } = source();
  const first = reads.get('c1');
  expect(started).toHaveLength(1);
  // A write commits while the first read is under way; the callers after it must see it.
  state.value = 1;
  const second = reads.get('c1');
  const third = reads.get('c1');
  expect(started).toHaveLength(1);
  started[0]!.resolve(0);
  expect(await first).toBe(0);
  await tick();
  expect(started).toHaveLength(2);
  started[1]!.resolve(1);
  expect(await second).toBe(1);
  expect(await third).toBe(1);
  await tick();
  expect(reads.pending).toBe(0);
});

test('When no read is under way, Then a caller starts its own at once, and keys do not share', async () => {
  const { reads, started } = source();
  const a = reads.get('c1');
  const b = reads.get('c2');
  expect(started.map((s) => s.key)).toEqual(['c1', 'c2']);
  started[0]!.resolve(0);
  started[1]!.resolve(0);
  await Promise.all([a, b]);
  await tick();
  const c = reads.get('c1');
  expect(started).toHaveLength(3);
  started[2]!.resolve(0);
  await c;
});

test('Property: every caller gets a value read no earlier than its call, whatever the interleaving', async () => {
  const step = fc.constantFrom('write', 'get a', 'get b', 'settle', 'microtask', 'turn');
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 120 }), async (steps) => {
      const { reads, started, state } = source();
      const calls: Array<{ calledAt: number; got: Promise<number> }> = [];
      let settled = 0;
      for (const s of steps) {
        if (s === 'write') state.value++;
        else if (s === 'get a' || s === 'get b') calls.push({ calledAt: state.value, got: reads.get(s.slice(4)) });
        else if (s === 'settle' && settled < started.length) started[settled++]!.resolve(0);
        else if (s === 'microtask') await Promise.resolve();
        else if (s === 'turn') await tick();
      }
      while (settled < started.length || reads.pending > 0) {
        while (settled < started.length) started[settled++]!.resolve(0);
        await tick();
      }
      for (const c of calls) expect(await c.got).toBeGreaterThanOrEqual(c.calledAt);
      expect(started.length).toBeLessThanOrEqual(calls.length);
    }),
    { numRuns: 300 },
  );
});

test('When a read fails other than by running out of time, Then its callers get the error and the callers waiting for the next read still get one', async () => {
  const { reads, started } = source((err) => (err as Error).message === 'Query read timeout');
  const first = reads.get('c1');
  const waiting = reads.get('c1');
  started[0]!.reject(new Error('connection lost'));
  await expect(first).rejects.toThrow('connection lost');
  await tick();
  expect(started).toHaveLength(2);
  started[1]!.resolve(0);
  await expect(waiting).resolves.toBe(0);
});

test('When a read fails for want of an answer within the wait limit, Then the callers waiting for the next read get that error at once, and a later caller starts a fresh read', async () => {
  const timedOut = new Error('Query read timeout');
  const { reads, started } = source((err) => err === timedOut);
  const first = reads.get('c1');
  const waiting = [reads.get('c1'), reads.get('c1')];
  started[0]!.reject(timedOut);
  await expect(first).rejects.toBe(timedOut);
  for (const w of waiting) await expect(w).rejects.toBe(timedOut);
  await tick();
  expect(started).toHaveLength(1);
  expect(reads.pending).toBe(0);
  const later = reads.get('c1');
  expect(started).toHaveLength(2);
  started[1]!.resolve(0);
  await expect(later).resolves.toBe(0);
});
