import type { Knex } from 'knex';
import type pg from 'pg';
import type { AddOutcome, PreparedObject, StoredVersion, Visibility } from '../domain/types';
import { nowMicros } from '../common/time';
import { WorkSlicer, yieldToEventLoop } from '../common/event-loop';
import { endpointsOf } from '../stix/refs';
import { granularProfile } from '../stix/granular-redaction';
import { isDatabaseUnavailable, type Db } from './db';
import { insertRows, postgresInsert } from './insert-rows';
import { pgBinaryArray, type PgElementType } from './pg-arrays';
import { ENDPOINT_ROWS, num, OBJECT_ROWS, StoreWriteError, type EndpointRow, type ExistingRow, type KnownVersions, type NewRow } from './object-rows';
import { AddPlan, existingRow, type FlagUpdate } from './add-plan';
import { allocatePositions } from './positions';
import { connectionOf, runFixed, runPostgres, type FixedSql } from './statements';
import { isWhollyVisibleTo } from './visibility';

const OBJECTS = 'objects';
const COLLECTIONS = 'collections';
const CHANGES = 'changes';
/** Rows per INSERT: stays far below SQLite's bound-parameter limit and PostgreSQL's 65535. */
const INSERT_BATCH = 400;
/** Ids (or seqs) per lookup. */
export const LOOKUP_BATCH = 500;

// The lookups of an ingest take their ids (and version keys) as one array parameter, a JSON text on SQLite:
// one SQL text whatever the number of ids, compiled once. Both read objects_version_uq by its
// (collection_id, stix_id) prefix (docs/query-plans.md).
const EXISTING_COLUMNS = 'seq, stix_id, version_key, version, tlp, granular_tlp, redact_floor, is_latest, is_first';
const STORED_VERSIONS_SQL = {
  sqlite: `select ${EXISTING_COLUMNS}, revoked from ${OBJECTS} where collection_id = ? and stix_id in (select value from json_each(?))`,
  postgres: `select ${EXISTING_COLUMNS}, revoked from ${OBJECTS} where collection_id = ? and stix_id = any(?::text[])`,
};
/** A collection's write position: its counter row's last date_added. */
export const WRITE_POSITION_SQL = `select last_date_added_us from ${COLLECTIONS} where id = ?`;
/** Locks a collection's counter row (until the transaction ends) and reads it, in one statement. */
const LOCK_POSITION_SQL: FixedSql = {
  sqlite: `update ${COLLECTIONS} set last_date_added_us = last_date_added_us where id = ? returning last_date_added_us`,
  postgres: `update ${COLLECTIONS} set last_date_added_us = last_date_added_us where id = $1 returning last_date_added_us`,
};
const SET_POSITION_PG = `update ${COLLECTIONS} set last_date_added_us = $1 where id = $2`;
/** Rows per INSERT on PostgreSQL (one array per column, whatever the number of rows). */
const PG_INSERT_BATCH = 2000;
const ROWS_SAVEPOINT = 'taxii_new_rows';
const EXISTING_ROWS_SQL: FixedSql = {
  sqlite: `select ${EXISTING_COLUMNS} from ${OBJECTS} where collection_id = ? and stix_id in (select value from json_each(?)) and (is_latest = 1 or is_first = 1 or version_key in (select value from json_each(?)))`,
  postgres: `select ${EXISTING_COLUMNS} from ${OBJECTS} where collection_id = $1 and stix_id = any($2::text[]) and (is_latest = 1 or is_first = 1 or version_key = any($3::text[]))`,
};
/**
 * The ids of the versions a collection gained after a write position, in the range objects_date_added_uq
 * holds in order (the same range a page after `added_after` reads), at most ADDED_SINCE_BOUND + 1 of them.
 */
const ADDED_SINCE_SQL: FixedSql = {
  sqlite: `select stix_id from ${OBJECTS} where collection_id = ? and date_added_us > ? order by date_added_us limit ?`,
  postgres: `select stix_id from ${OBJECTS} where collection_id = $1 and date_added_us > $2 order by date_added_us limit $3`,
};
/** Whether a deletion was recorded after a write position (its event's position, changes_position_uq). */
const DELETED_SINCE_SQL: FixedSql = {
  sqlite: `select 1 as deleted from ${CHANGES} where collection_id = ? and position_us > ? limit 1`,
  postgres: `select 1 as deleted from ${CHANGES} where collection_id = $1 and position_us > $2 limit 1`,
};
/**
 * Past this many versions added since the rows were read, the posted ids are looked up again instead: reading
 * that many ids of recent rows would cost more than the lookups (about 1,000 to 2,000 with two envelopes of
 * 1,000 in flight).
 */
