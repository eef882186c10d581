import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrations } from '../../migrations';
import { ConfigError, reasonOf, sqliteFileOf } from '../config/config';
import { PlannerStats } from './planner-stats';
import { CheckpointThread, WalCheckpoints, type WriterHold } from './sqlite-checkpoint';
import { isConnectionLost } from './unavailable';

export { databaseUnavailable, isDatabaseUnavailable } from './unavailable';
import { runPostgres } from './statements';

export type Dialect = 'sqlite' | 'postgres';

export interface DbOptions {
  /** A PostgreSQL URL or a SQLite file (see sqliteFileOf); '' is a temporary SQLite database. */
  url: string;
  /** Where the URL came from (default DATABASE_URL), named when it cannot be used. */
  setting?: string;
  poolMax?: number;
  statementTimeoutMs?: number;
  /**
   * The longest a request waits for the database in any failure (default 10 s): for a pooled connection,
   * for a new connection to be opened, for the answer to each statement (on PostgreSQL also when the
   * network silently drops everything, the connection then being discarded) and for SQLite's write lock.
   */
  maxWaitMs?: number;
  /** Told of a failure of work the store does in the background (planner statistics, WAL checkpoints). */
  onBackgroundError?: (message: string, err: unknown) => void;
  /** SQLite: quiet time after the last bulk write before the WAL is checkpointed (default 2 s). */
  idleCheckpointMs?: number;
  /** SQLite: rows committed before a background checkpoint starts, and before the WAL is started again (see WalCheckpoints). */
  walCheckpointRows?: { start: number; wait: number };
}

export interface Db {
  knex: Knex;
  dialect: Dialect;
  /**
   * Runs a query that returns rows, outside any transaction, and returns them. The hot read paths
   * (authentication, pages) go through here, skipping knex's per-query runner work (about 0.1 ms of CPU
   * a query, more than an indexed SQLite lookup itself). On a SQLite file it runs on a read-only
   * connection of its own with the statement prepared once, so reads go on while a write transaction is
   * open (they see the last commit, never a half-written request). On PostgreSQL it runs on a connection
   * of knex's pool. An in-memory SQLite database is read through knex as usual.
   */
  select<T = any>(query: Knex.QueryBuilder): Promise<T[]>;
  /**
   * Like select, for a fixed SQL text written once (with `?` placeholders) instead of a query built per
   * call: the hottest small reads skip knex's query building as well as its runner.
   */
  selectSql<T = any>(sql: string, bindings: readonly unknown[]): Promise<T[]>;
  /**
   * Tells the store that a bulk write committed `rows` rows to `table`: on PostgreSQL it keeps the planner
   * statistics in step (PlannerStats); on a SQLite file it checkpoints the WAL once writing pauses.
   */
  wrote(table: string, rows: number): void;
  /**
   * SQLite file only: moves the WAL into the database file now (PASSIVE). Long-running writers call it
   * between transactions, so that no commit crosses the autocheckpoint limit and copies tens of MB while
   * holding the event loop (a checkpoint runs synchronously, its cost growing with the WAL).
   */
  checkpoint?(): Promise<void>;
  /** PostgreSQL only: refreshes the planner's statistics as writes change the tables (see PlannerStats). */
  plannerStats?: PlannerStats;
  /** Waits for background work (an ANALYZE under way), then closes every connection. */
  close(): Promise<void>;
}

// int8 values (date_added in microseconds, sequence numbers) stay below 2^53: read them as numbers.
pg.types.setTypeParser(20, (v: string) => Number(v));

