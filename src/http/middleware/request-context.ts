import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/** Request id, and headers every response carries (no caching of feed data, no sniffing, no framing). */
export function requestContext(opts: { hsts: boolean }): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    res.setHeader('X-Request-Id', typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID());
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    res.setHeader('Referrer-Policy', 'no-referrer');
    // RFC 6797 §7.2: HSTS only on secure transport (TLS here, or HTTPS reported by a trusted proxy).
    if (opts.hsts && req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}
