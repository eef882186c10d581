import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../../helpers/server';
import { addUser } from './fixtures';

/**
 * A POST answers a version the writer may not see (stored above its clearance) exactly as it answers a
 * differing re-post of a version the writer sees, whatever the posted content, and never touches the stored bytes.
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await addUser(s.rt, 'green-poster', 'green-poster-pw', { tlp: 'green', grants: { [IDS.writable]: ['read', 'write'] } });
});
afterAll(() => s.close());

const RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
const GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';
const C = `/api1/collections/${IDS.writable}`;
const GREEN_AUTH = () => basic('green-poster', 'green-poster-pw');

async function post(auth: string, objects: Record<string, unknown>[]) {
  const r = await s.request().post(`${C}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', auth).send(envelope(objects));
  expect(r.status).toBe(202);
  return JSON.parse(r.text);
}

async function storedAll(id: string): Promise<Array<Record<string, unknown>>> {
  const r = await s.request().get(`${C}/objects/${id}/?match[version]=all`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH);
  return JSON.parse(r.text).objects;
}

/** The status detail with the object's id taken out, so answers about different objects compare. */
function shape(detail: { id: string; version: string; message: string }) {
  return { version: detail.version, message: detail.message.split(detail.id).join('<id>') };
}

test('When a TLP:GREEN writer posts an exact copy of a version stored at TLP:RED, Then it is the same failure as a differing re-post of its own visible version, and the red version stays as stored', async () => {
  const red = indicator(9101, { object_marking_refs: [RED], description: 'red only' });
  await post(ADMIN_AUTH, [red]);
  const own = indicator(9102, { object_marking_refs: [GREEN] });
  await post(GREEN_AUTH(), [own]);

  const hidden = await post(GREEN_AUTH(), [red]);
  const visibleConflict = await post(GREEN_AUTH(), [{ ...own, name: 'changed' }]);

  expect(hidden.success_count).toBe(0);
  expect(hidden.failure_count).toBe(1);
  expect(hidden.failures[0].message).not.toMatch(/already present/);
  expect(shape(hidden.failures[0])).toEqual(shape(visibleConflict.failures[0]));
  expect(await storedAll(red.id as string)).toEqual([red]);
});

test('When a TLP:GREEN writer posts its own content under the id and version of a TLP:RED version, Then the answer equals the one for an exact copy, and the red bytes are not overwritten', async () => {
  const red = indicator(9103, { object_marking_refs: [RED], description: 'red only' });
  await post(ADMIN_AUTH, [red]);
  const copy = await post(GREEN_AUTH(), [red]);
  const mine = await post(GREEN_AUTH(), [{ ...red, object_marking_refs: [GREEN], description: 'green guess' }]);

  expect(mine.failures).toEqual(copy.failures);
  expect(await storedAll(red.id as string)).toEqual([red]);
  const seen = await s.request().get(`${C}/objects/${red.id}/`).set('Accept', TAXII).set('Authorization', GREEN_AUTH());
  expect(seen.status).toBe(404);
});

test('When a TLP:GREEN writer posts a new version of an object whose other version is TLP:RED, Then the new version is stored and the red one is kept', async () => {
  const red = indicator(9104, { object_marking_refs: [RED] });
  await post(ADMIN_AUTH, [red]);
  const next = { ...red, modified: '2024-06-01T00:00:00.000Z', object_marking_refs: [GREEN] };
  const r = await post(GREEN_AUTH(), [next]);
  expect(r.successes).toEqual([expect.objectContaining({ id: red.id, version: next.modified, message: expect.stringMatching(/^stored/) })]);
  expect(await storedAll(red.id as string)).toEqual([red, next]);
});

test('When a writer cleared for TLP:RED re-posts a TLP:RED version exactly, Then it is still "already present"', async () => {
  const red = indicator(9105, { object_marking_refs: [RED] });
  await post(ADMIN_AUTH, [red]);
  const again = await post(ADMIN_AUTH, [red]);
  expect(again.successes[0].message).toMatch(/already present/);
});
