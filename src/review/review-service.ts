import type { CollectionConfig, Config, ReviewInboxConfig } from '../config/config';
import { versionKey as timeVersionKey } from '../common/time';
import { ForbiddenError, InvalidInputError, NotFoundError, UnauthorizedError } from '../domain/errors';
import type { ReviewStore } from '../store/review-store';
import { visibilityFor, type AccessPolicy, type Principal } from '../taxii/access';
import type { AuditService } from '../taxii/services/audit-service';
import type { CollectionService } from '../taxii/services/collection-service';
import { ReviewConflictError, withCliWording } from './errors';
import {
  danglingReferences,
  diffObjects,
  olderThanPublished,
  referencedIds,
  SUBMISSION_STATES,
  type Actor,
  type ApprovalFacts,
  type ApprovalItem,
  type Provenance,
  type Published,
  type Submission,
  type SubmissionState,
} from './model';

const MAX_ITEMS = 1000;
const MAX_TEXT = 4000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/**
 * Characters a note, reason or filter may not hold: PostgreSQL refuses a NUL in text (a 500 there, accepted by
 * SQLite) and stores an unpaired surrogate as U+FFFD; other control characters but tab and line breaks are noise.
 */
const UNSTORABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface ListRequest {
  inbox?: string;
  state?: string;
  type?: string;
  submitter?: string;
  limit?: string | number;
  next?: string;
}

export interface SubmissionPage {
  items: Submission[];
  more: boolean;
  next?: string;
}

export interface SubmissionDetail {
  submission: Submission;
  /** The submitted version exactly as stored. */
  body: string;
  /** The newest published version of the object in each target the caller may read, with the differences. */
  published: Array<{ collection: string; body: string; diff: string[] }>;
}

export interface ApproveRequest {
  submissions: string[];
  into?: string;
  note?: string;
  includeReferenced?: boolean;
}

/** Where an action comes from, for the audit log. */
export interface ActionOrigin {
  remoteAddr?: string;
  /** Audit actor text when it differs from the principal (the command line). */
  auditActor?: string;
}

/**
 * The curators' review workflow: list and show submissions, approve them into published collections,
 * reject them with a reason, withdraw one's own. Each use case checks access as TAXII reads do (grants,
 * then the caller's TLP filter inside the store's queries), decides, lets the store apply the change in
 * one transaction, and writes the audit log.
 */
export class ReviewService {
  constructor(
    private readonly config: Config,
    private readonly collections: CollectionService,
    private readonly policy: AccessPolicy,
    private readonly store: ReviewStore,
    private readonly audit: AuditService,
  ) {}

  /** The review inboxes of an API root. */
  inboxes(root: string): ReviewInboxConfig[] {
    this.collections.apiRoot(root);
    return this.config.review.inboxes.filter((i) => i.apiRoot === root);
  }

  async list(p: Principal, root: string, req: ListRequest): Promise<SubmissionPage> {
    const inbox = await this.inboxFor(p, root, req.inbox);
    // The caller named no inbox: the one it gets must not be named to a caller who may not see it.
    const access = req.inbox === undefined ? await this.reviewAccess(p, root, inbox) : await this.inboxAccess(p, root, inbox);
    if (!access) {
      if (p.kind === 'anonymous') throw new UnauthorizedError();
      throw new NotFoundError(`API root "${root}" has no review inbox that you can see; reviewing needs read on the inbox (or write, for your own submissions).`);
    }
    for (const [name, value] of [['type', req.type], ['submitter', req.submitter]] as const) {
      if (value !== undefined && UNSTORABLE.test(value)) throw new InvalidInputError(`${name} may not hold control characters (a NUL, say) or unpaired UTF-16 surrogates.`);
    }
    const states = splitList(req.state);
    for (const s of states ?? []) if (!SUBMISSION_STATES.includes(s as SubmissionState)) throw new InvalidInputError(`state "${s}" is not one of ${SUBMISSION_STATES.join(', ')}.`);
    const limit = parseLimit(req.limit, this.config.server.defaultLimit, this.config.server.maxLimit);
    const afterSeq = req.next === undefined ? undefined : parseNext(req.next);
    const rows = await this.store.list({
      inboxId: inbox.inboxId,
      states: states as SubmissionState[] | undefined,
      types: splitList(req.type),
      submitterName: req.submitter,
      submitterId: access.onlyOwn ? p.id : undefined,
      afterSeq,
      limit,
      visibility: access.visibility,
    });
    const more = rows.length > limit;
    const items = more ? rows.slice(0, limit) : rows;
    return { items, more, next: more ? Buffer.from(String(items[items.length - 1]!.seq)).toString('base64url') : undefined };
  }

