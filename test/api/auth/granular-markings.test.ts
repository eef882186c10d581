import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CollectionSummaries } from '../../../src/console/collection-summary';
import { ObjectSearch } from '../../../src/console/object-search';
import { REDACTED_PROPERTY } from '../../../src/stix/granular-redaction';
import type { Principal } from '../../../src/taxii/access';
import { userPrincipalId } from '../../../src/taxii/token-service';
import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, testConfigDoc, type TestServer } from '../../helpers/server';
import { addUser } from './fixtures';

/**
 * Granular TLP markings (STIX 2.1 §7.2.3) bind on the properties they select: a reader cleared below one is
 * served the object without them (the default, `redact`) or not at all (`withhold`, and whenever the object
 * would not be valid STIX without them), on every channel that serves object bytes, with exact paging.
 */
jest.setTimeout(60_000);

const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const SECRET = 'redsecretword';
const REDACT = IDS.writable;
const WITHHOLD = IDS.private;

const plain1 = indicator(9501, { object_marking_refs: [GREEN] });
/** description marked RED: redactable. */
const redDescription = indicator(9502, { object_marking_refs: [GREEN], description: `the ${SECRET} text`, granular_markings: [{ marking_ref: RED, selectors: ['description'] }] });
/** pattern marked RED: an indicator without pattern is not STIX, so it is left out. */
const redPattern = indicator(9503, { object_marking_refs: [GREEN], description: 'pattern is red', granular_markings: [{ marking_ref: RED, selectors: ['pattern'] }] });
/** a list item marked RED, and a GREEN marking on a later item whose index shifts. */
const redListItem = indicator(9504, {
  object_marking_refs: [GREEN],
  external_references: [
    { source_name: 'internal', description: `${SECRET} report` },
    { source_name: 'public', url: 'https://example.org/r' },
  ],
  granular_markings: [
    { marking_ref: RED, selectors: ['external_references.[0]'] },
    { marking_ref: GREEN, selectors: ['external_references.[1].url'] },
  ],
});
/** pattern_type marked AMBER and description RED: an AMBER reader gets it without description, a GREEN reader not at all (pattern_type is required). */
const amberName = indicator(9505, {
  object_marking_refs: [GREEN],
  description: `${SECRET} again`,
  granular_markings: [
    { marking_ref: AMBER, selectors: ['pattern_type'] },
    { marking_ref: RED, selectors: ['description'] },
  ],
});
const plain2 = indicator(9506, { object_marking_refs: [GREEN] });
const ALL = [plain1, redDescription, redPattern, redListItem, amberName, plain2];
const ids = (list: Record<string, unknown>[]) => list.map((o) => o.id as string);