export const ADDED_SINCE_BOUND = 2000;
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
const CLEAR_FLAG_SQL: Record<'is_latest' | 'is_first', FixedSql> = Object.fromEntries(
  (['is_latest', 'is_first'] as const).map((f) => [
    f,
    {
      // CROSS JOIN keeps the objects named as the outer loop (SQLite plans the join in the order written).
      sqlite: `update "${OBJECTS}" set "${f}" = 0 where seq in (select o.seq from json_each(?) as u cross join "${OBJECTS}" as o where o.collection_id = ? and o.stix_id = u.key and +o."${f}" = 1 and o.version_key <> u.value)`,
      postgres: `update "${OBJECTS}" set "${f}" = 0 from unnest($1::text[], $2::text[]) as u(stix_id, keep) where "${OBJECTS}"."collection_id" = $3 and "${OBJECTS}"."stix_id" = u.stix_id and +"${OBJECTS}"."${f}" = 1 and "${OBJECTS}"."version_key" <> u.keep`,
    },
  ]),
) as Record<'is_latest' | 'is_first', FixedSql>;

/**
 * The add path of the object store (ObjectStore.addObjects and addWithin): the lookups of what is already
 * stored, the new rows with their first/last flags and their relationship endpoints (a new row is its own
 * add event in the change log, src/store/change-store.ts).
 *
 * date_added allocation: each writing transaction first locks its collection's counter row, so writers
 * of one collection commit in the order they allocate. A transaction's versions take microseconds drawn
 * at random inside milliseconds that no earlier transaction used, in posting order (src/store/positions.ts).
 * That keeps date_added unique and strictly increasing in commit order, leaves no count of hidden versions
 * in its gaps, and lets X-TAXII-Date-Added-Last be rounded up to the millisecond for clients that truncate
 * it, without ever skipping a later commit.
 */
export class ObjectWrites {
  constructor(private readonly db: Db) {}

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
  async addWithin(trx: Knex.Transaction, collectionId: string, items: readonly PreparedObject[], visibility?: Visibility, known?: KnownVersions): Promise<AddOutcome[]> {
    // What readers below a granular TLP marking get (src/stix/granular-redaction.ts), kept with each row;
    // worked out before the collection's counter row is locked, since it may validate redacted objects.
    const profiles = items.map((item) => granularProfile(item.value));
    const [counter] = await runFixed<{ last_date_added_us: number | string }>(trx, LOCK_POSITION_SQL, [collectionId]);
    if (!counter) throw new StoreWriteError(undefined, new Error(`collection ${collectionId} is not in the store`));
    const at = Number(counter.last_date_added_us);
    const covered = known !== undefined && items.every((i) => known.ids.has(i.stixId));
    const existing = !covered
      ? await this.existingRows(trx, collectionId, items)
      : known.position === at
        ? this.knownRows(known, items)
        : await this.rowsSince(trx, collectionId, known, at, items);
    const repeated = await this.repeatedBodies(trx, items, existing, visibility);
    const plan = new AddPlan(collectionId, existing, allocatePositions(at, nowMicros(), items.length), at, repeated, visibility);
    const slicer = new WorkSlicer();
    for (let index = 0; index < items.length; index++) {
      await slicer.step();
      plan.take(items[index]!, profiles[index]);
    }
    const inserts = plan.inserts;
    if (inserts.length === 0) return plan.outcomes;
    const outcomes = plan.outcomes;
    const links = endpointRows(collectionId, items, outcomes);
    if (this.db.dialect === 'postgres') {
      await this.writePostgres(trx, collectionId, plan.flagUpdates(), inserts, links, plan.lastUs);
      return outcomes;
    }
    await this.clearFlags(trx, collectionId, plan.flagUpdates());
    await this.insertObjects(trx, inserts);
    for (let i = 0; i < links.length; i += INSERT_BATCH) await insertRows(trx, ENDPOINT_ROWS, links.slice(i, i + INSERT_BATCH));
    await trx(COLLECTIONS).where({ id: collectionId }).update({ last_date_added_us: plan.lastUs });
    return outcomes;
  }

