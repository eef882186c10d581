/**
 * Every query on the read hot path is answered from an index in date_added order: no full scan and no
 * Sort for the ORDER BY. Plans come from the live planner on a few thousand realistic rows (SQLite
 * `EXPLAIN QUERY PLAN`, PostgreSQL `EXPLAIN`), once with the statistics the server keeps and once after
 * an ANALYZE of every table. docs/query-plans.md records them;
 * QUERY_PLANS_OUT=<file> writes this run's plans there as Markdown.
 */
import * as fs from 'node:fs';
import { createDb, migrateLatest, type Db } from '../../src/store/db';
import { CollectionStore } from '../../src/store/collection-store';
import { ObjectStore } from '../../src/store/object-store';
import { AuditStore } from '../../src/store/audit-store';
import { ChangeStore, type ChangePageQuery } from '../../src/store/change-store';
import type { PageQuery, PreparedObject, VersionSelector } from '../../src/domain/types';
import { freshDatabaseUrl } from '../helpers/server';

const COLL = '6f6b1e7e-4c1a-4b55-9d49-2f3f7c6b0a03';
const OTHER = '6f6b1e7e-4c1a-4b55-9d49-2f3f7c6b0a04';
const LAST: VersionSelector = { all: false, last: true, first: false, keys: [] };
const ALL: VersionSelector = { all: true, last: false, first: false, keys: [] };
const TYPES = ['indicator', 'ipv4-addr', 'domain-name', 'file', 'relationship', 'malware', 'url', 'cryptocurrency-wallet'];

let dbh: { url: string; drop: () => Promise<void> };
let db: Db;
let store: ObjectStore;
let newestUs = 0;
let midUs = 0;
let someId = '';
const plans: Array<{ name: string; sql: string; plan: string }> = [];

function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function object(n: number, modified: string): PreparedObject {
  const type = TYPES[n % TYPES.length]!;
  const value = { type, spec_version: '2.1', id: `${type}--${uuid(n)}`, created: '2024-01-01T00:00:00.000Z', modified, name: `object ${n}` };
  return {
    stixId: value.id,
    type,
    specVersion: '2.1',
    versionKey: modified.replace(/\D/g, ''),
    version: modified,
    revoked: false,
    tlp: n % 3 === 0 ? 1 : undefined,
    body: JSON.stringify(value),
    value,
  };
}

beforeAll(async () => {
  dbh = await freshDatabaseUrl();
  db = createDb({ url: dbh.url });
  await migrateLatest(db);
  await new CollectionStore(db).ensure([
    { id: COLL, apiRoot: 'api1' },
    { id: OTHER, apiRoot: 'api1' },
  ]);
  store = new ObjectStore(db);
  // Two collections, eight types, a second version for every fifth object.
  for (const coll of [COLL, OTHER]) {
    for (let start = 0; start < 4000; start += 500) {
      await store.addObjects(coll, Array.from({ length: 500 }, (_, i) => object(start + i, '2024-01-01T00:00:00.000Z')));
    }
    await store.addObjects(coll, Array.from({ length: 800 }, (_, i) => object(i * 5, '2024-06-01T00:00:00.000Z')));
  }
  const all: Array<{ dateAddedUs: number; stixId: string }> = [];
  for (let after = -1; ; ) {
    const page = await store.pageRecords({ collectionId: COLL, filter: { versions: ALL }, afterUs: after, limit: 999 });
    all.push(...page);
    if (page.length < 1000) break;
    after = page[page.length - 1]!.dateAddedUs;
  }
  newestUs = all[all.length - 1]!.dateAddedUs;
  midUs = all[Math.floor(all.length / 2)]!.dateAddedUs;
  someId = all[1234]!.stixId;
  // One object in nine deleted, of every type: the change log holds their add events and their deletions.
  for (let n = 3; n < 4000; n += 9) {
    const id = object(n, '2024-01-01T00:00:00.000Z').stixId;
    if (id !== someId) await store.deleteVersions(COLL, id, { versions: ALL });
  }
  // A log several times larger in the other collection: the planner weighs one collection's range against the whole table.
  for (let n = 1; n < 4000; n += 3) await store.deleteVersions(OTHER, object(n, '2024-01-01T00:00:00.000Z').stixId, { versions: ALL });
  // Statistics as the server leaves them: none on SQLite; on PostgreSQL those of the server's own
  // background ANALYZE after the bulk writes above.
  await db.plannerStats?.idle();
});

