import { TooManyRequestsError } from '../domain/errors';

export interface LoginThrottleOptions {
  /** Failures allowed per key within the window before further attempts get 429. */
  maxFailures: number;
  windowMs: number;
  /** Bound on remembered keys so that a spray of usernames or addresses cannot grow memory without limit. */
  maxKeys?: number;
}

/**
 * Failed-login throttle with two kinds of key, counted apart:
 * - a password account, per (remote address, username): after `maxFailures` failures within the window,
 *   attempts are refused with 429 until the oldest failure leaves the window. It is checked before the
 *   password hash is computed, so guessing also stops costing the server scrypt time;
 * - unknown API tokens, per remote address. Only unknown tokens are refused by it: a token is checked by its
 *   hash and cannot be guessed, so a valid one is accepted whatever this key holds (see AuthService).
 * Memory is bounded twice: at most `maxKeys` keys (the one failed longest ago is dropped), and at most
 * `maxFailures` times per key, however many failures arrive (a flood of garbage tokens from one address is one
 * key of `maxFailures` numbers).
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly opts: LoginThrottleOptions,
    private readonly now: () => number = Date.now,
  ) {}

  check(address: string, username: string): void {
    this.refuseAtLimit(accountKey(address, username), 'Too many failed logins from this address for this account');
  }

  fail(address: string, username: string): void {
    this.record(accountKey(address, username));
  }

  succeed(address: string, username: string): void {
    this.failures.delete(accountKey(address, username));
  }

  /** 429 when the address has sent too many unknown API tokens; ask only after the token was found unknown. */
  checkUnknownToken(address: string): void {
    this.refuseAtLimit(tokenKey(address), 'Too many unknown API tokens from this address');
  }

  failUnknownToken(address: string): void {
    this.record(tokenKey(address));
  }

  private refuseAtLimit(key: string, what: string): void {
    const list = this.recent(key);
    if (list.length >= this.opts.maxFailures) {
      // The failures kept are the newest: the count falls below the limit when the oldest of them leaves.
      const retry = Math.max(1, Math.ceil((list[0]! + this.opts.windowMs - this.now()) / 1000));
      throw new TooManyRequestsError(`${what}; retry in ${retry} seconds.`, retry);
    }
  }

  private record(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    // Concurrent attempts can all pass the check before any fails; beyond the limit only the newest count.
    if (list.length > this.opts.maxFailures) list.splice(0, list.length - this.opts.maxFailures);
    this.failures.delete(key);
    this.failures.set(key, list);
    if (this.failures.size > (this.opts.maxKeys ?? 100_000)) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.opts.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }
}

/** The kind comes first, so no username (a Basic username may hold any character) can name a token key. */
function accountKey(address: string, username: string): string {
  return `a\u0000${address}\u0000${username}`;
}

function tokenKey(address: string): string {
  return `t\u0000${address}`;
}
