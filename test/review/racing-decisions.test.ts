/**
 * Decisions that race on the same submissions: an approval, a rejection and a withdrawal sent at the same
 * moment, and batches that overlap. Exactly one decision wins per submission, the losers get a 409 naming
 * what won, nothing is published twice, and no answer is a 500 (SQLite, and PostgreSQL with TEST_DATABASE_URL).
 */
import { indicator, TAXII, type TestServer } from '../helpers/server';
import { act, auth, listAs, startReviewServer, submissionOf, submit } from './fixtures';

const CLEAR = 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487';

let s: TestServer;
beforeAll(async () => {
  s = await startReviewServer();
});
afterAll(() => s.close());

const published = async () => {
  const r = await s.request().get('/api1/collections/public-feed/objects/?match[version]=all&limit=1000').set('Accept', TAXII).set('Authorization', auth('bob'));
  return r.text === '{}' ? [] : (JSON.parse(r.text).objects as Array<{ id: string }>).map((o) => o.id);
};

test('When an approval, a rejection and a withdrawal of one submission are sent at once, Then exactly one wins and the others are 409s naming it', async () => {
  for (let n = 0; n < 6; n++) {
    await submit(s, 'alice', [indicator(100 + n, { object_marking_refs: [CLEAR] })]);
    const id = await submissionOf(s, indicator(100 + n).id as string);
    const answers = await Promise.all([
      act(s, 'bob', 'approve', { submissions: [id] }),
      act(s, 'erin', 'reject', { submissions: [id], reason: 'duplicate of an older report' }),
      act(s, 'alice', 'withdraw', { submissions: [id] }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    const state = (await listAs(s, 'bob', '?state=approved,rejected,withdrawn&limit=1000')).body.submissions.find((x: any) => x.id === id).state;
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body).toMatchObject({ title: 'Conflict', http_status: '409', details: { not_pending: { [id]: state } } });
    }
    expect((await published()).filter((x) => x === indicator(100 + n).id)).toHaveLength(state === 'approved' ? 1 : 0);
  }
});

test('When two curators approve overlapping batches at once, Then one batch wins whole, the other changes nothing, and each version is published once', async () => {
  const objects = [1, 2, 3, 4].map((k) => indicator(200 + k, { object_marking_refs: [CLEAR] }));
  await submit(s, 'alice', objects);
  const ids = await Promise.all(objects.map((o) => submissionOf(s, o.id as string)));
  const [a, b] = await Promise.all([act(s, 'bob', 'approve', { submissions: [ids[0], ids[1], ids[2]] }), act(s, 'erin', 'approve', { submissions: [ids[3], ids[2], ids[1]] })]);
  expect([a.status, b.status].sort()).toEqual([200, 409]);
  const winner = a.status === 200 ? [ids[0], ids[1], ids[2]] : [ids[3], ids[2], ids[1]];
  const pending = (await listAs(s, 'bob', '?state=pending&limit=1000')).body.submissions.map((x: any) => x.id);
  expect(pending.sort()).toEqual(ids.filter((i) => !winner.includes(i)).sort());
  const ours = (await published()).filter((x) => objects.some((o) => o.id === x));
  expect(ours.sort()).toEqual(objects.filter((_, k) => winner.includes(ids[k]!)).map((o) => o.id as string).sort());
});

test('When an approval and a rejection of overlapping batches from two POSTs race, Then one wins whole and no answer is a 500', async () => {
  for (let n = 0; n < 4; n++) {
    const first = [1, 2, 3].map((k) => indicator(300 + 10 * n + k, { object_marking_refs: [CLEAR] }));
    const second = [4, 5, 6].map((k) => indicator(300 + 10 * n + k, { object_marking_refs: [CLEAR] }));
    await submit(s, 'alice', first);
    await submit(s, 'alice', second);
    const ids = await Promise.all([...first, ...second].map((o) => submissionOf(s, o.id as string)));
    const [a, r] = await Promise.all([
      act(s, 'bob', 'approve', { submissions: [ids[0], ids[3], ids[4]] }),
      act(s, 'erin', 'reject', { submissions: [ids[5], ids[4], ids[1], ids[0]], reason: 'stale' }),
    ]);
    expect([a.status, r.status].sort()).toEqual([200, 409]);
  }
});
