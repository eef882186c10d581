import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { PreparedObject, Visibility } from '../domain/types';
import { ReviewConflictError } from '../review/errors';
import type { Actor, ApprovalFacts, ApprovalItem, Provenance, Published, Submission, SubmissionQuery, SubmissionState } from '../review/model';
import type { Db } from './db';
import { servedBody } from '../stix/granular-redaction';
import { granularReader } from './visibility';
import { applyVisibility, type AddedVersion, type ObjectStore, type WriteContext } from './object-store';

const SUBMISSIONS = 'review_submissions';
const PUBLICATIONS = 'review_publications';
const OBJECTS = 'objects';
const COLLECTIONS = 'collections';
const STATUSES = 'statuses';
const BATCH = 400;

/**
 * Review submissions and the provenance of what approvals published. The only place that knows the
 * review tables. Approvals publish through ObjectStore.addWithin, in the approval's own transaction, so
 * approved versions get commit-ordered date_added values exactly like posted ones.
 */
export class ReviewStore {
  constructor(
    private readonly db: Db,
    private readonly objects: ObjectStore,
    private readonly inboxIds: ReadonlySet<string>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a pending submission for every version added to a review inbox, in the adding transaction. */
  readonly recordSubmissions = async (trx: Knex.Transaction, collectionId: string, added: readonly AddedVersion[], ctx?: WriteContext): Promise<void> => {
    if (!this.inboxIds.has(collectionId)) return;
    const at = this.now();
    const rows = added.map((a) => ({
      id: randomUUID(),
      inbox_collection_id: collectionId,
      stix_id: a.stixId,
      type: a.type,
      version_key: a.versionKey,
      version: a.version,
      state: 'pending',
      submitter_id: (ctx?.principalId ?? 'system').slice(0, 64),
      submitter_name: (ctx?.principalName ?? 'system').slice(0, 200),
      status_id: ctx?.statusId ?? null,
      submitted_at_ms: at,
    }));
    for (let i = 0; i < rows.length; i += BATCH) await trx(SUBMISSIONS).insert(rows.slice(i, i + BATCH));
  };

  /** One page of submissions in arrival order; limit+1 rows so the caller knows whether there is more. */
  async list(q: SubmissionQuery): Promise<Submission[]> {
    const query = this.visibleQuery(this.db.knex, q.inboxId, q.visibility).select('s.*');
    if (q.states?.length) query.whereIn('s.state', q.states);
    if (q.types?.length) query.whereIn('s.type', q.types);
    if (q.submitterName !== undefined) query.where('s.submitter_name', q.submitterName);
    if (q.submitterId !== undefined) query.where('s.submitter_id', q.submitterId);
    if (q.ids?.length) query.whereIn('s.id', q.ids);
    if (q.afterSeq !== undefined) query.where('s.seq', '>', q.afterSeq);
    return (await query.orderBy('s.seq', 'asc').limit(q.limit + 1)).map(toSubmission);
  }

  /**
   * Submissions by id, each with the text of its version as the visibility is served it (redacted of granular
   * markings above its clearance; an approval publishes the stored bytes, read again under its locks).
   */
  async find(ids: readonly string[], inboxId: string, visibility?: Visibility): Promise<Array<{ submission: Submission; body: string }>> {
    const out: Array<{ submission: Submission; body: string }> = [];
    const reader = granularReader(visibility);
    for (let i = 0; i < ids.length; i += BATCH) {
      const rows = await this.visibleQuery(this.db.knex, inboxId, visibility)
        .whereIn('s.id', ids.slice(i, i + BATCH))
        .select('s.*', 'o.body', 'o.granular_tlp');
      for (const r of rows) out.push({ submission: toSubmission(r), body: servedBody(r.body, r.granular_tlp === null ? null : Number(r.granular_tlp), reader) });
    }
    return out;
  }

  /** Which inbox a submission belongs to (to route a request by id alone). */
  async inboxOf(id: string): Promise<string | undefined> {
    return (await this.inboxesOf([id])).get(id);
  }

  /** The inbox of each of these submissions that exists. */
  async inboxesOf(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += BATCH) {
      const rows = await this.db.knex(SUBMISSIONS).whereIn('id', ids.slice(i, i + BATCH)).select('id', 'inbox_collection_id');
      for (const r of rows) out.set(r.id, r.inbox_collection_id);
    }
    return out;
  }

