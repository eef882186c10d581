import type { Knex } from 'knex';
import type {
  AddOutcome,
  PageQuery,
  PreparedObject,
  StoredObject,
  StoredRecord,
  StoredVersion,
  Visibility,
} from '../domain/types';
import { canonicalJson } from '../common/json';
import { microsToTimestamp, nowMicros, versionKey } from '../common/time';
import { isDatabaseUnavailable, type Db } from './db';
import { insertRows } from './insert-rows';
import { runFixed, type FixedSql } from './statements';
import { WorkSlicer, yieldToEventLoop } from '../common/event-loop';
import { ChangeStore } from './change-store';
import { endpointsOf } from '../stix/refs';
import { granularProfile } from '../stix/granular-redaction';
import { applyEndpointVisibility, applyVisibility, granularReader, isVisibleTo, isWhollyVisibleTo } from './visibility';
import { FreshReads } from './fresh-reads';
import { allocatePositions } from './positions';
import { ENDPOINT_ROWS, HookAbort, num, OBJECT_COLUMNS, OBJECT_ROWS, StoreWriteError, toStoredObject, toStoredRecord, type AddedVersion, type EndpointRow, type ExistingRow, type NewRow, type WriteContext, type WriteHooks, type WriteObserver } from './object-rows';

export { HookAbort, StoreWriteError, type AddedVersion, type StoreTransaction, type WriteContext, type WriteHooks, type WriteObserver } from './object-rows';

const OBJECTS = 'objects';
const COLLECTIONS = 'collections';
/** Rows per INSERT: stays far below SQLite's bound-parameter limit and PostgreSQL's 65535. */
const INSERT_BATCH = 400;
const LOOKUP_BATCH = 500;

const WRITE_POSITION_SQL = `select last_date_added_us from ${COLLECTIONS} where id = ?`;

// The lookups of an ingest take their ids (and version keys) as one array parameter, a JSON text on SQLite:
// one SQL text whatever the number of ids, compiled once. Both read objects_version_uq by its
// (collection_id, stix_id) prefix (docs/query-plans.md).
const STORED_VERSIONS_SQL = {
  sqlite: `select stix_id, version, version_key, revoked from ${OBJECTS} where collection_id = ? and stix_id in (select value from json_each(?))`,
  postgres: `select stix_id, version, version_key, revoked from ${OBJECTS} where collection_id = ? and stix_id = any(?::text[])`,
};
const EXISTING_COLUMNS = 'seq, stix_id, version_key, version, tlp, granular_tlp, redact_floor, is_latest, is_first';
const EXISTING_ROWS_SQL: FixedSql = {
  sqlite: `select ${EXISTING_COLUMNS} from ${OBJECTS} where collection_id = ? and stix_id in (select value from json_each(?)) and (is_latest = 1 or is_first = 1 or version_key in (select value from json_each(?)))`,
  postgres: `select ${EXISTING_COLUMNS} from ${OBJECTS} where collection_id = $1 and stix_id = any($2::text[]) and (is_latest = 1 or is_first = 1 or version_key = any($3::text[]))`,
};
const BODIES_SQL: FixedSql = {
  sqlite: `select seq, body from ${OBJECTS} where seq in (select value from json_each(?))`,
  postgres: `select seq, body from ${OBJECTS} where seq = any($1::bigint[])`,
};

/**
 * Clears the first or last flag of the older versions of the objects that get a new first or last version,
 * all of them in one statement: the objects and the version key that keeps the flag come as a JSON object
 * (SQLite) or two arrays (PostgreSQL). `+flag` keeps the flag out of index matching, so each object is found
 * through objects_version_uq (see whereFlagSetNotIndexed); test/integration/query-plans.test.ts checks the plans.
 */
const CLEAR_FLAG_SQL = {
  sqlite: Object.fromEntries(
    (['is_latest', 'is_first'] as const).map((f) => [
      f,
      // CROSS JOIN keeps the objects named as the outer loop (SQLite plans the join in the order written).
      `update "${OBJECTS}" set "${f}" = 0 where seq in (select o.seq from json_each(?) as u cross join "${OBJECTS}" as o where o.collection_id = ? and o.stix_id = u.key and +o."${f}" = 1 and o.version_key <> u.value)`,
    ]),
  ) as Record<'is_latest' | 'is_first', string>,
  postgres: Object.fromEntries(
    (['is_latest', 'is_first'] as const).map((f) => [
      f,
      `update "${OBJECTS}" set "${f}" = 0 from unnest(?::text[], ?::text[]) as u(stix_id, keep) where "${OBJECTS}"."collection_id" = ? and "${OBJECTS}"."stix_id" = u.stix_id and +"${OBJECTS}"."${f}" = 1 and "${OBJECTS}"."version_key" <> u.keep`,
    ]),
  ) as Record<'is_latest' | 'is_first', string>,
};

