import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import YAML from 'yaml';
import { parseNetwork } from '../common/network';
import { fromRoot, packageRoot } from '../common/paths';

export type Tlp = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

export interface CollectionConfig {
  id: string;
  alias?: string;
  title: string;
  description?: string;
  public: boolean;
  allowCustom: boolean;
  defaultTlp?: Tlp;
  /** Leave relationships and sightings out for readers who may not see one of their endpoints (docs/access-control.md). */
  omitRelationshipsToHidden?: boolean;
  /** An object with a granular TLP marking above the reader's clearance: redacted (default) or left out (docs/access-control.md). */
  granularMarkings?: 'redact' | 'withhold';
}

export interface ApiRootConfig {
  path: string;
  title: string;
  description?: string;
  maxContentLength: number;
  collections: CollectionConfig[];
}

/** A review inbox (src/review): the collection curators post to, and the collections it publishes into. */
export interface ReviewInboxConfig {
  apiRoot: string;
  inboxId: string;
  targets: Array<{ collectionId: string; types?: string[] }>;
}

export interface Config {
  server: {
    title: string;
    description?: string;
    contact?: string;
    defaultApiRoot?: string;
    publicUrl?: string;
    defaultLimit: number;
    maxLimit: number;
    maxPageBytes: number;
    /** Megabytes of serialised pages kept for repeated identical reads (src/cache); 0 turns the page cache off. */
    pageCacheMb: number;
    /**
     * How far V8 lets the heap grow past what the last full collection kept before collecting again, in per
     * cent (src/common/heap.ts); 0 leaves V8's own factor (up to 300 % when collections are cheap).
     */
    heapGrowingPercent: number;
    statusRetentionHours: number;
    emptyEnvelope: 'minimal' | 'explicit';
    acceptLenient: boolean;
    trustProxy: boolean | string | number;
    allowInsecureCredentials: boolean;
    tls?: { cert: string; key: string; ca?: string; requestClientCert: boolean };
    rateLimit: { windowSeconds: number; maxRequests: number; maxRequestsPerAddress: number };
    loginThrottle: { maxFailures: number; windowSeconds: number };
    maxObjectsPerEnvelope: number;
    maxJsonDepth: number;
  };
  /** `setting` names where the URL came from (DATABASE_URL, the file's database.url, ...), for error messages. */
  database: { url: string; setting?: string; poolMax: number; statementTimeoutMs: number; maxWaitMs: number };
  apiRoots: ApiRootConfig[];
  seed: { dir: string; enabled: boolean };
  /** Asynchronous ingest (src/ingest): which POSTs are queued and answered "pending", and how the worker runs. */
  ingest: {
    enabled: boolean;
    asyncFromObjects: number;
    asyncFromBytes: number;
    maxObjectsPerEnvelope: number;
    chunkObjects: number;
    pollMs: number;
    leaseMs: number;
  };
  /** The change feed and live streams (src/changes). */
  changes: {
    deleteRetentionDays: number;
    streamPollMs: number;
    streamHeartbeatSeconds: number;
    maxStreamsPerPrincipal: number;
    /** Webhook subscriptions one principal may hold, across collections (administrators: no limit). */
    maxWebhooksPerPrincipal: number;
    webhookMaxFailures: number;
    webhookBackoffBaseMs: number;
    webhookBackoffMaxSeconds: number;
    webhookPollMs: number;
    webhookTimeoutSeconds: number;
    /** Networks (CIDR) webhook receivers may be in although not public (src/changes/egress.ts). */
    webhookAllowNetworks: string[];
  };
  listen: { host: string; port: number };
  admin?: { user: string; password: string };
  logLevel: string;
  /** /metrics: on the main listener for administrators and the token, or on a listener of its own (docs/operations.md). */
  metrics: { token?: string; listen?: { host: string; port: number } };
  /** SIGTERM: how long readiness fails before the listener closes, and how long in-flight requests may take. */
  shutdown: { delayMs: number; timeoutMs: number };
  review: { fourEyes: boolean; inboxes: ReviewInboxConfig[] };
  /** The web console under /console/ (src/console). */
  console: { enabled: boolean; idleMinutes: number };
  /** The audit log: entries older than this many days are removed hourly (docs/access-control.md). */
  audit: { retentionDays: number };
}

export class ConfigError extends Error {}

