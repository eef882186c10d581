import type { Config, Tlp } from '../config/config';
import { DomainError, ForbiddenError, InvalidInputError, NotFoundError } from '../domain/errors';
import { TLP_LEVELS } from '../domain/tlp';
import type { AuditEntry } from '../store/audit-store';
import type { ApiToken, Grant, PrincipalStore } from '../store/principal-store';
import type { User, UserStore } from '../store/user-store';
import type { Principal } from '../taxii/access';
import { hashPassword } from '../taxii/services/auth-service';
import type { AuditService } from '../taxii/services/audit-service';
import { parseExpiry, userPrincipalId, type TokenService } from '../taxii/token-service';

const NAME = /^[^\s:]{1,128}$/;
const MIN_PASSWORD = 8;
export const RIGHTS = ['read', 'write', 'curator'] as const;
export type Right = (typeof RIGHTS)[number];
/** Audit entries an administrator's filter looks through (newest first). */
const AUDIT_WINDOW = 1000;

export interface UserWithGrants {
  user: User;
  grants: Grant[];
}

/**
 * Setting up partners from the console: the same changes as the `user`, `token`, `grant` and `revoke`
 * commands, through the same stores and with the same audit entries, for administrators only.
 */
export class PartnerAdmin {
  constructor(
    private readonly config: Config,
    private readonly users: UserStore,
    private readonly principals: PrincipalStore,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
  ) {}

  /** Every collection, for the grant form: API root, id, title. */
  collections(): Array<{ root: string; id: string; title: string }> {
    return this.config.apiRoots.flatMap((r) => r.collections.map((c) => ({ root: r.path, id: c.id, title: c.title })));
  }

  async overview(p: Principal): Promise<{ users: User[]; tokens: ApiToken[] }> {
    requireAdmin(p);
    return { users: await this.users.list(), tokens: await this.principals.listTokens() };
  }

  async user(p: Principal, username: string): Promise<UserWithGrants> {
    requireAdmin(p);
    const user = await this.users.findByName(username);
    if (!user) throw new NotFoundError(`There is no user "${username}".`);
    return { user, grants: [...(await this.principals.grantsOf(userPrincipalId(user.id))).values()] };
  }

  async createUser(p: Principal, u: { username: string; password: string; tlp: string }, remoteAddr?: string): Promise<User> {
    requireAdmin(p);
    if (!NAME.test(u.username)) throw new InvalidInputError('A user name is 1-128 characters without spaces or ":".');
    if (u.password.length < MIN_PASSWORD) throw new InvalidInputError(`The password must be at least ${MIN_PASSWORD} characters long.`);
    const tlp = tlpOf(u.tlp);
    if (await this.users.findByName(u.username)) throw conflict(`A user "${u.username}" already exists.`);
    const created = await this.users.upsert({ username: u.username, passwordHash: await hashPassword(u.password), isAdmin: false, maxTlp: tlp });
    await this.audit.record(p, 'user.add', u.username, { remoteAddr, details: { admin: false, tlp, password: true, via: 'console' } });
    return created;
  }

  async setClearance(p: Principal, username: string, level: string, remoteAddr?: string): Promise<void> {
    const { user } = await this.user(p, username);
    if (user.isAdmin) throw new InvalidInputError(`${username} is an administrator, who reads every TLP level.`);
    const tlp = tlpOf(level);
    await this.users.setMaxTlp(username, tlp);
    await this.audit.record(p, 'user.set-clearance', username, { remoteAddr, details: { from: user.maxTlp, to: tlp, via: 'console' } });
  }

  async setDisabled(p: Principal, username: string, disabled: boolean, remoteAddr?: string): Promise<void> {
    const { user } = await this.user(p, username);
    if (disabled && userPrincipalId(user.id) === p.id) throw new InvalidInputError('You cannot disable yourself.');
    await this.users.setDisabled(username, disabled);
    await this.audit.record(p, disabled ? 'user.disable' : 'user.enable', username, { remoteAddr, details: { via: 'console' } });
  }

