import { PageCache } from './cache/page-cache';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Express } from 'express';
import pino, { type Logger } from 'pino';
import { buildApp } from './app';
import type { Config } from './config/config';
import type { ObjectValidator } from './stix/validation-result';
import { createStixValidator } from './stix/validator';
import { createDb, migrateLatest, migrationsCurrent, observeQueries, ping, poolStats, type Db } from './store/db';
import { countingValidator } from './metrics/counting-validator';
import { Health } from './metrics/health';
import { Metrics } from './metrics/registry';
import { CollectionStore } from './store/collection-store';
import { ObjectStore } from './store/object-store';
import { SettingsStore } from './store/settings-store';
import { StatusStore } from './store/status-store';
import { UserStore } from './store/user-store';
import { AuditStore } from './store/audit-store';
import { PrincipalStore } from './store/principal-store';
import { ReviewStore } from './store/review-store';
import { ReviewService } from './review/review-service';
import { SessionStore } from './store/session-store';
import { ConsoleSessions } from './console/sessions';
import { PartnerAdmin } from './console/partners';
import { CollectionSummaries } from './console/collection-summary';
import { ObjectSearch } from './console/object-search';
import { type AccessPolicy, type Principal } from './taxii/access';
import { GrantPolicy } from './taxii/grant-policy';
import { StandingAccess, type Subscriber } from './taxii/standing-access';
import { LoginThrottle } from './taxii/login-throttle';
import { TokenService } from './taxii/token-service';
import { AuditService } from './taxii/services/audit-service';
import { CursorCodec } from './taxii/pagination';
import { AuthService, hashPassword, verifyPassword, type TokenResolver } from './taxii/services/auth-service';
import { CollectionService } from './taxii/services/collection-service';
import { ObjectService } from './taxii/services/object-service';
import { StatusService } from './taxii/services/status-service';
import { ExportService } from './exports/export-service';
import { ChangeService } from './changes/change-service';
import { ChangeStore } from './store/change-store';
import { WebhookStore } from './store/webhook-store';
import { WebhookDispatcher, WebhookService } from './changes/webhook-service';
import { EgressPolicy } from './changes/egress';
import { ChangeMetrics } from './changes/metrics';
import { IngestQueueStore } from './store/ingest-queue-store';
import { AsyncIngest } from './ingest/ingest-queue';
import { IngestWorker } from './ingest/ingest-worker';

/** Everything a running server (or a command-line action) needs, wired once. */
export interface Runtime {
  config: Config;
  log: Logger;
  db: Db;
  stores: {
    objects: ObjectStore;
    statuses: StatusStore;
    users: UserStore;
    collections: CollectionStore;
    settings: SettingsStore;
    principals: PrincipalStore;
    audit: AuditStore;
    review: ReviewStore;
    changes: ChangeStore;
    webhooks: WebhookStore;
    ingest: IngestQueueStore;
  };
  services: { collections: CollectionService; objects: ObjectService; statuses: StatusService; auth: AuthService; tokens: TokenService; audit: AuditService; review: ReviewService };
  app: Express;
  metrics: Metrics;
  /** Readiness and the shutting-down flag. */
  health: Health;
  /** The change feed and streams (src/changes). */
  changes: ChangeService;
  /** Webhook subscriptions and their delivery (started by `serve`, src/changes). */
  webhooks: { service: WebhookService; dispatcher: WebhookDispatcher };
  /** Asynchronous ingest (src/ingest): the queue POST and `import --queue` use, and this process's worker (started by `serve`). */
  ingest: { queue: AsyncIngest; worker: IngestWorker };
  /** The hourly pruning of every process: deletion events and audit entries past their retention (failures logged). */
  prune(): Promise<void>;
  close(): Promise<void>;
}

export const SYSTEM: Principal = Object.freeze({ id: 'system', name: 'system', kind: 'user', isAdmin: true, maxTlp: 'red' });

export interface RuntimeOptions {
  log?: Logger;
  validator?: ObjectValidator;
  /** Who may do what; default: grants from the store (GrantPolicy). */
  policy?: AccessPolicy;
  /** How API tokens map to principals; default: the store's tokens (TokenService). */
  tokens?: TokenResolver;
  /** Node.js process metrics in the registry (default true). */
  processMetrics?: boolean;
  /** Polls through the direct lane (default true; src/http/direct-routes.ts). */
  directPolls?: boolean;
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, redact: { paths: ['req.headers.authorization', 'password', 'token'], censor: '[redacted]' } });
}

