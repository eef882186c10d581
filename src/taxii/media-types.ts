/** TAXII 2.1 media types and the negotiation rules of §1.6.8. */

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

export interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
}

/** Parses an Accept (or Content-Type) value: comma list, parameters, q-values, case-insensitive names. */
export function parseMediaRanges(header: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [full, ...rawParams] = part.split(';');
    const [type, subtype] = (full ?? '').trim().toLowerCase().split('/');
    if (!type || !subtype) continue;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const name = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (name === 'q') {
        const n = Number(value);
        q = Number.isFinite(n) ? Math.min(Math.max(n, 0), 1) : 1;
      } else params[name] = value.toLowerCase();
    }
    out.push({ type: type.trim(), subtype: subtype.trim(), params, q });
  }
  return out;
}

function isTaxii21(r: MediaRange): boolean {
  return r.type === 'application' && r.subtype === 'taxii+json' && (r.params.version === undefined || r.params.version === '2.1');
}

/**
 * Whether a TAXII 2.1 response satisfies the Accept header. An absent header accepts anything (RFC 9110
 * §12.5.1). With `lenient`, `*\/*`, `application/*` and `application/json` are answered with TAXII JSON
 * too, because SIEM connectors send them. Another TAXII version (e.g. 2.0, which MineMeld and XSOAR probe
 * with and expect 406 for) is never accepted.
 */
export function acceptsTaxii21(accept: string | undefined, lenient: boolean): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return parseMediaRanges(accept).some((r) => {
    if (r.q <= 0) return false;
    if (isTaxii21(r)) return true;
    if (!lenient) return false;
    return (r.type === '*' && r.subtype === '*') || (r.type === 'application' && (r.subtype === '*' || r.subtype === 'json'));
  });
}

/** Whether a request body's Content-Type is the TAXII 2.1 media type (a charset parameter is tolerated). */
export function isTaxii21ContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const ranges = parseMediaRanges(contentType);
  return ranges.length === 1 && isTaxii21(ranges[0]!) && (ranges[0]!.params.charset === undefined || ranges[0]!.params.charset === 'utf-8');
}
