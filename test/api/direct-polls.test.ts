/**
 * The direct lane for polls (src/http/direct-routes.ts) answers exactly as express's router does: two
 * servers on one database, one with the lane and one without, get the same requests in the same order;
 * their statuses, headers, bodies, request log lines and metrics must be the same, for answers, refusals
 * of every kind and rate limits.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { ADMIN, ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

interface Side {
  s: TestServer;
  lines: Array<Record<string, unknown>>;
}

async function side(opts: { directPolls: boolean; databaseUrl?: string; env?: Record<string, string> }): Promise<Side> {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  const s = await startTestServer({ databaseUrl: opts.databaseUrl, env: opts.env, runtime: { log: pino({ level: 'trace' }, sink), processMetrics: false, directPolls: opts.directPolls } });
  return { s, lines };
}

type Req = { method?: 'get' | 'head' | 'post'; path: string; headers?: Record<string, string>; body?: string };

/** What a response must share with its twin: status, body and headers but the per-request ones. */
async function answer(s: TestServer, r: Req): Promise<Record<string, unknown>> {
  let t = s.request()[r.method ?? 'get'](r.path).set({ Accept: TAXII, ...r.headers });
  if (r.body !== undefined) t = t.send(r.body);
  const res = await t;
  const headers = { ...res.headers } as Record<string, string>;
  delete headers.date;
  delete headers['x-request-id'];
  if (headers.ratelimit) headers.ratelimit = headers.ratelimit.replace(/reset=\d+/, 'reset=*');
  // Error resources carry an id of their own.
  return { status: res.status, headers, body: res.text?.replace(/"error_id":"[^"]+"/, '"error_id":"*"') };
}

/** The request log lines written since `from`, without what differs between two servers by nature. */
function logged(side: Side, from: number): unknown[] {
  return side.lines
    .slice(from)
    .filter((l) => l.route !== undefined)
    .map(({ request_id, duration_ms, time, pid, hostname, ...rest }) => {
      expect(typeof request_id).toBe('string');
      expect(typeof duration_ms).toBe('number');
      return rest;
    });
}

/** The request, poll and authentication counters (and the latency histogram's counts) by series. */
async function counters(s: TestServer): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const l of (await s.rt.metrics.text()).split('\n')) {
    const m = /^((?:taxii_http_requests_total|taxii_http_request_duration_seconds_count|taxii_polls_total|taxii_objects_served_total|taxii_auth_failures_total|taxii_http_requests_in_flight)\b\S*) (\S+)$/.exec(l);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

function delta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of after) if (v !== (before.get(k) ?? 0)) out[k] = v - (before.get(k) ?? 0);
  return out;
}

async function compare(a: Side, b: Side, requests: Req[]): Promise<void> {
  const [logA, logB] = [a.lines.length, b.lines.length];
  const [metA, metB] = [await counters(a.s), await counters(b.s)];
  for (const r of requests) {
    const [x, y] = [await answer(a.s, r), await answer(b.s, r)];
    expect({ request: r, ...x }).toEqual({ request: r, ...y });
  }
  expect(logged(a, logA)).toEqual(logged(b, logB));
  expect(logged(a, logA)).toHaveLength(requests.length);
  const [dA, dB] = [delta(metA, await counters(a.s)), delta(metB, await counters(b.s))];
  expect(dA).toEqual(dB);
  expect(Object.keys(dA).length).toBeGreaterThan(0);
}

const P = `/api1/collections/${IDS.public}`;
const W = `/api1/collections/${IDS.writable}`;

