import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, testConfigDoc, type TestServer } from '../../helpers/server';
import type { Principal } from '../../../src/taxii/access';
import { userPrincipalId } from '../../../src/taxii/token-service';
import { addUser } from './fixtures';

/**
 * A collection configured with omit_relationships_to_hidden leaves relationships and sightings out for a reader
 * who may not see one of their endpoints, inside the query: pages stay full and exact, and such an object is a 404.
 */
let s: TestServer;
let greenId: string;
const OMITTING = IDS.writable;
const DEFAULT = IDS.private;
beforeAll(async () => {
  const doc = testConfigDoc() as { api_roots: Array<{ collections: Array<Record<string, unknown>> }> };
  for (const c of doc.api_roots[0]!.collections) if (c.id === OMITTING) c.omit_relationships_to_hidden = true;
  s = await startTestServer({ doc });
  greenId = await addUser(s.rt, 'green-reader', 'green-reader-pw', { tlp: 'green', grants: { [OMITTING]: ['read'], [DEFAULT]: ['read'] } });
  for (const c of [OMITTING, DEFAULT]) {
    const r = await s.request().post(`/api1/collections/${c}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope(ALL));
    expect(JSON.parse(r.text).success_count).toBe(ALL.length);
  }
});
afterAll(() => s.close());

const RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
const GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';
const T = '2024-01-01T00:00:00.000Z';
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const a = indicator(9201, { object_marking_refs: [GREEN] });
const b = indicator(9202, { object_marking_refs: [RED] });
const c = indicator(9203, { object_marking_refs: [GREEN] });
const redIdentity = { type: 'identity', spec_version: '2.1', id: `identity--${uuid(9204)}`, created: T, modified: T, name: 'red victim', object_marking_refs: [RED] };
const elsewhere = `identity--${uuid(9205)}`;
const rel = (n: number, source: string, target: string) => ({
  type: 'relationship', spec_version: '2.1', id: `relationship--${uuid(n)}`, created: T, modified: T,
  relationship_type: 'related-to', source_ref: source, target_ref: target, object_marking_refs: [GREEN],
});
const sighting = (n: number, of: string, where: string[]) => ({
  type: 'sighting', spec_version: '2.1', id: `sighting--${uuid(n)}`, created: T, modified: T, sighting_of_ref: of,
  ...(where.length ? { where_sighted_refs: where } : {}), object_marking_refs: [GREEN],
});
const toHidden = rel(9301, a.id as string, b.id as string);
const visiblePair = rel(9302, a.id as string, c.id as string);
const toElsewhere = rel(9303, a.id as string, elsewhere);
const sightingOfHidden = sighting(9304, b.id as string, []);
const sightedAtHidden = sighting(9305, c.id as string, [redIdentity.id]);
const plainSighting = sighting(9306, a.id as string, []);
const fromHidden = rel(9307, b.id as string, c.id as string);
const ALL: Record<string, unknown>[] = [a, b, c, redIdentity, toHidden, visiblePair, toElsewhere, sightingOfHidden, sightedAtHidden, plainSighting, fromHidden];
const GREEN_AUTH = () => basic('green-reader', 'green-reader-pw');
const GREEN_PRINCIPAL = (): Principal => ({ id: userPrincipalId(greenId), name: 'green-reader', kind: 'user', isAdmin: false, maxTlp: 'green' });

/** Walks a collection's objects one per page, following next, and returns the ids in order. */
async function walk(collection: string, auth: string, endpoint = 'objects'): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const r = await s.request().get(`/api1/collections/${collection}/${endpoint}/?limit=1${next ? `&next=${encodeURIComponent(next)}` : ''}`).set('Accept', TAXII).set('Authorization', auth);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text);
    const got: Array<{ id: string }> = body.objects ?? [];
    // A page is never cut short by a left-out object: one object per page until the last.
    expect(got).toHaveLength(body.more ? 1 : got.length);
    ids.push(...got.map((o) => o.id));
    if (!body.more) return ids;
    next = body.next;
  }
  throw new Error('paging did not end');
}

test('When a TLP:GREEN reader pages with limit=1 through a collection that omits relationships to hidden objects, Then every page holds one object and those naming a TLP:RED object are left out', async () => {
  const expected = [a, c, visiblePair, toElsewhere, plainSighting].map((o) => o.id);
  const ids = await walk(OMITTING, GREEN_AUTH());
  expect(ids).toEqual(expected);
  expect(await walk(OMITTING, GREEN_AUTH(), 'manifest')).toEqual(expected);
});

test('When a TLP:GREEN reader asks for a relationship or sighting naming a hidden object by id, Then it is the 404 of an unknown object', async () => {
  for (const o of [toHidden, sightingOfHidden, sightedAtHidden, fromHidden]) {
    const r = await s.request().get(`/api1/collections/${OMITTING}/objects/${o.id}/`).set('Accept', TAXII).set('Authorization', GREEN_AUTH());
    expect(r.status).toBe(404);
  }
  const shown = await s.request().get(`/api1/collections/${OMITTING}/objects/${visiblePair.id}/`).set('Accept', TAXII).set('Authorization', GREEN_AUTH());
  expect(JSON.parse(shown.text).objects).toEqual([visiblePair]);
});

test('When the collection keeps the default, or the reader is cleared for TLP:RED, Then relationships naming hidden objects are served as posted', async () => {
  const greenDefault = await walk(DEFAULT, GREEN_AUTH());
  expect(greenDefault).toEqual([a, c, toHidden, visiblePair, toElsewhere, sightingOfHidden, sightedAtHidden, plainSighting, fromHidden].map((o) => o.id));
  expect(await walk(OMITTING, ADMIN_AUTH)).toEqual(ALL.map((o) => o.id));
});

test('When a TLP:GREEN reader pages the change feed with limit=1 or reads the change stream, Then relationships and sightings naming a hidden object are left out there too', async () => {
  const expected = [a, c, visiblePair, toElsewhere, plainSighting].map((o) => o.id);
  const feed: string[] = [];
  let next: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const r = await s.request().get(`/api1/collections/${OMITTING}/changes/?limit=1${next ? `&next=${encodeURIComponent(next)}` : ''}`).set('Accept', TAXII).set('Authorization', GREEN_AUTH());
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text);
    const got: Array<{ id: string }> = body.changes ?? [];
    expect(got).toHaveLength(body.more ? 1 : got.length);
    feed.push(...got.map((e) => e.id));
    if (!body.more) break;
    next = body.next;
  }
  expect(feed).toEqual(expected);
  const stream = await s.rt.changes.openStream(GREEN_PRINCIPAL(), 'api1', OMITTING, { query: { added_after: '2000-01-01T00:00:00Z' }, clientKey: 'hidden-endpoints' });
  try {
    expect((await stream.next()).map((e) => JSON.parse(e.data).id)).toEqual(expected);
  } finally {
    stream.close();
  }
  // The default collection lists them, as its objects endpoint does.
  const all = JSON.parse((await s.request().get(`/api1/collections/${DEFAULT}/changes/`).set('Accept', TAXII).set('Authorization', GREEN_AUTH())).text);
  expect(all.changes.map((e: { id: string }) => e.id)).toContain(toHidden.id);
});

test('When a relationship naming a hidden object is deleted, Then its added and deleted events stay left out of the change feed for a reader who may not see that object', async () => {
  const gone = rel(9308, a.id as string, b.id as string);
  const auth = { Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH };
  expect(JSON.parse((await s.request().post(`/api1/collections/${OMITTING}/objects/`).set(auth).send(envelope([gone]))).text).success_count).toBe(1);
  expect((await s.request().delete(`/api1/collections/${OMITTING}/objects/${gone.id}/`).set(auth)).status).toBe(200);
  const feed = async (authorization: string) =>
    JSON.parse((await s.request().get(`/api1/collections/${OMITTING}/changes/?limit=1000`).set('Accept', TAXII).set('Authorization', authorization)).text).changes as Array<{ id: string; change: string }>;
  expect((await feed(ADMIN_AUTH)).filter((e) => e.id === gone.id).map((e) => e.change)).toEqual(['added', 'deleted']);
  const green = await feed(GREEN_AUTH());
  expect(green.length).toBeGreaterThan(0);
  expect(green.map((e) => e.id)).not.toContain(gone.id);
});

test('When the object_endpoints migration is rolled back and applied again, Then it is filled from the stored relationships and sightings and the same objects are left out', async () => {
  const { migrations } = await import('../../../migrations');
  const source = { getMigrations: async () => [...migrations], getMigrationName: (m: (typeof migrations)[number]) => m[0], getMigration: async (m: (typeof migrations)[number]) => m[1] };
  const before = await walk(OMITTING, GREEN_AUTH());
  const knex = s.rt.db.knex;
  while (await knex.schema.hasTable('object_endpoints')) await knex.migrate.down({ migrationSource: source });
  await knex.migrate.latest({ migrationSource: source });
  expect(Number((await knex('object_endpoints').count({ n: '*' }))[0]!.n)).toBeGreaterThan(0);
  expect(await walk(OMITTING, GREEN_AUTH())).toEqual(before);
});