afterAll(async () => {
  const out = process.env.QUERY_PLANS_OUT;
  if (out && plans.length) {
    const body = plans.map((p) => `### ${p.name}\n\n\`\`\`sql\n${p.sql}\n\`\`\`\n\n\`\`\`\n${p.plan}\n\`\`\`\n`).join('\n');
    fs.appendFileSync(out, `## ${db.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}\n\n${body}\n`);
  }
  await db?.close();
  await dbh?.drop();
});

async function explain(sql: { sql: string; bindings: readonly unknown[] }): Promise<string> {
  if (db.dialect === 'sqlite') {
    const rows: Array<{ detail: string }> = await db.knex.raw(`explain query plan ${sql.sql}`, sql.bindings as never);
    return rows.map((r) => r.detail).join('\n');
  }
  const r = await db.knex.raw(`explain ${sql.sql}`, sql.bindings as never);
  return r.rows.map((x: Record<string, string>) => x['QUERY PLAN']).join('\n');
}

function page(overrides: Omit<Partial<PageQuery>, 'filter'> & { filter?: Partial<PageQuery['filter']> } = {}): PageQuery {
  return { collectionId: COLL, limit: 100, ...overrides, filter: { versions: LAST, ...overrides.filter } };
}

const VISIBLE = { maxTlp: 1, defaultTlp: 0 };
const LIMITED = /objects_date_added_uq[\s\S]*(SubPlan|SUBQUERY)[\s\S]*objects_version_uq/;
const LIMITED_TYPE = /objects_type_added_idx[\s\S]*(SubPlan|SUBQUERY)[\s\S]*objects_version_uq/;

// Queries that name their objects find them by the (collection_id, stix_id) prefix of objects_version_uq and
// sort only the versions of those objects by date_added (there is no index by id and date_added: it cost
// half of SQLite's work per ingested object, docs/performance.md "Issue 21, ninth pass").
const BY_ID = /objects_version_uq \(collection_id=\? AND stix_id=\?\)|Index (Only )?Scan using objects_version_uq on objects [^\n]*\n\s*Index Cond: \(+collection_id\)::text = '[^']+'::text\) AND \(\(stix_id\)::text = /;

const HOT: Array<{ name: string; q: () => PageQuery; body?: boolean; index: RegExp; byId?: boolean }> = [
  { name: 'objects, first page', q: () => page(), index: /objects_latest_idx/ },
  // A reader limited by TLP gets the newest version it may see: the versions in date_added order, each
  // checked for a newer visible version by one probe of objects_version_uq.
  { name: 'objects, first page, reader limited by TLP', q: () => page({ visibility: VISIBLE }), index: LIMITED },
  { name: 'objects, page via next cursor, reader limited by TLP', q: () => page({ visibility: VISIBLE, afterUs: midUs }), index: LIMITED },
  { name: 'objects, match[type]=indicator, reader limited by TLP', q: () => page({ visibility: VISIBLE, filter: { types: ['indicator'] } }), index: LIMITED_TYPE },
  { name: 'object endpoint, reader limited by TLP', q: () => page({ visibility: VISIBLE, stixId: someId }), index: BY_ID, byId: true },
  { name: 'manifest, reader limited by TLP', q: () => page({ visibility: VISIBLE }), body: false, index: LIMITED },
  { name: 'objects, added_after', q: () => page({ filter: { addedAfterUs: midUs } }), index: /objects_latest_idx/ },
  { name: 'objects, page via next cursor', q: () => page({ afterUs: midUs }), index: /objects_latest_idx/ },
  { name: 'objects, empty poll (added_after = newest date_added)', q: () => page({ filter: { addedAfterUs: newestUs } }), index: /objects_latest_idx/ },
  { name: 'objects, match[type]=indicator', q: () => page({ filter: { types: ['indicator'] } }), index: /objects_type_idx/ },
  { name: 'objects, match[type]=indicator after a cursor', q: () => page({ filter: { types: ['indicator'] }, afterUs: midUs }), index: /objects_type_idx/ },
  { name: 'objects, match[id]=one id', q: () => page({ filter: { ids: [someId] } }), index: BY_ID, byId: true },
  { name: 'objects, match[version]=all', q: () => page({ filter: { versions: ALL } }), index: /objects_date_added_uq/ },
  { name: 'object endpoint (latest version of one id)', q: () => page({ stixId: someId }), index: BY_ID, byId: true },
  { name: 'versions endpoint', q: () => page({ stixId: someId, filter: { versions: ALL } }), body: false, index: BY_ID, byId: true },
  { name: 'manifest', q: () => page(), body: false, index: /objects_latest_idx/ },
  { name: 'manifest, added_after', q: () => page({ filter: { addedAfterUs: midUs } }), body: false, index: /objects_latest_idx/ },
  // Exports (src/exports): one type per query, revoked versions left out, keyset pages.
  { name: 'exports, one type, unrevoked, after a cursor', q: () => page({ filter: { types: ['indicator'] }, excludeRevoked: true, afterUs: midUs }), index: /objects_type_idx/ },
  { name: 'exports, one type, unrevoked, reader limited by TLP', q: () => page({ visibility: VISIBLE, filter: { types: ['indicator'] }, excludeRevoked: true }), index: LIMITED_TYPE },
];