/** Reads the config file named by TAXII_CONFIG (default config/default.yaml), validates it, applies env overrides. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const file = env.TAXII_CONFIG ? path.resolve(env.TAXII_CONFIG) : fromRoot('config', 'default.yaml');
  // Every problem with the file is one line that names it.
  const named = `the configuration file ${env.TAXII_CONFIG || file}`;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${named}${env.TAXII_CONFIG ? ' (TAXII_CONFIG)' : ''}: ${reasonOf(e)}`);
  }
  const json = file.endsWith('.json');
  let raw: unknown;
  try {
    raw = json ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    // yaml's message goes on with a code frame over several lines; its first line has the line and column.
    throw new ConfigError(`${named} is not valid ${json ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]!.replace(/:$/, '')}`);
  }
  // An empty file (or one of comments only) is most likely a mount or a copy gone wrong; starting without
  // any API root would serve nothing, so it is refused rather than taken as an empty configuration.
  if (raw === null || raw === undefined) {
    throw new ConfigError(`${named} is empty: it must hold at least api_roots (see config/default.yaml)${env.TAXII_CONFIG ? ', or unset TAXII_CONFIG to use the default' : ''}`);
  }
  return buildConfig(raw, env, named);
}

/** Validates a parsed configuration document and merges the environment overrides. */
export function buildConfig(raw: unknown, env: NodeJS.ProcessEnv = {}, source = 'configuration'): Config {
  const schema = JSON.parse(fs.readFileSync(fromRoot('schemas', 'config.schema.json'), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile(schema);
  if (!validate(raw)) {
    const msgs = (validate.errors ?? []).map((e) => {
      const at = e.instancePath || '(top level)';
      if (e.keyword === 'additionalProperties') return `${at}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
      if (e.keyword === 'enum') return `${at}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
      return `${at}: ${e.message}`;
    });
    throw invalid(source, ...msgs);
  }
  const doc = raw as Record<string, any>;
  const s = doc.server ?? {};
  const db = doc.database ?? {};
  const apiRoots: ApiRootConfig[] = doc.api_roots.map((r: any) => ({
    path: r.path,
    title: r.title,
    description: r.description,
    maxContentLength: r.max_content_length,
    collections: (r.collections ?? []).map((c: any) => ({
      id: c.id,
      alias: c.alias,
      title: c.title,
      description: c.description,
      public: c.public ?? false,
      allowCustom: c.allow_custom ?? false,
      defaultTlp: c.default_tlp,
      omitRelationshipsToHidden: c.omit_relationships_to_hidden ?? false,
      granularMarkings: c.granular_markings ?? 'redact',
    })),
  }));
  checkUnique(apiRoots.map((r) => r.path), 'api_roots[].path', source);
  for (const r of apiRoots) {
    checkUnique(r.collections.map((c) => c.id), `collections[].id in API root "${r.path}"`, source);
    checkUnique(r.collections.flatMap((c) => (c.alias ? [c.alias] : [])), `collections[].alias in API root "${r.path}"`, source);
    checkUnique(r.collections.map((c) => c.title), `collections[].title in API root "${r.path}"`, source);
  }
  checkUnique(apiRoots.flatMap((r) => r.collections.map((c) => c.id)), 'collection ids across API roots', source);
  if (s.default_api_root && !apiRoots.some((r) => r.path === s.default_api_root)) {
    throw invalid(source, `/server/default_api_root: "${s.default_api_root}" is not the path of any API root`);
  }

  const defaultLimit = intEnv(env, 'TAXII_DEFAULT_LIMIT') ?? s.default_limit ?? 1000;
  const maxLimit = intEnv(env, 'TAXII_MAX_LIMIT') ?? s.max_limit ?? 10000;
  if (defaultLimit > maxLimit) throw invalid(source, `/server/default_limit (${defaultLimit}) exceeds max_limit (${maxLimit})`);

  const { url: dbUrl, setting: dbSetting } = databaseUrl(env, db, source);
  const port = intEnv(env, 'PORT') ?? 8000;
  if (port > 65535) throw new ConfigError('PORT must be an integer between 0 and 65535');
  if ((env.TAXII_ADMIN_USER === undefined) !== (env.TAXII_ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('set both TAXII_ADMIN_USER and TAXII_ADMIN_PASSWORD, or neither');
  }
  if (env.TAXII_ADMIN_PASSWORD !== undefined && env.TAXII_ADMIN_PASSWORD.length < 8) {
    throw new ConfigError('TAXII_ADMIN_PASSWORD must be at least 8 characters long');
  }
  const tls = tlsConfig(env, s.tls, source);

  const config: Config = {
    server: {
      title: s.title ?? 'TAXII 2.1 server',
      description: s.description,
      contact: s.contact,
      defaultApiRoot: s.default_api_root ?? apiRoots[0]?.path,
      publicUrl: env.TAXII_PUBLIC_URL ?? s.public_url,
      defaultLimit,
      maxLimit,
      maxPageBytes: s.max_page_bytes ?? 8 * 1024 * 1024,
      pageCacheMb: intEnv(env, 'TAXII_PAGE_CACHE_MB') ?? s.page_cache_mb ?? 16,
      heapGrowingPercent: boundedIntEnv(env, 'TAXII_HEAP_GROWING_PERCENT', 300) ?? s.heap_growing_percent ?? 50,
      statusRetentionHours: s.status_retention_hours ?? 24 * 7,
      emptyEnvelope: (env.TAXII_EMPTY_ENVELOPE as 'minimal' | 'explicit' | undefined) ?? s.empty_envelope ?? 'minimal',
      acceptLenient: s.accept_lenient ?? true,
      trustProxy: env.TAXII_TRUST_PROXY !== undefined ? parseTrustProxy(env.TAXII_TRUST_PROXY) : (s.trust_proxy ?? false),
      allowInsecureCredentials: boolEnv(env, 'TAXII_ALLOW_INSECURE_CREDENTIALS') ?? s.allow_insecure_credentials ?? false,
      tls,
      rateLimit: {
        windowSeconds: s.rate_limit?.window_seconds ?? 60,
        maxRequests: intEnv(env, 'TAXII_RATE_LIMIT') ?? s.rate_limit?.max_requests ?? 6000,
        maxRequestsPerAddress: intEnv(env, 'TAXII_RATE_LIMIT_PER_ADDRESS') ?? s.rate_limit?.max_requests_per_address ?? 12000,
      },
      loginThrottle: {
        maxFailures: s.login_throttle?.max_failures ?? 10,
        windowSeconds: s.login_throttle?.window_seconds ?? 900,
      },
      maxObjectsPerEnvelope: intEnv(env, 'TAXII_MAX_OBJECTS_PER_ENVELOPE') ?? s.max_objects_per_envelope ?? 10000,
      maxJsonDepth: s.max_json_depth ?? 64,
    },
    database: {
      url: dbUrl,
      setting: dbSetting,
      poolMax: intEnv(env, 'DB_POOL_MAX') ?? db.pool_max ?? 10,
      statementTimeoutMs: intEnv(env, 'DB_STATEMENT_TIMEOUT_MS') ?? db.statement_timeout_ms ?? 15000,
      maxWaitMs: intEnv(env, 'DB_MAX_WAIT_MS') ?? db.max_wait_ms ?? 10000,
    },
    apiRoots,
    seed: {
      dir: path.resolve(packageRoot(), doc.seed?.dir ?? 'seed'),
      enabled: boolEnv(env, 'TAXII_SEED') ?? doc.seed?.enabled ?? true,
    },
    ingest: {
      enabled: boolEnv(env, 'TAXII_ASYNC_INGEST') ?? doc.ingest?.enabled ?? true,
      asyncFromObjects: intEnv(env, 'TAXII_ASYNC_FROM_OBJECTS') ?? doc.ingest?.async_from_objects ?? 2000,
      asyncFromBytes: intEnv(env, 'TAXII_ASYNC_FROM_BYTES') ?? doc.ingest?.async_from_bytes ?? 2 * 1024 * 1024,
      maxObjectsPerEnvelope: intEnv(env, 'TAXII_ASYNC_MAX_OBJECTS') ?? doc.ingest?.max_objects_per_envelope ?? 200_000,
      chunkObjects: intEnv(env, 'TAXII_INGEST_CHUNK_OBJECTS') ?? doc.ingest?.chunk_objects ?? 50,
      pollMs: doc.ingest?.poll_ms ?? 500,
      leaseMs: (intEnv(env, 'TAXII_INGEST_LEASE_SECONDS') ?? doc.ingest?.lease_seconds ?? 30) * 1000,
    },
    changes: {
      deleteRetentionDays: doc.changes?.delete_retention_days ?? 90,
      streamPollMs: doc.changes?.stream_poll_ms ?? 500,
      streamHeartbeatSeconds: doc.changes?.stream_heartbeat_seconds ?? 15,
      maxStreamsPerPrincipal: doc.changes?.max_streams_per_principal ?? 4,
      maxWebhooksPerPrincipal: doc.changes?.max_webhooks_per_principal ?? 20,
      webhookMaxFailures: doc.changes?.webhook_max_failures ?? 10,
      webhookBackoffBaseMs: doc.changes?.webhook_backoff_base_ms ?? 1000,
      webhookBackoffMaxSeconds: doc.changes?.webhook_backoff_max_seconds ?? 3600,
      webhookPollMs: doc.changes?.webhook_poll_ms ?? 250,
      webhookTimeoutSeconds: doc.changes?.webhook_timeout_seconds ?? 10,
      webhookAllowNetworks: allowNetworks(doc.changes?.webhook_allow_networks ?? [], source),
    },
    listen: { host: env.HOST ?? '127.0.0.1', port },
    admin: env.TAXII_ADMIN_USER ? { user: env.TAXII_ADMIN_USER, password: env.TAXII_ADMIN_PASSWORD! } : undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    metrics: metricsConfig(env),
    shutdown: { delayMs: (intEnv(env, 'TAXII_SHUTDOWN_DELAY_SECONDS') ?? 0) * 1000, timeoutMs: (intEnv(env, 'TAXII_SHUTDOWN_TIMEOUT_SECONDS') ?? 25) * 1000 },
    review: reviewConfig(doc.review, apiRoots, source),
    console: { enabled: doc.console?.enabled ?? true, idleMinutes: doc.console?.idle_minutes ?? 30 },
    audit: { retentionDays: doc.audit?.retention_days ?? 365 },
  };
  if (!['minimal', 'explicit'].includes(config.server.emptyEnvelope)) {
    throw new ConfigError('TAXII_EMPTY_ENVELOPE must be "minimal" or "explicit"');
  }
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) {
    throw new ConfigError('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
  }
  return deepFreeze(config);
}

/** What DATABASE_URL and database.url accept, for the messages that refuse anything else. */
const ACCEPTED_DATABASE_URLS = 'a SQLite file path (optionally prefixed sqlite: or sqlite://), :memory:, or a postgres:// or postgresql:// URL';

/**
 * The database URL (DATABASE_URL, else the file's database.url, else taxii.sqlite3 in TAXII_DATA_DIR), checked
 * before anything opens it: a scheme this server does not speak is refused instead of becoming a file of that
 * name, and a SQLite file is refused when its folder cannot be there or be written.
 */
function databaseUrl(env: NodeJS.ProcessEnv, db: { url?: string }, source: string): { url: string; setting: string } {
  let url: string;
  let setting: string;
  if (env.DATABASE_URL !== undefined) {
    if (env.DATABASE_URL.trim() === '') {
      throw new ConfigError(`DATABASE_URL is empty: unset it to use the default SQLite file (data/taxii.sqlite3, or in TAXII_DATA_DIR), or set it to ${ACCEPTED_DATABASE_URLS}`);
    }
    [url, setting] = [env.DATABASE_URL, 'DATABASE_URL'];
  } else if (db.url !== undefined) {
    [url, setting] = [db.url, `${source}: database.url`];
  } else if (env.TAXII_DATA_DIR !== undefined) {
    if (env.TAXII_DATA_DIR.trim() === '') throw new ConfigError('TAXII_DATA_DIR is empty: unset it to use data/, or name the folder of the SQLite database');
    [url, setting] = [path.join(path.resolve(env.TAXII_DATA_DIR), 'taxii.sqlite3'), 'TAXII_DATA_DIR'];
  } else {
    [url, setting] = [path.join(packageRoot(), 'data', 'taxii.sqlite3'), 'the default database (set DATABASE_URL or TAXII_DATA_DIR)'];
  }
  const file = sqliteFileOf(url, setting);
  if (file !== undefined && file !== ':memory:') {
    const problem = sqliteFileProblem(file);
    if (problem) throw new ConfigError(`${setting} ${url}: ${problem}`);
  }
  return { url, setting };
}

/**
 * The SQLite file a database URL names (':memory:' for an in-memory database), or undefined for a PostgreSQL
 * URL; any other `scheme://`, an unparsable PostgreSQL URL or a URL naming no file is a ConfigError naming
 * `setting`. createDb reads URLs through it too.
 */
export function sqliteFileOf(url: string, setting = 'DATABASE_URL'): string | undefined {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError(`${setting} ${redactPassword(url)} is not a valid PostgreSQL URL (postgres://user:password@host:port/database)`);
    }
    return undefined;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme && scheme[1]!.toLowerCase() !== 'sqlite') {
    throw new ConfigError(`${setting} ${redactPassword(url)}: unknown scheme "${scheme[1]}://"; it must be ${ACCEPTED_DATABASE_URLS}`);
  }
  const file = url.replace(/^sqlite:(\/\/)?/i, '');
  if (file.trim() === '') throw new ConfigError(`${setting} "${url}" names no file: it must be ${ACCEPTED_DATABASE_URLS}`);
  return file;
}

function redactPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}

