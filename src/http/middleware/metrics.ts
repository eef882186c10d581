/** Feeds the request metrics (src/metrics) from express: one observation per finished or aborted request. */
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Config } from '../../config/config';
import { ForbiddenError, UnauthorizedError } from '../../domain/errors';
import type { StatusResource } from '../../domain/types';
import type { Metrics, ServedEndpoint } from '../../metrics/registry';
import type { Principal } from '../../taxii/access';
import type { AuthService } from '../../taxii/services/auth-service';
import { authScheme, requestPath, routeOf } from './logging';
import { whenDone } from './when-done';

const SERVED: Record<string, ServedEndpoint> = {
  '/{root}/collections/{id}/objects/': 'objects',
  '/{root}/collections/{id}/manifest/': 'manifest',
  '/{root}/collections/{id}/objects/{object_id}/': 'object',
  '/{root}/collections/{id}/objects/{object_id}/versions/': 'versions',
};

/** The configured collection a path names (by id or alias), as one label: its alias, else its id. */
function collectionLabel(config: Config, path: string): string | undefined {
  const [, root, , coll] = path.split('/');
  const c = config.apiRoots.find((r) => r.path === root)?.collections.find((x) => x.id === coll?.toLowerCase() || x.alias === coll);
  return c ? (c.alias ?? c.id) : undefined;
}

/** collectionLabel, remembered for up to MAX_REMEMBERED_PATHS paths that name a configured collection (the polls' paths first of all). */
function labeller(config: Config): (path: string) => string | undefined {
  const known = new Map<string, string>();
  return (path) => {
    let label = known.get(path);
    if (label === undefined) {
      label = collectionLabel(config, path);
      if (label !== undefined && known.size < MAX_REMEMBERED_PATHS) known.set(path, label);
    }
    return label;
  };
}

/** Paths whose label is remembered; past it, labels are worked out again for new paths (object paths are as many as objects). */
const MAX_REMEMBERED_PATHS = 4096;

export function requestMetrics(metrics: Metrics, config: Config): RequestHandler {
  const label = labeller(config);
  return (req, res, next) => {
    const start = performance.now();
    const done = metrics.requestStarted();
    whenDone(res, () => {
      done();
      const route = routeOf(req);
      metrics.request(req.method, route, res.statusCode, (performance.now() - start) / 1000);
      if (res.statusCode === 401 && route !== '/metrics') metrics.authFailed(authScheme(req));
      observeContent(metrics, label, req.method, requestPath(req), route, res);
    });
    next();
  };
}

function observeContent(metrics: Metrics, labelOf: (path: string) => string | undefined, method: string, path: string, route: string, res: Response): void {
  const endpoint = SERVED[route];
  if (method === 'GET' && endpoint && res.statusCode === 200 && typeof res.locals.served === 'number') {
    const collection = labelOf(path);
    const principal = (res.locals.principal as Principal | undefined)?.name ?? 'anonymous';
    if (collection) metrics.poll(principal, collection, endpoint, res.locals.served);
  }
  const status = res.locals.ingested as StatusResource | undefined;
  if (method === 'POST' && status) {
    const collection = labelOf(path);
    if (!collection) return;
    const unchanged = status.successes.filter((s) => s.message?.startsWith('already present')).length;
    metrics.ingested(collection, 'added', status.success_count - unchanged);
    metrics.ingested(collection, 'unchanged', unchanged);
    metrics.ingested(collection, 'rejected', status.failure_count);
  }
}

/**
 * Who may read /metrics on the main listener: a caller presenting the dedicated metrics token
 * (Authorization: Bearer), or an administrator. Unauthenticated callers get a 401, others a 403.
 */
export function metricsAccess(auth: AuthService, token: string | undefined): RequestHandler {
  const expected = token ? Buffer.from(token) : undefined;
  return (req, res, next) => {
    const header = req.get('Authorization');
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (expected && m) {
      const given = Buffer.from(m[1]!);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    }
    auth.authenticate(header, { remoteAddress: req.ip }).then((principal) => {
      res.locals.principal = principal;
      if (principal.kind === 'anonymous') return next(new UnauthorizedError('The metrics need an administrator’s credentials or the metrics token (Authorization: Bearer).'));
      if (!principal.isAdmin) return next(new ForbiddenError('Only administrators (or the metrics token) may read the metrics.'));
      next();
    }, next);
  };
}

/** GET /metrics: the Prometheus text exposition. */
export function metricsEndpoint(metrics: Metrics): RequestHandler {
  return (_req, res, next) => {
    metrics.text().then((text) => {
      res.status(200).setHeader('Content-Type', metrics.contentType);
      res.end(text);
    }, next);
  };
}