  async show(p: Principal, root: string, id: string): Promise<SubmissionDetail> {
    const [{ submission, body }] = await this.load(p, root, [id]);
    const inbox = this.config.review.inboxes.find((i) => i.inboxId === submission.inboxId)!;
    const published: SubmissionDetail['published'] = [];
    for (const t of inbox.targets) {
      const target = this.collection(root, t.collectionId);
      if (!(await this.policy.rights(p, target)).read) continue;
      const current = await this.store.latestBody(target.id, submission.stixId, visibilityFor(p, target));
      if (current !== undefined) published.push({ collection: target.alias ?? target.id, body: current, diff: diffObjects(JSON.parse(current), JSON.parse(body)) });
    }
    return { submission, body, published };
  }

  /** Which approvals published the versions of an object in a collection the caller may read (newest last). */
  async provenance(p: Principal, root: string, collection: string, stixId: string): Promise<Provenance[]> {
    // Who vetted what is for the feed's users, not for anonymous pollers of a public collection.
    if (p.kind === 'anonymous') throw new UnauthorizedError();
    if (UNSTORABLE.test(stixId)) throw new InvalidInputError('object must be a STIX id; it may not hold control characters (a NUL, say) or unpaired UTF-16 surrogates.');
    const { collection: c } = await this.collections.resolve(p, root, collection, 'read');
    const found = await this.store.provenance(c.id, stixId, visibilityFor(p, c));
    if (!found.length) throw new NotFoundError(`No version of ${stixId} in ${c.alias ?? c.id} that you can see was published by a review approval.`);
    // A submission id is for those who may read the inbox it came from: a reader of the published feed
    // learns who approved, when and why, not the handle on the inbox's content.
    const inboxOf = await this.store.inboxesOf(found.flatMap((f) => (f.submissionId ? [f.submissionId] : [])));
    const readable = new Map<string, boolean>();
    for (const inboxId of new Set(inboxOf.values())) {
      const inbox = this.collections.apiRoot(root).collections.find((x) => x.id === inboxId);
      readable.set(inboxId, inbox !== undefined && (await this.policy.rights(p, inbox)).read);
    }
    return found.map((f) => (f.submissionId && readable.get(inboxOf.get(f.submissionId) ?? '') ? f : { ...f, submissionId: undefined }));
  }

