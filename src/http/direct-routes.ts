import type { ErrorRequestHandler, Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { knownRoute } from './middleware/logging';
import { routeTemplate } from './route-template';

/**
 * The polls a feed server answers most (GET of a collection's objects or manifest), taken through the
 * same middleware functions, in the same order, as express's router would take them, but called one
 * after the other directly, before the router: the application's `handle` (what express runs for every
 * request) is wrapped so that these paths are prepared as express prepares any request (its request and
 * response prototypes, `res.locals`, `req.baseUrl`, `req.originalUrl`) and then go straight down the chain,
 * instead of through the router's dispatch and its twenty-odd layers. Nothing is skipped that applies to
 * these paths (request context, log, metrics, rate limits, Accept, transport, authentication): the
 * handlers are the very instances the router holds, so limits count once and every header, log line and
 * metric is the same. An error goes to the application's error handler. Any other request, or a path this
 * lane cannot read plainly (a character outside letters, digits and `-._~`, no trailing slash, another
 * method), is left to express.
 */
export interface DirectRoute {
  /** The last path segment below a collection: `objects` or `manifest`. */
  endpoint: string;
  handler: RequestHandler;
}

/** The route template of every path this lane takes for an endpoint, worked out once from route-template.ts. */
const templateOf = (endpoint: string) => routeTemplate(`/root/collections/id/${endpoint}/`);

/** `/{root}/collections/{id}/{endpoint}/`, then the query or nothing. */
const POLL_PATH = /^\/([\w.~-]+)\/collections\/([\w.~-]+)\/([a-z]+)\/(?:\?|$)/;

type Handle = (req: IncomingMessage, res: ServerResponse, callback?: NextFunction) => void;

/** Wraps `app.handle` so that the polls named by `routes` run `chain` then their handler directly. */
export function directLane(app: Express, chain: readonly RequestHandler[], routes: readonly DirectRoute[], onError: ErrorRequestHandler): void {
  const byEndpoint = new Map(routes.map((r) => [r.endpoint, { handler: r.handler, template: templateOf(r.endpoint) }]));
  const target = app as unknown as { handle: Handle; request: object; response: object };
  const handle = target.handle;
  target.handle = function (this: unknown, req, res, callback) {
    // A mounted application (callback given) or another request: express's own dispatch.
    const m = callback === undefined && req.method === 'GET' ? POLL_PATH.exec(req.url ?? '') : null;
    const route = m ? byEndpoint.get(m[3]!) : undefined;
    if (!route) return handle.call(this, req, res, callback);
    const request = req as Request;
    const response = res as Response;
    // What express's application and router set up for every request.
    request.res = response;
    response.req = request;
    Object.setPrototypeOf(req, target.request);
    Object.setPrototypeOf(res, target.response);
    response.locals ??= Object.create(null);
    request.baseUrl = '';
    request.originalUrl ??= request.url;
    request.params = { root: m![1]!, coll: m![2]! };
    // What the request log and the metrics label it with, known from the match (no second path match).
    knownRoute(request, route.template);
    run(chain, route.handler, request, response, (err) => onError(err, request, response, () => lastResort(response)));
  };
}

/** Only if the error handler itself gave up: no answer can be trusted any more. */
function lastResort(res: Response): void {
  if (!res.headersSent) res.statusCode = 500;
  res.destroy();
}

function run(chain: readonly RequestHandler[], handler: RequestHandler, req: Request, res: Response, fail: (err: unknown) => void): void {
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
