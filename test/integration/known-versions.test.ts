/**
 * POST reads the stored versions of the posted ids before validating (ObjectStore.storedVersions), with the
 * collection's write position read first; the write transaction reuses those rows instead of reading them
 * again while that position has not moved; when it has, only the posted ids that gained a version since are
 * read again (all of them after a deletion, or past ADDED_SINCE_BOUND added versions). A version added or
 * deleted in between must be seen, as if the rows had been read inside the transaction. Runs on SQLite and
 * on PostgreSQL (TEST_DATABASE_URL).
 */
import { createDb, migrateLatest, type Db } from '../../src/store/db';
import { CollectionStore } from '../../src/store/collection-store';
import { ObjectStore } from '../../src/store/object-store';
import { ADDED_SINCE_BOUND, ObjectWrites } from '../../src/store/object-writes';
import type { PreparedObject } from '../../src/domain/types';
import { freshDatabaseUrl } from '../helpers/server';
import { preparedIndicator } from '../helpers/prepared';

const COLL = '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const WRITER = { principalId: 'curator-1', principalName: 'curator' };

let dbh: { url: string; drop: () => Promise<void> };
let db: Db;
let store: ObjectStore;
let reads: jest.SpyInstance;

/** Indicator `n` at version `modified` (a later modified is a later version). */
function version(n: number, modified: string): PreparedObject {
  const base = preparedIndicator(n);
  const value = { ...(base.value as Record<string, unknown>), modified };
  return { ...base, version: modified, versionKey: modified.replace(/\D/g, ''), body: JSON.stringify(value), value };
}

async function flags(n: number): Promise<Array<{ version: string; latest: number; first: number }>> {
  const rows = await db.knex('objects').where({ collection_id: COLL, stix_id: preparedIndicator(n).stixId }).orderBy('version_key').select('version', 'is_latest', 'is_first');
  return rows.map((r: { version: string; is_latest: number; is_first: number }) => ({ version: r.version, latest: Number(r.is_latest), first: Number(r.is_first) }));
}

beforeAll(async () => {
  dbh = await freshDatabaseUrl();
  db = createDb({ url: dbh.url });
  await migrateLatest(db);
  await new CollectionStore(db).ensure([{ id: COLL, apiRoot: 'api1' }]);
  store = new ObjectStore(db);
});

beforeEach(() => {
  reads = jest.spyOn(ObjectWrites.prototype as unknown as { existingRows: () => unknown }, 'existingRows');
});

afterEach(() => reads.mockRestore());

afterAll(async () => {
  await db?.close();
  await dbh?.drop();
});

const T1 = '2025-01-01T00:00:00.000Z';
const T2 = '2025-02-01T00:00:00.000Z';
const T3 = '2025-03-01T00:00:00.000Z';

test('with nothing written since the lookup, the rows read then are used: a re-post is unchanged and a new version takes the flags', async () => {
  await store.addObjects(COLL, [version(1, T1)], WRITER);
  const { history, known } = await store.storedVersions(COLL, [preparedIndicator(1).stixId]);
  expect(history.get(preparedIndicator(1).stixId)?.map((h) => h.version)).toEqual([T1]);
  reads.mockClear();
  const out = await store.addObjects(COLL, [version(1, T1), version(1, T2)], { ...WRITER, known });
  expect(out.map((o) => o.kind)).toEqual(['unchanged', 'added']);
  expect(reads).not.toHaveBeenCalled();
  expect(await flags(1)).toEqual([
    { version: T1, latest: 0, first: 1 },
    { version: T2, latest: 1, first: 0 },
  ]);
});

test('a version another writer added after the lookup is seen: the same version posted again is unchanged, not a second row', async () => {
  await store.addObjects(COLL, [version(2, T1)], WRITER);
  const { known } = await store.storedVersions(COLL, [preparedIndicator(2).stixId]);
  await store.addObjects(COLL, [version(2, T2)], WRITER);
  reads.mockClear();
  const out = await store.addObjects(COLL, [version(2, T2), version(2, T3)], { ...WRITER, known });
  expect(out.map((o) => o.kind)).toEqual(['unchanged', 'added']);
  expect(reads).toHaveBeenCalledTimes(1);
  expect(await flags(2)).toEqual([
    { version: T1, latest: 0, first: 1 },
    { version: T2, latest: 0, first: 0 },
    { version: T3, latest: 1, first: 0 },
  ]);
});

test('a version deleted after the lookup is seen: posting it again adds it, and the flags follow what is left', async () => {
  await store.addObjects(COLL, [version(3, T1), version(3, T2)], WRITER);
  const { known } = await store.storedVersions(COLL, [preparedIndicator(3).stixId]);
  const removed = await store.deleteVersions(COLL, preparedIndicator(3).stixId, { versions: { all: false, last: true, first: false, keys: [] } });
  expect(removed).toBe(1);
  reads.mockClear();
  const out = await store.addObjects(COLL, [version(3, T2)], { ...WRITER, known });
  expect(out.map((o) => o.kind)).toEqual(['added']);
  expect(reads).toHaveBeenCalledTimes(1);
  expect(await flags(3)).toEqual([
    { version: T1, latest: 0, first: 1 },
    { version: T2, latest: 1, first: 0 },
  ]);
});