  async approve(p: Principal, root: string, req: ApproveRequest, origin: ActionOrigin = {}): Promise<Published[]> {
    const ids = checkIds(req.submissions);
    if (req.note !== undefined && (typeof req.note !== 'string' || req.note.length > MAX_TEXT)) {
      throw withCliWording(new InvalidInputError(`note must be text of at most ${MAX_TEXT} characters.`), `--note must be text of at most ${MAX_TEXT} characters`);
    }
    if (req.note !== undefined && UNSTORABLE.test(req.note)) {
      throw withCliWording(
        new InvalidInputError('note may not hold control characters other than tabs and line breaks (a NUL, say) or unpaired UTF-16 surrogates.'),
        '--note may not hold control characters other than tabs and line breaks, or unpaired UTF-16 surrogates',
      );
    }
    const loaded = await this.load(p, root, ids);
    const into = req.into === undefined ? undefined : this.collection(root, req.into);
    const targetOf = new Map<string, string>();
    const chosen = new Map<string, Submission>();
    const add = (s: Submission, target: string) => {
      targetOf.set(s.id, target);
      chosen.set(s.id, s);
    };
    for (const { submission } of loaded) add(submission, this.targetFor(submission, into));

    if (req.includeReferenced) await this.addReferenced(p, loaded, targetOf, add);

    const all = [...chosen.values()];
    if (this.config.review.fourEyes) {
      const own = all.filter((s) => s.submitter.id === p.id);
      if (own.length) throw new ForbiddenError(`Four-eyes rule: you submitted ${own.map((s) => s.id).join(', ')}; another curator must approve ${own.length > 1 ? 'them' : 'it'}.`);
    }
    for (const t of new Set(targetOf.values())) {
      const target = this.collection(root, t);
      if (!(await this.mayCurate(p, target))) throw new ForbiddenError(`Approving into ${target.alias ?? target.id} needs the curator right on it (grant <you> ${target.alias ?? target.id} curator).`);
    }
    await this.requireClearedForAll(p, root, all);
    requirePending(all);
    await this.refuseUnrevoking(root, all, targetOf);

    const actor = actorOf(p);
    const published = await this.store.approve({
      ids: all.map((s) => s.id),
      targetOf,
      actor,
      note: req.note,
      referencedIds,
      check: (facts) => this.checkApproval(facts, root),
    });
    await this.audit.record(origin.auditActor ?? p, 'review.approve', `${root}/review`, {
      remoteAddr: origin.remoteAddr,
      details: { note: req.note, published: published.map((x) => ({ submission: x.submissionId, object: `${x.stixId}@${x.version}`, into: x.into, new: x.dateAddedUs !== undefined })) },
    });
    return published;
  }

  async reject(p: Principal, root: string, req: { submissions: string[]; reason?: string }, origin: ActionOrigin = {}): Promise<Submission[]> {
    const ids = checkIds(req.submissions);
    if (typeof req.reason !== 'string' || !req.reason.trim() || req.reason.length > MAX_TEXT) {
      throw withCliWording(
        new InvalidInputError(`A rejection needs a reason (text of 1-${MAX_TEXT} characters) that the submitter will read.`),
        `--reason must be text of 1-${MAX_TEXT} characters that the submitter will read`,
      );
    }
    if (UNSTORABLE.test(req.reason)) {
      throw withCliWording(
        new InvalidInputError('reason may not hold control characters other than tabs and line breaks (a NUL, say) or unpaired UTF-16 surrogates.'),
        '--reason may not hold control characters other than tabs and line breaks, or unpaired UTF-16 surrogates',
      );
    }
    const loaded = await this.load(p, root, ids);
    // load() returns the submissions of one inbox: a curator of any collection it publishes into may reject.
    const inbox = this.config.review.inboxes.find((i) => i.inboxId === loaded[0]!.submission.inboxId)!;
    let may = false;
    for (const t of inbox.targets) may ||= await this.mayCurate(p, this.collection(root, t.collectionId));
    if (!may) throw new ForbiddenError('Rejecting submissions of this inbox needs the curator right on a collection it publishes into.');
    requirePending(loaded.map((l) => l.submission));
    const done = await this.store.decide({ ids, state: 'rejected', actor: actorOf(p), reason: req.reason.trim() });
    await this.audit.record(origin.auditActor ?? p, 'review.reject', `${root}/review`, {
      remoteAddr: origin.remoteAddr,
      details: { reason: req.reason.trim(), submissions: done.map((s) => ({ submission: s.id, object: `${s.stixId}@${s.version}`, submitter: s.submitter.name })) },
    });
    return done;
  }