/**
 * Stored object versions. The only place that knows the `objects` table.
 *
 * date_added allocation: each writing transaction first locks its collection's counter row, so writers
 * of one collection commit in the order they allocate. A transaction's versions take microseconds drawn
 * at random inside milliseconds that no earlier transaction used, in posting order (src/store/positions.ts).
 * That keeps date_added unique and strictly increasing in commit order, leaves no count of hidden versions
 * in its gaps, and lets X-TAXII-Date-Added-Last be rounded up to the millisecond for clients that truncate
 * it, without ever skipping a later commit.
 */
export class ObjectStore {
  private readonly observers: WriteObserver[] = [];

  constructor(private readonly db: Db) {}

  /**
   * Stores the versions of one request in one transaction. `context` says who wrote and under which
   * status; observers (the review inbox) see the versions added, inside the same transaction.
   */
  async addObjects(collectionId: string, items: readonly PreparedObject[], context?: WriteContext, hooks?: WriteHooks): Promise<AddOutcome[]> {
    const outcomes = await this.db.knex.transaction(async (trx) => {
      if (hooks?.before) await hooks.before(trx);
      const out = await this.addWithin(trx, collectionId, items, context?.visibility);
      if (this.observers.length) {
        const added: AddedVersion[] = [];
        out.forEach((o, i) => {
          if (o.kind !== 'added') return;
          const item = items[i]!;
          added.push({ stixId: item.stixId, type: item.type, version: o.version, versionKey: item.versionKey ?? versionKey(o.version)!, dateAddedUs: o.dateAddedUs });
        });
        for (const observe of this.observers) if (added.length) await observe(trx, collectionId, added, context);
      }
      if (hooks?.after) await hooks.after(trx, out);
      return out;
    });
    this.db.wrote(OBJECTS, outcomes.filter((o) => o.kind === 'added').length);
    return outcomes;
  }

  /** Registers work that runs inside every addObjects transaction, after its versions are stored. */
  observe(observer: WriteObserver): void {
    this.observers.push(observer);
  }

  /** Gives the planner statistics for a table that holds objects but was never analyzed (PostgreSQL). */
  ensurePlannerStats(): void {
    this.db.plannerStats?.analyzeNeverAnalyzed([OBJECTS]);
  }

