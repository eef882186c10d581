import { yieldToEventLoop } from '../common/event-loop';
import type { Db } from './db';

const TABLE = 'audit_log';
/** Entries removed per statement by prune: each statement is a short write transaction of its own. */
const PRUNE_BATCH = 5_000;

export interface AuditEntry {
  atMs: number;
  /** Who acted: a principal id and name, "cli:<os user>" for command-line changes. */
  actor: string;
  action: string;
  target?: string;
  remoteAddr?: string;
  details?: Record<string, unknown>;
}

export class AuditStore {
  constructor(private readonly db: Db) {}

  async append(e: AuditEntry): Promise<void> {
    await this.db.knex(TABLE).insert({
      at_ms: e.atMs,
      actor: e.actor.slice(0, 200),
      action: e.action,
      target: e.target?.slice(0, 400) ?? null,
      remote_addr: e.remoteAddr?.slice(0, 64) ?? null,
      details: e.details ? JSON.stringify(e.details) : null,
    });
  }

  /** The newest entries first. */
  async list(q: { sinceMs?: number; limit: number }): Promise<AuditEntry[]> {
    const query = this.db.knex(TABLE).orderBy('seq', 'desc').limit(q.limit);
    if (q.sinceMs !== undefined) query.where('at_ms', '>=', q.sinceMs);
    return (await query).map((r: any) => ({
      atMs: Number(r.at_ms),
      actor: r.actor,
      action: r.action,
      target: r.target ?? undefined,
      remoteAddr: r.remote_addr ?? undefined,
      details: r.details ? JSON.parse(r.details) : undefined,
    }));
  }

  /**
   * Removes the entries recorded before `beforeMs`, oldest first and about `batch` per statement, so that a
   * first prune of a long history never holds the writer for long; returns how many were removed. Each
   * statement finds the last `seq` of the batch through audit_log_at_idx and deletes along the primary key up
   * to it (`+at_ms` keeps SQLite from walking every old entry through the index again; docs/query-plans.md).
   */
  async prune(beforeMs: number, batch = PRUNE_BATCH): Promise<number> {
    let removed = 0;
    for (;;) {
      const n = await this.pruneStatement(beforeMs, batch);
      removed += n;
      if (n < batch) return removed;
      await yieldToEventLoop();
    }
  }

  /** The statement of one prune batch, for EXPLAIN in tests (test/integration/query-plans.test.ts). */
  pruneSql(beforeMs: number, batch = PRUNE_BATCH): { sql: string; bindings: readonly unknown[] } {
    return this.pruneStatement(beforeMs, batch).toSQL();
  }

  private pruneStatement(beforeMs: number, batch: number) {
    const oldest = this.db.knex(TABLE).select('seq').where('at_ms', '<', beforeMs).orderBy('at_ms').limit(batch).as('oldest');
    const last = this.db.knex.max('seq').from(oldest);
    return this.db.knex(TABLE).where('seq', '<=', last).whereRaw('+at_ms < ?', [beforeMs]).delete();
  }
}