/** Like psql: without a user in the URL, connect as PGUSER or the operating-system user. */
export function withDefaultUser(url: string): string {
  const u = new URL(url);
  if (!u.username) u.username = process.env.PGUSER || os.userInfo().username;
  return u.toString();
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export const DEFAULT_MAX_WAIT_MS = 10_000;

export function createDb(options: DbOptions): Db {
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const report = options.onBackgroundError ?? ((message, err) => process.stderr.write(`${message}: ${(err as Error).message}\n`));
  if (isPostgresUrl(options.url)) {
    const timeout = options.statementTimeoutMs ?? 15000;
    const knex = knexFactory({
      client: 'pg',
      connection: {
        connectionString: withDefaultUser(options.url),
        statement_timeout: timeout || undefined,
        connectionTimeoutMillis: Math.min(5000, maxWaitMs),
        // Client-side: the server's statement_timeout cannot help when the network drops everything.
        query_timeout: maxWaitMs,
        keepAlive: true,
        // node-postgres's pipeline mode: queries issued together on one connection go out at once instead of
        // one per answer (the ingest's statements, ObjectWrites.writePostgres). Queries awaited one by one
        // behave as without it; a read timeout ends the connection either way (discardOnReadTimeout).
        pipeline: true,
      } as never,
      pool: {
        min: 0,
        max: options.poolMax ?? 10,
        afterCreate: (conn: pg.Client, done: (err: Error | null, conn: unknown) => void) => {
          discardOnReadTimeout(conn);
          done(null, conn);
        },
      },
      acquireConnectionTimeout: maxWaitMs,
      log: quietAcquireErrors,
    });
    // selectSql's texts are the store's fixed constants: each is rewritten to $n placeholders once.
    const rewritten = new Map<string, string>();
    const positioned = (sql: string): string => {
      let out = rewritten.get(sql);
      if (out === undefined) {
        out = (knex.client as unknown as { positionBindings(sql: string): string }).positionBindings(sql);
        rewritten.set(sql, out);
      }
      return out;
    };
    const plannerStats = new PlannerStats(knex, (table, err) => report(`refreshing the planner statistics of ${table} failed`, err));
    return {
      knex,
      dialect: 'postgres',
      select: (query) => selectOnPooledConnection(knex, query),
      selectSql: (sql, bindings) => selectFixedOnPooledConnection(knex, positioned(sql), bindings),
      wrote: (table, rows) => plannerStats.wrote(table, rows),
      plannerStats,
      close: async () => {
        await plannerStats.idle();
        await knex.destroy();
      },
    };
  }
  const setting = options.setting ?? 'DATABASE_URL';
  const filename = options.url === '' ? '' : sqliteFileOf(options.url, setting)!;
  if (filename !== ':memory:' && filename !== '') makeFolder(path.dirname(path.resolve(filename)), `${setting} ${options.url}`);
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    log: quietAcquireErrors,
    acquireConnectionTimeout: maxWaitMs,
    // SQLite has one writer; a single connection per process serialises this process's writes, and
    // busy_timeout makes other processes wait for the lock instead of failing.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: { pragma(s: string, o?: { simple: boolean }): unknown }, done: (err: Error | null, conn: unknown) => void) => {
        try {
          // Only a new, empty database takes it (before its first page is written); others keep theirs.
          conn.pragma(`page_size = ${NEW_DATABASE_PAGE_SIZE}`);
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          conn.pragma(`busy_timeout = ${maxWaitMs}`);
          conn.pragma('foreign_keys = ON');
          // A multi-row INSERT inside a transaction keeps a statement journal (to undo that statement
          // alone); past 64 KB SQLite spills it to a file it creates and deletes in the temporary folder,
          // once per insert batch of an ingest. In memory, a million-object ingest took 42-44 instead of
          // 45-46 µs of main-thread CPU per object (docs/performance.md, eighteenth pass). The reader
          // connection keeps the default, so a large sort of a read still spills to disk.
          conn.pragma('temp_store = MEMORY');
          // A page cache of 16 MB instead of SQLite's default 2 MB: each commit of an ingest rewrites pages
          // of the objects table and of its seven indexes (most at their newest end, objects_version_uq's
          // anywhere), which 2 MB did not keep between commits. Alternated at a million objects: 20,578-20,647
          // against 18,929-19,027 objects/s, 41 against 45-46 µs of main-thread CPU per object, peak RSS
          // 15 MB higher (docs/performance.md, nineteenth pass). The reader connection keeps the default.
          conn.pragma(`cache_size = -${WRITER_CACHE_KB}`);
          const pageSize = Number(conn.pragma('page_size', { simple: true })) || 4096;
          conn.pragma(`wal_autocheckpoint = ${Math.round(WAL_AUTOCHECKPOINT_BYTES / pageSize)}`);
          done(null, conn);
        } catch (e) {
          done(e as Error, conn);
        }
      },
    },
  });
  const inMemory = filename === ':memory:' || filename === '';
  const reader = inMemory ? undefined : new SqliteReader(filename, maxWaitMs);
  // The WAL's restart holds the one writer connection, so a write transaction waits for it in the pool: one
  // that met the RESTART checkpoint's lock would wait inside better-sqlite3, on the event loop.
  const holdWriter: WriterHold = async (work) => {
    const client = knex.client as unknown as { acquireConnection(): Promise<unknown>; releaseConnection(conn: unknown): Promise<unknown> };
    const conn = await client.acquireConnection();
    try {
      await work();
    } finally {
      await client.releaseConnection(conn);
    }
  };
  const checkpoints = inMemory ? undefined : new WalCheckpoints(new CheckpointThread(filename), options.idleCheckpointMs ?? 2000, (err) => report('checkpointing the SQLite WAL failed', err), options.walCheckpointRows, holdWriter);
  return {
    knex,
    dialect: 'sqlite',
    select: reader ? async (query) => reader.all(query.toSQL()) as any[] : async (query) => query,
    selectSql: reader ? async (sql, bindings) => reader.all({ sql, bindings }) as any[] : async (sql, bindings) => knex.raw(sql, bindings as Knex.Value[]),
    wrote: (_table, rows) => checkpoints?.wrote(rows),
    checkpoint: checkpoints ? () => checkpoints.now() : undefined,
    close: async () => {
      await checkpoints?.stop();
      reader?.close();
      await knex.destroy();
    },
  };
}

