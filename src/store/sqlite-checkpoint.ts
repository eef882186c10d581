import { Worker } from 'node:worker_threads';

/**
 * Runs SQLite WAL checkpoints on a thread of their own, with a connection of its own. better-sqlite3 runs
 * every statement synchronously, and a checkpoint copies the WAL into the database file and syncs it to
 * disk: on the event loop that held every client for tens to hundreds of milliseconds (docs/reliability.md).
 * A PASSIVE checkpoint waits for no reader and no writer, so the server's connections go on meanwhile.
 */
export class CheckpointThread {
  private current?: { worker: Worker; queue: Array<{ resolve: () => void; reject: (e: Error) => void }> };

  constructor(private readonly filename: string) {}

  /** One PASSIVE checkpoint; resolves when it is done. */
  checkpoint(): Promise<void> {
    const t = (this.current ??= this.start());
    return new Promise((resolve, reject) => {
      t.queue.push({ resolve, reject });
      t.worker.postMessage('checkpoint');
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
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { filename: this.filename, driver: require.resolve('better-sqlite3') } });
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

const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
parentPort.on('message', () => {
  try {
    db ??= new Database(workerData.filename, { fileMustExist: true });
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({});
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
});
`;
