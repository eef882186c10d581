import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../../helpers/server';
import { addUser } from './fixtures';

/** DELETE never touches versions above the writer's clearance, and re-derives first/last from what is left. */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await addUser(s.rt, 'green-writer', 'green-writer-pw', { tlp: 'green', grants: { [IDS.writable]: ['read', 'write'] } });
});
afterAll(() => s.close());

const RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
const GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';
const C = `/api1/collections/${IDS.writable}`;

test('When a TLP:GREEN writer deletes every version of an object that also has a TLP:RED version, Then only the green versions go and the red one stays', async () => {
  const g1 = indicator(1, { object_marking_refs: [GREEN] });
  const r2 = indicator(1, { modified: '2024-02-01T00:00:00.000Z', object_marking_refs: [RED] });
  const g3 = indicator(1, { modified: '2024-03-01T00:00:00.000Z', object_marking_refs: [GREEN] });
  await s.request().post(`${C}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope([g1, r2, g3]));
  const del = await s.request().delete(`${C}/objects/${g1.id}/`).set('Accept', TAXII).set('Authorization', basic('green-writer', 'green-writer-pw'));
  expect(del.status).toBe(200);
  const left = JSON.parse((await s.request().get(`${C}/objects/${g1.id}/?match[version]=all`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH)).text);
  expect(left.objects.map((o: { modified: string }) => o.modified)).toEqual([r2.modified]);
  // The one version left is both the first and the last.
  const last = JSON.parse((await s.request().get(`${C}/objects/?match[id]=${g1.id}&match[version]=first,last`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH)).text);
  expect(last.objects).toHaveLength(1);
  // The green writer can no longer see the object at all.
  expect((await s.request().get(`${C}/objects/${g1.id}/`).set('Accept', TAXII).set('Authorization', basic('green-writer', 'green-writer-pw'))).status).toBe(404);
});

test('When new versions of an object are posted while other versions of it are deleted at the same time, Then exactly one version is the last and one the first, and they are the newest and oldest left', async () => {
  const ROUNDS = 20;
  const at = (i: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString();
  const base = indicator(7001, { modified: at(0) });
  const post = (o: Record<string, unknown>) =>
    s.request().post(`${C}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope([o]));
  expect((await post(base)).status).toBe(202);
  for (let i = 1; i <= ROUNDS; i++) {
    // The delete targets the version posted in the previous round while this round's version goes in.
    const [added, deleted] = await Promise.all([
      post({ ...base, modified: at(i) }),
      s.request().delete(`${C}/objects/${base.id}/?match[version]=${at(i - 1)}`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH),
    ]);
    expect(added.status).toBe(202);
    expect(deleted.status).toBe(200);
  }
  const get = async (q: string) =>
    JSON.parse((await s.request().get(`${C}/objects/?match[id]=${base.id}&${q}`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH)).text).objects ?? [];
  expect((await get('match[version]=all')).map((o: { modified: string }) => o.modified)).toEqual([at(ROUNDS)]);
  expect((await get('match[version]=last')).map((o: { modified: string }) => o.modified)).toEqual([at(ROUNDS)]);
  expect((await get('match[version]=first')).map((o: { modified: string }) => o.modified)).toEqual([at(ROUNDS)]);
});

test('When a TLP:GREEN writer deletes match[version]=last of an object whose newest version is TLP:RED, Then the newest green version goes and the red one stays', async () => {
  const g1 = indicator(2, { object_marking_refs: [GREEN] });
  const g2 = indicator(2, { modified: '2024-02-01T00:00:00.000Z', object_marking_refs: [GREEN] });
  const r3 = indicator(2, { modified: '2024-03-01T00:00:00.000Z', object_marking_refs: [RED] });
  await s.request().post(`${C}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope([g1, g2, r3]));
  const green = basic('green-writer', 'green-writer-pw');
  const seen = JSON.parse((await s.request().get(`${C}/objects/${g1.id}/`).set('Accept', TAXII).set('Authorization', green)).text);
  expect(seen.objects.map((o: { modified: string }) => o.modified)).toEqual([g2.modified]);
  const del = await s.request().delete(`${C}/objects/${g1.id}/?match[version]=last`).set('Accept', TAXII).set('Authorization', green);
  expect(del.status).toBe(200);
  const left = JSON.parse((await s.request().get(`${C}/objects/${g1.id}/?match[version]=all`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH)).text);
  expect(left.objects.map((o: { modified: string }) => o.modified)).toEqual([g1.modified, r3.modified]);
  const after = JSON.parse((await s.request().get(`${C}/objects/${g1.id}/`).set('Accept', TAXII).set('Authorization', green)).text);
  expect(after.objects.map((o: { modified: string }) => o.modified)).toEqual([g1.modified]);
});
