/** Checklist items 1-11 and 22-29: transport, negotiation, errors, API root, collections, status. */
import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';
import { OpenApiContract } from '../helpers/openapi-contract';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const get = (path: string, accept: string | null = TAXII, auth: string | null = ADMIN_AUTH) => {
  const r = s.request().get(path);
  if (accept !== null) r.set('Accept', accept);
  if (auth !== null) r.set('Authorization', auth);
  return r;
};
const json = (text: string) => JSON.parse(text);

const ENDPOINTS = [
  '/taxii2/',
  '/api1/',
  '/api1/collections/',
  `/api1/collections/${IDS.public}/`,
  `/api1/collections/${IDS.public}/manifest/`,
  `/api1/collections/${IDS.public}/objects/`,
];

describe('item 1: trailing-slash and no-slash paths', () => {
  test.each(ENDPOINTS)('When %s is requested with and without its trailing slash, Then both answer 200 alike', async (path) => {
    const a = await get(path);
    const b = await get(path.replace(/\/$/, ''));
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.text.replace(/:\d+\//g, ':PORT/')).toBe(a.text.replace(/:\d+\//g, ':PORT/'));
  });
});

describe('item 2: discovery', () => {
  test('When discovery is requested, Then it has title, api_roots as absolute URLs ending in / and a default equal to one of them', async () => {
    const d = json((await get('/taxii2/')).text);
    expect(d.title).toBe('Test TAXII server');
    expect(d.api_roots).toEqual([expect.stringMatching(/^http:\/\/[^/]+\/api1\/$/), expect.stringMatching(/^http:\/\/[^/]+\/empty\/$/)]);
    expect(d.api_roots).toContain(d.default);
  });
});

describe('item 3: Content-Type', () => {
  test.each(ENDPOINTS)('When %s answers 200, Then Content-Type is exactly the TAXII 2.1 media type', async (path) => {
    const r = await get(path);
    expect(r.headers['content-type']).toBe('application/taxii+json;version=2.1');
  });
});

describe('items 4-6: Accept negotiation', () => {
  test.each([
    'application/taxii+json;version=2.1',
    'application/taxii+json; version=2.1',
    'APPLICATION/TAXII+JSON;VERSION=2.1',
    'application/taxii+json',
    'application/taxii+json;version=2.0, application/taxii+json;version=2.1;q=0.5',
    'text/html;q=0.9, application/taxii+json;version=2.1;q=0.1',
    '*/*',
    'application/json, text/plain, */*',
    'application/json',
    'application/*',
  ])('When Accept is "%s", Then the server answers 200 with TAXII JSON', async (accept) => {
    const r = await get('/taxii2/', accept);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(TAXII);
  });

  test.each([
    'application/taxii+json;version=2.0',
    'application/vnd.oasis.taxii+json; version=2.0',
    'text/html',
    'application/xml',
    'application/taxii+json;version=2.1;q=0',
    'application/stix+json;version=2.1',
  ])('When Accept is "%s", Then the server answers 406 with a TAXII error that names the Accept value', async (accept) => {
    const r = await get('/api1/collections/', accept);
    expect(r.status).toBe(406);
    expect(r.headers['content-type']).toBe(TAXII);
    const e = json(r.text);
    expect(e.http_status).toBe('406');
    expect(e.description).toContain(accept);
  });

  test('When no Accept header is sent, Then the server answers with TAXII JSON', async () => {
    const r = await get('/taxii2/', null);
    expect(r.status).toBe(200);
  });
});

describe('item 7: POST Content-Type', () => {
  test.each(['application/json', 'application/stix+json;version=2.1', 'application/taxii+json;version=2.0', 'text/plain'])(
    'When a POST says Content-Type %s, Then it is refused with 415 and nothing is stored',
    async (ct) => {
      const r = await s.request().post(`/api1/collections/${IDS.writable}/objects/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).set('Content-Type', ct).send(envelope([indicator(415)]));
      expect(r.status).toBe(415);
      expect(json(r.text).description).toContain('application/taxii+json;version=2.1');
      const after = await get(`/api1/collections/${IDS.writable}/objects/?match[id]=${indicator(415).id}`);
      expect(json(after.text)).toEqual({});
    },
  );

  test('When a POST has no Content-Type, Then it is refused with 415', async () => {
    const r = await s.request().post(`/api1/collections/${IDS.writable}/objects/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).send(Buffer.from(envelope([indicator(416)])));
    expect(r.status).toBe(415);
  });
});

describe('item 8: max_content_length', () => {
  const big = (bytes: number) => envelope([indicator(800, { description: 'x'.repeat(bytes) })]);
  test('When Content-Length exceeds max_content_length, Then 413 and nothing is stored', async () => {
    const r = await s.request().post(`/api1/collections/${IDS.writable}/objects/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).set('Content-Type', TAXII).send(big(1048576 + 10));
    expect(r.status).toBe(413);
    expect(json(r.text).description).toContain('1048576');
  });

  test('When a chunked body without Content-Length grows past max_content_length, Then 413 measured on the bytes read', async () => {
    const http = await import('node:http');
    const body = big(1048576 + 10);
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(`${s.url}/api1/collections/${IDS.writable}/objects/`, {
        method: 'POST',
        headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH, 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (r) => {
        let t = '';
        r.on('data', (c) => (t += c));
        r.on('end', () => resolve({ status: r.statusCode!, text: t }));
      });
      req.on('error', reject);
      for (let i = 0; i < body.length; i += 65536) req.write(body.slice(i, i + 65536));
      req.end();
    });
    expect(res.status).toBe(413);
    expect(json(res.text).title).toBe('Request too large');
  });

  test('When a chunked body stays under max_content_length, Then it is accepted', async () => {
    const http = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${s.url}/api1/collections/${IDS.writable}/objects/`, {
        method: 'POST',
        headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH, 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (r) => {
        r.resume();
        r.on('end', () => resolve(r.statusCode!));
      });
      req.on('error', reject);
      req.write(envelope([indicator(801)]));
      req.end();
    });
    expect(status).toBe(202);
  });
});

