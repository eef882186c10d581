import { BlockList, isIP } from 'node:net';
import type { ComparisonExpression, ObservationExpression } from '../stix/pattern/ast';
import { parsePattern } from '../stix/pattern/parser';

/** The kinds of value a block list can hold; each list serves one kind (or both IP kinds). */
export const VALUE_TYPES = ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256', 'sha512', 'wallet'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

export interface ExtractedValue {
  type: ValueType;
  value: string;
}

/** The STIX hash algorithm names (and their common spellings) the lists know. */
const HASHES: Readonly<Record<string, ValueType>> = { 'MD5': 'md5', 'SHA-1': 'sha1', 'SHA1': 'sha1', 'SHA-256': 'sha256', 'SHA256': 'sha256', 'SHA-512': 'sha512', 'SHA512': 'sha512' };
const HEX_LENGTH: Readonly<Partial<Record<ValueType, number>>> = { md5: 32, sha1: 40, sha256: 64, sha512: 128 };

/** The SCO types whose values the lists take, from patterns and from the observables themselves. */
export const SOURCE_SCO_TYPES = ['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'file', 'cryptocurrency-wallet'] as const;

/**
 * Normalises one value of an SCO property into a list value, or undefined when the property is not
 * one a list takes or the value does not look like its kind (a list never carries a malformed entry).
 */
function fromProperty(objectType: string, property: string, hashName: string | undefined, raw: string): ExtractedValue | undefined {
  const value = raw.trim();
  if (!value || /[\s\u0000-\u001f\u007f]/.test(value)) return undefined;
  switch (objectType) {
    case 'ipv4-addr':
      return property === 'value' && isAddressOrCidr(value, 4) && blockable(value, 4) ? { type: 'ipv4', value } : undefined;
    case 'ipv6-addr': {
      const canonical = property === 'value' && isAddressOrCidr(value, 6) ? canonicalIpv6(value) : undefined;
      return canonical && blockable(canonical, 6) ? { type: 'ipv6', value: canonical } : undefined;
    }
    case 'domain-name':
      return property === 'value' && isHostname(value) ? { type: 'domain', value: value.toLowerCase().replace(/\.$/, '') } : undefined;
    case 'url':
      return property === 'value' && /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\s]/.test(value) ? { type: 'url', value } : undefined;
    case 'cryptocurrency-wallet':
      return property === 'value' ? { type: 'wallet', value } : undefined;
    case 'file': {
      const type = property === 'hashes' && hashName ? HASHES[hashName.toUpperCase()] : undefined;
      if (!type || !new RegExp(`^[0-9A-Fa-f]{${HEX_LENGTH[type]}}$`).test(value)) return undefined;
      return { type, value: value.toLowerCase() };
    }
    default:
      return undefined;
  }
}

/**
 * One spelling per IPv6 address (and CIDR), so that a list holds it once: RFC 5952 §4 (lower case, no leading zeros,
 * the first longest run of zero groups compressed), as the WHATWG URL parser writes a host; undefined for a scoped one.
 */
function canonicalIpv6(value: string): string | undefined {
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  // A zone (fe80::1%eth0), which isIP accepts, names an interface of some other host: no entry for a list.
  if (address.includes('%')) return undefined;
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  return slash < 0 ? canonical : `${canonical}/${Number(value.slice(slash + 1))}`;
}

/** Addresses a consumer must never block: its own host ("this network" and loopback). */
const OWN_HOST = new BlockList();
OWN_HOST.addSubnet('0.0.0.0', 8, 'ipv4');
OWN_HOST.addSubnet('127.0.0.0', 8, 'ipv4');
OWN_HOST.addAddress('::', 'ipv6');
OWN_HOST.addAddress('::1', 'ipv6');

/** The shortest network prefix a list may carry: a wider one (0.0.0.0/0, ::/0, 64.0.0.0/2) blocks a large part of the internet. */
const SHORTEST_PREFIX = { 4: 8, 6: 16 } as const;

