import type { Knex } from 'knex';
import type { Visibility } from '../domain/types';
import { nowMicros } from '../common/time';
import { servedBody } from '../stix/granular-redaction';
import type { Db } from './db';
import { allocatePositions } from './positions';
import { applyEndpointVisibility, applyVisibility, granularReader } from './visibility';

const CHANGES = 'changes';
const PRUNED = 'changes_pruned';
const COLLECTIONS = 'collections';
const OBJECTS = 'objects';
const INSERT_BATCH = 400;
const PRUNE_BATCH = 500;

export type ChangeKind = 'added' | 'deleted' | 'revoked';

/** One entry of a collection's change log. */
export interface ChangeRecord {
  /** Commit-ordered position (microseconds, from the collection's date_added counter). */
  positionUs: number;
  stixId: string;
  type: string;
  version: string;
  change: ChangeKind;
  /** The version's JSON text, when asked for and the version is still stored (never for deletions). */
  body?: string;
}

/** A version removed by a DELETE. */
export interface DeletedVersionRow {
  type: string;
  version: string;
  /** Its date_added: where its add (or revocation) event sits in the log. */
  date_added_us: number;
  revoked: number;
  tlp: number | null;
  granular_tlp: number | null;
  redact_floor: number | null;
}

export interface ChangePageQuery {
  collectionId: string;
  afterUs?: number;
  /** Rows wanted; limit+1 are read so that the caller knows `more`. */
  limit: number;
  visibility?: Visibility;
  types?: string[];
  withBodies?: boolean;
}

/**
 * The change log. The only place that knows the `changes` table. An add's (or revocation's) event is its
 * version's row in `objects`, at its date_added; a DELETE, inside its transaction and while it holds the
 * collection's counter row, moves the add events of the versions it removes into `changes` at those same
 * positions and adds their deletion events at the next counter values. So the log commits in position
 * order, an event is in exactly one of the two tables in any snapshot, and a reader that has passed a
 * position never misses a later event.
 */
export class ChangeStore {
  constructor(private readonly db: Db) {}

  /**
   * Records the versions a DELETE removed (in its transaction, which has already locked the collection's
   * counter row and deleted their rows): each one's add (or revocation) event moves here at its date_added,
   * and its deletion event takes a position allocated as addObjects allocates date_added (src/store/positions.ts).
   */
  static async recordDeletes(trx: Knex.Transaction, collectionId: string, stixId: string, rows: readonly DeletedVersionRow[]): Promise<void> {
    if (rows.length === 0) return;
    const counter = await trx(COLLECTIONS).where({ id: collectionId }).first('last_date_added_us');
    const positions = allocatePositions(Number(counter.last_date_added_us), nowMicros(), rows.length);
    const event = (r: DeletedVersionRow) => ({ collection_id: collectionId, stix_id: stixId, type: r.type, version: r.version, tlp: r.tlp, granular_tlp: r.granular_tlp, redact_floor: r.redact_floor });
    const events = [
      ...rows.map((r) => ({ ...event(r), position_us: Number(r.date_added_us), change: Number(r.revoked) === 1 ? 'revoked' : 'added', added_us: null })),
      ...rows.map((r, i) => ({ ...event(r), position_us: positions[i]!, change: 'deleted', added_us: Number(r.date_added_us) })),
    ];
    for (let i = 0; i < events.length; i += INSERT_BATCH) await trx(CHANGES).insert(events.slice(i, i + INSERT_BATCH));
    await trx(COLLECTIONS).where({ id: collectionId }).update({ last_date_added_us: positions[positions.length - 1]! });
  }

  /**
   * Events after a position, in position order, that the visibility allows; limit+1 rows. Two ranges read
   * in position order, each at most limit+1 rows: the stored versions' add events through
   * objects_date_added_uq and the logged events through changes_position_uq, merged.
   */
  async page(q: ChangePageQuery): Promise<ChangeRecord[]> {
    const rows = await this.db.select(this.pageQuery(q));
    const reader = granularReader(q.visibility);
    return rows.map((r: any) => ({
      positionUs: Number(r.position_us),
      stixId: r.stix_id,
      type: r.type,
      version: r.version,
      change: r.change as ChangeKind,
      ...(q.withBodies && r.body != null ? { body: servedBody(r.body as string, r.granular_tlp === null ? null : Number(r.granular_tlp), reader) } : {}),
    }));
  }

  /** The SQL of a page, for EXPLAIN in tests and docs. */
  pageSql(q: ChangePageQuery): Knex.Sql {
    return this.pageQuery(q).toSQL();
  }