/**
 * Creates the SQLite file's folder and any missing above it, one level at a time from the nearest one that
 * exists. fs.mkdirSync's recursive mode loops forever where mkdir answers ENOENT under a folder that exists
 * (/proc/x); here any refusal ends at once, as a ConfigError naming the setting.
 */
function makeFolder(dir: string, named: string): void {
  const missing: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new ConfigError(`${named}: cannot look at ${d} (${reasonOf(e)})`);
    }
    if (st) {
      if (!st.isDirectory()) throw new ConfigError(`${named}: ${d} is not a folder, so the database cannot be created under it`);
      break;
    }
    if (path.dirname(d) === d) throw new ConfigError(`${named}: no folder of ${dir} exists`);
    missing.unshift(d);
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new ConfigError(`${named}: cannot create the folder ${d} (${reasonOf(e)})`);
    }
    if (!fs.statSync(d, { throwIfNoEntry: false })?.isDirectory()) throw new ConfigError(`${named}: cannot create the folder ${d} (it is not a folder afterwards)`);
  }
}

/**
 * WAL bytes a SQLite commit may leave before it checkpoints them into the database file itself (SQLite's
 * default is 1,000 pages). That checkpoint runs inside the commit that crosses the limit, on the event loop,
 * and syncs the database file: a backstop only. Bulk writes are checkpointed on a thread of their own, and
 * the WAL starts again from its beginning every 10,000 rows (WalCheckpoints in sqlite-checkpoint.ts), well
 * below this limit; at 40 MB the backstop still ran inside commits during a million-object ingest.
 */
const WAL_AUTOCHECKPOINT_BYTES = 128 * 1024 * 1024;
/** The writer connection's page cache, in KB (see its afterCreate). */
const WRITER_CACHE_KB = 16 * 1024;

/**
 * Page size of a SQLite database this server creates (SQLite's default is 4 KB). Ingest writes each
 * observable's id into objects_version_uq at a random place, at a million objects nearly every such
 * insertion a page of the WAL of its own; with 8 KB pages the statements of an ingest took 47.2 instead of
 * 51.5 µs per object over a million objects and 42.2-44.5 instead of 46.5-48.0 over 400,000
 * (docs/performance.md, "Issue 21, ninth pass").
 */
const NEW_DATABASE_PAGE_SIZE = 8192;

/**
 * pg's query_timeout answers the caller but leaves the statement outstanding on the connection, which
 * would then hold every later query behind it. Closing the socket makes knex's pool discard it (it marks
 * a connection that ended or failed) and open a fresh one once the database answers again.
 */
