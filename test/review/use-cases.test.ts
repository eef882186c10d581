/** ReviewService called directly (as the CLI does): approvals that bring in what they refer to, and routing. */
import type { Principal } from '../../src/taxii/access';
import { userPrincipalId } from '../../src/taxii/token-service';
import { IDS, indicator, type TestServer } from '../helpers/server';
import { startReviewServer, submissionOf, submit } from './fixtures';

let s: TestServer;
let bob: Principal;
beforeEach(async () => {
  s = await startReviewServer();
  const u = (await s.rt.stores.users.findByName('bob'))!;
  bob = { id: userPrincipalId(u.id), name: 'bob', kind: 'user', isAdmin: false, maxTlp: u.maxTlp };
});
afterEach(() => s.close());

const T = '2024-01-01T00:00:00.000Z';
const identity = (n: number, modified = T) => ({ type: 'identity', spec_version: '2.1', id: `identity--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, created: T, modified, name: `source ${n}`, identity_class: 'organization' });
const malware = { type: 'malware', spec_version: '2.1', id: 'malware--00000000-0000-4000-8000-000000000077', created: T, modified: T, name: 'AppleJeus', is_family: true };

test('When include_referenced is asked, Then what the approval refers to joins it, transitively, in the same target', async () => {
  const ind = indicator(1, { created_by_ref: identity(1).id });
  const rel = {
    type: 'relationship', spec_version: '2.1', id: 'relationship--00000000-0000-4000-8000-000000000088', created: T, modified: T,
    relationship_type: 'indicates', source_ref: ind.id, target_ref: malware.id,
  };
  await submit(s, 'alice', [identity(1), ind, malware, rel, identity(2)]);
  const relId = await submissionOf(s, rel.id);
  const done = await s.rt.services.review.approve(bob, 'api1', { submissions: [relId], into: 'private-feed', includeReferenced: true });
  expect(done.map((d) => d.stixId).sort()).toEqual([rel.id, ind.id, malware.id, identity(1).id].sort());
  expect(new Set(done.map((d) => d.into))).toEqual(new Set([IDS.private]));
  // identity 2 is referred to by nothing: it stays pending.
  const pending = await s.rt.services.review.list(bob, 'api1', { state: 'pending' });
  expect(pending.items.map((p) => p.stixId)).toEqual([identity(2).id]);
});

test('When the target already holds a referenced object, Then include_referenced leaves its pending new version alone', async () => {
  await submit(s, 'alice', [identity(3)]);
  await s.rt.services.review.approve(bob, 'api1', { submissions: [await submissionOf(s, identity(3).id)], into: 'private-feed' });
  await submit(s, 'alice', [identity(3, '2024-02-01T00:00:00.000Z'), indicator(2, { created_by_ref: identity(3).id })]);
  const done = await s.rt.services.review.approve(bob, 'api1', { submissions: [await submissionOf(s, indicator(2).id as string)], into: 'private-feed', includeReferenced: true });
  expect(done.map((d) => d.stixId)).toEqual([indicator(2).id]);
});

test('When no target is named, Then the inbox routes by type; a type no target lists needs one named', async () => {
  await submit(s, 'alice', [indicator(3), malware]);
  const [published] = await s.rt.services.review.approve(bob, 'api1', { submissions: [await submissionOf(s, indicator(3).id as string)] });
  expect(published!.into).toBe(IDS.public);
  await expect(s.rt.services.review.approve(bob, 'api1', { submissions: [await submissionOf(s, malware.id)] })).rejects.toMatchObject({ httpStatus: 400, description: expect.stringMatching(/Name the collection/) });
});

test('When the same version was already published another way, Then approving it succeeds without adding it again', async () => {
  await submit(s, 'alice', [indicator(4)]);
  await s.rt.services.objects.addObjects({ ...bob, isAdmin: true }, 'api1', 'public-feed', JSON.stringify({ objects: [indicator(4)] }));
  const [p] = await s.rt.services.review.approve(bob, 'api1', { submissions: [await submissionOf(s, indicator(4).id as string)] });
  expect(p).toMatchObject({ into: IDS.public, dateAddedUs: undefined });
  const [sub] = (await s.rt.services.review.list(bob, 'api1', { state: 'approved' })).items;
  expect(sub).toMatchObject({ state: 'approved', publishedInto: IDS.public, publishedDateAddedUs: undefined });
});

test('When two curators approve the same submission at the same moment, Then exactly one approval succeeds and the version is published once', async () => {
  await submit(s, 'alice', [indicator(5)]);
  const id = await submissionOf(s, indicator(5).id as string);
  const erin = (await s.rt.stores.users.findByName('erin'))!;
  const other: Principal = { id: userPrincipalId(erin.id), name: 'erin', kind: 'user', isAdmin: false, maxTlp: erin.maxTlp };
  const results = await Promise.allSettled([
    s.rt.services.review.approve(bob, 'api1', { submissions: [id] }),
    s.rt.services.review.approve(other, 'api1', { submissions: [id] }),
  ]);
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  expect(refused.reason).toMatchObject({ httpStatus: 409, details: { not_pending: { [id]: 'approved' } } });
  const page = await s.rt.stores.objects.page({ collectionId: IDS.public, filter: { versions: { all: true, last: false, first: false, keys: [] } }, limit: 10 });
  expect(page.map((o) => o.stixId)).toEqual([indicator(5).id]);
});
