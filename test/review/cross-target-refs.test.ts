/**
 * An indicator and the new identity it names (created_by_ref) approved together, when the inbox routes the
 * two types to different collections: the refusal must say what works, and what it says must work.
 * (SQLite, and PostgreSQL with TEST_DATABASE_URL.)
 */
import { indicator, TAXII, type TestServer } from '../helpers/server';
import { act, listAs, startReviewServer, submissionOf, submit, auth } from './fixtures';

const CLEAR = 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487';
const identity = {
  type: 'identity', spec_version: '2.1', id: 'identity--00000000-0000-4000-8000-0000000000a1', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z',
  name: 'New source', identity_class: 'organization', object_marking_refs: [CLEAR],
};

let s: TestServer;
beforeAll(async () => {
  s = await startReviewServer({ inboxes: [{ inbox: 'inbox', publishes_into: [{ collection: 'public-feed', types: ['indicator'] }, { collection: 'private-feed', types: ['identity'] }] }] });
});
afterAll(() => s.close());

const idsIn = async (collection: string) => {
  const r = await s.request().get(`/api1/collections/${collection}/objects/`).set('Accept', TAXII).set('Authorization', auth('bob'));
  return r.text === '{}' ? [] : JSON.parse(r.text).objects.map((o: any) => o.id).sort();
};

test('When both are approved and routed apart, Then the 409 says the identity is in the approval but goes elsewhere, and the ways it names work', async () => {
  const ind = indicator(1, { created_by_ref: identity.id, object_marking_refs: [CLEAR] });
  await submit(s, 'alice', [identity, ind]);
  const [idSub, indSub] = [await submissionOf(s, identity.id), await submissionOf(s, ind.id as string)];

  for (const includeReferenced of [false, true]) {
    const r = await act(s, 'bob', 'approve', { submissions: [idSub, indSub], include_referenced: includeReferenced });
    expect(r.status).toBe(409);
    expect(r.body.details).toEqual({ missing_refs: [identity.id] });
    expect(r.body.description).toContain(`${identity.id} (in this approval, going to private-feed)`);
    expect(r.body.description).toMatch(/name one collection for both with "into"/);
    expect(r.body.description).toMatch(/approve .* alone with include_referenced/);
  }
  expect((await listAs(s, 'bob', '?state=pending')).body.submissions).toHaveLength(2);

  // The second way it names: the indicator alone, with include_referenced, takes the identity with it.
  const ok = await act(s, 'bob', 'approve', { submissions: [indSub], include_referenced: true });
  expect(ok.status).toBe(200);
  expect(await idsIn('public-feed')).toEqual([identity.id, ind.id].sort());
});

test('When both are approved with one collection named, Then both are published there', async () => {
  const ind = indicator(2, { created_by_ref: identity.id.replace('a1', 'a2'), object_marking_refs: [CLEAR] });
  const other = { ...identity, id: identity.id.replace('a1', 'a2') };
  await submit(s, 'alice', [other, ind]);
  const r = await act(s, 'bob', 'approve', { submissions: [await submissionOf(s, other.id), await submissionOf(s, ind.id as string)], into: 'public-feed' });
  expect(r.status).toBe(200);
  expect(await idsIn('public-feed')).toEqual(expect.arrayContaining([other.id, ind.id]));
});
