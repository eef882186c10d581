/**
 * The queue across processes (the real server, src/cli.ts serve, as child processes on SQLite or
 * TEST_DATABASE_URL): a SIGKILL in the middle of an asynchronous ingest resumes after a restart with
 * every object stored exactly once, and two processes sharing the queue store each object once.
 */
import { envelope, freshDatabaseUrl, IDS, indicator } from '../helpers/server';
import { startServerProcess, stopAllServerProcesses, writeTestConfig } from '../integration/support/processes';
import { getStatus, listIds, post, waitComplete, type Status } from './helpers';

const C = `/api1/collections/${IDS.writable}`;
const ENV = { TAXII_ASYNC_FROM_OBJECTS: '100', TAXII_INGEST_CHUNK_OBJECTS: '20', TAXII_INGEST_LEASE_SECONDS: '2' };

afterAll(async () => {
  await stopAllServerProcesses();
});

function expectStoredOnce(final: Status, total: number): void {
  expect(final).toMatchObject({ status: 'complete', total_count: total, success_count: total, failure_count: 0, pending_count: 0 });
  // A chunk committed twice would report its objects as "already present" the second time.
  expect(final.successes.filter((d) => d.message !== 'stored')).toEqual([]);
  expect(new Set(final.successes.map((d) => d.id)).size).toBe(total);
}

test('When the server is killed with SIGKILL in the middle of an asynchronous ingest, Then after a restart the ingest resumes and every object is stored exactly once', async () => {
  const db = await freshDatabaseUrl();
  const config = writeTestConfig();
  try {
    const first = await startServerProcess(db.url, config, { env: ENV });
    const objects = Array.from({ length: 2000 }, (_, i) => indicator(i + 1));
    const r = await post(first, C, envelope(objects));
    expect(r.code).toBe(202);
    expect(r.body.status).toBe('pending');
    let seen: Status | undefined;
    for (;;) {
      seen = (await getStatus(first.url, r.body.id)).body;
      if (seen.success_count > 0) break;
      await new Promise((res) => setTimeout(res, 5));
    }
    first.child.kill('SIGKILL');
    if (first.child.exitCode === null && first.child.signalCode === null) await new Promise((res) => first.child.once('exit', res));
    expect(seen.pending_count).toBeGreaterThan(0);

    const second = await startServerProcess(db.url, config, { env: ENV });
    try {
      const before = (await getStatus(second.url, r.body.id)).body;
      expect(before.success_count).toBeGreaterThanOrEqual(seen.success_count);
      const { final } = await waitComplete(second.url, r.body.id);
      expectStoredOnce(final, objects.length);
      const ids = await listIds(second.url, C);
      expect(ids.length).toBe(objects.length);
      expect(new Set(ids)).toEqual(new Set(objects.map((o) => o.id)));
      expect(second.output()).toMatch(/resuming a queued envelope/);
      process.stdout.write(`SIGKILL during asynchronous ingest: killed at ${seen.success_count}/${objects.length} stored (${before.success_count} after restart), all ${ids.length} stored exactly once after resuming\n`);
    } finally {
      await second.stop();
    }
  } finally {
    await db.drop();
  }
}, 180_000);

test('When two server processes share the queue, Then every queued object is stored exactly once', async () => {
  const db = await freshDatabaseUrl();
  const config = writeTestConfig();
  try {
    const servers = [await startServerProcess(db.url, config, { env: ENV }), await startServerProcess(db.url, config, { env: ENV })];
    try {
      const jobs: Array<{ id: string; total: number }> = [];
      const all: string[] = [];
      for (let j = 0; j < 6; j++) {
        const objects = Array.from({ length: 400 }, (_, i) => indicator(10_000 + j * 1000 + i));
        all.push(...objects.map((o) => o.id as string));
        // All to the first process: the second only gets work by claiming it from the shared queue.
        const r = await post(servers[0]!, C, envelope(objects));
        expect(r.body.status).toBe('pending');
        jobs.push({ id: r.body.id, total: objects.length });
      }
      for (const job of jobs) expectStoredOnce((await waitComplete(servers[1]!.url, job.id)).final, job.total);
      const ids = await listIds(servers[1]!.url, C);
      expect(ids.length).toBe(all.length);
      expect(new Set(ids)).toEqual(new Set(all));
      const worked = servers.map((s) => (s.output().match(/storing a queued envelope|resuming a queued envelope/g) ?? []).length);
      process.stdout.write(`two processes sharing the queue: envelopes taken per process ${worked.join(' and ')}; ${ids.length} objects stored once\n`);
      expect(worked[0]! + worked[1]!).toBeGreaterThanOrEqual(jobs.length);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  } finally {
    await db.drop();
  }
}, 180_000);

test('When the server gets SIGTERM in the middle of an asynchronous ingest, Then the worker finishes its chunk and hands the job back, and the next process resumes at once', async () => {
  const db = await freshDatabaseUrl();
  const config = writeTestConfig();
  // A lease far longer than the test: only a released job can be resumed in time.
  const env = { ...ENV, TAXII_INGEST_LEASE_SECONDS: '600' };
  try {
    const first = await startServerProcess(db.url, config, { env });
    const objects = Array.from({ length: 2000 }, (_, i) => indicator(50_000 + i));
    const r = await post(first, C, envelope(objects));
    expect(r.body.status).toBe('pending');
    while ((await getStatus(first.url, r.body.id)).body.success_count === 0) await new Promise((res) => setTimeout(res, 5));
    first.child.kill('SIGTERM');
    const code = await new Promise<number | null>((res) => (first.child.exitCode !== null ? res(first.child.exitCode) : first.child.once('exit', (c) => res(c))));
    expect(code).toBe(0);
    const second = await startServerProcess(db.url, config, { env });
    try {
      const { final } = await waitComplete(second.url, r.body.id, 90_000);
      expectStoredOnce(final, objects.length);
      expect(first.output()).toMatch(/shutting down/);
      expect(second.output()).toMatch(/resuming a queued envelope/);
      expect(new Set(await listIds(second.url, C)).size).toBe(objects.length);
    } finally {
      await second.stop();
    }
  } finally {
    await db.drop();
  }
}, 180_000);