/**
 * Whether a firewall can take an address or network from a list without cutting itself off: one bad
 * indicator must not make every consumer block everything, or its own loopback.
 */
function blockable(value: string, family: 4 | 6): boolean {
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  if (slash >= 0 && Number(value.slice(slash + 1)) < SHORTEST_PREFIX[family]) return false;
  return !OWN_HOST.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

function isHostname(value: string): boolean {
  const labels = value.replace(/\.$/, '').split('.');
  return value.length <= 254 && labels.every((l) => l.length >= 1 && l.length <= 63 && /^[A-Za-z0-9_-]+$/.test(l));
}

function isAddressOrCidr(value: string, family: 4 | 6): boolean {
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  if (isIP(address) !== family) return false;
  if (slash < 0) return true;
  const bits = value.slice(slash + 1);
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * The list values of a STIX pattern. Values are taken only when the whole pattern is one equality, or an
 * OR of equalities (inside one observation or between observations), each `<type>:<property> = '<string>'`
 * without NOT; equalities on properties the lists do not know are skipped, the others kept. Anything
 * else (AND, FOLLOWEDBY, qualifiers, other operators) matches something narrower than "this value", so
 * the pattern gives nothing. An unparseable pattern gives nothing either.
 */
export function valuesOfPattern(pattern: string): ExtractedValue[] {
  let ast: ObservationExpression;
  try {
    ast = parsePattern(pattern);
  } catch {
    return [];
  }
  const equalities: Array<Extract<ComparisonExpression, { kind: 'comparison' }>> = [];
  const observations = (e: ObservationExpression): boolean => {
    if (e.kind === 'or') return observations(e.left) && observations(e.right);
    if (e.kind === 'observation') return comparisons(e.comparison);
    return false;
  };
  const comparisons = (c: ComparisonExpression): boolean => {
    if (c.kind === 'comparison-or') return comparisons(c.left) && comparisons(c.right);
    if (c.kind !== 'comparison' || c.negated || c.operator !== '=' || Array.isArray(c.value) || c.value.kind !== 'string') return false;
    equalities.push(c);
    return true;
  };
  if (!observations(ast)) return [];
  const out: ExtractedValue[] = [];
  for (const c of equalities) {
    const { objectType, property, steps } = c.path;
    const literal = (c.value as { value: string }).value;
    let hashName: string | undefined;
    if (property === 'hashes') {
      if (steps.length !== 1 || steps[0]!.kind !== 'property') continue;
      hashName = steps[0].name;
    } else if (steps.length !== 0) continue;
    const v = fromProperty(objectType, property, hashName, literal);
    if (v && !out.some((o) => o.type === v.type && o.value === v.value)) out.push(v);
  }
  return out;
}

/** The list values an observable (SCO) carries itself: its value, or a file's hashes. */
export function valuesOfObservable(obj: Record<string, unknown>): ExtractedValue[] {
  const type = String(obj.type);
  if (type === 'file') {
    const hashes = obj.hashes;
    if (!hashes || typeof hashes !== 'object') return [];
    return Object.entries(hashes as Record<string, unknown>)
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .map(([name, h]) => fromProperty('file', 'hashes', name, h))
      .filter((v): v is ExtractedValue => v !== undefined);
  }
  const v = typeof obj.value === 'string' ? fromProperty(type, 'value', undefined, obj.value) : undefined;
  return v ? [v] : [];
}

/** The values of any source object: an indicator with a STIX pattern, or an observable. */
export function valuesOf(obj: Record<string, unknown>): ExtractedValue[] {
  if (obj.type === 'indicator') return obj.pattern_type === 'stix' && typeof obj.pattern === 'string' ? valuesOfPattern(obj.pattern) : [];
  return (SOURCE_SCO_TYPES as readonly string[]).includes(String(obj.type)) ? valuesOfObservable(obj) : [];
}
