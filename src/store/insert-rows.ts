import type Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { sqliteValue } from './db';

/** Prepared multi-row INSERTs of the SQLite writer connection, by SQL text (the batches of one size share one). */
const insertStatements = new WeakMap<object, Map<string, Database.Statement>>();
const INSERT_STATEMENTS_PER_CONNECTION = 64;

/**
 * Inserts rows (all with the same columns) in one statement inside a transaction. On SQLite the statement is
 * prepared once per SQL text on the transaction's connection and kept: knex's dialect prepares every
 * statement it runs, which cost 14 % of the ingest CPU when profiled. A failing SQLite statement changes
 * nothing (statement-level rollback). Elsewhere it is knex's insert.
 */
export async function insertRows(trx: Knex.Transaction, table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const client = trx.client as unknown as { driverName: string; acquireConnection(): Promise<unknown> };
  if (client.driverName !== 'better-sqlite3') {
    await trx(table).insert(rows as Record<string, unknown>[]);
    return;
  }
  const conn = (await client.acquireConnection()) as Database.Database;
  const columns = Object.keys(rows[0]!);
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const sql = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values ${Array.from({ length: rows.length }, () => tuple).join(',')}`;
  let cache = insertStatements.get(conn);
  if (!cache) insertStatements.set(conn, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = conn.prepare(sql);
    if (cache.size >= INSERT_STATEMENTS_PER_CONNECTION) cache.delete(cache.keys().next().value!);
    cache.set(sql, stmt);
  }
  const values: unknown[] = new Array(rows.length * columns.length);
  let k = 0;
  for (const r of rows) for (const c of columns) values[k++] = sqliteValue(r[c] ?? null);
  stmt.run(...values);
}