describe('items 9-10: errors are TAXII error resources, also from the framework', () => {
  test('When an unknown path is requested, Then 404 as a TAXII error, never HTML', async () => {
    const r = await get('/nope/at/all/');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe(TAXII);
    expect(json(r.text)).toMatchObject({ title: 'Not found', http_status: '404' });
  });

  test.each([
    ['PUT', '/taxii2/', 'GET'],
    ['POST', '/api1/collections/', 'GET'],
    ['DELETE', `/api1/collections/${IDS.public}/objects/`, 'GET, POST'],
    ['PATCH', `/api1/collections/${IDS.public}/objects/indicator--00000000-0000-4000-8000-000000000001/`, 'GET, DELETE'],
  ])('When %s %s is sent, Then 405 with Allow: %s as a TAXII error', async (method, path, allow) => {
    const r = await s.request()[method.toLowerCase() as 'put'](path).set('Accept', TAXII).set('Authorization', ADMIN_AUTH);
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe(allow);
    expect(json(r.text).http_status).toBe('405');
  });

  test('When the body is not JSON, Then 400 with a description of what to send', async () => {
    const r = await s.request().post(`/api1/collections/${IDS.writable}/objects/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).set('Content-Type', TAXII).send('{"objects": [');
    expect(r.status).toBe(400);
    expect(json(r.text).description).toMatch(/not valid JSON/);
  });

  test('When every error is returned, Then it carries error_id equal to the X-Request-Id header', async () => {
    const r = await get('/nope/');
    expect(json(r.text).error_id).toBe(r.headers['x-request-id']);
  });
});

describe('item 11: caching and request ids', () => {
  test('When any TAXII response is sent, Then it says Cache-Control: no-store and carries X-Request-Id', async () => {
    const r = await get('/api1/collections/');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('items 12-13: authentication', () => {
  test('When the password is wrong, Then 401 with WWW-Authenticate: Basic as a TAXII error', async () => {
    const r = await get('/taxii2/', TAXII, basic('admin', 'wrong-password'));
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toMatch(/^Basic realm="taxii"/);
    expect(json(r.text).http_status).toBe('401');
  });

  test('When an anonymous caller reads a non-public collection, Then 401 (it might see it after logging in)', async () => {
    const r = await get(`/api1/collections/${IDS.private}/objects/`, TAXII, null);
    expect(r.status).toBe(401);
  });

  test('When an anonymous caller lists collections, Then only the public one is listed, read-only', async () => {
    const r = await get('/api1/collections/', TAXII, null);
    expect(json(r.text).collections.map((c: { id: string }) => c.id)).toEqual([IDS.public]);
    expect(json(r.text).collections[0]).toMatchObject({ can_read: true, can_write: false });
  });

  test('When an anonymous caller posts to the public collection, Then 401', async () => {
    const r = await s.request().post(`/api1/collections/${IDS.public}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).send(envelope([indicator(1)]));
    expect(r.status).toBe(401);
  });
});

