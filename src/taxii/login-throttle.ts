import { TooManyRequestsError } from '../domain/errors';

export interface LoginThrottleOptions {
  /** Failures allowed per address and username within the window before further attempts get 429. */
  maxFailures: number;
  windowMs: number;
  /** Bound on remembered keys so that a spray of usernames cannot grow memory without limit. */
  maxKeys?: number;
}

/**
 * Failed-login throttle per (remote address, username): after `maxFailures` failures within the window,
 * attempts are refused with 429 until the oldest failure leaves the window. It is checked before the
 * password hash is computed, so guessing also stops costing the server scrypt time.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly opts: LoginThrottleOptions,
    private readonly now: () => number = Date.now,
  ) {}

  check(address: string, username: string, what = 'Too many failed logins from this address for this account'): void {
    const list = this.recent(this.key(address, username));
    if (list.length >= this.opts.maxFailures) {
      const retry = Math.max(1, Math.ceil((list[0]! + this.opts.windowMs - this.now()) / 1000));
      throw new TooManyRequestsError(`${what}; retry in ${retry} seconds.`, retry);
    }
  }

  fail(address: string, username: string): void {
    const key = this.key(address, username);
    const list = this.recent(key);
    list.push(this.now());
    this.failures.delete(key);
    this.failures.set(key, list);
    if (this.failures.size > (this.opts.maxKeys ?? 100_000)) this.failures.delete(this.failures.keys().next().value!);
  }

  succeed(address: string, username: string): void {
    this.failures.delete(this.key(address, username));
  }

  private key(address: string, username: string): string {
    return `${address}\u0000${username}`;
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.opts.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }
}