function discardOnReadTimeout(conn: pg.Client): void {
  const query = conn.query as (...args: unknown[]) => unknown;
  const discard = (err: unknown) => {
    if ((err as Error | undefined)?.message === 'Query read timeout') (conn as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  };
  (conn as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const callback = args[args.length - 1];
    if (typeof callback === 'function') {
      args[args.length - 1] = (err: unknown, res: unknown) => {
        discard(err);
        callback(err, res);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args) as Promise<unknown> | undefined;
    return result && typeof result.then === 'function'
      ? result.catch((err: unknown) => {
          discard(err);
          throw err;
        })
      : result;
  };
}

interface PgPool {
  acquireConnection(): Promise<pg.Client>;
  releaseConnection(conn: pg.Client): Promise<unknown>;
}

/**
 * PostgreSQL: the query compiled by knex, sent on a connection of knex's own pool (so pool size,
 * statement timeout and the discarding of broken connections stay knex's), without its runner.
 */
async function selectOnPooledConnection<T>(knex: Knex, query: Knex.QueryBuilder): Promise<T[]> {
  const { sql, bindings } = query.toSQL().toNative();
  return selectNativeOnPooledConnection<T>(knex, sql, bindings);
}

function selectNativeOnPooledConnection<T>(knex: Knex, sql: string, bindings: readonly unknown[]): Promise<T[]> {
  return readOnPooledConnection(knex, async (conn) => (await conn.query(sql, bindings as unknown[])).rows as T[]);
}

/** A fixed SQL text (selectSql) as a named prepared statement: parsed and planned once per connection. */
function selectFixedOnPooledConnection<T>(knex: Knex, sql: string, bindings: readonly unknown[]): Promise<T[]> {
  return readOnPooledConnection(knex, (conn) => runPostgres<T>(conn, sql, bindings));
}

/** Connections a read tries before it reports the database lost (see readOnPooledConnection). */
const READ_ATTEMPTS = 4;
/** A read whose connection was lost within this many ms of being handed it was handed one already dead. */
const DEAD_ON_ARRIVAL_MS = 250;

/**
 * Runs a read on a connection of knex's pool. When the server ended connections while they sat idle in
 * the pool (a restart, a failover, pg_terminate_backend), the pool learns of it only when each one's
 * socket event is handled, and a read could be handed one of them first: a read whose connection turns
 * out lost at once (ended, terminated or reset, however the driver reports it) is marked for the pool to
 * discard and tried on another, so that the request after an outage is answered rather than refused.
 * "At once" is timed from when this attempt got its connection, not from the first attempt: opening a
 * fresh connection on a loaded machine can take longer than the limit. A read that waited for an answer
 * (a network partition, a statement killed while running) is not tried again, so the wait limit still
 * bounds the answer. A read has no effect to repeat; writes are not retried.
 */
async function readOnPooledConnection<T>(knex: Knex, read: (conn: pg.Client) => Promise<T>): Promise<T> {
  const pool = knex.client as unknown as PgPool;
  for (let attempt = 1; ; attempt++) {
    const conn = await pool.acquireConnection();
    const handed = performance.now();
    try {
      return await read(conn);
    } catch (err) {
      const deadOnArrival = performance.now() - handed < DEAD_ON_ARRIVAL_MS && isConnectionLost(err);
      if (attempt >= READ_ATTEMPTS || !deadOnArrival) throw err;
      (conn as pg.Client & { __knex__disposed?: unknown }).__knex__disposed ??= err;
    } finally {
      await pool.releaseConnection(conn);
    }
  }
}

/** Distinct SQL texts kept prepared by the read connection (least recently used dropped first). */
const STATEMENT_CACHE_SIZE = 256;

/**
 * A read-only connection to a SQLite file, opened on first use (after the writer has created the file
 * and migrated it), with its prepared statements kept by SQL text. Each call is one implicit read
 * transaction, so it sees every commit made before it started.
 */
class SqliteReader {
  private conn?: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly filename: string,
    private readonly busyTimeoutMs: number,
  ) {}

  all(q: { sql: string; bindings: readonly unknown[] }): unknown[] {
    const stmt = this.statement(q.sql);
    if (!stmt.reader) throw new Error('Db.select runs only statements that return rows');
    return stmt.all(...q.bindings.map(sqliteValue));
  }

  close(): void {
    this.statements.clear();
    this.conn?.close();
    this.conn = undefined;
  }

  private statement(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (stmt) {
      this.statements.delete(sql);
    } else {
      this.conn ??= this.open();
      stmt = this.conn.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sql, stmt);
    return stmt;
  }

  private open(): Database.Database {
    const conn = new Database(this.filename, { readonly: true, fileMustExist: true });
    conn.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    return conn;
  }
}

/** Binding values as knex's better-sqlite3 dialect passes them. */
export function sqliteValue(v: unknown): unknown {
  if (v instanceof Date) return v.valueOf();
  if (typeof v === 'boolean') return Number(v);
  return v;
}

/**
 * Knex prints a stack trace for every failed connection attempt; the same error also reaches the caller,
 * which reports it once (a startup error line, or a logged 503). Its migration-lock hints are dropped
 * too: migrateLatest waits for the lock.
 */
const quietAcquireErrors = {
  warn(message: unknown) {
    if (typeof message === 'string' && /^(Acquire connection error|Can't take lock to run migrations|If you are sure migrations)/.test(message)) return;
    process.stderr.write(`knex: ${String(message)}\n`);
  },
};

/** Knex migration source over the statically listed migrations (works from src/ under jest and from dist/). */
const migrationSource: Knex.MigrationSource<readonly [string, (typeof migrations)[number][1]]> = {
  getMigrations: async () => [...migrations],
  getMigrationName: (m) => m[0],
  getMigration: async (m) => m[1],
};

/**
 * Applies pending migrations. Server processes started together on one database race here: the loser
 * sees knex's migration lock held, or its bookkeeping table created under it. It waits and tries again,
 * and then finds nothing left to do. `onPending` hears the names of the migrations about to run, before they
 * run (some rebuild tables, which takes a while on a large database).
 */
export async function migrateLatest(db: Db, waitMs = 60_000, onPending?: (names: string[]) => void): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return await serialisedAcrossProcesses(db, async () => {
        await ensureMigrationBookkeeping(db);
        if (onPending) {
          const pending = await pendingMigrations(db);
          if (pending.length) onPending(pending);
        }
        const [, applied] = await db.knex.migrate.latest({ migrationSource });
        return applied as string[];
      });
    } catch (e) {
      if (!isMigrationRace(e) || Date.now() + delay > deadline) throw e;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Arbitrary constant naming this project's migration lock among PostgreSQL advisory locks. */
const MIGRATION_LOCK_KEY = 0x7a11_2021;

/**
 * On PostgreSQL, runs `fn` while holding a transaction-scoped advisory lock on a connection of its own, so
 * processes starting together migrate one after another instead of racing to create knex's bookkeeping
 * tables. SQLite serialises writers itself (busy_timeout); there `fn` simply runs.
 */
async function serialisedAcrossProcesses<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (db.dialect !== 'postgres') return fn();
  // The lock's connection is not taken from the pool, which may hold a single connection.
  // Waiting for another process's migrations is not a slow statement: no statement timeout on it.
  const { connection, log } = db.knex.client.config as Knex.Config & { connection: object };
  const lock = knexFactory({ client: 'pg', connection: { ...connection, statement_timeout: undefined, query_timeout: undefined }, log, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 10000 });
  try {
    return await lock.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
      return fn();
    });
  } finally {
    await lock.destroy();
  }
}

