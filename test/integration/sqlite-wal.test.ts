/**
 * SQLite's write-ahead log: commits leave up to 128 MB in the WAL before a checkpoint inside a commit (a
 * backstop: bulk writes are checkpointed on a thread of their own), and once bulk writes pause the store
 * checkpoints it, so the database file itself holds what was written. Seen from outside: a copy of the
 * database file alone (without its -wal) has the rows only after the quiet period. PostgreSQL has no such
 * file: these tests run in the SQLite pass only.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { createDb, migrateLatest, type Db } from '../../src/store/db';
import { CollectionStore } from '../../src/store/collection-store';
import { ObjectStore } from '../../src/store/object-store';
import { freshDatabaseUrl } from '../helpers/server';
import { preparedIndicator } from '../helpers/prepared';

const COLL = '7d2e4f60-1a3b-4c5d-8e9f-a0b1c2d3e4f5';
/** The quiet period given to the store here; the waits below leave it wide margins on a loaded machine. */
const QUIET_MS = 1000;
const onSqlite = /^postgres/.test(process.env.TEST_DATABASE_URL ?? '') ? test.skip : test;

/** Objects in the database file alone, read from a copy made without the WAL (0 when it has no table yet). */
function objectsInMainFile(file: string): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-wal-copy-'));
  try {
    const copy = path.join(dir, 'copy.sqlite3');
    fs.copyFileSync(file, copy);
    const conn = new Database(copy, { readonly: true });
    try {
      const table = conn.prepare(`select 1 from sqlite_master where type = 'table' and name = 'objects'`).get();
      return table ? (conn.prepare('select count(*) as n from objects').get() as { n: number }).n : 0;
    } finally {
      conn.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let dbh: { url: string; drop: () => Promise<void> };
let db: Db;

beforeAll(async () => {
  dbh = await freshDatabaseUrl();
  db = createDb({ url: dbh.url, idleCheckpointMs: QUIET_MS });
  await migrateLatest(db);
  await new CollectionStore(db).ensure([{ id: COLL, apiRoot: 'api1' }]);
});

afterAll(async () => {
  await db?.close();
  await dbh?.drop();
});

onSqlite('the writer keeps its statement journals and temporary tables in memory', async () => {
  expect(await db.knex.raw('pragma temp_store')).toEqual([{ temp_store: 2 }]);
});

onSqlite('the writer caches up to 16 MB of pages (a negative cache_size is in KB)', async () => {
  expect(await db.knex.raw('pragma cache_size')).toEqual([{ cache_size: -16384 }]);
});

onSqlite('commits leave up to 128 MB in the WAL before checkpointing inside a commit (16,384 pages of 8 KB)', async () => {
  const rows = await db.knex.raw('pragma wal_autocheckpoint');
  const size = await db.knex.raw('pragma page_size');
  expect(rows).toEqual([{ wal_autocheckpoint: 16384 }]);
  expect(rows[0].wal_autocheckpoint * size[0].page_size).toBe(128 * 1024 * 1024);
});

onSqlite('after bulk writes pause, the WAL is checkpointed into the database file and emptied', async () => {
  const store = new ObjectStore(db);
  await store.addObjects(COLL, Array.from({ length: 300 }, (_, i) => preparedIndicator(i + 1)));
  // Committed, readable, and still only in the WAL.
  expect((await store.page({ collectionId: COLL, filter: { versions: { all: true, last: false, first: false, keys: [] } }, limit: 1000 })).length).toBe(300);
  expect(objectsInMainFile(dbh.url)).toBe(0);

  // Another write inside the quiet period postpones the checkpoint.
  await new Promise((r) => setTimeout(r, QUIET_MS * 0.6));
  await store.addObjects(COLL, [preparedIndicator(301)]);
  await new Promise((r) => setTimeout(r, QUIET_MS * 0.5));
  expect(objectsInMainFile(dbh.url)).toBe(0);

  let inFile = 0;
  for (let i = 0; i < 50 && inFile !== 301; i++) {
    await new Promise((r) => setTimeout(r, 100));
    inFile = objectsInMainFile(dbh.url);
  }
  expect(inFile).toBe(301);
  // And the WAL file gives back the size it reached.
  let walBytes = -1;
  for (let i = 0; i < 50 && walBytes !== 0; i++) {
    walBytes = fs.statSync(`${dbh.url}-wal`).size;
    if (walBytes !== 0) await new Promise((r) => setTimeout(r, 100));
  }
  expect(walBytes).toBe(0);
  // The next write extends it again.
  await store.addObjects(COLL, [preparedIndicator(302)]);
  expect(fs.statSync(`${dbh.url}-wal`).size).toBeGreaterThan(0);
  for (let i = 0; i < 50 && inFile !== 302; i++) {
    await new Promise((r) => setTimeout(r, 100));
    inFile = objectsInMainFile(dbh.url);
  }
  expect(inFile).toBe(302);
});

onSqlite('the checkpoint thread is stopped once writing pauses, and the next pause checkpoints again', async () => {
  const store = new ObjectStore(db);
  const before = objectsInMainFile(dbh.url);
  // The previous test's pause ended with a checkpoint, which stopped the thread: this burst starts another.
  await store.addObjects(COLL, Array.from({ length: 40 }, (_, i) => preparedIndicator(1000 + i)));
  let inFile = before;
  for (let i = 0; i < 50 && inFile !== before + 40; i++) {
    await new Promise((r) => setTimeout(r, 100));
    inFile = objectsInMainFile(dbh.url);
  }
  expect(inFile).toBe(before + 40);
});

onSqlite('while bulk writes go on, the WAL is checkpointed on the thread without waiting for a pause', async () => {
  const other = await freshDatabaseUrl();
  // No quiet period within the test: what reaches the database file gets there while writing goes on.
  const busy = createDb({ url: other.url, idleCheckpointMs: 600_000, walCheckpointRows: { start: 100, wait: 200 } });
  try {
    await migrateLatest(busy);
    await new CollectionStore(busy).ensure([{ id: COLL, apiRoot: 'api1' }]);
    const store = new ObjectStore(busy);
    let written = 0;
    let inFile = 0;
    for (let batch = 0; batch < 40 && inFile === 0; batch++) {
      await store.addObjects(COLL, Array.from({ length: 50 }, (_, i) => preparedIndicator(5000 + written + i)));
      written += 50;
      inFile = objectsInMainFile(other.url);
    }
    // A checkpoint started after the first 100 rows, and a restart once 200 were committed, while writing went on.
    expect(inFile).toBeGreaterThan(0);
    expect(written).toBeLessThan(2000);
    // Every committed row is readable (a page large enough for all of them: a loaded machine may write up to 1,950).
    expect((await store.page({ collectionId: COLL, filter: { versions: { all: true, last: false, first: false, keys: [] } }, limit: 2000 })).length).toBe(written);
  } finally {
    await busy.close();
    await other.drop();
  }
});

onSqlite('a write that begins while the WAL restarts waits for it in the pool, and the event loop keeps turning', async () => {
  const other = await freshDatabaseUrl();
  const busy = createDb({ url: other.url, idleCheckpointMs: 600_000, walCheckpointRows: { start: 1, wait: 50 } });
  let outside: Database.Database | undefined;
  try {
    await migrateLatest(busy);
    await new CollectionStore(busy).ensure([{ id: COLL, apiRoot: 'api1' }]);
    const store = new ObjectStore(busy);
    // The first commit starts the checkpoint thread; it is running before the restart begins.
    await store.addObjects(COLL, [preparedIndicator(9000)]);
    await busy.checkpoint!();
    // Another process's reader holding a snapshot from before the restart's commit: the RESTART checkpoint,
    // holding the writer, waits for it to let go.
    outside = new Database(other.url, { readonly: true });
    const held = outside.prepare('select stix_id from objects').iterate();
    held.next();
    // 50 rows: the commit that crosses the wait limit starts the restart.
    await store.addObjects(COLL, Array.from({ length: 50 }, (_, i) => preparedIndicator(9100 + i)));
    await new Promise((r) => setTimeout(r, 50));
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 10);
    const letGo = new Promise<void>((resolve) =>
      setTimeout(() => {
        held.return?.();
        resolve();
      }, 400),
    );
    try {
      // A write other than the objects' (the audit log, a status record) at the same moment.
      const started = Date.now();
      await busy.knex.transaction(async (trx) => {
        await trx('collections').where({ id: COLL }).update({ id: COLL });
      });
      // It waited for the reader to let go, and the event loop went round meanwhile.
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(ticks).toBeGreaterThanOrEqual(10);
    } finally {
      clearInterval(ticking);
      await letGo;
    }
    expect((await store.page({ collectionId: COLL, filter: { versions: { all: true, last: false, first: false, keys: [] } }, limit: 1000 })).length).toBe(51);
  } finally {
    outside?.close();
    await busy.close();
    await other.drop();
  }
});
