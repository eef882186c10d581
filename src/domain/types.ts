/** Plain types shared by the TAXII services and the store. */

/** An object of a POST request, checked and ready to store. */
export interface PreparedObject {
  stixId: string;
  type: string;
  specVersion: string;
  /** Normalised version key (modified, else created); undefined for objects that carry neither. */
  versionKey?: string;
  /** The version as the object states it (modified, else created). */
  version?: string;
  revoked: boolean;
  /** TLP rank of the object's markings, undefined when unmarked. */
  tlp?: number;
  /** The object's JSON text exactly as posted. */
  body: string;
  /** The parsed object, for equality checks against an already stored version. */
  value: Record<string, unknown>;
}

export type AddOutcome =
  | { kind: 'added'; version: string; dateAddedUs: number }
  | { kind: 'unchanged'; version: string }
  | { kind: 'conflict'; version: string; message: string };

export interface VersionSelector {
  all: boolean;
  last: boolean;
  first: boolean;
  /** Normalised version keys. */
  keys: string[];
}

export interface ObjectFilter {
  addedAfterUs?: number;
  ids?: string[];
  types?: string[];
  specVersions?: string[];
  versions: VersionSelector;
}

/** Which rows a principal may see: objects above `maxTlp` are left out inside the query. */
export interface Visibility {
  maxTlp: number;
  /** TLP rank applied to unmarked objects of the collection. */
  defaultTlp: number;
  /**
   * Leave out relationships and sightings that name an object stored in the collection of which no
   * version is visible (the collection's `omit_relationships_to_hidden`).
   */
  hideEndpointsOfHidden?: boolean;
  /**
   * What to do with a version carrying a granular TLP marking above maxTlp (the collection's
   * `granular_markings`): serve it without the marked properties (default), or leave it out.
   */
  granular?: 'redact' | 'withhold';
}

export interface PageQuery {
  collectionId: string;
  /** Restrict to one object (object and versions endpoints). */
  stixId?: string;
  filter: ObjectFilter;
  /** Keyset position: rows strictly after this date_added. */
  afterUs?: number;
  limit: number;
  visibility?: Visibility;
  /** Leave out versions that are revoked (exports). */
  excludeRevoked?: boolean;
}

export interface StoredRecord {
  seq: number;
  stixId: string;
  type: string;
  specVersion: string;
  version: string;
  dateAddedUs: number;
}

export interface StoredObject extends StoredRecord {
  body: string;
}

export interface StoredVersion {
  version: string;
  versionKey: string;
  revoked: boolean;
}

export interface StatusDetail {
  id: string;
  version: string;
  message?: string;
}

export interface StatusResource {
  id: string;
  status: 'complete' | 'pending';
  request_timestamp: string;
  total_count: number;
  success_count: number;
  successes: StatusDetail[];
  failure_count: number;
  failures: StatusDetail[];
  pending_count: number;
  pendings: StatusDetail[];
}
