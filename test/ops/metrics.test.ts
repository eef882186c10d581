/** /metrics (docs/operations.md): strict Prometheus text, counters that move by exactly the requests made, bounded labels, access. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ADMIN, ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';
import { hashPassword } from '../../src/taxii/services/auth-service';
import { parsePrometheusText, valueOf, type Family } from './prom-text';

const METRICS_TOKEN = 'm'.repeat(12) + '0123456789abcdef';
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ env: { TAXII_METRICS_TOKEN: METRICS_TOKEN } });
});
afterAll(() => s.close());

async function scrape(auth = ADMIN_AUTH): Promise<Map<string, Family>> {
  const r = await s.request().get('/metrics').set('Authorization', auth);
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(r.text);
}

const C = `/api1/collections/${IDS.writable}`;

describe('/metrics', () => {
  test('When scraped, Then the text parses strictly and holds the request, database, event-loop and process metrics', async () => {
    await s.request().get('/taxii2/').set('Accept', TAXII);
    const m = await scrape();
    for (const name of [
      'taxii_http_requests_total',
      'taxii_http_request_duration_seconds',
      'taxii_http_requests_in_flight',
      'taxii_db_query_duration_seconds',
      'taxii_db_pool_connections',
      'taxii_ready',
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
    ]) {
      expect(m.has(name)).toBe(true);
    }
    expect(m.get('taxii_http_request_duration_seconds')!.type).toBe('histogram');
    expect(valueOf(m, 'taxii_db_query_duration_seconds_count')).toBeGreaterThan(0);
  });

  test('When the extensions mounted at a path are requested, Then each is counted under its own route template, not the API root’s', async () => {
    const a = await scrape();
    const h = { Accept: TAXII, Authorization: ADMIN_AUTH };
    expect((await s.request().get(`${C}/changes/`).set(h)).status).toBe(200);
    expect((await s.request().get(`${C}/exports/csv`).set('Authorization', ADMIN_AUTH)).status).toBe(200);
    expect((await s.request().get(`${C}/exports/lists/ip`).set('Authorization', ADMIN_AUTH)).status).toBe(200);
    expect((await s.request().get(`${C}/webhooks/`).set(h)).status).toBe(200);
    expect((await s.request().get('/console/sign-in')).status).toBe(200);
    const b = await scrape();
    const d = (labels: Record<string, string>) => valueOf(b, 'taxii_http_requests_total', labels) - valueOf(a, 'taxii_http_requests_total', labels);
    expect(d({ method: 'GET', route: '/{root}/collections/{id}/changes/', status: '200' })).toBe(1);
    expect(d({ method: 'GET', route: '/{root}/collections/{id}/exports/csv', status: '200' })).toBe(1);
    expect(d({ method: 'GET', route: '/{root}/collections/{id}/exports/lists/{list}', status: '200' })).toBe(1);
    expect(d({ method: 'GET', route: '/{root}/collections/{id}/webhooks/', status: '200' })).toBe(1);
    expect(d({ method: 'GET', route: '/console/', status: '200' })).toBe(1);
    expect(d({ route: '/{root}/' })).toBe(0);
  });

  test('When requests are made between two scrapes, Then the counters move by exactly those requests', async () => {
    const a = await scrape();
    const get = () => s.request().get(`${C}/objects/`).set({ Accept: TAXII, Authorization: ADMIN_AUTH });
    const post = (objects: unknown[]) => s.request().post(`${C}/objects/`).set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH }).send(envelope(objects));
    expect((await post([indicator(1), indicator(2), { type: 'indicator', id: 'indicator--not-a-uuid' }])).status).toBe(202);
    expect((await post([indicator(1), indicator(3)])).status).toBe(202);
    for (let i = 0; i < 3; i++) expect((await get()).status).toBe(200);
    expect((await s.request().get(`${C}/manifest/?limit=2`).set({ Accept: TAXII, Authorization: ADMIN_AUTH })).status).toBe(200);
    expect((await s.request().get('/api1/collections/').set({ Accept: TAXII, Authorization: basic(ADMIN.user, 'not-the-password') })).status).toBe(401);
    expect((await s.request().get(`/api1/collections/${IDS.private}/objects/`).set('Accept', TAXII)).status).toBe(401);
    const b = await scrape();

    const d = (name: string, labels: Record<string, string> = {}) => valueOf(b, name, labels) - valueOf(a, name, labels);
    const objects = '/{root}/collections/{id}/objects/';
    expect(d('taxii_http_requests_total', { method: 'GET', route: objects, status: '200' })).toBe(3);
    expect(d('taxii_http_requests_total', { method: 'POST', route: objects, status: '202' })).toBe(2);
    expect(d('taxii_http_request_duration_seconds_count', { method: 'GET', route: objects, status: '200' })).toBe(3);
    expect(d('taxii_http_requests_total', { route: '/{root}/collections/{id}/manifest/', status: '200' })).toBe(1);
    expect(d('taxii_http_requests_total', { route: '/{root}/collections/', status: '401' })).toBe(1);
    expect(d('taxii_http_requests_total', { route: '/metrics', status: '200' })).toBe(1);
    // 2 posts, 3 pages, 1 manifest, 2 refusals, and the first scrape itself.
    expect(d('taxii_http_requests_total')).toBe(9);
    expect(d('taxii_auth_failures_total', { scheme: 'basic' })).toBe(1);

    expect(d('taxii_polls_total', { principal: ADMIN.user, collection: 'inbox', endpoint: 'objects' })).toBe(3);
    expect(d('taxii_objects_served_total', { principal: ADMIN.user, collection: 'inbox', endpoint: 'objects' })).toBe(9);
    expect(d('taxii_objects_served_total', { principal: ADMIN.user, collection: 'inbox', endpoint: 'manifest' })).toBe(2);
    expect(d('taxii_ingest_objects_total', { collection: 'inbox', outcome: 'added' })).toBe(3);
    expect(d('taxii_ingest_objects_total', { collection: 'inbox', outcome: 'unchanged' })).toBe(1);
    expect(d('taxii_ingest_objects_total', { collection: 'inbox', outcome: 'rejected' })).toBe(1);
    expect(d('taxii_stix_validations_total', { result: 'valid' })).toBe(4);
    expect(d('taxii_stix_validations_total', { result: 'invalid' })).toBe(1);
    expect(d('taxii_stix_rejections_total', { rule: 'id.format' })).toBe(1);
    expect(d('taxii_stix_rejections_total', { rule: 'schema.required' })).toBe(1);
  });

  test('When clients walk random paths, object ids and collections, Then no label value holds a raw path or an id', async () => {
    for (let i = 0; i < 30; i++) {
      const junk = `x${i}-${Math.random().toString(36).slice(2)}`;
      await s.request().get(`/${junk}/collections/${junk}/objects/indicator--00000000-0000-4000-8000-${String(i).padStart(12, '0')}/`).set({ Accept: TAXII, Authorization: ADMIN_AUTH });
      await s.request().get(`/api1/${junk}/deeper/${junk}/`).set('Accept', TAXII);
    }
    const m = await scrape();
    const values = new Set<string>();
    for (const f of m.values()) for (const sample of f.samples) for (const v of Object.values(sample.labels)) values.add(v);
    for (const v of values) {
      expect(v).not.toMatch(/x\d+-|--|api1|[0-9a-f]{8}-[0-9a-f]{4}/);
    }
    const routes = new Set(m.get('taxii_http_requests_total')!.samples.map((x) => x.labels.route));
    for (const r of routes) expect(r).toMatch(/^(other|\/healthz|\/readyz|\/health|\/metrics|\/taxii2\/|\/console\/|\/\{root\}\/[a-z{}_/.]*)$/);
  });

  test('When the metrics are asked for without credentials, by a non-administrator, with a wrong token or with the metrics token, Then 401, 403, 401 and 200', async () => {
    await s.rt.stores.users.upsert({ username: 'reader', passwordHash: await hashPassword('reader-password-1'), isAdmin: false, maxTlp: 'clear' });
    expect((await s.request().get('/metrics')).status).toBe(401);
    expect((await s.request().get('/metrics').set('Authorization', basic('reader', 'reader-password-1'))).status).toBe(403);
    expect((await s.request().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`)).status).toBe(401);
    const ok = await s.request().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(ok.status).toBe(200);
    parsePrometheusText(ok.text);
  });
});

describe('/metrics on a listener of its own', () => {
  test('When TAXII_METRICS_LISTEN is set, Then the main listener has no /metrics', async () => {
    const t = await startTestServer({ env: { TAXII_METRICS_LISTEN: '127.0.0.1:0' }, runtime: { processMetrics: false } });
    try {
      expect((await t.request().get('/metrics').set({ Accept: TAXII, Authorization: ADMIN_AUTH })).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('the strict text parser used above', () => {
  test.each([
    ['a sample of an undeclared metric', 'x_total 1\n'],
    ['a bad escape', '# TYPE x counter\nx{a="\\q"} 1\n'],
    ['a missing final newline', '# TYPE x gauge\nx 1'],
    ['a histogram whose +Inf differs from _count', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n'],
    ['a non-number', '# TYPE x gauge\nx one\n'],
  ])('When given %s, Then it refuses it', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});

describe('docs/operations.md', () => {
  test('When the metrics table is read, Then it lists the metrics /metrics serves, with the labels they carry', async () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/operations.md'), 'utf8');
    const rows = new Map(
      [...doc.matchAll(/^\| `([a-z0-9_]+)` \| (counter|gauge|histogram) \|([^|]*)\|/gm)].map((m) => [m[1]!, { type: m[2]!, labels: [...m[3]!.matchAll(/`([a-z_]+)`/g)].map((l) => l[1]!).sort() }]),
    );
    const t = await startTestServer({ runtime: { processMetrics: true } });
    try {
      await t.request().get('/taxii2/').set('Accept', TAXII);
      await t.request().get(`/api1/collections/${IDS.public}/objects/`).set('Accept', TAXII);
      await t.request().post(`${C}/objects/`).set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH }).send(envelope([indicator(1), { type: 'x' }]));
      await t.request().get('/api1/collections/').set({ Accept: TAXII, Authorization: basic(ADMIN.user, 'wrong-password') });
      const served = parsePrometheusText((await t.request().get('/metrics').set('Authorization', ADMIN_AUTH)).text);
      // Every metric served is documented; every taxii_ metric documented is served (Node's event-loop
      // percentiles appear only once the delay histogram has samples).
      expect([...served.keys()].filter((n) => !rows.has(n))).toEqual([]);
      expect([...rows.keys()].filter((n) => n.startsWith('taxii_') && !served.has(n))).toEqual([]);
      expect([...rows.keys()].filter((n) => !served.has(n) && !/^nodejs_eventloop_lag_p\d+_seconds$/.test(n))).toEqual([]);
      for (const [name, family] of served) {
        expect({ name, type: family.type }).toEqual({ name, type: rows.get(name)!.type });
        const labels = [...new Set(family.samples.flatMap((x) => Object.keys(x.labels)).filter((l) => l !== 'le'))].sort();
        // Node's own families carry some labels only once such a resource exists; ours always.
        if (name.startsWith('taxii_')) expect({ name, labels }).toEqual({ name, labels: rows.get(name)!.labels });
        else for (const l of labels) expect(rows.get(name)!.labels).toContain(l);
      }
    } finally {
      await t.close();
    }
  });
});
