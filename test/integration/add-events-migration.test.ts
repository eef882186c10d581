/**
 * Migration 20261206090001_add-events-from-objects on a database whose change log holds an add event for every
 * version, as earlier builds wrote it: the add and revocation events of the stored versions go (they are read
 * from the objects table now), those of deleted versions stay with their deletion events, and the feed reads
 * the same events in the same order before and after. Undoing it writes the stored versions' events back.
 */
import { createDb, migrateLatest, type Db } from '../../src/store/db';
import { ChangeStore } from '../../src/store/change-store';
import { ObjectStore } from '../../src/store/object-store';
import { migrations } from '../../migrations';
import { freshDatabaseUrl } from '../helpers/server';
import { migrationsBefore } from '../helpers/migrations';
import { preparedIndicator } from '../helpers/prepared';

const COLL = '7d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a';
const NAME = '20261206090001_add-events-from-objects';

let dbh: { url: string; drop: () => Promise<void> };
let db: Db;
type Event = [position: number, stixId: string, change: string];
let before: Event[];

const logged = async (): Promise<Event[]> =>
  (await db.knex('changes').where('collection_id', COLL).orderBy('position_us').select('position_us', 'stix_id', 'change')).map((r) => [Number(r.position_us), r.stix_id, r.change]);
const feed = async (limit = 100): Promise<Event[]> => {
  const out: Event[] = [];
  let afterUs: number | undefined;
  for (;;) {
    const rows = await new ChangeStore(db).page({ collectionId: COLL, afterUs, limit });
    out.push(...rows.slice(0, limit).map((r): Event => [r.positionUs, r.stixId, r.change]));
    if (rows.length <= limit) return out;
    afterUs = rows[limit - 1]!.positionUs;
  }
};

beforeAll(async () => {
  dbh = await freshDatabaseUrl();
  db = createDb({ url: dbh.url });
  await db.knex.migrate.latest({ migrationSource: migrationsBefore(NAME) });
  await db.knex('collections').insert({ id: COLL, api_root: 'api1', last_date_added_us: 0 });
  const revoked = preparedIndicator(4);
  const revokedValue = { ...revoked.value, modified: '2024-02-01T00:00:00.000Z', revoked: true };
  await new ObjectStore(db).addObjects(COLL, [1, 2, 3].map(preparedIndicator));
  await new ObjectStore(db).addObjects(COLL, [
    { ...revoked, version: revokedValue.modified, versionKey: revokedValue.modified.replace(/\D/g, ''), revoked: true, body: JSON.stringify(revokedValue), value: revokedValue },
  ]);
  // The log as earlier builds left it: an event per version at its date_added; then version 2 deleted, its
  // row removed and its deletion logged after every add, naming its add event's position.
  const rows = await db.knex('objects').where('collection_id', COLL).orderBy('date_added_us').select('stix_id', 'type', 'version', 'date_added_us', 'revoked', 'tlp');
  await db.knex('changes').insert(
    rows.map((r) => ({ collection_id: COLL, position_us: Number(r.date_added_us), stix_id: r.stix_id, type: r.type, version: r.version, change: Number(r.revoked) ? 'revoked' : 'added', tlp: r.tlp })),
  );
  const gone = rows[1]!;
  const deletedAt = Number(rows[rows.length - 1]!.date_added_us) + 1000;
  await db.knex('objects').where({ collection_id: COLL, stix_id: gone.stix_id }).delete();
  await db.knex('changes').insert({ collection_id: COLL, position_us: deletedAt, stix_id: gone.stix_id, type: gone.type, version: gone.version, change: 'deleted', added_us: Number(gone.date_added_us), tlp: gone.tlp });
  await db.knex('collections').where('id', COLL).update({ last_date_added_us: deletedAt });
  before = await logged();
  expect(before.map(([, id, change]) => [id, change])).toEqual([
    [preparedIndicator(1).stixId, 'added'],
    [preparedIndicator(2).stixId, 'added'],
    [preparedIndicator(3).stixId, 'added'],
    [preparedIndicator(4).stixId, 'revoked'],
    [preparedIndicator(2).stixId, 'deleted'],
  ]);
  await migrateLatest(db);
});

afterAll(async () => {
  await db?.close();
  await dbh?.drop();
});

test('When the migration runs, Then the log keeps only the deleted version\'s add event and its deletion, and the feed reads every event as before', async () => {
  expect(await logged()).toEqual([before[1], before[4]]);
  expect(await feed()).toEqual(before);
  // One event per page: the two tables' ranges merge in position order without a skip or a repeat.
  expect(await feed(1)).toEqual(before);
  expect(await feed(2)).toEqual(before);
  expect(await new ChangeStore(db).latestPosition(COLL)).toBe(before[4]![0]);
});

test('When the migration is undone, Then the stored versions\' events are written back to the log', async () => {
  const source = { getMigrations: async () => [...migrations], getMigrationName: (m: (typeof migrations)[number]) => m[0], getMigration: async (m: (typeof migrations)[number]) => m[1] };
  await db.knex.migrate.down({ migrationSource: source, name: NAME });
  expect(await logged()).toEqual(before);
  await db.knex.migrate.latest({ migrationSource: source });
  expect(await logged()).toEqual([before[1], before[4]]);
});