  async grant(p: Principal, username: string, collectionId: string, right: string, remoteAddr?: string): Promise<Grant> {
    const { user } = await this.user(p, username);
    const c = this.collection(collectionId);
    const r = rightOf(right);
    const g = await this.principals.grant(userPrincipalId(user.id), c, { [r === 'curator' ? 'curate' : r]: true });
    await this.audit.record(p, 'grant', `user:${username} on ${c}`, { remoteAddr, details: { right: r, read: g.read, write: g.write, curator: Boolean(g.curate), via: 'console' } });
    return g;
  }

  async revoke(p: Principal, username: string, collectionId: string, remoteAddr?: string): Promise<void> {
    const { user } = await this.user(p, username);
    const c = this.collection(collectionId);
    const r = await this.principals.revoke(userPrincipalId(user.id), c);
    if (!r.existed) throw new NotFoundError(`${username} has no grant on ${c}.`);
    await this.audit.record(p, 'revoke', `user:${username} on ${c}`, { remoteAddr, details: { right: 'all', via: 'console' } });
  }

  /** Creates a token acting as a user; the secret is returned once and never stored. */
  async createToken(p: Principal, t: { name: string; username: string; tlp?: string; expires?: string }, remoteAddr?: string): Promise<{ token: ApiToken; secret: string }> {
    requireAdmin(p);
    if (!NAME.test(t.name)) throw new InvalidInputError('A token name is 1-128 characters without spaces or ":".');
    if (await this.principals.findTokenByName(t.name)) throw conflict(`A token named "${t.name}" already exists.`);
    const { user } = await this.user(p, t.username);
    if (user.disabled) throw new InvalidInputError(`${t.username} is disabled.`);
    let expiresAtMs: number | undefined;
    try {
      expiresAtMs = t.expires ? parseExpiry(t.expires, Date.now(), 'Expires') : undefined;
    } catch (e) {
      throw new InvalidInputError((e as Error).message);
    }
    const made = await this.tokens.create({ name: t.name, userId: user.id, maxTlp: t.tlp ? tlpOf(t.tlp) : undefined, expiresAtMs });
    await this.audit.record(p, 'token.create', t.name, { remoteAddr, details: { user: t.username, tlp: made.token.maxTlp, hint: made.token.hint, via: 'console' } });
    return made;
  }

  async revokeToken(p: Principal, name: string, remoteAddr?: string): Promise<void> {
    requireAdmin(p);
    if (!(await this.principals.revokeToken(name, Date.now()))) throw new NotFoundError(`There is no active token "${name}".`);
    await this.audit.record(p, 'token.revoke', name, { remoteAddr, details: { via: 'console' } });
  }

  /** The newest audit entries, filtered by action prefix and by text in the actor or target. */
  async auditLog(p: Principal, f: { action?: string; text?: string; limit?: number }): Promise<AuditEntry[]> {
    requireAdmin(p);
    const limit = Math.min(f.limit ?? 100, AUDIT_WINDOW);
    const text = f.text?.toLowerCase();
    const entries = await this.audit.list({ limit: f.action || text ? AUDIT_WINDOW : limit });
    return entries
      .filter((e) => (!f.action || e.action.startsWith(f.action)) && (!text || e.actor.toLowerCase().includes(text) || (e.target ?? '').toLowerCase().includes(text)))
      .slice(0, limit);
  }

  private collection(id: string): string {
    const found = this.collections().find((c) => c.id === id);
    if (!found) throw new InvalidInputError(`There is no collection ${id}.`);
    return found.id;
  }
}

const conflict = (description: string) => new DomainError(409, 'Conflict', description);

function requireAdmin(p: Principal): void {
  if (!p.isAdmin) throw new ForbiddenError('Only administrators manage partners.');
}

function tlpOf(level: string): Tlp {
  if (!(TLP_LEVELS as readonly string[]).includes(level)) throw new InvalidInputError(`The clearance must be one of ${TLP_LEVELS.join(', ')}.`);
  return level as Tlp;
}

function rightOf(right: string): Right {
  if (!(RIGHTS as readonly string[]).includes(right)) throw new InvalidInputError(`The right must be one of ${RIGHTS.join(', ')}.`);
  return right as Right;
}
