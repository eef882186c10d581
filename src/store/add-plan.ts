import type { AddOutcome, PreparedObject, Visibility } from '../domain/types';
import { canonicalJson } from '../common/json';
import { microsToTimestamp, stampVersionKey } from '../common/time';
import type { GranularProfile } from '../stix/granular-redaction';
import type { ExistingRow, NewRow } from './object-rows';
import { isWhollyVisibleTo } from './visibility';

/** An object whose first or last version changes: the version keys that keep the flags. */
export interface FlagUpdate {
  stixId: string;
  latest: string;
  first: string;
}

/**
 * What one addWithin transaction does with the posted versions, decided from the rows already stored
 * (`existing`, the current first and last version of each posted id and any version posted again) without
 * touching the database: each posted version is added (with the next date_added of `positions`), unchanged
 * (the same content is stored) or a conflict; then the first/last flags of the new rows, and which objects'
 * older versions lose a flag.
 *
 * Kept apart from the transaction's statements so that each part stays small enough for V8 to optimise
 * early (one large async function was compiled again and again during an ingest's first envelopes).
 */
export class AddPlan {
  readonly outcomes: AddOutcome[] = [];
  readonly inserts: NewRow[] = [];
  /** The largest date_added handed out, or the counter's value when none was. */
  lastUs: number;
  /** The rows added for each object, in posting order (several versions of one object may come together). */
  private readonly insertedById = new Map<string, NewRow[]>();
  private used = 0;

  /**
   * `existing` is taken over: the rows this plan adds join it. `repeated` holds the stored bodies of the
   * re-posted versions the writer may see, by seq.
   */
  constructor(
    private readonly collectionId: string,
    private readonly existing: Map<string, ExistingRow[]>,
    private readonly positions: readonly number[],
    counterUs: number,
    private readonly repeated: ReadonlyMap<number, string>,
    private readonly visibility?: Visibility,
  ) {
    this.lastUs = counterUs;
  }

  /** Decides one posted version, in posting order. */
  take(item: PreparedObject, profile: GranularProfile | undefined): void {
    const versions = this.existing.get(item.stixId) ?? [];
    // An object with neither modified nor created has one version per collection (TAXII 2.1 §3.4.1).
    const same = item.versionKey === undefined ? versions[0] : versions.find((v) => v.version_key === item.versionKey);
    if (same) {
      this.outcomes.push(this.repost(item, same));
      return;
    }
    const dateAddedUs = this.positions[this.used++]!;
    if (dateAddedUs > this.lastUs) this.lastUs = dateAddedUs;
    const stamp = item.versionKey === undefined || item.version === undefined ? microsToTimestamp(dateAddedUs) : '';
    const key = item.versionKey ?? stampVersionKey(stamp);
    const version = item.version ?? stamp;
    const row: NewRow = {
      collection_id: this.collectionId,
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
    this.inserts.push(row);
    const added = this.insertedById.get(item.stixId);
    if (added) added.push(row);
    else this.insertedById.set(item.stixId, [row]);
    versions.push(existingRow(-1, item.stixId, key, version, row.tlp, row.granular_tlp, row.redact_floor, 0, 0, item.body));
    this.existing.set(item.stixId, versions);
    this.outcomes.push({ kind: 'added', version, dateAddedUs });
  }

  /**
   * Sets the first/last flags of the new rows and lists the objects whose stored versions lose one: the rows
   * read hold each object's current first and last versions, so the new extremes follow without reading
   * its other versions.
   */
  flagUpdates(): FlagUpdate[] {
    const updates: FlagUpdate[] = [];
    for (const [stixId, rows] of this.insertedById) {
      const versions = this.existing.get(stixId)!;
      const keys = versions.map((v) => v.version_key).sort();
      const first = keys[0]!, latest = keys[keys.length - 1]!;
      for (const row of rows) {
        row.is_latest = row.version_key === latest ? 1 : 0;
        row.is_first = row.version_key === first ? 1 : 0;
      }
      if (versions.some((v) => v.seq !== -1 && ((v.is_latest === 1) !== (v.version_key === latest) || (v.is_first === 1) !== (v.version_key === first)))) {
        updates.push({ stixId, latest, first });
      }
    }
    return updates;
  }

  /** A posted version whose id and version are stored already (or came earlier in the same request). */
  private repost(item: PreparedObject, same: ExistingRow): AddOutcome {
    const version = item.version ?? same.version;
    // Redacted counts as hidden here: "already present" would confirm a guess of the removed text.
    const hidden = same.seq !== -1 && !isWhollyVisibleTo(same, this.visibility);
    const storedBody = hidden ? undefined : same.seq === -1 ? same.body! : this.repeated.get(same.seq);
    if (storedBody !== undefined && (storedBody === item.body || canonicalJson(JSON.parse(storedBody)) === canonicalJson(item.value))) {
      return { kind: 'unchanged', version };
    }
    return {
      kind: 'conflict',
      version,
      message:
        item.versionKey === undefined
          ? `${item.stixId} is already stored with different content, and an object without modified or created has only one version; give it a new id or add modified.`
          : `a different object with id ${item.stixId} and version ${item.version} is already stored; a new version needs a later modified timestamp.`,
    };
  }
}

/**
 * An ExistingRow, always built here with its properties in one order (a row read from the database, a copy,
 * or a version added earlier in the same request), so that the code reading them sees one object shape.
 */
export function existingRow(
  seq: number,
  stixId: string,
  key: string,
  version: string,
  tlp: number | null,
  granularTlp: number | null,
  redactFloor: number | null,
  isLatest: number,
  isFirst: number,
  body?: string,
): ExistingRow {
  return { seq, stix_id: stixId, version_key: key, body, version, tlp, granular_tlp: granularTlp, redact_floor: redactFloor, is_latest: isLatest, is_first: isFirst };
}
