import type { Knex } from 'knex';
import type { StatusDetail, StatusResource } from '../domain/types';
import { WorkSlicer, yieldToEventLoop } from '../common/event-loop';
import type { Db } from './db';
import { HookAbort } from './object-store';

const JOBS = 'ingest_jobs';
const CHUNKS = 'ingest_chunks';
const STATUSES = 'statuses';
/** Chunk rows per INSERT (and commit) when a job is queued. */
const INSERT_BATCH = 20;
/** Characters of chunk text after which a commit is made when a job is queued (one chunk more at most): a SQLite commit of this much takes a few ms. */
const ENQUEUE_COMMIT_CHARS = 512 * 1024;
/** A job still `queuing` this long after it was created was abandoned by a process that died while queuing it. */
const QUEUING_ABANDONED_MS = 3600_000;
/** Chunk rows per SELECT when a status is read. */
const STATUS_BATCH = 25;

/** An accepted envelope, split into the chunks the worker commits one transaction at a time. */
export interface NewIngestJob {
  status: StatusResource;
  apiRoot: string;
  collectionId: string;
  principalId: string;
  /** Who posted, as the worker needs it (the principal, serialisable). */
  principal: unknown;
  chunks: Array<{ objects: string; pendings: StatusDetail[] }>;
  retentionMs: number;
}

/** A job leased to one worker. */
export interface ClaimedIngestJob {
  id: string;
  apiRoot: string;
  collectionId: string;
  principal: unknown;
  chunkCount: number;
  nextChunk: number;
}

/** What a job's status resource says now (merged into the stored "pending" status). */
export type LiveIngestStatus = Pick<StatusResource, 'status' | 'success_count' | 'successes' | 'failure_count' | 'failures' | 'pending_count' | 'pendings'>;

export interface ChunkOutcome {
  successes: StatusDetail[];
  failures: StatusDetail[];
}

/**
 * The asynchronous ingest queue (src/ingest/README.md). The only place that knows its tables.
 *
 * Exactly-once: a worker commits a chunk only in a transaction that first advances the job's `next_chunk`
 * from the chunk's number under its own lease (`guard`), then stores the objects, then records the chunk's
 * outcome and counts. A second worker on the same chunk (a lease taken over) waits for the row and then
 * finds `next_chunk` moved on: its transaction is rolled back. A crash rolls back the chunk under way,
 * which is done again after the lease expires.
 */
export class IngestQueueStore {
  constructor(private readonly db: Db) {}

