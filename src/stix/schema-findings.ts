/**
 * Turns Ajv's schema errors into curator-facing findings (one per problem, with a message that says what
 * to fix), plus the small pointer and text helpers the object checks share.
 */
import type { ErrorObject } from 'ajv';
import { hasRfc4122Variant, isUuidShaped } from './ids';
import { isStixTimestamp } from './timestamps';
import type { Finding, RuleId } from './validation-result';

export type Obj = Record<string, unknown>;

export const TYPE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function escapePointer(s: string): string {
  return s.indexOf('~') >= 0 || s.indexOf('/') >= 0 ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;
}

export function ptr(...parts: Array<string | number>): string {
  let out = '';
  for (const p of parts) out += '/' + (typeof p === 'number' ? String(p) : escapePointer(p));
  return out;
}

/** A readable name for a pointer: "/external_references/0/url" → "external_references[0].url". */
export function propName(pointer: string): string {
  if (!pointer) return 'the object';
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
}

function requiredList(branches: unknown): string[] | undefined {
  if (!Array.isArray(branches)) return undefined;
  const names: string[] = [];
  for (const b of branches) {
    if (!isObject(b) || !Array.isArray(b.required) || Object.keys(b).length !== 1) return undefined;
    names.push((b.required as string[]).join(' + '));
  }
  return names;
}

/** Turns ajv's errors into curator-facing findings: one per problem, without the branch noise of anyOf/oneOf/if. */
export function schemaFindings(errors: readonly ErrorObject[], type: string, out: Finding[]): void {
  const collapsed: string[] = [];
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'propertyNames') collapsed.push(e.schemaPath + '/');
  }
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    if (collapsed.some((c) => e.schemaPath.startsWith(c))) continue;
    out.push(schemaFinding(e, type));
  }
}

