import { randomBytes, randomUUID } from 'node:crypto';
import type { Config } from '../config/config';
import type { Visibility } from '../domain/types';
import { DomainError, ForbiddenError, InvalidInputError, NotFoundError } from '../domain/errors';
import { microsToTimestamp, timestampToMicros } from '../common/time';
import type { ChangeStore } from '../store/change-store';
import type { Webhook, WebhookStore } from '../store/webhook-store';
import { visibilityFor, type Principal } from '../taxii/access';
import type { StandingView, Subscriber } from '../taxii/standing-access';
import type { CollectionService } from '../taxii/services/collection-service';
import { ChangeMetrics } from './metrics';
import { EgressPolicy, postUnderPolicy } from './egress';
import { signatureHeader, SIGNATURE_HEADER } from './webhook-signature';

const STIX_TYPE = /^[a-z0-9](?:[a-z0-9-]{1,248})[a-z0-9]$/;
const WEBHOOK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Changes per delivery at most. */
const BATCH = 100;

/** A subscription as its owner sees it (the secret only once, at creation). */
export function webhookResource(w: Webhook, withSecret = false): Record<string, unknown> {
  return {
    id: w.id,
    url: w.url,
    ...(w.types ? { match_type: w.types } : {}),
    status: w.status,
    delivered_through: microsToTimestamp(w.positionUs),
    failures: w.failures,
    ...(w.lastError ? { last_error: w.lastError } : {}),
    ...(withSecret ? { secret: w.secret } : {}),
  };
}

/**
 * How a caller names a subscription's fields in the refusals it reads: the extension endpoint's JSON
 * members, or the command line's argument and options (src/cli/webhook-commands.ts).
 */
export interface SubscriptionTerms {
  url: string;
  secret: string;
  /** The type filter and the form it takes, e.g. 'match_type is a list of STIX type names, e.g. ["indicator"]'. */
  types: string;
  addedAfter: string;
}

/** The members a subscription body may have. */
const SUBSCRIPTION_MEMBERS = ['url', 'secret', 'match_type', 'added_after'];

/** The caller already has a subscription of this URL with these types on the collection. */
export class DuplicateSubscriptionError extends DomainError {
  constructor(existing: string) {
    super(
      409,
      'Already subscribed',
      `Webhook ${existing} already delivers these changes to this URL; a second one would deliver each change twice. ` +
        `Keep it, or remove it first (DELETE webhooks/${existing}, or webhook remove ${existing}) to subscribe again with other settings.`,
    );
  }
}

/**
 * Whether a position is behind a deletion event that retention removed (`prunedThrough`), so that reading on from
 * it would miss that deletion. Position 0 (the start of the log) is a full resync: what is stored now plus the
 * deletions still kept, as the change feed read without added_after.
 */
export function behindRetention(positionUs: number, prunedThroughUs: number): boolean {
  return positionUs > 0 && positionUs < prunedThroughUs;
}

/** A subscription asked to start behind deletion events retention removed. */
export class SubscriptionBehindRetentionError extends DomainError {
  constructor(addedAfter: string) {
    super(
      410,
      'Changes no longer available',
      `Deletion events after that ${addedAfter} have been removed by retention (changes.delete_retention_days), so deliveries from there could not tell you of them. ` +
        `Subscribe without ${addedAfter} (from now) after a resync, with a later ${addedAfter}, or with ${addedAfter} 1970-01-01T00:00:00Z to receive everything stored now, then replace what you hold.`,
    );
  }
}

const API_TERMS: SubscriptionTerms = { url: 'url', secret: 'secret', types: 'match_type is a list of STIX type names, e.g. ["indicator"]', addedAfter: 'added_after' };

/** Subscribing to a collection's changes (the extension endpoint and the CLI). */
/** The caller holds as many subscriptions as one principal may (changes.max_webhooks_per_principal). */
export class SubscriptionLimitError extends DomainError {
  constructor(max: number) {
    super(
      403,
      'Too many webhook subscriptions',
      `You hold ${max} webhook subscriptions, the most one user or token may hold (each makes the server post every change to its receiver). ` +
        'Remove one you no longer need (DELETE webhooks/{id}, or webhook remove <id>) before adding another, or ask an administrator to raise changes.max_webhooks_per_principal.',
    );
  }
}

