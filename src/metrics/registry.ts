/**
 * The server's Prometheus metrics, framework-free: one registry per runtime (no global default
 * registry), with typed recording methods so that callers cannot invent label names or values.
 * Every label takes its values from a bounded set: route templates (never raw paths), status codes,
 * configured collections, principals created by administrators, validator rule ids, SQL verbs.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Finding } from '../stix/validation-result';

/** Seconds; from a cached anonymous poll (~1 ms) to a 10,000-object page or envelope. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const QUERY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 15];

export type IngestOutcome = 'added' | 'unchanged' | 'rejected';
export type ServedEndpoint = 'objects' | 'manifest' | 'object' | 'versions';

/** Knex-pool occupancy, read at scrape time. */
export interface PoolStats {
  used: number;
  free: number;
  pending: number;
  max: number;
}

export interface MetricsOptions {
  /** Node.js process metrics (CPU, memory, handles, GC, event-loop delay); off in tests that make many registries. */
  processMetrics?: boolean;
  /** Reads the database pool at scrape time. */
  pool?: () => PoolStats | undefined;
  /** Readiness at scrape time (the same check /readyz makes). */
  ready?: () => Promise<boolean>;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly latency: Histogram<'method' | 'route' | 'status'>;
  private readonly inFlight: Gauge;
  private readonly polls: Counter<'principal' | 'collection' | 'endpoint'>;
  private readonly served: Counter<'principal' | 'collection' | 'endpoint'>;
  private readonly ingest: Counter<'collection' | 'outcome'>;
  private readonly validations: Counter<'result'>;
  private readonly rejections: Counter<'rule'>;
  /**
   * Validations not yet added to `validations`, which adds them when it is read: an ingest validates every
   * object, and prom-client hashes the labels of each increment (0.6 % of the ingest's main thread).
   */
  private readonly pendingValidations = { valid: 0, invalid: 0 };
  private readonly authFailures: Counter<'scheme'>;
  private readonly queries: Histogram<'operation' | 'outcome'>;
  /**
   * The labelled children of the hot series, looked up once per label combination (the sets are bounded,
   * see above): prom-client otherwise hashes the label object on every observation.
   */
  private readonly requestSeries = new Map<string, { count: Counter.Internal; time: Histogram.Internal<'method' | 'route' | 'status'> }>();
  private readonly querySeries = new Map<string, Histogram.Internal<'operation' | 'outcome'>>();
  private readonly pollSeries = new Map<string, { polls: Counter.Internal; served: Counter.Internal }>();

  constructor(opts: MetricsOptions = {}) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'taxii_http_requests_total', help: 'HTTP requests answered, by method, route template and status code', labelNames: ['method', 'route', 'status'], registers });
    this.latency = new Histogram({
      name: 'taxii_http_request_duration_seconds',
      help: 'Time from the request reaching the application to the last byte of the response, by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.inFlight = new Gauge({ name: 'taxii_http_requests_in_flight', help: 'Requests being handled now', registers });
    this.polls = new Counter({ name: 'taxii_polls_total', help: 'Successful reads of objects, manifests, one object or its versions, by principal, collection and endpoint', labelNames: ['principal', 'collection', 'endpoint'], registers });
    this.served = new Counter({ name: 'taxii_objects_served_total', help: 'Objects (or manifest entries, or versions) returned by successful reads, by principal, collection and endpoint', labelNames: ['principal', 'collection', 'endpoint'], registers });
    this.ingest = new Counter({ name: 'taxii_ingest_objects_total', help: 'Objects posted to a collection (POST objects), by outcome: added, unchanged (already present) or rejected', labelNames: ['collection', 'outcome'], registers });
    const pending = this.pendingValidations;
    this.validations = new Counter({
      name: 'taxii_stix_validations_total',
      help: 'STIX objects validated, by result (valid or invalid)',
      labelNames: ['result'],
      registers,
      collect() {
        for (const result of ['valid', 'invalid'] as const) {
          if (pending[result] === 0) continue;
          this.inc({ result }, pending[result]);
          pending[result] = 0;
        }
      },
    });
    this.rejections = new Counter({ name: 'taxii_stix_rejections_total', help: 'Validation errors by rule id (one object can break several rules)', labelNames: ['rule'], registers });
    this.authFailures = new Counter({ name: 'taxii_auth_failures_total', help: 'Requests refused for bad credentials (401), by scheme: basic, bearer, token, certificate', labelNames: ['scheme'], registers });
    this.queries = new Histogram({
      name: 'taxii_db_query_duration_seconds',
      help: 'Database statement latency, by SQL verb (select, insert, update, delete, other) and outcome (ok or error)',
      labelNames: ['operation', 'outcome'],
      buckets: QUERY_BUCKETS,
      registers,
    });
    const pool = opts.pool;
    if (pool) {
      new Gauge({
        name: 'taxii_db_pool_connections',
        help: 'Database pool connections by state: used, free, pending (callers waiting for one) and max',
        labelNames: ['state'],
        registers,
        collect() {
          const s = pool();
          if (!s) return;
          for (const state of ['used', 'free', 'pending', 'max'] as const) this.set({ state }, s[state]);
        },
      });
    }
    const ready = opts.ready;
    if (ready) {
      new Gauge({
        name: 'taxii_ready',
        help: '1 when /readyz answers 200 (database reachable, migrations current, not shutting down), else 0',
        registers,
        async collect() {
          this.set((await ready()) ? 1 : 0);
        },
      });
    }
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  requestStarted(): () => void {
    this.inFlight.inc();
    return () => this.inFlight.dec();
  }

  request(method: string, route: string, status: number, seconds: number): void {
    const m = KNOWN_METHODS.has(method) ? method : 'OTHER';
    const key = `${m} ${status} ${route}`;
    let series = this.requestSeries.get(key);
    if (!series) {
      const labels = { method: m, route, status: String(status) };
      series = { count: this.requests.labels(labels), time: this.latency.labels(labels) };
      this.requestSeries.set(key, series);
    }
    series.count.inc();
    series.time.observe(seconds);
  }

  poll(principal: string, collection: string, endpoint: ServedEndpoint, objects: number): void {
    const key = `${endpoint}\u0000${collection}\u0000${principal}`;
    let series = this.pollSeries.get(key);
    if (!series) {
      const labels = { principal, collection, endpoint };
      series = { polls: this.polls.labels(labels), served: this.served.labels(labels) };
      this.pollSeries.set(key, series);
    }
    series.polls.inc();
    series.served.inc(objects);
  }

  ingested(collection: string, outcome: IngestOutcome, objects: number): void {
    if (objects > 0) this.ingest.inc({ collection, outcome }, objects);
  }

  validated(valid: boolean, errors: readonly Finding[]): void {
    this.pendingValidations[valid ? 'valid' : 'invalid']++;
    if (errors.length === 0) return;
    // One count per rule per object, so that a rule broken on 50 list items counts once.
    for (const rule of new Set(errors.map((e) => e.rule))) this.rejections.inc({ rule });
  }

  authFailed(scheme: string): void {
    this.authFailures.inc({ scheme });
  }

  query(operation: string, seconds: number, ok: boolean): void {
    const key = ok ? operation : `${operation} error`;
    let series = this.querySeries.get(key);
    if (!series) {
      series = this.queries.labels({ operation, outcome: ok ? 'ok' : 'error' });
      this.querySeries.set(key, series);
    }
    series.observe(seconds);
  }
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