function schemaFinding(e: ErrorObject, type: string): Finding {
  const at = e.instancePath;
  const name = propName(at);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const missing = String(p.missingProperty);
      const pointer = at + ptr(missing);
      return { pointer, rule: 'schema.required', message: `${propName(pointer)} is required on ${at ? name : type}; add it` };
    }
    case 'format': {
      const f = String(p.format);
      if (f === 'stix-timestamp-millis' && typeof e.data === 'string' && isStixTimestamp(e.data)) {
        return { pointer: at, rule: 'timestamp.precision', message: `${name} must be precise to the millisecond (STIX 2.1 §3.2), e.g. 2024-01-31T12:00:00.000Z` };
      }
      if (f.startsWith('stix-timestamp')) {
        return {
          pointer: at, rule: 'timestamp.format',
          message: `${name} must be a real UTC timestamp in RFC 3339 form ending in Z, e.g. 2024-01-31T12:00:00.000Z (got ${JSON.stringify(e.data)})`,
        };
      }
      return { pointer: at, rule: 'schema.format', message: `${name} is not a valid ${f === 'stix-ipv6-cidr' ? 'IPv6 address or CIDR block' : f}` };
    }
    case 'const':
      if (at === '/spec_version') return { pointer: at, rule: 'spec-version.value', message: `spec_version must be "2.1" (got ${JSON.stringify(e.data)})` };
      return { pointer: at, rule: 'schema.const', message: `${name} must be ${JSON.stringify(p.allowedValue)}` };
    case 'enum':
      return {
        pointer: at, rule: 'schema.enum',
        message: `${name} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(e.data)})`,
      };
    case 'pattern': {
      if (e.schemaPath.includes('identifier.json')) {
        if (typeof e.data === 'string' && isUuidVariantOnly(e.data)) {
          return {
            pointer: at, rule: 'id.uuid-variant',
            message: `${name} must hold an RFC 4122 UUID (STIX 2.1 §2.9): the first digit of its fourth group must be 8, 9, a or b (got ${JSON.stringify(e.data)}); generate a new UUIDv4`,
          };
        }
        return { pointer: at, rule: 'id.format', message: `${name} must be an identifier of the form <object-type>--<UUID> (got ${JSON.stringify(e.data)})` };
      }
      return { pointer: at, rule: 'schema.pattern', message: `${name} has an invalid format${formatHint(at)} (got ${JSON.stringify(truncate(e.data))})` };
    }
    case 'type':
      return { pointer: at, rule: 'schema.type', message: `${name} must be ${article(String(p.type))}` };
    case 'anyOf': {
      const names = requiredList(e.schema);
      return {
        pointer: at, rule: 'schema.anyOf',
        message: names ? `${at ? name : type} needs at least one of: ${names.join(', ')}` : `${name} does not match any allowed form`,
      };
    }
    case 'oneOf': {
      const names = requiredList(e.schema);
      return {
        pointer: at, rule: 'schema.oneOf',
        message: names ? `${at ? name : type} needs exactly one of: ${names.join(', ')}` : `${name} must match exactly one allowed form`,
      };
    }
    case 'not': {
      const s = e.schema as Obj;
      const req = Array.isArray(s.required) ? (s.required as string[]) : [];
      const msg = req.length === 1
        ? `${req[0]} must not be present on ${at ? name : type} here${type === 'email-message' ? ' (it contradicts is_multipart)' : type === 'network-traffic' ? ' (an active flow has no end)' : ''}; remove it`
        : req.length > 1 ? `${req.join(' and ')} must not both be present; keep only one` : `${name} has a forbidden form`;
      return { pointer: at, rule: 'schema.not', message: msg };
    }
    case 'dependentRequired':
      return {
        pointer: at + ptr(String(p.missingProperty)), rule: 'schema.dependentRequired',
        message: `${p.missingProperty} must be present when ${p.property} is present`,
      };
    case 'propertyNames':
      return { pointer: at + ptr(String(p.propertyName)), rule: 'schema.propertyNames', message: `the key ${JSON.stringify(p.propertyName)} in ${name} is not allowed${formatHint(at)}` };
    case 'additionalProperties':
      return { pointer: at + ptr(String(p.additionalProperty)), rule: 'schema.additionalProperties', message: `${name} must not have the property ${JSON.stringify(p.additionalProperty)}` };
    case 'minItems':
      return { pointer: at, rule: 'schema.minItems', message: `${name} must not be an empty list (STIX 2.1 §2.12); remove it or add a value` };
    case 'minProperties':
      return { pointer: at, rule: 'schema.minProperties', message: `${name} must not be empty; remove it or add an entry` };
    default:
      return { pointer: at, rule: `schema.${e.keyword}` as RuleId, message: `${name} ${e.message ?? 'is invalid'}` };
  }
}

/** An identifier that fails only on the UUID variant bits: well-formed type, UUID-shaped, wrong variant. */
function isUuidVariantOnly(id: string): boolean {
  const sep = id.indexOf('--');
  if (sep <= 0 || !TYPE_NAME.test(id.slice(0, sep))) return false;
  const uuid = id.slice(sep + 2);
  return isUuidShaped(uuid) && !hasRfc4122Variant(uuid);
}

export function truncate(v: unknown): unknown {
  return typeof v === 'string' && v.length > 80 ? v.slice(0, 77) + '...' : v;
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function formatHint(pointer: string): string {
  const last = pointer.slice(pointer.lastIndexOf('/') + 1);
  switch (last) {
    case 'hashes': return ' (hash names are 3-250 characters of a-z, A-Z, 0-9, _ and -)';
    case 'MD5': return ' (MD5 is 32 hex digits)';
    case 'SHA-1': return ' (SHA-1 is 40 hex digits)';
    case 'SHA-256': case 'SHA3-256': return ' (64 hex digits expected)';
    case 'SHA-512': case 'SHA3-512': return ' (128 hex digits expected)';
    case 'type': return ' (3-250 characters of a-z, 0-9 and single hyphens)';
    case 'relationship_type': return ' (lower-case a-z, 0-9 and single hyphens)';
    case 'value': return ' for this observable type';
    case 'key': return ' (the key must start with a full hive name such as HKEY_LOCAL_MACHINE; abbreviations like HKLM are not allowed)';
    case 'payload_bin': return ' (base64, RFC 4648, with padding)';
    case 'url': return ' (an absolute URL, e.g. https://example.com/path)';
    default: return last.endsWith('_hex') ? ' (an even number of hex digits)' : '';
  }
}