describe('polls through the direct lane and through the router', () => {
  let lane: Side;
  let router: Side;
  let token = '';
  let etag = '';
  let next = '';
  let last = '';

  beforeAll(async () => {
    lane = await side({ directPolls: true });
    router = await side({ directPolls: false, databaseUrl: lane.s.databaseUrl });
    const admin = await lane.s.rt.stores.users.findByName(ADMIN.user);
    token = (await lane.s.rt.services.tokens.create({ name: 'siem', userId: admin!.id })).secret;
    // The same requests to both, so that their rate limits have counted alike (the second POST stores nothing).
    for (const { s } of [lane, router]) {
      for (const c of [IDS.public, IDS.writable]) {
        const r = await s.request().post(`/api1/collections/${c}/objects/`).set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH }).send(envelope([1, 2, 3, 4, 5].map((n) => indicator(n))));
        expect(r.status).toBe(202);
      }
      const first = await s.request().get(`${P}/objects/?limit=2`).set({ Accept: TAXII });
      etag = first.headers.etag!;
      next = first.body.next;
      const all = await s.request().get(`${P}/objects/`).set({ Accept: TAXII });
      last = all.headers['x-taxii-date-added-last']!;
    }
    expect(etag && next && last).toBeTruthy();
  });
  afterAll(async () => {
    await router?.s.close();
    await lane?.s.close();
  });

  test('When the same answered polls are made to both, Then both give the same statuses, headers, bodies, log lines and metrics', async () => {
    await compare(lane, router, [
      { path: `${P}/objects/` },
      { path: `${P}/objects/?limit=2` },
      { path: `${P}/objects/?limit=2&next=${encodeURIComponent(next)}` },
      { path: `${P}/objects/?added_after=${encodeURIComponent(last)}` },
      { path: `${P}/manifest/?match[type]=indicator` },
      { path: `/api1/collections/public-feed/objects/?limit=1` },
      { path: `${W}/objects/`, headers: { Authorization: ADMIN_AUTH } },
      { path: `${W}/manifest/`, headers: { Authorization: `Bearer ${token}` } },
      { path: `${W}/objects/?added_after=${encodeURIComponent(last)}`, headers: { Authorization: basic('', token) } },
      { path: `${P}/objects/?limit=2`, headers: { 'If-None-Match': etag } },
      { path: `${P}/objects/?limit=2`, headers: { 'If-None-Match': '"other"' } },
    ]);
  });

  test('When polls are refused (credentials, access, Accept, query, unknown collection or root), Then both refuse them alike', async () => {
    await compare(lane, router, [
      { path: `${W}/objects/`, headers: { Authorization: basic(ADMIN.user, 'wrong-password-1') } },
      { path: `${W}/objects/`, headers: { Authorization: 'Bearer taxii_nonsense' } },
      { path: `${W}/objects/` },
      { path: `/api1/collections/${IDS.private}/manifest/` },
      { path: `${P}/objects/`, headers: { Accept: 'text/html' } },
      { path: `${P}/objects/?added_after=yesterday` },
      { path: `${P}/objects/?limit=0` },
      { path: `${P}/objects/?next=forged` },
      { path: `${P}/objects/?match[version]=sometimes` },
      { path: `/api1/collections/no-such-collection/objects/` },
      { path: `/nowhere/collections/${IDS.public}/objects/` },
      { path: `/empty/collections/${IDS.public}/manifest/` },
    ]);
  });

  test('When requests close to the lane are made (other methods, other spellings of the path), Then both answer them alike through the router', async () => {
    await compare(lane, router, [
      { method: 'head', path: `${P}/objects/` },
      { path: `${P}/objects` },
      { path: `/api1/collections/${encodeURIComponent(IDS.public)}%2F/objects/` },
      { path: `/api1/collections/public%2Dfeed/objects/` },
      { path: `${P}/OBJECTS/` },
      { path: `${P}/versions/` },
      { method: 'post', path: `${P}/objects/`, headers: { 'Content-Type': TAXII }, body: envelope([indicator(9)]) },
      { path: `${P}/objects/${indicator(1).id}/` },
    ]);
  });

  test('When the server is shutting down, Then a poll through the lane closes its keep-alive connection as through the router', async () => {
    const got: string[] = [];
    for (const { s } of [lane, router]) {
      const open = await fetch(`${s.url}${P}/objects/?limit=1`, { headers: { Accept: TAXII } });
      await open.text();
      expect(open.headers.get('connection')).toBe('keep-alive');
      s.rt.health.shutdown();
      const r = await fetch(`${s.url}${P}/objects/?limit=1`, { headers: { Accept: TAXII } });
      await r.text();
      got.push(`${r.status} ${r.headers.get('connection')}`);
    }
    expect(got).toEqual(['200 close', '200 close']);
  });
});

describe('rate limits through the direct lane and through the router', () => {
  test('When an address and an account exceed their limits with polls and other requests mixed, Then both count them alike and refuse the same requests with the same 429', async () => {
    const lane = await side({ directPolls: true, env: { TAXII_RATE_LIMIT: '6', TAXII_RATE_LIMIT_PER_ADDRESS: '9' } });
    const router = await side({ directPolls: false, databaseUrl: lane.s.databaseUrl, env: { TAXII_RATE_LIMIT: '6', TAXII_RATE_LIMIT_PER_ADDRESS: '9' } });
    try {
      const requests: Req[] = [];
      for (let i = 0; i < 4; i++) {
        requests.push({ path: `${W}/objects/`, headers: { Authorization: ADMIN_AUTH } });
        requests.push({ path: '/api1/collections/' });
        requests.push({ path: `${P}/manifest/` });
      }
      await compare(lane, router, requests);
      // The limits were reached within the sequence: the next poll is refused.
      expect((await answer(lane.s, requests[0]!)).status).toBe(429);
    } finally {
      await router.s.close();
      await lane.s.close();
    }
  });
});