  async withdraw(p: Principal, root: string, req: { submissions: string[] }, origin: ActionOrigin = {}): Promise<Submission[]> {
    const ids = checkIds(req.submissions);
    const loaded = await this.load(p, root, ids);
    const others = loaded.filter((l) => l.submission.submitter.id !== p.id);
    if (others.length) throw new ForbiddenError(`Only the submitter may withdraw a submission; ${others.map((l) => `${l.submission.id} was submitted by ${l.submission.submitter.name}`).join('; ')}.`);
    requirePending(loaded.map((l) => l.submission));
    const done = await this.store.decide({ ids, state: 'withdrawn', actor: actorOf(p) });
    await this.audit.record(origin.auditActor ?? p, 'review.withdraw', `${root}/review`, {
      remoteAddr: origin.remoteAddr,
      details: { submissions: done.map((s) => ({ submission: s.id, object: `${s.stixId}@${s.version}` })) },
    });
    return done;
  }

  /**
   * An approval publishes the stored bytes, so the approver must have read all of them: a version served to
   * it redacted (granular markings above its clearance) is refused before the store looks at the hidden parts,
   * whose references would otherwise surface in a 409.
   */
  private async requireClearedForAll(p: Principal, root: string, subs: Submission[]): Promise<void> {
    const inboxId = subs[0]!.inboxId;
    const visibility = visibilityFor(p, this.collection(root, inboxId));
    if (!visibility) return;
    const ids = subs.map((x) => x.id);
    const [served, stored] = await Promise.all([this.store.find(ids, inboxId, visibility), this.store.find(ids, inboxId)]);
    const shown = new Map(served.map((f) => [f.submission.id, f.body]));
    const partial = stored.filter((f) => shown.get(f.submission.id) !== f.body).map((f) => f.submission);
    if (partial.length) {
      throw new ForbiddenError(
        `You are not cleared for all of ${partial.map((x) => `${x.stixId} (submission ${x.id})`).join(', ')}: parts marked above your TLP:${p.maxTlp.toUpperCase()} clearance are hidden from you, and approving publishes them. A curator cleared for them must approve ${partial.length > 1 ? 'these' : 'it'}.`,
      );
    }
  }

  /**
   * STIX 2.1 §3.6: revoked objects cannot be un-revoked. A POST to the target refuses a later version without
   * `revoked: true` of an object revoked there ([revoked.unrevoke]), and so does an approval: the inbox, which
   * validated the version, does not know what the target holds. Read before the approval's transaction, so a
   * revocation committed in between is not seen (the store's locked check knows only version keys).
   */
  private async refuseUnrevoking(root: string, subs: Submission[], targetOf: ReadonlyMap<string, string>): Promise<void> {
    const values = new Map((await this.store.find(subs.map((x) => x.id), subs[0]!.inboxId)).map((f) => [f.submission.id, JSON.parse(f.body) as Record<string, unknown>]));
    const unrevoking: Array<{ s: Submission; target: string }> = [];
    for (const target of new Set(targetOf.values())) {
      const mine = subs.filter((x) => targetOf.get(x.id) === target);
      const revokedIn = (x: Submission) => mine.some((o) => o.stixId === x.stixId && o.versionKey < x.versionKey && values.get(o.id)?.revoked === true);
      const candidates = mine.filter((x) => values.get(x.id)?.revoked !== true);
      const held = await this.store.holds(target, [...new Set(candidates.map((x) => x.stixId))]);
      for (const x of candidates) {
        let revoked = revokedIn(x);
        if (!revoked && held.has(x.stixId)) {
          const latest = await this.store.latestBody(target, x.stixId);
          const value = latest === undefined ? undefined : (JSON.parse(latest) as Record<string, unknown>);
          const key = value && typeof (value.modified ?? value.created) === 'string' ? timeVersionKey(String(value.modified ?? value.created)) : undefined;
          // A submission older than the published version is refused as older by the store's check.
          revoked = value?.revoked === true && key !== undefined && key < x.versionKey;
        }
        if (revoked) unrevoking.push({ s: x, target });
      }
    }
    if (unrevoking.length) {
      const name = (id: string) => this.collection(root, id).alias ?? id;
      throw new ReviewConflictError(
        `Refused: ${unrevoking.map(({ s, target }) => `${s.stixId} is revoked in ${name(target)}, and version ${s.version} is not`).join('; ')}; revoked objects cannot be un-revoked, so a later version must have "revoked": true. Nothing was approved.`,
        { revoked: Object.fromEntries(unrevoking.map(({ s }) => [s.id, s.stixId])) },
      );
    }
  }

