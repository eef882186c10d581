/**
 * Asynchronous POST (src/ingest): an envelope at or above the configured size is answered 202 "pending"
 * at once and stored in chunks by the worker; the status shows monotonic progress, per-object outcomes
 * equal to the synchronous POST's, and only its creator (and administrators) may read it.
 */
import { hashPassword } from '../../src/taxii/services/auth-service';
import { userPrincipalId } from '../../src/taxii/token-service';
import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, type TestServer } from '../helpers/server';
import { reviewConfigDoc } from '../review/fixtures';
import { getStatus, listIds, post, waitComplete, type Status } from './helpers';

// Bodies of 20,000 bytes or more are queued; the worker commits 7 objects per transaction.
const ENV = { TAXII_ASYNC_FROM_OBJECTS: '100000', TAXII_ASYNC_FROM_BYTES: '20000', TAXII_INGEST_CHUNK_OBJECTS: '7' };
const PRIVATE = `/api1/collections/${IDS.private}`;
const PUBLIC = `/api1/collections/${IDS.public}`;
const INBOX = `/api1/collections/${IDS.writable}`;
const PASSWORD = 'async-password-1';
let s: TestServer;

/** The same envelope text, made big enough to be queued by trailing whitespace. */
const padded = (body: string) => body.slice(0, -1) + ' '.repeat(20_000) + '}';

beforeAll(async () => {
  s = await startTestServer({ doc: reviewConfigDoc(), env: ENV });
  for (const name of ['writer', 'other']) {
    const u = await s.rt.stores.users.upsert({ username: name, passwordHash: await hashPassword(PASSWORD), isAdmin: false, maxTlp: 'amber' });
    for (const c of [IDS.private, IDS.writable]) await s.rt.stores.principals.grant(userPrincipalId(u.id), c, { read: true, write: true });
  }
});
afterAll(async () => {
  await s.close();
});

test('When a large envelope is posted, Then it is answered 202 pending at once, and the status shrinks its pendings to 0 with monotonic progress until every object is stored once', async () => {
  await s.rt.ingest.worker.stop();
  const objects = Array.from({ length: 60 }, (_, i) => indicator(1000 + i));
  const r = await post(s, PRIVATE, padded(envelope(objects)));
  expect(r.code).toBe(202);
  expect(r.body).toMatchObject({ status: 'pending', total_count: 60, success_count: 0, failure_count: 0, pending_count: 60 });
  expect(r.body.pendings.map((p) => p.id)).toEqual(objects.map((o) => o.id));
  expect(r.body.pendings[0]!.version).toBe('2024-01-01T00:00:00.000Z');
  // Nothing is stored before the worker runs, and the stored status says so too.
  expect((await getStatus(s.url, r.body.id)).body).toMatchObject({ status: 'pending', pending_count: 60 });
  expect(await listIds(s.url, PRIVATE)).toEqual([]);

  s.rt.ingest.worker.start();
  const { final, readings } = await waitComplete(s.url, r.body.id);
  expect(final).toMatchObject({ status: 'complete', total_count: 60, success_count: 60, failure_count: 0, pending_count: 0, pendings: [] });
  expect(final.successes.every((d) => d.message === 'stored')).toBe(true);
  const ids = await listIds(s.url, PRIVATE);
  expect(ids.length).toBe(60);
  expect(new Set(ids)).toEqual(new Set(objects.map((o) => o.id)));
  expect(readings).toBeGreaterThan(0);
  // The worker's objects count in the ingest metrics as a synchronous POST's do.
  expect(await s.rt.metrics.text()).toMatch(/taxii_ingest_objects_total\{collection="private-feed",outcome="added"\} 60\b/);
});