export class WebhookService {
  constructor(
    private readonly collections: CollectionService,
    private readonly store: WebhookStore,
    private readonly changes: ChangeStore,
    private readonly egress: EgressPolicy = new EgressPolicy(),
    /** Subscriptions one principal may hold across all collections; administrators are not limited. */
    private readonly maxPerPrincipal = Number.POSITIVE_INFINITY,
  ) {}

  async subscribe(p: Principal, root: string, coll: string, body: unknown, terms: SubscriptionTerms = API_TERMS): Promise<Record<string, unknown>> {
    const { collection } = await this.collections.resolve(p, root, coll, 'read');
    if (p.kind === 'anonymous') throw new ForbiddenError('Subscribing needs credentials: a webhook belongs to a user or token.');
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b !== 'object' || Array.isArray(b)) throw new InvalidInputError('Send a JSON object {"url": "https://…", "secret"?: "…", "match_type"?: ["indicator"], "added_after"?: "<timestamp>"}.');
    // A misspelt member (match_typ) would be ignored and subscribe to more than was asked for: refused instead.
    const unknown = Object.keys(b).find((k) => !SUBSCRIPTION_MEMBERS.includes(k));
    if (unknown !== undefined) throw new InvalidInputError(`${JSON.stringify(unknown.slice(0, 60))} is not a member of a subscription; send only ${SUBSCRIPTION_MEMBERS.join(', ')}.`);
    const url = typeof b.url === 'string' ? safeUrl(b.url) : undefined;
    if (!url) throw new InvalidInputError(`${terms.url} must be an absolute http or https URL without credentials, e.g. https://siem.example/hooks/taxii.`);
    const refused = this.egress.urlRefusal(new URL(url));
    if (refused) throw new InvalidInputError(`${terms.url}: ${refused}.`);
    if (b.secret !== undefined && (typeof b.secret !== 'string' || b.secret.length < 16 || b.secret.length > 256)) {
      throw new InvalidInputError(`${terms.secret}, when given, is a string of 16-256 characters; leave it out to get a generated one.`);
    }
    // A receiver computes the HMAC over the secret's UTF-8 bytes: a lone surrogate has none (it would be signed
    // as U+FFFD), and PostgreSQL cannot store a NUL; control characters do not survive configuration files either.
    if (typeof b.secret === 'string' && (/[\u0000-\u001f\u007f]/.test(b.secret) || LONE_SURROGATE.test(b.secret))) {
      throw new InvalidInputError(`${terms.secret} may not hold control characters (NUL, tab, line breaks) or unpaired UTF-16 surrogates; use printable text, or leave it out to get a generated one.`);
    }
    let types: string[] | undefined;
    if (b.match_type !== undefined) {
      // An empty list would filter nothing (every type is delivered) while the subscription shows an empty filter.
      if (!Array.isArray(b.match_type) || !b.match_type.length || !b.match_type.every((t) => typeof t === 'string' && STIX_TYPE.test(t))) throw new InvalidInputError(`${terms.types}.`);
      types = [...new Set(b.match_type as string[])].sort();
    }
    // The same subscription twice would deliver every change twice to the same receiver.
    const held = await this.store.list({ principalId: p.id });
    const same = held.find((w) => w.collectionId === collection.id && w.url === url && (w.types ?? []).join(',') === (types ?? []).join(','));
    if (same) throw new DuplicateSubscriptionError(same.id);
    // Each subscription makes every server post each change it may read; a principal cannot multiply that at will.
    if (!p.isAdmin && held.length >= this.maxPerPrincipal) throw new SubscriptionLimitError(this.maxPerPrincipal);
    let positionUs: number;
    const prunedUs = await this.changes.prunedThrough(collection.id);
    if (b.added_after !== undefined) {
      const us = typeof b.added_after === 'string' ? timestampToMicros(b.added_after) : undefined;
      if (us === undefined) throw new InvalidInputError(`${terms.addedAfter} is an RFC 3339 timestamp: deliveries start with the changes after it.`);
      // As the change feed answers 410: deliveries from there could not tell of deletions retention removed.
      if (behindRetention(us, prunedUs)) throw new SubscriptionBehindRetentionError(terms.addedAfter);
      positionUs = us;
    } else {
      positionUs = await this.changes.latestPosition(collection.id);
    }
    const w: Webhook = {
      id: randomUUID(),
      collectionId: collection.id,
      principalId: p.id,
      url,
      secret: (b.secret as string | undefined) ?? randomBytes(24).toString('base64url'),
      types,
      visibility: visibilityFor(p, collection),
      positionUs,
      prunedUs,
      status: 'active',
      failures: 0,
      nextAttemptMs: 0,
      createdAtMs: Date.now(),
    };
    await this.store.create(w);
    return webhookResource(w, true);
  }

  async list(p: Principal, root: string, coll: string): Promise<Record<string, unknown>[]> {
    const { collection } = await this.collections.resolve(p, root, coll, 'read');
    const all = await this.store.list({ collectionId: collection.id, principalId: p.isAdmin ? undefined : p.id });
    return all.map((w) => webhookResource(w));
  }

  async remove(p: Principal, root: string, coll: string, id: string): Promise<void> {
    const { collection } = await this.collections.resolve(p, root, coll, 'read');
    // Subscription ids are UUIDs; anything else is not looked up (PostgreSQL refuses a NUL in a parameter).
    const w = WEBHOOK_ID.test(id) ? await this.store.get(id) : undefined;
    if (!w || w.collectionId !== collection.id || (!p.isAdmin && w.principalId !== p.id)) {
      throw new NotFoundError(`There is no webhook ${JSON.stringify(id.slice(0, 60))} of yours on this collection; GET webhooks/ lists yours.`);
    }
    await this.store.remove(id);
  }
}