/**
 * Why a SQLite database could not be opened and written at `file` (undefined if it can): SQLite needs the file
 * and its folder writable (the WAL and shared-memory files live next to it), and a folder that is missing is
 * created under the nearest one that exists, which must be a writable folder.
 */
function sqliteFileProblem(file: string): string | undefined {
  const abs = path.resolve(file);
  const st = statOrProblem(abs);
  if (typeof st === 'string') return st;
  if (st) {
    if (st.isDirectory()) return `${abs} is a folder, not a SQLite database file`;
    if (!st.isFile()) return `${abs} is not a regular file`;
    const unusable = accessProblem(abs, fs.constants.R_OK | fs.constants.W_OK);
    if (unusable) return `the database file ${abs} cannot be read and written (${unusable})`;
  }
  let dir = path.dirname(abs);
  for (;;) {
    const d = statOrProblem(dir);
    if (typeof d === 'string') return d;
    if (d) {
      if (!d.isDirectory()) return `${dir} is not a folder, so the database cannot be created under it`;
      const unwritable = accessProblem(dir, fs.constants.W_OK | fs.constants.X_OK);
      if (unwritable) return `the folder ${dir} is not writable (${unwritable})`;
      return undefined;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return `no folder of ${abs} exists`;
    dir = parent;
  }
}

/** The stat of `p`, undefined if nothing is there (or a file stands where a folder of the path should), or why it cannot be looked at. */
function statOrProblem(p: string): fs.Stats | undefined | string {
  try {
    return fs.statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return `cannot look at ${p} (${reasonOf(e)})`;
  }
}

/** An operating-system error as "EACCES: permission denied", without the call and path node appends. */
export function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code && err.syscall ? err.message.replace(new RegExp(`, ${err.syscall}\\b.*$`), '') : err.message;
}

