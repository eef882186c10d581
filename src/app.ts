import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config/config';
import { NotFoundError } from './domain/errors';
import { errorHandler } from './http/errors';
import { authenticate } from './http/middleware/authenticate';
import { addressRateLimit, principalRateLimit } from './http/middleware/rate-limit';
import { requireSecureCredentials } from './http/middleware/transport';
import { requireTaxiiAccept } from './http/middleware/negotiation';
import { requestContext } from './http/middleware/request-context';
import { taxiiRoutes, type TaxiiServices } from './http/routes/taxii-routes';
import { EXPORTS_MOUNT, exportRoutes, exceptExports } from './http/routes/export-routes';
import type { ExportService } from './exports/export-service';
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
}

/** The express application, without listen(): tests and the server both build it here. */
export function buildApp(deps: AppDeps): Express {
  const { config, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.server.trustProxy);
  app.set('query parser', 'simple');

  app.use(requestContext({ hsts: true }));
  // Outside the TAXII tree, for load balancers and orchestrators.
  app.get('/health', async (_req, res) => {
    const ok = await deps.health();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'database unavailable' });
  });
  app.use(addressRateLimit(config.server.rateLimit));
  // Exports answer text/plain, CSV and JSON to firewalls and MISP: every rule below but the TAXII Accept check.
  // The change stream answers text/event-stream: it skips the TAXII Accept check too.
  app.use(exceptExports(exceptChangeStream(requireTaxiiAccept(config.server.acceptLenient))));
  app.use(requireSecureCredentials({ allowInsecure: config.server.allowInsecureCredentials }));
  app.use(authenticate(deps.auth));
  app.use(principalRateLimit(config.server.rateLimit));
  app.use(EXPORTS_MOUNT, exportRoutes(deps.exports));
  app.use(CHANGES_MOUNT, changeRoutes(deps.changes, { pollMs: config.changes.streamPollMs, heartbeatMs: config.changes.streamHeartbeatSeconds * 1000 }));
  app.use(WEBHOOKS_MOUNT, webhookRoutes(deps.webhooks));
  app.use(taxiiRoutes(config, deps));
  app.use((req, _res, next) => next(new NotFoundError(`There is no TAXII resource at ${req.path}; TAXII discovery is at /taxii2/.`)));
  app.use(errorHandler(log));
  return app;
}
