/** The review workflow's plain types and rules: no framework, no SQL. */
import { tlpOfMarkingRef } from '../domain/tlp';
import type { Visibility } from '../domain/types';
import { microsToTimestamp } from '../common/time';

export const SUBMISSION_STATES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

/** Who acted: a principal id ("user:…", "token:…", "cli:…") and a name people recognise. */
export interface Actor {
  id: string;
  name: string;
}

/** One object version that landed in a review inbox, and what became of it. */
export interface Submission {
  /** Listing order (keyset position). */
  seq: number;
  id: string;
  inboxId: string;
  stixId: string;
  type: string;
  version: string;
  versionKey: string;
  state: SubmissionState;
  submitter: Actor;
  /** The status resource of the POST that brought the version in (none for command-line imports). */
  statusId?: string;
  submittedAtMs: number;
  decidedAtMs?: number;
  decidedBy?: Actor;
  /** Why it was rejected; the submitter reads it here and in the status resource of its POST. */
  reason?: string;
  /** The approver's note (provenance). */
  note?: string;
  publishedInto?: string;
  /** The date_added the version got in the collection it was published into. */
  publishedDateAddedUs?: number;
}

export interface SubmissionQuery {
  inboxId: string;
  states?: SubmissionState[];
  types?: string[];
  submitterName?: string;
  /** Only this principal's submissions (a writer who may not read the inbox sees only its own). */
  submitterId?: string;
  ids?: string[];
  afterSeq?: number;
  limit: number;
  /** TLP filter of the caller on the inbox, applied inside the query as for TAXII reads. */
  visibility?: Visibility;
}

/** A submission being approved, with the exact stored bytes of its version. */
export interface ApprovalItem {
  submission: Submission;
  target: string;
  body: string;
  value: Record<string, unknown>;
}

/** What the store found, under the approval's locks, for the rules to decide on. */
export interface ApprovalFacts {
  items: ApprovalItem[];
  /** Per target collection: the newest stored version key of each object of the approval. */
  latestKeys: Map<string, Map<string, string>>;
  /** Per target collection: which of the ids the items reference it holds already. */
  presentRefs: Map<string, Set<string>>;
}

export interface Published {
  submissionId: string;
  stixId: string;
  version: string;
  into: string;
  /** Undefined when that very version was already published (nothing new for pollers). */
  dateAddedUs?: number;
}

/** How a published version got into its collection: the approval that put it there. */
export interface Provenance {
  version: string;
  dateAddedUs: number;
  /** Left out for callers who may not read the inbox the submission came from. */
  submissionId?: string;
  approvedBy: Actor;
  approvedAtMs: number;
  note?: string;
}

/**
 * Every identifier an object points at through a `*_ref` or `*_refs` property, at any depth (extensions
 * and MIME parts hold refs too). The predefined TLP marking definitions are left out: every consumer knows them.
 */
export function referencedIds(value: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, depth: number) => {
    if (depth > 32 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach((x) => walk(x, depth + 1));
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k.endsWith('_ref') && typeof x === 'string') {
        out.add(x);
      } else if (k.endsWith('_refs') && Array.isArray(x)) {
        for (const r of x) if (typeof r === 'string') out.add(r);
      } else {
        walk(x, depth + 1);
      }
    }
  };
  walk(value, 0);
  return [...out].filter((id) => tlpOfMarkingRef(id) === undefined);
}

/** For each item, the ids it references that are neither in its target nor approved into that target with it. */
export function danglingReferences(facts: ApprovalFacts): Map<ApprovalItem, string[]> {
  const out = new Map<ApprovalItem, string[]>();
  for (const item of facts.items) {
    const together = new Set(facts.items.filter((i) => i.target === item.target).map((i) => i.submission.stixId));
    const present = facts.presentRefs.get(item.target) ?? new Set();
    const missing = referencedIds(item.value).filter((id) => !together.has(id) && !present.has(id));
    if (missing.length) out.set(item, missing);
  }
  return out;
}

/** Items whose version is older than the newest version already published in their target. */
export function olderThanPublished(facts: ApprovalFacts): Array<{ item: ApprovalItem; publishedKey: string }> {
  const out: Array<{ item: ApprovalItem; publishedKey: string }> = [];
  for (const item of facts.items) {
    const published = facts.latestKeys.get(item.target)?.get(item.submission.stixId);
    if (published !== undefined && published > item.submission.versionKey) out.push({ item, publishedKey: published });
  }
  return out;
}

/** The JSON form of a submission served by the HTTP extension and printed by `review list --json`. */
export function submissionResource(s: Submission): Record<string, unknown> {
  const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return stripUndefined({
    id: s.id,
    inbox: s.inboxId,
    object_id: s.stixId,
    object_type: s.type,
    version: s.version,
    state: s.state,
    submitted_by: s.submitter.name,
    submitted_at: iso(s.submittedAtMs),
    status_id: s.statusId,
    decided_by: s.decidedBy?.name,
    decided_at: iso(s.decidedAtMs),
    reason: s.reason,
    note: s.note,
    published_into: s.publishedInto,
    date_added: s.publishedDateAddedUs === undefined ? undefined : microsToTimestamp(s.publishedDateAddedUs),
  });
}

export function provenanceResource(p: Provenance): Record<string, unknown> {
  return stripUndefined({
    version: p.version,
    date_added: microsToTimestamp(p.dateAddedUs),
    submission: p.submissionId,
    approved_by: p.approvedBy.name,
    approved_at: new Date(p.approvedAtMs).toISOString(),
    note: p.note,
  });
}

/** A property-level comparison of a submitted version with the published one, one line per difference. */
export function diffObjects(published: Record<string, unknown>, submitted: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const keys = [...new Set([...Object.keys(published), ...Object.keys(submitted)])].sort();
  for (const k of keys) {
    const a = published[k] === undefined ? undefined : JSON.stringify(published[k]);
    const b = submitted[k] === undefined ? undefined : JSON.stringify(submitted[k]);
    if (a === b) continue;
    if (a !== undefined) lines.push(`- ${k}: ${a}`);
    if (b !== undefined) lines.push(`+ ${k}: ${b}`);
  }
  return lines;
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
