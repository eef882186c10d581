/**
 * The server requirements of docs/compatibility.md (section 9 of the consumer survey) that no single
 * profile scenario pins down on its own, checked against the running server over real HTTP.
 */
import { ADMIN_AUTH, basic, COLLECTION, Curator, envelopeProblems, HEADER_TIMESTAMP, IDS, objectsUrl, rootUrl, startConsumerServer, TAXII, taxii2clientContentTypeOk, Wire, type ConsumerServer } from './harness';

let s: ConsumerServer;
let curator: Curator;
const wire = new Wire();
const get = (url: string, headers: Record<string, string> = {}) => wire.get(url, { Accept: TAXII, Authorization: ADMIN_AUTH, ...headers });
const json = async (url: string, headers: Record<string, string> = {}) => JSON.parse((await get(url, headers)).text);

beforeAll(async () => {
  s = await startConsumerServer();
  curator = new Curator(s);
  await curator.post({ fresh: 5 });
  await curator.post({ fresh: 5 });
});
afterAll(() => s.close());

describe('requirements 1-2: media types', () => {
  test('When discovery, root, collections, collection, objects, manifest and versions are read, Then every 200 carries exactly application/taxii+json;version=2.1', async () => {
    const id = curator.idsOf([0])[0]!;
    for (const u of [`${s.url}/taxii2/`, rootUrl(s), `${rootUrl(s)}collections/`, `${rootUrl(s)}collections/${COLLECTION.id}/`, objectsUrl(s), `${rootUrl(s)}collections/${COLLECTION.id}/manifest/`, `${objectsUrl(s)}${id}/versions/`]) {
      const r = await get(u);
      expect([u, r.status, r.headers.get('content-type')]).toEqual([u, 200, TAXII]);
      expect(taxii2clientContentTypeOk(r.headers.get('content-type'), TAXII)).toBe(true);
    }
  });

  test.each(['application/taxii+json;version=2.1', 'application/taxii+json; version=2.1', 'application/taxii+json', '*/*', 'application/json', 'application/json, text/plain, */*'])(
    'When Accept is "%s", Then 200 with the TAXII 2.1 type',
    async (accept) => {
      const r = await get(`${s.url}/taxii2/`, { Accept: accept });
      expect([r.status, r.headers.get('content-type')]).toEqual([200, TAXII]);
    },
  );

  test.each(['application/vnd.oasis.taxii+json; version=2.0', 'application/taxii+json;version=2.0'])('When Accept is "%s" (a 2.0 probe), Then 406', async (accept) => {
    expect((await get(`${s.url}/taxii2/`, { Accept: accept })).status).toBe(406);
  });
});

describe('requirements 3-7: discovery, roots, collections', () => {
  test('When discovery is read, Then it has title, absolute api_roots ending in / with dot-free segments, and a default byte-identical to one of them', async () => {
    const d = await json(`${s.url}/taxii2/`);
    expect(typeof d.title).toBe('string');
    for (const u of d.api_roots as string[]) {
      expect(u).toMatch(/^https?:\/\/[^/]+\/[^./]+\/$/);
    }
    expect(d.api_roots).toContain(d.default);
  });

  test('When each API root and its collections are read, Then root info has title, the full versions media type and max_content_length, and collections have lowercase UUIDv4 ids, unique dot-free titles and every required field', async () => {
    const d = await json(`${s.url}/taxii2/`);
    for (const root of d.api_roots as string[]) {
      const info = await json(root);
      expect(info).toMatchObject({ title: expect.any(String), versions: [TAXII], max_content_length: expect.any(Number) });
      const colls = ((await json(`${root}collections/`)).collections ?? []) as Array<Record<string, unknown>>;
      expect(new Set(colls.map((c) => c.title)).size).toBe(colls.length);
      for (const c of colls) {
        expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(c.title).not.toContain('.');
        expect(c).toMatchObject({ can_read: expect.any(Boolean), can_write: expect.any(Boolean), media_types: expect.any(Array) });
        expect((await get(`${root}collections/${String(c.id)}/`)).status).toBe(200);
      }
    }
  });
});

describe('requirement 8: credentials', () => {
  test.each<[string, (x: ConsumerServer) => string]>([
    ['Basic (user and password)', () => ADMIN_AUTH],
    ['the API key as the Basic password, any username', (x) => basic('sentinel', x.token)],
    ['the API key as the Basic password, empty username', (x) => basic('', x.token)],
    ['Bearer', (x) => `Bearer ${x.token}`],
    ['Token', (x) => `Token ${x.token}`],
  ])('When a client sends %s, Then discovery and the non-public collection answer 200', async (_f, auth) => {
    expect((await get(`${s.url}/taxii2/`, { Authorization: auth(s) })).status).toBe(200);
    expect((await get(objectsUrl(s), { Authorization: auth(s) })).status).toBe(200);
  });

  test('When no credentials are sent, Then the non-public collection is not readable', async () => {
    const r = await wire.get(objectsUrl(s), { Accept: TAXII });
    expect([401, 403, 404]).toContain(r.status);
  });
});

