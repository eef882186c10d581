import { InvalidInputError } from '../domain/errors';
import { timestampToMicros } from '../common/time';

/** The filters every export takes (query parameters), parsed and checked. */
export interface ExportFilter {
  /** match[type]: only source objects of these STIX types. */
  types?: string[];
  /** min_confidence: only objects whose confidence is at least this (0-100). */
  minConfidence?: number;
  /** valid_from_start (inclusive) and valid_from_end (exclusive), as microseconds. */
  validFromStartUs?: number;
  validFromEndUs?: number;
}

export interface ListOptions extends ExportFilter {
  /** header=true: one `#` comment line with the generation time and the list's name before the values. */
  header: boolean;
}

const STIX_TYPE = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;
const COMMON = ['match[type]', 'min_confidence', 'valid_from_start', 'valid_from_end'];

function single(query: Record<string, unknown>, key: string): string | undefined {
  const v = query[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new InvalidInputError(`${key} was given more than once; give it once.`);
  return v;
}

function timestamp(query: Record<string, unknown>, key: string): number | undefined {
  const v = single(query, key);
  if (v === undefined) return undefined;
  const us = timestampToMicros(v);
  if (us === undefined) throw new InvalidInputError(`${key} "${v.slice(0, 60)}" is not an RFC 3339 timestamp; send e.g. 2024-01-01T00:00:00Z.`);
  return us;
}

function checkKeys(query: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(query)) {
    if (!allowed.includes(key)) throw new InvalidInputError(`${key.slice(0, 60)} is not a filter of this export; use ${allowed.join(', ')}.`);
  }
}

/** Parses the filters common to all exports; an unknown parameter is a 400 (an ignored filter would widen the list). */
export function parseExportFilter(query: Record<string, unknown>, extra: readonly string[] = []): ExportFilter {
  checkKeys(query, [...COMMON, ...extra]);
  const out: ExportFilter = {};
  const types = single(query, 'match[type]');
  if (types !== undefined) {
    // Each type once: the bundle reads type by type, so a repeated type would repeat its objects.
    out.types = [...new Set(types.split(',').map((t) => t.trim()).filter(Boolean))];
    for (const t of out.types) if (!STIX_TYPE.test(t)) throw new InvalidInputError(`match[type] "${t.slice(0, 60)}" is not a STIX type name (3-250 characters: a-z, 0-9 and hyphens).`);
    if (!out.types.length) throw new InvalidInputError('match[type] is empty; name one or more STIX types, comma-separated.');
  }
  const conf = single(query, 'min_confidence');
  if (conf !== undefined) {
    if (!/^\d{1,3}$/.test(conf) || Number(conf) > 100) throw new InvalidInputError(`min_confidence "${conf.slice(0, 20)}" is not an integer from 0 to 100.`);
    out.minConfidence = Number(conf);
  }
  out.validFromStartUs = timestamp(query, 'valid_from_start');
  out.validFromEndUs = timestamp(query, 'valid_from_end');
  if (out.validFromStartUs !== undefined && out.validFromEndUs !== undefined && out.validFromEndUs <= out.validFromStartUs) {
    throw new InvalidInputError('valid_from_end must be later than valid_from_start.');
  }
  return out;
}

export function parseListOptions(query: Record<string, unknown>): ListOptions {
  const filter = parseExportFilter(query, ['header']);
  const header = single(query, 'header');
  if (header !== undefined && header !== 'true' && header !== 'false') throw new InvalidInputError(`header must be true or false (got "${header.slice(0, 20)}").`);
  return { ...filter, header: header === 'true' };
}

/**
 * Whether an object passes the filters at `nowUs`. Revoked objects and those whose valid_until has
 * passed are always left out. With `requireProperties`, an object without confidence (or valid_from)
 * fails a min_confidence (or valid_from window) filter: the lists and the CSV then hold only what was
 * rated. Without it (the bundle), objects that lack the property pass.
 */
export function passes(obj: Record<string, unknown>, f: ExportFilter, nowUs: number, requireProperties: boolean): boolean {
  if (obj.revoked === true) return false;
  if (f.types && !f.types.includes(String(obj.type))) return false;
  const until = typeof obj.valid_until === 'string' ? timestampToMicros(obj.valid_until) : undefined;
  if (until !== undefined && until <= nowUs) return false;
  if (f.minConfidence !== undefined) {
    if (typeof obj.confidence === 'number') {
      if (obj.confidence < f.minConfidence) return false;
    } else if (requireProperties) return false;
  }
  if (f.validFromStartUs !== undefined || f.validFromEndUs !== undefined) {
    const from = typeof obj.valid_from === 'string' ? timestampToMicros(obj.valid_from) : undefined;
    if (from === undefined) return !requireProperties;
    if (f.validFromStartUs !== undefined && from < f.validFromStartUs) return false;
    if (f.validFromEndUs !== undefined && from >= f.validFromEndUs) return false;
  }
  return true;
}
