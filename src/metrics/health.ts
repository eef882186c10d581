/**
 * Liveness and readiness. Alive: the process answers. Ready: the database answers, every migration this
 * build knows is applied, and the server is not shutting down. A load balancer stops sending requests
 * on the first failed readiness probe, which is why shutdown flips it before anything else.
 */
export interface ReadinessChecks {
  /** Resolves true when the database answers and its migrations are current; may throw when unreachable. */
  migrationsCurrent: () => Promise<boolean>;
}

export interface Readiness {
  ready: boolean;
  database: 'ok' | 'unreachable';
  migrations: 'current' | 'pending' | 'unknown';
  shutting_down: boolean;
}

export class Health {
  private stopping = false;
  private last?: { at: number; result: Readiness };
  private running?: Promise<Readiness>;

  constructor(
    private readonly checks: ReadinessChecks,
    private readonly opts: { timeoutMs?: number; cacheMs?: number; now?: () => number } = {},
  ) {}

  /** From now on readiness fails (graceful shutdown). */
  shutdown(): void {
    this.stopping = true;
  }

  get shuttingDown(): boolean {
    return this.stopping;
  }

  /**
   * Checks readiness. Concurrent probes share one check, and a result is reused for cacheMs (default
   * 0.5 s), so probes stay cheap; an unreachable database fails the check after timeoutMs (default 2 s)
   * rather than waiting for the pool's acquire timeout.
   */
  async check(): Promise<Readiness> {
    const now = (this.opts.now ?? Date.now)();
    if (this.last && now - this.last.at < (this.opts.cacheMs ?? 500)) return this.withStopping(this.last.result);
    this.running ??= this.probe().finally(() => (this.running = undefined));
    return this.withStopping(await this.running);
  }

  private withStopping(r: Readiness): Readiness {
    return this.stopping ? { ...r, ready: false, shutting_down: true } : r;
  }

  private async probe(): Promise<Readiness> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.opts.timeoutMs ?? 2000);
      timer.unref();
    });
    let result: Readiness;
    try {
      const current = await Promise.race([this.checks.migrationsCurrent(), timeout]);
      result =
        current === 'timeout'
          ? { ready: false, database: 'unreachable', migrations: 'unknown', shutting_down: false }
          : { ready: current, database: 'ok', migrations: current ? 'current' : 'pending', shutting_down: false };
    } catch {
      result = { ready: false, database: 'unreachable', migrations: 'unknown', shutting_down: false };
    } finally {
      clearTimeout(timer);
    }
    this.last = { at: (this.opts.now ?? Date.now)(), result };
    return result;
  }
}
