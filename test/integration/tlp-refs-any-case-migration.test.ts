/**
 * Migration 20261208090001_tlp-refs-any-case on a database an earlier build wrote, which read TLP marking ids
 * in lower case only: versions marked with a TLP id in capitals were stored at the collection's default
 * level (tlp null) and without granular levels. The migration works their levels out again, and those of
 * the change log's events of an earlier life of such a version; every other row keeps what it holds, and a
 * second run changes nothing. SQLite, and PostgreSQL with TEST_DATABASE_URL.
 */
import * as migration from '../../migrations/20261208090001_tlp-refs-any-case';
import { createDb, migrateLatest, type Db } from '../../src/store/db';
import { freshDatabaseUrl } from '../helpers/server';
import { migrationsBefore } from '../helpers/migrations';

jest.setTimeout(60_000);

const NAME = '20261208090001_tlp-refs-any-case';
const COLL = '3b7c1d2e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
const VERSION = '2024-01-01T00:00:00.000Z';
const RED2 = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const RED1 = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
const STATEMENT = 'marking-definition--0b6e4a2c-3c1c-4a47-9a3c-0f5a1c1e00ff';
const capitals = (id: string) => id.replace(/--(.*)$/, (_, uuid: string) => `--${uuid.toUpperCase()}`);

type Levels = { tlp: number | null; granular_tlp: number | null; redact_floor: number | null };
const NONE: Levels = { tlp: null, granular_tlp: null, redact_floor: null };

function indicator(n: number, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`, created: VERSION, modified: VERSION,
    description: 'A DPRK wallet-drainer node', pattern: `[ipv4-addr:value = '198.51.100.${n}']`, pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z', ...extra,
  };
}

// As the earlier build stored them; `held` is what it wrote in the level columns.
type Name = 'red2Capitals' | 'red1Mixed' | 'granularCapitals' | 'statementCapitals' | 'red2Lower' | 'unmarked';
const rows: Record<Name, { value: Record<string, unknown>; held: Levels }> = {
  red2Capitals: { value: indicator(1, { object_marking_refs: [capitals(RED2)] }), held: NONE },
  red1Mixed: { value: indicator(2, { object_marking_refs: [RED1.replace('5e57c739', '5E57C739')] }), held: NONE },
  granularCapitals: { value: indicator(3, { granular_markings: [{ marking_ref: capitals(RED2), selectors: ['description'] }] }), held: NONE },
  // Not TLP: nothing to work out again.
  statementCapitals: { value: indicator(4, { object_marking_refs: [capitals(STATEMENT)] }), held: NONE },
  // A lower-case TLP id, with capitals after it: never read, so a level that disagrees with its marking stays
  // (it tells that it was not rewritten).
  red2Lower: { value: { object_marking_refs: [RED2], ...indicator(5, { name: 'DPRK FAKE WALLET' }) }, held: { ...NONE, tlp: 0 } },
  unmarked: { value: indicator(6, {}), held: NONE },
};

let dbh: { url: string; drop: () => Promise<void> };
let db: Db;
const levelsOf = async (name: Name): Promise<Levels> => {
  const r = await db.knex('objects').where({ collection_id: COLL, stix_id: rows[name].value.id as string }).first('tlp', 'granular_tlp', 'redact_floor');
  return { tlp: num(r.tlp), granular_tlp: num(r.granular_tlp), redact_floor: num(r.redact_floor) };
};
const eventLevels = async (stixId: string): Promise<Array<[string, number | null]>> =>
  (await db.knex('changes').where({ collection_id: COLL, stix_id: stixId }).orderBy('position_us').select('change', 'tlp')).map((r) => [r.change, num(r.tlp)]);
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

beforeAll(async () => {
  dbh = await freshDatabaseUrl();
  db = createDb({ url: dbh.url });
  await db.knex.migrate.latest({ migrationSource: migrationsBefore(NAME) });
  await db.knex('collections').insert({ id: COLL, api_root: 'api1', last_date_added_us: 1000 });
  let at = 100;
  for (const { value, held } of Object.values(rows)) {
    at += 1;
    await db.knex('objects').insert({
      collection_id: COLL, stix_id: value.id, type: value.type, spec_version: '2.1', version_key: VERSION.replace(/\D/g, ''), version: VERSION,
      date_added_us: at, is_latest: 1, is_first: 1, revoked: 0, ...held, body: JSON.stringify(value),
    });
  }
  // The events of an earlier life of the red version (added, then deleted), and of an object deleted for good.
  const red = rows.red2Capitals.value;
  await db.knex('changes').insert([
    { collection_id: COLL, position_us: 10, stix_id: red.id, type: 'indicator', version: VERSION, change: 'added', ...NONE },
    { collection_id: COLL, position_us: 20, stix_id: red.id, type: 'indicator', version: VERSION, change: 'deleted', added_us: 10, ...NONE },
    { collection_id: COLL, position_us: 30, stix_id: 'indicator--00000000-0000-4000-8000-0000000000ff', type: 'indicator', version: VERSION, change: 'deleted', ...NONE },
  ]);
  await migrateLatest(db);
});

afterAll(async () => {
  await db?.close();
  await dbh?.drop();
});

test('When versions marked TLP:RED with ids in capitals were stored at the default level, Then the migration gives them TLP:RED', async () => {
  expect(await levelsOf('red2Capitals')).toEqual({ ...NONE, tlp: 4 });
  expect(await levelsOf('red1Mixed')).toEqual({ ...NONE, tlp: 4 });
});

test('When a granular TLP:RED marking names its id in capitals, Then the version gets its granular level and a redaction floor', async () => {
  const levels = await levelsOf('granularCapitals');
  expect(levels.tlp).toBeNull();
  expect(levels.granular_tlp).toBe(4);
  expect(levels.redact_floor).not.toBeNull();
});

test('When the change log holds events of an earlier life of such a version, Then they get its level, and other events keep theirs', async () => {
  expect(await eventLevels(rows.red2Capitals.value.id as string)).toEqual([['added', 4], ['deleted', 4]]);
  expect(await eventLevels('indicator--00000000-0000-4000-8000-0000000000ff')).toEqual([['deleted', null]]);
});

test('When a version has no TLP id in capitals, Then its levels are left as they were', async () => {
  for (const name of ['statementCapitals', 'red2Lower', 'unmarked'] as const) expect(await levelsOf(name)).toEqual(rows[name].held);
});

test('When the migration runs again, Then it reads only the versions with a marking id in capitals, and writes nothing', async () => {
  const writes: string[] = [];
  const read: string[] = [];
  const listen = (q: { sql: string }) => {
    if (!/^\s*select/i.test(q.sql)) writes.push(q.sql);
  };
  const answered = (response: unknown, q: { sql: string }) => {
    if (/from\s+["`]?objects["`]?/i.test(q.sql) && Array.isArray(response)) read.push(...response.map((r: { body: string }) => (JSON.parse(r.body) as { id: string }).id));
  };
  db.knex.on('query', listen).on('query-response', answered);
  try {
    await migration.up(db.knex);
  } finally {
    db.knex.off('query', listen).off('query-response', answered);
  }
  expect(read.sort()).toEqual((['red2Capitals', 'red1Mixed', 'granularCapitals', 'statementCapitals'] as const).map((n) => rows[n].value.id).sort());
  expect(writes).toEqual([]);
});
