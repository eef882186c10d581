/**
 * The object store's per-envelope statements (src/store/object-store.ts addWithin): the existing-version
 * lookups, the bodies of re-posted versions and the clearing of first/last flags each run once per chunk of
 * objects, not once per object. These tests hold what each posted object gets to the per-object rules, with
 * envelopes larger than one chunk, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
 */
import { createDb, migrateLatest, type Db } from '../../src/store/db';
import { CollectionStore } from '../../src/store/collection-store';
import { ObjectStore } from '../../src/store/object-store';
import type { AddOutcome, PreparedObject, VersionSelector } from '../../src/domain/types';
import { versionKey } from '../../src/common/time';
import { freshDatabaseUrl } from '../helpers/server';

const COLL = '0d7c9a52-3f41-4a8e-9b1c-5e2f6a7b8c01';
/** More objects than one lookup chunk (500), so that chunk boundaries are crossed. */
const N = 640;

let dbh: { url: string; drop: () => Promise<void> };
let db: Db;
let store: ObjectStore;

function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function indicator(n: number, modified: string, name = `object ${n}`): PreparedObject {
  const value = { type: 'indicator', spec_version: '2.1', id: `indicator--${uuid(n)}`, created: '2024-01-01T00:00:00.000Z', modified, name };
  return { stixId: value.id, type: 'indicator', specVersion: '2.1', versionKey: versionKey(modified), version: modified, revoked: false, body: JSON.stringify(value), value };
}

/** An object without modified or created: one version per collection. */
function observable(n: number, value = `10.0.${n >> 8}.${n & 255}`): PreparedObject {
  const v = { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${uuid(100_000 + n)}`, value };
  return { stixId: v.id, type: 'ipv4-addr', specVersion: '2.1', revoked: false, body: JSON.stringify(v), value: v };
}

async function edge(stixId: string, which: 'first' | 'last'): Promise<string[]> {
  const versions: VersionSelector = { all: false, last: which === 'last', first: which === 'first', keys: [] };
  return (await store.page({ collectionId: COLL, stixId, filter: { versions }, limit: 10 })).map((o) => o.version);
}

const kinds = (outcomes: readonly AddOutcome[]) => outcomes.map((o) => o.kind);
const OLD = '2024-06-01T00:00:00.000Z';
const NEWER = '2025-01-01T00:00:00.000Z';
const OLDER = '2024-03-01T00:00:00.000Z';

beforeAll(async () => {
  dbh = await freshDatabaseUrl();
  db = createDb({ url: dbh.url });
  await migrateLatest(db);
  await new CollectionStore(db).ensure([{ id: COLL, apiRoot: 'api1' }]);
  store = new ObjectStore(db);
  await store.addObjects(COLL, [...Array.from({ length: N }, (_, i) => indicator(i, OLD)), ...Array.from({ length: N }, (_, i) => observable(i))]);
});

afterAll(async () => {
  await db?.close();
  await dbh?.drop();
});

test('When an envelope re-posts more stored versions than one chunk, some identical and some not, Then each identical one is unchanged and each differing one a conflict', async () => {
  const items = [
    ...Array.from({ length: N }, (_, i) => (i % 3 === 0 ? indicator(i, OLD, 'changed name') : indicator(i, OLD))),
    ...Array.from({ length: N }, (_, i) => (i % 4 === 0 ? observable(i, '192.0.2.1') : observable(i))),
  ];
  const out = await store.addObjects(COLL, items);
  expect(kinds(out)).toEqual(items.map((item, i) => ((i < N ? i % 3 === 0 : (i - N) % 4 === 0) ? 'conflict' : 'unchanged')));
  // Nothing was written: the stored bodies are those of the first post.
  const stored = await store.page({ collectionId: COLL, stixId: indicator(0, OLD).stixId, filter: { versions: { all: true, last: false, first: false, keys: [] } }, limit: 10 });
  expect(stored.map((o) => o.body)).toEqual([indicator(0, OLD).body]);
});

test('When an envelope holds newer versions of some stored objects and older versions of others, across chunks, Then each object has exactly its newest version as last and its oldest as first', async () => {
  const items = Array.from({ length: N }, (_, i) => indicator(i, i % 2 === 0 ? NEWER : OLDER));
  const out = await store.addObjects(COLL, items);
  expect(kinds(out).every((k) => k === 'added')).toBe(true);
  for (const i of [0, 1, 498, 499, 500, 501, N - 2, N - 1]) {
    const id = indicator(i, OLD).stixId;
    expect(await edge(id, 'last')).toEqual([i % 2 === 0 ? NEWER : OLD]);
    expect(await edge(id, 'first')).toEqual([i % 2 === 0 ? OLD : OLDER]);
  }
  const flags = await db.knex('objects').where('collection_id', COLL).where('type', 'indicator').groupBy('stix_id').select('stix_id', db.knex.raw('sum(is_latest) as l'), db.knex.raw('sum(is_first) as f'));
  expect(flags).toHaveLength(N);
  expect(flags.every((r: { l: number | string; f: number | string }) => Number(r.l) === 1 && Number(r.f) === 1)).toBe(true);
});

test('When one envelope holds a version and then a re-post of it (same and different content), Then the re-post is compared with the version added earlier in the envelope', async () => {
  const fresh = indicator(N + 1, NEWER);
  const out = await store.addObjects(COLL, [fresh, indicator(N + 1, NEWER), indicator(N + 1, NEWER, 'other'), indicator(N + 1, OLD)]);
  expect(kinds(out)).toEqual(['added', 'unchanged', 'conflict', 'added']);
  expect(await edge(fresh.stixId, 'last')).toEqual([NEWER]);
  expect(await edge(fresh.stixId, 'first')).toEqual([OLD]);
});
