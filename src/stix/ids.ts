import { createHash } from 'node:crypto';
import { own } from '../common/own';

/** STIX 2.1 §2.9: `<type>--<UUID>`. */
export interface ParsedId {
  type: string;
  uuid: string;
}

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Parses `<type>--<UUID>`; undefined unless the UUID is RFC 4122 (shape and variant bits). */
export function parseId(id: string): ParsedId | undefined {
  const sep = id.indexOf('--');
  if (sep <= 0) return undefined;
  const uuid = id.slice(sep + 2);
  if (!UUID_RE.test(uuid) || !hasRfc4122Variant(uuid)) return undefined;
  return { type: id.slice(0, sep), uuid };
}

/** Whether text has the 8-4-4-4-12 hex shape of a UUID, whatever its variant. */
export function isUuidShaped(uuid: string): boolean {
  return UUID_RE.test(uuid);
}

/**
 * RFC 4122 §4.1.1: the variant bits are 10, so the first hex digit of the fourth group (the 17th digit,
 * character 19) is 8, 9, a or b. STIX 2.1 §2.9 requires RFC 4122 UUIDs in every identifier.
 */
export function hasRfc4122Variant(uuid: string): boolean {
  const c = uuid.charCodeAt(19) | 0x20;
  return c === 0x38 || c === 0x39 || c === 0x61 || c === 0x62;
}

/** The type part of an identifier, or undefined when the text has no `--`. Cheap: no allocation beyond the slice. */
export function idType(id: string): string | undefined {
  const sep = id.indexOf('--');
  return sep > 0 ? id.slice(0, sep) : undefined;
}

/** The UUID version digit (RFC 4122 §4.1.3), or undefined when not a UUID. */
export function uuidVersion(uuid: string): number | undefined {
  if (!UUID_RE.test(uuid)) return undefined;
  return parseInt(uuid.charAt(14), 16);
}

/** The object's version key (TAXII 2.1 §3.3 / STIX §3.6): `modified`, else `created`, else undefined (SCOs). */
export function versionKey(object: { modified?: unknown; created?: unknown }): string | undefined {
  if (typeof object.modified === 'string') return object.modified;
  if (typeof object.created === 'string') return object.created;
  return undefined;
}

/** STIX 2.1 §2.9: namespace for deterministic SCO identifiers. */
export const SCO_ID_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/** STIX 2.1 §6: the ID-contributing properties of each SCO type (process has none: UUIDv4 only). */
export const SCO_ID_CONTRIBUTING: Readonly<Record<string, readonly string[]>> = {
  artifact: ['hashes', 'payload_bin'],
  'autonomous-system': ['number'],
  directory: ['path'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  'email-message': ['from_ref', 'subject', 'body'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': ['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions'],
  process: [],
  software: ['name', 'cpe', 'swid', 'vendor', 'version'],
  url: ['value'],
  'user-account': ['account_type', 'user_id', 'account_login'],
  'windows-registry-key': ['key', 'values'],
  'x509-certificate': ['hashes', 'serial_number'],
};

/** STIX 2.1 §2.9: when several hashes contribute, only one is used, in this order of preference. */
const HASH_PREFERENCE = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'];

function chooseOneHash(hashes: Record<string, unknown>): Record<string, unknown> | undefined {
  for (const name of HASH_PREFERENCE) if (name in hashes) return { [name]: hashes[name] };
  const first = Object.keys(hashes)[0];
  return first === undefined ? undefined : { [first]: hashes[first] };
}

/**
 * RFC 8785 (JSON Canonicalization Scheme): sorted keys by UTF-16 code units, no whitespace,
 * ECMAScript number serialisation, which is what JSON.stringify produces for primitives.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number cannot be canonicalised');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
}

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

const NAMESPACE_BYTES = uuidBytes(SCO_ID_NAMESPACE);

/** RFC 4122 §4.3 name-based UUID, version 5 (SHA-1). */
export function uuidV5(name: string, namespace: Buffer = NAMESPACE_BYTES): string {
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The deterministic identifier an SCO SHOULD carry (STIX 2.1 §2.9), or undefined when the type has no
 * ID-contributing properties (process, custom types) or none of them is present (then UUIDv4 is used).
 */
export function computeScoId(object: Record<string, unknown>): string | undefined {
  const type = object.type;
  if (typeof type !== 'string') return undefined;
  const contributing = own(SCO_ID_CONTRIBUTING, type);
  if (!contributing || contributing.length === 0) return undefined;
  const picked: Record<string, unknown> = {};
  let any = false;
  for (const prop of contributing) {
    let v = object[prop];
    if (v === undefined) continue;
    if (prop === 'hashes' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      v = chooseOneHash(v as Record<string, unknown>);
      if (v === undefined) continue;
    }
    picked[prop] = v;
    any = true;
  }
  if (!any) return undefined;
  return `${type}--${uuidV5(canonicalJson(picked))}`;
}
