/**
 * What the exports should hold for the seed feed, computed here from the seed bundles with a deliberately
 * simple reading of patterns (regular expressions over the pattern text, no parser), so that the tests
 * do not share code with src/exports.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';

export type Obj = Record<string, any> & { type: string; id: string };

const ROOT = path.resolve(__dirname, '..', '..');

/** The default configuration document (the seed's collections), as the default start uses it. */
export function defaultConfigDoc(): Record<string, unknown> {
  return YAML.parse(fs.readFileSync(path.join(ROOT, 'config', 'default.yaml'), 'utf8'));
}

const TLP_CLEAR_MARKINGS = new Set(['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487']);
const TLP_OTHER_MARKINGS = new Set([
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
]);

/**
 * The seed objects of a collection that an anonymous reader sees (the seed collections default to
 * TLP:CLEAR, so: no TLP marking above CLEAR), in import order (files sorted by name, objects in file order).
 */
export function seedObjects(alias: string): Obj[] {
  const dir = path.join(ROOT, 'seed', alias);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).objects as Obj[])
    .filter((o) => TLP_CLEAR_MARKINGS.has(o.id) || !((o.object_marking_refs ?? []) as string[]).some((m) => TLP_OTHER_MARKINGS.has(m)));
}

/** The newest version of each object, ordered by when that version was first imported. */
export function newestVersions(objects: readonly Obj[]): Obj[] {
  const key = (o: Obj) => String(o.modified ?? o.created ?? '');
  const newest = new Map<string, Obj>();
  const order: Obj[] = [];
  for (const o of objects) {
    const cur = newest.get(o.id);
    if (!cur || key(o) > key(cur)) {
      newest.set(o.id, o);
      order.push(o);
    }
  }
  return order.filter((o) => newest.get(o.id) === o);
}

export interface Value {
  kind: 'ipv4' | 'ipv6' | 'domain' | 'url' | 'md5' | 'sha1' | 'sha256' | 'sha512' | 'wallet';
  value: string;
}

const HASH: Record<string, Value['kind']> = { 'MD5': 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-512': 'sha512' };
const TERM = /^\s*(ipv4-addr|ipv6-addr|domain-name|url|cryptocurrency-wallet|file):(value|hashes\.'?([A-Za-z0-9-]+)'?|[a-z_.]+)\s*(=|!=|<=?|>=?|LIKE|MATCHES|IN|ISSUBSET|ISSUPERSET)\s*'((?:[^'\\]|\\.)*)'\s*$/;

function kindOf(objectType: string, prop: string, hashName: string | undefined): Value['kind'] | undefined {
  if (objectType === 'file') return prop.startsWith('hashes') && hashName ? HASH[hashName.toUpperCase()] : undefined;
  if (prop !== 'value') return undefined;
  return ({ 'ipv4-addr': 'ipv4', 'ipv6-addr': 'ipv6', 'domain-name': 'domain', url: 'url', 'cryptocurrency-wallet': 'wallet' } as const)[objectType as 'url'];
}