/**
 * Creates knex's two bookkeeping tables (as knex itself defines them) and the lock table's single row, in
 * one transaction and with a fixed key, before knex looks at them. Knex itself inserts that row after
 * looking for one, so two processes starting together could each insert one, and knex then reports the
 * lock as held for ever. A table created meanwhile by another process is a race that migrateLatest retries.
 */
async function ensureMigrationBookkeeping(db: Db): Promise<void> {
  await db.knex.transaction(async (trx) => {
    if (!(await trx.schema.hasTable('knex_migrations'))) {
      await trx.schema.createTable('knex_migrations', (t) => {
        t.increments();
        t.string('name');
        t.integer('batch');
        t.timestamp('migration_time');
      });
    }
    if (!(await trx.schema.hasTable('knex_migrations_lock'))) {
      await trx.schema.createTable('knex_migrations_lock', (t) => {
        t.increments('index').primary();
        t.integer('is_locked');
      });
    }
    const rows = await trx('knex_migrations_lock').count<{ n: number | string }[]>({ n: '*' });
    const n = Number(rows[0]?.n);
    if (n === 0) await trx('knex_migrations_lock').insert({ index: 1, is_locked: 0 }).onConflict('index').ignore();
    // A database first started by a version without this step may hold the duplicate: keep one row.
    if (n > 1) await trx('knex_migrations_lock').whereNot('index', trx('knex_migrations_lock').min('index')).delete();
  });
}

