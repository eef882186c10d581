import type Database from 'better-sqlite3';
import type { Knex } from 'knex';
import type pg from 'pg';
import { sqliteValue } from './db';
import { pgBinaryArray, type PgElementType } from './pg-arrays';
import { connectionOf, runPostgres, sqliteStatement } from './statements';

/** The rows one table takes from a bulk write: its columns in order, each with its PostgreSQL type. */
export interface InsertShape<R> {
  table: string;
  columns: ReadonlyArray<readonly [column: keyof R & string, postgresType: PgElementType]>;
  /** Rows that would repeat this unique key are skipped (ON CONFLICT … DO NOTHING). */
  skipConflictsOn?: readonly (keyof R & string)[];
}

/** The SQL of a shape: its parts on SQLite (a text per row count), its one text on PostgreSQL. */
interface ShapeSql {
  head: string;
  tail: string;
  tuple: string;
  postgres: string;
}

const shapeSql = new WeakMap<InsertShape<never>, ShapeSql>();

/**
 * Inserts rows in one statement inside a transaction, its text written once per shape (no query building).
 * On SQLite a multi-row VALUES prepared once per row count on the writer connection and kept (the batches of
 * one size share one text): knex's dialect prepared every statement it ran, 14 % of the ingest CPU when
 * profiled. A failing SQLite statement changes nothing (statement-level rollback). On PostgreSQL one
 * `INSERT … SELECT * FROM unnest($1::type[], …)` whatever the number of rows: a named statement each connection
 * parses once, with one array parameter per column instead of one parameter per value, each sent in
 * PostgreSQL's binary array format (src/store/pg-arrays.ts).
 */
export async function insertRows<R extends object>(trx: Knex.Transaction, shape: InsertShape<R>, rows: readonly R[]): Promise<void> {
  if (rows.length === 0) return;
  const sql = sqlOf(shape);
  const columns = shape.columns;
  const { sqlite, conn } = await connectionOf(trx);
  if (sqlite) {
    const text = `${sql.head} values ${Array.from({ length: rows.length }, () => sql.tuple).join(',')}${sql.tail}`;
    const values: unknown[] = new Array(rows.length * columns.length);
    let k = 0;
    for (const r of rows) for (const [c] of columns) values[k++] = sqliteValue((r as Record<string, unknown>)[c] ?? null);
    sqliteStatement(conn as Database.Database, text).run(...values);
    return;
  }
  const { text, values } = postgresInsert(shape, rows);
  await runPostgres(conn as pg.Client, text, values);
}

/** The PostgreSQL statement of a bulk insert: its one text and an array parameter per column, in binary. */
export function postgresInsert<R extends object>(shape: InsertShape<R>, rows: readonly R[]): { text: string; values: Buffer[] } {
  return { text: sqlOf(shape).postgres, values: shape.columns.map(([c, type]) => pgBinaryArray(type, rows.map((r) => (r as Record<string, unknown>)[c]))) };
}

function sqlOf<R>(shape: InsertShape<R>): ShapeSql {
  let sql = shapeSql.get(shape as InsertShape<never>);
  if (sql) return sql;
  const names = shape.columns.map(([c]) => `"${c}"`).join(',');
  const head = `insert into "${shape.table}" (${names})`;
  const tail = shape.skipConflictsOn ? ` on conflict (${shape.skipConflictsOn.map((c) => `"${c}"`).join(',')}) do nothing` : '';
  const unnest = shape.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  sql = { head, tail, tuple: `(${shape.columns.map(() => '?').join(',')})`, postgres: `${head} select * from unnest(${unnest})${tail}` };
  shapeSql.set(shape as InsertShape<never>, sql);
  return sql;
}
