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
import { versionKey } from '../common/time';
import type { Db } from './db';
import { ChangeStore } from './change-store';
import { applyEndpointVisibility, applyVisibility, granularReader, isVisibleTo } from './visibility';
import { FreshReads } from './fresh-reads';
import { isWaitTimeout } from './unavailable';
import { LOOKUP_BATCH, ObjectWrites, WRITE_POSITION_SQL } from './object-writes';
import { num, OBJECT_COLUMNS, toStoredObject, toStoredRecord, type AddedVersion, type KnownVersions, type WriteContext, type WriteHooks, type WriteObserver } from './object-rows';

export { HookAbort, StoreWriteError, type AddedVersion, type KnownVersions, type StoreTransaction, type WriteContext, type WriteHooks, type WriteObserver } from './object-rows';

const OBJECTS = 'objects';
const COLLECTIONS = 'collections';

/**
 * Stored object versions: with ObjectWrites (object-writes.ts), which adds them, the only place that knows the
 * `objects` table. Every add goes through ObjectWrites.addWithin, in its commit-ordered date_added allocation.
 */
export class ObjectStore {
  private readonly observers: WriteObserver[] = [];

  private readonly writes: ObjectWrites;

  constructor(private readonly db: Db) {
    this.writes = new ObjectWrites(db);
  }

  /**
   * Stores the versions of one request in one transaction. `context` says who wrote and under which
   * status; observers (the review inbox) see the versions added, inside the same transaction.
   */
  async addObjects(collectionId: string, items: readonly PreparedObject[], context?: WriteContext, hooks?: WriteHooks): Promise<AddOutcome[]> {
    const outcomes = await this.db.knex.transaction(async (trx) => {
      if (hooks?.before) await hooks.before(trx);
      const out = await this.writes.addWithin(trx, collectionId, items, context?.visibility, context?.known);
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
   * Adds versions to a collection inside the caller's transaction (ObjectWrites.addWithin). Other stores that
   * publish objects (review approvals) go through here, never around it.
   */
  addWithin(trx: Knex.Transaction, collectionId: string, items: readonly PreparedObject[], visibility?: Visibility): Promise<AddOutcome[]> {
    return this.writes.addWithin(trx, collectionId, items, visibility);
  }

  /** Versions already stored for these ids (for validation rules that look at history), and what addObjects may reuse of them (KnownVersions). */
  storedVersions(collectionId: string, ids: string[]): Promise<{ history: Map<string, StoredVersion[]>; known: KnownVersions }> {
    return this.writes.storedVersions(collectionId, ids);
  }

  /** The fixed SQL of an ingest's lookups with bindings as they are run, for EXPLAIN in tests and docs. */
  ingestLookupSql(collectionId: string, ids: string[], keys: string[], seqs: number[], since: number): Array<{ name: string; sql: string; bindings: unknown[] }> {
    return this.writes.ingestLookupSql(collectionId, ids, keys, seqs, since);
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

  private readonly positions = new FreshReads<number>((collectionId) => this.readWritePosition(collectionId), isWaitTimeout);

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
      const rows: Array<{ seq: number; version_key: string; spec_version: string; is_latest: number; is_first: number; tlp: number | null; granular_tlp: number | null; redact_floor: number | null; type: string; version: string; date_added_us: number; revoked: number }> = (
        await trx(OBJECTS)
          .where({ collection_id: collectionId, stix_id: stixId })
          .select('seq', 'version_key', 'spec_version', 'is_latest', 'is_first', 'tlp', 'granular_tlp', 'redact_floor', 'type', 'version', 'date_added_us', 'revoked')
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
      // The change log, in this transaction: each removed version's add event moves to the log and a 'deleted'
      // event follows it (see change-store.ts).
      // The object's object_endpoints rows stay: the change log keeps its events, and they must stay hidden
      // from readers who may not see an object it named (applyEndpointVisibility on the change log).
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

/**
 * `flag = 1` written as `+flag = 1`: the unary plus keeps the value and takes the column out of index
 * matching (SQLite and PostgreSQL). For queries that name their objects: without statistics SQLite would
 * otherwise prefer objects_latest_idx / objects_first_idx to objects_version_uq and walk the whole collection.
 */
function whereFlagSetNotIndexed<Q extends Knex.QueryBuilder>(query: Q, flag: 'is_latest' | 'is_first'): Q {
  return query.whereRaw('+?? = 1', [flag]) as Q;
}