/** Splits text on a separator that is outside single-quoted strings. */
function splitOutsideQuotes(text: string, sep: RegExp): string[] {
  const parts: string[] = [];
  let quoted = false, start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && quoted) i++;
    else if (text[i] === "'") quoted = !quoted;
    else if (!quoted) {
      const m = sep.exec(text.slice(i));
      if (m && m.index === 0) {
        parts.push(text.slice(start, i));
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Values of a pattern made of equalities joined by OR (inside or between brackets); anything else: none. */
export function patternValues(pattern: string): Value[] {
  const unquoted = pattern.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  if (/\b(AND|FOLLOWEDBY|WITHIN|REPEATS|START|STOP|NOT)\b/.test(unquoted)) return [];
  const out: Value[] = [];
  for (const raw of splitOutsideQuotes(pattern, /^ OR /)) {
    const term = raw.trim().replace(/^\[/, '').replace(/\]$/, '');
    const m = TERM.exec(term);
    if (!m) return [];
    if (m[4] !== '=') return [];
    const kind = kindOf(m[1]!, m[2]!.startsWith('hashes') ? 'hashes' : m[2]!, m[3]);
    if (!kind) continue;
    out.push(normalise(kind, m[5]!.replace(/\\(.)/g, '$1')));
  }
  return out;
}

function normalise(kind: Value['kind'], value: string): Value {
  return { kind, value: ['domain', 'ipv6', 'md5', 'sha1', 'sha256', 'sha512'].includes(kind) ? value.toLowerCase() : value };
}

/** Values an observable carries. */
export function observableValues(o: Obj): Value[] {
  if (o.type === 'file') return Object.entries((o.hashes ?? {}) as Record<string, string>).flatMap(([n, h]) => (HASH[n.toUpperCase()] ? [normalise(HASH[n.toUpperCase()]!, h)] : []));
  const kind = kindOf(o.type, 'value', undefined);
  return kind && typeof o.value === 'string' ? [normalise(kind, o.value)] : [];
}

export const LIST_KINDS: Record<string, Value['kind'][]> = {
  ip: ['ipv4', 'ipv6'], ipv4: ['ipv4'], ipv6: ['ipv6'], domain: ['domain'], url: ['url'],
  md5: ['md5'], sha1: ['sha1'], sha256: ['sha256'], sha512: ['sha512'], wallet: ['wallet'],
};

/** Not revoked, and not an indicator whose valid_until has passed. */
export const live = (o: Obj, now = Date.now()) => o.revoked !== true && !(typeof o.valid_until === 'string' && Date.parse(o.valid_until) <= now);

/** The source types of list values, in the order the lists take them. */
export const SOURCE_ORDER = ['indicator', 'ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'file', 'cryptocurrency-wallet'];

/** The expected lines of a list: each value once; indicators first, then observables type by type, each in import order. */
export function expectedList(objects: readonly Obj[], list: string, opts: { indicatorsOnly?: boolean } = {}): string[] {
  const kinds = LIST_KINDS[list]!;
  const now = Date.now();
  const out: string[] = [];
  const ordered = SOURCE_ORDER.flatMap((t) => newestVersions(objects).filter((o) => o.type === t));
  for (const o of ordered) {
    if (!live(o, now)) continue;
    const values = o.type === 'indicator' ? (o.pattern_type === 'stix' ? patternValues(o.pattern) : []) : opts.indicatorsOnly ? [] : observableValues(o);
    for (const v of values) if (kinds.includes(v.kind) && !out.includes(v.value)) out.push(v.value);
  }
  return out;
}

/** The expected CSV records (without the header) of a collection. */
export function expectedCsv(objects: readonly Obj[]): string[][] {
  const newest = newestVersions(objects).filter((o) => o.revoked !== true);
  const byId = new Map(newest.map((o) => [o.id, o]));
  const now = Date.now();
  const rows: string[][] = [];
  for (const ind of newest) {
    if (ind.type !== 'indicator' || !live(ind, now) || ind.pattern_type !== 'stix') continue;
    const targets = [...new Set(newest.filter((r) => r.type === 'relationship' && r.relationship_type === 'indicates' && r.source_ref === ind.id).map((r) => r.target_ref as string))]
      .map((id) => byId.get(id))
      .filter((t): t is Obj => t !== undefined);
    const names = (type: string) => targets.filter((t) => t.type === type).map((t) => t.name as string).sort().join('; ');
    const tlp = (ind.object_marking_refs ?? []).includes('marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421') ? 'TLP:AMBER' : 'TLP:CLEAR';
    for (const v of patternValues(ind.pattern)) {
      rows.push([
        v.value, v.kind, ind.id, ind.name ?? '', ind.confidence === undefined ? '' : String(ind.confidence), ind.valid_from ?? '', ind.valid_until ?? '',
        tlp, names('campaign'), names('malware'), (ind.external_references ?? []).find((r: Obj) => r.url)?.url ?? '',
      ]);
    }
  }
  return rows;
}

/** RFC 4180 parser: records of fields; quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '', record: string[] = [], i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === ',') { record.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); field = ''; record = []; i += 2; continue; }
    if (c === '"' || c === '\r' || c === '\n') throw new Error(`not RFC 4180 at offset ${i}`);
    field += c; i++;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length) throw new Error('the last record has no CRLF');
  return records;
}
