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
