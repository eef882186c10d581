import { createHash, randomBytes } from 'node:crypto';
import type { Tlp } from '../config/config';
import { tlpRank } from '../domain/tlp';
import type { ApiToken, PrincipalStore } from '../store/principal-store';
import type { Principal } from './access';
import type { ResolvedCredential, TokenResolver } from './services/auth-service';

/** Every token starts with this, so that leaked tokens are recognisable by secret scanners and in the Basic password slot. */
export const TOKEN_PREFIX = 'taxii_';
const TOKEN_SHAPE = /^taxii_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often per token, so a busy poller costs one UPDATE a minute. */
export const TOUCH_INTERVAL_MS = 60_000;

export function looksLikeToken(secret: string): boolean {
  return TOKEN_SHAPE.test(secret);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Principal ids as grants and statuses know them. */
export const userPrincipalId = (userId: string) => `user:${userId}`;
export const tokenPrincipalId = (tokenId: string) => `token:${tokenId}`;

/**
 * API tokens: 32 random bytes, shown once, stored as a SHA-256 hash. A SHA-256 lookup is enough (no
 * slow hash) because the secret has 256 bits of entropy; it cannot be guessed from the hash offline.
 */
export class TokenService implements TokenResolver {
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly store: PrincipalStore,
    private readonly now: () => number = Date.now,
  ) {}

  async create(t: { name: string; userId?: string; maxTlp?: Tlp; expiresAtMs?: number }): Promise<{ token: ApiToken; secret: string }> {
    const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const token = await this.store.createToken({ ...t, tokenHash: hashToken(secret), hint: secret.slice(0, TOKEN_PREFIX.length + 4) });
    return { token, secret };
  }

  async resolve(secret: string): Promise<Principal | undefined> {
    return (await this.lookup(secret))?.principal;
  }

  async lookup(secret: string): Promise<ResolvedCredential | undefined> {
    if (!looksLikeToken(secret)) return undefined;
    const now = this.now();
    const found = await this.store.findLiveToken(hashToken(secret), now);
    if (!found) return undefined;
    const { token, user } = found;
    if (token.userId && (!user || user.disabled)) return undefined;
    await this.touch(token.id, now);
    const expiry = { tokenId: token.id, expiresAtMs: token.expiresAtMs };
    if (user) {
      // A user's token acts as that user (same grants, same statuses), never above the user's clearance.
      const maxTlp = token.maxTlp && tlpRank(token.maxTlp) < tlpRank(user.maxTlp) ? token.maxTlp : user.maxTlp;
      return { principal: { id: userPrincipalId(user.id), name: user.username, kind: 'token', isAdmin: user.isAdmin, maxTlp, tokenId: token.id }, ...expiry };
    }
    return { principal: { id: tokenPrincipalId(token.id), name: `token:${token.name}`, kind: 'token', isAdmin: false, maxTlp: token.maxTlp ?? 'clear' }, ...expiry };
  }

  noteUse(tokenId: string): Promise<void> {
    return this.touch(tokenId, this.now());
  }

  private async touch(id: string, now: number): Promise<void> {
    const last = this.touched.get(id);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return;
    if (this.touched.size > 10_000) this.touched.clear();
    this.touched.set(id, now);
    await this.store.touchToken(id, now, TOUCH_INTERVAL_MS);
  }
}

/** The latest expiry a token may have: the last instant of an ISO date with a four-digit year. */
export const LATEST_EXPIRY_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Parses a token's expiry (`--expires`, or the console's Expires field, named by `label`): an ISO 8601
 * date/time, or a duration such as 30d, 12h, 90m, 2w. It must lie ahead and end by 9999-12-31, a time every
 * Date (and so token lists, the audit log and the console) can represent.
 */
export function parseExpiry(value: string, now: number, label = '--expires'): number {
  const forms = 'an ISO date (2026-12-31, 2026-12-31T12:00:00Z) or a duration (90m, 12h, 30d, 2w)';
  let at: number | undefined;
  const d = /^(\d+)\s*([mhdw])$/i.exec(value.trim());
  if (d) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[d[2]!.toLowerCase() as 'm' | 'h' | 'd' | 'w'];
    const ms = Number(d[1]) * unit;
    if (ms <= 0) throw new Error(`${label} ${value}: the duration must be positive`);
    at = now + ms;
  } else if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) {
      if (t <= now) throw new Error(`${label} ${value} is in the past`);
      at = t;
    }
  }
  if (at === undefined) throw new Error(`${label} "${value}" is neither ${forms.replace(' or ', ' nor ')}`);
  if (!(at <= LATEST_EXPIRY_MS)) {
    throw new Error(`${label} "${value}" is too far ahead: give ${forms} ending by 9999-12-31, or leave ${label} out for a token that never expires`);
  }
  return at;
}
