/**
 * WalCheckpoints decides when SQLite's WAL is checkpointed on the checkpoint thread: in the background once
 * enough rows were committed, one at a time; a writer waits for the one under way only once the WAL has grown
 * by the wait limit since a writer last waited; a last one once writing pauses, which stops the thread.
 * The thread here is a fake whose checkpoints end when the test says so.
 */
import { WalCheckpoints } from '../../../src/store/sqlite-checkpoint';

class FakeThread {
  started = 0;
  closedIfIdle = 0;
  closed = 0;
  private ends: Array<(err?: Error) => void> = [];
  checkpoint(): Promise<void> {
    this.started++;
    return new Promise((resolve, reject) => this.ends.push((err) => (err ? reject(err) : resolve())));
  }
  /** Ends the oldest checkpoint under way. */
  finish(err?: Error): void {
    this.ends.shift()!(err);
  }
  get underWay(): number {
    return this.ends.length;
  }
  async closeIfIdle(): Promise<void> {
    this.closedIfIdle++;
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

const settle = () => new Promise((r) => setImmediate(r));

describe('WalCheckpoints', () => {
  let thread: FakeThread;
  let errors: unknown[];
  let wal: WalCheckpoints;

  beforeEach(() => {
    thread = new FakeThread();
    errors = [];
    wal = new WalCheckpoints(thread, 60_000, (e) => errors.push(e), { start: 100, wait: 250 });
  });
  afterEach(async () => {
    while (thread.underWay) thread.finish();
    await wal.stop();
  });

  test('starts a checkpoint in the background once enough rows were committed, and only one at a time', async () => {
    wal.wrote(60);
    expect(thread.started).toBe(0);
    wal.wrote(40);
    expect(thread.started).toBe(1);
    // While it runs, more commits start no second one.
    wal.wrote(500);
    expect(thread.started).toBe(1);
    thread.finish();
    await settle();
    // The rows committed meanwhile count towards the next one.
    wal.wrote(1);
    expect(thread.started).toBe(2);
  });

  test('a writer waits for the checkpoint under way only once the WAL has grown by the wait limit since a writer last waited', async () => {
    wal.wrote(100);
    expect(thread.started).toBe(1);
    expect(wal.beforeWrite()).toBeUndefined();
    wal.wrote(100);
    expect(wal.beforeWrite()).toBeUndefined();
    wal.wrote(100);
    const wait = wal.beforeWrite();
    expect(wait).toBeDefined();
    let waited = false;
    void wait!.then(() => (waited = true));
    await settle();
    expect(waited).toBe(false);
    thread.finish();
    await settle();
    expect(waited).toBe(true);
    // The count starts again from that wait; with no checkpoint under way there is nothing to wait for.
    wal.wrote(10);
    expect(thread.started).toBe(2);
    expect(wal.beforeWrite()).toBeUndefined();
    thread.finish();
    await settle();
    wal.wrote(300);
    expect(thread.started).toBe(3);
    expect(wal.beforeWrite()).toBeDefined();
  });

  test('a failed checkpoint is reported, and the writer waiting for it goes on', async () => {
    wal.wrote(300);
    const wait = wal.beforeWrite()!;
    thread.finish(new Error('disk I/O error'));
    await expect(wait).resolves.toBeUndefined();
    expect(errors).toEqual([new Error('disk I/O error')]);
    wal.wrote(100);
    expect(thread.started).toBe(2);
  });

  test('once writing pauses, a last checkpoint runs after the one under way, then the thread is stopped', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    try {
      const quiet = new WalCheckpoints(thread, 1000, (e) => errors.push(e), { start: 100, wait: 250 });
      quiet.wrote(150);
      expect(thread.started).toBe(1);
      jest.advanceTimersByTime(600);
      quiet.wrote(10); // postpones the quiet period
      jest.advanceTimersByTime(600);
      await settle();
      expect(thread.started).toBe(1);
      jest.advanceTimersByTime(500);
      await settle();
      // The background one is still under way: the last one waits for it.
      expect(thread.started).toBe(1);
      thread.finish();
      await settle();
      expect(thread.started).toBe(2);
      expect(thread.closedIfIdle).toBe(0);
      thread.finish();
      await settle();
      await settle();
      expect(thread.closedIfIdle).toBe(1);
      await quiet.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  test('stop waits for the checkpoint under way, closes the thread, and starts none afterwards', async () => {
    wal.wrote(100);
    let stopped = false;
    const stopping = wal.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    thread.finish();
    await stopping;
    expect(thread.closed).toBe(1);
    wal.wrote(1000);
    await wal.now();
    expect(thread.started).toBe(1);
  });
});