function accessProblem(p: string, mode: number): string | undefined {
  try {
    fs.accessSync(p, mode);
    return undefined;
  } catch (e) {
    return reasonOf(e);
  }
}

/**
 * HTTPS from TAXII_TLS_CERT/TAXII_TLS_KEY (and TAXII_TLS_CA) or, when none of them is set, from the file's
 * server.tls: the environment overrides the file, as for every other setting. A certificate without its
 * key (or the reverse) is refused, not served as plain HTTP; a file that cannot be read is refused here by
 * its setting, before anything starts (serve checks what the files hold).
 */
function tlsConfig(env: NodeJS.ProcessEnv, fileTls: any, source: string): Config['server']['tls'] {
  const cert = env.TAXII_TLS_CERT || undefined;
  const key = env.TAXII_TLS_KEY || undefined;
  const ca = env.TAXII_TLS_CA || undefined;
  if (cert === undefined && key === undefined && ca === undefined) {
    if (!fileTls) return undefined;
    // The schema requires server.tls.cert and server.tls.key together.
    const at = (k: string) => `${source}: server.tls.${k}`;
    readable(fileTls.cert, at('cert'));
    readable(fileTls.key, at('key'));
    if (fileTls.ca !== undefined) readable(fileTls.ca, at('ca'));
    return { cert: fileTls.cert, key: fileTls.key, ca: fileTls.ca, requestClientCert: fileTls.request_client_cert ?? false };
  }
  if (cert === undefined && key === undefined) {
    throw new ConfigError('TAXII_TLS_CA is set without TAXII_TLS_CERT and TAXII_TLS_KEY: client certificates need HTTPS; set both, or unset TAXII_TLS_CA');
  }
  if (cert === undefined || key === undefined) {
    throw new ConfigError(`${cert === undefined ? 'TAXII_TLS_KEY is set without TAXII_TLS_CERT' : 'TAXII_TLS_CERT is set without TAXII_TLS_KEY'}: set both for HTTPS, or neither for plain HTTP`);
  }
  readable(cert, 'TAXII_TLS_CERT');
  readable(key, 'TAXII_TLS_KEY');
  if (ca !== undefined) readable(ca, 'TAXII_TLS_CA');
  return { cert, key, ca, requestClientCert: ca !== undefined };
}

