import { Eta } from 'eta';
import { fromRoot } from '../common/paths';
import { TLP_LEVELS, tlpOfObject } from '../domain/tlp';
import { referencedIds } from '../review/model';
import type { Principal } from '../taxii/access';

/**
 * Characters that change the direction of the text around them (bidi overrides, embeddings, isolates and marks)
 * and the C0/C1 controls but tab and line ends. Honoured, an override makes "invoice-\u202efdp.exe" read as a
 * PDF and reverses whatever follows it on the line (a pattern in the JSON view, the text after a name).
 */
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Every interpolated value passes here before it is escaped: such characters are shown as their JSON escape
 * (`\u202e`), so a reader sees them, and the JSON view and a returned upload stay the same JSON.
 */
export function visibleControls(value: unknown): string {
  return String(value).replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** What every page's layout needs besides its own data. */
export interface PageFrame {
  title: string;
  principal?: Principal;
  csrfToken?: string;
}

/**
 * Renders the console's templates (src/console/templates). Eta's auto-escaping is on: `<%= %>` escapes
 * & < > " ' in every value, and templates never use the raw `<%~ %>` except for a rendered page body.
 * STIX names and descriptions are hostile by nature; they only ever reach a page through `<%= %>`.
 */
export class ConsoleViews {
  private readonly eta = new Eta({ views: fromRoot('src', 'console', 'templates'), autoEscape: true, autoFilter: true, filterFunction: visibleControls, autoTrim: false, cache: true });

  render(template: string, frame: PageFrame, data: Record<string, unknown> = {}): string {
    return this.eta.render(`./${template}`, { ...data, frame });
  }
}

/** One line of an object table: what a person scans for. */
export interface ObjectRow {
  id: string;
  type: string;
  name: string;
  version: string;
  tlp: string;
}

/** A readable label: name, else value, pattern or the first words of a description. */
export function labelOf(o: Record<string, unknown>): string {
  if (o.type === 'relationship' && typeof o.relationship_type === 'string') {
    const end = (v: unknown) => (typeof v === 'string' ? v.split('--')[0] : '?');
    return `${end(o.source_ref)} ${o.relationship_type} ${end(o.target_ref)}`;
  }
  for (const k of ['name', 'value', 'pattern', 'path', 'number', 'key', 'description', 'result', 'opinion']) {
    const v = o[k];
    if (typeof v === 'string' && v) return v.length > 120 ? `${v.slice(0, 117)}…` : v;
  }
  return '';
}

export function objectRow(o: Record<string, unknown>): ObjectRow {
  const refs = Array.isArray(o.object_marking_refs) ? (o.object_marking_refs as unknown[]) : [];
  // The most restrictive of its TLP markings, as the store ranks them (tlpOfObject).
  const rank = tlpOfObject({ object_marking_refs: refs });
  const tlp = rank === undefined ? '' : TLP_LEVELS[rank]!.toUpperCase();
  return {
    id: String(o.id ?? ''),
    type: String(o.type ?? ''),
    name: labelOf(o),
    version: String(o.modified ?? o.created ?? ''),
    tlp,
  };
}

/** Parses an envelope the TAXII services produced ({} when empty). */
export function envelopeObjects(json: string): { objects: Array<Record<string, unknown>>; more: boolean; next?: string } {
  const e = JSON.parse(json) as { objects?: Array<Record<string, unknown>>; more?: boolean; next?: string };
  return { objects: e.objects ?? [], more: e.more === true, next: e.next };
}

/** The ids an object refers to (outgoing edges), each with the property that holds it. */
export function outgoingRefs(o: Record<string, unknown>): Array<{ property: string; id: string }> {
  const out: Array<{ property: string; id: string }> = [];
  for (const [k, v] of Object.entries(o)) {
    if (k === 'id' || k === 'object_marking_refs' || k === 'created_by_ref') continue;
    if (!k.endsWith('_ref') && !k.endsWith('_refs')) continue;
    for (const id of referencedIds({ [k]: v })) out.push({ property: k, id });
  }
  if (typeof o.created_by_ref === 'string') out.push({ property: 'created_by_ref', id: o.created_by_ref });
  return out;
}

/** Whether a relationship or sighting points at the object, and from which side. */
export function incomingEdge(rel: Record<string, unknown>, id: string): string | undefined {
  if (rel.id === id) return undefined;
  if (rel.type === 'relationship') {
    if (rel.target_ref === id) return `${String(rel.relationship_type ?? 'related-to')} (from ${String(rel.source_ref)})`;
    if (rel.source_ref === id) return `${String(rel.relationship_type ?? 'related-to')} (to ${String(rel.target_ref)})`;
  }
  if (rel.type === 'sighting' && rel.sighting_of_ref === id) return 'sighting of this object';
  return undefined;
}

/** One neighbour in an object's graph picture. */
export interface GraphEdge {
  id: string;
  /** The relationship type or the reference property. */
  label: string;
  direction: 'out' | 'in';
}

export interface GraphPicture {
  width: number;
  height: number;
  center: { x: number; y: number; label: string };
  nodes: Array<{ x: number; y: number; id: string; label: string; edge: string; direction: 'out' | 'in'; lx: number; ly: number; anchor: string }>;
}

/** At most this many neighbours are drawn; the lists below the picture have them all. */
export const GRAPH_MAX = 16;

/**
 * Lays out an object's neighbourhood as a star: the object in the middle, its neighbours on a circle
 * (references out on the right half, relationships in on the left). Pure geometry; the template draws it
 * as inline SVG, so the picture needs no script.
 */
export function neighbourhood(centerLabel: string, edges: GraphEdge[], names: Map<string, string>): GraphPicture {
  const width = 760;
  const height = 420;
  const cx = width / 2;
  const cy = height / 2;
  const r = 160;
  const shown = edges.slice(0, GRAPH_MAX);
  const short = (s: string) => (s.length > 28 ? `${s.slice(0, 27)}…` : s);
  const nodes = shown.map((e, i) => {
    const angle = -Math.PI / 2 + ((i + 0.5) * 2 * Math.PI) / shown.length;
    const x = Math.round(cx + r * Math.cos(angle));
    const y = Math.round(cy + r * Math.sin(angle));
    const right = x >= cx;
    return {
      x,
      y,
      id: e.id,
      label: short(names.get(e.id) ?? e.id.split('--')[0] ?? e.id),
      edge: short(e.label),
      direction: e.direction,
      lx: x + (right ? 12 : -12),
      ly: y + 4,
      anchor: right ? 'start' : 'end',
    };
  });
  return { width, height, center: { x: cx, y: cy, label: short(centerLabel) }, nodes };
}