/** Opens the database, applies migrations, registers collections and the configured administrator. */
export async function createRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const log = opts.log ?? createLogger(config);
  const db = createDb({ ...config.database, onBackgroundError: (message, err) => log.warn({ err }, message) });
  try {
    await migrateLatest(db, undefined, (names) => log.info({ migrations: names }, `applying ${names.length} database migration(s); on a large database this can take a minute`));
  } catch (e) {
    await db.close().catch(() => undefined);
    throw new StartupError(`cannot open or migrate the database ${redactUrl(config.database.url)}: ${(e as Error).message}`);
  }
  const health = new Health({ migrationsCurrent: () => migrationsCurrent(db) });
  const metrics = new Metrics({ processMetrics: opts.processMetrics, pool: () => poolStats(db), ready: async () => (await health.check()).ready });
  observeQueries(db, (op, seconds, ok) => metrics.query(op, seconds, ok));
  const objectStore = new ObjectStore(db);
  const stores = {
    objects: objectStore,
    statuses: new StatusStore(db),
    users: new UserStore(db),
    collections: new CollectionStore(db),
    settings: new SettingsStore(db),
    principals: new PrincipalStore(db),
    audit: new AuditStore(db),
    review: new ReviewStore(db, objectStore, new Set(config.review.inboxes.map((i) => i.inboxId))),
    changes: new ChangeStore(db),
    webhooks: new WebhookStore(db),
    ingest: new IngestQueueStore(db),
  };
  // Versions posted to a review inbox become submissions in the same transaction.
  stores.objects.observe(stores.review.recordSubmissions);
  stores.objects.ensurePlannerStats();
  await stores.collections.ensure(config.apiRoots.flatMap((r) => r.collections.map((c) => ({ id: c.id, apiRoot: r.path }))));
  if (config.admin) {
    const existing = await stores.users.findByName(config.admin.user);
    if (!existing || !existing.isAdmin || existing.disabled || !(await verifyPassword(config.admin.password, existing.passwordHash))) {
      await stores.users.upsert({ username: config.admin.user, passwordHash: await hashPassword(config.admin.password), isAdmin: true, maxTlp: 'red' });
      log.info({ user: config.admin.user }, 'administrator created or updated from TAXII_ADMIN_USER');
    }
  }
  const cursors = new CursorCodec(await stores.settings.cursorSecret());
  const policy = opts.policy ?? new GrantPolicy(stores.principals);
  const collections = new CollectionService(config, policy);
  const queue = new AsyncIngest(config, stores.ingest);
  const objects = new ObjectService(config, collections, stores.objects, stores.statuses, cursors, countingValidator(opts.validator ?? createStixValidator(), metrics), config.ingest.enabled ? queue : undefined, new PageCache({ maxEntries: 512, maxBytes: config.server.pageCacheMb * 1024 * 1024 }));
  const statuses = new StatusService(collections, stores.statuses, (id) => stores.ingest.status(id));
  // Objects stored by the worker count in the ingest metrics as those of a synchronous POST do.
  const ingestWorker = new IngestWorker(config, stores.ingest, objects, log, (p) => {
    const unchanged = p.successes.filter((d) => d.message?.startsWith('already present')).length;
    const label = p.collection.alias ?? p.collection.id;
    metrics.ingested(label, 'added', p.successes.length - unchanged);
    metrics.ingested(label, 'unchanged', unchanged);
    metrics.ingested(label, 'rejected', p.failures.length);
  });
  queue.onQueued(() => ingestWorker.kick());
  const tokens = new TokenService(stores.principals);
  const throttle = new LoginThrottle({ maxFailures: config.server.loginThrottle.maxFailures, windowMs: config.server.loginThrottle.windowSeconds * 1000 });
  const auth = new AuthService(stores.users, { tokens: opts.tokens ?? tokens, certificates: stores.principals, throttle, revisions: stores.principals });
  const audit = new AuditService(stores.audit);
  const review = new ReviewService(config, collections, policy, stores.review, audit);
  const services = { collections, objects, statuses, auth, tokens, audit, review };
  const consoleParts = config.console.enabled
    ? {
        sessions: new ConsoleSessions(auth, { findUserById: (id) => stores.principals.findUserById(id), findByName: (name) => stores.users.findByName(name) }, new SessionStore(db), { idleMs: config.console.idleMinutes * 60_000 }),
        partners: new PartnerAdmin(config, stores.users, stores.principals, tokens, audit),
        summaries: new CollectionSummaries(collections, stores.objects),
        search: new ObjectSearch(collections, stores.objects),
      }
    : undefined;
  const exportService = new ExportService(collections, stores.objects);
  const changeMetrics = new ChangeMetrics(metrics.registry);
  // Long-lived readers (change streams, webhooks) are held to their access as it stands, not as it was.
  const standing = new StandingAccess(config, policy, stores.principals);
  const standingView = (s: Subscriber) => standing.view(s);
  const changes = new ChangeService(config, collections, stores.changes, cursors, changeMetrics, stores.objects, standingView);
  const egress = new EgressPolicy(config.changes.webhookAllowNetworks);
  const webhooks = {
    service: new WebhookService(collections, stores.webhooks, stores.changes, egress, config.changes.maxWebhooksPerPrincipal),
    dispatcher: new WebhookDispatcher(stores.webhooks, stores.changes, {
      ...WebhookDispatcher.optionsFrom(config),
      egress,
      standing: standingView,
      onDelivery: (e) => (e.ok ? log.debug(e, 'webhook delivered') : log.warn(e, 'webhook delivery failed')),
    }, changeMetrics),
  };
  const app = buildApp({ config, log, ...services, exports: exportService, console: consoleParts, changes, webhooks: webhooks.service, health: () => ping(db), readiness: health, metrics }, { directPolls: opts.directPolls });
  // Deletion events (src/changes/README.md) and audit entries past their retention go hourly.
  const prune = async () => {
    await changes.prune().catch((err) => log.warn({ err }, 'pruning the change log failed'));
    await audit
      .prune(config.audit.retentionDays)
      .then((removed) => removed > 0 && log.info({ removed, retentionDays: config.audit.retentionDays }, 'audit log entries past their retention removed'))
      .catch((err) => log.warn({ err }, 'pruning the audit log failed'));
  };
  const pruning = setInterval(() => void prune(), 3600_000);
  pruning.unref();
  const close = async () => {
    clearInterval(pruning);
    await ingestWorker.stop();
    await webhooks.dispatcher.stop();
    await db.close();
  };
  return { config, log, db, stores, services, app, metrics, health, changes, webhooks, ingest: { queue, worker: ingestWorker }, prune, close };
}

