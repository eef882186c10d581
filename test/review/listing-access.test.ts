/** Grants and TLP clearance apply to review listings exactly as to TAXII reads, inside the queries. */
import { indicator, TAXII, type TestServer } from '../helpers/server';
import { act, auth, listAs, startReviewServer, submit } from './fixtures';

const CLEAR = 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487';
const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';

let s: TestServer;
beforeAll(async () => {
  s = await startReviewServer();
  // alice: two TLP:CLEAR, one TLP:AMBER, one unmarked (the inbox has no default_tlp: TLP:AMBER); erin: one TLP:CLEAR.
  await submit(s, 'alice', [
    indicator(1, { object_marking_refs: [CLEAR] }),
    indicator(2, { object_marking_refs: [AMBER] }),
    indicator(3, { object_marking_refs: [CLEAR] }),
    indicator(4),
  ]);
  await submit(s, 'erin', [indicator(5, { object_marking_refs: [CLEAR] })]);
});
afterAll(() => s.close());

const ids = (body: any) => body.submissions.map((x: any) => x.object_id);
const id = (n: number) => indicator(n).id;

test('When a reader cleared for TLP:AMBER lists, Then every submission is listed', async () => {
  expect(ids((await listAs(s, 'carol')).body)).toEqual([1, 2, 3, 4, 5].map(id));
});

test('When a reader cleared for TLP:CLEAR lists, Then versions above its clearance are left out, and pages stay full and exact', async () => {
  expect(ids((await listAs(s, 'dave')).body)).toEqual([1, 3, 5].map(id));
  // One per page: each page holds a visible submission, and `more` is false on the last visible one.
  const seen: string[] = [];
  let q = '?limit=1';
  for (let i = 0; i < 10; i++) {
    const { body } = await listAs(s, 'dave', q);
    expect(body.submissions).toHaveLength(1);
    seen.push(...ids(body));
    if (!body.more) break;
    q = `?limit=1&next=${body.next}`;
  }
  expect(seen).toEqual([1, 3, 5].map(id));
});

test('When a reader cleared for TLP:CLEAR asks for a TLP:AMBER submission by id, or acts on it, Then 404 as for an object it may not see', async () => {
  const amber = (await listAs(s, 'carol')).body.submissions.find((x: any) => x.object_id === id(2)).id;
  const r = await s.request().get(`/api1/review/submissions/${amber}/`).set('Accept', TAXII).set('Authorization', auth('dave'));
  expect(r.status).toBe(404);
  expect((await act(s, 'dave', 'approve', { submissions: [amber] })).status).toBe(404);
});

test('When a writer without read on the inbox lists, Then only its own submissions are listed', async () => {
  expect(ids((await listAs(s, 'alice')).body)).toEqual([1, 2, 3, 4].map(id));
  const erins = (await listAs(s, 'carol')).body.submissions.find((x: any) => x.object_id === id(5)).id;
  expect((await s.request().get(`/api1/review/submissions/${erins}/`).set('Accept', TAXII).set('Authorization', auth('alice'))).status).toBe(404);
});

test('When a principal without a grant on the inbox lists, Then 404 (401 when anonymous), as for reading the inbox', async () => {
  const none = await listAs(s, 'mallory');
  expect(none.status).toBe(404);
  expect(none.body).toMatchObject({ title: 'Not found', http_status: '404' });
  expect((await listAs(s, undefined)).status).toBe(401);
});

test('When listings are filtered by state, type and submitter, Then only matching submissions are listed; a bad filter is a 400', async () => {
  expect(ids((await listAs(s, 'carol', '?submitter=erin')).body)).toEqual([id(5)]);
  expect(ids((await listAs(s, 'carol', '?type=malware')).body)).toEqual([]);
  expect(ids((await listAs(s, 'carol', '?state=approved,rejected')).body)).toEqual([]);
  const bad = await listAs(s, 'carol', '?state=done');
  expect(bad.status).toBe(400);
  expect(bad.body.description).toMatch(/pending, approved, rejected, withdrawn/);
  expect((await listAs(s, 'carol', '?next=garbage!')).status).toBe(400);
});
