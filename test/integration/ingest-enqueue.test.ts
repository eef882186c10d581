/**
 * Queuing a large envelope (src/store/ingest-queue-store.ts enqueue): its chunks are committed a few at a
 * time, and the job becomes visible to workers and to status reads only with the last commit. A failure on
 * the way leaves nothing behind; a job whose queuing a dead process left half done is never claimed and is
 * swept. On SQLite and (with TEST_DATABASE_URL) PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import type { StatusDetail, StatusResource } from '../../src/domain/types';
import { createDb, migrateLatest, type Db } from '../../src/store/db';
import { IngestQueueStore, type NewIngestJob } from '../../src/store/ingest-queue-store';
import { freshDatabaseUrl } from '../helpers/server';

let dbh: { url: string; drop: () => Promise<void> };
let db: Db;
let queue: IngestQueueStore;

beforeAll(async () => {
  dbh = await freshDatabaseUrl();
  db = createDb({ url: dbh.url });
  await migrateLatest(db);
  queue = new IngestQueueStore(db);
});

afterAll(async () => {
  await db?.close();
  await dbh?.drop();
});

/** A job of `chunks` chunks of 50 objects, each chunk some 40 KB of text: several commits' worth in all. */
function jobOf(chunks: number): NewIngestJob {
  const id = randomUUID();
  const all: StatusDetail[] = [];
  const parts = Array.from({ length: chunks }, (_, c) => {
    const pendings = Array.from({ length: 50 }, (_, k) => ({ id: `indicator--${randomUUID()}`, version: '2026-01-01T00:00:00.000Z', n: c * 50 + k }));
    all.push(...pendings.map(({ id: oid, version }) => ({ id: oid, version })));
    return { objects: `{"objects":[${pendings.map((p) => JSON.stringify({ id: p.id, pad: 'x'.repeat(700) })).join(',')}]}`, pendings: pendings.map(({ id: oid, version }) => ({ id: oid, version })) };
  });
  const status: StatusResource = { id, status: 'pending', request_timestamp: '2026-12-01T00:00:00.000000Z', total_count: all.length, success_count: 0, successes: [], failure_count: 0, failures: [], pending_count: all.length, pendings: all };
  return { status, apiRoot: 'api1', collectionId: randomUUID(), principalId: 'curator', principal: { id: 'curator' }, chunks: parts, retentionMs: 3600_000 };
}

const rowsOf = async (id: string) => ({
  jobs: await db.knex('ingest_jobs').where({ id }).select('state'),
  chunks: Number((await db.knex('ingest_chunks').where({ job_id: id }).count({ n: '*' }))[0]!.n),
  statuses: Number((await db.knex('statuses').where({ id }).count({ n: '*' }))[0]!.n),
});

/** Gives back every job this test's worker could claim, so that later tests start with an empty queue. */
async function drain(): Promise<string[]> {
  const claimed: string[] = [];
  for (let job = await queue.claim('drainer', 60_000); job; job = await queue.claim('drainer', 60_000)) {
    claimed.push(job.id);
    await db.knex('ingest_jobs').where({ id: job.id }).update({ state: 'complete' });
  }
  return claimed;
}

test('When a job of 120 chunks (some 5 MB) is queued, Then a worker and a status reader polling all the while see nothing until the job is whole, and then all of it', async () => {
  await drain();
  const job = jobOf(120);
  let queued = false;
  const seenEarly: Array<string | undefined> = [];
  const statusRowsEarly: number[] = [];
  const queuing = queue.enqueue(job).then(() => {
    queued = true;
  });
  // Between the enqueue's commits, the worker's claim and a status read keep running. An observation
  // counts as made before the job was whole when the chunks, counted after it, were not all there yet:
  // the last commit comes after every chunk's (on PostgreSQL the enqueue runs on other connections
  // meanwhile, so the flag below alone could be late).
  while (!queued) {
    const claimed = await queue.claim('watcher', 60_000);
    // Get Status finds a status through its stored row (StatusService): none until the job is whole.
    const { statuses } = await rowsOf(job.status.id);
    const { chunks } = await rowsOf(job.status.id);
    if (chunks < 120) {
      seenEarly.push(claimed?.id);
      statusRowsEarly.push(statuses);
    } else if (claimed) await queue.release(claimed.id, 'watcher');
    await new Promise((r) => setImmediate(r));
  }
  await queuing;
  expect(seenEarly.length).toBeGreaterThan(0);
  expect(seenEarly.every((id) => id === undefined)).toBe(true);
  expect(statusRowsEarly.every((n) => n === 0)).toBe(true);
  const whole = await queue.claim('worker', 60_000);
  expect(whole).toMatchObject({ id: job.status.id, chunkCount: 120, nextChunk: 0 });
  expect(await rowsOf(job.status.id)).toEqual({ jobs: [{ state: 'pending' }], chunks: 120, statuses: 1 });
  const status = await queue.status(job.status.id);
  expect(status?.pendings).toEqual(job.status.pendings);
  expect(await queue.chunkObjects(job.status.id, 119)).toBe(job.chunks[119]!.objects);
  await db.knex('ingest_jobs').where({ id: job.status.id }).update({ state: 'complete' });
}, 60_000);

test('When queuing fails at its last commit, Then neither the job nor any of its chunks is left, and what was stored before is untouched', async () => {
  await drain();
  const job = jobOf(60);
  // A status of the same id already stored: the last commit's insert of the status fails.
  await db.knex('statuses').insert({ id: job.status.id, api_root: 'api1', collection_id: job.collectionId, principal_id: 'someone', created_at_ms: 1, expires_at_ms: Date.now() + 3600_000, body: '{"kept":true}' });
  const outcome = await queue.enqueue(job).then(
    () => 'queued',
    (e: unknown) => `refused: ${e instanceof Object && 'message' in e ? String(e.message) : String(e)}`,
  );
  expect(outcome).toMatch(/^refused: /);
  expect(await rowsOf(job.status.id)).toEqual({ jobs: [], chunks: 0, statuses: 1 });
  expect((await db.knex('statuses').where({ id: job.status.id }).first('body')).body).toBe('{"kept":true}');
  expect(await queue.claim('worker', 60_000)).toBeUndefined();
}, 60_000);

test('Given jobs left half queued by a process that died, When the queue is swept, Then the one abandoned over an hour ago is removed with its chunks, a recent one is kept, and neither is ever claimed', async () => {
  await drain();
  const now = Date.now();
  const half = async (createdAt: number) => {
    const id = randomUUID();
    await db.knex('ingest_jobs').insert({ id, api_root: 'api1', collection_id: randomUUID(), principal: '{}', state: 'queuing', total_count: 100, chunk_count: 2, created_at_ms: createdAt, expires_at_ms: now + 3600_000 });
    await db.knex('ingest_chunks').insert({ job_id: id, chunk_no: 0, objects: '{"objects":[]}', pendings: '[]' });
    return id;
  };
  const old = await half(now - 2 * 3600_000);
  const recent = await half(now - 60_000);
  expect(await queue.claim('worker', 60_000)).toBeUndefined();
  expect(await queue.sweep()).toBe(1);
  expect(await rowsOf(old)).toEqual({ jobs: [], chunks: 0, statuses: 0 });
  expect(await rowsOf(recent)).toEqual({ jobs: [{ state: 'queuing' }], chunks: 1, statuses: 0 });
  expect(await queue.claim('worker', 60_000)).toBeUndefined();
});
