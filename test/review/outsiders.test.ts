/**
 * Callers who may not review the inbox (a partner reading the published feed, an anonymous poller) learn
 * nothing about its submissions: an existing submission id answers exactly as an unknown one, no answer
 * names the inbox, and provenance does not hand out submission ids (SQLite, and PostgreSQL with TEST_DATABASE_URL).
 */
import { ADMIN_AUTH, IDS, indicator, TAXII, type TestServer } from '../helpers/server';
import { act, auth, listAs, startReviewServer, submissionOf, submit } from './fixtures';

const CLEAR = 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

let s: TestServer;
let pending: string;
let approved: string;
beforeAll(async () => {
  s = await startReviewServer();
  await submit(s, 'alice', [indicator(1, { object_marking_refs: [CLEAR] }), indicator(2, { object_marking_refs: [CLEAR] })]);
  pending = await submissionOf(s, indicator(1).id as string);
  approved = await submissionOf(s, indicator(2).id as string);
  expect((await act(s, 'bob', 'approve', { submissions: [approved], note: 'vendor report' })).status).toBe(200);
});
afterAll(() => s.close());

const get = async (path: string, user?: string) => {
  const req = s.request().get(`/api1/review/${path}`).set('Accept', TAXII);
  if (user) req.set('Authorization', auth(user));
  const r = await req;
  return { status: r.status, body: JSON.parse(r.text), text: r.text };
};
const withoutErrorId = (body: any) => ({ ...body, error_id: undefined });
/** The same answer, but for the id itself, which the description repeats. */
const sameAnswer = (a: { status: number; body: any }, b: { status: number; body: any }, idA: string, idB: string) => {
  expect(a.status).toBe(b.status);
  expect(JSON.stringify(withoutErrorId(a.body)).split(idA).join('<id>')).toBe(JSON.stringify(withoutErrorId(b.body)).split(idB).join('<id>'));
};

describe('When a user without any right on the inbox names a submission', () => {
  test('Then showing an existing one answers as for an unknown id, a 404 that names no inbox', async () => {
    const existing = await get(`submissions/${pending}/`, 'mallory');
    const unknown = await get(`submissions/${UNKNOWN}/`, 'mallory');
    expect(existing.status).toBe(404);
    expect(existing.body).toMatchObject({ title: 'Not found', http_status: '404', description: expect.stringContaining(pending) });
    expect(existing.text).not.toContain(IDS.writable);
    sameAnswer(existing, unknown, pending, UNKNOWN);
  });

  test.each(['approve', 'reject', 'withdraw'] as const)('Then %s of an existing one answers as for an unknown id, and nothing changes', async (action) => {
    const body = (id: string) => ({ submissions: [id], reason: 'probe' });
    const existing = await act(s, 'mallory', action, body(pending));
    const unknown = await act(s, 'mallory', action, body(UNKNOWN));
    expect(existing.status).toBe(404);
    expect(JSON.stringify(existing.body)).not.toContain(IDS.writable);
    sameAnswer(existing, unknown, pending, UNKNOWN);
    expect((await listAs(s, 'bob', '?state=pending')).body.submissions.map((x: any) => x.id)).toEqual([pending]);
  });
});

test('When an anonymous caller names an existing or an unknown submission, Then both are the same 401', async () => {
  const existing = await get(`submissions/${pending}/`);
  const unknown = await get(`submissions/${UNKNOWN}/`);
  expect(existing.status).toBe(401);
  expect(existing.body.title).toBe('Authentication required');
  sameAnswer(existing, unknown, pending, UNKNOWN);
});

test('When a user without any right on the inbox lists submissions, Then a 404 that names no inbox', async () => {
  const r = await listAs(s, 'mallory');
  expect(r.status).toBe(404);
  expect(r.body).toMatchObject({ title: 'Not found', http_status: '404', description: expect.stringMatching(/no review inbox that you can see/) });
  expect(JSON.stringify(r.body)).not.toContain(IDS.writable);
});

test('When a partner who reads the published collection but not the inbox asks for provenance, Then it gets who approved, when and the note, but no submission id', async () => {
  const partner = await get(`provenance/?collection=public-feed&object=${indicator(2).id}`, 'mallory');
  expect(partner.status).toBe(200);
  expect(partner.body.provenance).toEqual([{ version: '2024-01-01T00:00:00.000Z', date_added: expect.any(String), approved_by: 'bob', approved_at: expect.any(String), note: 'vendor report' }]);
  expect(partner.text).not.toContain(approved);
  // A reader of the inbox may follow provenance to the submission.
  const reader = await get(`provenance/?collection=public-feed&object=${indicator(2).id}`, 'carol');
  expect(reader.body.provenance[0].submission).toBe(approved);
});

test('When a reviewer of one inbox mixes in the id of a submission in an inbox it may not see, Then that id is a 404 as if unknown; a reviewer of both is told to act on one inbox at a time', async () => {
  const two = await startReviewServer({
    inboxes: [
      { inbox: 'inbox', publishes_into: [{ collection: 'public-feed' }] },
      { inbox: 'private-feed', publishes_into: [{ collection: 'public-feed' }] },
    ],
  });
  try {
    await submit(two, 'alice', [indicator(1, { object_marking_refs: [CLEAR] })]);
    const r = await two.request().post('/api1/collections/private-feed/objects/').set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(JSON.stringify({ objects: [indicator(2, { object_marking_refs: [CLEAR] })] }));
    expect(r.status).toBe(202);
    const list = async (user: string, inbox: string) => JSON.parse((await two.request().get(`/api1/review/submissions/?inbox=${inbox}`).set('Accept', TAXII).set('Authorization', auth(user))).text).submissions;
    const inInbox = (await list('bob', 'inbox'))[0].id;
    const inPrivate = (await list('bob', 'private-feed'))[0].id;
    // carol reads the inbox but not private-feed.
    const mixed = await act(two, 'carol', 'reject', { submissions: [inInbox, inPrivate], reason: 'probe' });
    expect(mixed.status).toBe(404);
    expect(mixed.body.description).toContain(inPrivate);
    expect(mixed.body.description).not.toContain(inInbox);
    // bob reads both.
    const both = await act(two, 'bob', 'reject', { submissions: [inInbox, inPrivate], reason: 'probe' });
    expect(both.status).toBe(400);
    expect(both.body.description).toMatch(/one inbox/);
  } finally {
    await two.close();
  }
});