// The change feed and stream (src/store/change-store.ts): the stored versions' add events through
// objects_date_added_uq and the logged events through changes_position_uq, each range read in position order
// and cut at limit+1 rows; only those (at most twice limit+1 rows) are merged by a sort.
const CHANGE_PAGES: Array<{ name: string; q: () => ChangePageQuery }> = [
  { name: 'change feed, first page', q: () => ({ collectionId: COLL, limit: 100 }) },
  { name: 'change feed, after a position, match[type]', q: () => ({ collectionId: COLL, afterUs: midUs, limit: 100, types: ['indicator'] }) },
  {
    name: 'change feed, reader limited by TLP, relationships to hidden objects omitted',
    q: () => ({ collectionId: COLL, afterUs: midUs, limit: 100, visibility: { ...VISIBLE, hideEndpointsOfHidden: true } }),
  },
  { name: 'change stream, with bodies', q: () => ({ collectionId: COLL, afterUs: midUs, limit: 50, visibility: VISIBLE, withBodies: true }) },
];

function expectChangeRanges(plan: string): void {
  // match[type] reads objects_type_added_idx (collection_id, type, date_added_us): that type's range, in order.
  expect(plan).toMatch(/objects_(date_added_uq|type_added_idx)/);
  if (db.dialect === 'sqlite') {
    expect(plan).toMatch(/changes_position_uq/);
    expect(plan).not.toMatch(/SCAN (objects|changes)(?! USING)/);
    expect(plan.match(/USE TEMP B-TREE FOR ORDER BY/g) ?? []).toHaveLength(1);
  } else {
    // The objects' range is never sorted, only the merge of the two cut ranges. The log of deletions is small
    // next to the objects (retention prunes it), and PostgreSQL may read a small one whole and sort it
    // (docs/query-plans.md); each arm stays cut at limit+1 rows.
    expect(plan).not.toMatch(/Seq Scan on objects/);
    expect(plan.match(/Sort Key: objects\.date_added_us/g) ?? []).toHaveLength(1);
    expect(plan.match(/->\s+Limit\s+\(/g) ?? []).toHaveLength(2);
  }
}

function expectIndexOrdered(plan: string, index: RegExp, byId = false): void {
  expect(plan).toMatch(index);
  if (db.dialect === 'sqlite') {
    expect(plan).not.toMatch(/SCAN objects(?! USING)/);
    if (!byId) expect(plan).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
  } else {
    expect(plan).not.toMatch(/Seq Scan/);
    if (!byId) expect(plan).not.toMatch(/\bSort\b/);
  }
}

describe('with the statistics the server keeps (none on SQLite; its own ANALYZE on PostgreSQL)', () => {
  describe.each(HOT)('$name', ({ name, q, body, index, byId }) => {
    test('When planned on a populated table, Then it reads an index in date_added order (or, naming objects, their versions by id) with no full scan and no sort of the collection', async () => {
      const sql = store.pageSql(q(), body !== false);
      const plan = await explain(sql);
      plans.push({ name, sql: sql.sql, plan });
      expectIndexOrdered(plan, index, byId);
    });
  });

  test('When a new version of a stored object is added, Then its old flags are cleared through objects_version_uq, not a walk of the collection', async () => {
    const id = object(7, '2024-01-01T00:00:00.000Z').stixId;
    const statements = store.ingestLookupSql(COLL, [id], ['20250101000000000'], [], 0).filter((l) => l.name.includes('clear'));
    expect(statements.map((l) => l.name)).toEqual(['ingest: clear is_latest of the older versions', 'ingest: clear is_first of the older versions']);
    for (const { sql, bindings } of statements) {
      const plan = await explain({ sql: sql.replace(/\$\d+/g, '?'), bindings });
      expect(plan).toMatch(BY_ID);
      expect(plan).not.toMatch(/objects_latest_idx|objects_first_idx/);
    }
    // The statements are the ones run: the older version loses its flag, the new one has it.
    await store.addObjects(COLL, [object(7, '2025-01-01T00:00:00.000Z')]);
    const flags = await db.knex('objects').where({ collection_id: COLL, stix_id: id }).orderBy('version_key').select('version_key', 'is_latest', 'is_first');
    expect(flags.map((f) => [Number(f.is_latest), Number(f.is_first)])).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });
});

describe.each(CHANGE_PAGES)('$name', ({ name, q }) => {
  test('When planned on a populated log, Then it reads the two position-ordered index ranges, each cut at the page size', async () => {
    const sql = new ChangeStore(db).pageSql(q());
    const plan = await explain(sql);
    plans.push({ name, sql: sql.sql, plan });
    expectChangeRanges(plan);
  });
});

test('When an envelope is stored, Then its lookups and flag updates find the posted ids through objects_version_uq, the re-posted bodies by primary key and what changed since the lookup by position, never by a walk of the collection', async () => {
  const stored = await store.page({ collectionId: COLL, stixId: someId, filter: { versions: ALL }, limit: 10 });
  const lookup = (collectionId: string, since: number) => store.ingestLookupSql(collectionId, [someId, 'indicator--00000000-0000-4000-8000-fffffffffff0'], ['20240101000000000'], stored.map((o) => o.seq), since);
  // What changed since a lookup is read by a writer of a collection being written: here the one written last,
  // from a position 100 versions before its newest (PostgreSQL estimates the range on the whole table's
  // date_added, so a position deep in a collection written long ago looks like many rows; on a table this
  // small it then rightly prefers reading the table to an index).
  const recent = await db.knex('objects').where('collection_id', OTHER).orderBy('date_added_us', 'desc').limit(101).select('date_added_us');
  const since = Number(recent[recent.length - 1].date_added_us);
  const lookups = [...lookup(COLL, 0).filter((l) => !l.name.includes('since')), ...lookup(OTHER, since).filter((l) => l.name.includes('since'))];
  expect(lookups).toHaveLength(7);
  const expected = (name: string) =>
    name.includes('bodies') ? /INTEGER PRIMARY KEY|objects_pkey/ : name.includes('added since') ? /objects_date_added_uq/ : name.includes('deletion since') ? /changes_position_uq/ : /objects_version_uq/;
  for (const { name, sql, bindings } of lookups) {
    const plan = await explain({ sql: sql.replace(/\$\d+/g, '?'), bindings });
    plans.push({ name, sql, plan });
    expect(plan).toMatch(expected(name));
    expect(plan).not.toMatch(/SCAN (objects|changes)(?! USING)|Seq Scan on (objects|changes)|\bSort\b|TEMP B-TREE/);
  }
});

test('When the audit log is pruned, Then each batch finds its last entry through audit_log_at_idx and deletes along the primary key, never by a scan', async () => {
  const audit = new AuditStore(db);
  const rows = Array.from({ length: 20_000 }, (_, i) => ({ at_ms: 1_700_000_000_000 + i * 60_000, actor: 'cli:test', action: 'grant', target: `t${i}` }));
  await db.knex.batchInsert('audit_log', rows, 500);
  // On PostgreSQL autovacuum analyses a table that grew by this much; without statistics a table this new
  // looks empty and is rightly read whole.
  if (db.dialect === 'postgres') await db.knex.raw('analyze audit_log');
  const sql = audit.pruneSql(1_700_000_000_000 + 5_000 * 60_000, 1_000);
  const plan = await explain(sql);
  plans.push({ name: 'audit log: one prune batch', sql: sql.sql, plan });
  expect(plan).toMatch(/audit_log_at_idx/);
  expect(plan).toMatch(/INTEGER PRIMARY KEY \(rowid<\?\)|Index Scan using audit_log_pkey/);
  expect(plan).not.toMatch(/SCAN audit_log(?! USING)|Seq Scan on audit_log/);
});

describe('after an ANALYZE of every table (as an administrator may run)', () => {
  beforeAll(async () => {
    await db.knex.raw('analyze');
  });
  describe.each(HOT)('$name', ({ q, body, index, byId }) => {
    test('When planned on a populated, analysed table, Then it reads the same kind of index range', async () => {
      expectIndexOrdered(await explain(store.pageSql(q(), body !== false)), index, byId);
    });
  });
  describe.each(CHANGE_PAGES)('$name', ({ q }) => {
    test('When planned on a populated, analysed log, Then it reads the same two ranges', async () => {
      expectChangeRanges(await explain(new ChangeStore(db).pageSql(q())));
    });
  });
});

test('When the planner is asked for a page, Then the store answers it with the rows it planned for (the SQL is the one served)', async () => {
  const rows = await store.page(page({ filter: { types: ['indicator'] }, limit: 5 }));
  expect(rows).toHaveLength(6);
  expect(rows.every((r) => r.type === 'indicator')).toBe(true);
  expect(rows.map((r) => r.dateAddedUs)).toEqual([...rows.map((r) => r.dateAddedUs)].sort((a, b) => a - b));
});
