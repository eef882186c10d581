import { InvalidInputError } from '../domain/errors';
import type { ObjectFilter, VersionSelector } from '../domain/types';
import { microsToTimestamp, parseTimestamp, versionKey, type ParsedTimestamp } from '../common/time';

/** The endpoints that take filters, and which parameters each accepts (TAXII 2.1 §3.4, per-endpoint tables). */
export type FilteredEndpoint = 'objects' | 'manifest' | 'object' | 'versions' | 'delete' | 'changes';

const ALLOWED: Record<FilteredEndpoint, ReadonlySet<string>> = {
  objects: new Set(['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]']),
  manifest: new Set(['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]']),
  object: new Set(['added_after', 'limit', 'next', 'match[version]', 'match[spec_version]']),
  versions: new Set(['added_after', 'limit', 'next', 'match[spec_version]']),
  delete: new Set(['match[version]', 'match[spec_version]']),
  // The change feed (an extension, src/changes): the log of adds, revocations and deletions.
  changes: new Set(['added_after', 'limit', 'next', 'match[type]']),
};

const ENDPOINT_NAMES: Record<FilteredEndpoint, string> = {
  objects: 'Get Objects',
  manifest: 'Get Object Manifests',
  object: 'Get an Object',
  versions: 'Get Object Versions',
  delete: 'Delete an Object',
  changes: 'the change feed',
};

export interface ParsedQuery {
  filter: ObjectFilter;
  /** Requested page size, before clamping; undefined when absent. */
  limit?: number;
  next?: string;
  /** Whether the request itself named any filter (as opposed to relying on `next`). */
  hasFilterParams: boolean;
}

