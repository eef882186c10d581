/**
 * An approval publishes into the target only what a POST to the target would store: an object revoked there
 * stays revoked (STIX 2.1 §3.6: revoked objects cannot be un-revoked). SQLite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { ADMIN_AUTH, indicator, TAXII, type TestServer } from '../helpers/server';
import { act, listAs, startReviewServer, submissionOf, submit } from './fixtures';

const CLEAR = 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487';

let s: TestServer;
beforeAll(async () => {
  s = await startReviewServer();
});
afterAll(() => s.close());

const publishDirectly = async (objects: unknown[]) => {
  const r = await s.request().post('/api1/collections/public-feed/objects/').set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(JSON.stringify({ objects }));
  return JSON.parse(r.text);
};
const versionsInTarget = async (id: string) =>
  (JSON.parse((await s.request().get(`/api1/collections/public-feed/objects/${id}/versions/`).set('Accept', TAXII)).text).versions ?? []) as string[];

test('When the target holds the object revoked and a later, unrevoked version is approved, Then 409 saying it is revoked, and nothing changes', async () => {
  const id = indicator(1).id as string;
  expect((await publishDirectly([indicator(1, { object_marking_refs: [CLEAR], modified: '2024-02-01T00:00:00.000Z', revoked: true })])).success_count).toBe(1);
  // A POST to the target itself refuses the un-revoking version.
  expect((await publishDirectly([indicator(1, { object_marking_refs: [CLEAR], modified: '2024-03-01T00:00:00.000Z' })])).failures[0].message).toMatch(/revoked/);

  await submit(s, 'alice', [indicator(1, { object_marking_refs: [CLEAR], modified: '2024-03-01T00:00:00.000Z' }), indicator(2, { object_marking_refs: [CLEAR] })]);
  const unrevoking = await submissionOf(s, id);
  const other = await submissionOf(s, indicator(2).id as string);
  const r = await act(s, 'bob', 'approve', { submissions: [other, unrevoking] });
  expect(r.status).toBe(409);
  expect(r.body).toMatchObject({ title: 'Conflict', http_status: '409', details: { revoked: { [unrevoking]: id } } });
  expect(r.body.description).toMatch(/revoked in public-feed.*cannot be un-revoked.*Nothing was approved/);
  expect(await versionsInTarget(id)).toEqual(['2024-02-01T00:00:00.000Z']);
  expect((await listAs(s, 'bob', '?state=pending')).body.submissions.map((x: any) => x.id).sort()).toEqual([other, unrevoking].sort());
});

test('When the later version approved into a target that holds it revoked is revoked too, Then it is published', async () => {
  const id = indicator(3).id as string;
  await publishDirectly([indicator(3, { object_marking_refs: [CLEAR], modified: '2024-02-01T00:00:00.000Z', revoked: true })]);
  await submit(s, 'alice', [indicator(3, { object_marking_refs: [CLEAR], modified: '2024-03-01T00:00:00.000Z', revoked: true })]);
  expect((await act(s, 'bob', 'approve', { submissions: [await submissionOf(s, id)] })).status).toBe(200);
  expect(await versionsInTarget(id)).toEqual(['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
});

test('When one approval holds a revoking version and a later unrevoked one of the same object, Then 409 and nothing is published', async () => {
  const id = indicator(4).id as string;
  await submit(s, 'alice', [
    indicator(4, { object_marking_refs: [CLEAR], modified: '2024-02-01T00:00:00.000Z', revoked: true }),
    indicator(4, { object_marking_refs: [CLEAR], modified: '2024-03-01T00:00:00.000Z' }),
  ]);
  const revoking = await submissionOf(s, id, '2024-02-01T00:00:00.000Z');
  const later = await submissionOf(s, id, '2024-03-01T00:00:00.000Z');
  const r = await act(s, 'bob', 'approve', { submissions: [revoking, later] });
  expect(r.status).toBe(409);
  expect(r.body.details).toEqual({ revoked: { [later]: id } });
  expect(await versionsInTarget(id)).toEqual([]);
});