  /** The rules an approval must pass, decided on what the store found under the approval's locks. */
  private checkApproval(facts: ApprovalFacts, root: string): void {
    const name = (id: string) => this.collection(root, id).alias ?? id;
    const older = olderThanPublished(facts);
    if (older.length) {
      throw new ReviewConflictError(
        `Refused: ${older.map((o) => `${o.item.submission.stixId} version ${o.item.submission.version} is older than the version already published in ${name(o.item.target)}`).join('; ')}. Nothing was approved.`,
        { older: Object.fromEntries(older.map((o) => [o.item.submission.id, o.item.submission.stixId])) },
      );
    }
    const dangling = danglingReferences(facts);
    if (dangling.size) {
      const missing = [...new Set([...dangling.values()].flat())].sort();
      // A referenced object in this approval that its routing sends to another collection: adding it again
      // (include_referenced) cannot help, as a submission is published into one collection.
      const goingTo = new Map(facts.items.map((i) => [i.submission.stixId, i.target]));
      const apart = (item: ApprovalItem, id: string) => goingTo.has(id) && goingTo.get(id) !== item.target;
      const ref = (item: ApprovalItem, id: string) => (apart(item, id) ? `${id} (in this approval, going to ${name(goingTo.get(id)!)})` : id);
      const refused = `Refused: ${[...dangling].map(([item, ids]) => `${item.submission.stixId} refers to ${ids.map((id) => ref(item, id)).join(', ')}, which ${name(item.target)} does not hold`).join('; ')}. `;
      const referrers = [...new Set([...dangling].filter(([item, ids]) => ids.some((id) => apart(item, id))).map(([item]) => item.submission.stixId))];
      const absent = [...dangling].some(([, ids]) => ids.some((id) => !goingTo.has(id)));
      const advice = (into: string, withRefs: string) =>
        (referrers.length
          ? `A submission is published into one collection: name one collection for both with ${into}, or approve the submission of ${referrers.join(', ')} alone with ${withRefs}, which takes what it refers to into its collection. `
          : '') + (absent ? `Approve the referenced objects with it (${withRefs === 'include_referenced' ? 'include_referenced, or --with-referenced on the command line' : withRefs}) or publish them first. ` : '');
      throw withCliWording(
        new ReviewConflictError(`${refused}${advice('"into"', 'include_referenced')}Nothing was approved.`, { missing_refs: missing }),
        `${refused}${advice('--into', '--with-referenced')}Nothing was approved.`,
      );
    }
  }

