import type { AuditEntry, AuditStore } from '../../store/audit-store';
import type { Principal } from '../access';

export type AuditAction =
  | 'objects.add'
  | 'console.sign-in'
  | 'object.delete'
  | 'grant'
  | 'revoke'
  | 'user.add'
  | 'user.update'
  | 'user.disable'
  | 'user.enable'
  | 'user.set-password'
  | 'user.set-clearance'
  | 'token.create'
  | 'token.revoke'
  | 'review.approve'
  | 'review.reject'
  | 'review.withdraw';

/** Checklist item 53: who changed what, when, and from where. Secrets never reach the details. */
export class AuditService {
  constructor(
    private readonly store: AuditStore,
    private readonly now: () => number = Date.now,
  ) {}

  async record(actor: Principal | string, action: AuditAction, target: string, e: { remoteAddr?: string; details?: Record<string, unknown> } = {}): Promise<void> {
    const who = typeof actor === 'string' ? actor : `${actor.name} (${actor.id})`;
    await this.store.append({ atMs: this.now(), actor: who, action, target, remoteAddr: e.remoteAddr, details: e.details });
  }

  list(q: { sinceMs?: number; limit: number }): Promise<AuditEntry[]> {
    return this.store.list(q);
  }

  /** Removes the entries older than `retentionDays` (config `audit.retention_days`); returns how many. */
  prune(retentionDays: number): Promise<number> {
    return this.store.prune(this.now() - retentionDays * 86_400_000);
  }
}