function isMigrationRace(e: unknown): boolean {
  const err = e as { name?: string; code?: string; message?: string };
  if (err?.name === 'MigrationLocked') return true;
  // 42P07 duplicate table; 23505 on pg_type when two sessions create the same table at once.
  // 42710 is the same collision reported on the table's row type.
  if (err?.code === '42P07' || err?.code === '42710') return true;
  // SQLite: SQLITE_BUSY, or SQLITE_BUSY_SNAPSHOT when a transaction that has read must write after
  // another process wrote (the busy timeout cannot help then).
  if (err?.code?.startsWith('SQLITE_BUSY')) return true;
  if (err?.code === '23505' && /pg_type|pg_class|knex_migrations/.test(err.message ?? '')) return true;
  return /knex_migrations\S*` already exists|already locked/i.test(err?.message ?? '');
}

export async function migrateDown(db: Db): Promise<void> {
  await db.knex.migrate.rollback({ migrationSource }, true);
}

/** True when the database answers a trivial query. */
export async function ping(db: Db): Promise<boolean> {
  try {
    await db.knex.raw('select 1');
    return true;
  } catch {
    return false;
  }
}


/** Told of every statement's latency; operation is the SQL verb (select, insert, update, delete, other). */
export type QueryObserver = (operation: string, seconds: number, ok: boolean) => void;

function sqlVerb(sql: string | undefined): string {
  const m = /^\s*(?:with\b[\s\S]*?\)\s*)?(select|insert|update|delete)\b/i.exec(sql ?? '');
  return m ? m[1]!.toLowerCase() : 'other';
}

/**
 * Reports the latency of every statement: those knex runs (through its query events) and the hot
 * reads of Db.select, which bypass knex's runner.
 */
export function observeQueries(db: Db, observe: QueryObserver): void {
  const started = new Map<string, { at: bigint; verb: string }>();
  const done = (ok: boolean) => (_r: unknown, q: { __knexQueryUid?: string }) => {
    const s = q?.__knexQueryUid ? started.get(q.__knexQueryUid) : undefined;
    if (!s) return;
    started.delete(q.__knexQueryUid!);
    observe(s.verb, Number(process.hrtime.bigint() - s.at) / 1e9, ok);
  };
  db.knex.on('query', (q: { __knexQueryUid?: string; sql?: string }) => {
    if (q.__knexQueryUid) started.set(q.__knexQueryUid, { at: process.hrtime.bigint(), verb: sqlVerb(q.sql) });
  });
  db.knex.on('query-response', done(true));
  db.knex.on('query-error', (err: unknown, q: { __knexQueryUid?: string }) => done(false)(err, q));
  const timed =
    <A extends unknown[]>(run: (...args: A) => Promise<any[]>) =>
    async (...args: A) => {
    const at = process.hrtime.bigint();
    let ok = false;
    try {
        const rows = await run(...args);
      ok = true;
      return rows;
    } finally {
      observe('select', Number(process.hrtime.bigint() - at) / 1e9, ok);
    }
  };
  db.select = timed(db.select);
  db.selectSql = timed(db.selectSql);
}

/** The knex pool's occupancy (tarn), for the metrics; undefined when the pool is gone. */
export function poolStats(db: Db): { used: number; free: number; pending: number; max: number } | undefined {
  const pool = (db.knex.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number; max: number } }).pool;
  if (!pool) return undefined;
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires(), max: pool.max };
}

/** Whether every migration this build knows is applied (readiness: a newer build not yet migrated is not ready). */
export async function migrationsCurrent(db: Db): Promise<boolean> {
  return (await pendingMigrations(db)).length === 0;
}

/** The names of the migrations not yet applied, in the order they run. */
async function pendingMigrations(db: Db): Promise<string[]> {
  const rows = await db.knex('knex_migrations').select('name');
  const applied = new Set(rows.map((r: { name: string }) => r.name));
  return migrations.map(([name]) => name).filter((name) => !applied.has(name));
}

