/**
 * Text that PostgreSQL cannot take (a NUL) or that it would silently alter (an unpaired UTF-16 surrogate) in a
 * reason, a note or a listing filter: a 400 saying what to fix, the same on SQLite and PostgreSQL, never a 500,
 * and nothing decided. (SQLite, and PostgreSQL with TEST_DATABASE_URL.)
 */
import { indicator, TAXII, type TestServer } from '../helpers/server';
import { act, auth, listAs, startReviewServer, submissionOf, submit } from './fixtures';

let s: TestServer;
let id: string;
beforeAll(async () => {
  s = await startReviewServer();
  await submit(s, 'alice', [indicator(1)]);
  id = await submissionOf(s, indicator(1).id as string);
});
afterAll(() => s.close());

const expect400 = (r: { status: number; body: any }, what: RegExp) => {
  expect(r.status).toBe(400);
  expect(r.body).toMatchObject({ title: 'Bad request', http_status: '400', description: expect.stringMatching(what) });
};

test.each([
  ['a NUL in a rejection reason', 'reject', { reason: 'no source\u0000' }, /reason/],
  ['an unpaired surrogate in a rejection reason', 'reject', { reason: 'no source \ud800' }, /reason/],
  ['a NUL in an approval note', 'approve', { note: 'checked\u0000' }, /note/],
] as const)('When %s is sent, Then 400 naming it, and the submission stays pending', async (_what, action, extra, what) => {
  expect400(await act(s, 'bob', action, { submissions: [id], ...extra }), what);
  expect((await listAs(s, 'bob', '?state=pending')).body.submissions.map((x: any) => x.id)).toEqual([id]);
});

test('When a rejection reason holds line breaks and tabs, Then they are kept', async () => {
  await submit(s, 'alice', [indicator(2)]);
  const other = await submissionOf(s, indicator(2).id as string);
  const r = await act(s, 'bob', 'reject', { submissions: [other], reason: 'two problems:\n\t- no source\n\t- stale' });
  expect(r.status).toBe(200);
  expect(r.body.rejected[0].reason).toBe('two problems:\n\t- no source\n\t- stale');
});

test.each(['submitter=ali%00ce', 'type=indi%00cator'])('When a listing filter holds a NUL (%s), Then 400 naming the filter', async (q) => {
  expect400(await listAs(s, 'bob', `?${q}`), new RegExp(q.split('=')[0]!));
});

test('When provenance is asked for an object id holding a NUL, Then 400', async () => {
  const r = await s.request().get('/api1/review/provenance/?collection=public-feed&object=indicator--%00').set('Accept', TAXII).set('Authorization', auth('bob'));
  expect400({ status: r.status, body: JSON.parse(r.text) }, /object/);
});