test('an id the lookup did not cover is read in the transaction', async () => {
  await store.addObjects(COLL, [version(4, T1)], WRITER);
  const { known } = await store.storedVersions(COLL, []);
  reads.mockClear();
  const out = await store.addObjects(COLL, [version(4, T1)], { ...WRITER, known });
  expect(out.map((o) => o.kind)).toEqual(['unchanged']);
  expect(reads).toHaveBeenCalledTimes(1);
});

test('versions of other ids added after the lookup leave the rows read then in use: nothing is looked up again', async () => {
  await store.addObjects(COLL, [version(5, T1)], WRITER);
  const { known } = await store.storedVersions(COLL, [preparedIndicator(5).stixId]);
  await store.addObjects(COLL, [version(6, T1), version(6, T2)], WRITER);
  reads.mockClear();
  const out = await store.addObjects(COLL, [version(5, T1), version(5, T2)], { ...WRITER, known });
  expect(out.map((o) => o.kind)).toEqual(['unchanged', 'added']);
  expect(reads).not.toHaveBeenCalled();
  expect(await flags(5)).toEqual([
    { version: T1, latest: 0, first: 1 },
    { version: T2, latest: 1, first: 0 },
  ]);
});

test('only the posted ids that gained a version since the lookup are looked up again; the others keep the rows read then', async () => {
  await store.addObjects(COLL, [version(7, T1), version(8, T1)], WRITER);
  const { known } = await store.storedVersions(COLL, [preparedIndicator(7).stixId, preparedIndicator(8).stixId]);
  await store.addObjects(COLL, [version(7, T2)], WRITER);
  reads.mockClear();
  const out = await store.addObjects(COLL, [version(7, T2), version(7, T3), version(8, T2)], { ...WRITER, known });
  expect(out.map((o) => o.kind)).toEqual(['unchanged', 'added', 'added']);
  expect(reads).toHaveBeenCalledTimes(1);
  const looked = reads.mock.calls[0]![2] as PreparedObject[];
  expect([...new Set(looked.map((i) => i.stixId))]).toEqual([preparedIndicator(7).stixId]);
  expect(await flags(7)).toEqual([
    { version: T1, latest: 0, first: 1 },
    { version: T2, latest: 0, first: 0 },
    { version: T3, latest: 1, first: 0 },
  ]);
  expect(await flags(8)).toEqual([
    { version: T1, latest: 0, first: 1 },
    { version: T2, latest: 1, first: 0 },
  ]);
});

test('a deletion of another object after the lookup has every posted id looked up again', async () => {
  await store.addObjects(COLL, [version(9, T1), version(10, T1)], WRITER);
  const { known } = await store.storedVersions(COLL, [preparedIndicator(9).stixId]);
  expect(await store.deleteVersions(COLL, preparedIndicator(10).stixId, { versions: { all: true, last: false, first: false, keys: [] } })).toBe(1);
  reads.mockClear();
  const out = await store.addObjects(COLL, [version(9, T2)], { ...WRITER, known });
  expect(out.map((o) => o.kind)).toEqual(['added']);
  expect(reads).toHaveBeenCalledTimes(1);
  expect((reads.mock.calls[0]![2] as PreparedObject[]).map((i) => i.stixId)).toEqual([preparedIndicator(9).stixId]);
});

test(`past ${ADDED_SINCE_BOUND} versions added since the lookup, every posted id is looked up again (and a version among them is seen)`, async () => {
  await store.addObjects(COLL, [version(11, T1)], WRITER);
  const { known } = await store.storedVersions(COLL, [preparedIndicator(11).stixId]);
  // The bound's worth of other objects first, then a new version of the posted one: the last to be listed.
  for (let start = 0; start < ADDED_SINCE_BOUND; start += 500) {
    await store.addObjects(COLL, Array.from({ length: Math.min(500, ADDED_SINCE_BOUND - start) }, (_, i) => preparedIndicator(100_000 + start + i)), WRITER);
  }
  await store.addObjects(COLL, [version(11, T2)], WRITER);
  reads.mockClear();
  const out = await store.addObjects(COLL, [version(11, T2), version(11, T3)], { ...WRITER, known });
  expect(out.map((o) => o.kind)).toEqual(['unchanged', 'added']);
  expect(reads).toHaveBeenCalledTimes(1);
  expect(await flags(11)).toEqual([
    { version: T1, latest: 0, first: 1 },
    { version: T2, latest: 0, first: 0 },
    { version: T3, latest: 1, first: 0 },
  ]);
});