  /** The newest pending, visible submission of each of these objects in an inbox. */
  async pendingFor(inboxId: string, stixIds: readonly string[], visibility?: Visibility): Promise<Submission[]> {
    const best = new Map<string, Submission>();
    for (let i = 0; i < stixIds.length; i += BATCH) {
      const rows = await this.visibleQuery(this.db.knex, inboxId, visibility)
        .where('s.state', 'pending')
        .whereIn('s.stix_id', stixIds.slice(i, i + BATCH))
        .select('s.*');
      for (const r of rows.map(toSubmission)) {
        const have = best.get(r.stixId);
        if (!have || have.versionKey < r.versionKey) best.set(r.stixId, r);
      }
    }
    return [...best.values()];
  }

  /** Which of these objects a collection holds (any version). */
  async holds(collectionId: string, stixIds: readonly string[]): Promise<Set<string>> {
    return this.present(this.db.knex, collectionId, [...stixIds]);
  }

  /** The newest version of an object in a collection that the visibility allows (for the diff of `show`). */
  async latestBody(collectionId: string, stixId: string, visibility?: Visibility): Promise<string | undefined> {
    const query = this.db.knex(OBJECTS).where({ collection_id: collectionId, stix_id: stixId });
    applyVisibility(query, visibility);
    const row = await query.orderBy('version_key', 'desc').first('body', 'granular_tlp');
    return row ? servedBody(row.body, row.granular_tlp === null ? null : Number(row.granular_tlp), granularReader(visibility)) : undefined;
  }

  /**
   * Approves pending submissions in one transaction: claims them (a submission decided meanwhile makes
   * the whole approval fail), lets `check` refuse on the facts found under the locks, copies the exact
   * stored bytes of each version into its target through ObjectStore.addWithin, and records provenance.
   */
  async approve(a: {
    ids: readonly string[];
    targetOf: ReadonlyMap<string, string>;
    actor: Actor;
    note?: string;
    referencedIds: (value: unknown) => string[];
    check: (facts: ApprovalFacts) => void;
  }): Promise<Published[]> {
    const at = this.now();
    const targets = [...new Set(a.targetOf.values())].sort();
    return this.db.knex.transaction(async (trx) => {
      // Lock the targets' date_added counters first, in one order for every approval (no deadlock between
      // approvals on PostgreSQL; on SQLite the transaction takes the write lock before it reads).
      for (const t of targets) await trx(COLLECTIONS).where({ id: t }).update({ last_date_added_us: trx.ref('last_date_added_us') });
      await this.claim(trx, a.ids, 'approved', a.actor, at, { note: a.note ?? null });
      const rows = await this.withBodies(trx, a.ids);
      const items: ApprovalItem[] = rows.map((r) => ({ submission: toSubmission(r), target: a.targetOf.get(r.id)!, body: r.body, value: JSON.parse(r.body) }));
      const facts: ApprovalFacts = { items, latestKeys: new Map(), presentRefs: new Map() };
      for (const t of targets) {
        const mine = items.filter((i) => i.target === t);
        facts.latestKeys.set(t, await this.latestKeys(trx, t, mine.map((i) => i.submission.stixId)));
        facts.presentRefs.set(t, await this.present(trx, t, [...new Set(mine.flatMap((i) => a.referencedIds(i.value)))]));
      }
      a.check(facts);

      const published: Published[] = [];
      for (const t of targets) {
        const mine = items.filter((i) => i.target === t);
        const outcomes = await this.objects.addWithin(trx, t, mine.map((i) => prepared(i, rows.find((r) => r.id === i.submission.id)!)));
        outcomes.forEach((o, n) => {
          const s = mine[n]!.submission;
          if (o.kind === 'conflict') throw new ReviewConflictError(`Submission ${s.id} cannot be published into ${t}: ${o.message}`, { submission: s.id });
          published.push({ submissionId: s.id, stixId: s.stixId, version: o.version, into: t, dateAddedUs: o.kind === 'added' ? o.dateAddedUs : undefined });
        });
      }
      for (const p of published) {
        await trx(SUBMISSIONS).where({ id: p.submissionId }).update({ published_into: p.into, published_date_added_us: p.dateAddedUs ?? null });
        if (p.dateAddedUs === undefined) continue;
        await trx(PUBLICATIONS).insert({
          collection_id: p.into,
          stix_id: p.stixId,
          version: p.version,
          date_added_us: p.dateAddedUs,
          submission_id: p.submissionId,
          approved_by_id: a.actor.id.slice(0, 64),
          approved_by_name: a.actor.name.slice(0, 200),
          approved_at_ms: at,
          note: a.note ?? null,
        });
      }
      await this.annotateStatuses(trx, items.map((i) => i.submission), (s) => {
        const p = published.find((x) => x.submissionId === s.id)!;
        return `approved by ${a.actor.name} into ${p.into}${a.note ? ` (${a.note})` : ''}`;
      });
      return published;
    });
  }

