import { Worker } from 'node:worker_threads';

/**
 * Runs SQLite WAL checkpoints on a thread of their own, with a connection of its own. better-sqlite3 runs
 * every statement synchronously, and a checkpoint copies the WAL into the database file and syncs it to
 * disk: on the event loop that held every client for tens to hundreds of milliseconds (docs/reliability.md).
 * A PASSIVE checkpoint waits for no reader and no writer, so the server's connections go on meanwhile.
 */
export class CheckpointThread {
  private worker?: Worker;
  private queue: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  constructor(private readonly filename: string) {}

  /** One PASSIVE checkpoint; resolves when it is done. */
  checkpoint(): Promise<void> {
    const w = (this.worker ??= this.start());
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      w.postMessage('checkpoint');
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private start(): Worker {
    const w = new Worker(THREAD_SOURCE, { eval: true, workerData: { filename: this.filename, driver: require.resolve('better-sqlite3') } });
    w.unref();
    w.on('message', (m: { error?: string }) => {
      const waiting = this.queue.shift();
      if (!waiting) return;
      if (m.error) waiting.reject(new Error(m.error));
      else waiting.resolve();
    });
    w.on('error', (e) => {
      for (const waiting of this.queue.splice(0)) waiting.reject(e);
      this.worker = undefined;
    });
    return w;
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