function safeUrl(text: string): string | undefined {
  try {
    const u = new URL(text);
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password || text.length > 2000) return undefined;
    return u.toString();
  } catch {
    return undefined;
  }
}

export interface DispatchOptions {
  maxFailures: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  pollMs: number;
  timeoutMs: number;
  /** Where receivers may be (src/changes/egress.ts). */
  egress: EgressPolicy;
  /**
   * The collection's reader rules as configured now (omit_relationships_to_hidden, granular_markings), joined
   * to the clearance the subscription keeps. Without it, granular markings are redacted and no relationship is left out.
   */
  readerRules?: (collectionId: string) => Pick<Visibility, 'hideEndpointsOfHidden' | 'granular'>;
  /**
   * What the subscriber may read now (src/taxii/standing-access.ts): a subscription whose principal lost
   * read access (grant revoked, user disabled, token revoked or expired) is dead-lettered before it delivers,
   * and a lowered clearance narrows what it gets. Without it, the visibility kept at subscription is used.
   */
  standing?: (s: Subscriber) => Promise<StandingView>;
  /** Told of deliveries and failures (logging, metrics). */
  onDelivery?: (e: { webhookId: string; ok: boolean; changes: number; error?: string; lagMs?: number }) => void;
}

/**
 * Delivers each active subscription's changes in position order, one batch at a time, at least once:
 * the position advances only after a 2xx. Runs in every server process; a subscription is leased by
 * one at a time (WebhookStore.claimDue). Failures back off exponentially; after maxFailures in a row the
 * subscription is dead-lettered until replayed.
 */