  /**
   * Stores the job, its chunks and its "pending" status resource. The chunks of a large envelope hold
   * megabytes, and on SQLite one commit of them all held the event loop for tens of milliseconds: so the
   * job row is written first in state `queuing` (which no worker claims and no status read finds), the
   * chunks follow in commits of about ENQUEUE_COMMIT_CHARS of text, and one last transaction writes the
   * status and makes the job `pending`. The job is queued by that commit or not at all: a failure on the
   * way removes what was written, and a process that dies on the way leaves a `queuing` job that `sweep`
   * removes after QUEUING_ABANDONED_MS.
   */
  async enqueue(job: NewIngestJob): Promise<void> {
    const now = Date.now();
    const id = job.status.id;
    await this.db.knex(JOBS).insert({
      id,
      api_root: job.apiRoot,
      collection_id: job.collectionId,
      principal: JSON.stringify(job.principal),
      state: 'queuing',
      total_count: job.status.total_count,
      chunk_count: job.chunks.length,
      created_at_ms: now,
      expires_at_ms: now + job.retentionMs,
    });
    try {
      let rows: Array<{ job_id: string; chunk_no: number; objects: string; pendings: string }> = [];
      let chars = 0;
      for (let n = 0; n < job.chunks.length; n++) {
        const c = job.chunks[n]!;
        const row = { job_id: id, chunk_no: n, objects: c.objects, pendings: JSON.stringify(c.pendings) };
        rows.push(row);
        chars += row.objects.length + row.pendings.length;
        if (rows.length === INSERT_BATCH || chars >= ENQUEUE_COMMIT_CHARS || n === job.chunks.length - 1) {
          await this.db.knex(CHUNKS).insert(rows);
          rows = [];
          chars = 0;
          await yieldToEventLoop();
        }
      }
      await this.db.knex.transaction(async (trx) => {
        await trx(STATUSES).insert({
          id,
          api_root: job.apiRoot,
          collection_id: job.collectionId,
          principal_id: job.principalId,
          created_at_ms: now,
          expires_at_ms: now + job.retentionMs,
          // The details live in the chunks; the stored resource keeps the envelope's header.
          body: JSON.stringify({ ...job.status, successes: [], failures: [], pendings: [] }),
        });
        await trx(JOBS).where({ id, state: 'queuing' }).update({ state: 'pending' });
      });
    } catch (err) {
      await this.db.knex(JOBS).where({ id, state: 'queuing' }).delete().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Leases the oldest pending job whose lease has run out (or was never taken) to `owner`. The lease is a
   * conditional update of the job's row: of several processes racing for it, exactly one gets it.
   */
  async claim(owner: string, leaseMs: number): Promise<ClaimedIngestJob | undefined> {
    const now = Date.now();
    const candidates = await this.db.knex(JOBS).where('state', 'pending').where('lease_until_ms', '<', now).orderBy('created_at_ms').limit(4).select('id');
    for (const { id } of candidates) {
      const n = await this.db.knex(JOBS).where({ id, state: 'pending' }).where('lease_until_ms', '<', now).update({ lease_owner: owner, lease_until_ms: now + leaseMs });
      if (n !== 1) continue;
      const row = await this.db.knex(JOBS).where({ id }).first();
      if (!row || row.lease_owner !== owner) continue;
      return { id, apiRoot: row.api_root, collectionId: row.collection_id, principal: JSON.parse(row.principal), chunkCount: Number(row.chunk_count), nextChunk: Number(row.next_chunk) };
    }
    return undefined;
  }

  /** The objects of one chunk, as the envelope text they were queued as. */
  async chunkObjects(jobId: string, chunkNo: number): Promise<string | undefined> {
    const row = await this.db.knex(CHUNKS).where({ job_id: jobId, chunk_no: chunkNo }).first('objects');
    return row?.objects;
  }

  /**
   * First statement of a chunk's transaction: renews the lease, and aborts the transaction (HookAbort)
   * unless `owner` still holds the job and `chunkNo` is the next chunk to commit. On PostgreSQL the row
   * stays locked until the transaction ends, so a competing commit of the same chunk waits, then aborts.
   */
  async guard(trx: Knex.Transaction, jobId: string, owner: string, chunkNo: number, leaseMs: number): Promise<void> {
    const n = await trx(JOBS).where({ id: jobId, lease_owner: owner, next_chunk: chunkNo, state: 'pending' }).update({ lease_until_ms: Date.now() + leaseMs });
    if (n !== 1) throw new HookAbort(`ingest job ${jobId}: chunk ${chunkNo} is no longer this worker's to commit`);
  }

  /** Last statements of a chunk's transaction: its outcome, and the job's progress and counts. */
  async recordChunk(trx: Knex.Transaction, jobId: string, chunkNo: number, outcome: ChunkOutcome, last: boolean): Promise<void> {
    await trx(CHUNKS).where({ job_id: jobId, chunk_no: chunkNo }).update({ outcome: JSON.stringify(outcome), objects: '' });
    await trx(JOBS)
      .where({ id: jobId, next_chunk: chunkNo })
      .update({
        next_chunk: chunkNo + 1,
        success_count: trx.raw('success_count + ?', [outcome.successes.length]),
        failure_count: trx.raw('failure_count + ?', [outcome.failures.length]),
        ...(last ? { state: 'complete', lease_owner: null, lease_until_ms: 0 } : {}),
      });
  }

  /** Records the outcome of a chunk nothing of which was stored (all invalid, or refused by the store). */
  async commitOutcome(jobId: string, owner: string, chunkNo: number, outcome: ChunkOutcome, leaseMs: number, last: boolean): Promise<void> {
    await this.db.knex.transaction(async (trx) => {
      await this.guard(trx, jobId, owner, chunkNo, leaseMs);
      await this.recordChunk(trx, jobId, chunkNo, outcome, last);
    });
  }

  /** Between chunks: keeps the SQLite WAL short, so that no chunk's commit runs a long checkpoint (Db.checkpoint). */
  async settle(): Promise<void> {
    await this.db.checkpoint?.();
  }

  /** Gives a job back (graceful shutdown): another process may take it at once. */
  async release(jobId: string, owner: string): Promise<void> {
    await this.db.knex(JOBS).where({ id: jobId, lease_owner: owner }).update({ lease_owner: null, lease_until_ms: 0 });
  }

  /** The job's progress as status details, or undefined when the status is not a queued job's. */
  async status(id: string): Promise<LiveIngestStatus | undefined> {
    // One statement: each chunk's outcome committed with the job's progress, so the answer is a consistent
    // snapshot, and the counts only ever grow (pendings only ever shrink) from one read to the next.
    // Read in batches (a large envelope has hundreds of chunks). On PostgreSQL in one REPEATABLE READ
    // transaction: one snapshot. On SQLite outside any (its one connection is the writer's): chunks commit
    // in order and are read in order, so every count still only grows from one reading to the next.
    const readAll = async (q: Knex | Knex.Transaction) => {
      const rows: Array<{ chunk_no: number; pendings: string; outcome: string | null }> = [];
      for (;;) {
        const after = rows.length ? rows[rows.length - 1]!.chunk_no : -1;
        const batch = await q(CHUNKS).where({ job_id: id }).where('chunk_no', '>', after).orderBy('chunk_no').limit(STATUS_BATCH).select('chunk_no', 'pendings', 'outcome');
        rows.push(...batch);
        if (batch.length < STATUS_BATCH) return rows;
        await yieldToEventLoop();
      }
    };
    const chunks = this.db.dialect === 'postgres' ? await this.db.knex.transaction(readAll, { isolationLevel: 'repeatable read', readOnly: true }) : await readAll(this.db.knex);
    if (!chunks.length) return undefined;
    const out: LiveIngestStatus = { status: 'pending', success_count: 0, successes: [], failure_count: 0, failures: [], pending_count: 0, pendings: [] };
    // A status of a large envelope holds tens of thousands of details: assembled in slices.
    const slicer = new WorkSlicer();
    for (const c of chunks) {
      await slicer.step();
      if (c.outcome === null) {
        for (const p of JSON.parse(c.pendings) as StatusDetail[]) out.pendings.push(p);
        continue;
      }
      const o = JSON.parse(c.outcome) as ChunkOutcome;
      for (const d of o.successes) out.successes.push(d);
      for (const d of o.failures) out.failures.push(d);
    }
    out.success_count = out.successes.length;
    out.failure_count = out.failures.length;
    out.pending_count = out.pendings.length;
    if (out.pending_count === 0) out.status = 'complete';
    return out;
  }

  /** Removes finished jobs past their status retention, and jobs whose queuing was abandoned; returns how many. */
  async sweep(): Promise<number> {
    const now = Date.now();
    const finished = await this.db.knex(JOBS).where('state', 'complete').where('expires_at_ms', '<=', now).limit(1000).select('id');
    const abandoned = await this.db.knex(JOBS).where('state', 'queuing').where('created_at_ms', '<', now - QUEUING_ABANDONED_MS).limit(1000).select('id');
    const ids = [...finished, ...abandoned].map((r: { id: string }) => r.id);
    if (!ids.length) return 0;
    await this.db.knex.transaction(async (trx) => {
      await trx(CHUNKS).whereIn('job_id', ids).delete();
      await trx(JOBS).whereIn('id', ids).delete();
    });
    return ids.length;
  }
}
