/**
 * Migration 20261204090001_ingest-indexes on a database that already holds deletion events: each gets the
 * position of its version's add event, so retention still removes that add event once the index by id is gone.
 */
import { createDb, migrateLatest, type Db } from '../../src/store/db';
import { ChangeStore } from '../../src/store/change-store';
import { freshDatabaseUrl } from '../helpers/server';
import { migrationsBefore } from '../helpers/migrations';

const COLL = '0b7f3c1e-5d2a-4e8b-9c6d-1a2b3c4d5e6f';
const ID = 'indicator--0b7f3c1e-5d2a-4e8b-9c6d-00000000000a';
const KEPT = 'indicator--0b7f3c1e-5d2a-4e8b-9c6d-00000000000b';
const NAME = '20261204090001_ingest-indexes';

let dbh: { url: string; drop: () => Promise<void> };
let db: Db;

beforeAll(async () => {
  dbh = await freshDatabaseUrl();
  db = createDb({ url: dbh.url });
  await db.knex.migrate.latest({ migrationSource: migrationsBefore(NAME) });
  await db.knex('collections').insert({ id: COLL, api_root: 'api1', last_date_added_us: 0 });
  const event = (position: number, stixId: string, version: string, change: string) => ({ collection_id: COLL, position_us: position, stix_id: stixId, type: 'indicator', version, change, tlp: null });
  // ID: version v1 added (100), deleted (200), added again (300), deleted again (400); v2 added (150), kept.
  // KEPT: added (120), never deleted.
  await db.knex('changes').insert([
    event(100, ID, 'v1', 'added'),
    event(120, KEPT, 'v1', 'added'),
    event(150, ID, 'v2', 'added'),
    event(200, ID, 'v1', 'deleted'),
    event(300, ID, 'v1', 'revoked'),
    event(400, ID, 'v1', 'deleted'),
  ]);
  await migrateLatest(db);
});

afterAll(async () => {
  await db?.close();
  await dbh?.drop();
});

test('When the migration runs, Then each stored deletion event names the position of the add event it deleted', async () => {
  const rows = await db.knex('changes').where('change', 'deleted').orderBy('position_us').select('position_us', 'added_us');
  expect(rows.map((r) => [Number(r.position_us), Number(r.added_us)])).toEqual([
    [200, 100],
    [400, 300],
  ]);
  const adds = await db.knex('changes').whereNot('change', 'deleted').select('added_us');
  expect(adds.every((r) => r.added_us === null)).toBe(true);
});

test('When retention prunes the migrated deletion events, Then their add events go and every other event stays', async () => {
  expect(await new ChangeStore(db).pruneDeletions(10_000)).toBe(2);
  const left = await db.knex('changes').orderBy('position_us').select('position_us', 'stix_id', 'version', 'change');
  expect(left.map((r) => [Number(r.position_us), r.stix_id, r.version, r.change])).toEqual([
    [120, KEPT, 'v1', 'added'],
    [150, ID, 'v2', 'added'],
  ]);
});
