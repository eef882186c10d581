/**
 * migrateLatest tells its caller which migrations are about to run before running them (`serve` logs them,
 * `migrate` prints them), and nothing when the database is up to date.
 */
import { createDb, migrateLatest, migrationsCurrent, type Db } from '../../src/store/db';
import { migrations } from '../../migrations';
import { freshDatabaseUrl } from '../helpers/server';
import { migrationsBefore } from '../helpers/migrations';

const names = migrations.map(([name]) => name);
const handles: Array<{ db: Db; drop: () => Promise<void> }> = [];

async function freshDb(): Promise<Db> {
  const h = await freshDatabaseUrl();
  const db = createDb({ url: h.url });
  handles.push({ db, drop: h.drop });
  return db;
}

afterAll(async () => {
  for (const h of handles) {
    await h.db.close();
    await h.drop();
  }
});

test('When a new database is migrated, Then every migration is announced once, in order, and none when it is up to date', async () => {
  const db = await freshDb();
  const heard: string[][] = [];
  const applied = await migrateLatest(db, undefined, (pending) => heard.push(pending));
  expect(heard).toEqual([names]);
  expect(applied).toEqual(names);
  expect(await migrationsCurrent(db)).toBe(true);

  await migrateLatest(db, undefined, (pending) => heard.push(pending));
  expect(heard).toHaveLength(1);
});

test('When a database lacks only the newest migration, Then only that one is announced', async () => {
  const db = await freshDb();
  await db.knex.migrate.latest({ migrationSource: migrationsBefore() });
  expect(await migrationsCurrent(db)).toBe(false);
  const heard: string[][] = [];
  expect(await migrateLatest(db, undefined, (pending) => heard.push(pending))).toEqual([names[names.length - 1]]);
  expect(heard).toEqual([[names[names.length - 1]]]);
  expect(await migrationsCurrent(db)).toBe(true);
});
