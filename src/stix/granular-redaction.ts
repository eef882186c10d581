import { tlpOfMarkingRef, tlpRank } from '../domain/tlp';
import type { ObjectValidator } from './validation-result';
import { createStixValidator } from './validator';

/**
 * Granular TLP markings (STIX 2.1 §7.2.3). A `granular_markings` entry whose `marking_ref` is a TLP marking
 * definition marks the properties and list items its selectors name. A reader cleared below that level is
 * served the object without them (`redact`), or not at all (`withhold`, and `redact` when the object would
 * not be valid STIX without them). Everything here is a pure function of the stored object, the reader's
 * clearance and the collection's setting.
 */

/** What a collection does with an object that carries a granular TLP marking above a reader's clearance. */
export type GranularMode = 'redact' | 'withhold';

/** The property a redacted object carries: the selectors (as stored) whose values were removed. */
export const REDACTED_PROPERTY = 'x_taxii_redacted_selectors';

/** What the store keeps per version, computed when it is written, so that readers are filtered inside SQL. */
export interface GranularProfile {
  /** The most restrictive granular TLP marking (rank). A reader cleared for it sees the object whole. */
  tlp: number;
  /**
   * The lowest clearance (rank) for which the redacted object is valid STIX: a reader below it is not
   * served the object in `redact` mode. Equal to `tlp` when no redaction is valid.
   */
  redactFloor: number;
}

/** A reader of one object: how far it is cleared, and the collection's setting. */
export interface GranularReader {
  maxTlp: number;
  mode: GranularMode;
}

export type GranularView = { kind: 'whole'; value: Record<string, unknown> } | { kind: 'redacted'; value: Record<string, unknown> } | { kind: 'withheld' };

type Obj = Record<string, unknown>;
type Segment = string | number;
const REMOVED: unique symbol = Symbol('removed');
/** Properties a selector may not remove: without them there is no object, or no marking to fix up. */
const UNREDACTABLE = new Set(['id', 'type', 'spec_version', 'granular_markings']);

let defaultValidator: ObjectValidator | undefined;
function validator(): ObjectValidator {
  defaultValidator ??= createStixValidator();
  return defaultValidator;
}

function tlpOfRef(ref: unknown): number | undefined {
  const level = tlpOfMarkingRef(ref);
  return level === undefined ? undefined : tlpRank(level);
}

function entries(value: Obj): Obj[] {
  const gm = value.granular_markings;
  return Array.isArray(gm) ? gm.filter((e): e is Obj => typeof e === 'object' && e !== null && !Array.isArray(e)) : [];
}

/** The most restrictive TLP among an object's granular markings, or undefined when it has none. */
export function granularTlpOf(value: Obj): number | undefined {
  let rank: number | undefined;
  for (const e of entries(value)) {
    const r = tlpOfRef(e.marking_ref);
    if (r !== undefined && Array.isArray(e.selectors) && e.selectors.length) rank = Math.max(rank ?? 0, r);
  }
  return rank;
}

/** §7.2.3.1 selector syntax: dot-separated property names and `[n]` list indexes. Undefined when malformed. */
export function parseSelector(selector: string): Segment[] | undefined {
  const out: Segment[] = [];
  for (const part of selector.split('.')) {
    if (part.length === 0) return undefined;
    if (part.startsWith('[')) {
      const m = /^\[(\d+)\]$/.exec(part);
      if (!m) return undefined;
      out.push(Number(m[1]));
    } else out.push(part);
  }
  return out;
}

/**
 * The object as a reader cleared for `maxTlp` may see it, without validity check: undefined when nothing is
 * marked above the clearance; `null` when a marked selector cannot be removed (malformed, or it names
 * `id`, `type`, `spec_version` or `granular_markings`). Removed list items shift the indexes of later ones;
 * a list left empty is removed with its property; the remaining granular markings' selectors are rewritten
 * to match, and those that pointed into removed content are dropped.
 */
export function redact(value: Obj, maxTlp: number): Obj | null | undefined {
  const marked: string[] = [];
  const kept: Obj[] = [];
  for (const e of entries(value)) {
    const r = tlpOfRef(e.marking_ref);
    if (r !== undefined && r > maxTlp) {
      for (const s of Array.isArray(e.selectors) ? e.selectors : []) if (typeof s === 'string' && !marked.includes(s)) marked.push(s);
    } else kept.push(e);
  }
  if (marked.length === 0) return undefined;
  const copy = structuredClone(value) as Obj;
  for (const s of marked) {
    const path = parseSelector(s);
    if (!path || UNREDACTABLE.has(path[0] as string) || typeof path[0] !== 'string') return null;
    if (!markRemoved(copy, path)) return null;
  }
  cascade(copy);
  const granular: Obj[] = [];
  for (const e of kept) {
    if (!Array.isArray(e.selectors)) {
      granular.push(e);
      continue;
    }
    const selectors = e.selectors.flatMap((s) => {
      const t = typeof s === 'string' ? translate(copy, s) : undefined;
      return t === undefined ? [] : [t];
    });
    if (selectors.length) granular.push({ ...e, selectors });
  }
  const out = compact(copy) as Obj;
  if (granular.length) out.granular_markings = granular;
  else delete out.granular_markings;
  out[REDACTED_PROPERTY] = marked;
  return out;
}

