/** Each state transition and each refusal of the review workflow, over HTTP (SQLite, and PostgreSQL with TEST_DATABASE_URL). */
import { ADMIN_AUTH, IDS, indicator, TAXII, type TestServer } from '../helpers/server';
import { act, auth, listAs, startReviewServer, submissionOf, submit } from './fixtures';

let s: TestServer;
beforeEach(async () => {
  s = await startReviewServer();
});
afterEach(() => s.close());

const objectsOf = async (collection: string, user?: string) => {
  const req = s.request().get(`/api1/collections/${collection}/objects/?match[version]=all`).set('Accept', TAXII);
  if (user) req.set('Authorization', auth(user));
  const r = await req;
  return { text: r.text, body: JSON.parse(r.text), last: r.headers['x-taxii-date-added-last'] };
};
const statusOf = async (id: string, user: string) => JSON.parse((await s.request().get(`/api1/status/${id}/`).set('Accept', TAXII).set('Authorization', auth(user))).text);

describe('transitions', () => {
  test('When a writer posts to the inbox, Then each stored version becomes a pending submission with its submitter, status id and time', async () => {
    const before = Date.now();
    const status = await submit(s, 'alice', [indicator(1), indicator(2)]);
    const { body } = await listAs(s, 'bob');
    expect(body.more).toBe(false);
    expect(body.submissions).toHaveLength(2);
    for (const sub of body.submissions) {
      expect(sub).toMatchObject({ state: 'pending', submitted_by: 'alice', status_id: status.id, inbox: IDS.writable, object_type: 'indicator', version: '2024-01-01T00:00:00.000Z' });
      expect(Date.parse(sub.submitted_at)).toBeGreaterThanOrEqual(before - 1000);
    }
    // Re-posting the same version stores nothing, so it submits nothing.
    await submit(s, 'alice', [indicator(1)]);
    expect((await listAs(s, 'bob')).body.submissions).toHaveLength(2);
  });

  test('When a second curator approves, Then the exact stored bytes reach the target with provenance, and the status, submission and audit log say so', async () => {
    const raw = JSON.stringify(indicator(3), null, 1).replace('"name"', '"name"  ');
    const r = await s.request().post('/api1/collections/inbox/objects/').set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', auth('alice')).send(`{"objects":[${raw}]}`);
    const status = JSON.parse(r.text);
    const id = await submissionOf(s, indicator(3).id as string);
    const approved = await act(s, 'bob', 'approve', { submissions: [id], note: 'checked against the vendor report' });
    expect(approved.status).toBe(200);
    expect(approved.body.approved).toEqual([expect.objectContaining({ submission: id, object_id: indicator(3).id, published_into: IDS.public })]);
    const published = await objectsOf('public-feed');
    // Served exactly as posted: the same bytes, odd whitespace included.
    expect(published.text).toContain(raw);
    expect(published.last).toBeDefined();
    const sub = JSON.parse((await s.request().get(`/api1/review/submissions/${id}/`).set('Accept', TAXII).set('Authorization', auth('bob'))).text);
    expect(sub).toMatchObject({ state: 'approved', decided_by: 'bob', note: 'checked against the vendor report', published_into: IDS.public, date_added: approved.body.approved[0].date_added });
    expect((await statusOf(status.id, 'alice')).successes[0].message).toMatch(/^stored; review: approved by bob into 6f6b1e7e-4c1a-4b55-9d49-2f3f7c6b0a01 \(checked against the vendor report\)$/);
    const prov = await s.request().get(`/api1/review/provenance/?collection=public-feed&object=${indicator(3).id}`).set('Accept', TAXII).set('Authorization', auth('carol'));
    expect(JSON.parse(prov.text)).toEqual({
      object_id: indicator(3).id,
      provenance: [{ version: '2024-01-01T00:00:00.000Z', date_added: approved.body.approved[0].date_added, submission: id, approved_by: 'bob', approved_at: expect.any(String), note: 'checked against the vendor report' }],
    });
    // Who vetted what is not for anonymous pollers, even of a public collection.
    expect((await s.request().get(`/api1/review/provenance/?collection=public-feed&object=${indicator(3).id}`).set('Accept', TAXII)).status).toBe(401);
    const audit = await s.rt.services.audit.list({ limit: 10 });
    expect(audit.find((e) => e.action === 'review.approve')).toMatchObject({ actor: expect.stringContaining('bob'), details: { published: [expect.objectContaining({ submission: id })] } });
  });

  test('When a curator rejects with a reason, Then the submitter reads it on the submission and in the status of its POST, and nothing is published', async () => {
    const status = await submit(s, 'erin', [indicator(4)]);
    const id = await submissionOf(s, indicator(4).id as string);
    const r = await act(s, 'bob', 'reject', { submissions: [id], reason: 'no source for this address' });
    expect(r.status).toBe(200);
    expect(r.body.rejected[0]).toMatchObject({ id, state: 'rejected', reason: 'no source for this address', decided_by: 'bob' });
    const mine = await listAs(s, 'erin', '?state=rejected');
    expect(mine.body.submissions.map((x: any) => [x.id, x.reason])).toEqual([[id, 'no source for this address']]);
    expect((await statusOf(status.id, 'erin')).successes[0].message).toBe('stored; review: rejected by bob: no source for this address');
    expect((await objectsOf('public-feed')).text).toBe('{}');
    expect((await s.rt.services.audit.list({ limit: 5 })).some((e) => e.action === 'review.reject' && e.details?.reason === 'no source for this address')).toBe(true);
  });

  test('When the submitter withdraws a pending submission, Then it is withdrawn; nobody else may withdraw it, and a withdrawn one cannot be approved', async () => {
    await submit(s, 'alice', [indicator(5)]);
    const id = await submissionOf(s, indicator(5).id as string);
    const other = await act(s, 'bob', 'withdraw', { submissions: [id] });
    expect(other.status).toBe(403);
    expect(other.body.description).toMatch(/Only the submitter may withdraw/);
    const r = await act(s, 'alice', 'withdraw', { submissions: [id] });
    expect(r.status).toBe(200);
    expect(r.body.withdrawn[0]).toMatchObject({ id, state: 'withdrawn', decided_by: 'alice' });
    const again = await act(s, 'bob', 'approve', { submissions: [id] });
    expect(again.status).toBe(409);
    expect(again.body.description).toMatch(/already withdrawn/);
    expect((await s.rt.services.audit.list({ limit: 5 })).some((e) => e.action === 'review.withdraw')).toBe(true);
  });
});

