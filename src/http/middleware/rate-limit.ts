import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { TooManyRequestsError } from '../../domain/errors';
import type { Principal } from '../../taxii/access';

interface Limits {
  windowSeconds: number;
  maxRequests: number;
  maxRequestsPerAddress: number;
}

function limiter(windowSeconds: number, max: number, key: (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => string, who: string): RequestHandler {
  return rateLimit({
    windowMs: windowSeconds * 1000,
    limit: max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: key,
    handler: (req, _res, next) => {
      const reset = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retry = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + windowSeconds * 1000) - Date.now()) / 1000));
      next(new TooManyRequestsError(`More than ${max} requests in ${windowSeconds} seconds ${who}; retry in ${retry} seconds.`, retry));
    },
  });
}

/** Per client address, before authentication, so that unauthenticated floods are cut off cheaply. */
export function addressRateLimit(l: Limits): RequestHandler {
  return limiter(l.windowSeconds, l.maxRequestsPerAddress, (req) => ipKeyGenerator(req.ip ?? ''), 'from this address');
}

/** Per authenticated principal (every token and password of one user share a budget); anonymous callers per address. */
export function principalRateLimit(l: Limits): RequestHandler {
  return limiter(
    l.windowSeconds,
    l.maxRequests,
    (req, res) => {
      const p = res.locals.principal as Principal | undefined;
      return p && p.kind !== 'anonymous' ? `p:${p.id}` : `a:${ipKeyGenerator(req.ip ?? '')}`;
    },
    'for this account',
  );
}