const STIX_TYPE = /^[a-z0-9](?:[a-z0-9-]{1,248})[a-z0-9]$/;
const STIX_ID = /^[a-z0-9](?:[a-z0-9-]{1,248})[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SPEC_VERSION = /^\d\.\d{1,2}$/;

export const DEFAULT_VERSIONS: VersionSelector = Object.freeze({ all: false, last: true, first: false, keys: [] as string[] }) as VersionSelector;

/**
 * Parses and checks the filter parameters of one endpoint. Unknown `match[...]` fields and filters an
 * endpoint does not take are refused (400) rather than ignored, since ignoring a filter would silently
 * return unfiltered data; other unknown parameters are ignored.
 */
export function parseQuery(endpoint: FilteredEndpoint, query: Record<string, unknown>): ParsedQuery {
  const allowed = ALLOWED[endpoint];
  for (const key of Object.keys(query)) {
    const known = ['added_after', 'limit', 'next'].includes(key) || key.startsWith('match[');
    if (!known) {
      // A spelling of a TAXII parameter that is not the parameter (`added_after[]`, `Limit`, `match`) is
      // refused too: ignored, it would answer as if the filter had not been asked for.
      const base = key.toLowerCase().replace(/\[.*$/s, '');
      if (base === 'added_after' || base === 'limit' || base === 'next' || base === 'match') {
        throw new InvalidInputError(
          base === 'match'
            ? `${key} is not a TAXII 2.1 filter; use match[id], match[type], match[version] or match[spec_version] (lowercase, one pair of brackets).`
            : `${key} is not a parameter of ${ENDPOINT_NAMES[endpoint]}; send ${base}=… (lowercase, without brackets).`,
        );
      }
      continue;
    }
    if (!allowed.has(key)) {
      throw new InvalidInputError(
        key.startsWith('match[') && !/^match\[(id|type|version|spec_version)\]$/.test(key)
          ? `${key} is not a TAXII 2.1 filter; use match[id], match[type], match[version] or match[spec_version].`
          : `${key} is not supported by ${ENDPOINT_NAMES[endpoint]}; it takes ${[...allowed].join(', ') || 'no parameters'}.`,
      );
    }
  }
  const filter: ObjectFilter = { versions: DEFAULT_VERSIONS };
  let hasFilterParams = false;

  const addedAfter = single(query, 'added_after');
  if (addedAfter !== undefined) {
    const parsed = inRfc3339Range(addedAfter) ? parseTimestamp(addedAfter) : undefined;
    if (parsed === undefined) {
      throw new InvalidInputError(`added_after "${addedAfter}" is not an RFC 3339 timestamp between years 0000 and 9999 (UTC); send e.g. added_after=2024-01-01T00:00:00.000Z.`);
    }
    filter.addedAfterUs = addedAfterMicros(parsed);
    hasFilterParams = true;
  }

  let limit: number | undefined;
  const rawLimit = single(query, 'limit');
  if (rawLimit !== undefined) {
    // Any number of digits: a positive integer above the maximum is reduced to it later, never refused.
    const digits = /^\d+$/.test(rawLimit) ? rawLimit.replace(/^0+/, '') : undefined;
    if (!digits) {
      throw new InvalidInputError(`limit "${rawLimit.slice(0, 40)}" is not a positive integer; send limit=1 or more (larger values are reduced to the server maximum).`);
    }
    limit = digits.length > 15 ? Number.MAX_SAFE_INTEGER : Number(digits);
  }

  const ids = list(query, 'match[id]');
  if (ids) {
    for (const id of ids) if (!STIX_ID.test(id)) throw new InvalidInputError(`match[id] "${id}" is not a STIX identifier of the form type--UUID.`);
    filter.ids = [...new Set(ids)].sort();
    hasFilterParams = true;
  }
  const types = list(query, 'match[type]');
  if (types) {
    for (const t of types) if (!STIX_TYPE.test(t)) throw new InvalidInputError(`match[type] "${t}" is not a STIX type name (3-250 characters: a-z, 0-9 and hyphens).`);
    filter.types = [...new Set(types)].sort();
    hasFilterParams = true;
  }
  const versions = list(query, 'match[version]');
  if (versions) {
    const sel: VersionSelector = { all: false, last: false, first: false, keys: [] };
    for (const v of versions) {
      if (v === 'all') sel.all = true;
      else if (v === 'last') sel.last = true;
      else if (v === 'first') sel.first = true;
      else {
        const key = inRfc3339Range(v) ? versionKey(v) : undefined;
        if (!key) throw new InvalidInputError(`match[version] "${v}" is not first, last, all or an RFC 3339 timestamp between years 0000 and 9999 (UTC).`);
        sel.keys.push(key);
      }
    }
    sel.keys = [...new Set(sel.keys)].sort();
    filter.versions = sel;
    hasFilterParams = true;
  }
  const specVersions = list(query, 'match[spec_version]');
  if (specVersions) {
    for (const s of specVersions) if (!SPEC_VERSION.test(s)) throw new InvalidInputError(`match[spec_version] "${s}" is not a STIX version such as 2.1.`);
    filter.specVersions = [...new Set(specVersions)].sort();
    hasFilterParams = true;
  }
  const next = single(query, 'next');
  return { filter, limit, next: next === '' ? undefined : next, hasFilterParams };
}

/** First and last whole second of RFC 3339's range of years, 0000-9999, in UTC. */
const MIN_SECONDS = Date.parse('0000-01-01T00:00:00Z') / 1000;
const MAX_SECONDS = Date.parse('9999-12-31T23:59:59Z') / 1000;

/**
 * added_after in microseconds since the epoch, never later than the time asked for. date_added is exact
 * up to 2^53 - 1 µs (in the year 2255); beyond it a double cannot hold every microsecond, and rounding to
 * the nearest one could move 9999-12-31T23:59:59.999999Z into year 10000 (and echo that back in
 * X-TAXII-Date-Added-Last). Rounding down changes nothing: no object is added that far ahead.
 */
function addedAfterMicros(p: ParsedTimestamp): number {
  const exact = BigInt(p.seconds) * 1_000_000n + BigInt(Math.floor(p.nanos / 1000));
  let us = Number(exact);
  if (us <= Number.MAX_SAFE_INTEGER) return us;
  while (BigInt(us) > exact || !/^\d{4}-/.test(microsToTimestamp(us))) us = nextDown(us);
  return us;
}

/** The next smaller double, for a positive one. */
function nextDown(x: number): number {
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0]! -= 1n;
  return f[0]!;
}

/** Whether a timestamp, once in UTC, falls within years 0000-9999 (an offset or a leap second can push it out). */
function inRfc3339Range(text: string): boolean {
  const p = parseTimestamp(text);
  return p !== undefined && p.seconds >= MIN_SECONDS && p.seconds <= MAX_SECONDS;
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new InvalidInputError(`${name} may be given only once.`);
  return v;
}

/** A comma-separated list; repeated parameters are joined, as they mean the same OR. */
function list(query: Record<string, unknown>, name: string): string[] | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  const parts = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim());
  if (parts.some((p) => p === '')) throw new InvalidInputError(`${name} has an empty value; give a comma-separated list without empty entries.`);
  return parts;
}

/** A stable text form of a filter, used to tie a `next` cursor to the query it was issued for. */
export function filterFingerprint(f: ObjectFilter): string {
  return JSON.stringify([f.addedAfterUs ?? null, f.ids ?? null, f.types ?? null, f.specVersions ?? null, [f.versions.all, f.versions.last, f.versions.first, f.versions.keys]]);
}

export function filterFromFingerprint(text: string): ObjectFilter {
  const [aa, ids, types, sv, [all, last, first, keys]] = JSON.parse(text);
  const f: ObjectFilter = { versions: { all, last, first, keys } };
  if (aa !== null) f.addedAfterUs = aa;
  if (ids !== null) f.ids = ids;
  if (types !== null) f.types = types;
  if (sv !== null) f.specVersions = sv;
  return f;
}
