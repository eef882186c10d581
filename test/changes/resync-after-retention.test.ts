/**
 * The resync a 410 asks for must be possible: after retention removed deletion events, a reader that starts the
 * change feed again from the start pages through it to the end (the positions it passes are behind the removed
 * deletions, but so were the adds of the versions they deleted: removed with them, never sent to this reader), and
 * then polls on from the final page's X-TAXII-Date-Added-Last. A cursor issued before further deletions are
 * removed still gets its 410.
 */
import { SYSTEM } from '../../src/server';
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

const FEED = '/api1/collections/inbox/changes/';
const LATER = () => Date.now() * 1000 + 91 * 86_400_000_000;

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

async function post(objects: unknown[]): Promise<void> {
  expect((await s.rt.services.objects.addObjects(SYSTEM, 'api1', IDS.writable, envelope(objects), { recordStatus: false })).failures).toEqual([]);
}
const remove = (id: unknown) => s.request().delete(`/api1/collections/inbox/objects/${String(id)}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
const get = (query: Record<string, string | number>) => s.request().get(FEED).query(query).set('Accept', TAXII).set('Authorization', ADMIN_AUTH);

test('When deletions were removed by retention, Then a resync from the start pages to the end one change at a time, polls on from its last position, and a cursor overtaken by a later removal gets 410', async () => {
  const objects = [1, 2, 3, 4, 5].map((n) => indicator(n));
  await post(objects);
  await remove(objects[4]!.id);
  expect(await s.rt.changes.prune(LATER())).toBe(1);

  const seen: Array<{ id: string; change: string }> = [];
  let next: string | undefined;
  let last: string | undefined;
  let first: string | undefined;
  for (let page = 0; page < 20; page++) {
    const r = await get({ limit: 1, ...(next ? { next } : {}) });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text);
    if (page === 0) first = body.next;
    seen.push(...(body.changes ?? []));
    last = r.headers['x-taxii-date-added-last'];
    next = body.next;
    if (!next) break;
  }
  expect(next).toBeUndefined();
  expect(seen.map((c) => `${c.id}|${c.change}`)).toEqual(objects.slice(0, 4).map((o) => `${String(o.id)}|added`));

  // Polling on from where the resync ended: nothing new, and no 410.
  const poll = await get({ added_after: last! });
  expect(poll.status).toBe(200);
  expect(JSON.parse(poll.text)).toEqual({});

  // Another deletion, removed by retention, after the first page's cursor was issued: that reader may have been
  // sent the deleted version's add, so its cursor must not go on as if nothing had happened.
  await remove(objects[2]!.id);
  expect(await s.rt.changes.prune(LATER())).toBe(1);
  const overtaken = await get({ next: first! });
  expect(overtaken.status).toBe(410);
  expect(JSON.parse(overtaken.text).description).toMatch(/Resync/);
  // And the poller that had finished the resync, being behind that deletion now, is told to resync again.
  expect((await get({ added_after: last! })).status).toBe(410);
});
