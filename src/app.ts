import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config/config';
import { NotFoundError } from './domain/errors';
import { errorHandler } from './http/errors';
import { authenticate } from './http/middleware/authenticate';
import { addressRateLimit, principalRateLimit } from './http/middleware/rate-limit';
import { requireHost, requireSecureCredentials } from './http/middleware/transport';
import { requireTaxiiAccept } from './http/middleware/negotiation';
import { requestContext } from './http/middleware/request-context';
import { countBodyBytes, requestLog } from './http/middleware/logging';
import { metricsAccess, metricsEndpoint, requestMetrics } from './http/middleware/metrics';
import { opsRoutes } from './http/routes/ops-routes';
import type { Health } from './metrics/health';
import type { Metrics } from './metrics/registry';
import { pollHandlers, taxiiRoutes, type TaxiiServices } from './http/routes/taxii-routes';
import { directLane } from './http/direct-routes';
import { EXPORTS_MOUNT, exportRoutes, exceptExports } from './http/routes/export-routes';
import type { ExportService } from './exports/export-service';
import { reviewRoutes } from './http/routes/review-routes';
import { consoleRoutes } from './http/routes/console-routes';
import type { ConsoleSessions } from './console/sessions';
import type { PartnerAdmin } from './console/partners';
import type { CollectionSummaries } from './console/collection-summary';
import type { ObjectSearch } from './console/object-search';
import type { ReviewService } from './review/review-service';
import { CHANGES_MOUNT, changeRoutes, exceptChangeStream, WEBHOOKS_MOUNT, webhookRoutes } from './http/routes/change-routes';
import type { ChangeService } from './changes/change-service';
import type { WebhookService } from './changes/webhook-service';
import type { AuthService } from './taxii/services/auth-service';

export interface AppDeps extends TaxiiServices {
  config: Config;
  log: Logger;
  auth: AuthService;
  /** Block lists, CSV, MISP feed and bundle downloads under each collection (an extension). */
  exports: ExportService;
  /** The change feed and live stream under each collection (an extension). */
  changes: ChangeService;
  /** Webhook subscriptions under each collection (an extension). */
  webhooks: WebhookService;
  /** Answers the health check: whether the database responds. */
  health: () => Promise<boolean>;
  /** Liveness, readiness and shutdown state (/healthz, /readyz). */
  readiness: Health;
  /** Prometheus metrics; /metrics is served here unless it has a listener of its own. */
  metrics: Metrics;
  /** The curators' review extension (src/review); absent, its routes are not served. */
  review?: ReviewService;
  /** The web console's sessions and partner administration (src/console); absent, or `console.enabled: false`, it is not served. */
  console?: { sessions: ConsoleSessions; partners: PartnerAdmin; summaries: CollectionSummaries; search: ObjectSearch };
}

export interface AppOptions {
  /**
   * Whether GET of objects and manifests takes the direct lane (default true; src/http/direct-routes.ts).
   * Off, every request walks express's router: the tests compare the two.
   */
  directPolls?: boolean;
}

/** The express application, without listen(): tests and the server both build it here. */
export function buildApp(deps: AppDeps, options: AppOptions = {}): Express {
  const { config, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.server.trustProxy);
  app.set('query parser', 'simple');
  // The request log's byte count, on this app's response prototype (nothing added per response).
  countBodyBytes(app.response);

  // Built once: the router and the direct lane for polls (src/http/direct-routes.ts, installed last) share these instances.
  const context = requestContext({ hsts: true });
  const logged = requestLog(log);
  const measured = requestMetrics(deps.metrics, config);
  const shutdown: RequestHandler = (_req, res, next) => {
    // While shutting down, keep-alive connections close after their response.
    if (deps.readiness.shuttingDown) res.setHeader('Connection', 'close');
    next();
  };
  const perAddress = addressRateLimit(config.server.rateLimit);
  // Exports answer text/plain, CSV and JSON to firewalls and MISP: every rule below but the TAXII Accept check.
  // The change stream answers text/event-stream: it skips the TAXII Accept check too.
  const taxiiAccept = requireTaxiiAccept(config.server.acceptLenient);
  const accept = exceptExports(exceptChangeStream(taxiiAccept));
  const secure = requireSecureCredentials({ allowInsecure: config.server.allowInsecureCredentials });
  const authenticated = authenticate(deps.auth);
  const perPrincipal = principalRateLimit(config.server.rateLimit);
  const polls = pollHandlers(deps);

  app.use(context);
  app.use(logged);
  app.use(measured);
  app.use(shutdown);
  app.use(requireHost);
  app.use(opsRoutes(deps.readiness));
  // Outside the TAXII tree, for load balancers and orchestrators.
  app.get('/health', async (_req, res) => {
    const ok = await deps.health();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'database unavailable' });
  });
  app.use(perAddress);
  if (!config.metrics.listen) {
    app.get('/metrics', secure, metricsAccess(deps.auth, config.metrics.token), metricsEndpoint(deps.metrics));
  }
  // The web console answers HTML to browsers, with its own sign-in: outside the TAXII Accept negotiation.
  if (config.console.enabled && deps.console) app.use('/console', consoleRoutes({ ...deps, ...deps.console }));
  app.use(accept);
  app.use(secure);
  app.use(authenticated);
  app.use(perPrincipal);
  app.use(EXPORTS_MOUNT, exportRoutes(deps.exports));
  app.use(CHANGES_MOUNT, changeRoutes(deps.changes, { pollMs: config.changes.streamPollMs, heartbeatMs: config.changes.streamHeartbeatSeconds * 1000 }));
  app.use(WEBHOOKS_MOUNT, webhookRoutes(deps.webhooks));
  app.use(taxiiRoutes(config, deps, polls));
  if (deps.review) app.use(reviewRoutes(deps.review));
  app.use((req, _res, next) => next(new NotFoundError(`There is no TAXII resource at ${req.path}; TAXII discovery is at /taxii2/.`)));
  const errors = errorHandler(log);
  app.use(errors);
  if (options.directPolls !== false) {
    // The lane's paths are never an export or the change stream: the Accept check applies as it is.
    directLane(app, [context, logged, measured, shutdown, perAddress, taxiiAccept, secure, authenticated, perPrincipal], [
      { endpoint: 'objects', handler: polls.objects },
      { endpoint: 'manifest', handler: polls.manifest },
    ], errors);
  }
  return app;
}
