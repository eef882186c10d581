import { randomUUID } from 'node:crypto';
import type { Tlp } from '../config/config';
import type { Db } from './db';
import { FreshReads } from './fresh-reads';
import { isWaitTimeout } from './unavailable';
import { toUser, type User } from './user-store';

const USERS = 'users';
const TOKENS = 'api_tokens';
const GRANTS = 'grants';
const AUTH_REVISION_SQL = 'SELECT revision FROM auth_revision WHERE id = 1';

export interface ApiToken {
  id: string;
  name: string;
  /** The first characters of the secret, enough to recognise a token in a list, too few to use it. */
  hint: string;
  userId?: string;
  username?: string;
  maxTlp?: Tlp;
  createdAtMs: number;
  expiresAtMs?: number;
  lastUsedAtMs?: number;
  revokedAtMs?: number;
}

/** A live token with the user it acts for (undefined for a standalone service token). */
export interface ResolvedToken {
  token: ApiToken;
  user?: User;
}

export interface Grant {
  principalId: string;
  collectionId: string;
  read: boolean;
  write: boolean;
  /** May approve reviewed submissions into the collection (src/review). */
  curate?: boolean;
}

type Rights = { read?: boolean; write?: boolean; curate?: boolean };

/** Tokens, grants and client-certificate subjects: everything access control keeps besides passwords. */
export class PrincipalStore {
  constructor(private readonly db: Db) {}

  /**
   * The access-control revision: moved by triggers in the transaction of every change to users, grants and
   * token validity (migration 20261203100001), by any process. One primary-key read of a fixed SQL text
   * (on PostgreSQL shared by concurrent requests through reads that started after they asked: FreshReads);
   * NaN (equal to nothing, so nothing is reused) if the row is missing.
   */
  authRevision(): Promise<number> {
    return this.db.dialect === 'postgres' ? this.revisions.get('') : this.readAuthRevision();
  }

  private readonly revisions = new FreshReads<number>(() => this.readAuthRevision(), isWaitTimeout);

  private async readAuthRevision(): Promise<number> {
    const [row] = await this.db.selectSql<{ revision: number | string }>(AUTH_REVISION_SQL, []);
    return row ? Number(row.revision) : Number.NaN;
  }

  async findUserById(id: string): Promise<User | undefined> {
    const [row] = await this.db.select(this.db.knex(USERS).where({ id }).limit(1));
    return row && toUser(row);
  }

  async findUserByCertSubject(subject: string): Promise<User | undefined> {
    const [row] = await this.db.select(this.db.knex(USERS).where({ cert_subject: subject }).limit(1));
    return row && toUser(row);
  }

  async setCertSubject(userId: string, subject: string | null): Promise<void> {
    await this.db.knex(USERS).where({ id: userId }).update({ cert_subject: subject });
  }

  async certSubjects(): Promise<Map<string, string>> {
    const rows = await this.db.knex(USERS).whereNotNull('cert_subject').select('id', 'cert_subject');
    return new Map(rows.map((r: any) => [r.id, r.cert_subject]));
  }

  async createToken(t: { name: string; tokenHash: string; hint: string; userId?: string; maxTlp?: Tlp; expiresAtMs?: number }): Promise<ApiToken> {
    const id = randomUUID();
    const now = Date.now();
    await this.db.knex(TOKENS).insert({
      id,
      name: t.name,
      token_hash: t.tokenHash,
      hint: t.hint,
      user_id: t.userId ?? null,
      max_tlp: t.maxTlp ?? null,
      created_at_ms: now,
      expires_at_ms: t.expiresAtMs ?? null,
    });
    return (await this.findTokenByName(t.name))!;
  }

  async findTokenByName(name: string): Promise<ApiToken | undefined> {
    const row = await this.tokenQuery().where(`${TOKENS}.name`, name).first();
    return row && toToken(row);
  }

  async findTokenById(id: string): Promise<ApiToken | undefined> {
    const row = await this.tokenQuery().where(`${TOKENS}.id`, id).first();
    return row && toToken(row);
  }

  async listTokens(): Promise<ApiToken[]> {
    return (await this.tokenQuery().orderBy(`${TOKENS}.name`)).map(toToken);
  }

