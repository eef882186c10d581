import { createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { UnauthorizedError } from '../../domain/errors';
import type { User, UserStore } from '../../store/user-store';
import type { LoginThrottle } from '../login-throttle';
import { looksLikeToken, userPrincipalId } from '../token-service';
import { ANONYMOUS, type Principal } from '../access';
import { SingleFlight } from '../../common/single-flight';
import { addressKey } from '../../common/network';

const scrypt = promisify(scryptCb) as (pw: string | Buffer, salt: Buffer, len: number, opts: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  // Users that log in only with a client certificate have no usable hash ("!").
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return timingSafeEqual(actual, expected);
}

/** Resolves an API token to a principal (tokens are high-entropy: a SHA-256 lookup, no slow hash). */
export interface TokenResolver {
  resolve(token: string): Promise<Principal | undefined>;
  /** As resolve, with what lets the principal be reused: the token's id and expiry. */
  lookup?(token: string): Promise<ResolvedCredential | undefined>;
  /** Records a use of a token whose principal was reused without a lookup. */
  noteUse?(tokenId: string): Promise<void>;
}

/** A principal resolved from credentials, with what bounds its reuse. */
export interface ResolvedCredential {
  principal: Principal;
  tokenId?: string;
  expiresAtMs?: number;
}

/** The store's access-control revision (PrincipalStore.authRevision). */
export interface AuthRevisionSource {
  authRevision(): Promise<number>;
}

export interface Credentials {
  scheme: 'basic' | 'bearer' | 'token';
  username?: string;
  secret: string;
}

/** Parses an Authorization header; undefined when absent, 401 when present but unusable. */
export function parseAuthorization(header: string | undefined): Credentials | undefined {
  if (header === undefined || header === '') return undefined;
  const sp = header.indexOf(' ');
  const scheme = (sp < 0 ? header : header.slice(0, sp)).toLowerCase();
  const value = sp < 0 ? '' : header.slice(sp + 1).trim();
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new UnauthorizedError('The Basic credentials are malformed; send base64("user:password").');
    return { scheme: 'basic', username: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  if (scheme === 'bearer' || scheme === 'token') {
    if (!value) throw new UnauthorizedError(`The ${scheme} credentials are empty.`);
    return { scheme, secret: value };
  }
  throw new UnauthorizedError(`The authorization scheme "${scheme}" is not supported; use Basic, Bearer or Token.`);
}

/** Where a request comes from, as far as authentication cares. */
export interface RequestOrigin {
  remoteAddress?: string;
  /** Subject CN of a client certificate that the TLS layer verified against the configured CA. */
  clientCertSubject?: string;
}

export interface CertificateUsers {
  findUserByCertSubject(subject: string): Promise<User | undefined>;
}

export interface AuthServiceOptions {
  tokens?: TokenResolver;
  certificates?: CertificateUsers;
  throttle?: LoginThrottle;
  /** When given, resolved principals are reused while the revision is unchanged. */
  revisions?: AuthRevisionSource;
  cacheTtlMs?: number;
  cacheMax?: number;
}

/**
 * Authenticates requests. Two caches, both keyed by a keyed hash of the credentials (the key never holds a
 * password or token):
 * - a verified password is remembered for a short time, so a poller sending Basic on every request pays the
 *   slow scrypt once per TTL, not per request; it only remembers that the password matched a given stored hash;
 * - the resolved principal is reused while the store's access-control revision is unchanged. Triggers move
 *   the revision in the transaction of every change to users, grants and token validity, from any process,
 *   and it is read once per authenticated request before anything else, so disabling a user, lowering its
 *   clearance, changing its password or revoking a token or grant takes effect on the next request. A
 *   token's expiry bounds its entry. Failed credentials are never cached.
 */
export class AuthService {
  private readonly cacheKey = randomBytes(32);
  private readonly cache = new Map<string, { passwordHash: string; expires: number }>();
  private readonly principals = new Map<string, { revision: number; found: ResolvedCredential; validUntil: number }>();
  /**
   * Resolutions under way, by revision and credentials key. A poller's connections that send credentials the
   * cache does not hold (the first requests, or all of them when an entry's TTL ends) would otherwise each
   * run scrypt at once, each with 16 MB of working memory on the thread pool. A request that read a newer
   * revision never joins a resolution begun under an older one, which may have read data since changed.
   */
  private readonly resolving = new SingleFlight<ResolvedCredential | undefined>();
  private readonly tokens?: TokenResolver;
  private readonly certificates?: CertificateUsers;
  private readonly throttle?: LoginThrottle;
  private readonly revisions?: AuthRevisionSource;
  private readonly cacheTtlMs: number;
  private readonly cacheMax: number;

  constructor(
    private readonly users: UserStore,
    opts: AuthServiceOptions = {},
  ) {
    this.tokens = opts.tokens;
    this.certificates = opts.certificates;
    this.throttle = opts.throttle;
    this.revisions = opts.revisions;
    this.cacheTtlMs = opts.cacheTtlMs ?? 30_000;
    this.cacheMax = opts.cacheMax ?? 10_000;
  }

  async authenticate(authorization: string | undefined, origin: RequestOrigin = {}): Promise<Principal> {
    const creds = parseAuthorization(authorization);
    if (!creds) {
      const subject = origin.clientCertSubject;
      if (subject && this.certificates) {
        const principal = await this.remembered(`c\u0000${subject}`, async () => {
          const user = await this.certificates!.findUserByCertSubject(subject);
          return user && !user.disabled ? { principal: toPrincipal(user, 'user') } : undefined;
        });
        if (!principal) throw new UnauthorizedError('The client certificate is not mapped to an enabled user.');
        return principal;
      }
      return ANONYMOUS;
    }
    // Failures are counted by network as the rate limits are: an IPv6 client could take a fresh address for
    // every attempt.
    const address = () => addressKey(origin.remoteAddress ?? '');
    // API tokens first (Bearer, Token, or an API key in the Basic password slot, as SIEM connectors send it):
    // a token cannot be guessed and is looked up by its hash, so a valid one is accepted whatever failures
    // its address has had, of tokens or of passwords. Unknown Bearer and Token credentials are counted per
    // address on a key of their own: past the limit they get 429, and they lock out no password account and
    // no valid token. A Basic credential names an account, so when its password is not a valid token it is
    // a password attempt on that account like any other, counted per (address, username) below.
    if (creds.scheme !== 'basic' || (this.tokens && looksLikeToken(creds.secret))) {
      const principal = await this.remembered(`t\u0000${creds.secret}`, () => this.resolveToken(creds.secret));
      if (principal) return principal;
      if (creds.scheme !== 'basic') {
        this.throttle?.checkUnknownToken(address());
        this.throttle?.failUnknownToken(address());
        throw new UnauthorizedError('The API token is unknown, revoked or expired.');
      }
    }
    // Passwords: throttled per (address, username), checked before the password hash is computed.
    const username = creds.username!;
    this.throttle?.check(address(), username);
    const principal = await this.remembered(`b\u0000${username}\u0000${creds.secret}`, async () => {
      const found = await this.checkPassword(username, creds.secret);
      return found && { principal: found };
    });
    if (!principal) {
      this.throttle?.fail(address(), username);
      throw new UnauthorizedError('The username or password is wrong, or the account is disabled.');
    }
    this.throttle?.succeed(address(), username);
    return principal;
  }

  /**
   * The principal for credentials: reused while the access-control revision read first is the one it was
   * resolved at (and within its TTL and the token's expiry), else resolved again. Reading the revision before
   * the data means an entry is never tagged with a revision newer than what it was read from.
   */
  private async remembered(credentials: string, load: () => Promise<ResolvedCredential | undefined>): Promise<Principal | undefined> {
    const revision = this.revisions ? await this.revisions.authRevision() : undefined;
    const key = createHmac('sha256', this.cacheKey).update(credentials).digest('base64');
    const now = Date.now();
    const hit = this.principals.get(key);
    if (hit && hit.revision === revision && hit.validUntil > now) {
      if (hit.found.tokenId) await this.tokens?.noteUse?.(hit.found.tokenId);
      return { ...hit.found.principal, authRevision: revision };
    }
    const found = await this.resolving.run(`${revision ?? ''}\u0000${key}`, load);
    if (!found) {
      this.principals.delete(key);
      return undefined;
    }
    if (revision === undefined) return found.principal;
    if (!hit && this.principals.size >= this.cacheMax) this.principals.delete(this.principals.keys().next().value!);
    this.principals.set(key, { revision, found, validUntil: Math.min(now + this.cacheTtlMs, found.expiresAtMs ?? Infinity) });
    return { ...found.principal, authRevision: revision };
  }

  private async resolveToken(secret: string): Promise<ResolvedCredential | undefined> {
    if (!this.tokens) return undefined;
    if (this.tokens.lookup) return this.tokens.lookup(secret);
    const principal = await this.tokens.resolve(secret);
    // A resolver that cannot say when its token stops working: its principal is not reused.
    return principal && { principal, expiresAtMs: 0 };
  }

  private async checkPassword(username: string, password: string): Promise<Principal | undefined> {
    const user = username ? await this.users.findByName(username) : undefined;
    if (!user || user.disabled) return undefined;
    const key = createHmac('sha256', this.cacheKey).update(`${username}\u0000${password}`).digest('base64');
    const hit = this.cache.get(key);
    if (hit && hit.expires > Date.now() && hit.passwordHash === user.passwordHash) return toPrincipal(user, 'user');
    if (!(await verifyPassword(password, user.passwordHash))) return undefined;
    if (this.cache.size >= this.cacheMax) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { passwordHash: user.passwordHash, expires: Date.now() + this.cacheTtlMs });
    return toPrincipal(user, 'user');
  }

  /** Forgets cached credentials and principals. */
  clearCache(): void {
    this.cache.clear();
    this.principals.clear();
  }
}

function toPrincipal(user: User, kind: 'user' | 'token'): Principal {
  return { id: userPrincipalId(user.id), name: user.username, kind, isAdmin: user.isAdmin, maxTlp: user.maxTlp };
}
