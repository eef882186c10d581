/** The change feed: adds, revocations and deletions in commit order, paged like objects/, with grants and TLP applied. */
import { SYSTEM } from '../../src/server';
import { addUser } from '../api/auth/fixtures';
import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const TLP_AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const FEED = `/api1/collections/inbox/changes/`;
const GREEN = basic('green-reader', 'green-password-1');

interface Change {
  id: string;
  version: string;
  date_added: string;
  change: 'added' | 'deleted' | 'revoked';
}

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await addUser(s.rt, 'green-reader', 'green-password-1', { tlp: 'green', grants: { [IDS.writable]: ['read'] } });
});
afterAll(() => s.close());

async function post(objects: unknown[]): Promise<void> {
  const status = await s.rt.services.objects.addObjects(SYSTEM, 'api1', IDS.writable, envelope(objects), { recordStatus: false });
  expect(status.failures).toEqual([]);
}

async function poll(query: Record<string, string> = {}, auth = ADMIN_AUTH): Promise<{ changes: Change[]; more: boolean; next?: string; last?: string }> {
  const res = await s.request().get(FEED).query(query).set('Accept', TAXII).set('Authorization', auth).expect(200);
  expect(res.headers['content-type']).toBe(TAXII);
  const body = JSON.parse(res.text);
  return { changes: body.changes ?? [], more: body.more ?? false, next: body.next, last: res.headers['x-taxii-date-added-last'] };
}

/** Everything after a position, following next and then the last page's X-TAXII-Date-Added-Last. */
async function pollAll(after: string | undefined, auth = ADMIN_AUTH, limit = '1000'): Promise<{ changes: Change[]; last?: string }> {
  const out: Change[] = [];
  let page = await poll({ ...(after ? { added_after: after } : {}), limit }, auth);
  out.push(...page.changes);
  while (page.more) {
    page = await poll({ next: page.next!, limit }, auth);
    out.push(...page.changes);
  }
  return { changes: out, last: page.last ?? after };
}

async function position(): Promise<string | undefined> {
  return (await pollAll(undefined)).last;
}