/** Replaces the selected value with the REMOVED marker. False when the selector names nothing. */
function markRemoved(root: Obj, path: Segment[]): boolean {
  let cur: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    if ((cur as unknown) === REMOVED) return true;
    cur = step(cur, path[i]!);
    if (cur === undefined) return false;
  }
  if (cur === REMOVED) return true;
  const last = path[path.length - 1]!;
  if (step(cur, last) === undefined) return false;
  (cur as Record<string | number, unknown>)[last] = REMOVED;
  return true;
}

function step(cur: unknown, seg: Segment): unknown {
  if (cur === REMOVED) return REMOVED;
  if (typeof seg === 'number') return Array.isArray(cur) && seg < cur.length ? cur[seg] : undefined;
  if (typeof cur === 'object' && cur !== null && !Array.isArray(cur) && Object.prototype.hasOwnProperty.call(cur, seg)) return (cur as Obj)[seg];
  return undefined;
}

/** Marks as removed every list whose items were all removed (STIX lists are never empty), bottom-up. */
function cascade(node: unknown): boolean {
  if (Array.isArray(node)) {
    let any = false;
    node.forEach((v, i) => {
      if (v !== REMOVED && cascade(v)) node[i] = REMOVED;
      if (node[i] !== REMOVED) any = true;
    });
    return node.length > 0 && !any;
  }
  if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) if (v !== REMOVED && cascade(v)) (node as Obj)[k] = REMOVED;
  }
  return false;
}

/** A selector of a kept marking, rewritten for the object after removal; undefined when its target is gone. */
function translate(marked: Obj, selector: string): string | undefined {
  const path = parseSelector(selector);
  if (!path) return undefined;
  let cur: unknown = marked;
  const out: string[] = [];
  for (const seg of path) {
    const next = step(cur, seg);
    if (next === undefined || next === REMOVED) return undefined;
    if (typeof seg === 'number') {
      const before = (cur as unknown[]).slice(0, seg).filter((v) => v !== REMOVED).length;
      out.push(`[${before}]`);
    } else out.push(seg);
    cur = next;
  }
  return out.join('.');
}

function compact(node: unknown): unknown {
  if (Array.isArray(node)) return node.filter((v) => v !== REMOVED).map(compact);
  if (typeof node === 'object' && node !== null) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(node)) if (v !== REMOVED) out[k] = compact(v);
    return out;
  }
  return node;
}

function validRedaction(redacted: Obj | null, check: ObjectValidator): boolean {
  if (redacted === null) return false;
  // The added property is custom content by construction; everything else was valid when stored.
  return check.validate(redacted, { allowCustom: true }).valid;
}

/**
 * The profile the store keeps for an object, or undefined when it carries no granular TLP marking. Written
 * with every version (and by the migration that added the columns), so the page queries can leave withheld
 * versions out and stay exact.
 */
export function granularProfile(value: Obj, given?: ObjectValidator): GranularProfile | undefined {
  const tlp = granularTlpOf(value);
  if (tlp === undefined) return undefined;
  // Built only when needed: the default validator compiles every schema again (over a second of CPU once).
  const check = given ?? validator();
  let floor = tlp;
  // Lower clearances remove more: the floor is where the first invalid redaction is met, walking down.
  for (let c = tlp - 1; c >= 0; c--) {
    if (!validRedaction(redact(value, c) ?? null, check)) break;
    floor = c;
  }
  return { tlp, redactFloor: floor };
}

/** How a reader sees an object (the rule the store's columns and the served bytes both follow). */
export function granularView(value: Obj, reader: GranularReader | undefined, check?: ObjectValidator): GranularView {
  if (!reader) return { kind: 'whole', value };
  const profile = granularProfile(value, check);
  if (!profile || profile.tlp <= reader.maxTlp) return { kind: 'whole', value };
  if (reader.mode === 'withhold' || reader.maxTlp < profile.redactFloor) return { kind: 'withheld' };
  return { kind: 'redacted', value: redact(value, reader.maxTlp)! };
}

/**
 * Whether a version with this stored profile is served to the reader at all (the same rule as the SQL filter
 * of the store: `redact` serves down to the redaction floor, `withhold` only readers cleared for the marking).
 */
export function isServed(profile: { tlp: number | null; redactFloor: number | null }, reader: GranularReader | undefined): boolean {
  if (!reader || profile.tlp === null) return true;
  return reader.mode === 'withhold' ? profile.tlp <= reader.maxTlp : (profile.redactFloor ?? profile.tlp) <= reader.maxTlp;
}

/**
 * The bytes to serve for a stored version the store has already found servable: the stored text itself when
 * nothing in it is marked above the reader's clearance (no parsing), else the redacted object as JSON.
 */
export function servedBody(body: string, granularTlp: number | null | undefined, reader: GranularReader | undefined): string {
  if (!reader || granularTlp === null || granularTlp === undefined || granularTlp <= reader.maxTlp) return body;
  const redacted = redact(JSON.parse(body) as Obj, reader.maxTlp);
  // The store never selects a version whose marked selectors cannot be removed (its floor is its level).
  if (redacted === null) throw new Error('a version whose granular markings cannot be redacted was selected for a reader below them');
  return redacted ? JSON.stringify(redacted) : body;
}
