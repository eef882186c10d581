/**
 * A curator sees a submission redacted of the parts marked (granular markings) above its clearance. It may
 * not approve what it could not read, and the refusal discloses nothing of the hidden parts (SQLite, and
 * PostgreSQL with TEST_DATABASE_URL).
 */
import { indicator, TAXII, type TestServer } from '../helpers/server';
import { act, auth, listAs, startReviewServer, submissionOf, submit } from './fixtures';

const CLEAR = 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487';
const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const SECRET_SOURCE = 'identity--00000000-0000-4000-8000-00000000a5ec';

let s: TestServer;
beforeAll(async () => {
  s = await startReviewServer();
});
afterAll(() => s.close());

const partlyAmber = (n: number, selectors: string[]) =>
  indicator(n, { description: 'AMBER: from an informant', created_by_ref: SECRET_SOURCE, object_marking_refs: [CLEAR], granular_markings: [{ marking_ref: AMBER, selectors }] });

test('When a curator cleared for TLP:CLEAR approves a submission with parts marked TLP:AMBER, Then 403 naming no hidden value, and nothing is published', async () => {
  await submit(s, 'alice', [partlyAmber(1, ['description', 'created_by_ref'])]);
  const id = await submissionOf(s, indicator(1).id as string);
  // dave sees the submission, redacted.
  const shown = JSON.parse((await s.request().get(`/api1/review/submissions/${id}/`).set('Accept', TAXII).set('Authorization', auth('dave'))).text);
  expect(shown.object.description).toBeUndefined();
  expect(shown.object.created_by_ref).toBeUndefined();

  const r = await act(s, 'dave', 'approve', { submissions: [id], include_referenced: true });
  expect(r.status).toBe(403);
  expect(r.body).toMatchObject({ title: 'Forbidden', http_status: '403', description: expect.stringMatching(/cleared/) });
  const text = JSON.stringify(r.body);
  expect(text).not.toContain(SECRET_SOURCE);
  expect(text).not.toContain('informant');
  expect((await listAs(s, 'bob', '?state=pending')).body.submissions.map((x: any) => x.id)).toContain(id);
  expect((await s.request().get('/api1/collections/public-feed/objects/').set('Accept', TAXII)).text).toBe('{}');
});

test('When a curator cleared for every part approves it, Then the approval proceeds as usual', async () => {
  await submit(s, 'alice', [partlyAmber(2, ['description'])]);
  const id = await submissionOf(s, indicator(2).id as string);
  expect((await act(s, 'dave', 'approve', { submissions: [id] })).status).toBe(403);
  // bob (TLP:AMBER) reads all of it; the object's source is not in the target, so the usual 409 names it to him.
  const refused = await act(s, 'bob', 'approve', { submissions: [id] });
  expect(refused.status).toBe(409);
  expect(refused.body.details).toEqual({ missing_refs: [SECRET_SOURCE] });
});

test('When a curator cleared for TLP:CLEAR approves a fully TLP:CLEAR submission, Then it is approved', async () => {
  await submit(s, 'alice', [indicator(3, { object_marking_refs: [CLEAR] })]);
  const id = await submissionOf(s, indicator(3).id as string);
  expect((await act(s, 'dave', 'approve', { submissions: [id] })).status).toBe(200);
});
