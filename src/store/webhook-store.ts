import type { Visibility } from '../domain/types';
import type { Db } from './db';

const WEBHOOKS = 'webhooks';

export type WebhookStatus = 'active' | 'dead';

export interface Webhook {
  id: string;
  collectionId: string;
  principalId: string;
  url: string;
  secret: string;
  types?: string[];
  /** The subscriber's TLP clearance when it subscribed; undefined: no filter. */
  visibility?: Visibility;
  /** Delivered up to and including this change-log position. */
  positionUs: number;
  /**
   * Where retention had removed deletion events to (ChangeStore.prunedThrough) when the position was last
   * known to miss none: a position behind deletion events removed after this can no longer tell every deletion.
   */
  prunedUs: number;
  status: WebhookStatus;
  failures: number;
  nextAttemptMs: number;
  lastError?: string;
  createdAtMs: number;
}

/** Webhook subscriptions and their delivery state. The only place that knows the `webhooks` table. */
export class WebhookStore {
  constructor(private readonly db: Db) {}

  async create(w: Omit<Webhook, 'status' | 'failures' | 'nextAttemptMs' | 'lastError'>): Promise<void> {
    await this.db.knex(WEBHOOKS).insert({
      id: w.id,
      collection_id: w.collectionId,
      principal_id: w.principalId,
      url: w.url,
      secret: w.secret,
      types: w.types?.length ? JSON.stringify(w.types) : null,
      max_tlp: w.visibility?.maxTlp ?? null,
      default_tlp: w.visibility?.defaultTlp ?? null,
      position_us: w.positionUs,
      pruned_us: w.prunedUs,
      status: 'active',
      failures: 0,
      next_attempt_ms: 0,
      claimed_until_ms: 0,
      created_at_ms: w.createdAtMs,
    });
  }

  async list(q: { collectionId?: string; principalId?: string } = {}): Promise<Webhook[]> {
    const query = this.db.knex(WEBHOOKS).select('*').orderBy('created_at_ms', 'asc');
    if (q.collectionId) query.where('collection_id', q.collectionId);
    if (q.principalId) query.where('principal_id', q.principalId);
    return (await query).map(toWebhook);
  }

  async get(id: string): Promise<Webhook | undefined> {
    const row = await this.db.knex(WEBHOOKS).where('id', id).first();
    return row ? toWebhook(row) : undefined;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.db.knex(WEBHOOKS).where('id', id).delete()) > 0;
  }

  /**
   * Leases up to `limit` active subscriptions that are due, for `leaseMs`. Each lease is a conditional
   * update of one row: of several processes racing for a subscription exactly one gets it.
   */
  async claimDue(nowMs: number, leaseMs: number, limit: number): Promise<Webhook[]> {
    const candidates = await this.db
      .knex(WEBHOOKS)
      .where('status', 'active')
      .where('next_attempt_ms', '<=', nowMs)
      .where('claimed_until_ms', '<', nowMs)
      .orderBy('next_attempt_ms', 'asc')
      .limit(limit)
      .select('*');
    const claimed: Webhook[] = [];
    for (const row of candidates) {
      const n = await this.db
        .knex(WEBHOOKS)
        .where('id', row.id)
        .where('claimed_until_ms', '<', nowMs)
        .where('status', 'active')
        .where('next_attempt_ms', '<=', nowMs)
        .update({ claimed_until_ms: nowMs + leaseMs });
      if (n !== 1) continue;
      // Read again under the lease: another process may have delivered (or failed) it since the first read.
      const fresh = await this.db.knex(WEBHOOKS).where('id', row.id).first();
      if (fresh) claimed.push(toWebhook(fresh));
    }
    return claimed;
  }

  /** A batch was accepted: the position advances, failures reset, the lease ends. */
  async delivered(id: string, positionUs: number, prunedUs: number): Promise<void> {
    await this.db.knex(WEBHOOKS).where('id', id).update({ position_us: positionUs, pruned_us: prunedUs, failures: 0, next_attempt_ms: 0, last_error: null, claimed_until_ms: 0 });
  }

  /** A delivery failed: retry at nextAttemptMs, or dead-letter the subscription. */
  async failed(id: string, u: { failures: number; nextAttemptMs: number; dead: boolean; error: string }): Promise<void> {
    await this.db
      .knex(WEBHOOKS)
      .where('id', id)
      .update({ failures: u.failures, next_attempt_ms: u.nextAttemptMs, status: u.dead ? 'dead' : 'active', last_error: u.error.slice(0, 1000), claimed_until_ms: 0 });
  }

  /** Ends a lease without a delivery (nothing new). */
  async release(id: string, nextAttemptMs: number): Promise<void> {
    await this.db.knex(WEBHOOKS).where('id', id).update({ claimed_until_ms: 0, next_attempt_ms: nextAttemptMs });
  }

  /** Re-activates a subscription and makes it deliver again from a position. */
  async replay(id: string, positionUs: number, prunedUs: number): Promise<boolean> {
    return (await this.db.knex(WEBHOOKS).where('id', id).update({ position_us: positionUs, pruned_us: prunedUs, status: 'active', failures: 0, next_attempt_ms: 0, last_error: null })) > 0;
  }
}

function toWebhook(r: any): Webhook {
  return {
    id: r.id,
    collectionId: r.collection_id,
    principalId: r.principal_id,
    url: r.url,
    secret: r.secret,
    types: r.types ? JSON.parse(r.types) : undefined,
    visibility: r.max_tlp === null || r.max_tlp === undefined ? undefined : { maxTlp: Number(r.max_tlp), defaultTlp: Number(r.default_tlp) },
    positionUs: Number(r.position_us),
    prunedUs: Number(r.pruned_us ?? 0),
    status: r.status,
    failures: Number(r.failures),
    nextAttemptMs: Number(r.next_attempt_ms),
    lastError: r.last_error ?? undefined,
    createdAtMs: Number(r.created_at_ms),
  };
}