describe('requirements 9-12: added_after and the X-TAXII-Date-Added headers', () => {
  test.each(['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.5Z', '2024-01-01T00:00:00.123Z', '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.123456789Z', '2024-01-01T00:00:00+00:00'])(
    'When added_after is "%s", Then 200',
    async (aa) => {
      expect((await get(`${objectsUrl(s)}?added_after=${encodeURIComponent(aa)}`)).status).toBe(200);
    },
  );

  test('When added_after is not a timestamp, Then 400 with a TAXII error body', async () => {
    const r = await get(`${objectsUrl(s)}?added_after=yesterday`);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ title: expect.any(String), http_status: '400' });
  });

  test('When added_after is exactly a stored date_added, Then that version is excluded (exclusive)', async () => {
    const m = await json(`${rootUrl(s)}collections/${COLLECTION.id}/manifest/`);
    const third = m.objects[2];
    const r = await json(`${rootUrl(s)}collections/${COLLECTION.id}/manifest/?added_after=${encodeURIComponent(third.date_added)}`);
    expect(r.objects.map((o: { id: string }) => o.id)).toEqual(m.objects.slice(3).map((o: { id: string }) => o.id));
  });

  test('When objects, manifest and versions answer with records, Then both headers are sent with at most six fractional digits; on the final page Last is rounded up to the millisecond, on earlier pages it is exact', async () => {
    const id = curator.idsOf([0])[0]!;
    for (const u of [objectsUrl(s), `${rootUrl(s)}collections/${COLLECTION.id}/manifest/`, `${objectsUrl(s)}${id}/versions/`]) {
      const r = await get(u);
      expect(r.headers.get('X-TAXII-Date-Added-First')).toMatch(HEADER_TIMESTAMP);
      expect(r.headers.get('X-TAXII-Date-Added-Last')).toMatch(/\.\d{3}000Z$/);
    }
    const page1 = await get(`${objectsUrl(s)}?limit=3`);
    const m = await json(`${rootUrl(s)}collections/${COLLECTION.id}/manifest/?limit=3`);
    expect(page1.headers.get('X-TAXII-Date-Added-Last')).toBe(m.objects[2].date_added);
  });

  test('When a page is empty, Then X-TAXII-Date-Added-Last echoes the added_after asked for', async () => {
    const last = (await get(objectsUrl(s))).headers.get('X-TAXII-Date-Added-Last')!;
    const r = await get(`${objectsUrl(s)}?added_after=${encodeURIComponent(last)}`);
    expect(r.text).toBe('{}');
    expect(r.headers.get('X-TAXII-Date-Added-Last')).toBe(last);
  });
});

describe('requirements 13-19: envelopes, next, limit, filters, URLs', () => {
  test('When the server keeps the default empty_envelope, Then an empty page is {} (TAXII 2.1); Elastic operators set explicit (see the Elastic profile)', async () => {
    expect((await get(`${objectsUrl(s)}?added_after=2999-01-01T00:00:00Z`)).text).toBe('{}');
  });

  test('When paging with limit 1, Then every envelope satisfies more/next rules and the walk ends', async () => {
    let url = `${objectsUrl(s)}?limit=1`;
    let pages = 0;
    for (;;) {
      const body = JSON.parse((await get(url)).text);
      expect(envelopeProblems(body)).toEqual([]);
      pages++;
      if (!body.more) break;
      expect(pages).toBeLessThan(20);
      url = `${objectsUrl(s)}?limit=1&next=${encodeURIComponent(body.next)}`;
    }
    expect(pages).toBe(10);
  });

  test('When limit is above the maximum, Then it is clamped without error; when it is 0, Then 400', async () => {
    expect((await get(`${objectsUrl(s)}?limit=15000`)).status).toBe(200);
    expect((await get(`${objectsUrl(s)}?limit=0`)).status).toBe(400);
  });

  test('When match[type] and match[spec_version] carry comma lists (XSOAR, MISP), Then they are ORed', async () => {
    const body = await json(`${objectsUrl(s)}?match[type]=indicator,report,relationship&match[spec_version]=2.1`);
    expect(body.objects).toHaveLength(10);
  });

  test('When the objects and collection URLs lack the trailing slash or carry unknown parameters, Then they still answer 200', async () => {
    expect((await get(objectsUrl(s).replace(/\/$/, ''))).status).toBe(200);
    expect((await get(`${rootUrl(s)}collections/${COLLECTION.id}`)).status).toBe(200);
    expect((await get(`${objectsUrl(s)}?utm_source=siem&foo=bar`)).status).toBe(200);
  });

  test('When a next from another collection is sent next to a fresh added_after (OpenCTI connector), Then the request\'s own query is answered', async () => {
    const first = await json(`${objectsUrl(s)}?limit=1`);
    const r = await get(`${rootUrl(s)}collections/${IDS.writable}/objects/?next=${encodeURIComponent(first.next)}&added_after=2020-01-01T00:00:00.000000Z`);
    expect(r.status).toBe(200);
  });
});

describe('requirements 20 and 25', () => {
  test('When objects are served, Then each carries spec_version 2.1 and the created/modified text the curator posted (millisecond here)', async () => {
    const body = await json(objectsUrl(s));
    expect(envelopeProblems(body)).toEqual([]);
    for (const o of body.objects) expect(o.modified).toMatch(/\.\d{3}Z$/);
  });

  test('When a client asks for a page, Then the status is 200, never 206', async () => {
    expect((await get(`${objectsUrl(s)}?limit=2`)).status).toBe(200);
  });
});
