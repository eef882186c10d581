import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { TooManyRequestsError } from '../../domain/errors';
import type { Principal } from '../../taxii/access';

interface Limits {
  windowSeconds: number;
  maxRequests: number;
  maxRequestsPerAddress: number;
}

/**
 * A window per key that starts with the key's first request (as express-rate-limit's memory store keeps
 * it), answering the same IETF draft-7 headers (`RateLimit-Policy`, `RateLimit`). Written here because the
 * library's per-request bookkeeping (validations, store promises, header building) cost more than the
 * rest of an empty poll's middleware together when profiled. Expired windows are swept once per window,
 * so the map holds only the keys seen in the last window or two.
 */
export class WindowCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private nextSweep: number;

  constructor(
    readonly windowMs: number,
    readonly limit: number,
  ) {
    this.nextSweep = Date.now() + windowMs;
  }

  /** Counts one request of `key`: how many it has left in its window, and when that window ends. */
  hit(key: string, now = Date.now()): { remaining: number; resetAt: number; over: boolean } {
    if (now >= this.nextSweep) this.sweep(now);
    let w = this.windows.get(key);
    if (!w || now >= w.resetAt) {
      w = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return { remaining: Math.max(0, this.limit - w.count), resetAt: w.resetAt, over: w.count > this.limit };
  }

  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now >= w.resetAt) this.windows.delete(k);
    this.nextSweep = now + this.windowMs;
  }
}

function limiter(windowSeconds: number, max: number, key: (req: Request, res: Response) => string, who: string): RequestHandler {
  const counter = new WindowCounter(windowSeconds * 1000, max);
  const policy = `${max};w=${windowSeconds}`;
  return (req, res, next) => {
    const now = Date.now();
    const { remaining, resetAt, over } = counter.hit(key(req, res), now);
    const reset = Math.max(0, Math.ceil((resetAt - now) / 1000));
    res.setHeader('RateLimit-Policy', policy);
    res.setHeader('RateLimit', `limit=${max}, remaining=${remaining}, reset=${reset}`);
    if (!over) return next();
    const retry = Math.max(1, reset);
    next(new TooManyRequestsError(`More than ${max} requests in ${windowSeconds} seconds ${who}; retry in ${retry} seconds.`, retry));
  };
}

/** ipKeyGenerator masks IPv6 to its /56 (one client's prefix); remembered per address, as it parses. */
const addressKeys = new Map<string, string>();
function addressKey(ip: string | undefined): string {
  const a = ip ?? '';
  let k = addressKeys.get(a);
  if (k === undefined) {
    k = ipKeyGenerator(a);
    if (addressKeys.size >= 10_000) addressKeys.clear();
    addressKeys.set(a, k);
  }
  return k;
}

/** Per client address, before authentication, so that unauthenticated floods are cut off cheaply. */
export function addressRateLimit(l: Limits): RequestHandler {
  return limiter(l.windowSeconds, l.maxRequestsPerAddress, (req) => addressKey(req.ip), 'from this address');
}

/** Per authenticated principal (every token and password of one user share a budget); anonymous callers per address. */
export function principalRateLimit(l: Limits): RequestHandler {
  return limiter(
    l.windowSeconds,
    l.maxRequests,
    (req, res) => {
      const p = res.locals.principal as Principal | undefined;
      return p && p.kind !== 'anonymous' ? `p:${p.id}` : `a:${addressKey(req.ip)}`;
    },
    'for this account',
  );
}
