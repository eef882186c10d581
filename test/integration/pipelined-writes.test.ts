/**
 * On PostgreSQL the statements of a write go out together (node-postgres's pipeline mode,
 * ObjectWrites.writePostgres): the collection's counter row is held for the database's work, not for one
 * round trip per statement. The write stays exact: every row, the flags and the write position.
 */
import pg from 'pg';
import { createDb, migrateLatest, type Db } from '../../src/store/db';
import { CollectionStore } from '../../src/store/collection-store';
import { ObjectStore } from '../../src/store/object-store';
import { freshDatabaseUrl } from '../helpers/server';
import { preparedIndicator } from '../helpers/prepared';

const COLL = '4d2e1f3a-8b7c-4d6e-9f0a-1b2c3d4e5f60';
const onPostgres = /^postgres/.test(process.env.TEST_DATABASE_URL ?? '');
const pgTest = onPostgres ? test : test.skip;

let dbh: { url: string; drop: () => Promise<void> } | undefined;
let db: Db | undefined;
const original = pg.Client.prototype.query;
let inFlight = 0;
let mostInFlight = 0;

beforeAll(async () => {
  if (!onPostgres) return;
  // Counts the queries of every connection that are sent and not yet answered when another is issued.
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (...r: unknown[]) => {
        inFlight--;
        (last as (...x: unknown[]) => void)(...r);
      };
      return (original as (...x: unknown[]) => unknown).apply(this, args);
    }
    const result = (original as (...x: unknown[]) => unknown).apply(this, args) as Promise<unknown>;
    return result.finally(() => inFlight--);
  };
  dbh = await freshDatabaseUrl();
  db = createDb({ url: dbh.url });
  await migrateLatest(db);
  await new CollectionStore(db).ensure([{ id: COLL, apiRoot: 'api1' }]);
});

afterAll(async () => {
  pg.Client.prototype.query = original;
  await db?.close();
  await dbh?.drop();
});

pgTest('When an envelope is stored, Then its statements are sent without waiting for each answer, and every row, flag and the write position are right', async () => {
  const store = new ObjectStore(db!);
  await store.addObjects(COLL, Array.from({ length: 50 }, (_, i) => preparedIndicator(i)));
  mostInFlight = 0;
  // 2,500 objects: two insert statements, and new versions of 50 stored objects (their flags cleared).
  const second = Array.from({ length: 2500 }, (_, i) => {
    const p = preparedIndicator(i);
    if (i >= 50) return p;
    const value = { ...p.value, modified: '2024-06-01T00:00:00.000Z' };
    return { ...p, version: value.modified, versionKey: value.modified.replace(/\D/g, ''), body: JSON.stringify(value), value };
  });
  const outcomes = await store.addObjects(COLL, second);
  expect(outcomes.every((o) => o.kind === 'added')).toBe(true);
  // Two flag updates, savepoint, two inserts, release and the position: sent together.
  expect(mostInFlight).toBeGreaterThanOrEqual(7);
  // Sent on the wire, not queued in the client (which node-postgres deprecates outside pipeline mode).
  const client = db!.knex.client as unknown as { acquireConnection(): Promise<{ pipeline?: boolean }>; releaseConnection(c: unknown): Promise<void> };
  const conn = await client.acquireConnection();
  expect(conn.pipeline).toBe(true);
  await client.releaseConnection(conn);
  const k = db!.knex;
  expect(Number((await k('objects').where('collection_id', COLL).count({ n: '*' }))[0]!.n)).toBe(2550);
  expect(Number((await k('objects').where({ collection_id: COLL, is_latest: 1 }).count({ n: '*' }))[0]!.n)).toBe(2500);
  expect(Number((await k('objects').where({ collection_id: COLL, is_first: 1 }).count({ n: '*' }))[0]!.n)).toBe(2500);
  const newest = Number((await k('objects').where('collection_id', COLL).max({ m: 'date_added_us' }))[0]!.m);
  expect(Number((await k('collections').where('id', COLL).first('last_date_added_us'))!.last_date_added_us)).toBe(newest);
});
