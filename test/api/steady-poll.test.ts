/**
 * The steady-state poll (added_after = the last position a client saw) is answered from the collection's
 * write position without the page query when nothing was written since. Every write moves that position
 * in its own transaction, so the next poll sees it: an add, a new version, a write through another
 * connection (another process), and a delete.
 */
import { createDb, type Db } from '../../src/store/db';
import { ObjectStore } from '../../src/store/object-store';
import { preparedIndicator } from '../helpers/prepared';
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

let s: TestServer;
const C = `/api1/collections/${IDS.writable}`;

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

async function poll(after?: string): Promise<{ ids: string[]; versions: string[]; last?: string; body: Record<string, unknown> }> {
  const r = await s
    .request()
    .get(`${C}/objects/${after ? `?added_after=${encodeURIComponent(after)}` : ''}`)
    .set({ Accept: TAXII, Authorization: ADMIN_AUTH });
  expect(r.status).toBe(200);
  const objects = (r.body.objects ?? []) as Array<{ id: string; modified: string }>;
  return { ids: objects.map((o) => o.id), versions: objects.map((o) => o.modified), last: r.headers['x-taxii-date-added-last'], body: r.body };
}

async function post(objects: unknown[]): Promise<void> {
  const r = await s.request().post(`${C}/objects/`).set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH }).send(envelope(objects));
  expect(r.status).toBe(202);
  expect(r.body.failure_count).toBe(0);
}

describe('steady-state poll from the write position', () => {
  test('When nothing was written since added_after, Then the poll is empty, echoes the position and reads no page; each kind of write is seen by the next poll', async () => {
    await post([indicator(1)]);
    const first = await poll();
    expect(first.ids).toContain(indicator(1).id);
    let position = first.last!;

    // Unchanged: empty, the position echoed, and the page query not run.
    const pageSpy = jest.spyOn(s.rt.stores.objects, 'page');
    const unchanged = await poll(position);
    expect(unchanged.body).toEqual({});
    expect(unchanged.last).toBe(position);
    expect(pageSpy).not.toHaveBeenCalled();
    pageSpy.mockRestore();

    // An add through the API.
    await post([indicator(2)]);
    const added = await poll(position);
    expect(added.ids).toEqual([indicator(2).id]);
    position = added.last!;
    expect((await poll(position)).ids).toEqual([]);

    // A new version of an object already there.
    await post([indicator(2, { modified: '2024-06-01T00:00:00.000Z' })]);
    const reversioned = await poll(position);
    expect(reversioned.ids).toEqual([indicator(2).id]);
    expect(reversioned.versions).toEqual(['2024-06-01T00:00:00.000Z']);
    position = reversioned.last!;

    // A write through another connection to the same database, as another server process makes it.
    const other: Db = createDb({ url: s.databaseUrl });
    try {
      await new ObjectStore(other).addObjects(IDS.writable, [preparedIndicator(3)]);
    } finally {
      await other.close();
    }
    const elsewhere = await poll(position);
    expect(elsewhere.ids).toEqual([preparedIndicator(3).stixId]);
    position = elsewhere.last!;

    // A delete moves the write position too (its change-log entry takes the next position), and the deleted
    // object is gone from a poll that starts before it.
    const before = await s.rt.stores.objects.writePosition(IDS.writable);
    const del = await s.request().delete(`${C}/objects/${indicator(1).id}/`).set({ Accept: TAXII, Authorization: ADMIN_AUTH });
    expect(del.status).toBe(200);
    expect(await s.rt.stores.objects.writePosition(IDS.writable)).toBeGreaterThan(before);
    expect((await poll()).ids).not.toContain(indicator(1).id);
    expect((await poll(position)).ids).toEqual([]);
  });

  test('When the collection is not in the store, Then the position never short-cuts the page query', async () => {
    expect(await s.rt.stores.objects.writePosition('00000000-0000-4000-8000-00000000dead')).toBe(Number.MAX_SAFE_INTEGER);
  });
});
