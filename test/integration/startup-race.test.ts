/**
 * Several server processes started together on one fresh database all reach the same state: each applies
 * or waits for the migrations, registers the collections and writes the configured administrator, and
 * none of them fails because another got there first. Runs on PostgreSQL when TEST_DATABASE_URL names
 * one, else on one SQLite file shared by the processes.
 */
import { createDb, type Db } from '../../src/store/db';
import { verifyPassword } from '../../src/taxii/services/auth-service';
import { ADMIN, freshDatabaseUrl, TAXII } from '../helpers/server';
import { startServerProcess, stopAllServerProcesses, writeTestConfig, type ServerProcess } from './support/processes';

jest.setTimeout(120_000);

const STARTS = 4;

let db: { url: string; drop: () => Promise<void> };
let store: Db | undefined;
let config: string;

beforeEach(async () => {
  db = await freshDatabaseUrl();
  config = writeTestConfig();
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  await stopAllServerProcesses();
  await db.drop();
});

/** Starts STARTS servers at once and returns those that listen, with the messages of those that did not. */
async function startAll(admin: { user: string; password: string }): Promise<{ servers: ServerProcess[]; failed: string[] }> {
  const env = { TAXII_ADMIN_USER: admin.user, TAXII_ADMIN_PASSWORD: admin.password };
  const results = await Promise.allSettled(Array.from({ length: STARTS }, () => startServerProcess(db.url, config, { env })));
  return {
    servers: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    failed: results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : [])),
  };
}

async function adminRows(): Promise<any[]> {
  store ??= createDb({ url: db.url });
  return store.knex('users').where({ username: ADMIN.user });
}

async function collectionsAs(server: ServerProcess, password: string): Promise<number> {
  const r = await fetch(`${server.url}/api1/collections/`, {
    headers: { Accept: TAXII, Authorization: `Basic ${Buffer.from(`${ADMIN.user}:${password}`).toString('base64')}` },
  });
  return r.status;
}

test(`When ${STARTS} servers start at once on a fresh database with the same administrator, Then every one starts, serves the administrator, and there is exactly one administrator row`, async () => {
  const { servers, failed } = await startAll(ADMIN);
  expect(failed).toEqual([]);
  for (const s of servers) expect(await collectionsAs(s, ADMIN.password)).toBe(200);
  const rows = await adminRows();
  expect(rows).toHaveLength(1);
  expect(Boolean(rows[0].is_admin)).toBe(true);
  expect(await verifyPassword(ADMIN.password, rows[0].password_hash)).toBe(true);
  expect(await store!.knex('knex_migrations_lock').select('is_locked')).toEqual([{ is_locked: 0 }]);
});

test(`When ${STARTS} servers restart at once with a new administrator password, Then every one starts, the row keeps its id, and only the new password is accepted`, async () => {
  const first = await startAll(ADMIN);
  expect(first.failed).toEqual([]);
  const [before] = await adminRows();
  await Promise.all(first.servers.map((s) => s.stop()));

  const changed = { user: ADMIN.user, password: 'a-new-admin-password-456' };
  const second = await startAll(changed);
  expect(second.failed).toEqual([]);
  const rows = await adminRows();
  expect(rows).toHaveLength(1);
  expect(rows[0].id).toBe(before.id);
  for (const s of second.servers) {
    expect(await collectionsAs(s, changed.password)).toBe(200);
    expect(await collectionsAs(s, ADMIN.password)).toBe(401);
  }
});

test('Given a database whose migration lock table holds two unlocked rows (knex inserts the row after looking for one, so two first starts could both insert), When a server starts, Then it starts, migrates and leaves one row', async () => {
  store = createDb({ url: db.url });
  await store.knex.schema.createTable('knex_migrations', (t) => {
    t.increments();
    t.string('name');
    t.integer('batch');
    t.timestamp('migration_time');
  });
  await store.knex.schema.createTable('knex_migrations_lock', (t) => {
    t.increments('index').primary();
    t.integer('is_locked');
  });
  await store.knex('knex_migrations_lock').insert([{ is_locked: 0 }, { is_locked: 0 }]);

  const { servers, failed } = await startAll(ADMIN);
  expect(failed).toEqual([]);
  expect(await collectionsAs(servers[0]!, ADMIN.password)).toBe(200);
  expect(await store.knex('knex_migrations_lock').select('is_locked')).toEqual([{ is_locked: 0 }]);
});