  /**
   * The statements of a write on PostgreSQL, sent one after another without waiting for each answer (the
   * connection's pipeline mode, src/store/db.ts): the collection's counter row is then held for the database's work, not for a
   * round trip per statement through an event loop that is busy validating the next request. The new rows
   * go in a savepoint; when the database refuses one of their statements, the transaction goes back to it
   * and culprit names the row at fault, as on SQLite.
   */
  private async writePostgres(trx: Knex.Transaction, collectionId: string, flagUpdates: readonly FlagUpdate[], inserts: readonly NewRow[], links: readonly EndpointRow[], lastUs: number): Promise<void> {
    const conn = (await connectionOf(trx)).conn as pg.Client;
    const sent: Promise<unknown>[] = [];
    for (let i = 0; i < flagUpdates.length; i += LOOKUP_BATCH) {
      for (const { fixed, bindings } of this.flagStatements(collectionId, flagUpdates.slice(i, i + LOOKUP_BATCH))) sent.push(runPostgres(conn, fixed.postgres, bindings));
    }
    sent.push(conn.query(`savepoint ${ROWS_SAVEPOINT}`));
    const batches: Array<{ rows: readonly NewRow[]; done: Promise<unknown> }> = [];
    for (let i = 0; i < inserts.length; i += PG_INSERT_BATCH) {
      const rows = inserts.slice(i, i + PG_INSERT_BATCH);
      const { text, values } = postgresInsert(OBJECT_ROWS, rows);
      const done = runPostgres(conn, text, values);
      batches.push({ rows, done });
      sent.push(done);
    }
    sent.push(conn.query(`release savepoint ${ROWS_SAVEPOINT}`));
    for (let i = 0; i < links.length; i += PG_INSERT_BATCH) {
      const { text, values } = postgresInsert(ENDPOINT_ROWS, links.slice(i, i + PG_INSERT_BATCH));
      sent.push(runPostgres(conn, text, values));
    }
    sent.push(runPostgres(conn, SET_POSITION_PG, [lastUs, collectionId]));
    const settled = await Promise.allSettled(sent);
    // The first refusal is the cause; every statement after it failed only because the transaction had.
    const first = settled.findIndex((r) => r.status === 'rejected');
    if (first < 0) return;
    const cause = (settled[first] as PromiseRejectedResult).reason;
    const refused = batches.find((b) => b.done === sent[first]);
    if (!refused || isDatabaseUnavailable(cause)) throw cause;
    await conn.query(`rollback to savepoint ${ROWS_SAVEPOINT}`);
    throw await this.culprit(trx, refused.rows, cause);
  }

  /** SQLite: clears the first or last flag of older versions that lost it (see AddPlan.flagUpdates). */
  private async clearFlags(trx: Knex.Transaction, collectionId: string, flagUpdates: readonly FlagUpdate[]): Promise<void> {
    for (let i = 0; i < flagUpdates.length; i += LOOKUP_BATCH) {
      for (const { fixed, bindings } of this.flagStatements(collectionId, flagUpdates.slice(i, i + LOOKUP_BATCH))) await runFixed(trx, fixed, bindings);
    }
  }

  /**
   * The two statements that clear the flags of one chunk of objects, with their bindings: a JSON object of
   * id to the version key keeping the flag (SQLite), or two arrays (PostgreSQL).
   */
  private flagStatements(collectionId: string, chunk: readonly FlagUpdate[]): Array<{ flag: 'is_latest' | 'is_first'; fixed: FixedSql; bindings: unknown[] }> {
    return (['is_latest', 'is_first'] as const).map((flag) => {
      const keep = chunk.map((u) => (flag === 'is_latest' ? u.latest : u.first));
      const bindings = this.db.dialect === 'sqlite' ? [JSON.stringify(Object.fromEntries(chunk.map((u, k) => [u.stixId, keep[k]]))), collectionId] : [this.list(chunk.map((u) => u.stixId)), this.list(keep), collectionId];
      return { flag, fixed: CLEAR_FLAG_SQL[flag], bindings };
    });
  }

