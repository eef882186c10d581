/**
 * WalCheckpoints decides when SQLite's WAL is checkpointed on the checkpoint thread: in the background once
 * enough rows were committed, one at a time; once the WAL has grown by the wait limit, the commit that crossed
 * it starts a restart: after the one under way, a RESTART one while the writer is held, which starts the WAL
 * again; a last one once writing pauses, a TRUNCATE one with the writer held, which stops the thread.
 * The thread here is a fake whose checkpoints end when the test says so; the hold records when it holds.
 */
import { WalCheckpoints } from '../../../src/store/sqlite-checkpoint';

class FakeThread {
  started = 0;
  modes: string[] = [];
  closedIfIdle = 0;
  closed = 0;
  private ends: Array<(err?: Error) => void> = [];
  /** Whether each checkpoint began while the writer was held. */
  held: boolean[] = [];
  holding = false;
  checkpoint(mode = 'PASSIVE'): Promise<void> {
    this.started++;
    this.modes.push(mode);
    this.held.push(this.holding);
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

/** A hold over the fake thread's writer, released when the work ends; `refuse` makes it fail to hold. */
function holdOf(thread: FakeThread, opts: { refuse?: Error } = {}) {
  const hold = async (work: () => Promise<void>) => {
    if (opts.refuse) throw opts.refuse;
    hold.times++;
    thread.holding = true;
    try {
      await work();
    } finally {
      thread.holding = false;
    }
  };
  hold.times = 0;
  return hold;
}

describe('WalCheckpoints', () => {
  let thread: FakeThread;
  let errors: unknown[];
  let wal: WalCheckpoints;

  let hold: ReturnType<typeof holdOf>;

  beforeEach(() => {
    thread = new FakeThread();
    errors = [];
    hold = holdOf(thread);
    wal = new WalCheckpoints(thread, 60_000, (e) => errors.push(e), { start: 100, wait: 250 }, hold);
  });
  afterEach(async () => {
    while (thread.underWay) thread.finish();
    await wal.stop();
  });

  test('starts a checkpoint in the background once enough rows were committed, and only one at a time', async () => {
    const passive = new WalCheckpoints(thread, 60_000, (e) => errors.push(e), { start: 100, wait: 100_000 }, hold);
    passive.wrote(60);
    expect(thread.started).toBe(0);
    passive.wrote(40);
    expect(thread.started).toBe(1);
    // While it runs, more commits start no second one.
    passive.wrote(500);
    expect(thread.started).toBe(1);
    thread.finish();
    await settle();
    // The rows committed meanwhile count towards the next one.
    passive.wrote(1);
    expect(thread.started).toBe(2);
    expect(thread.modes).toEqual(['PASSIVE', 'PASSIVE']);
    // Background checkpoints leave the writer alone.
    expect(thread.held).toEqual([false, false]);
    thread.finish();
    await passive.stop();
  });

  test('once the WAL has grown by the wait limit, the commit that crossed it has a RESTART follow the checkpoint under way, with the writer held', async () => {
    wal.wrote(100);
    expect(thread.started).toBe(1);
    wal.wrote(100);
    await settle();
    expect(hold.times).toBe(0);
    wal.wrote(100);
    await settle();
    // The background one is still under way: the writer is not held yet, so writes go on meanwhile.
    expect(thread.modes).toEqual(['PASSIVE']);
    expect(hold.times).toBe(0);
    // Rows committed meanwhile start no other checkpoint and no other restart.
    wal.wrote(300);
    expect(thread.started).toBe(1);
    thread.finish();
    await settle();
    expect(thread.modes).toEqual(['PASSIVE', 'RESTART']);
    expect(thread.held).toEqual([false, true]);
    expect(hold.times).toBe(1);
    expect(thread.holding).toBe(true);
    thread.finish();
    await settle();
    // The restart is done: the writer is let go.
    expect(thread.holding).toBe(false);
    // The count started again when the restart began: the 300 rows committed since count towards the next.
    expect(thread.started).toBe(2);
    wal.wrote(1);
    expect(thread.modes).toEqual(['PASSIVE', 'RESTART', 'RESTART']);
    thread.finish();
    await settle();
    expect(hold.times).toBe(2);
    expect(errors).toEqual([]);
  });

  test('with no checkpoint under way, the restart starts at once', async () => {
    const quiet = new WalCheckpoints(thread, 60_000, (e) => errors.push(e), { start: 1000, wait: 250 }, hold);
    quiet.wrote(300);
    await settle();
    expect(thread.modes).toEqual(['RESTART']);
    expect(thread.held).toEqual([true]);
    thread.finish();
    await settle();
    expect(thread.holding).toBe(false);
    await quiet.stop();
  });

  test('a failed restart is reported and lets the writer go, and the next commits checkpoint again', async () => {
    wal.wrote(300);
    await settle();
    expect(thread.modes).toEqual(['RESTART']);
    thread.finish(new Error('disk I/O error'));
    await settle();
    expect(errors).toEqual([new Error('disk I/O error')]);
    expect(thread.holding).toBe(false);
    wal.wrote(100);
    expect(thread.modes).toEqual(['RESTART', 'PASSIVE']);
  });

  test('when the writer cannot be held, the restart is reported and no RESTART runs', async () => {
    const refused = new WalCheckpoints(thread, 60_000, (e) => errors.push(e), { start: 1000, wait: 250 }, holdOf(thread, { refuse: new Error('Knex: Timeout acquiring a connection') }));
    refused.wrote(300);
    await settle();
    expect(thread.started).toBe(0);
    expect(errors).toEqual([new Error('Knex: Timeout acquiring a connection')]);
    await refused.stop();
  });

  test('stop waits for a restart under way', async () => {
    wal.wrote(300);
    await settle();
    let stopped = false;
    const stopping = wal.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    thread.finish();
    await stopping;
    expect(thread.modes).toEqual(['RESTART']);
    expect(thread.closed).toBe(1);
  });

  test('once writing pauses, a last checkpoint runs after the one under way, then the thread is stopped', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    try {
      const quiet = new WalCheckpoints(thread, 1000, (e) => errors.push(e), { start: 100, wait: 250 }, hold);
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
      // The last one empties the WAL file, with the writer held as for a restart.
      expect(thread.modes).toEqual(['PASSIVE', 'TRUNCATE']);
      expect(thread.held).toEqual([false, true]);
      expect(thread.closedIfIdle).toBe(0);
      thread.finish();
      await settle();
      await settle();
      expect(thread.holding).toBe(false);
      expect(thread.closedIfIdle).toBe(1);
      await quiet.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  test('when the writer cannot be held once writing pauses, that is reported and no TRUNCATE runs', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    try {
      const refused = new WalCheckpoints(thread, 1000, (e) => errors.push(e), { start: 1000, wait: 100_000 }, holdOf(thread, { refuse: new Error('Knex: Timeout acquiring a connection') }));
      refused.wrote(10);
      jest.advanceTimersByTime(1000);
      await settle();
      await settle();
      expect(thread.started).toBe(0);
      expect(errors).toEqual([new Error('Knex: Timeout acquiring a connection')]);
      await refused.stop();
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