function readable(file: string, setting: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    throw new ConfigError(`${setting} ${file}: cannot be read (${reasonOf(e)})`);
  }
  if (!st.isFile()) throw new ConfigError(`${setting} ${file}: is not a file`);
}

function metricsConfig(env: NodeJS.ProcessEnv): Config['metrics'] {
  const token = env.TAXII_METRICS_TOKEN || undefined;
  if (token !== undefined && !/^[\x21-\x7e]{24,256}$/.test(token)) {
    throw new ConfigError('TAXII_METRICS_TOKEN must be 24-256 printable characters without spaces (e.g. openssl rand -hex 24)');
  }
  const listen = env.TAXII_METRICS_LISTEN || undefined;
  if (listen === undefined) return { token };
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(listen);
  if (!m || Number(m[3]) > 65535) throw new ConfigError(`TAXII_METRICS_LISTEN must be host:port, e.g. 127.0.0.1:9464 (got "${listen}")`);
  return { token, listen: { host: m[1] ?? m[2]!, port: Number(m[3]) } };
}

/** Resolves the review inboxes' collection names to ids and checks that they make sense together. */
function reviewConfig(raw: any, apiRoots: ApiRootConfig[], source: string): Config['review'] {
  const bad = (msg: string) => invalid(source, `/review: ${msg}`);
  const inboxes: ReviewInboxConfig[] = [];
  for (const i of raw?.inboxes ?? []) {
    const root = apiRoots.find((r) => r.collections.some((c) => c.id === i.inbox || c.alias === i.inbox));
    if (!root) throw bad(`inbox "${i.inbox}" is not a configured collection`);
    const inbox = root.collections.find((c) => c.id === i.inbox || c.alias === i.inbox)!;
    if (inboxes.some((x) => x.inboxId === inbox.id)) throw bad(`inbox "${i.inbox}" is listed twice`);
    const typed = new Map<string, string>();
    const targets = (i.publishes_into as Array<{ collection: string; types?: string[] }>).map((t) => {
      const c = root.collections.find((x) => x.id === t.collection || x.alias === t.collection);
      if (!c) throw bad(`inbox "${i.inbox}" publishes into "${t.collection}", which is not a collection of API root "${root.path}"`);
      if (c.id === inbox.id) throw bad(`inbox "${i.inbox}" cannot publish into itself`);
      for (const type of t.types ?? []) {
        if (typed.has(type)) throw bad(`type "${type}" of inbox "${i.inbox}" is routed to both "${typed.get(type)}" and "${t.collection}"`);
        typed.set(type, t.collection);
      }
      return { collectionId: c.id, types: t.types };
    });
    inboxes.push({ apiRoot: root.path, inboxId: inbox.id, targets });
  }
  for (const i of inboxes) {
    for (const t of i.targets) if (inboxes.some((x) => x.inboxId === t.collectionId)) throw bad(`collection ${t.collectionId} is both an inbox and a collection an inbox publishes into`);
  }
  return { fourEyes: raw?.four_eyes ?? false, inboxes };
}

function allowNetworks(list: string[], source: string): string[] {
  const bad = list.find((n) => !parseNetwork(n));
  if (bad !== undefined) throw invalid(source, `/changes/webhook_allow_networks: "${bad}" is not an IP address or a CIDR network such as 10.20.0.0/16`);
  return list;
}

/** One line: the document, then each problem, separated by semicolons. */
function invalid(source: string, ...problems: string[]): ConfigError {
  return new ConfigError(`${source} is invalid: ${problems.join('; ')}`);
}

function checkUnique(values: string[], what: string, source: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw invalid(source, `duplicate ${what}: "${v}"`);
    seen.add(v);
  }
}

function intEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new ConfigError(`${name} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

function boundedIntEnv(env: NodeJS.ProcessEnv, name: string, max: number): number | undefined {
  const v = intEnv(env, name);
  if (v !== undefined && v > max) throw new ConfigError(`${name} must be at most ${max}, got "${env[name]}"`);
  return v;
}

function boolEnv(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${v}"`);
}

function parseTrustProxy(v: string): boolean | string | number {
  if (/^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}