describe('refusals', () => {
  test('When a submission is approved twice, Then the second approval is a 409 and the object is published once', async () => {
    await submit(s, 'alice', [indicator(10)]);
    const id = await submissionOf(s, indicator(10).id as string);
    expect((await act(s, 'bob', 'approve', { submissions: [id] })).status).toBe(200);
    const twice = await act(s, 'bob', 'approve', { submissions: [id] });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ title: 'Conflict', http_status: '409', details: { not_pending: { [id]: 'approved' } } });
    expect((await objectsOf('public-feed')).body.objects).toHaveLength(1);
  });

  test('When an approved object refers to objects neither in the target nor in the approval, Then it is refused with the missing ids; approved together on request', async () => {
    const identity = { type: 'identity', spec_version: '2.1', id: 'identity--00000000-0000-4000-8000-0000000000aa', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', name: 'Source', identity_class: 'organization' };
    const ind = indicator(11, { created_by_ref: identity.id, object_marking_refs: ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'] });
    const rel = {
      type: 'relationship', spec_version: '2.1', id: 'relationship--00000000-0000-4000-8000-0000000000bb', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z',
      relationship_type: 'indicates', source_ref: ind.id, target_ref: 'malware--00000000-0000-4000-8000-0000000000cc',
    };
    await submit(s, 'alice', [identity, ind, rel]);
    const indId = await submissionOf(s, ind.id as string);
    const refused = await act(s, 'bob', 'approve', { submissions: [indId] });
    expect(refused.status).toBe(409);
    // The TLP:CLEAR marking definition is predefined and never missing.
    expect(refused.body.details).toEqual({ missing_refs: [identity.id] });
    expect(refused.body.description).toMatch(/include_referenced/);
    expect((await listAs(s, 'bob', '?state=pending')).body.submissions).toHaveLength(3);

    const together = await act(s, 'bob', 'approve', { submissions: [indId], include_referenced: true });
    expect(together.status).toBe(200);
    expect(together.body.approved.map((a: any) => a.object_id).sort()).toEqual([identity.id, ind.id].sort());
    const ids = (await objectsOf('public-feed')).body.objects.map((o: any) => o.id);
    expect(ids.sort()).toEqual([identity.id, ind.id].sort());

    // The relationship's malware is nowhere: even on request it cannot be approved.
    const relId = await submissionOf(s, rel.id);
    const dangling = await act(s, 'bob', 'approve', { submissions: [relId], into: 'public-feed', include_referenced: true });
    expect(dangling.status).toBe(409);
    expect(dangling.body.details.missing_refs).toEqual(['malware--00000000-0000-4000-8000-0000000000cc']);
  });

  test('When a version older than the published one is approved, Then it is refused', async () => {
    await submit(s, 'alice', [indicator(12, { modified: '2024-03-01T00:00:00.000Z' }), indicator(12, { modified: '2024-02-01T00:00:00.000Z' })]);
    const newer = await submissionOf(s, indicator(12).id as string, '2024-03-01T00:00:00.000Z');
    const older = await submissionOf(s, indicator(12).id as string, '2024-02-01T00:00:00.000Z');
    expect((await act(s, 'bob', 'approve', { submissions: [newer] })).status).toBe(200);
    const r = await act(s, 'bob', 'approve', { submissions: [older] });
    expect(r.status).toBe(409);
    expect(r.body.description).toMatch(/older than the version already published/);
    expect((await listAs(s, 'bob', '?state=pending')).body.submissions.map((x: any) => x.id)).toEqual([older]);
  });

  test('When a curator approves its own submission under the four-eyes rule, Then 403; another curator may', async () => {
    await submit(s, 'erin', [indicator(13)]);
    const id = await submissionOf(s, indicator(13).id as string);
    const own = await act(s, 'erin', 'approve', { submissions: [id] });
    expect(own.status).toBe(403);
    expect(own.body.description).toMatch(/Four-eyes/);
    expect((await act(s, 'bob', 'approve', { submissions: [id] })).status).toBe(200);
  });

  test('When the approver lacks the curator right on the target, Then 403 and nothing changes', async () => {
    // Marked TLP:CLEAR, so that dave (cleared for TLP:CLEAR only) sees it.
    await submit(s, 'alice', [indicator(14, { object_marking_refs: ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'] })]);
    const id = await submissionOf(s, indicator(14).id as string);
    const r = await act(s, 'carol', 'approve', { submissions: [id] });
    expect(r.status).toBe(403);
    expect(r.body.description).toMatch(/curator right/);
    expect((await act(s, 'carol', 'reject', { submissions: [id], reason: 'x' })).status).toBe(403);
    // dave curates public-feed only, so private-feed is out of reach.
    expect((await act(s, 'dave', 'approve', { submissions: [id], into: 'private-feed' })).status).toBe(403);
    expect((await listAs(s, 'bob', '?state=pending')).body.submissions.map((x: any) => x.id)).toEqual([id]);
  });

  test('When the target cannot be told from the type and none is named, or a rejection has no reason, Then 400 with what to send', async () => {
    const ip = { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--5a2d2fd6-4c6e-5b4f-9ac0-5c7c0f0e7a11', value: '175.45.178.19' };
    await submit(s, 'alice', [ip]);
    const id = await submissionOf(s, ip.id);
    const r = await act(s, 'bob', 'approve', { submissions: [id] });
    expect(r.status).toBe(400);
    expect(r.body.description).toMatch(/Name the collection/);
    expect((await act(s, 'bob', 'approve', { submissions: [id], into: 'inbox' })).status).toBe(400);
    expect((await act(s, 'bob', 'reject', { submissions: [id] })).body.description).toMatch(/needs a reason/);
    expect((await act(s, 'bob', 'approve', { submissions: [] })).status).toBe(400);
    const ok = await act(s, 'bob', 'approve', { submissions: [id], into: 'private-feed' });
    expect(ok.status).toBe(200);
    expect((await objectsOf('private-feed', 'bob')).body.objects.map((o: any) => o.id)).toEqual([ip.id]);
  });

  test('When an approval fails one rule, Then none of its submissions is approved (one transaction)', async () => {
    await submit(s, 'alice', [indicator(15), indicator(16, { created_by_ref: 'identity--00000000-0000-4000-8000-0000000000dd' })]);
    const a = await submissionOf(s, indicator(15).id as string);
    const b = await submissionOf(s, indicator(16).id as string);
    expect((await act(s, 'bob', 'approve', { submissions: [a, b] })).status).toBe(409);
    expect((await listAs(s, 'bob', '?state=pending')).body.submissions).toHaveLength(2);
    expect((await objectsOf('public-feed')).text).toBe('{}');
  });
});

test('When the four-eyes rule is off, Then a curator may approve its own submission', async () => {
  await s.close();
  s = await startReviewServer({ four_eyes: false });
  await submit(s, 'erin', [indicator(20)]);
  const id = await submissionOf(s, indicator(20).id as string);
  expect((await act(s, 'erin', 'approve', { submissions: [id] })).status).toBe(200);
  // An administrator has every right, the curator right included.
  await submit(s, 'alice', [indicator(21)]);
  const r = await s.request().post('/api1/review/approve/').set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(JSON.stringify({ submissions: [await submissionOf(s, indicator(21).id as string)] }));
  expect(r.status).toBe(200);
});
