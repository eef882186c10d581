import type { Db } from './db';

const TABLE = 'console_sessions';

/** A signed-in web console session, found by the hash of the cookie's id. */
export interface ConsoleSession {
  idHash: string;
  userId: string;
  csrfToken: string;
  /** A mark of the password hash the session was opened with (src/console/sessions.ts); absent on older rows. */
  credentialMark?: string;
  createdAtMs: number;
  lastSeenMs: number;
}

/** Console sessions, shared by every process on one database (src/console). */
export class SessionStore {
  constructor(private readonly db: Db) {}

  async create(s: ConsoleSession): Promise<void> {
    await this.db.knex(TABLE).insert({ id_hash: s.idHash, user_id: s.userId, csrf_token: s.csrfToken, credential_mark: s.credentialMark ?? null, created_at_ms: s.createdAtMs, last_seen_ms: s.lastSeenMs });
  }

  async find(idHash: string): Promise<ConsoleSession | undefined> {
    const [row] = await this.db.select(this.db.knex(TABLE).where({ id_hash: idHash }).limit(1));
    return row && { idHash: row.id_hash, userId: row.user_id, csrfToken: row.csrf_token, credentialMark: row.credential_mark ?? undefined, createdAtMs: Number(row.created_at_ms), lastSeenMs: Number(row.last_seen_ms) };
  }

  async touch(idHash: string, nowMs: number): Promise<void> {
    await this.db.knex(TABLE).where({ id_hash: idHash }).update({ last_seen_ms: nowMs });
  }

  async delete(idHash: string): Promise<void> {
    await this.db.knex(TABLE).where({ id_hash: idHash }).delete();
  }

  /** Removes sessions idle since before the given time; returns how many. */
  async purgeIdle(seenBeforeMs: number): Promise<number> {
    return this.db.knex(TABLE).where('last_seen_ms', '<', seenBeforeMs).delete();
  }
}
