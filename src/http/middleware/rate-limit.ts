import type { Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { addressKey } from '../../common/network';
import { TooManyRequestsError } from '../../domain/errors';
import { clientAddress } from '../client-address';
import type { Principal } from '../../taxii/access';

export { addressKey };

interface Limits {
  windowSeconds: number;
  maxRequests: number;
  maxRequestsPerAddress: number;
}

/**
 * A fixed window of `max` requests per key (rate-limiter-flexible's memory limiter: a window starts with a
 * key's first request). Every answer carries the IETF draft-7 headers `RateLimit-Policy` and `RateLimit`;
 * a request over the limit goes to the error handler as a 429 with Retry-After. One promise per request:
 * the limiter this replaced (express-rate-limit) awaited five times and read the client address for its
 * debug lines, about 30 µs of a 300 µs poll for the two limiters (docs/performance.md).
 */
function limiter(windowSeconds: number, max: number, key: (req: Request, res: Response) => string, who: string): RequestHandler {
  const counts = new RateLimiterMemory({ points: max, duration: windowSeconds });
  const policy = `${max};w=${windowSeconds}`;
  const headers = (res: Response, r: RateLimiterRes) => {
    if (res.headersSent) return;
    res.setHeader('RateLimit-Policy', policy);
    res.setHeader('RateLimit', `limit=${max}, remaining=${r.remainingPoints}, reset=${resetSeconds(r, windowSeconds)}`);
  };
  return (req, res, next) => {
    counts.consume(key(req, res)).then(
      (r) => {
        headers(res, r);
        next();
      },
      (r: unknown) => {
        if (!(r instanceof RateLimiterRes)) return next(r);
        headers(res, r);
        const retry = Math.max(1, resetSeconds(r, windowSeconds));
        next(new TooManyRequestsError(`More than ${max} requests in ${windowSeconds} seconds ${who}; retry in ${retry} seconds.`, retry));
      },
    );
  };
}

/** Whole seconds until the key's window ends (a window that never started: the whole window). */
function resetSeconds(r: RateLimiterRes, windowSeconds: number): number {
  return r.msBeforeNext >= 0 ? Math.ceil(r.msBeforeNext / 1000) : windowSeconds;
}

/** Per client address, before authentication, so that unauthenticated floods are cut off cheaply. */
export function addressRateLimit(l: Limits): RequestHandler {
  return limiter(l.windowSeconds, l.maxRequestsPerAddress, (req) => addressKey(clientAddress(req)), 'from this address');
}

/** Per authenticated principal (every token and password of one user share a budget); anonymous callers per address. */
export function principalRateLimit(l: Limits): RequestHandler {
  return limiter(
    l.windowSeconds,
    l.maxRequests,
    (req, res) => {
      const p = res.locals.principal as Principal | undefined;
      return p && p.kind !== 'anonymous' ? `p:${p.id}` : `a:${addressKey(clientAddress(req))}`;
    },
    'for this account',
  );
}
