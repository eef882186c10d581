/** The console's session store and its migration (SQLite, and PostgreSQL with TEST_DATABASE_URL). */
import { createDb, migrateDown, migrateLatest, type Db } from '../../src/store/db';
import { SessionStore } from '../../src/store/session-store';
import { freshDatabaseUrl } from '../helpers/server';

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  const fresh = await freshDatabaseUrl();
  drop = fresh.drop;
  db = createDb({ url: fresh.url });
  await migrateLatest(db);
});
afterAll(async () => {
  await db.close();
  await drop();
});

const session = (idHash: string, lastSeenMs: number) => ({ idHash, userId: '00000000-0000-4000-8000-000000000001', csrfToken: `csrf-${idHash.slice(0, 38)}`, createdAtMs: 1000, lastSeenMs });

test('When sessions are stored, touched and purged, Then each is found by its hash until it is idle past the cut-off or deleted', async () => {
  const store = new SessionStore(db);
  await store.create(session('a'.repeat(64), 5_000));
  await store.create(session('b'.repeat(64), 9_000));
  expect(await store.find('a'.repeat(64))).toEqual(session('a'.repeat(64), 5_000));
  await store.touch('a'.repeat(64), 20_000);
  expect((await store.find('a'.repeat(64)))?.lastSeenMs).toBe(20_000);
  expect(await store.purgeIdle(10_000)).toBe(1);
  expect(await store.find('b'.repeat(64))).toBeUndefined();
  await store.delete('a'.repeat(64));
  expect(await store.find('a'.repeat(64))).toBeUndefined();
});

test('When the migrations are rolled back and applied again, Then the sessions table goes and comes back', async () => {
  await migrateDown(db);
  expect(await db.knex.schema.hasTable('console_sessions')).toBe(false);
  await migrateLatest(db);
  expect(await db.knex.schema.hasTable('console_sessions')).toBe(true);
});