export class StartupError extends Error {}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

/** Imports every bundle in seed/<collection alias or id>/ into that collection; idempotent. */
export async function importSeed(rt: Runtime): Promise<{ added: number; unchanged: number; failed: number }> {
  const totals = { added: 0, unchanged: 0, failed: 0 };
  const dir = rt.config.seed.dir;
  if (!rt.config.seed.enabled || !fs.existsSync(dir)) return totals;
  for (const root of rt.config.apiRoots) {
    for (const c of root.collections) {
      const folder = [c.alias, c.id].filter(Boolean).map((n) => path.join(dir, n!)).find((f) => fs.existsSync(f));
      if (!folder) continue;
      for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
        const r = await importFile(rt, root.path, c.id, path.join(folder, file));
        totals.added += r.added;
        totals.unchanged += r.unchanged;
        totals.failed += r.failed;
      }
    }
  }
  return totals;
}

export async function importFile(rt: Runtime, root: string, collection: string, file: string): Promise<{ added: number; unchanged: number; failed: number; failures: string[] }> {
  const text = fs.readFileSync(file, 'utf8');
  const status = await rt.services.objects.addObjects(SYSTEM, root, collection, text, { recordStatus: false });
  const unchanged = status.successes.filter((s) => s.message?.startsWith('already present')).length;
  const result = {
    added: status.success_count - unchanged,
    unchanged,
    failed: status.failure_count,
    failures: status.failures.map((f) => `${f.id}: ${f.message}`),
  };
  rt.log.info({ file: path.basename(file), collection, ...result, failures: undefined }, 'imported bundle');
  for (const f of result.failures) rt.log.warn({ file: path.basename(file) }, `not imported: ${f}`);
  return result;
}

/** Finds an API root path and collection id for an id or alias anywhere in the configuration. */
export function findCollection(config: Config, idOrAlias: string): { root: string; id: string } | undefined {
  for (const r of config.apiRoots) {
    const c = r.collections.find((x) => x.id === idOrAlias.toLowerCase() || x.alias === idOrAlias);
    if (c) return { root: r.path, id: c.id };
  }
  return undefined;
}

