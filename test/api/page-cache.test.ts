/**
 * The page cache (src/cache) never hides a change from the next read: an add, a new version, a delete, a
 * write through another connection, a revoked grant and a lowered TLP clearance are each seen by the next
 * identical request; and a repeated identical request is served without the page query.
 */
import { createDb } from '../../src/store/db';
import { ObjectStore } from '../../src/store/object-store';
import { userPrincipalId } from '../../src/taxii/token-service';
import { preparedIndicator } from '../helpers/prepared';
import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';
import { positionBarrier } from '../helpers/position-barrier';
import { addUser } from './auth/fixtures';

const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const READER = { user: 'cache-reader', password: 'cache-reader-password-1' };
const C = `/api1/collections/${IDS.writable}`;
let s: TestServer;
let readerId = '';

beforeAll(async () => {
  s = await startTestServer();
  readerId = await addUser(s.rt, READER.user, READER.password, { tlp: 'red', grants: { [IDS.writable]: ['read'] } });
});
afterAll(() => s.close());

async function page(auth = basic(READER.user, READER.password), path = `${C}/objects/?limit=50`): Promise<{ status: number; ids: string[]; versions: string[] }> {
  const r = await s.request().get(path).set({ Accept: TAXII, Authorization: auth });
  const objects = (r.body.objects ?? []) as Array<{ id: string; modified: string }>;
  return { status: r.status, ids: objects.map((o) => o.id), versions: objects.map((o) => o.modified) };
}

async function post(objects: unknown[]): Promise<void> {
  const r = await s.request().post(`${C}/objects/`).set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH }).send(envelope(objects));
  expect(r.body.failure_count).toBe(0);
}

test('When an identical request repeats with nothing written, Then it is served without the page query', async () => {
  await post([indicator(1)]);
  const first = await page();
  const spy = jest.spyOn(s.rt.stores.objects, 'page');
  expect(await page()).toEqual(first);
  expect(spy).not.toHaveBeenCalled();
  spy.mockRestore();
});

test('When the collection is written to in any way, Then the next identical request sees it', async () => {
  await page();
  await post([indicator(2)]);
  expect((await page()).ids).toContain(indicator(2).id);

  await post([indicator(2, { modified: '2024-07-01T00:00:00.000Z' })]);
  expect((await page()).versions).toContain('2024-07-01T00:00:00.000Z');
  expect((await page(basic(READER.user, READER.password), `${C}/manifest/?limit=50`)).ids.filter((id) => id === indicator(2).id)).toHaveLength(1);

  const other = createDb({ url: s.databaseUrl });
  try {
    await new ObjectStore(other).addObjects(IDS.writable, [preparedIndicator(7)]);
  } finally {
    await other.close();
  }
  expect((await page()).ids).toContain(preparedIndicator(7).stixId);

  const del = await s.request().delete(`${C}/objects/${indicator(1).id}/`).set({ Accept: TAXII, Authorization: ADMIN_AUTH });
  expect(del.status).toBe(200);
  expect((await page()).ids).not.toContain(indicator(1).id);
});

test('When the reader loses its grant or its clearance is lowered, Then the next identical request reflects it', async () => {
  await post([indicator(3, { object_marking_refs: [AMBER] })]);
  expect((await page()).ids).toContain(indicator(3).id);

  await s.rt.stores.users.setMaxTlp(READER.user, 'green');
  const lowered = await page();
  expect(lowered.status).toBe(200);
  expect(lowered.ids).not.toContain(indicator(3).id);

  await s.rt.stores.principals.revoke(userPrincipalId(readerId), IDS.writable);
  expect((await page()).status).toBe(404);
});

test('When a client sends back the ETag of a page, Then 304 while nothing changed, and 200 with a new ETag after a write, a delete or a clearance change', async () => {
  await s.rt.stores.users.setMaxTlp(READER.user, 'red');
  await s.rt.stores.principals.grant(userPrincipalId(readerId), IDS.writable, { read: true, write: false });
  const auth = basic(READER.user, READER.password);
  const get = (etag?: string, path = `${C}/objects/?limit=50`) => s.request().get(path).set({ Accept: TAXII, Authorization: auth, ...(etag ? { 'If-None-Match': etag } : {}) });
  const first = await get();
  expect(first.status).toBe(200);
  const etag = first.headers.etag as string;
  expect(etag).toMatch(/^".+"$/);
  const again = await get(etag);
  expect(again.status).toBe(304);
  expect(again.text).toBe('');
  // Another query (the manifest) does not share the page's ETag.
  expect((await get(etag, `${C}/manifest/?limit=50`)).status).toBe(200);

  await post([indicator(4)]);
  const afterAdd = await get(etag);
  expect(afterAdd.status).toBe(200);
  expect(afterAdd.body.objects.map((o: { id: string }) => o.id)).toContain(indicator(4).id);
  const etag2 = afterAdd.headers.etag as string;
  expect(etag2).not.toBe(etag);

  expect((await s.request().delete(`${C}/objects/${indicator(4).id}/`).set({ Accept: TAXII, Authorization: ADMIN_AUTH })).status).toBe(200);
  const afterDelete = await get(etag2);
  expect(afterDelete.status).toBe(200);
  const etag3 = afterDelete.headers.etag as string;

  await s.rt.stores.users.setMaxTlp(READER.user, 'green');
  expect((await get(etag3)).status).toBe(200);
});

test('When identical polls miss the cache together after a write, Then the page is built once and each of them sees the write', async () => {
  await s.rt.stores.users.setMaxTlp(READER.user, 'red');
  await page();
  await post([indicator(5)]);
  const store = s.rt.stores.objects;
  const query = store.page.bind(store);
  // Every poll has read the write position before the first page query runs.
  const barrier = positionBarrier(store, 8);
  const pageSpy = jest.spyOn(store, 'page').mockImplementation(async (q) => {
    await barrier.reached();
    return query(q);
  });
  try {
    const all = await Promise.all(Array.from({ length: 8 }, () => page()));
    expect(barrier.read).toBe(8);
    expect(pageSpy).toHaveBeenCalledTimes(1);
    for (const r of all) expect(r).toEqual(all[0]);
    expect(all[0]!.ids).toContain(indicator(5).id);
  } finally {
    barrier.restore();
    pageSpy.mockRestore();
  }
});
