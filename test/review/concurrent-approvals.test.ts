/** Approvals racing each other and a paging poller: every approved version reaches the poller exactly once. */
import { ADMIN_AUTH, envelope, indicator, TAXII, type TestServer } from '../helpers/server';
import { auth, listAs, startReviewServer } from './fixtures';

let s: TestServer;
beforeAll(async () => {
  s = await startReviewServer();
});
afterAll(() => s.close());

const N = 240;
const BATCH = 8;

async function http(method: string, path: string, user: string, body?: string): Promise<{ status: number; json: any; last?: string }> {
  const r = await fetch(s.url + path, { method, headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: auth(user) }, body });
  return { status: r.status, json: await r.json(), last: r.headers.get('x-taxii-date-added-last') ?? undefined };
}

test('When two curators approve overlapping batches while a poller pages the target with next and added_after, Then each approved version arrives exactly once, among versions posted meanwhile', async () => {
  // Two versions of some objects: each version is its own submission, approved oldest first within a batch.
  const objects = Array.from({ length: N }, (_, i) => indicator(1000 + i));
  const newer = objects.slice(0, 40).map((o) => ({ ...o, modified: '2024-06-01T00:00:00.000Z' }));
  for (let i = 0; i < objects.length; i += 60) expect((await http('POST', '/api1/collections/inbox/objects/', 'alice', envelope(objects.slice(i, i + 60)))).status).toBe(202);
  expect((await http('POST', '/api1/collections/inbox/objects/', 'alice', envelope(newer))).status).toBe(202);
  const submissions: Array<{ id: string; object_id: string; version: string }> = [];
  for (let q = '?limit=100'; ; ) {
    const { body } = await listAs(s, 'bob', q);
    submissions.push(...body.submissions);
    if (!body.more) break;
    q = `?limit=100&next=${body.next}`;
  }
  expect(submissions).toHaveLength(N + newer.length);
  // Batches in submission order; the second curator walks them from the other end, so they collide midway.
  // The first versions go first, the newer ones after (an older version than the published one is refused).
  const batchesOf = (list: typeof submissions) => {
    const out: string[][] = [];
    for (let i = 0; i < list.length; i += BATCH) out.push(list.slice(i, i + BATCH).map((x) => x.id));
    return out;
  };
  const first = batchesOf(submissions.slice(0, N));
  const second = batchesOf(submissions.slice(N));
  const approved = new Set<string>();
  const approver = (user: string, order: string[][]) => async () => {
    for (const b of order) {
      const r = await http('POST', '/api1/review/approve/', user, JSON.stringify({ submissions: b }));
      expect([200, 409]).toContain(r.status);
      if (r.status === 200) for (const a of r.json.approved) approved.add(`${a.object_id}@${a.version}`);
      await new Promise((res) => setImmediate(res));
    }
  };

  const seen: string[] = [];
  let approving = true;
  // An administrator posts straight into the target meanwhile: approvals and POSTs share one date_added sequence.
  const posted: string[] = [];
  const poster = async () => {
    for (let e = 0; e < 12; e++) {
      const objs = Array.from({ length: 5 }, (_, i) => indicator(5000 + e * 5 + i));
      const r = await fetch(`${s.url}/api1/collections/public-feed/objects/`, { method: 'POST', headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH }, body: envelope(objs) });
      expect(((await r.json()) as { success_count: number }).success_count).toBe(5);
      posted.push(...objs.map((o) => `${o.id}@${o.modified}`));
      await new Promise((res) => setImmediate(res));
    }
  };
  const both = Promise.all([
    (async () => {
      await Promise.all([approver('bob', first)(), approver('erin', [...first].reverse())()]);
      await Promise.all([approver('bob', second)(), approver('erin', [...second].reverse())()]);
    })(),
    poster(),
  ]).finally(() => (approving = false));
  let url = '/api1/collections/public-feed/objects/?match[version]=all&limit=7';
  for (let guard = 0; guard < 20_000; guard++) {
    const still = approving;
    const { json, last, status } = await http('GET', url, 'carol');
    expect(status).toBe(200);
    for (const o of json.objects ?? []) seen.push(`${o.id}@${o.modified}`);
    if (json.more) url = `/api1/collections/public-feed/objects/?limit=7&next=${encodeURIComponent(json.next)}`;
    else if (!still) break;
    else if (last) url = `/api1/collections/public-feed/objects/?match[version]=all&limit=7&added_after=${encodeURIComponent(last)}`;
  }
  await both;
  // Every submission was approved by one curator or the other, none twice.
  expect(approved.size).toBe(N + newer.length);
  expect(new Set(seen).size).toBe(seen.length);
  expect([...seen].sort()).toEqual([...approved, ...posted].sort());
  const pending = await listAs(s, 'bob', '?state=pending');
  expect(pending.body.submissions).toEqual([]);
});
