import { Worker } from 'node:worker_threads';

/** The checkpoints the thread runs (CheckpointThread.checkpoint). */
export type CheckpointMode = 'PASSIVE' | 'RESTART' | 'TRUNCATE';

/**
 * Runs SQLite WAL checkpoints on a thread of their own, with a connection of its own. better-sqlite3 runs
 * every statement synchronously, and a checkpoint copies the WAL into the database file and syncs it to
 * disk: on the event loop that held every client for tens to hundreds of milliseconds (docs/reliability.md).
 * A PASSIVE checkpoint waits for no reader and no writer, so the server's connections go on meanwhile.
 */
export class CheckpointThread {
  private current?: { worker: Worker; queue: Array<{ resolve: () => void; reject: (e: Error) => void }> };

  constructor(private readonly filename: string) {}

  /**
   * One checkpoint; resolves when it is done. PASSIVE copies what it can and waits for nobody. RESTART
   * takes the write lock (waiting for a writer up to the thread's busy timeout), copies the rest, and has the
   * next write start the WAL again from its beginning, over the same file; TRUNCATE does the same and also
   * empties the file. If either cannot have the lock in time it does what PASSIVE does.
   */
  checkpoint(mode: CheckpointMode = 'PASSIVE'): Promise<void> {
    const t = (this.current ??= this.start());
    return new Promise((resolve, reject) => {
      t.queue.push({ resolve, reject });
      t.worker.postMessage(mode);
    });
  }

  /** Stops the thread if no checkpoint is waiting on it (see close). */
  async closeIfIdle(): Promise<void> {
    if (this.current && this.current.queue.length === 0) await this.close();
  }

  /** Stops the thread (a thread holds an isolate of its own, some 15-20 MB); the next checkpoint starts one. */
  async close(): Promise<void> {
    const t = this.current;
    this.current = undefined;
    if (t) await t.worker.terminate();
  }

  private start(): NonNullable<CheckpointThread['current']> {
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { filename: this.filename, driver: require.resolve('better-sqlite3'), busyTimeoutMs: RESTART_BUSY_TIMEOUT_MS } });
    const t = { worker, queue: [] as Array<{ resolve: () => void; reject: (e: Error) => void }> };
    worker.unref();
    worker.on('message', (m: { error?: string }) => {
      const waiting = t.queue.shift();
      if (!waiting) return;
      if (m.error) waiting.reject(new Error(m.error));
      else waiting.resolve();
    });
    const fail = (e: Error) => {
      for (const waiting of t.queue.splice(0)) waiting.reject(e);
      if (this.current === t) this.current = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('the checkpoint thread stopped before the checkpoint was done')));
    return t;
  }
}

/**
 * Keeps SQLite's WAL short without checkpointing on the event loop (CheckpointThread runs each checkpoint on a
 * thread and connection of its own).
 *
 * - While bulk writes go on: once `startRows` rows were committed since the last checkpoint began, a PASSIVE
 *   one starts in the background, so the copy into the database file and its fsync overlap the next requests'
 *   parsing, validation and statements instead of running inside a commit (the autocheckpoint limit set in db.ts
 *   stays as the backstop).
 * - PASSIVE checkpoints copy the WAL but never start it again from its beginning, so on their own the WAL
 *   grows until the backstop checkpoints it inside a commit, on the event loop. Once `waitRows` rows were
 *   committed since the last restart, the commit that crossed that count starts one: after the checkpoint
 *   under way, a RESTART checkpoint runs while `hold` keeps every write transaction of this process from
 *   beginning (db.ts holds the writer connection, so writers wait for it in the pool, not on the event loop),
 *   and the next write starts the WAL again from its beginning. That bounds the WAL during an ingest: past
 *   `waitRows` by the commits made while the checkpoint under way finishes. Every writer waits alike, the
 *   status record and the audit log as much as the objects (docs/performance.md, "twenty-first pass"). While
 *   writes go on the file keeps the size it reached (69 MB at a million objects); emptying it at each restart
 *   (TRUNCATE) made each restart cost 2-3 times as long, since the file was then extended again page by page
 *   (docs/performance.md, "nineteenth pass").
 * - Once bulk writes pause (`quietMs`), a last checkpoint moves the rest into the database file, so that
 *   reads between ingests look up pages in an empty WAL, and the thread is stopped. It is a TRUNCATE one, run
 *   with the writer held as a restart is: the WAL file gives back the size it reached, and only the first
 *   commits of the next burst extend it again.
 */
