/**
 * Db.select, the read path of authentication and pages: while a write transaction is open, a read
 * answers at once with the last committed state (never the rows of the open transaction), and it sees
 * the transaction's rows as soon as it commits. Runs on SQLite (its own read connection) and, in the
 * PostgreSQL pass, on PostgreSQL.
 */
import { createDb, migrateLatest, type Db } from '../../src/store/db';
import { CollectionStore } from '../../src/store/collection-store';
import { ObjectStore } from '../../src/store/object-store';
import { UserStore } from '../../src/store/user-store';
import type { VersionSelector } from '../../src/domain/types';
import { freshDatabaseUrl } from '../helpers/server';
import { preparedIndicator } from '../helpers/prepared';

const COLL = '0b7c9a52-3f2e-4d6c-8a1b-5e4f3d2c1b0a';
const LAST: VersionSelector = { all: false, last: true, first: false, keys: [] };

let dbh: { url: string; drop: () => Promise<void> };
let db: Db;
let objects: ObjectStore;
let users: UserStore;

/** Resolves to the value, or rejects when the promise has not settled within `ms`. */
async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  dbh = await freshDatabaseUrl();
  db = createDb({ url: dbh.url });
  await migrateLatest(db);
  await new CollectionStore(db).ensure([{ id: COLL, apiRoot: 'api1' }]);
  objects = new ObjectStore(db);
  users = new UserStore(db);
  await objects.addObjects(COLL, [preparedIndicator(1)]);
});

afterAll(async () => {
  await db?.close();
  await dbh?.drop();
});

test('a page read during an open write transaction answers at once with the committed rows only', async () => {
  let release!: () => void;
  const hold = new Promise<void>((r) => (release = r));
  let inserted!: () => void;
  const insertedNow = new Promise<void>((r) => (inserted = r));
  const writer = db.knex.transaction(async (trx) => {
    await trx('objects').insert({
      collection_id: COLL,
      stix_id: preparedIndicator(2).stixId,
      type: 'indicator',
      spec_version: '2.1',
      version_key: '20240101000000000',
      version: '2024-01-01T00:00:00.000Z',
      date_added_us: 9_000_000_000_000_000,
      is_latest: 1,
      is_first: 1,
      revoked: 0,
      tlp: null,
      body: preparedIndicator(2).body,
    });
    inserted();
    await hold;
  });
  await insertedNow;
  try {
    const during = await within(2000, objects.page({ collectionId: COLL, filter: { versions: LAST }, limit: 10 }));
    expect(during.map((o) => o.stixId)).toEqual([preparedIndicator(1).stixId]);
    expect(await within(2000, objects.exists(COLL, preparedIndicator(2).stixId))).toBe(false);
  } finally {
    release();
    await writer;
  }
  const after = await objects.page({ collectionId: COLL, filter: { versions: LAST }, limit: 10 });
  expect(after.map((o) => o.stixId)).toEqual([preparedIndicator(1).stixId, preparedIndicator(2).stixId]);
  expect(after[1]!.body).toBe(preparedIndicator(2).body);
  expect(await objects.exists(COLL, preparedIndicator(2).stixId)).toBe(true);
});

test('a user changed through the writer is read back changed on the next lookup', async () => {
  await users.upsert({ username: 'reader-path', passwordHash: 'scrypt$x', isAdmin: false, maxTlp: 'green' });
  expect((await users.findByName('reader-path'))?.maxTlp).toBe('green');
  await users.setMaxTlp('reader-path', 'amber');
  await users.setDisabled('reader-path', true);
  const u = await users.findByName('reader-path');
  expect(u).toMatchObject({ maxTlp: 'amber', disabled: true });
  expect(await users.findByName('nobody-by-that-name')).toBeUndefined();
});

test('many distinct statements in a row are all answered correctly', async () => {
  // More distinct SQL texts than the SQLite read connection keeps prepared.
  for (let n = 1; n <= 300; n++) {
    const ids = Array.from({ length: n }, (_, i) => preparedIndicator(i + 1).stixId);
    const rows = await db.select(db.knex('objects').where('collection_id', COLL).whereIn('stix_id', ids).select('stix_id'));
    expect(rows.length).toBe(Math.min(n, 2));
  }
});

const onSqlite = /^postgres/.test(process.env.TEST_DATABASE_URL ?? '') ? test.skip : test;

onSqlite('select refuses a statement that returns no rows (SQLite)', async () => {
  await expect(db.select(db.knex('users').where({ username: 'reader-path' }).update({ disabled: 0 }))).rejects.toThrow(/only statements that return rows/);
  expect((await users.findByName('reader-path'))?.disabled).toBe(true);
});
