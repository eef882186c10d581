/**
 * PostgreSQL's planner statistics follow bulk writes without autovacuum: after enough objects are added
 * the objects table is analyzed in the background, and the first page of a public collection is then read
 * from an index instead of sorting the collection. A table filled but never analyzed is analyzed when a
 * server opens it. SQLite plans without statistics (docs/query-plans.md): there the keeper is absent.
 */
import { createDb, migrateLatest, type Db } from '../../src/store/db';
import { CollectionStore } from '../../src/store/collection-store';
import { ObjectStore } from '../../src/store/object-store';
import { PlannerStats } from '../../src/store/planner-stats';
import type { VersionSelector } from '../../src/domain/types';
import { freshDatabaseUrl } from '../helpers/server';
import { preparedIndicator } from '../helpers/prepared';

const COLL = '3c1f0e2d-7a6b-4c5d-9e8f-0a1b2c3d4e5f';
const LAST: VersionSelector = { all: false, last: true, first: false, keys: [] };
const onPostgres = /^postgres/.test(process.env.TEST_DATABASE_URL ?? '');
const pgTest = onPostgres ? test : test.skip;
const sqliteTest = onPostgres ? test.skip : test;

async function fill(store: ObjectStore, from: number, count: number): Promise<void> {
  for (let start = from; start < from + count; start += 250) {
    await store.addObjects(COLL, Array.from({ length: Math.min(250, from + count - start) }, (_, i) => preparedIndicator(start + i)));
  }
}

async function open(url: string, errors: string[] = []): Promise<{ db: Db; store: ObjectStore }> {
  const db = createDb({ url, onBackgroundError: (message) => errors.push(message) });
  await migrateLatest(db);
  await new CollectionStore(db).ensure([{ id: COLL, apiRoot: 'api1' }]);
  return { db, store: new ObjectStore(db) };
}

async function reltuples(db: Db): Promise<number> {
  const r = await db.knex.raw(`select reltuples from pg_class where oid = to_regclass('objects')`);
  return Number(r.rows[0].reltuples);
}

let dbh: { url: string; drop: () => Promise<void> };
const extra: Array<{ url: string; drop: () => Promise<void> }> = [];

beforeAll(async () => {
  dbh = await freshDatabaseUrl();
});

afterAll(async () => {
  await dbh?.drop();
  for (const d of extra) await d.drop();
});

sqliteTest('SQLite has no planner-statistics keeper', async () => {
  const { db } = await open(dbh.url);
  try {
    expect(db.plannerStats).toBeUndefined();
  } finally {
    await db.close();
  }
});

pgTest('a few hundred objects leave the statistics alone; past 1,000 the table is analyzed and page 1 reads an index', async () => {
  const errors: string[] = [];
  const { db, store } = await open(dbh.url, errors);
  try {
    await fill(store, 0, 500);
    await db.plannerStats!.idle();
    expect(await reltuples(db)).toBeLessThan(0);

    await fill(store, 500, 700);
    await db.plannerStats!.idle();
    // Analyzed once 1,000 rows were in (the last batch may have committed before or after it read).
    expect(await reltuples(db)).toBeGreaterThanOrEqual(1000);
    expect(await reltuples(db)).toBeLessThanOrEqual(1200);
    const stat = await db.knex.raw(`select last_analyze from pg_stat_user_tables where relname = 'objects'`);
    expect(stat.rows[0].last_analyze).not.toBeNull();
    // On a small sample: a histogram of at most 31 bounds (the database's default target would give 101 here).
    const bounds = await db.knex.raw(`select array_length(histogram_bounds::text::text[], 1) as n from pg_stats where tablename = 'objects' and attname = 'date_added_us'`);
    expect(bounds.rows[0].n).toBeGreaterThan(1);
    expect(bounds.rows[0].n).toBeLessThanOrEqual(31);
    // The stored bodies are never sampled (migration 20261207090001): nothing filters or sorts on them.
    const body = await db.knex.raw(`select count(*)::int as n from pg_stats where tablename = 'objects' and attname = 'body'`);
    expect(body.rows[0].n).toBe(0);

    // The first page of a public collection, as an anonymous reader limited to TLP:CLEAR asks for it.
    const { sql, bindings } = store.pageSql({ collectionId: COLL, filter: { versions: LAST }, limit: 100, visibility: { maxTlp: 0, defaultTlp: 0 } });
    const plan = (await db.knex.raw(`explain ${sql}`, bindings as never)).rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Scan using objects_date_added_uq/);
    expect(plan).not.toMatch(/\bSort\b/);
    expect(errors).toEqual([]);
  } finally {
    await db.close();
  }
});

pgTest('a table filled but never analyzed is analyzed when a server opens it', async () => {
  const other = await freshDatabaseUrl();
  extra.push(other);
  const first = await open(other.url);
  await fill(first.store, 0, 300);
  await first.db.close();

  const second = await open(other.url);
  try {
    expect(await reltuples(second.db)).toBeLessThan(0);
    second.store.ensurePlannerStats();
    await second.db.plannerStats!.idle();
    expect(await reltuples(second.db)).toBe(300);
  } finally {
    await second.db.close();
  }
});

pgTest('a failing ANALYZE is reported once and not retried in a loop', async () => {
  const { db } = await open(dbh.url);
  try {
    const failures: string[] = [];
    const stats = new PlannerStats(db.knex, (table) => failures.push(table));
    stats.wrote('no_such_table', 5000);
    await stats.idle();
    stats.wrote('no_such_table', 10);
    await stats.idle();
    expect(failures).toEqual(['no_such_table']);
  } finally {
    await db.close();
  }
});