  /**
   * Adds versions to a collection inside the caller's transaction, with the commit-ordered date_added
   * allocation described above (the collection's counter row stays locked until that transaction ends).
   * Other stores that publish objects (review approvals) go through here, never around it.
   *
   * With the writer's `visibility`, a posted version whose id and version are already stored at a TLP the
   * writer may not see is a conflict with the very message a differing re-post of a visible version gets,
   * whatever the posted content: the stored bytes stay untouched, and the answer never tells whether the
   * posted content equals the hidden one (no "already present"), nor at which TLP it is stored.
   */
  async addWithin(trx: Knex.Transaction, collectionId: string, items: readonly PreparedObject[], visibility?: Visibility): Promise<AddOutcome[]> {
      // What readers below a granular TLP marking get (src/stix/granular-redaction.ts), kept with each row;
      // worked out before the collection's counter row is locked, since it may validate redacted objects.
      const profiles = items.map((item) => granularProfile(item.value));
      await trx(COLLECTIONS).where({ id: collectionId }).update({ last_date_added_us: trx.ref('last_date_added_us') });
      const counter = await trx(COLLECTIONS).where({ id: collectionId }).first('last_date_added_us');
      if (!counter) throw new StoreWriteError(undefined, new Error(`collection ${collectionId} is not in the store`));
      const existing = await this.existingRows(trx, collectionId, items);
      const repeated = await this.repeatedBodies(trx, items, existing, visibility);

      const outcomes: AddOutcome[] = [];
      const inserts: NewRow[] = [];
      // The rows added for each object, in posting order (several versions of one object may come together).
      const insertedById = new Map<string, NewRow[]>();
      const positions = allocatePositions(Number(counter.last_date_added_us), nowMicros(), items.length);
      let used = 0;
      let lastUs = Number(counter.last_date_added_us);

      const slicer = new WorkSlicer();
      for (const [index, item] of items.entries()) {
        await slicer.step();
        const versions = existing.get(item.stixId) ?? [];
        // An object with neither modified nor created has one version per collection (TAXII 2.1 §3.4.1).
        const same = item.versionKey === undefined ? versions[0] : versions.find((v) => v.version_key === item.versionKey);
        if (same) {
          const version = item.version ?? same.version;
          // Redacted counts as hidden here: "already present" would confirm a guess of the removed text.
          const hidden = same.seq !== -1 && !isWhollyVisibleTo(same, visibility);
          const storedBody = hidden ? undefined : same.seq === -1 ? same.body! : repeated.get(same.seq);
          if (storedBody !== undefined && (storedBody === item.body || canonicalJson(JSON.parse(storedBody)) === canonicalJson(item.value))) {
            outcomes.push({ kind: 'unchanged', version });
          } else {
            outcomes.push({
              kind: 'conflict',
              version,
              message:
                item.versionKey === undefined
                  ? `${item.stixId} is already stored with different content, and an object without modified or created has only one version; give it a new id or add modified.`
                  : `a different object with id ${item.stixId} and version ${item.version} is already stored; a new version needs a later modified timestamp.`,
            });
          }
          continue;
        }
        const dateAddedUs = positions[used++]!;
        lastUs = Math.max(lastUs, dateAddedUs);
        const profile = profiles[index];
        const key = item.versionKey ?? versionKey(microsToTimestamp(dateAddedUs))!;
        const version = item.version ?? microsToTimestamp(dateAddedUs);
        const row = {
          collection_id: collectionId,
          stix_id: item.stixId,
          type: item.type,
          spec_version: item.specVersion,
          version_key: key,
          version,
          date_added_us: dateAddedUs,
          is_latest: 0,
          is_first: 0,
          revoked: item.revoked ? 1 : 0,
          tlp: item.tlp ?? null,
          granular_tlp: profile?.tlp ?? null,
          redact_floor: profile?.redactFloor ?? null,
          body: item.body,
        };
        inserts.push(row);
        const added = insertedById.get(item.stixId);
        if (added) added.push(row);
        else insertedById.set(item.stixId, [row]);
        versions.push({ seq: -1, stix_id: item.stixId, version_key: key, version, body: item.body, tlp: item.tlp ?? null, granular_tlp: row.granular_tlp, redact_floor: row.redact_floor, is_latest: 0, is_first: 0 });
        existing.set(item.stixId, versions);
        outcomes.push({ kind: 'added', version, dateAddedUs });
      }

      if (inserts.length === 0) return outcomes;
      // Decide the first/last flags of every object with a new version: the rows read hold its current first and
      // last versions, so the new extremes follow without reading its other versions.
      const flagUpdates: Array<{ stixId: string; latest: string; first: string }> = [];
      for (const [stixId, rows] of insertedById) {
        const keys = existing.get(stixId)!.map((v) => v.version_key).sort();
        const first = keys[0]!, latest = keys[keys.length - 1]!;
        for (const row of rows) {
          row.is_latest = row.version_key === latest ? 1 : 0;
          row.is_first = row.version_key === first ? 1 : 0;
        }
        const old = existing.get(stixId)!.filter((v) => v.seq !== -1);
        if (old.some((v) => (v.is_latest === 1) !== (v.version_key === latest) || (v.is_first === 1) !== (v.version_key === first))) {
          flagUpdates.push({ stixId, latest, first });
        }
      }
      for (let i = 0; i < flagUpdates.length; i += LOOKUP_BATCH) {
        const chunk = flagUpdates.slice(i, i + LOOKUP_BATCH);
        for (const flag of ['is_latest', 'is_first'] as const) {
          const keep = chunk.map((u) => (flag === 'is_latest' ? u.latest : u.first));
          const bindings = this.db.dialect === 'sqlite' ? [JSON.stringify(Object.fromEntries(chunk.map((u, k) => [u.stixId, keep[k]]))), collectionId] : [chunk.map((u) => u.stixId), keep, collectionId];
          await trx.raw(CLEAR_FLAG_SQL[this.db.dialect][flag], bindings);
        }
      }
      for (let i = 0; i < inserts.length; i += INSERT_BATCH) {
        // SQLite runs each statement synchronously: let other clients in between batches.
        if (i > 0) await yieldToEventLoop();
        const batch = inserts.slice(i, i + INSERT_BATCH);
        try {
          // In a savepoint, so that after a failure (PostgreSQL aborts the transaction otherwise) the
          // rows can be retried one by one to name the one the database refused.
          if (this.db.dialect === 'sqlite') await insertRows(trx, OBJECT_ROWS, batch);
          else await trx.transaction((sp) => insertRows(sp, OBJECT_ROWS, batch));
        } catch (err) {
          throw await this.culprit(trx, batch, err);
        }
      }
      // The endpoints of new relationships and sightings, for readers that leave out those naming hidden objects.
      const links = items.flatMap((item, i): EndpointRow[] =>
        outcomes[i]!.kind === 'added' && (item.type === 'relationship' || item.type === 'sighting')
          ? endpointsOf(item.value).map((ref_id) => ({ collection_id: collectionId, stix_id: item.stixId, ref_id }))
          : [],
      );
      for (let i = 0; i < links.length; i += INSERT_BATCH) await insertRows(trx, ENDPOINT_ROWS, links.slice(i, i + INSERT_BATCH));
      // The change log, in this transaction: each new version's event at its date_added (see change-store.ts).
      await ChangeStore.recordAdds(trx, collectionId, inserts);
      await trx(COLLECTIONS).where({ id: collectionId }).update({ last_date_added_us: lastUs });
      return outcomes;
  }