  /** Rejects (with a reason) or withdraws pending submissions; the status resources of their POSTs say so too. */
  async decide(d: { ids: readonly string[]; state: Extract<SubmissionState, 'rejected' | 'withdrawn'>; actor: Actor; reason?: string }): Promise<Submission[]> {
    const at = this.now();
    return this.db.knex.transaction(async (trx) => {
      await this.claim(trx, d.ids, d.state, d.actor, at, { reason: d.reason ?? null });
      const subs = (await this.withBodies(trx, d.ids)).map(toSubmission);
      await this.annotateStatuses(trx, subs, () => (d.state === 'rejected' ? `rejected by ${d.actor.name}: ${d.reason}` : `withdrawn by ${d.actor.name}`));
      return subs;
    });
  }

  /** Where a published version came from: the approval that put it into the collection. */
  async provenance(collectionId: string, stixId: string, visibility?: Visibility): Promise<Provenance[]> {
    const query = this.db
      .knex(`${PUBLICATIONS} as p`)
      .join(`${OBJECTS} as o`, (j) => j.on('o.collection_id', 'p.collection_id').andOn('o.stix_id', 'p.stix_id').andOn('o.date_added_us', 'p.date_added_us'))
      .where({ 'p.collection_id': collectionId, 'p.stix_id': stixId })
      .select('p.*')
      .orderBy('p.date_added_us');
    applyVisibility(query, visibility, 'o.');
    const rows = await query;
    return rows.map((r: any) => ({
      version: r.version,
      dateAddedUs: Number(r.date_added_us),
      submissionId: r.submission_id,
      approvedBy: { id: r.approved_by_id, name: r.approved_by_name },
      approvedAtMs: Number(r.approved_at_ms),
      note: r.note ?? undefined,
    }));
  }

  /** Submissions joined to their inbox version, with the caller's TLP filter on that version. */
  private visibleQuery(k: Knex | Knex.Transaction, inboxId: string, visibility?: Visibility): Knex.QueryBuilder {
    const query = k(`${SUBMISSIONS} as s`)
      .join(`${OBJECTS} as o`, (j) => j.on('o.collection_id', 's.inbox_collection_id').andOn('o.stix_id', 's.stix_id').andOn('o.version_key', 's.version_key'))
      .where('s.inbox_collection_id', inboxId);
    applyVisibility(query, visibility, 'o.');
    return query;
  }

  /** Moves pending submissions to `state`; if any of them is not pending (any more), nothing changes. */
  private async claim(trx: Knex.Transaction, ids: readonly string[], state: SubmissionState, actor: Actor, at: number, extra: Record<string, unknown>): Promise<void> {
    let changed = 0;
    for (let i = 0; i < ids.length; i += BATCH) {
      changed += await trx(SUBMISSIONS)
        .whereIn('id', ids.slice(i, i + BATCH))
        .where('state', 'pending')
        .update({ state, decided_at_ms: at, decided_by_id: actor.id.slice(0, 64), decided_by_name: actor.name.slice(0, 200), ...extra });
    }
    if (changed === ids.length) return;
    // Decided by someone else since the caller looked: report what they found (the update above rolls back).
    const done: Array<{ id: string; state: string; decided_by_name: string | null }> = [];
    for (let i = 0; i < ids.length; i += BATCH) {
      const rows = await trx(SUBMISSIONS).whereIn('id', ids.slice(i, i + BATCH)).select('id', 'state', 'decided_by_id', 'decided_by_name', 'decided_at_ms');
      // Leave out the rows this very update claimed.
      done.push(...rows.filter((r: any) => !(r.state === state && r.decided_by_id === actor.id.slice(0, 64) && Number(r.decided_at_ms) === at)));
    }
    throw new ReviewConflictError(
      `Only pending submissions can be ${state}; ${done.map((r) => `${r.id} is already ${r.state}${r.decided_by_name ? ` (by ${r.decided_by_name})` : ''}`).join('; ') || 'some were decided meanwhile'}. Nothing was changed.`,
      { not_pending: Object.fromEntries(done.map((r) => [r.id, r.state])) },
    );
  }