  /** One indexed lookup by hash; revoked and expired tokens are not returned. */
  async findLiveToken(tokenHash: string, nowMs: number): Promise<ResolvedToken | undefined> {
    const query = this.db
      .knex(TOKENS)
      .leftJoin(USERS, `${USERS}.id`, `${TOKENS}.user_id`)
      .where(`${TOKENS}.token_hash`, tokenHash)
      .whereNull(`${TOKENS}.revoked_at_ms`)
      .where((b) => b.whereNull(`${TOKENS}.expires_at_ms`).orWhere(`${TOKENS}.expires_at_ms`, '>', nowMs))
      .select(
        `${TOKENS}.*`,
        `${USERS}.username as u_username`,
        `${USERS}.password_hash as u_password_hash`,
        `${USERS}.is_admin as u_is_admin`,
        `${USERS}.disabled as u_disabled`,
        `${USERS}.max_tlp as u_max_tlp`,
      )
      .limit(1);
    const [row] = await this.db.select(query);
    if (!row) return undefined;
    const token = toToken({ ...row, username: row.u_username });
    const user = row.user_id
      ? toUser({ id: row.user_id, username: row.u_username, password_hash: row.u_password_hash, is_admin: row.u_is_admin, disabled: row.u_disabled, max_tlp: row.u_max_tlp })
      : undefined;
    return { token, user };
  }

  /** Records use, writing only when the stored time is older than `minIntervalMs` (cheap on a hot token). */
  async touchToken(id: string, nowMs: number, minIntervalMs: number): Promise<void> {
    await this.db
      .knex(TOKENS)
      .where({ id })
      .where((b) => b.whereNull('last_used_at_ms').orWhere('last_used_at_ms', '<', nowMs - minIntervalMs))
      .update({ last_used_at_ms: nowMs });
  }

  async revokeToken(name: string, nowMs: number): Promise<boolean> {
    return (await this.db.knex(TOKENS).where({ name }).whereNull('revoked_at_ms').update({ revoked_at_ms: nowMs })) > 0;
  }

  /** Every grant of one principal: a primary-key prefix scan, the only access-control query per request. */
  async grantsOf(principalId: string): Promise<Map<string, Grant>> {
    const rows = await this.db.select(this.db.knex(GRANTS).where({ principal_id: principalId }));
    return new Map(rows.map((r: any) => [r.collection_id, toGrant(r)]));
  }

  async listGrants(): Promise<Grant[]> {
    return (await this.db.knex(GRANTS).orderBy(['principal_id', 'collection_id'])).map(toGrant);
  }

  /** Adds rights to a principal's grant on a collection (rights already held are kept). */
  async grant(principalId: string, collectionId: string, rights: Rights): Promise<Grant> {
    const current = (await this.grantsOf(principalId)).get(collectionId);
    const next = { read: Boolean(current?.read || rights.read), write: Boolean(current?.write || rights.write), curate: Boolean(current?.curate || rights.curate) };
    await this.save(principalId, collectionId, next);
    return { principalId, collectionId, ...next };
  }

  /** Removes the named rights (or the whole grant); returns the grant left, undefined when none is left. */
  async revoke(principalId: string, collectionId: string, rights?: Rights): Promise<{ existed: boolean; left?: Grant }> {
    const current = (await this.grantsOf(principalId)).get(collectionId);
    if (!current) return { existed: false };
    const next = rights
      ? { read: current.read && !rights.read, write: current.write && !rights.write, curate: Boolean(current.curate) && !rights.curate }
      : { read: false, write: false, curate: false };
    if (!next.read && !next.write && !next.curate) {
      await this.db.knex(GRANTS).where({ principal_id: principalId, collection_id: collectionId }).delete();
      return { existed: true };
    }
    await this.save(principalId, collectionId, next);
    return { existed: true, left: { principalId, collectionId, ...next } };
  }

  private async save(principalId: string, collectionId: string, r: { read: boolean; write: boolean; curate: boolean }): Promise<void> {
    await this.db
      .knex(GRANTS)
      .insert({ principal_id: principalId, collection_id: collectionId, can_read: r.read ? 1 : 0, can_write: r.write ? 1 : 0, can_curate: r.curate ? 1 : 0, updated_at_ms: Date.now() })
      .onConflict(['principal_id', 'collection_id'])
      .merge(['can_read', 'can_write', 'can_curate', 'updated_at_ms']);
  }

  private tokenQuery() {
    return this.db.knex(TOKENS).leftJoin(USERS, `${USERS}.id`, `${TOKENS}.user_id`).select(`${TOKENS}.*`, `${USERS}.username as username`);
  }
}

function num(v: unknown): number | undefined {
  return v === null || v === undefined ? undefined : Number(v);
}

function toToken(r: any): ApiToken {
  return {
    id: r.id,
    name: r.name,
    hint: r.hint,
    userId: r.user_id ?? undefined,
    username: r.username ?? undefined,
    maxTlp: r.max_tlp ?? undefined,
    createdAtMs: Number(r.created_at_ms),
    expiresAtMs: num(r.expires_at_ms),
    lastUsedAtMs: num(r.last_used_at_ms),
    revokedAtMs: num(r.revoked_at_ms),
  };
}

function toGrant(r: any): Grant {
  return { principalId: r.principal_id, collectionId: r.collection_id, read: Number(r.can_read) === 1, write: Number(r.can_write) === 1, curate: Number(r.can_curate) === 1 };
}