  /** Finds which row of a failed batch the database refused, by retrying each in a savepoint. */
  private async culprit(trx: Knex.Transaction, batch: Record<string, unknown>[], err: unknown): Promise<StoreWriteError> {
    if (isDatabaseUnavailable(err)) return new StoreWriteError(undefined, err);
    for (const row of batch) {
      try {
        await trx.transaction(async (sp) => {
          await sp(OBJECTS).insert(row);
          throw new RollbackProbe();
        });
      } catch (e) {
        if (!(e instanceof RollbackProbe)) return new StoreWriteError(String(row.stix_id), e);
      }
    }
    return new StoreWriteError(undefined, err);
  }

  /**
   * For the objects of a request: their current first and last versions, and any stored version with
   * the same version key as a posted one (a re-post). Bodies are read later, only for re-posts.
   */
  private async existingRows(trx: Knex.Transaction, collectionId: string, items: readonly PreparedObject[]): Promise<Map<string, ExistingRow[]>> {
    const keysById = new Map<string, string[]>();
    for (const i of items) {
      const keys = keysById.get(i.stixId) ?? [];
      if (i.versionKey) keys.push(i.versionKey);
      keysById.set(i.stixId, keys);
    }
    const ids = [...keysById.keys()];
    const out = new Map<string, ExistingRow[]>();
    for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
      if (i > 0) await yieldToEventLoop();
      const chunk = ids.slice(i, i + LOOKUP_BATCH);
      const keys = [...new Set(chunk.flatMap((id) => keysById.get(id)!))];
      const rows = await runFixed<ExistingRow>(trx, EXISTING_ROWS_SQL, [collectionId, this.list(chunk), this.list(keys)]);
      for (const r of rows) {
        const list = out.get(r.stix_id) ?? [];
        if (!list.some((x) => x.seq === r.seq)) list.push({ ...r, tlp: num(r.tlp), granular_tlp: num(r.granular_tlp), redact_floor: num(r.redact_floor), is_latest: Number(r.is_latest), is_first: Number(r.is_first) });
        out.set(r.stix_id, list);
      }
    }
    return out;
  }

  /**
   * The bodies of the stored versions that posted objects repeat (same id and version, visible to the writer),
   * by seq: a re-post is compared with what is stored. Read before any posted version is added, in one query
   * per chunk; the rows `existing` holds are exactly the stored ones at that point.
   */
  private async repeatedBodies(trx: Knex.Transaction, items: readonly PreparedObject[], existing: Map<string, ExistingRow[]>, visibility?: Visibility): Promise<Map<number, string>> {
    const seqs = new Set<number>();
    for (const item of items) {
      const stored = existing.get(item.stixId);
      if (!stored?.length) continue;
      const same = item.versionKey === undefined ? stored[0] : stored.find((v) => v.version_key === item.versionKey);
      if (same && isWhollyVisibleTo(same, visibility)) seqs.add(same.seq);
    }
    const out = new Map<number, string>();
    const list = [...seqs];
    for (let i = 0; i < list.length; i += LOOKUP_BATCH) {
      const chunk = list.slice(i, i + LOOKUP_BATCH);
      const rows = await runFixed<{ seq: number | string; body: string }>(trx, BODIES_SQL, [this.list(chunk)]);
      for (const r of rows) out.set(Number(r.seq), r.body);
    }
    return out;
  }

  /** The fixed SQL of an ingest's lookups with bindings as they are run, for EXPLAIN in tests and docs. */
  ingestLookupSql(collectionId: string, ids: string[], keys: string[], seqs: number[]): Array<{ name: string; sql: string; bindings: unknown[] }> {
    const d = this.db.dialect;
    return [
      { name: 'ingest: stored versions of the posted ids', sql: STORED_VERSIONS_SQL[d], bindings: [collectionId, this.list(ids)] },
      { name: 'ingest: current first/last and re-posted versions', sql: EXISTING_ROWS_SQL[d], bindings: [collectionId, this.list(ids), this.list(keys)] },
      { name: 'ingest: bodies of re-posted versions', sql: BODIES_SQL[d], bindings: [this.list(seqs)] },
    ];
  }

  /** A list bound as one parameter: JSON text for SQLite's json_each, an array for PostgreSQL. */
  private list(values: readonly unknown[]): unknown {
    return this.db.dialect === 'sqlite' ? JSON.stringify(values) : values;
  }

  /** Versions already stored for these ids (for validation rules that look at history). */
  async storedVersions(collectionId: string, ids: string[]): Promise<Map<string, StoredVersion[]>> {
    const out = new Map<string, StoredVersion[]>();
    for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
      if (i > 0) await yieldToEventLoop();
      const chunk = ids.slice(i, i + LOOKUP_BATCH);
      const rows = await this.db.selectSql<{ stix_id: string; version: string; version_key: string; revoked: number }>(STORED_VERSIONS_SQL[this.db.dialect], [collectionId, this.list(chunk)]);
      for (const r of rows) {
        const list = out.get(r.stix_id) ?? [];
        list.push({ version: r.version, versionKey: r.version_key, revoked: Number(r.revoked) === 1 });
        out.set(r.stix_id, list);
      }
    }
    return out;
  }

  /**
   * The collection's write position: its counter row (`last_date_added_us`), which every commit that adds
   * or deletes a version of the collection moves forward in the same transaction (new versions take
   * date_added above it; deletions take change-log positions from it). No stored version has a date_added
   * above it, so a page asked for after it is empty without reading the objects; a committed write is
   * seen by the next read, in any process. One primary-key read of a fixed SQL text; on PostgreSQL,
   * concurrent requests share reads that started after they asked (FreshReads).
   */
  writePosition(collectionId: string): Promise<number> {
    return this.db.dialect === 'postgres' ? this.positions.get(collectionId) : this.readWritePosition(collectionId);
  }

  private readonly positions = new FreshReads<number>((collectionId) => this.readWritePosition(collectionId));

  private async readWritePosition(collectionId: string): Promise<number> {
    const rows = await this.db.selectSql<{ last_date_added_us: number | string }>(WRITE_POSITION_SQL, [collectionId]);
    return rows.length ? Number(rows[0]!.last_date_added_us) : Number.MAX_SAFE_INTEGER;
  }

  /** One page of object versions in date_added order; fetches limit+1 rows so the caller knows `more`. */
  async page(q: PageQuery): Promise<StoredObject[]> {
    const reader = granularReader(q.visibility);
    return (await this.db.select(this.pageQuery(q).select(OBJECT_COLUMNS))).map((r) => toStoredObject(r, reader));
  }

  /**
   * The latest version of every extension-definition in a collection (STIX 2.1 §7.3), parsed: what both a
   * POST and `validate --collection` rely on when they validate new content. Visibility applies as everywhere.
   */
  async extensionDefinitions(collectionId: string, visibility?: Visibility): Promise<unknown[]> {
    const rows = await this.page({ collectionId, filter: { types: ['extension-definition'], versions: { all: false, last: true, first: false, keys: [] } }, limit: 10_000, visibility });
    return rows.map((r) => JSON.parse(r.body) as unknown);
  }

  /** Like page() without the bodies (manifest and versions endpoints). */
  async pageRecords(q: PageQuery): Promise<StoredRecord[]> {
    return (await this.db.select(this.pageQuery(q).select('seq', 'stix_id', 'type', 'spec_version', 'version', 'date_added_us'))).map(toStoredRecord);
  }

  /** The SQL of a page query, for EXPLAIN in tests and docs. */
  pageSql(q: PageQuery, withBody = true): Knex.Sql {
    return this.pageQuery(q).select(withBody ? ['seq', 'stix_id', 'body'] : ['seq', 'stix_id']).toSQL();
  }

  private pageQuery(q: PageQuery): Knex.QueryBuilder {
    const f = q.filter;
    const query = this.db.knex(OBJECTS).where('collection_id', q.collectionId);
    // Named objects are found by id through objects_version_uq, and only their versions are sorted.
    const named = q.stixId !== undefined || (f.ids?.length ?? 0) > 0;
    if (q.stixId !== undefined) query.where('stix_id', q.stixId);
    if (f.ids?.length) query.whereIn('stix_id', f.ids);
    if (f.types?.length) query.whereIn('type', f.types);
    if (f.specVersions?.length) query.whereIn('spec_version', f.specVersions);
    const v = f.versions;
    if (!v.all) {
      // With the objects named, the flag must not look like a key of objects_latest_idx, or SQLite without
      // statistics reads that index instead and walks the whole collection's newest versions to find them.
      const edge = { visibility: q.visibility, notIndexed: named };
      const only = [v.last, v.first, v.keys.length > 0].filter(Boolean).length === 1;
      if (only && v.last) this.whereEdge(query, 'last', edge);
      else if (only && v.first) this.whereEdge(query, 'first', edge);
      else if (only) query.whereIn('version_key', v.keys);
      else
        query.where((b) => {
          if (v.last) b.orWhere((e) => this.whereEdge(e, 'last', edge));
          if (v.first) b.orWhere((e) => this.whereEdge(e, 'first', edge));
          if (v.keys.length) b.orWhereIn('version_key', v.keys);
        });
    }
    // date_added is unique within a collection (objects_date_added_uq), so "after (date_added, seq)"
    // is exactly "date_added > cursor": one index range on every database, with no OR.
    const after = Math.max(f.addedAfterUs ?? -1, q.afterUs ?? -1);
    // For named objects date_added is written `+date_added_us`: it keeps SQLite (which plans without
    // statistics) from walking objects_date_added_uq in order instead, through the whole collection.
    if (after >= 0) {
      if (named) query.whereRaw('+?? > ?', ['date_added_us', after]);
      else query.where('date_added_us', '>', after);
    }
    if (q.excludeRevoked) query.where('revoked', 0);
    applyVisibility(query, q.visibility);
    applyEndpointVisibility(query, q.visibility);
    return (named ? query.orderByRaw('+?? asc', ['date_added_us']) : query.orderBy('date_added_us', 'asc')).limit(q.limit + 1);
  }

  /**
   * Selects the newest ('last') or oldest ('first') version of each object. Without a visibility that is
   * the stored flag. With one, it is the newest (oldest) version the caller may see: the flagged version
   * when it is visible, else a visible version with no visible version newer (older) than it. So a
   * version above the caller's clearance neither hides the older ones nor shows that it exists.
   */
  private whereEdge(b: Knex.QueryBuilder, edge: 'last' | 'first', opts: { visibility?: Visibility; notIndexed: boolean }): void {
    const flag = edge === 'last' ? 'is_latest' : 'is_first';
    const { visibility } = opts;
    if (!visibility) {
      if (opts.notIndexed) whereFlagSetNotIndexed(b, flag);
      else b.where(flag, 1);
      return;
    }
    const beyond = this.db
      .knex(`${OBJECTS} as v`)
      .select(this.db.knex.raw('1'))
      .whereRaw(`v.collection_id = ${OBJECTS}.collection_id and v.stix_id = ${OBJECTS}.stix_id and v.version_key ${edge === 'last' ? '>' : '<'} ${OBJECTS}.version_key`);
    applyVisibility(beyond, visibility, 'v.');
    b.where((e) => e.where(flag, 1).orWhereNotExists(beyond));
  }

  /** Whether the collection holds any version of the object that the visibility allows. */
  async exists(collectionId: string, stixId: string, visibility?: Visibility): Promise<boolean> {
    const query = this.db.knex(OBJECTS).where({ collection_id: collectionId, stix_id: stixId });
    applyVisibility(query, visibility);
    applyEndpointVisibility(query, visibility);
    return (await this.db.select(query.select('seq').limit(1))).length > 0;
  }

  /**
   * Deletes the selected versions of one object from one collection and re-derives the first/last
   * flags of what remains. Versions the visibility hides are never deleted. Returns how many were removed.
   */
  async deleteVersions(collectionId: string, stixId: string, filter: PageQuery['filter'], visibility?: Visibility): Promise<number> {
    return this.db.knex.transaction(async (trx) => {
      // Locks the collection's counter row first, as addObjects does: a version added meanwhile cannot
      // interleave with re-deriving the flags, and on SQLite the transaction holds the write lock before
      // it reads.
      await trx(COLLECTIONS).where({ id: collectionId }).update({ last_date_added_us: trx.ref('last_date_added_us') });
      const rows: Array<{ seq: number; version_key: string; spec_version: string; is_latest: number; is_first: number; tlp: number | null; granular_tlp: number | null; redact_floor: number | null; type: string; version: string; date_added_us: number }> = (
        await trx(OBJECTS)
          .where({ collection_id: collectionId, stix_id: stixId })
          .select('seq', 'version_key', 'spec_version', 'is_latest', 'is_first', 'tlp', 'granular_tlp', 'redact_floor', 'type', 'version', 'date_added_us')
      ).map((r: any) => ({ ...r, tlp: num(r.tlp), granular_tlp: num(r.granular_tlp), redact_floor: num(r.redact_floor) }));
      const v = filter.versions;
      // "first" and "last" are the oldest and newest versions this caller may see, as in pageQuery.
      const visible = rows.filter((r) => isVisibleTo(r, visibility));
      const keys = visible.map((r) => r.version_key).sort();
      const [firstKey, lastKey] = [keys[0], keys[keys.length - 1]];
      const doomed = visible.filter(
        (r) =>
          (!filter.specVersions?.length || filter.specVersions.includes(r.spec_version)) &&
          (v.all || (v.last && r.version_key === lastKey) || (v.first && r.version_key === firstKey) || v.keys.includes(r.version_key)),
      );
      if (doomed.length === 0) return 0;
      for (let i = 0; i < doomed.length; i += LOOKUP_BATCH) {
        await trx(OBJECTS).whereIn('seq', doomed.slice(i, i + LOOKUP_BATCH).map((r) => r.seq)).delete();
      }
      // The change log, in this transaction: one 'deleted' event per removed version (see change-store.ts).
      await ChangeStore.recordDeletes(trx, collectionId, stixId, doomed);
      const rest = rows.filter((r) => !doomed.includes(r)).sort((a, b) => (a.version_key < b.version_key ? -1 : 1));
      if (rest.length) {
        await trx(OBJECTS).where({ collection_id: collectionId, stix_id: stixId }).update({ is_latest: 0, is_first: 0 });
        await trx(OBJECTS).where('seq', rest[rest.length - 1]!.seq).update({ is_latest: 1 });
        await trx(OBJECTS).where('seq', rest[0]!.seq).update({ is_first: 1 });
      }
      return doomed.length;
    });
  }

  async countByType(collectionId: string): Promise<Record<string, number>> {
    const rows: Array<{ type: string; n: number | string }> = await this.db
      .knex(OBJECTS)
      .where({ collection_id: collectionId, is_latest: 1 })
      .groupBy('type')
      .select('type', this.db.knex.raw('count(*) as n'));
    return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
  }

  /**
   * The newest version of each object that the visibility allows, in date_added order, read in keyset
   * pages of `pageSize` (the exports). The same query as the objects endpoint with match[version]=last,
   * so grants' TLP clearance and "newest visible version" mean the same thing here.
   */
  async *latestVisible(q: { collectionId: string; types?: string[]; visibility?: Visibility; excludeRevoked?: boolean }, pageSize = 500): AsyncGenerator<StoredObject> {
    let after = -1;
    const filter = { types: q.types, versions: { all: false, last: true, first: false, keys: [] } };
    for (;;) {
      const rows = await this.page({ collectionId: q.collectionId, filter, visibility: q.visibility, excludeRevoked: q.excludeRevoked, afterUs: after, limit: pageSize - 1 });
      for (const r of rows) yield r;
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.dateAddedUs;
    }
  }

  /** Objects per type that have a version the visibility allows (the web console's collection summary). */
  async countVisibleByType(collectionId: string, visibility?: Visibility): Promise<Record<string, number>> {
    const query = this.db.knex(OBJECTS).where('collection_id', collectionId);
    applyVisibility(query, visibility);
    applyEndpointVisibility(query, visibility);
    const rows: Array<{ type: string; n: number | string }> = await this.db.select(query.groupBy('type').select('type', this.db.knex.raw('count(distinct stix_id) as n')));
    return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
  }

  /** The versions added last that the visibility allows, newest first (objects_date_added_uq read backwards). */
  async newestAdded(collectionId: string, limit: number, visibility?: Visibility): Promise<StoredObject[]> {
    const query = this.db.knex(OBJECTS).where('collection_id', collectionId);
    applyVisibility(query, visibility);
    applyEndpointVisibility(query, visibility);
    const reader = granularReader(visibility);
    return (await this.db.select(query.orderBy('date_added_us', 'desc').limit(limit).select(OBJECT_COLUMNS))).map((r) => toStoredObject(r, reader));
  }

  /**
   * Object versions in date_added order whose JSON contains a text (case-insensitive) and whose TLP is one
   * level (unmarked versions count at `defaultTlp`), within the visibility; limit+1 rows so the caller
   * knows `more`. The web console's search: the text is not indexed, so it reads the collection in
   * date_added order (objects_date_added_uq) until the page is full.
   */
  async search(q: { collectionId: string; types?: string[]; text?: string; tlp?: number; defaultTlp?: number; afterUs?: number; limit: number; visibility?: Visibility }): Promise<StoredObject[]> {
    const reader = granularReader(q.visibility);
    const text = q.text?.toLowerCase();
    const out: StoredObject[] = [];
    let afterUs = q.afterUs;
    // The text is matched in SQL against the stored bytes; a version served redacted must also match what the
    // reader is served, else searching would tell whether the removed text holds a word. Those are checked
    // here, and the read goes on until the page is full.
    for (;;) {
      const query = this.db.knex(OBJECTS).where('collection_id', q.collectionId);
      if (q.types?.length) query.whereIn('type', q.types);
      if (text) query.whereRaw('lower(body) like ? escape ?', [`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, '\\']);
      if (q.tlp !== undefined) query.where((b) => (q.tlp === q.defaultTlp ? b.where('tlp', q.tlp!).orWhereNull('tlp') : b.where('tlp', q.tlp!)));
      if (afterUs !== undefined) query.where('date_added_us', '>', afterUs);
      applyVisibility(query, q.visibility);
      applyEndpointVisibility(query, q.visibility);
      const want = q.limit + 1 - out.length;
      const rows: any[] = await this.db.select(query.orderBy('date_added_us', 'asc').limit(want).select(OBJECT_COLUMNS));
      for (const r of rows) {
        const o = toStoredObject(r, reader);
        if (!text || o.body === r.body || o.body.toLowerCase().includes(text)) out.push(o);
      }
      if (rows.length < want || out.length > q.limit) return out;
      afterUs = Number(rows[rows.length - 1].date_added_us);
    }
  }

  /** Every latest version of a collection in date_added order, in pages (for export). */
  async *allLatest(collectionId: string, pageSize = 1000): AsyncGenerator<StoredObject> {
    let after = -1;
    for (;;) {
      const rows = await this.page({ collectionId, filter: { versions: { all: false, last: true, first: false, keys: [] } }, afterUs: after, limit: pageSize - 1 });
      for (const r of rows) yield r;
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.dateAddedUs;
    }
  }
}

export { applyEndpointVisibility, applyVisibility, isVisibleTo } from './visibility';

class RollbackProbe extends Error {}

/**
 * `flag = 1` written as `+flag = 1`: the unary plus keeps the value and takes the column out of index
 * matching (SQLite and PostgreSQL). For queries that name their objects: without statistics SQLite would
 * otherwise prefer objects_latest_idx / objects_first_idx to objects_version_uq and walk the whole collection.
 */
function whereFlagSetNotIndexed<Q extends Knex.QueryBuilder>(query: Q, flag: 'is_latest' | 'is_first'): Q {
  return query.whereRaw('+?? = 1', [flag]) as Q;
}
