import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import type { CollectionConfig, Config } from '../config/config';
import type { StatusDetail } from '../domain/types';
import { DomainError } from '../domain/errors';
import { yieldToEventLoop } from '../common/event-loop';
import { parseEnvelopeSliced } from '../taxii/envelope-parser';
import type { Principal } from '../taxii/access';
import type { ObjectService } from '../taxii/services/object-service';
import type { ClaimedIngestJob, IngestQueueStore } from '../store/ingest-queue-store';
import { HookAbort } from '../store/object-store';
import { pendingOf } from './ingest-queue';

/** Chunks between two WAL checkpoints on SQLite (IngestQueueStore.settle): each then copies a few MB at most. */
const SETTLE_EVERY_CHUNKS = 4;

export interface WorkerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** A chunk committed: where, how far the job is, and its objects' outcomes. */
export interface IngestProgress {
  jobId: string;
  collection: CollectionConfig;
  chunk: number;
  chunks: number;
  successes: readonly StatusDetail[];
  failures: readonly StatusDetail[];
}

/**
 * Works through the ingest queue: leases one job at a time and commits its chunks in order, each in one
 * transaction with its outcome and the job's progress (IngestQueueStore). Runs in every server process;
 * the lease decides which one works on a job. Idle, it looks for work every `ingest.poll_ms`, and at once
 * when this process queued a job.
 */
export class IngestWorker {
  readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private running?: Promise<void>;
  private stopping = false;
  private wakeUp?: () => void;
  private kicked = false;

  constructor(
    private readonly config: Config,
    private readonly store: IngestQueueStore,
    private readonly objects: ObjectService,
    private readonly log: WorkerLog,
    private readonly onChunk?: (p: IngestProgress) => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** Looks for work now (a job was just queued). */
  kick(): void {
    this.kicked = true;
    this.wakeUp?.();
  }

  /** Finishes the chunk under way, gives the job back, and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let worked = false;
      try {
        this.kicked = false;
        const job = await this.store.claim(this.owner, this.config.ingest.leaseMs);
        if (job) {
          worked = true;
          await this.run(job);
        }
        failures = 0;
      } catch (err) {
        failures++;
        this.log.warn({ err: (err as Error).message }, 'ingest worker: the queue is not reachable; trying again');
      }
      if (!worked || failures) await this.sleep(failures ? Math.min(30_000, this.config.ingest.pollMs * 2 ** failures) : this.config.ingest.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.kicked || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      t.unref();
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }

  /** Commits the job's remaining chunks in order, as long as this worker holds it. */
  private async run(job: ClaimedIngestJob): Promise<void> {
    const principal = job.principal as Principal;
    const collection = this.config.apiRoots.find((r) => r.path === job.apiRoot)?.collections.find((c) => c.id === job.collectionId);
    const { leaseMs, chunkObjects } = this.config.ingest;
    this.log.info({ job: job.id, chunk: job.nextChunk, chunks: job.chunkCount }, job.nextChunk ? 'ingest worker: resuming a queued envelope' : 'ingest worker: storing a queued envelope');
    for (let n = job.nextChunk; n < job.chunkCount; n++) {
      if (this.stopping) {
        await this.store.release(job.id, this.owner);
        return;
      }
      const last = n === job.chunkCount - 1;
      const text = await this.store.chunkObjects(job.id, n);
      const posted = text ? await parseEnvelopeSliced(text, this.config.server.maxJsonDepth) : [];
      if (!collection) {
        // The collection left the configuration after the envelope was accepted: nothing can be stored.
        const failures = posted.map((o, k) => ({ ...pendingOf(o, n * chunkObjects + k), message: `not stored: collection ${job.collectionId} is no longer configured on this server` }));
        await this.store.commitOutcome(job.id, this.owner, n, { successes: [], failures }, leaseMs, last);
        continue;
      }
      try {
        const out = await this.objects.ingest(principal, collection, posted, {
          statusId: job.id,
          firstIndex: n * chunkObjects,
          commit: {
            before: (trx) => this.store.guard(trx, job.id, this.owner, n, leaseMs),
            after: (trx, details) => this.store.recordChunk(trx, job.id, n, details, last),
          },
        });
        if (!out.committed) await this.store.commitOutcome(job.id, this.owner, n, out, leaseMs, last);
        this.onChunk?.({ jobId: job.id, collection, chunk: n + 1, chunks: job.chunkCount, successes: out.successes, failures: out.failures });
      } catch (err) {
        if (err instanceof HookAbort) {
          this.log.warn({ job: job.id, chunk: n }, 'ingest worker: another process took this envelope over; leaving it');
          return;
        }
        // The database is away (503 for a POST): give the job back, it resumes at this chunk.
        await this.store.release(job.id, this.owner).catch(() => undefined);
        throw err instanceof DomainError ? new Error(err.message) : err;
      }
      await yieldToEventLoop();
      if ((n + 1) % SETTLE_EVERY_CHUNKS === 0) {
        await this.store.settle();
        await yieldToEventLoop();
      }
    }
    this.log.info({ job: job.id, chunks: job.chunkCount }, 'ingest worker: queued envelope stored');
  }
}
