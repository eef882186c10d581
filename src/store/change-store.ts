import { yieldToEventLoop } from '../common/event-loop';
import type { Knex } from 'knex';
import type { Visibility } from '../domain/types';
import { nowMicros } from '../common/time';
import { servedBody } from '../stix/granular-redaction';
import type { Db } from './db';
import { allocatePositions } from './positions';
import { applyEndpointVisibility, applyVisibility, granularReader } from './visibility';
import { insertRows, type InsertShape } from './insert-rows';

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

/** A version written by an add, as the object store inserts it. */
export interface AddedVersionRow {
  stix_id: string;
  type: string;
  version: string;
  date_added_us: number;
  revoked: number;
  tlp: number | null;
  granular_tlp: number | null;
  redact_floor: number | null;
}

/** A row of the change log as an add writes it. */
type AddEventRow = Omit<AddedVersionRow, 'date_added_us' | 'revoked'> & { collection_id: string; position_us: number; change: ChangeKind };

const ADD_EVENT_ROWS: InsertShape<AddEventRow> = {
  table: CHANGES,
  columns: [
    ['collection_id', 'text'],
    ['position_us', 'bigint'],
    ['stix_id', 'text'],
    ['type', 'text'],
    ['version', 'text'],
    ['change', 'text'],
    ['tlp', 'smallint'],
    ['granular_tlp', 'smallint'],
    ['redact_floor', 'smallint'],
  ],
};

/** A version removed by a DELETE. */
export interface DeletedVersionRow {
  type: string;
  version: string;
  /** Its date_added: where its add (or revocation) event sits in the log. */
  date_added_us: number;
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
 * The change log. The only place that knows the `changes` table. Events are written by the object store
 * inside the transaction that changes the objects, while it holds the collection's counter row:
 * an add's event takes its version's date_added as position, a deletion takes the next counter values.
 * So the log commits in position order, and a reader that has passed a position never misses a later event.
 */
export class ChangeStore {
  constructor(private readonly db: Db) {}

  /** Records the versions an add inserted (in its transaction): 'revoked' for a revoked version, else 'added'. */
  static async recordAdds(trx: Knex.Transaction, collectionId: string, rows: readonly AddedVersionRow[]): Promise<void> {
    const events = rows.map((r): AddEventRow => ({
      collection_id: collectionId,
      position_us: r.date_added_us,
      stix_id: r.stix_id,
      type: r.type,
      version: r.version,
      change: r.revoked ? 'revoked' : 'added',
      tlp: r.tlp,
      granular_tlp: r.granular_tlp,
      redact_floor: r.redact_floor,
    }));
    for (let i = 0; i < events.length; i += INSERT_BATCH) {
      // SQLite runs each statement synchronously: a large envelope's events let other clients in between batches.
      if (i > 0) await yieldToEventLoop();
      await insertRows(trx, ADD_EVENT_ROWS, events.slice(i, i + INSERT_BATCH));
    }
  }

  /**
   * Records the versions a DELETE removed (in its transaction, which has already locked the collection's
   * counter row): each takes a position allocated as addObjects allocates date_added (src/store/positions.ts).
   */
  static async recordDeletes(trx: Knex.Transaction, collectionId: string, stixId: string, rows: readonly DeletedVersionRow[]): Promise<void> {
    if (rows.length === 0) return;
    const counter = await trx(COLLECTIONS).where({ id: collectionId }).first('last_date_added_us');
    const positions = allocatePositions(Number(counter.last_date_added_us), nowMicros(), rows.length);
    const events = rows.map((r, i) => ({
        collection_id: collectionId,
        position_us: positions[i]!,
        stix_id: stixId,
        type: r.type,
        version: r.version,
        change: 'deleted',
        added_us: Number(r.date_added_us),
        tlp: r.tlp,
        granular_tlp: r.granular_tlp,
        redact_floor: r.redact_floor,
      }));
    for (let i = 0; i < events.length; i += INSERT_BATCH) await trx(CHANGES).insert(events.slice(i, i + INSERT_BATCH));
    await trx(COLLECTIONS).where({ id: collectionId }).update({ last_date_added_us: positions[positions.length - 1]! });
  }

  /** Events after a position, in position order, that the visibility allows; limit+1 rows. */
  async page(q: ChangePageQuery): Promise<ChangeRecord[]> {
    const columns = [`${CHANGES}.position_us`, `${CHANGES}.stix_id`, `${CHANGES}.type`, `${CHANGES}.version`, `${CHANGES}.change`];
    const query = this.db.knex(CHANGES).where(`${CHANGES}.collection_id`, q.collectionId);
    if (q.afterUs !== undefined && q.afterUs >= 0) query.where(`${CHANGES}.position_us`, '>', q.afterUs);
    if (q.types?.length) query.whereIn(`${CHANGES}.type`, q.types);
    applyVisibility(query, q.visibility, `${CHANGES}.`);
    // The collection's omit_relationships_to_hidden, as for the objects: judged on what is stored now.
    applyEndpointVisibility(query, q.visibility, CHANGES);
    if (q.withBodies) {
      // An add's position is its version's date_added, unique in the collection (objects_date_added_uq).
      query.leftJoin(OBJECTS, (j) =>
        j.on(`${OBJECTS}.collection_id`, '=', `${CHANGES}.collection_id`).andOn(`${OBJECTS}.date_added_us`, '=', `${CHANGES}.position_us`),
      );
      columns.push(`${OBJECTS}.body`, `${OBJECTS}.granular_tlp`);
    }
    const rows = await this.db.select(query.select(columns).orderBy(`${CHANGES}.position_us`, 'asc').limit(q.limit + 1));
    const reader = granularReader(q.visibility);
    return rows.map((r: any) => ({
      positionUs: Number(r.position_us),
      stixId: r.stix_id,
      type: r.type,
      version: r.version,
      change: r.change as ChangeKind,
      ...(q.withBodies && r.body != null && r.change !== 'deleted' ? { body: servedBody(r.body as string, r.granular_tlp === null ? null : Number(r.granular_tlp), reader) } : {}),
    }));
  }

  /** The newest position of the collection's log (0 when empty). */
  async latestPosition(collectionId: string): Promise<number> {
    const rows = await this.db.select(this.db.knex(CHANGES).where('collection_id', collectionId).orderBy('position_us', 'desc').limit(1).select('position_us'));
    return rows.length ? Number(rows[0].position_us) : 0;
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