  /**
   * Adds to the approval the pending submissions of the objects that its items refer to and their
   * targets lack, with the target of the item that refers to them, until nothing is left to add.
   */
  private async addReferenced(p: Principal, loaded: Array<{ submission: Submission; body: string }>, targetOf: Map<string, string>, add: (s: Submission, target: string) => void): Promise<void> {
    const inboxId = loaded[0]!.submission.inboxId;
    const inbox = this.collection(this.config.review.inboxes.find((i) => i.inboxId === inboxId)!.apiRoot, inboxId);
    const visibility = visibilityFor(p, inbox);
    const items = [...loaded];
    for (let round = 0; round < 50; round++) {
      const inApproval = new Set(items.map((i) => i.submission.stixId));
      const wanted = new Map<string, string>(); // referenced id → target of the first item referring to it
      for (const i of items) {
        for (const ref of referencedIds(JSON.parse(i.body))) if (!inApproval.has(ref) && !wanted.has(ref)) wanted.set(ref, targetOf.get(i.submission.id)!);
      }
      const lacking: string[] = [];
      for (const target of new Set(wanted.values())) {
        const ids = [...wanted].filter(([, t]) => t === target).map(([id]) => id);
        const held = await this.store.holds(target, ids);
        lacking.push(...ids.filter((id) => !held.has(id)));
      }
      const found = await this.store.pendingFor(inboxId, lacking, visibility);
      if (!found.length) return;
      for (const s of found) {
        add(s, wanted.get(s.stixId)!);
        items.push(...(await this.store.find([s.id], inboxId, visibility)));
      }
    }
  }

  private targetFor(s: Submission, into: CollectionConfig | undefined): string {
    const inbox = this.config.review.inboxes.find((i) => i.inboxId === s.inboxId)!;
    const names = () => inbox.targets.map((t) => this.collection(inbox.apiRoot, t.collectionId).alias ?? t.collectionId).join(', ');
    if (into) {
      if (!inbox.targets.some((t) => t.collectionId === into.id)) throw new InvalidInputError(`This inbox publishes into ${names()}, not into ${into.alias ?? into.id}.`);
      return into.id;
    }
    if (inbox.targets.length === 1) return inbox.targets[0]!.collectionId;
    const byType = inbox.targets.find((t) => t.types?.includes(s.type));
    if (byType) return byType.collectionId;
    throw withCliWording(
      new InvalidInputError(`Name the collection to publish ${s.stixId} into ("into"): this inbox publishes ${s.type} objects into any of ${names()}.`),
      `name the collection to publish ${s.stixId} into with --into: this inbox publishes ${s.type} objects into any of ${names()}`,
    );
  }

  /**
   * Loads submissions by id: each must exist in an inbox of this API root that the caller may review, within
   * its TLP clearance. An id the caller may not see answers exactly as an unknown one (no inbox named, no
   * other status), so that nobody without a right on an inbox learns which of its submission ids exist.
   */
  private async load(p: Principal, root: string, ids: string[]): Promise<Array<{ submission: Submission; body: string }>> {
    const inboxes = this.inboxes(root);
    const out: Array<{ submission: Submission; body: string }> = [];
    const byInbox = new Map<string, string[]>();
    const inboxOf = await this.store.inboxesOf(ids.filter((id) => UUID.test(id)));
    for (const id of ids) {
      const inboxId = inboxOf.get(id);
      if (inboxId && inboxes.some((i) => i.inboxId === inboxId)) byInbox.set(inboxId, [...(byInbox.get(inboxId) ?? []), id]);
    }
    const seenIn = new Set<string>();
    for (const [inboxId, list] of byInbox) {
      const access = await this.reviewAccess(p, root, inboxes.find((i) => i.inboxId === inboxId)!);
      if (!access) continue;
      const found = (await this.store.find(list, inboxId, access.visibility)).filter((f) => !access.onlyOwn || f.submission.submitter.id === p.id);
      if (found.length) seenIn.add(inboxId);
      out.push(...found);
    }
    const missing = ids.filter((id) => !out.some((o) => o.submission.id === id));
    if (missing.length) {
      if (p.kind === 'anonymous') throw new UnauthorizedError();
      throw withCliWording(
        new NotFoundError(`There is no submission ${missing.join(', ')} that you can see in API root "${root}"; GET /${root}/review/submissions/ lists them.`),
        `no submission ${missing.join(', ')} that you can see (see: review list --state all)`,
      );
    }
    if (seenIn.size > 1) throw new InvalidInputError('The submissions of one action must come from one inbox.');
    return ids.map((id) => out.find((o) => o.submission.id === id)!);
  }