let s: TestServer;
let greenId: string;
beforeAll(async () => {
  const doc = testConfigDoc() as { api_roots: Array<{ collections: Array<Record<string, unknown>> }> };
  for (const c of doc.api_roots[0]!.collections) if (c.id === WITHHOLD) c.granular_markings = 'withhold';
  // The webhook receiver of the channel test listens on loopback.
  s = await startTestServer({ doc: { ...doc, changes: { webhook_allow_networks: ['127.0.0.1'] } } });
  greenId = await addUser(s.rt, 'green-reader', 'green-reader-pw', { tlp: 'green', grants: { [REDACT]: ['read'], [WITHHOLD]: ['read'] } });
  await addUser(s.rt, 'amber-reader', 'amber-reader-pw', { tlp: 'amber', grants: { [REDACT]: ['read'], [WITHHOLD]: ['read'] } });
  // One request each, in two halves, so that positions of several requests are paged over.
  for (const c of [REDACT, WITHHOLD]) {
    for (const part of [ALL.slice(0, 3), ALL.slice(3)]) {
      const r = await s.request().post(`/api1/collections/${c}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope(part));
      expect(JSON.parse(r.text).success_count).toBe(part.length);
    }
  }
});
afterAll(() => s.close());

const GREEN_AUTH = () => basic('green-reader', 'green-reader-pw');
const AMBER_AUTH = () => basic('amber-reader', 'amber-reader-pw');
const greenPrincipal = (): Principal => ({ id: userPrincipalId(greenId), name: 'green-reader', kind: 'user', isAdmin: false, maxTlp: 'green' });

async function get(path: string, auth: string): Promise<{ status: number; body: any; text: string; headers: Record<string, string> }> {
  const r = await s.request().get(`/api1/collections/${path}`).set('Accept', TAXII).set('Authorization', auth);
  return { status: r.status, body: r.text ? JSON.parse(r.text) : undefined, text: r.text, headers: r.headers as Record<string, string> };
}

/** Pages with limit=1 following next; checks each page's size, more, and that the headers are the record's date_added. */
async function walk(collection: string, auth: string, endpoint: 'objects' | 'manifest'): Promise<Array<Record<string, any>>> {
  const out: Array<Record<string, any>> = [];
  let next: string | undefined;
  for (let pages = 0; pages < 20; pages++) {
    const r = await get(`${collection}/${endpoint}/?limit=1${next ? `&next=${encodeURIComponent(next)}` : ''}`, auth);
    expect(r.status).toBe(200);
    const got: Array<Record<string, any>> = r.body.objects ?? [];
    expect(got).toHaveLength(r.body.more ? 1 : got.length);
    out.push(...got);
    if (!r.body.more) return out;
    next = r.body.next;
  }
  throw new Error('paging did not end');
}

describe('Given a collection that redacts (the default)', () => {
  test('When a TLP:GREEN reader pages objects and manifest with limit=1, Then redacted objects are served without the marked properties, the unredactable ones are left out, and every page is full', async () => {
    const expected = ids([plain1, redDescription, redListItem, plain2]);
    const objects = await walk(REDACT, GREEN_AUTH(), 'objects');
    expect(objects.map((o) => o.id)).toEqual(expected);
    const manifest = await walk(REDACT, GREEN_AUTH(), 'manifest');
    expect(manifest.map((o) => o.id)).toEqual(expected);

    const desc = objects.find((o) => o.id === redDescription.id)!;
    expect(desc.description).toBeUndefined();
    expect(desc.granular_markings).toBeUndefined();
    expect(desc[REDACTED_PROPERTY]).toEqual(['description']);
    expect(desc.pattern).toBe(redDescription.pattern);
    const list = objects.find((o) => o.id === redListItem.id)!;
    expect(list.external_references).toEqual([{ source_name: 'public', url: 'https://example.org/r' }]);
    expect(list.granular_markings).toEqual([{ marking_ref: GREEN, selectors: ['external_references.[0].url'] }]);
    expect(list[REDACTED_PROPERTY]).toEqual(['external_references.[0]']);
    expect(JSON.stringify(objects)).not.toContain(SECRET);
  });

  test('When the date-added headers of single-object pages are read, Then they are the served records own date_added values', async () => {
    const manifest = await walk(REDACT, GREEN_AUTH(), 'manifest');
    let next: string | undefined;
    for (const [i, entry] of manifest.entries()) {
      const r = await get(`${REDACT}/objects/?limit=1${next ? `&next=${encodeURIComponent(next)}` : ''}`, GREEN_AUTH());
      expect(r.headers['x-taxii-date-added-first']).toBe(entry.date_added);
      if (i < manifest.length - 1) expect(r.headers['x-taxii-date-added-last']).toBe(entry.date_added);
      next = r.body.next;
    }
  });

  test('When a TLP:GREEN reader asks for each object and its versions, Then what it gets agrees with the objects pages', async () => {
    const one = await get(`${REDACT}/objects/${redDescription.id}/`, GREEN_AUTH());
    expect(one.status).toBe(200);
    expect(one.body.objects[0].description).toBeUndefined();
    expect(one.text).not.toContain(SECRET);
    expect((await get(`${REDACT}/objects/${redDescription.id}/versions/`, GREEN_AUTH())).body.versions).toEqual([redDescription.modified]);
    for (const o of [redPattern, amberName]) {
      expect((await get(`${REDACT}/objects/${o.id}/`, GREEN_AUTH())).status).toBe(404);
      expect((await get(`${REDACT}/objects/${o.id}/versions/`, GREEN_AUTH())).status).toBe(404);
    }
  });

  test('When a TLP:AMBER reader reads, Then only what is marked above AMBER is removed', async () => {
    const objects = await walk(REDACT, AMBER_AUTH(), 'objects');
    expect(objects.map((o) => o.id)).toEqual(ids([plain1, redDescription, redListItem, amberName, plain2]));
    const named = objects.find((o) => o.id === amberName.id)!;
    expect(named.pattern_type).toBe('stix');
    expect(named.description).toBeUndefined();
    expect(named.granular_markings).toEqual([{ marking_ref: AMBER, selectors: ['pattern_type'] }]);
  });

  test('When the administrator reads, Then the stored bytes are served as posted', async () => {
    const one = await get(`${REDACT}/objects/${redDescription.id}/`, ADMIN_AUTH);
    expect(one.body.objects[0]).toEqual(redDescription);
  });

  test('When a TLP:GREEN writer re-posts a redacted version with a guess of the removed text, Then the answer does not tell whether the guess is right', async () => {
    await addUser(s.rt, 'green-writer', 'green-writer-pw', { tlp: 'green', grants: { [REDACT]: ['read', 'write'] } });
    const messages: string[] = [];
    for (const guess of [redDescription, { ...redDescription, description: 'a wrong guess' }]) {
      const r = await s.request().post(`/api1/collections/${REDACT}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', basic('green-writer', 'green-writer-pw')).send(envelope([guess]));
      const status = JSON.parse(r.text);
      expect(status.failure_count).toBe(1);
      messages.push(status.failures[0].message);
    }
    expect(messages[0]).toBe(messages[1]);
  });
});