  private async withBodies(trx: Knex.Transaction, ids: readonly string[]): Promise<any[]> {
    const out: any[] = [];
    for (let i = 0; i < ids.length; i += BATCH) {
      const rows = await trx(`${SUBMISSIONS} as s`)
        .leftJoin(`${OBJECTS} as o`, (j) => j.on('o.collection_id', 's.inbox_collection_id').andOn('o.stix_id', 's.stix_id').andOn('o.version_key', 's.version_key'))
        .whereIn('s.id', ids.slice(i, i + BATCH))
        .orderBy('s.seq')
        .select('s.*', 'o.body', 'o.spec_version', 'o.revoked', 'o.tlp');
      out.push(...rows);
    }
    const gone = out.filter((r) => r.body === null || r.body === undefined);
    if (gone.length) throw new ReviewConflictError(`The inbox no longer holds the version of ${gone.map((r) => r.id).join(', ')} (it was deleted); nothing was changed.`);
    return out;
  }

  private async latestKeys(trx: Knex.Transaction, collectionId: string, stixIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < stixIds.length; i += BATCH) {
      const rows = await trx(OBJECTS)
        .where('collection_id', collectionId)
        .whereIn('stix_id', stixIds.slice(i, i + BATCH))
        // `+is_latest`: look the objects up through objects_version_uq, not the collection's latest-flag index.
        .whereRaw('+?? = 1', ['is_latest'])
        .select('stix_id', 'version_key');
      for (const r of rows) out.set(r.stix_id, r.version_key);
    }
    return out;
  }

  private async present(trx: Knex | Knex.Transaction, collectionId: string, stixIds: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < stixIds.length; i += BATCH) {
      const rows = await trx(OBJECTS).where('collection_id', collectionId).whereIn('stix_id', stixIds.slice(i, i + BATCH)).distinct('stix_id');
      for (const r of rows) out.add(r.stix_id);
    }
    return out;
  }

  /** Appends the review outcome to the message of the version's entry in the status resource of its POST. */
  private async annotateStatuses(trx: Knex.Transaction, subs: Submission[], text: (s: Submission) => string): Promise<void> {
    const byStatus = new Map<string, Submission[]>();
    for (const s of subs) if (s.statusId) byStatus.set(s.statusId, [...(byStatus.get(s.statusId) ?? []), s]);
    for (const [statusId, list] of byStatus) {
      const q = trx(STATUSES).where({ id: statusId }).first('body');
      if (this.db.dialect === 'postgres') q.forUpdate();
      const row = await q;
      if (!row) continue;
      const status = JSON.parse(row.body) as { successes?: Array<{ id: string; version: string; message?: string }> };
      let touched = false;
      for (const s of list) {
        const detail = status.successes?.find((d) => d.id === s.stixId && d.version === s.version);
        if (!detail) continue;
        detail.message = `${detail.message ? `${detail.message}; ` : ''}review: ${text(s)}`;
        touched = true;
      }
      if (touched) await trx(STATUSES).where({ id: statusId }).update({ body: JSON.stringify(status) });
    }
  }
}

function prepared(item: ApprovalItem, row: any): PreparedObject {
  const v = item.value;
  // Objects without modified or created take their version from date_added, which the target assigns anew.
  const stated = typeof v.modified === 'string' || typeof v.created === 'string';
  return {
    stixId: item.submission.stixId,
    type: item.submission.type,
    specVersion: row.spec_version,
    version: stated ? item.submission.version : undefined,
    versionKey: stated ? item.submission.versionKey : undefined,
    revoked: Number(row.revoked) === 1,
    tlp: row.tlp === null || row.tlp === undefined ? undefined : Number(row.tlp),
    body: item.body,
    value: v,
  };
}

function num(v: unknown): number | undefined {
  return v === null || v === undefined ? undefined : Number(v);
}

function toSubmission(r: any): Submission {
  return {
    seq: Number(r.seq),
    id: r.id,
    inboxId: r.inbox_collection_id,
    stixId: r.stix_id,
    type: r.type,
    version: r.version,
    versionKey: r.version_key,
    state: r.state,
    submitter: { id: r.submitter_id, name: r.submitter_name },
    statusId: r.status_id ?? undefined,
    submittedAtMs: Number(r.submitted_at_ms),
    decidedAtMs: num(r.decided_at_ms),
    decidedBy: r.decided_by_id ? { id: r.decided_by_id, name: r.decided_by_name } : undefined,
    reason: r.reason ?? undefined,
    note: r.note ?? undefined,
    publishedInto: r.published_into ?? undefined,
    publishedDateAddedUs: num(r.published_date_added_us),
  };
}
