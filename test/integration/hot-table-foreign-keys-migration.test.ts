/**
 * Migration 20261205090001_hot-table-foreign-keys on a database that already holds objects, change events and
 * relationship endpoints: the rows, the indexes and the AUTOINCREMENT high-water mark stay; only the foreign keys
 * of objects, changes and object_endpoints to collections go. A write to a collection the store does not hold is
 * still refused, by the store, with nothing written.
 */
import { createDb, migrateLatest, type Db } from '../../src/store/db';
import { ObjectStore, StoreWriteError } from '../../src/store/object-store';
import { freshDatabaseUrl } from '../helpers/server';
import { migrationsBefore } from '../helpers/migrations';
import { preparedIndicator } from '../helpers/prepared';

const COLL = '6c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';
const MISSING = '6c1d2e3f-4a5b-4c6d-8e7f-ffffffffffff';
const NAME = '20261205090001_hot-table-foreign-keys';
const HOT = ['objects', 'changes', 'object_endpoints'];

let dbh: { url: string; drop: () => Promise<void> };
let db: Db;
let indexesBefore: Record<string, string[]>;
let highestSeqBefore: number;

async function indexes(table: string): Promise<string[]> {
  if (db.dialect === 'sqlite') {
    const rows: Array<{ name: string }> = await db.knex('sqlite_master').where({ type: 'index', tbl_name: table }).select('name');
    return rows.map((r) => r.name).sort();
  }
  const rows: Array<{ indexname: string }> = await db.knex('pg_indexes').where({ tablename: table, schemaname: 'public' }).select('indexname');
  return rows.map((r) => r.indexname).sort();
}

/** The tables a table's foreign keys point at. */
async function references(table: string): Promise<string[]> {
  if (db.dialect === 'sqlite') {
    const rows: Array<{ table: string }> = await db.knex.raw(`select "table" from pragma_foreign_key_list(?)`, [table]);
    return rows.map((r) => r.table).sort();
  }
  const r = await db.knex.raw(`select confrelid::regclass::text as target from pg_constraint where contype = 'f' and conrelid = ?::regclass`, [table]);
  return (r.rows as Array<{ target: string }>).map((x) => x.target).sort();
}

beforeAll(async () => {
  dbh = await freshDatabaseUrl();
  db = createDb({ url: dbh.url });
  await db.knex.migrate.latest({ migrationSource: migrationsBefore(NAME) });
  await db.knex('collections').insert({ id: COLL, api_root: 'api1', last_date_added_us: 0 });
  const store = new ObjectStore(db);
  await store.addObjects(COLL, [1, 2, 3].map(preparedIndicator));
  const rel = {
    type: 'relationship',
    spec_version: '2.1',
    id: 'relationship--6c1d2e3f-4a5b-4c6d-8e7f-000000000001',
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    relationship_type: 'indicates',
    source_ref: preparedIndicator(1).stixId,
    target_ref: preparedIndicator(2).stixId,
  };
  await store.addObjects(COLL, [{ stixId: rel.id, type: rel.type, specVersion: '2.1', version: rel.modified, versionKey: rel.modified.replace(/\D/g, ''), revoked: false, body: JSON.stringify(rel), value: rel }]);
  // The newest version goes: AUTOINCREMENT must not hand its seq out again.
  highestSeqBefore = Number((await db.knex('objects').max({ m: 'seq' }))[0]!.m);
  await store.deleteVersions(COLL, rel.id, { versions: { all: true, last: false, first: false, keys: [] } });
  indexesBefore = Object.fromEntries(await Promise.all(HOT.map(async (t) => [t, await indexes(t)] as const)));
  expect(await references('objects')).toEqual(['collections']);
  await migrateLatest(db);
});

afterAll(async () => {
  await db?.close();
  await dbh?.drop();
});

test('When the migration runs, Then objects, changes and endpoints keep every row and index and lose only their foreign keys', async () => {
  expect(await db.knex('objects').orderBy('stix_id').pluck('stix_id')).toEqual([1, 2, 3].map((n) => preparedIndicator(n).stixId));
  // The log holds the deleted relationship's add event and its deletion (a stored version's add event is its row).
  const events = await db.knex('changes').orderBy('position_us').select('stix_id', 'change');
  expect(events.map((e) => [e.stix_id, e.change])).toEqual([
    ['relationship--6c1d2e3f-4a5b-4c6d-8e7f-000000000001', 'added'],
    ['relationship--6c1d2e3f-4a5b-4c6d-8e7f-000000000001', 'deleted'],
  ]);
  expect(Number((await db.knex('object_endpoints').count({ n: '*' }))[0]!.n)).toBe(2);
  for (const table of HOT) {
    expect(await indexes(table)).toEqual(indexesBefore[table]);
    expect(await references(table)).toEqual([]);
  }
  // The other tables that name a collection keep theirs.
  expect(await references('review_submissions')).toContain('collections');
  expect(await references('webhooks')).toEqual(['collections']);
});

test('When an object is added after the migration, Then its seq is above every seq used before it, even a deleted one', async () => {
  await new ObjectStore(db).addObjects(COLL, [preparedIndicator(4)]);
  const seq = Number((await db.knex('objects').where('stix_id', preparedIndicator(4).stixId).first('seq'))!.seq);
  expect(seq).toBeGreaterThan(highestSeqBefore);
});

test('When objects are posted to a collection the store does not hold, Then the store refuses them and writes no row', async () => {
  const counts = async () => Promise.all(HOT.map(async (t) => Number((await db.knex(t).count({ n: '*' }))[0]!.n)));
  const was = await counts();
  await expect(new ObjectStore(db).addObjects(MISSING, [preparedIndicator(5)])).rejects.toBeInstanceOf(StoreWriteError);
  expect(await counts()).toEqual(was);
  expect(Number((await db.knex('objects').where('collection_id', MISSING).count({ n: '*' }))[0]!.n)).toBe(0);
});
