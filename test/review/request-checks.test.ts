/** Review requests that cannot mean what they say are refused with what to send, never served as something else. */
import { indicator, type TestServer } from '../helpers/server';
import { act, listAs, startReviewServer, submissionOf, submit } from './fixtures';

const CLEAR = 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487';

let s: TestServer;
beforeAll(async () => {
  s = await startReviewServer();
  await submit(s, 'alice', [indicator(1, { object_marking_refs: [CLEAR] }), indicator(2, { object_marking_refs: [CLEAR] })]);
  expect((await act(s, 'bob', 'approve', { submissions: [await submissionOf(s, indicator(2).id as string)] })).status).toBe(200);
});
afterAll(() => s.close());

test.each(['state=pending&state=approved', 'type=indicator&type=malware', 'limit=1&limit=2', 'submitter=alice&submitter=erin'])(
  'When a listing filter is given more than once (%s), Then 400 saying to send it once, comma-separated, rather than a listing without that filter',
  async (q) => {
    const r = await listAs(s, 'bob', `?${q}`);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ title: 'Bad request', http_status: '400', description: expect.stringMatching(/once/) });
  },
);

test('When include_referenced is not a boolean, Then 400 and nothing is approved', async () => {
  const id = await submissionOf(s, indicator(1).id as string);
  const r = await act(s, 'bob', 'approve', { submissions: [id], include_referenced: 'yes' });
  expect(r.status).toBe(400);
  expect(r.body.description).toMatch(/include_referenced must be true or false/);
  expect((await listAs(s, 'bob', '?state=pending')).body.submissions.map((x: any) => x.id)).toEqual([id]);
});
