/** The object store's row shapes, write hooks and errors, and how a stored row becomes what a reader is served. */
import type { Knex } from 'knex';
import type { AddOutcome, StoredObject, StoredRecord, Visibility } from '../domain/types';
import { servedBody, type GranularReader } from '../stix/granular-redaction';
import type { InsertShape } from './insert-rows';

export class StoreWriteError extends Error {
  constructor(
    readonly stixId: string | undefined,
    override readonly cause: unknown,
  ) {
    super(`the store failed${stixId ? ` on ${stixId}` : ''}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'StoreWriteError';
  }
}

/** Who wrote a request, and the status resource that reports it. */
export interface WriteContext {
  principalId: string;
  principalName: string;
  statusId?: string;
  /** The writer's TLP clearance: a re-post of a version it may not see is answered as a conflict (see addWithin). */
  visibility?: Visibility;
  /** What the writer read of the posted ids before the transaction (ObjectStore.storedVersions), for addWithin to reuse. */
  known?: KnownVersions;
}

/**
 * Every stored version of some ids, read after reading the collection's write position (ObjectStore.storedVersions).
 * addWithin takes its rows instead of reading them again when the position has not moved by the time it
 * holds the collection's counter row: every write that changes a collection's objects moves it (added
 * versions, and the change events of deletions), so an unmoved position means the rows are still those.
 * When it has moved, only the ids that gained a version since are read again (ObjectWrites.rowsSince).
 */
export interface KnownVersions {
  position: number;
  /** The ids looked up; an id not among them is never taken as absent. */
  ids: ReadonlySet<string>;
  rows: ReadonlyMap<string, readonly ExistingRow[]>;
}

/** One version a transaction added. */
export interface AddedVersion {
  stixId: string;
  type: string;
  version: string;
  versionKey: string;
  dateAddedUs: number;
}

/**
 * Work of the caller inside the transaction of one addObjects call: `before` runs first (a guard that
 * throws HookAbort to roll back), `after` once the versions are stored (recording their outcome), so that
 * the objects and that record commit together or not at all (the asynchronous ingest queue, src/ingest).
 */
/** The transaction a WriteHooks runs in, for the store methods that record inside it. */
export type StoreTransaction = Knex.Transaction;

export interface WriteHooks {
  before?(trx: Knex.Transaction): Promise<void>;
  after?(trx: Knex.Transaction, outcomes: readonly AddOutcome[]): Promise<void>;
}

/** Thrown by a WriteHooks guard: nothing was stored, and the objects are not at fault. */
export class HookAbort extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HookAbort';
  }
}

export type WriteObserver = (trx: Knex.Transaction, collectionId: string, added: readonly AddedVersion[], context?: WriteContext) => Promise<void>;

/** A row of the objects table as addObjects inserts it. */
export type NewRow = {
  collection_id: string;
  stix_id: string;
  type: string;
  spec_version: string;
  version_key: string;
  version: string;
  date_added_us: number;
  is_latest: number;
  is_first: number;
  revoked: number;
  tlp: number | null;
  granular_tlp: number | null;
  redact_floor: number | null;
  body: string;
};

/** How addObjects inserts its rows (src/store/insert-rows.ts). */
export const OBJECT_ROWS: InsertShape<NewRow> = {
  table: 'objects',
  columns: [
    ['collection_id', 'text'],
    ['stix_id', 'text'],
    ['type', 'text'],
    ['spec_version', 'text'],
    ['version_key', 'text'],
    ['version', 'text'],
    ['date_added_us', 'bigint'],
    ['is_latest', 'smallint'],
    ['is_first', 'smallint'],
    ['revoked', 'smallint'],
    ['tlp', 'smallint'],
    ['granular_tlp', 'smallint'],
    ['redact_floor', 'smallint'],
    ['body', 'text'],
  ],
};

/** An object a relationship or sighting names (omit_relationships_to_hidden); a repeated one is stored once. */
export type EndpointRow = { collection_id: string; stix_id: string; ref_id: string };

export const ENDPOINT_ROWS: InsertShape<EndpointRow> = {
  table: 'object_endpoints',
  columns: [
    ['collection_id', 'text'],
    ['stix_id', 'text'],
    ['ref_id', 'text'],
  ],
  skipConflictsOn: ['collection_id', 'stix_id', 'ref_id'],
};

export interface ExistingRow {
  seq: number;
  stix_id: string;
  version_key: string;
  /** Only for versions added earlier in the same request (seq -1). */
  body?: string;
  version: string;
  tlp: number | null;
  granular_tlp: number | null;
  redact_floor: number | null;
  is_latest: number;
  is_first: number;
}

export function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

export function toStoredRecord(r: any): StoredRecord {
  return {
    seq: Number(r.seq),
    stixId: r.stix_id,
    type: r.type,
    specVersion: r.spec_version,
    version: r.version,
    dateAddedUs: Number(r.date_added_us),
  };
}

export const OBJECT_COLUMNS = ['seq', 'stix_id', 'type', 'spec_version', 'version', 'date_added_us', 'granular_tlp', 'body'];

/** A row as the reader is served it: its body redacted of properties marked above the reader's clearance. */
export function toStoredObject(r: any, reader: GranularReader | undefined): StoredObject {
  // Written out rather than spread from toStoredRecord: this runs for every row of every page.
  return {
    seq: Number(r.seq),
    stixId: r.stix_id,
    type: r.type,
    specVersion: r.spec_version,
    version: r.version,
    dateAddedUs: Number(r.date_added_us),
    body: r.granular_tlp === null || r.granular_tlp === undefined ? r.body : servedBody(r.body, Number(r.granular_tlp), reader),
  };
}