test('When an envelope with invalid, conflicting, repeated and id-less objects is queued, Then each object gets the outcome and message the synchronous POST gives', async () => {
  const existing = indicator(5000);
  for (const c of [PUBLIC, PRIVATE]) expect((await post(s, c, envelope([existing]))).code).toBe(202);
  const objects: unknown[] = Array.from({ length: 30 }, (_, i) => indicator(5100 + i));
  objects[3] = { ...indicator(5200), pattern: 'not a pattern' };
  objects[9] = existing;
  objects[10] = { ...existing, name: 'changed content, same version' };
  const { id: _drop, ...noId } = indicator(5300);
  objects[17] = noId;
  objects[22] = { type: 'indicator' };
  const body = envelope(objects);
  const sync = await post(s, PUBLIC, body);
  expect(sync.code).toBe(202);
  expect(sync.body.status).toBe('complete');
  const queued = await post(s, PRIVATE, padded(body));
  expect(queued.body.status).toBe('pending');
  expect(queued.body.pendings.map((p) => p.id)).toContain('objects[17]');
  const { final } = await waitComplete(s.url, queued.body.id);
  const key = (d: { id: string; version: string; message?: string }) => `${d.id}|${d.version}|${d.message}`;
  expect(final.successes.map(key).sort()).toEqual(sync.body.successes.map(key).sort());
  expect(final.failures.map(key).sort()).toEqual(sync.body.failures.map(key).sort());
  expect(final.failure_count).toBe(4);
  expect(final.failures.map((f) => f.id)).toEqual(expect.arrayContaining(['objects[17]', 'objects[22]', existing.id]));
  expect(final.successes.find((d) => d.id === existing.id)?.message).toMatch(/^already present/);
});

test('When a non-administrator queues an envelope, Then only that principal and administrators see its status', async () => {
  const writer = basic('writer', PASSWORD);
  const r = await post(s, PRIVATE, padded(envelope(Array.from({ length: 20 }, (_, i) => indicator(7000 + i)))), writer);
  expect(r.code).toBe(202);
  expect(r.body.status).toBe('pending');
  await waitComplete(s.url, r.body.id);
  expect((await getStatus(s.url, r.body.id, writer)).body).toMatchObject({ status: 'complete', success_count: 20 });
  expect((await getStatus(s.url, r.body.id, basic('other', PASSWORD))).code).toBe(404);
  expect((await getStatus(s.url, r.body.id, ADMIN_AUTH)).code).toBe(200);
  const anon = await fetch(`${s.url}/api1/status/${r.body.id}/`, { headers: { Accept: 'application/taxii+json;version=2.1' } });
  expect(anon.status).toBe(401);
});

test('When an envelope is queued to a review inbox, Then its objects become submissions exactly as a synchronous POST makes them', async () => {
  const writer = basic('writer', PASSWORD);
  const objects = Array.from({ length: 25 }, (_, i) => indicator(8000 + i));
  const r = await post(s, INBOX, padded(envelope(objects)), writer);
  expect(r.body.status).toBe('pending');
  const { final } = await waitComplete(s.url, r.body.id);
  expect(final.success_count).toBe(25);
  const list = await s.request().get('/api1/review/submissions/?limit=1000').set('Accept', 'application/taxii+json;version=2.1').set('Authorization', ADMIN_AUTH);
  expect(list.status).toBe(200);
  const subs = JSON.parse(list.text).submissions as Array<{ object_id: string; status_id?: string }>;
  const mine = subs.filter((x) => objects.some((o) => o.id === x.object_id));
  expect(mine.length).toBe(25);
});

test('When an envelope is queued, Then the asynchronous object limit applies to it, and the synchronous one to smaller envelopes (413 above each)', async () => {
  const small = await startTestServer({ env: { TAXII_ASYNC_FROM_OBJECTS: '20', TAXII_MAX_OBJECTS_PER_ENVELOPE: '10', TAXII_ASYNC_MAX_OBJECTS: '40' } });
  try {
    const between = await post(small, INBOX, envelope(Array.from({ length: 15 }, (_, i) => indicator(8900 + i))));
    expect(between.code).toBe(413);
    expect((between.body as unknown as { description: string }).description).toMatch(/at most 10/);
    const ok = await post(small, INBOX, envelope(Array.from({ length: 30 }, (_, i) => indicator(9000 + i))));
    expect(ok.code).toBe(202);
    expect(ok.body.status).toBe('pending');
    expect((await waitComplete(small.url, ok.body.id)).final.success_count).toBe(30);
    const tooMany = await post(small, INBOX, envelope(Array.from({ length: 41 }, (_, i) => indicator(9100 + i))));
    expect(tooMany.code).toBe(413);
    expect((tooMany.body as unknown as { description: string }).description).toMatch(/at most 40/);
  } finally {
    await small.close();
  }
});

export type { Status };
