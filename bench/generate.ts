/**
 * A deterministic, realistic collection for the benchmark: per block of ten objects, four indicators with
 * STIX patterns, four observables (ipv4-addr, domain-name, file, url) with their STIX 2.1 UUIDv5 ids, and
 * two relationships (indicator → observable "based-on", indicator → malware "indicates").
 * Produced envelope by envelope, so a million objects never sit in memory.
 */
import { createHash } from 'node:crypto';

const SCO_NAMESPACE = Buffer.from('00abedb4aa42466c9c01fed23315a9b7', 'hex');
const MALWARE = ['malware--a9a5c4f0-1b8e-4a55-9d40-0d3b1f7c2e01', 'malware--a9a5c4f0-1b8e-4a55-9d40-0d3b1f7c2e02', 'malware--a9a5c4f0-1b8e-4a55-9d40-0d3b1f7c2e03'];
const CREATED = '2025-03-01T12:00:00.000Z';
const IDENTITY = 'identity--b8f2a9e1-7c3d-4e5f-8a9b-0c1d2e3f4a5b';

/** RFC 4122 version-5 UUID, as STIX 2.1 §2.9 requires for observable ids. */
function uuidv5(name: string): string {
  const h = createHash('sha1').update(SCO_NAMESPACE).update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function uuid4ish(kind: number, n: number): string {
  return `00000000-${kind.toString(16).padStart(4, '0')}-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function ipv4(n: number): string {
  return `${10 + ((n >>> 24) & 0x7f)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function sha256(n: number): string {
  return createHash('sha256').update(`bench-file-${n}`).digest('hex');
}

/** The objects of block `b` (ten consecutive objects), as JSON values. */
function block(b: number): Array<Record<string, unknown>> {
  const ip = ipv4(b);
  const domain = `c2-${b.toString(36)}.example-wallet-drainer.net`;
  const hash = sha256(b);
  const url = `https://${domain}/api/v1/claim?id=${b}`;
  const scoIp = { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${uuidv5(JSON.stringify({ value: ip }))}`, value: ip };
  const scoDomain = { type: 'domain-name', spec_version: '2.1', id: `domain-name--${uuidv5(JSON.stringify({ value: domain }))}`, value: domain };
  const scoFile = { type: 'file', spec_version: '2.1', id: `file--${uuidv5(JSON.stringify({ hashes: { 'SHA-256': hash }, name: `update-${b}.dmg` }))}`, hashes: { 'SHA-256': hash }, name: `update-${b}.dmg` };
  const scoUrl = { type: 'url', spec_version: '2.1', id: `url--${uuidv5(JSON.stringify({ value: url }))}`, value: url };
  const ind = (k: number, name: string, pattern: string) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${uuid4ish(k, b)}`,
    created_by_ref: IDENTITY,
    created: CREATED,
    modified: CREATED,
    name,
    description: `Benchmark indicator ${b}.${k}: infrastructure seen in a cryptocurrency theft campaign.`,
    indicator_types: ['malicious-activity'],
    pattern,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: CREATED,
    labels: ['crypto-theft'],
  });
  const inds = [
    ind(1, `C2 address ${ip}`, `[ipv4-addr:value = '${ip}']`),
    ind(2, `Drainer domain ${domain}`, `[domain-name:value = '${domain}' OR domain-name:value = 'www.${domain}']`),
    ind(3, `Trojanised installer ${b}`, `[file:hashes.'SHA-256' = '${hash}' AND file:name = 'update-${b}.dmg']`),
    ind(4, `Claim URL ${b}`, `[url:value = '${url}'] FOLLOWEDBY [ipv4-addr:value = '${ip}'] WITHIN 600 SECONDS`),
  ];
  const rel = (k: number, type: string, source: string, target: string) => ({
    type: 'relationship',
    spec_version: '2.1',
    id: `relationship--${uuid4ish(k, b)}`,
    created_by_ref: IDENTITY,
    created: CREATED,
    modified: CREATED,
    relationship_type: type,
    source_ref: source,
    target_ref: target,
  });
  return [
    ...inds,
    scoIp,
    scoDomain,
    scoFile,
    scoUrl,
    rel(5, 'based-on', inds[0]!.id, scoIp.id),
    rel(6, 'indicates', inds[1]!.id, MALWARE[b % MALWARE.length]!),
  ];
}

/** The fixed objects every generated collection starts with (the identity and malware that others refer to). */
function preamble(): Array<Record<string, unknown>> {
  return [
    { type: 'identity', spec_version: '2.1', id: IDENTITY, created: CREATED, modified: CREATED, name: 'Benchmark Intel Desk', identity_class: 'organization' },
    ...MALWARE.map((id, i) => ({ type: 'malware', spec_version: '2.1', id, created: CREATED, modified: CREATED, name: ['AppleJeus', 'TraderTraitor', 'KandyKorn'][i], is_family: true, malware_types: ['trojan'] })),
  ];
}

/** Envelope bodies of `size` objects each, `total` objects in all. */
export function* envelopes(total: number, size: number): Generator<{ body: string; count: number }> {
  let pending: string[] = preamble().slice(0, total).map((o) => JSON.stringify(o));
  let produced = pending.length;
  let b = 0;
  for (;;) {
    while (pending.length < size && produced < total) {
      for (const o of block(b++)) {
        if (produced >= total) break;
        pending.push(JSON.stringify(o));
        produced++;
      }
    }
    if (pending.length === 0) return;
    const batch = pending.slice(0, size);
    pending = pending.slice(size);
    yield { body: `{"objects":[${batch.join(',')}]}`, count: batch.length };
  }
}
