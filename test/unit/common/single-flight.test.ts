import { SingleFlight } from '../../../src/common/single-flight';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  test('When callers ask for one key while it is under way, Then the work runs once and all get its value; a later call runs it again', async () => {
    const flights = new SingleFlight<number>();
    const d = deferred<number>();
    let runs = 0;
    const work = () => (runs++, d.promise);
    const waiting = [flights.run('k', work), flights.run('k', work), flights.run('k', work)];
    expect(flights.size).toBe(1);
    d.resolve(7);
    expect(await Promise.all(waiting)).toEqual([7, 7, 7]);
    expect(runs).toBe(1);
    expect(flights.size).toBe(0);
    expect(await flights.run('k', async () => (runs++, 8))).toBe(8);
    expect(runs).toBe(2);
  });

  test('When the work fails, Then every caller gets the failure and the key is free for the next call', async () => {
    const flights = new SingleFlight<number>();
    const d = deferred<number>();
    const waiting = [flights.run('k', () => d.promise), flights.run('k', () => d.promise)];
    d.reject(new Error('gone'));
    expect((await Promise.allSettled(waiting)).map((r) => (r.status === 'rejected' ? (r.reason as Error).message : r.value))).toEqual(['gone', 'gone']);
    expect(flights.size).toBe(0);
    expect(await flights.run('k', async () => 1)).toBe(1);
  });

  test('When callers ask for different keys, Then each key runs its own work', async () => {
    const flights = new SingleFlight<string>();
    expect(await Promise.all([flights.run('a', async () => 'a'), flights.run('b', async () => 'b')])).toEqual(['a', 'b']);
  });
});