  /**
   * SQLite: inserts the new rows in batches; a batch the database refuses names the row at fault (see culprit).
   * A failing SQLite statement changes nothing (statement-level rollback), so no savepoint is needed.
   */
  private async insertObjects(trx: Knex.Transaction, inserts: readonly NewRow[]): Promise<void> {
    for (let i = 0; i < inserts.length; i += INSERT_BATCH) {
      // SQLite runs each statement synchronously: let other clients in between batches.
      if (i > 0) await yieldToEventLoop();
      const batch = inserts.slice(i, i + INSERT_BATCH);
      try {
        await insertRows(trx, OBJECT_ROWS, batch);
      } catch (err) {
        throw await this.culprit(trx, batch, err);
      }
    }
  }

  /** Finds which row of a failed batch the database refused, by retrying each in a savepoint. */
  private async culprit(trx: Knex.Transaction, batch: readonly NewRow[], err: unknown): Promise<StoreWriteError> {
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
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += LOOKUP_BATCH) chunks.push(ids.slice(i, i + LOOKUP_BATCH));
    const read = (chunk: string[]) => runFixed<ExistingRow>(trx, EXISTING_ROWS_SQL, [collectionId, this.list(chunk), this.list([...new Set(chunk.flatMap((id) => keysById.get(id)!))])]);
    let answers: ExistingRow[][];
    // PostgreSQL: every chunk's query sent at once (pipeline mode), as in writePostgres.
    if (this.db.dialect === 'postgres') answers = await Promise.all(chunks.map(read));
    else {
      answers = [];
      for (const [i, chunk] of chunks.entries()) {
        if (i > 0) await yieldToEventLoop();
        answers.push(await read(chunk));
      }
    }
    const out = new Map<string, ExistingRow[]>();
    for (const rows of answers) {
      for (const r of rows) {
        const list = out.get(r.stix_id) ?? [];
        const seq = Number(r.seq);
        if (!list.some((x) => x.seq === seq)) list.push(rowRead(r));
        out.set(r.stix_id, list);
      }
    }
    return out;
  }

  /**
   * What existingRows would read, when the write position has moved from the one the rows were read at to
   * `at`: only the posted ids that gained a version since are looked up again, the rest taken from the rows.
   * Every change to a collection's objects moves its position: an added version is a row after it, a deletion
   * (with the flags it re-derives) an event after it in the change log. So after a deletion, or past
   * ADDED_SINCE_BOUND added versions, every posted id is looked up again.
   */
  private async rowsSince(trx: Knex.Transaction, collectionId: string, known: KnownVersions, at: number, items: readonly PreparedObject[]): Promise<Map<string, ExistingRow[]>> {
    if (!(at > known.position)) return this.existingRows(trx, collectionId, items);
    // On PostgreSQL both go out at once (pipeline mode).
    const [added, deleted] = await Promise.all([
      runFixed<{ stix_id: string }>(trx, ADDED_SINCE_SQL, [collectionId, known.position, ADDED_SINCE_BOUND + 1]),
      runFixed<{ deleted: number }>(trx, DELETED_SINCE_SQL, [collectionId, known.position]),
    ]);
    if (deleted.length || added.length > ADDED_SINCE_BOUND) return this.existingRows(trx, collectionId, items);
    const touched = new Set(added.map((r) => r.stix_id));
    const out = this.knownRows(known, items.filter((i) => !touched.has(i.stixId)));
    const stale = items.filter((i) => touched.has(i.stixId));
    if (stale.length) for (const [id, rows] of await this.existingRows(trx, collectionId, stale)) out.set(id, rows);
    return out;
  }

  /** What existingRows would read, taken from rows read at the current write position (see KnownVersions). */
  private knownRows(known: KnownVersions, items: readonly PreparedObject[]): Map<string, ExistingRow[]> {
    const keysById = new Map<string, Set<string>>();
    for (const i of items) {
      const keys = keysById.get(i.stixId) ?? new Set<string>();
      if (i.versionKey) keys.add(i.versionKey);
      keysById.set(i.stixId, keys);
    }
    const out = new Map<string, ExistingRow[]>();
    for (const [id, keys] of keysById) {
      const rows = (known.rows.get(id) ?? []).filter((r) => r.is_latest === 1 || r.is_first === 1 || keys.has(r.version_key));
      if (rows.length) out.set(id, rows.map((r) => existingRow(r.seq, r.stix_id, r.version_key, r.version, r.tlp, r.granular_tlp, r.redact_floor, r.is_latest, r.is_first)));
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
      const rows = await runFixed<{ seq: number | string; body: string }>(trx, BODIES_SQL, [this.list(chunk, 'bigint')]);
      for (const r of rows) out.set(Number(r.seq), r.body);
    }
    return out;
  }

  /**
   * The fixed SQL of an ingest's lookups and flag updates with bindings as they are run, for EXPLAIN in tests and
   * docs; `since` is a write position a lookup before the transaction read.
   */
  ingestLookupSql(collectionId: string, ids: string[], keys: string[], seqs: number[], since: number): Array<{ name: string; sql: string; bindings: unknown[] }> {
    const d = this.db.dialect;
    return [
      { name: 'ingest: stored versions of the posted ids', sql: STORED_VERSIONS_SQL[d], bindings: [collectionId, this.list(ids)] },
      { name: 'ingest: current first/last and re-posted versions', sql: EXISTING_ROWS_SQL[d], bindings: [collectionId, this.list(ids), this.list(keys)] },
      { name: 'ingest: bodies of re-posted versions', sql: BODIES_SQL[d], bindings: [this.list(seqs, 'bigint')] },
      { name: 'ingest: ids added since the lookup', sql: ADDED_SINCE_SQL[d], bindings: [collectionId, since, ADDED_SINCE_BOUND + 1] },
      { name: 'ingest: a deletion since the lookup', sql: DELETED_SINCE_SQL[d], bindings: [collectionId, since] },
      ...this.flagStatements(collectionId, ids.map((id) => ({ stixId: id, latest: keys[0] ?? '', first: keys[0] ?? '' }))).map(({ flag, fixed, bindings }) => ({
        name: `ingest: clear ${flag} of the older versions`,
        sql: fixed[d],
        bindings,
      })),
    ];
  }

  /** A list bound as one parameter: JSON text for SQLite's json_each, a binary array for PostgreSQL (pg-arrays.ts). */
  private list(values: readonly unknown[], type: PgElementType = 'text'): unknown {
    return this.db.dialect === 'sqlite' ? JSON.stringify(values) : pgBinaryArray(type, values);
  }

  /**
   * Versions already stored for these ids (for validation rules that look at history), and the rows read
   * with the write position read before them, for addWithin to reuse while the position has not moved.
   */
  async storedVersions(collectionId: string, ids: string[]): Promise<{ history: Map<string, StoredVersion[]>; known: KnownVersions }> {
    const position = await this.db.selectSql<{ last_date_added_us: number | string }>(WRITE_POSITION_SQL, [collectionId]);
    const history = new Map<string, StoredVersion[]>();
    const rows = new Map<string, ExistingRow[]>();
    for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
      if (i > 0) await yieldToEventLoop();
      const chunk = ids.slice(i, i + LOOKUP_BATCH);
      const found = await this.db.selectSql<ExistingRow & { revoked: number | string }>(STORED_VERSIONS_SQL[this.db.dialect], [collectionId, this.list(chunk)]);
      for (const r of found) {
        const versions = history.get(r.stix_id) ?? [];
        versions.push({ version: r.version, versionKey: r.version_key, revoked: Number(r.revoked) === 1 });
        history.set(r.stix_id, versions);
        const existing = rows.get(r.stix_id) ?? [];
        existing.push(rowRead(r));
        rows.set(r.stix_id, existing);
      }
    }
    // A collection not in the store has no position; the transaction then refuses the write anyway.
    const at = position.length ? Number(position[0]!.last_date_added_us) : Number.NaN;
    return { history, known: { position: at, ids: new Set(ids), rows } };
  }
}

class RollbackProbe extends Error {}

/** The endpoints of new relationships and sightings, for readers that leave out those naming hidden objects. */
function endpointRows(collectionId: string, items: readonly PreparedObject[], outcomes: readonly AddOutcome[]): EndpointRow[] {
  return items.flatMap((item, i): EndpointRow[] =>
    outcomes[i]!.kind === 'added' && (item.type === 'relationship' || item.type === 'sighting')
      ? endpointsOf(item.value).map((ref_id) => ({ collection_id: collectionId, stix_id: item.stixId, ref_id }))
      : [],
  );
}

/** An ExistingRow from a row the database answered (PostgreSQL's smallint and SQLite's integers alike). */
function rowRead(r: ExistingRow): ExistingRow {
  return existingRow(Number(r.seq), r.stix_id, r.version_key, r.version, num(r.tlp), num(r.granular_tlp), num(r.redact_floor), Number(r.is_latest), Number(r.is_first));
}
