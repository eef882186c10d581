import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../taxii/access';
import type { AuthService } from '../taxii/services/auth-service';
import { userPrincipalId } from '../taxii/token-service';
import type { SessionStore } from '../store/session-store';
import type { User } from '../store/user-store';
import { UnauthorizedError } from '../domain/errors';

export interface UserLookup {
  findUserById(id: string): Promise<User | undefined>;
  findByName?(username: string): Promise<User | undefined>;
}

/** A session as a request sees it: who is signed in and the token its forms must send back. */
export interface ActiveSession {
  principal: Principal;
  csrfToken: string;
}

export interface SessionOptions {
  idleMs: number;
  now?: () => number;
}

const hashId = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Compares two secrets in constant time (length is not secret). */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export const randomSecret = () => randomBytes(32).toString('base64url');

/**
 * A session is bound to the password it was opened with: a new password hash (set-password, or the account
 * re-created) ends it, as it ends the 30 s password cache of TAXII requests. The mark is a hash of the stored
 * scrypt hash (which sits in the same database), kept in the session row; a row without one (opened before
 * sessions were bound) no longer opens pages.
 */
const credentialMark = (user: User) => createHash('sha256').update(user.passwordHash, 'utf8').digest('base64url');

/**
 * Console sign-in and sessions. Passwords are checked by the TAXII AuthService, so the failed-login
 * throttle and the disabled flag apply exactly as for Basic requests. The session keeps the user's id
 * only: the user row is read on every request, so disabling a user or lowering its clearance takes effect
 * at once, as it does for TAXII.
 */
export class ConsoleSessions {
  private readonly now: () => number;

  constructor(
    private readonly auth: AuthService,
    private readonly users: UserLookup,
    private readonly store: SessionStore,
    private readonly opts: SessionOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Checks the password and opens a session; returns the cookie's id (shown to nobody else). */
  async signIn(username: string, password: string, remoteAddress?: string): Promise<{ id: string; session: ActiveSession }> {
    if (!username || !password || username.includes(':')) throw new UnauthorizedError('Enter a username and a password.');
    const header = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
    const principal = await this.auth.authenticate(header, { remoteAddress });
    // Tokens are for machines: an API token typed as a password does not open a console session.
    const user = principal.kind === 'user' && this.users.findByName ? await this.users.findByName(username) : undefined;
    if (!user || userPrincipalId(user.id) !== principal.id) throw new UnauthorizedError('Sign in with a user name and its password; API tokens are for machines.');
    const id = randomSecret();
    const now = this.now();
    await this.store.purgeIdle(now - this.opts.idleMs);
    const csrfToken = randomSecret();
    await this.store.create({ idHash: hashId(id), userId: user.id, csrfToken, credentialMark: credentialMark(user), createdAtMs: now, lastSeenMs: now });
    return { id, session: { principal: toPrincipal(user), csrfToken } };
  }

  /** The session of a cookie id; undefined when unknown, idle too long, its user disabled or gone, or the user's password changed since. */
  async resume(id: string | undefined): Promise<ActiveSession | undefined> {
    if (!id || !SESSION_ID.test(id)) return undefined;
    const idHash = hashId(id);
    const found = await this.store.find(idHash);
    if (!found) return undefined;
    const now = this.now();
    if (now - found.lastSeenMs > this.opts.idleMs) {
      await this.store.delete(idHash);
      return undefined;
    }
    const user = await this.users.findUserById(found.userId);
    if (!user || user.disabled || !sameSecret(found.credentialMark, credentialMark(user))) {
      await this.store.delete(idHash);
      return undefined;
    }
    // One write per minute at most, not one per page view.
    if (now - found.lastSeenMs > 60_000) await this.store.touch(idHash, now);
    return { principal: toPrincipal(user), csrfToken: found.csrfToken };
  }

  async signOut(id: string | undefined): Promise<void> {
    if (id && SESSION_ID.test(id)) await this.store.delete(hashId(id));
  }
}

function toPrincipal(user: User): Principal {
  return { id: userPrincipalId(user.id), name: user.username, kind: 'user', isAdmin: user.isAdmin, maxTlp: user.maxTlp };
}
