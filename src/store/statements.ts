import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Knex } from 'knex';
import type pg from 'pg';
import { sqliteValue } from './db';

/**
 * A statement whose text is written once per dialect (SQLite with `?`, PostgreSQL with `$n`), so that it is
 * compiled once: prepared and kept on the SQLite writer connection, a named prepared statement on each
 * PostgreSQL connection. Knex would build and (on SQLite) prepare it again on every run; on the ingest path
 * that was a fifth of the CPU per object.
 */
export interface FixedSql {
  sqlite: string;
  postgres: string;
}

export type AnyConnection = Database.Database | pg.Client;

const STATEMENTS_PER_CONNECTION = 64;
const sqliteStatements = new WeakMap<object, Map<string, Database.Statement>>();
const pgNames = new Map<string, string>();

/** Runs a statement inside a transaction (on its connection) and returns the rows it answers, if any. */
export async function runFixed<T = Record<string, unknown>>(trx: Knex.Transaction, sql: FixedSql, bindings: readonly unknown[]): Promise<T[]> {
  const { sqlite, conn } = await connectionOf(trx);
  if (!sqlite) return runPostgres<T>(conn as pg.Client, sql.postgres, bindings);
  const stmt = sqliteStatement(conn as Database.Database, sql.sqlite);
  const values = bindings.map(sqliteValue);
  if (stmt.reader) return stmt.all(...values) as T[];
  stmt.run(...values);
  return [];
}

/** The connection a transaction runs on, and whether it is the SQLite writer. */
export async function connectionOf(trx: Knex.Transaction): Promise<{ sqlite: boolean; conn: AnyConnection }> {
  const client = trx.client as unknown as { driverName: string; acquireConnection(): Promise<unknown> };
  return { sqlite: client.driverName === 'better-sqlite3', conn: (await client.acquireConnection()) as AnyConnection };
}

/** A PostgreSQL text run as a named prepared statement: parsed once per connection. */
export async function runPostgres<T>(conn: pg.Client, text: string, values: readonly unknown[]): Promise<T[]> {
  return (await conn.query({ name: pgName(text), text, values: values as unknown[] })).rows as T[];
}

/** The prepared statement of a SQL text on a SQLite connection (the least recently prepared dropped past the bound). */
export function sqliteStatement(conn: Database.Database, sql: string): Database.Statement {
  let cache = sqliteStatements.get(conn);
  if (!cache) sqliteStatements.set(conn, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = conn.prepare(sql);
    if (cache.size >= STATEMENTS_PER_CONNECTION) cache.delete(cache.keys().next().value!);
    cache.set(sql, stmt);
  }
  return stmt;
}

/** A prepared-statement name that only this text ever uses (pg refuses one name for two texts on a connection). */
function pgName(text: string): string {
  let name = pgNames.get(text);
  if (!name) pgNames.set(text, (name = `taxii_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`));
  return name;
}