export class WebhookDispatcher {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly store: WebhookStore,
    private readonly changes: ChangeStore,
    private readonly opts: DispatchOptions,
    private readonly metrics: ChangeMetrics = new ChangeMetrics(),
  ) {}

  static optionsFrom(config: Config): DispatchOptions {
    const c = config.changes;
    const rules = new Map(config.apiRoots.flatMap((r) => r.collections).map((col) => [col.id, { hideEndpointsOfHidden: col.omitRelationshipsToHidden, granular: col.granularMarkings }] as const));
    return {
      maxFailures: c.webhookMaxFailures,
      backoffBaseMs: c.webhookBackoffBaseMs,
      backoffMaxMs: c.webhookBackoffMaxSeconds * 1000,
      pollMs: c.webhookPollMs,
      timeoutMs: c.webhookTimeoutSeconds * 1000,
      egress: new EgressPolicy(c.webhookAllowNetworks),
      readerRules: (id) => rules.get(id) ?? {},
    };
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runOnce()
        .then(
          () => undefined,
          (err) => this.opts.onDelivery?.({ webhookId: '-', ok: false, changes: 0, error: `dispatch failed: ${(err as Error).message}` }),
        )
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) {
            this.timer = setTimeout(tick, this.opts.pollMs);
            this.timer.unref();
          }
        });
    };
    this.timer = setTimeout(tick, 0);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One round: every due subscription delivers at most one batch. Returns the number of changes delivered. */
  async runOnce(nowMs = Date.now()): Promise<number> {
    const due = await this.store.claimDue(nowMs, this.opts.timeoutMs * 3, 50);
    let delivered = 0;
    for (const w of due) delivered += await this.deliver(w);
    return delivered;
  }

  private async deliver(w: Webhook): Promise<number> {
    const read = (v: Visibility | undefined) => {
      const visibility = v && { ...v, ...this.opts.readerRules?.(w.collectionId) };
      return this.changes.page({ collectionId: w.collectionId, afterUs: w.positionUs, limit: BATCH - 1, visibility, types: w.types, withBodies: true });
    };
    let rows = await read(w.visibility);
    if (rows.length === 0) {
      await this.store.release(w.id, 0);
      return 0;
    }
    // Asked only when there is something to send, so an idle subscription costs no access check.
    const standing = await this.opts.standing?.({ principalId: w.principalId, collectionId: w.collectionId, visibility: w.visibility });
    if (standing && !standing.ok) {
      const error = `access ended: ${standing.reason}; grant it again and replay the subscription, or remove it`;
      await this.store.failed(w.id, { failures: w.failures, nextAttemptMs: Date.now(), dead: true, error });
      this.opts.onDelivery?.({ webhookId: w.id, ok: false, changes: 0, error });
      return 0;
    }
    if (standing && standing.visibility?.maxTlp !== w.visibility?.maxTlp) {
      rows = await read(standing.visibility);
      if (rows.length === 0) {
        await this.store.release(w.id, 0);
        return 0;
      }
    }
    // Retention removed deletion events after this position since it was last known to miss none: the
    // receiver can no longer be told of every deletion, as the change feed answers such a reader 410.
    const prunedUs = await this.changes.prunedThrough(w.collectionId);
    if (w.positionUs < prunedUs && prunedUs > w.prunedUs) {
      const error =
        'fell behind retention: deletion events after its position were removed, so it can no longer tell the receiver of every deletion; ' +
        'replay it from 1970-01-01T00:00:00Z (a full resync: the receiver replaces what it holds) or remove it';
      await this.store.failed(w.id, { failures: w.failures, nextAttemptMs: Date.now(), dead: true, error });
      this.opts.onDelivery?.({ webhookId: w.id, ok: false, changes: 0, error });
      return 0;
    }
    const entries = rows.map((c) => {
      const e = JSON.stringify({ id: c.stixId, version: c.version, date_added: microsToTimestamp(c.positionUs), change: c.change });
      return c.body !== undefined ? `${e.slice(0, -1)},"object":${c.body}}` : e;
    });
    const body = `{"webhook":${JSON.stringify(w.id)},"collection":${JSON.stringify(w.collectionId)},"changes":[${entries.join(',')}]}`;
    const last = rows[rows.length - 1]!.positionUs;
    const t = Math.floor(Date.now() / 1000);
    let error: string | undefined;
    try {
      const headers = { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signatureHeader(w.secret, t, body), 'X-Webhook-Id': w.id };
      const status = await postUnderPolicy(this.opts.egress, w.url, headers, body, this.opts.timeoutMs);
      if (status < 200 || status > 299) error = `the receiver answered ${status}`;
    } catch (e) {
      error = `the receiver could not be reached: ${(e as Error).message}`;
    }
    this.metrics.webhookDeliveries.inc({ outcome: error === undefined ? 'delivered' : 'failed' });
    if (error === undefined) {
      await this.store.delivered(w.id, last, prunedUs);
      this.metrics.webhookChanges.inc(rows.length);
      this.metrics.webhookLag.observe(Math.max(0, Date.now() - rows[0]!.positionUs / 1000) / 1000);
      this.opts.onDelivery?.({ webhookId: w.id, ok: true, changes: rows.length, lagMs: Date.now() - Math.floor(rows[0]!.positionUs / 1000) });
      return rows.length;
    }
    const failures = w.failures + 1;
    const dead = failures >= this.opts.maxFailures;
    const delay = Math.min(this.opts.backoffBaseMs * 2 ** (failures - 1), this.opts.backoffMaxMs);
    await this.store.failed(w.id, { failures, nextAttemptMs: Date.now() + delay, dead, error });
    this.opts.onDelivery?.({ webhookId: w.id, ok: false, changes: 0, error });
    return 0;
  }
}