describe('items 22-23: API root', () => {
  test('When the API root is requested, Then title, versions with the full media type and an integer max_content_length', async () => {
    expect(json((await get('/api1/')).text)).toEqual({ title: 'API root one', description: 'for tests', versions: [TAXII], max_content_length: 1048576 });
  });

  test.each(['/nope/', '/nope/collections/', `/nope/collections/${IDS.public}/objects/`, '/nope/status/x/'])('When unknown API root %s is used, Then 404', async (p) => {
    expect((await get(p)).status).toBe(404);
  });
});

describe('items 24-25: status', () => {
  test('When a status id is unknown, Then 404', async () => {
    expect((await get('/api1/status/2d0b5b4c-0d7e-4f0c-9c2e-8b3f4a1e7d10/')).status).toBe(404);
  });

  test('When objects are posted, Then the status is readable later with consistent counts', async () => {
    const post = await s.request().post(`/api1/collections/${IDS.writable}/objects/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).set('Content-Type', TAXII)
      .send(envelope([indicator(901), { type: 'indicator', id: 'indicator--bad' }]));
    expect(post.status).toBe(202);
    const st = json(post.text);
    const again = json((await get(`/api1/status/${st.id}/`)).text);
    expect(again).toEqual(st);
    expect(again.total_count).toBe(again.success_count + again.failure_count + again.pending_count);
    expect(again).toMatchObject({ status: 'complete', total_count: 2, success_count: 1, failure_count: 1, pending_count: 0 });
  });

  test('When statuses are configured to be kept less than 24 hours, Then the configuration is refused', async () => {
    const { buildConfig } = await import('../../src/config/config');
    const { testConfigDoc } = await import('../helpers/server');
    expect(() => buildConfig(testConfigDoc({ server: { status_retention_hours: 1 } }))).toThrow(/status_retention_hours/);
  });
});

describe('items 26-29: collections', () => {
  test('When an API root has no collections, Then GET collections answers {}', async () => {
    expect((await get('/empty/collections/')).text).toBe('{}');
  });

  test('When collections are listed, Then they are sorted by id with can_read/can_write and media_types', async () => {
    const list = json((await get('/api1/collections/')).text).collections;
    expect(list.map((c: { id: string }) => c.id)).toEqual([IDS.public, IDS.private, IDS.writable].sort());
    for (const c of list) expect(c).toMatchObject({ can_read: true, can_write: true, media_types: ['application/stix+json;version=2.1'] });
  });

  test('When a collection is fetched by its alias, Then it is the same resource as by id', async () => {
    const byAlias = await get('/api1/collections/public-feed/');
    const byId = await get(`/api1/collections/${IDS.public}/`);
    expect(byAlias.text).toBe(byId.text);
    expect(json(byId.text)).toEqual({
      id: IDS.public,
      title: 'Public feed',
      description: 'readable by anyone',
      alias: 'public-feed',
      can_read: true,
      can_write: true,
      media_types: ['application/stix+json;version=2.1'],
    });
  });

  test('When an unknown collection is requested, Then 404', async () => {
    expect((await get('/api1/collections/0d7e2a4c-1b2c-4d5e-8f90-123456789abc/')).status).toBe(404);
  });
});

describe('the OpenAPI contract check', () => {
  test('When a response breaks openapi.yaml, Then the check reports it', () => {
    const c = new OpenApiContract();
    const bad = c.violations({ method: 'GET', path: '/api1/', status: 200, headers: { 'content-type': 'application/json' }, body: '{"title":"x","versions":["2.1"]}' });
    expect(bad.join('\n')).toMatch(/Content-Type/);
    expect(bad.join('\n')).toMatch(/api-root.json/);
    const good = c.violations({ method: 'GET', path: '/api1/', status: 200, headers: { 'content-type': TAXII }, body: '{"title":"x","versions":["application/taxii+json;version=2.1"],"max_content_length":5}' });
    expect(good).toEqual([]);
    expect(c.violations({ method: 'GET', path: '/api1/collections/', status: 200, headers: { 'content-type': TAXII }, body: '{"collections":[]}' })).not.toEqual([]);
  });
});
