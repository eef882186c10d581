/** Text formats of the exports: CSV fields, TLP labels, MISP attribute types. Pure functions. */
import { createHash } from 'node:crypto';
import { TLP_LEVELS } from '../domain/tlp';
import type { ExtractedValue, ValueType } from './values';

/** The CSV columns, in order (the first line of every CSV export). */
export const CSV_COLUMNS = ['value', 'type', 'indicator_id', 'indicator_name', 'confidence', 'valid_from', 'valid_until', 'tlp', 'campaigns', 'malware', 'source_url'] as const;

/**
 * One CSV field, RFC 4180: quoted when it holds a comma, a double quote, CR or LF (quotes doubled).
 * Guard against formula injection (CWE-1236): a field that starts with =, +, -, @, a tab or a CR is
 * prefixed with a single quote and quoted, so spreadsheets show it as text and never evaluate it.
 */
export function csvField(text: string): string {
  let t = text;
  let quote = /[",\r\n]/.test(t);
  if (/^[=+\-@\t\r]/.test(t)) {
    t = `'${t}`;
    quote = true;
  }
  return quote ? `"${t.replace(/"/g, '""')}"` : t;
}

/** One CSV record with its CRLF line break (RFC 4180 §2.1). */
export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** `TLP:CLEAR`, `TLP:AMBER+STRICT`… for a TLP rank. */
export function tlpLabel(rank: number): string {
  return `TLP:${(TLP_LEVELS[rank] ?? 'amber').toUpperCase()}`;
}

/** MISP's tag for a TLP rank (the `tlp` taxonomy: tlp:clear, tlp:amber+strict…). */
export function mispTlpTag(rank: number): string {
  return `tlp:${TLP_LEVELS[rank] ?? 'amber'}`;
}

/** A MISP attribute type and category for a list value (MISP's categories-and-types matrix). */
export function mispAttributeType(v: ExtractedValue): { type: string; category: string } {
  const byType: Record<Exclude<ValueType, 'wallet'>, { type: string; category: string }> = {
    ipv4: { type: 'ip-dst', category: 'Network activity' },
    ipv6: { type: 'ip-dst', category: 'Network activity' },
    domain: { type: 'domain', category: 'Network activity' },
    url: { type: 'url', category: 'Network activity' },
    md5: { type: 'md5', category: 'Payload delivery' },
    sha1: { type: 'sha1', category: 'Payload delivery' },
    sha256: { type: 'sha256', category: 'Payload delivery' },
    sha512: { type: 'sha512', category: 'Payload delivery' },
  };
  if (v.type !== 'wallet') return byType[v.type];
  return { type: walletMispType(v.value), category: 'Financial fraud' };
}

/**
 * MISP has attribute types for Bitcoin (btc), Monero (xmr) and Dash (dash) addresses only; the chain is
 * told from the address format. Any other address (Ethereum's 0x…, for one) is a `text` attribute.
 */
export function walletMispType(address: string): string {
  if (/^(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{11,71})$/.test(address)) return 'btc';
  if (/^[48][1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?$/.test(address)) return 'xmr';
  if (/^X[1-9A-HJ-NP-Za-km-z]{33}$/.test(address)) return 'dash';
  return 'text';
}

/** Namespace of the UUIDv5 identifiers of MISP attributes (stable across requests and servers). */
const MISP_ATTRIBUTE_NAMESPACE = '6a4f7b1e-3c2d-5e8f-9a0b-1c2d3e4f5a6b';

/** RFC 4122 §4.3 name-based UUID (SHA-1, version 5). */
export function uuidV5(name: string, namespace = MISP_ATTRIBUTE_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
