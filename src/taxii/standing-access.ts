import type { Config } from '../config/config';
import type { Visibility } from '../domain/types';
import type { ApiToken } from '../store/principal-store';
import type { User } from '../store/user-store';
import { ANONYMOUS, visibilityFor, type AccessPolicy, type Principal } from './access';

/** What StandingAccess reads of the principals, and the revision every change to them moves. */
export interface StandingPrincipals {
  authRevision(): Promise<number>;
  findUserById(id: string): Promise<User | undefined>;
  findTokenById(id: string): Promise<ApiToken | undefined>;
}

/** A long-lived subscription's reader: who subscribed, to which collection, and with what clearance then. */
export interface Subscriber {
  principalId: string;
  collectionId: string;
  /** The visibility it was granted when it subscribed (undefined: cleared for everything). */
  visibility: Visibility | undefined;
  /** The user's token it was opened with, if any (Principal.tokenId): revoking or expiring it ends the subscription. */
  tokenId?: string;
}

/** What the subscriber may read now, or why it may read nothing. */
export type StandingView = { ok: true; visibility: Visibility | undefined } | { ok: false; reason: string };

/**
 * Whether the reader of a long-lived subscription (a webhook, a change stream) may still read its collection
 * as its user, token, grants and clearance stand now, and with which visibility: never wider than the one it
 * subscribed with, narrower when its clearance was lowered since. A subscription made when access was wider
 * must not outlive the access: a revoked grant, a disabled user or a revoked token ends it, as the next TAXII
 * request of the same principal would be refused.
 *
 * The answer is kept per subscriber while the store's access-control revision (moved by every change to users,
 * grants and tokens, from any process) is unchanged, so asking costs one primary-key read, until a token's
 * expiry passes.
 */
export class StandingAccess {
  private readonly kept = new Map<string, { revision: number; untilMs: number; view: StandingView }>();

  constructor(
    private readonly config: Config,
    private readonly policy: AccessPolicy,
    private readonly principals: StandingPrincipals,
    private readonly now: () => number = Date.now,
    private readonly maxKept = 10_000,
  ) {}

  async view(s: Subscriber): Promise<StandingView> {
    const revision = await this.principals.authRevision();
    const key = `${s.principalId}\u0000${s.collectionId}\u0000${s.visibility?.maxTlp ?? 'all'}\u0000${s.tokenId ?? ''}`;
    const hit = this.kept.get(key);
    const now = this.now();
    if (hit && hit.revision === revision && now < hit.untilMs) return hit.view;
    const { view, untilMs } = await this.decide(s, now);
    if (this.kept.size >= this.maxKept) this.kept.clear();
    if (Number.isFinite(revision)) this.kept.set(key, { revision, untilMs, view });
    return view;
  }

  private async decide(s: Subscriber, now: number): Promise<{ view: StandingView; untilMs: number }> {
    const forever = Number.POSITIVE_INFINITY;
    const collection = this.config.apiRoots.flatMap((r) => r.collections).find((c) => c.id === s.collectionId);
    if (!collection) return { view: { ok: false, reason: 'the collection is no longer configured' }, untilMs: forever };
    const found = await this.principal(s.principalId, now);
    if ('reason' in found) return { view: { ok: false, reason: found.reason }, untilMs: forever };
    const { principal } = found;
    let untilMs = found.untilMs;
    if (s.tokenId !== undefined) {
      const token = await this.principals.findTokenById(s.tokenId);
      const ended = tokenEnded(token, now);
      if (ended) return { view: { ok: false, reason: ended }, untilMs: forever };
      untilMs = Math.min(untilMs, token!.expiresAtMs ?? forever);
    }
    if (!(await this.policy.rights(principal, collection)).read) {
      return { view: { ok: false, reason: `${principal.name} may no longer read the collection (its read grant was revoked)` }, untilMs };
    }
    return { view: { ok: true, visibility: narrower(s.visibility, visibilityFor(principal, collection)) }, untilMs };
  }

  /** The principal as it stands now, as authentication would resolve it, or why there is none. */
  private async principal(id: string, now: number): Promise<{ principal: Principal; untilMs: number } | { reason: string }> {
    if (id === ANONYMOUS.id) return { principal: ANONYMOUS, untilMs: Number.POSITIVE_INFINITY };
    const [kind, rest] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
    if (kind === 'user') {
      const user = await this.principals.findUserById(rest);
      if (!user) return { reason: 'its user was removed' };
      if (user.disabled) return { reason: `its user ${user.username} is disabled` };
      return { principal: { id, name: user.username, kind: 'user', isAdmin: user.isAdmin, maxTlp: user.maxTlp }, untilMs: Number.POSITIVE_INFINITY };
    }
    if (kind === 'token') {
      const token = await this.principals.findTokenById(rest);
      const ended = tokenEnded(token, now);
      if (ended) return { reason: ended };
      return {
        principal: { id, name: `token:${token!.name}`, kind: 'token', isAdmin: false, maxTlp: token!.maxTlp ?? 'clear' },
        untilMs: token!.expiresAtMs ?? Number.POSITIVE_INFINITY,
      };
    }
    return { reason: `its principal ${id} is not one this server knows` };
  }
}

/** Why a token no longer authenticates, or undefined while it does. */
function tokenEnded(token: ApiToken | undefined, now: number): string | undefined {
  if (!token) return 'its token was removed';
  if (token.revokedAtMs !== undefined) return `its token ${token.name} is revoked`;
  if (token.expiresAtMs !== undefined && token.expiresAtMs <= now) return `its token ${token.name} has expired`;
  return undefined;
}

/** The stricter of the visibility subscribed with and the one the principal has now. */
function narrower(then: Visibility | undefined, now: Visibility | undefined): Visibility | undefined {
  if (then === undefined) return now;
  if (now === undefined) return then;
  return then.maxTlp < now.maxTlp ? { ...now, maxTlp: then.maxTlp } : now;
}
