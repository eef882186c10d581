/**
 * Migration 20261209090001_webhook-pruned-marker on a database an earlier build wrote: each stored webhook takes
 * its collection's retention mark as it is then (0 where nothing was removed), so that only deletion events
 * removed afterwards can dead-letter it; down removes the column again. SQLite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { createDb, migrateLatest, type Db } from '../../src/store/db';
import { freshDatabaseUrl } from '../helpers/server';
import { migrationsBefore } from '../helpers/migrations';
import * as migration from '../../migrations/20261209090001_webhook-pruned-marker';

jest.setTimeout(60_000);

const PRUNED = 'aaaaaaaa-0000-4000-8000-000000000001';
const CLEAN = 'aaaaaaaa-0000-4000-8000-000000000002';

let dbh: { url: string; drop: () => Promise<void> };
let db: Db;

const hook = (id: string, collection: string) => ({
  id, collection_id: collection, principal_id: 'user:x', url: 'https://siem.example/hook', secret: 'a-secret-of-enough-length',
  position_us: 5, status: 'active', failures: 0, next_attempt_ms: 0, claimed_until_ms: 0, created_at_ms: 1,
});

beforeAll(async () => {
  dbh = await freshDatabaseUrl();
  db = createDb({ url: dbh.url });
  await db.knex.migrate.latest({ migrationSource: migrationsBefore('20261209090001_webhook-pruned-marker') });
  await db.knex('collections').insert([{ id: PRUNED, api_root: 'api1', last_date_added_us: 0 }, { id: CLEAN, api_root: 'api1', last_date_added_us: 0 }]);
  await db.knex('changes_pruned').insert({ collection_id: PRUNED, pruned_through_us: 7_000 });
  await db.knex('webhooks').insert([hook('bbbbbbbb-0000-4000-8000-000000000001', PRUNED), hook('bbbbbbbb-0000-4000-8000-000000000002', CLEAN)]);
  await migrateLatest(db);
});

afterAll(async () => {
  await db?.close();
  await dbh?.drop();
});

test('When webhooks were stored before the marker existed, Then each takes its collection’s retention mark', async () => {
  const rows = await db.knex('webhooks').orderBy('id').select('collection_id', 'pruned_us');
  expect(rows.map((r) => [r.collection_id, Number(r.pruned_us)])).toEqual([
    [PRUNED, 7_000],
    [CLEAN, 0],
  ]);
});

test('When the migration is undone, Then the column goes and the webhooks stay', async () => {
  await migration.down(db.knex);
  expect(await db.knex.schema.hasColumn('webhooks', 'pruned_us')).toBe(false);
  expect(Number((await db.knex('webhooks').count({ n: '*' }))[0]!.n)).toBe(2);
  await migration.up(db.knex);
  expect(await db.knex.schema.hasColumn('webhooks', 'pruned_us')).toBe(true);
});
