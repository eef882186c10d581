import type { Db } from './db';

const TABLE = 'audit_log';

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
}
