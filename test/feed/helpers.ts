import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type StixObject = Record<string, unknown> & { type: string; id: string };

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SEED_DIR = path.join(REPO_ROOT, 'seed');
export const COLLECTION_ALIASES = ['dprk-crypto-indicators', 'dprk-crypto-context', 'dprk-crypto-blocklist'] as const;

export const TLP_CLEAR = 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487';
export const TLP_WHITE = 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9';
export const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
export const WALLET_TYPE = 'cryptocurrency-wallet';
export const FEED_IDENTITY_NAME = 'DPRK crypto feed curators';

/** Published third-party objects reproduced unchanged: they carry no markings or created_by_ref of ours. */
export const THIRD_PARTY_IDS: ReadonlySet<string> = new Set([TLP_CLEAR, TLP_WHITE, TLP2_EXTENSION]);

export const SCO_TYPES: ReadonlySet<string> = new Set([
  'artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message', 'file',
  'ipv4-addr', 'ipv6-addr', 'mac-addr', 'mutex', 'network-traffic', 'process', 'software', 'url',
  'user-account', 'windows-registry-key', 'x509-certificate', WALLET_TYPE,
]);
export const META_TYPES: ReadonlySet<string> = new Set(['marking-definition', 'extension-definition', 'language-content']);

export const isSco = (o: StixObject): boolean => SCO_TYPES.has(o.type);
export const isSdoOrSro = (o: StixObject): boolean => !isSco(o) && !META_TYPES.has(o.type);

export interface Bundle {
  type: string;
  id: string;
  objects: StixObject[];
}

export interface SeedFile {
  file: string;
  bundle: Bundle;
}

export function seedFiles(alias: string): SeedFile[] {
  const dir = path.join(SEED_DIR, alias);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: `${alias}/${f}`, bundle: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Bundle }));
}

export function collectionObjects(alias: string): StixObject[] {
  return seedFiles(alias).flatMap((s) => s.bundle.objects);
}

export function allSeedObjects(): Array<{ alias: string; object: StixObject }> {
  return COLLECTION_ALIASES.flatMap((alias) => collectionObjects(alias).map((object) => ({ alias, object })));
}

export function feedIdentityId(objects: readonly StixObject[]): string {
  const feed = objects.filter((o) => o.type === 'identity' && o.name === FEED_IDENTITY_NAME);
  if (feed.length !== 1) throw new Error(`expected one feed identity, found ${feed.length}`);
  return feed[0]!.id;
}

export interface FoundRef {
  pointer: string;
  ref: string;
}

/** Every `*_ref` / `*_refs` value at any depth (granular markings, extensions, nested objects included). */
export function findRefs(value: unknown, pointer = ''): FoundRef[] {
  const out: FoundRef[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...findRefs(v, `${pointer}/${i}`)));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = `${pointer}/${k}`;
      if (k.endsWith('_ref') && typeof v === 'string') out.push({ pointer: p, ref: v });
      else if (k.endsWith('_refs') && Array.isArray(v)) {
        v.forEach((r, i) => {
          if (typeof r === 'string') out.push({ pointer: `${p}/${i}`, ref: r });
        });
      } else out.push(...findRefs(v, p));
    }
  }
  return out;
}

/** The extension-definition ids used as keys of any `extensions` dictionary in the object. */
export function extensionDefinitionKeys(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        if (k === 'extensions' && child !== null && typeof child === 'object') {
          out.push(...Object.keys(child as object).filter((x) => x.startsWith('extension-definition--')));
        }
        walk(child);
      }
    }
  };
  walk(value);
  return out;
}

// --- STIX 2.1 §2.9 deterministic SCO ids (an implementation independent of the build script) ---

export const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

const ID_CONTRIBUTING: Readonly<Record<string, readonly string[]>> = {
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'domain-name': ['value'],
  url: ['value'],
  'email-addr': ['value'],
  software: ['name', 'cpe', 'swid', 'vendor', 'version'],
  'user-account': ['account_type', 'user_id', 'account_login'],
  directory: ['path'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  [WALLET_TYPE]: ['value'],
};

/** RFC 8785 canonical JSON: sorted keys (UTF-16 order), ECMAScript string/number serialisation. */
export function jcs(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${jcs(obj[k])}`)
    .join(',')}}`;
}

export function uuid5(name: string, namespace = SCO_NAMESPACE): string {
  const digest = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function expectedScoId(sco: StixObject): string {
  const props = ID_CONTRIBUTING[sco.type];
  if (!props) throw new Error(`no ID-contributing properties known for ${sco.type}`);
  const picked: Record<string, unknown> = {};
  for (const p of props) {
    let v = sco[p];
    if (v === undefined) continue;
    if (p === 'hashes') {
      const hashes = v as Record<string, string>;
      const key = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'].find((k) => k in hashes) ?? Object.keys(hashes)[0]!;
      v = { [key]: hashes[key] };
    }
    picked[p] = v;
  }
  return `${sco.type}--${uuid5(jcs(picked))}`;
}

export const MS_TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
export const TIMESTAMP_PROPS = ['created', 'modified', 'first_seen', 'last_seen', 'valid_from', 'valid_until', 'published'] as const;

/**
 * Objects that must be validated with custom content allowed: the wallet SCOs, the feed's extension-definition,
 * indicators whose pattern names the wallet type, and relationships with a wallet as an endpoint (a validator
 * cannot know that a custom type is an SCO otherwise). Everything else is validated with allowCustom false.
 */
export function needsCustom(o: StixObject, walletExtensionId: string): boolean {
  const isWallet = (ref: unknown): boolean => typeof ref === 'string' && ref.startsWith(`${WALLET_TYPE}--`);
  return (
    o.type === WALLET_TYPE ||
    o.id === walletExtensionId ||
    (o.type === 'indicator' && typeof o.pattern === 'string' && o.pattern.includes(`[${WALLET_TYPE}:`)) ||
    (o.type === 'relationship' && (isWallet(o.source_ref) || isWallet(o.target_ref)))
  );
}

export function walletExtensionId(objects: readonly StixObject[]): string {
  const ext = objects.find((o) => o.type === 'extension-definition' && o.name === WALLET_TYPE);
  if (!ext) throw new Error('wallet extension-definition missing');
  return ext.id;
}

/**
 * The fact sheets the feed is built from, when they are present beside the repository (../shared/intel/*.md),
 * with their defanged values also in the mechanically refanged form the sheets use in their patterns
 * (only `[.]` -> `.` and `hxxp` -> `http`). Undefined when the sheets are not there.
 */
export function factSheetText(): string | undefined {
  const dir = path.resolve(REPO_ROOT, '..', 'shared', 'intel');
  if (!fs.existsSync(dir)) return undefined;
  const text = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
  if (!text) return undefined;
  return `${text}\n${text.split('[.]').join('.').split('hxxp').join('http')}`;
}