  private pageQuery(q: ChangePageQuery): Knex.QueryBuilder {
    const k = this.db.knex;
    const stored = k(OBJECTS).where(`${OBJECTS}.collection_id`, q.collectionId);
    const logged = k(CHANGES).where(`${CHANGES}.collection_id`, q.collectionId);
    if (q.afterUs !== undefined && q.afterUs >= 0) {
      stored.where(`${OBJECTS}.date_added_us`, '>', q.afterUs);
      logged.where(`${CHANGES}.position_us`, '>', q.afterUs);
    }
    for (const [query, table] of [[stored, OBJECTS], [logged, CHANGES]] as const) {
      if (q.types?.length) query.whereIn(`${table}.type`, q.types);
      applyVisibility(query, q.visibility, `${table}.`);
      // The collection's omit_relationships_to_hidden, as for the objects: judged on what is stored now.
      applyEndpointVisibility(query, q.visibility, table);
    }
    stored
      .select(
        `${OBJECTS}.date_added_us as position_us`,
        `${OBJECTS}.stix_id`,
        `${OBJECTS}.type`,
        `${OBJECTS}.version`,
        k.raw(`case when ${OBJECTS}.revoked = 1 then 'revoked' else 'added' end as change`),
        ...(q.withBodies ? [`${OBJECTS}.body`, `${OBJECTS}.granular_tlp`] : []),
      )
      .orderBy(`${OBJECTS}.date_added_us`, 'asc')
      .limit(q.limit + 1);
    // A logged add is of a deleted version: no body.
    logged
      .select(
        `${CHANGES}.position_us`,
        `${CHANGES}.stix_id`,
        `${CHANGES}.type`,
        `${CHANGES}.version`,
        `${CHANGES}.change`,
        ...(q.withBodies ? [k.raw('null as body'), `${CHANGES}.granular_tlp`] : []),
      )
      .orderBy(`${CHANGES}.position_us`, 'asc')
      .limit(q.limit + 1);
    const both = k.select('*').from(stored.as('stored')).unionAll(k.select('*').from(logged.as('logged')));
    return k.select('*').from(both.as('events')).orderBy('position_us', 'asc').limit(q.limit + 1);
  }

  /** The newest position of the collection's log (0 when empty). */
  async latestPosition(collectionId: string): Promise<number> {
    const newest = async (table: string, column: string) => {
      const rows = await this.db.select(this.db.knex(table).where('collection_id', collectionId).orderBy(column, 'desc').limit(1).select(column));
      return rows.length ? Number(rows[0][column]) : 0;
    };
    return Math.max(await newest(OBJECTS, 'date_added_us'), await newest(CHANGES, 'position_us'));
  }

  /** The newest position of a deletion that retention removed: a reader at or behind it may have missed it. */
  async prunedThrough(collectionId: string): Promise<number> {
    const rows = await this.db.select(this.db.knex(PRUNED).where('collection_id', collectionId).select('pruned_through_us'));
    return rows.length ? Number(rows[0].pruned_through_us) : 0;
  }

  /**
   * Removes deletion events older than `beforeUs`, and the earlier add and revocation events of the versions
   * they deleted (so a reader starting from the beginning sees only what is stored plus recent deletions).
   * Returns how many deletion events were removed.
   */
  async pruneDeletions(beforeUs: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const n = await this.db.knex.transaction(async (trx) => {
        const doomed: Array<{ seq: number; collection_id: string; position_us: number; stix_id: string; version: string; added_us: number | null }> = await trx(CHANGES)
          .where('change', 'deleted')
          .where('position_us', '<', beforeUs)
          .orderBy('position_us', 'asc')
          .limit(PRUNE_BATCH)
          .select('seq', 'collection_id', 'position_us', 'stix_id', 'version', 'added_us');
        if (doomed.length === 0) return 0;
        for (const d of doomed) {
          // The deleted version's add (or revocation) event sits at its date_added, which the deletion
          // event recorded: one probe of changes_position_uq. An add event of an earlier life of the same
          // version (added, deleted, added again) went with the earlier deletion event, pruned before this one.
          if (d.added_us === null) continue;
          await trx(CHANGES)
            .where({ collection_id: d.collection_id, position_us: Number(d.added_us), stix_id: d.stix_id, version: d.version })
            .whereNot('change', 'deleted')
            .delete();
        }
        await trx(CHANGES).whereIn('seq', doomed.map((d) => d.seq)).delete();
        const newest = new Map<string, number>();
        for (const d of doomed) newest.set(d.collection_id, Math.max(newest.get(d.collection_id) ?? 0, Number(d.position_us)));
        for (const [collectionId, pos] of newest) {
          const updated = await trx(PRUNED).where('collection_id', collectionId).update({ pruned_through_us: trx.raw('case when pruned_through_us < ? then ? else pruned_through_us end', [pos, pos]) });
          if (updated === 0) await trx(PRUNED).insert({ collection_id: collectionId, pruned_through_us: pos });
        }
        return doomed.length;
      });
      removed += n;
      if (n < PRUNE_BATCH) return removed;
    }
  }
}