export class WalCheckpoints {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private restarting?: Promise<void>;
  private rowsSinceStart = 0;
  private rowsSinceWait = 0;
  private idling?: Promise<void>;
  private stopped = false;
  private readonly startRows: number;
  private readonly waitRows: number;

  constructor(
    private readonly thread: Pick<CheckpointThread, 'checkpoint' | 'closeIfIdle' | 'close'>,
    private readonly quietMs: number,
    private readonly onError: (err: unknown) => void,
    rows: { start: number; wait: number } = { start: WAL_BACKGROUND_CHECKPOINT_ROWS, wait: WAL_WRITER_WAIT_ROWS },
    private readonly hold: WriterHold = (work) => work(),
  ) {
    this.startRows = rows.start;
    this.waitRows = rows.wait;
  }

  /** A write transaction committed `rows` rows. */
  wrote(rows: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.idle(), this.quietMs);
    this.timer.unref();
    this.rowsSinceStart += rows;
    this.rowsSinceWait += rows;
    if (!this.restarting && this.rowsSinceWait >= this.waitRows) this.restart();
    else if (!this.running && !this.restarting && this.rowsSinceStart >= this.startRows) void this.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.idling;
    await this.restarting;
    await this.running;
    await this.thread.close();
  }

  /** A checkpoint now (or the one under way), failures reported as for the others. */
  now(): Promise<void> {
    return this.running ?? this.start();
  }

  private restart(): void {
    this.rowsSinceWait = 0;
    const restart = (async () => {
      while (this.running) await this.running;
      await this.hold(() => this.start('RESTART'));
    })()
      .catch((err: unknown) => this.onError(err))
      .finally(() => {
        if (this.restarting === restart) this.restarting = undefined;
      });
    this.restarting = restart;
  }

  private start(mode: CheckpointMode = 'PASSIVE'): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.rowsSinceStart = 0;
    const run = this.thread
      .checkpoint(mode)
      .catch((err: unknown) => {
        this.onError(err);
      })
      .finally(() => {
        if (this.running === run) this.running = undefined;
      });
    this.running = run;
    return run;
  }

  private idle(): void {
    this.timer = undefined;
    const idling = (async () => {
      await this.restarting;
      await this.running;
      await this.hold(() => this.start('TRUNCATE')).catch((err: unknown) => this.onError(err));
      // Writing has paused: the thread is not kept for the next burst (see CheckpointThread.close).
      if (!this.timer && !this.running && !this.restarting && !this.stopped) await this.thread.closeIfIdle();
    })().finally(() => {
      if (this.idling === idling) this.idling = undefined;
    });
    this.idling = idling;
  }
}

/**
 * Runs `work` while no write transaction of this process can begin, and waits for the one under way to end
 * first (WalCheckpoints' RESTART checkpoint).
 */
export type WriterHold = (work: () => Promise<void>) => Promise<void>;

/** Rows committed since the last checkpoint began after which another starts in the background (WalCheckpoints). */
const WAL_BACKGROUND_CHECKPOINT_ROWS = 1_000;
/**
 * Rows committed since the WAL last started again after which the WAL is started again. At a million objects
 * the WAL file reached 69 MB between restarts (about 7 KB per row), below the 128 MB backstop (db.ts); twice as
 * many rows would cross it.
 */
const WAL_WRITER_WAIT_ROWS = 10_000;
/** How long the RESTART checkpoint waits for a writer that holds the write lock before doing what it can. */
const RESTART_BUSY_TIMEOUT_MS = 1_000;

const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
parentPort.on('message', (mode) => {
  try {
    if (!db) {
      db = new Database(workerData.filename, { fileMustExist: true });
      db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
    }
    db.pragma(mode === 'RESTART' || mode === 'TRUNCATE' ? 'wal_checkpoint(' + mode + ')' : 'wal_checkpoint(PASSIVE)');
    parentPort.postMessage({});
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
});
`;
