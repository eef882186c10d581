/**
 * WalCheckpoints decides when SQLite's WAL is checkpointed on the checkpoint thread: in the background once
 * enough rows were committed, one at a time; once the WAL has grown by the wait limit, every writer waits for
 * the one under way and then a RESTART one, which starts the WAL again; a last one once writing pauses, which
 * stops the thread.
 * The thread here is a fake whose checkpoints end when the test says so.
 */
import { WalCheckpoints } from '../../../src/store/sqlite-checkpoint';

class FakeThread {
  started = 0;
  modes: string[] = [];
  closedIfIdle = 0;
  closed = 0;
  private ends: Array<(err?: Error) => void> = [];
  checkpoint(mode = 'PASSIVE'): Promise<void> {
    this.started++;
    this.modes.push(mode);
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

  test('once the WAL has grown by the wait limit, every writer waits for the checkpoint under way and then a RESTART one', async () => {
    wal.wrote(100);
    expect(thread.started).toBe(1);
    expect(wal.beforeWrite()).toBeUndefined();
    wal.wrote(100);
    expect(wal.beforeWrite()).toBeUndefined();
    wal.wrote(100);
    const first = wal.beforeWrite();
    const second = wal.beforeWrite();
    expect(first).toBeDefined();
    expect(second).toBe(first);
    let waited = false;
    void first!.then(() => (waited = true));
    await settle();
    expect(waited).toBe(false);
    // The background one ends; the restart follows it, and the writers still wait.
    thread.finish();
    await settle();
    expect(thread.modes).toEqual(['PASSIVE', 'RESTART']);
    expect(waited).toBe(false);
    // Rows committed meanwhile by a writer that was already under way start no other checkpoint.
    wal.wrote(150);
    expect(thread.started).toBe(2);
    thread.finish();
    await settle();
    expect(waited).toBe(true);
    // The count starts again from the restart.
    expect(wal.beforeWrite()).toBeUndefined();
    wal.wrote(300);
    expect(thread.modes).toEqual(['PASSIVE', 'RESTART', 'PASSIVE']);
    const next = wal.beforeWrite();
    expect(next).toBeDefined();
    expect(next).not.toBe(first);
  });

  test('with no checkpoint under way, the restart starts at once', async () => {
    const quiet = new WalCheckpoints(thread, 60_000, (e) => errors.push(e), { start: 1000, wait: 250 });
    quiet.wrote(300);
    expect(thread.started).toBe(0);
    const wait = quiet.beforeWrite()!;
    await settle();
    expect(thread.modes).toEqual(['RESTART']);
    thread.finish();
    await expect(wait).resolves.toBeUndefined();
    await quiet.stop();
  });

  test('a failed checkpoint is reported, and the writers waiting for it go on', async () => {
    wal.wrote(300);
    const wait = wal.beforeWrite()!;
    thread.finish(new Error('disk I/O error'));
    await settle();
    thread.finish(new Error('disk I/O error'));
    await expect(wait).resolves.toBeUndefined();
    expect(errors).toEqual([new Error('disk I/O error'), new Error('disk I/O error')]);
    expect(wal.beforeWrite()).toBeUndefined();
    wal.wrote(100);
    expect(thread.started).toBe(3);
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