describe('Given a collection that withholds', () => {
  test('When a TLP:GREEN reader pages with limit=1, Then every object with a granular marking above GREEN is left out and pages stay full', async () => {
    const expected = ids([plain1, plain2]);
    expect((await walk(WITHHOLD, GREEN_AUTH(), 'objects')).map((o) => o.id)).toEqual(expected);
    expect((await walk(WITHHOLD, GREEN_AUTH(), 'manifest')).map((o) => o.id)).toEqual(expected);
    expect((await get(`${WITHHOLD}/objects/${redDescription.id}/`, GREEN_AUTH())).status).toBe(404);
  });

  test('When a TLP:AMBER reader pages, Then the objects marked only up to AMBER are served whole', async () => {
    const objects = await walk(WITHHOLD, AMBER_AUTH(), 'objects');
    expect(objects.map((o) => o.id)).toEqual(ids([plain1, plain2]));
  });
});

describe('Given a TLP:GREEN reader, the RED-marked text appears on no channel', () => {
  test('exports: STIX bundle, CSV and MISP', async () => {
    for (const c of [REDACT, WITHHOLD]) {
      const bundle = await s.request().get(`/api1/collections/${c}/exports/stix/bundle.json`).set('Authorization', GREEN_AUTH());
      expect(bundle.status).toBe(200);
      const served = JSON.parse(bundle.text).objects as Array<Record<string, unknown>>;
      expect(served.map((o) => o.id)).toEqual(c === REDACT ? ids([plain1, redDescription, redListItem, plain2]) : ids([plain1, plain2]));
      expect(bundle.text).not.toContain(SECRET);
      for (const path of ['csv', 'misp/manifest.json']) {
        const r = await s.request().get(`/api1/collections/${c}/exports/${path}`).set('Authorization', GREEN_AUTH());
        expect(r.status).toBe(200);
        expect(r.text).not.toContain(SECRET);
      }
    }
  });

  test('change feed (paged with limit=1) and change stream', async () => {
    const feed: Array<{ id: string }> = [];
    let next: string | undefined;
    for (let i = 0; i < 20; i++) {
      const r = await get(`${REDACT}/changes/?limit=1${next ? `&next=${encodeURIComponent(next)}` : ''}`, GREEN_AUTH());
      expect(r.status).toBe(200);
      feed.push(...(r.body.changes ?? []));
      if (!r.body.more) break;
      next = r.body.next;
    }
    expect(feed.map((c) => c.id)).toEqual(ids([plain1, redDescription, redListItem, plain2]));
    const stream = await s.rt.changes.openStream(greenPrincipal(), 'api1', REDACT, { query: { added_after: '2000-01-01T00:00:00Z' }, clientKey: 'granular-test' });
    try {
      const events = await stream.next();
      expect(events.map((e) => JSON.parse(e.data).id)).toEqual(ids([plain1, redDescription, redListItem, plain2]));
      const desc = JSON.parse(events[1]!.data).object;
      expect(desc[REDACTED_PROPERTY]).toEqual(['description']);
      expect(events.map((e) => e.data).join('\n')).not.toContain(SECRET);
    } finally {
      stream.close();
    }
  });

  test('webhooks', async () => {
    const got: string[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        got.push(body);
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const sub = await s.request().post(`/api1/collections/${REDACT}/webhooks/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', GREEN_AUTH()).send({ url, added_after: '2000-01-01T00:00:00Z' });
      expect(sub.status).toBe(201);
      await s.rt.webhooks.dispatcher.runOnce();
      expect(got).toHaveLength(1);
      const changes = JSON.parse(got[0]!).changes as Array<{ id: string; object: Record<string, unknown> }>;
      expect(changes.map((c) => c.id)).toEqual(ids([plain1, redDescription, redListItem, plain2]));
      expect(changes[1]!.object[REDACTED_PROPERTY]).toEqual(['description']);
      expect(got[0]).not.toContain(SECRET);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  test('web console: latest additions and text search', async () => {
    const summaries = new CollectionSummaries(s.rt.services.collections, s.rt.stores.objects);
    const summary = await summaries.summary(greenPrincipal(), 'api1', REDACT);
    expect(JSON.stringify(summary)).not.toContain(SECRET);
    expect(summary.latest).toHaveLength(4);
    const search = new ObjectSearch(s.rt.services.collections, s.rt.stores.objects);
    // A search for the removed word would otherwise confirm it: it finds nothing.
    expect((await search.search(greenPrincipal(), 'api1', REDACT, { text: SECRET, limit: 10 })).objects).toEqual([]);
    const found = await search.search(greenPrincipal(), 'api1', REDACT, { text: 'indicator', limit: 1 });
    expect(found.objects).toHaveLength(1);
    expect(found.next).toBeDefined();
    const all = await search.search(greenPrincipal(), 'api1', REDACT, { text: 'test indicator', limit: 10 });
    expect(all.objects.map((o) => o.id)).toEqual(ids([plain1, redDescription, redListItem, plain2]));
  });
});

test('When the granular-TLP migration is rolled back and applied again, Then it fills the columns from the stored bodies and readers get the same pages', async () => {
  const { migrations } = await import('../../../migrations');
  const source = { getMigrations: async () => [...migrations], getMigrationName: (m: (typeof migrations)[number]) => m[0], getMigration: async (m: (typeof migrations)[number]) => m[1] };
  const before = [await walk(REDACT, GREEN_AUTH(), 'objects'), await walk(WITHHOLD, GREEN_AUTH(), 'manifest')];
  const knex = s.rt.db.knex;
  while (await knex.schema.hasColumn('objects', 'granular_tlp')) await knex.migrate.down({ migrationSource: source });
  await knex.migrate.latest({ migrationSource: source });
  expect(Number((await knex('objects').whereNotNull('granular_tlp').count({ n: '*' }))[0]!.n)).toBe(8);
  expect([await walk(REDACT, GREEN_AUTH(), 'objects'), await walk(WITHHOLD, GREEN_AUTH(), 'manifest')]).toEqual(before);
});
