import type { Tlp } from '../../src/config/config';
import { hashPassword } from '../../src/taxii/services/auth-service';
import { userPrincipalId } from '../../src/taxii/token-service';
import { basic, envelope, IDS, startTestServer, TAXII, testConfigDoc, type TestServer } from '../helpers/server';

export const PASSWORD = 'review-password-1';

/** The test API root with `inbox` as a review inbox publishing indicators into public-feed and anything into private-feed. */
export function reviewConfigDoc(review: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...testConfigDoc(),
    review: {
      four_eyes: true,
      inboxes: [{ inbox: 'inbox', publishes_into: [{ collection: 'public-feed', types: ['indicator'] }, { collection: 'private-feed' }] }],
      ...review,
    },
  };
}

export type Right = 'read' | 'write' | 'curate';

/** Users of the review tests: who may do what. */
export const USERS: Record<string, { tlp: Tlp; grants: Record<string, Right[]> }> = {
  // Posts to the inbox; may not read it.
  alice: { tlp: 'amber', grants: { [IDS.writable]: ['write'] } },
  // A second submitter who is also a curator of both targets.
  erin: { tlp: 'amber', grants: { [IDS.writable]: ['read', 'write'], [IDS.public]: ['curate'], [IDS.private]: ['curate'] } },
  // The reviewing curator.
  bob: { tlp: 'amber', grants: { [IDS.writable]: ['read'], [IDS.public]: ['curate'], [IDS.private]: ['read', 'curate'] } },
  // Reads the inbox, curates nothing.
  carol: { tlp: 'amber', grants: { [IDS.writable]: ['read'] } },
  // Reads the inbox at TLP:CLEAR only.
  dave: { tlp: 'clear', grants: { [IDS.writable]: ['read'], [IDS.public]: ['curate'] } },
  // No grant at all.
  mallory: { tlp: 'red', grants: {} },
};

export const auth = (user: string) => basic(user, PASSWORD);

export async function startReviewServer(review: Record<string, unknown> = {}): Promise<TestServer> {
  const s = await startTestServer({ doc: reviewConfigDoc(review) });
  for (const [name, u] of Object.entries(USERS)) {
    const created = await s.rt.stores.users.upsert({ username: name, passwordHash: await hashPassword(PASSWORD), isAdmin: false, maxTlp: u.tlp });
    for (const [collection, rights] of Object.entries(u.grants)) {
      await s.rt.stores.principals.grant(userPrincipalId(created.id), collection, { read: rights.includes('read'), write: rights.includes('write'), curate: rights.includes('curate') });
    }
  }
  return s;
}

/** Posts objects to the inbox as `user`; returns the status resource. */
export async function submit(s: TestServer, user: string, objects: unknown[]): Promise<{ id: string; success_count: number; failures: unknown[] }> {
  const r = await s.request().post(`/api1/collections/inbox/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', auth(user)).send(envelope(objects));
  if (r.status !== 202) throw new Error(`POST to the inbox: ${r.status} ${r.text}`);
  return JSON.parse(r.text);
}

export async function listAs(s: TestServer, user: string | undefined, query = ''): Promise<{ status: number; body: any }> {
  const req = s.request().get(`/api1/review/submissions/${query}`).set('Accept', TAXII);
  if (user) req.set('Authorization', auth(user));
  const r = await req;
  return { status: r.status, body: JSON.parse(r.text) };
}

/** The id of the pending submission of one object version. */
export async function submissionOf(s: TestServer, stixId: string, version?: string): Promise<string> {
  const r = await listAs(s, 'bob', '?limit=1000');
  const found = r.body.submissions.filter((x: any) => x.object_id === stixId && (!version || x.version === version));
  if (!found.length) throw new Error(`no submission for ${stixId}`);
  return found[found.length - 1].id;
}

export async function act(s: TestServer, user: string, action: 'approve' | 'reject' | 'withdraw', body: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const r = await s.request().post(`/api1/review/${action}/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', auth(user)).send(JSON.stringify(body));
  return { status: r.status, body: JSON.parse(r.text) };
}