  /** As inboxAccess, but undefined when the caller may not know the inbox exists or has no right on it. */
  private async reviewAccess(p: Principal, root: string, inbox: ReviewInboxConfig) {
    try {
      return await this.inboxAccess(p, root, inbox);
    } catch (e) {
      if (e instanceof NotFoundError || e instanceof ForbiddenError || e instanceof UnauthorizedError) return undefined;
      throw e;
    }
  }

  /**
   * Who may see an inbox's submissions, as for TAXII reads of the inbox: with `read`, all of them; with
   * `write` only, one's own; in both cases only those within the caller's TLP clearance.
   */
  private async inboxAccess(p: Principal, root: string, inbox: ReviewInboxConfig) {
    const { collection, rights } = await this.collections.resolve(p, root, inbox.inboxId);
    if (!rights.read && !rights.write) throw new ForbiddenError(`Reviewing needs read on ${collection.alias ?? collection.id}.`);
    return { collection, onlyOwn: !rights.read, visibility: visibilityFor(p, collection) };
  }

  private async inboxFor(p: Principal, root: string, name: string | undefined): Promise<ReviewInboxConfig> {
    const inboxes = this.inboxes(root);
    if (name === undefined) {
      if (inboxes.length === 1) return inboxes[0]!;
      if (inboxes.length === 0) throw new NotFoundError(`API root "${root}" has no review inbox.`);
      throw new InvalidInputError(`API root "${root}" has several review inboxes; name one with inbox=<id or alias>.`);
    }
    const c = (await this.collections.resolve(p, root, name)).collection;
    const inbox = inboxes.find((i) => i.inboxId === c.id);
    if (!inbox) throw new InvalidInputError(`Collection ${name} is not a review inbox; the review inboxes of "${root}" are ${inboxes.map((i) => this.collection(root, i.inboxId).alias ?? i.inboxId).join(', ') || 'none'}.`);
    return inbox;
  }

  /** The curator right; a policy that does not know it leaves it to administrators. */
  private mayCurate(p: Principal, target: CollectionConfig): Promise<boolean> {
    return this.policy.curate ? this.policy.curate(p, target) : Promise.resolve(p.isAdmin);
  }

  private collection(root: string, idOrAlias: string): CollectionConfig {
    const c = this.collections.apiRoot(root).collections.find((x) => x.id === idOrAlias.toLowerCase() || x.alias === idOrAlias);
    if (!c) throw new InvalidInputError(`There is no collection "${idOrAlias}" in API root "${root}".`);
    return c;
  }
}

function actorOf(p: Principal): Actor {
  return { id: p.id, name: p.name };
}

function requirePending(subs: Submission[]): void {
  const done = subs.filter((s) => s.state !== 'pending');
  if (done.length) {
    throw new ReviewConflictError(
      `Only pending submissions can be decided; ${done.map((s) => `${s.id} is already ${s.state}${s.decidedBy ? ` (by ${s.decidedBy.name})` : ''}`).join('; ')}. Nothing was changed.`,
      { not_pending: Object.fromEntries(done.map((s) => [s.id, s.state])) },
    );
  }
}

function checkIds(ids: unknown): string[] {
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((i) => typeof i !== 'string')) throw new InvalidInputError('Name the submissions: "submissions" must be a non-empty array of submission ids.');
  if (ids.length > MAX_ITEMS) throw new InvalidInputError(`At most ${MAX_ITEMS} submissions per action.`);
  return [...new Set(ids as string[])];
}

function splitList(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const parts = String(v).split(',').map((s) => s.trim()).filter(Boolean);
  return parts.length ? parts : undefined;
}

function parseLimit(v: string | number | undefined, dflt: number, max: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidInputError(`limit must be a positive integer (got "${v}").`);
  return Math.min(n, max);
}

function parseNext(v: string): number {
  const n = Number(Buffer.from(String(v), 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidInputError('next is not a cursor this server issued; send the next of the previous page.');
  return n;
}
