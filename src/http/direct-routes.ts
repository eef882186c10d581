import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * The polls a feed server answers most (GET of a collection's objects or manifest), taken through the
 * same middleware functions, in the same order, as express's router would take them, but called one
 * after the other directly instead of walked through the router's twenty-odd layers. Nothing is skipped
 * that applies to these paths (request context, log, metrics, rate limits, Accept, transport,
 * authentication): the handlers are the very instances the router holds, so limits count once and every
 * header, log line and metric is the same. An error goes to express's error handler through `next(err)`.
 * Any other request, or a path this lane cannot read plainly (percent-encoded, no trailing slash,
 * another method), is left to the router.
 */
export interface DirectRoute {
  /** The last path segment below a collection: `objects` or `manifest`. */
  endpoint: string;
  handler: RequestHandler;
}

const POLL_PATH = /^\/([^/%]+)\/collections\/([^/%]+)\/([a-z]+)\/$/;

export function directRoutes(chain: readonly RequestHandler[], routes: readonly DirectRoute[]): RequestHandler {
  const byEndpoint = new Map(routes.map((r) => [r.endpoint, r.handler]));
  return (req, res, next) => {
    if (req.method !== 'GET') return next();
    const m = POLL_PATH.exec(req.path);
    const handler = m ? byEndpoint.get(m[3]!) : undefined;
    if (!handler) return next();
    req.params = { root: m![1]!, coll: m![2]! };
    run(chain, handler, req, res, next);
  };
}

function run(chain: readonly RequestHandler[], handler: RequestHandler, req: Request, res: Response, fail: NextFunction): void {
  let i = 0;
  const step = (err?: unknown): void => {
    if (err !== undefined && err !== null) return fail(err);
    try {
      if (i < chain.length) return void chain[i++]!(req, res, step);
      // As express 5 does for a route handler: a rejected promise is its error.
      const out = handler(req, res, fail) as unknown;
      if (out instanceof Promise) out.catch(fail);
    } catch (e) {
      fail(e);
    }
  };
  step();
}
