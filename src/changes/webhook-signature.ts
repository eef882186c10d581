import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying a delivery's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'X-Webhook-Signature';

/** HMAC-SHA256 with the subscription's secret over `<timestamp>.<body>`, hex. */
export function signature(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
}

export function signatureHeader(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${signature(secret, timestampSeconds, body)}`;
}

/**
 * What a receiver checks: the signature matches the exact body bytes and the timestamp is within
 * `toleranceSeconds` of now (a replayed old delivery fails). Returns why it fails, or undefined when it holds.
 */
export function verifySignature(secret: string, header: string | undefined, body: string, opts: { nowSeconds?: number; toleranceSeconds?: number } = {}): string | undefined {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return `${SIGNATURE_HEADER} is missing or not t=<seconds>,v1=<hex>`;
  const t = Number(m[1]);
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSeconds ?? 300)) return 'the timestamp is outside the replay window';
  const expected = Buffer.from(signature(secret, t, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'))) return 'the signature does not match the body';
  return undefined;
}