describe('Change feed', () => {
  test('When a poller follows the feed and an object is deleted, Then the next poll reports each removed version as deleted', async () => {
    const v1 = indicator(101);
    const v2 = indicator(101, { modified: '2024-02-01T00:00:00.000Z' });
    const start = await position();
    await post([v1, v2]);
    const first = await pollAll(start);
    expect(first.changes.map((c) => [c.id, c.version, c.change])).toEqual([
      [v1.id, v1.modified, 'added'],
      [v2.id, v2.modified, 'added'],
    ]);
    await s.request().delete(`/api1/collections/inbox/objects/${v1.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
    const second = await pollAll(first.last);
    expect(second.changes.map((c) => [c.id, c.version, c.change]).sort()).toEqual([
      [v1.id, v1.modified, 'deleted'],
      [v2.id, v2.modified, 'deleted'],
    ]);
    // Deletion events sort after the adds they undo: their positions come from the same counter.
    expect(second.changes[0]!.date_added > first.changes[1]!.date_added).toBe(true);
    expect((await pollAll(second.last)).changes).toEqual([]);
  });

  test('When nothing changed since the poller\'s position, Then the poll reads no change log; the next add and delete are each heard', async () => {
    const v = indicator(102);
    const start = await position();
    const spy = jest.spyOn(s.rt.stores.changes, 'page');
    try {
      expect(await poll({ added_after: start! })).toEqual({ changes: [], more: false, next: undefined, last: start });
      expect(spy).not.toHaveBeenCalled();
      await post([v]);
      const added = await pollAll(start);
      expect(added.changes.map((c) => [c.id, c.change])).toEqual([[v.id, 'added']]);
      expect((await poll({ added_after: added.last! })).changes).toEqual([]);
      spy.mockClear();
      await s.request().delete(`/api1/collections/inbox/objects/${v.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
      expect((await pollAll(added.last)).changes.map((c) => [c.id, c.change])).toEqual([[v.id, 'deleted']]);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  test('When a revoked version is posted, Then the poller hears "revoked" for that version', async () => {
    const start = await position();
    const v1 = indicator(102);
    await post([v1]);
    const revoked = indicator(102, { modified: '2024-03-01T00:00:00.000Z', revoked: true });
    await post([revoked]);
    const got = await pollAll(start);
    expect(got.changes.map((c) => [c.version, c.change])).toEqual([
      [v1.modified, 'added'],
      [revoked.modified, 'revoked'],
    ]);
  });

  test('When a TLP:GREEN reader polls, Then it learns nothing of TLP:AMBER objects: their adds, revocations and deletions', async () => {
    const start = await position();
    const amber = indicator(103, { object_marking_refs: [TLP_AMBER] });
    const green = indicator(104, { object_marking_refs: [TLP_GREEN] });
    const unmarked = indicator(105); // the collection has no default_tlp: unmarked objects count as AMBER
    await post([amber, green, unmarked]);
    await post([indicator(103, { object_marking_refs: [TLP_AMBER], modified: '2024-05-01T00:00:00.000Z', revoked: true })]);
    await s.request().delete(`/api1/collections/inbox/objects/${amber.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
    await s.request().delete(`/api1/collections/inbox/objects/${unmarked.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);

    const seenByGreen = await pollAll(start, GREEN);
    expect(seenByGreen.changes.map((c) => [c.id, c.change])).toEqual([[green.id, 'added']]);
    const seenByAdmin = await pollAll(start);
    expect(seenByAdmin.changes.filter((c) => c.id === amber.id).map((c) => c.change)).toEqual(['added', 'revoked', 'deleted', 'deleted']);
    // From the beginning too: nothing AMBER, ever.
    expect((await pollAll(undefined, GREEN)).changes.filter((c) => c.id !== green.id)).toEqual([]);
  });

  test('When the feed is read in small pages, Then next walks every change once, and a next with other filters is a 400', async () => {
    const start = await position();
    await post(Array.from({ length: 9 }, (_, i) => indicator(200 + i)));
    const paged = await pollAll(start, ADMIN_AUTH, '2');
    expect(paged.changes.map((c) => c.id)).toEqual(Array.from({ length: 9 }, (_, i) => indicator(200 + i).id));
    const first = await poll({ added_after: start!, limit: '2' });
    expect(first.more).toBe(true);
    const res = await s.request().get(FEED).query({ next: first.next!, 'match[type]': 'malware' }).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(400);
    expect(JSON.parse(res.text).description).toMatch(/different query/);
    const typed = await pollAll(start, ADMIN_AUTH);
    expect(typed.changes).toHaveLength(9);
    expect((await poll({ added_after: start!, 'match[type]': 'malware' })).changes).toEqual([]);
  });

  test('When a caller without read access asks, Then it gets the TAXII error and no changes', async () => {
    await s.request().get(FEED).set('Accept', TAXII).expect(401);
    await s.request().get(FEED).set('Accept', 'text/html').set('Authorization', ADMIN_AUTH).expect(406);
    const res = await s.request().get(FEED).query({ limit: '0' }).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(400);
    expect(JSON.parse(res.text).title).toBe('Bad request');
  });

  test('When deletion events outlive the retention, Then an older position gets a 410 telling the reader to resync, and a resync from the start shows only what is stored', async () => {
    const start = await position();
    const doomed = indicator(300);
    const kept = indicator(301);
    await post([doomed, kept]);
    await s.request().delete(`/api1/collections/inbox/objects/${doomed.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
    const afterDelete = (await pollAll(start)).last!;
    // Nothing is old enough yet.
    expect(await s.rt.changes.prune()).toBe(0);
    const later = Date.now() * 1000 + 91 * 86_400_000_000;
    expect(await s.rt.changes.prune(later)).toBeGreaterThan(0);

    const res = await s.request().get(FEED).query({ added_after: start! }).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(410);
    expect(res.headers['content-type']).toBe(TAXII);
    const err = JSON.parse(res.text);
    expect(err.http_status).toBe('410');
    expect(err.description).toMatch(/Resync/);
    // A reader that had already passed the deletion is not affected.
    await poll({ added_after: afterDelete });
    const resync = await pollAll(undefined);
    expect(resync.changes.some((c) => c.id === doomed.id)).toBe(false);
    expect(resync.changes.filter((c) => c.id === kept.id).map((c) => c.change)).toEqual(['added']);
  });
});
