import { createHash, randomUUID } from 'node:crypto';
import { NotFoundError } from '../domain/errors';
import { tlpOfObject, tlpRank } from '../domain/tlp';
import type { StoredObject, Visibility } from '../domain/types';
import { nowMicros, timestampToMicros } from '../common/time';
import { SingleFlight } from '../common/single-flight';
import { ExportEtags } from './etag-cache';
import { visibilityFor, type Principal } from '../taxii/access';
import type { CollectionService } from '../taxii/services/collection-service';
import { passes, type ExportFilter } from './filters';
import { csvRecord, CSV_COLUMNS, mispAttributeType, mispTlpTag, tlpLabel, uuidV5 } from './formats';
import { SOURCE_SCO_TYPES, valuesOf, type ValueType } from './values';

/** The store read the exports need: the newest visible version of each object, streamed in keyset pages. */
export interface LatestObjectSource {
  latestVisible(q: { collectionId: string; types?: string[]; visibility?: Visibility; excludeRevoked?: boolean }, pageSize?: number): AsyncGenerator<StoredObject>;
  /** The collection's write position, which every add, new version and delete moves (ObjectStore.writePosition). */
  writePosition(collectionId: string): Promise<number>;
}

/** One collection as one caller may read it. */
export interface ExportScope {
  collectionId: string;
  title: string;
  visibility?: Visibility;
  /** TLP rank of unmarked objects (the collection's default_tlp, else amber). */
  defaultTlp: number;
  /**
   * The earliest valid_until (µs) among the objects that went into what was produced with this scope, so
   * far: the answer stays the same until then, or until the collection is written to (Infinity: no expiry).
   */
  changesAtUs: number;
}

/** The block lists, by the last segment of their URL, and the value types each holds. */
export const LISTS: Readonly<Record<string, readonly ValueType[]>> = {
  ip: ['ipv4', 'ipv6'],
  ipv4: ['ipv4'],
  ipv6: ['ipv6'],
  domain: ['domain'],
  url: ['url'],
  md5: ['md5'],
  sha1: ['sha1'],
  sha256: ['sha256'],
  sha512: ['sha512'],
  wallet: ['wallet'],
};

const SOURCE_TYPES: readonly string[] = ['indicator', ...SOURCE_SCO_TYPES];

/** The observable type that carries each kind of value (a list reads indicators and only these). */
const OBSERVABLE_OF: Readonly<Record<ValueType, string>> = {
  ipv4: 'ipv4-addr', ipv6: 'ipv6-addr', domain: 'domain-name', url: 'url',
  md5: 'file', sha1: 'file', sha256: 'file', sha512: 'file', wallet: 'cryptocurrency-wallet',
};

type Json = Record<string, unknown>;

export interface MispManifestEntry {
  info: string;
  date: string;
  analysis: number;
  threat_level_id: number;
  timestamp: number;
  Orgc: { name: string; uuid: string };
  Tag: Array<{ name: string }>;
}

interface MispAttribute {
  uuid: string;
  type: string;
  category: string;
  value: string;
  to_ids: boolean;
  timestamp: string;
  comment: string;
  distribution: string;
}

/** A campaign or report that becomes one MISP event. */
interface EventSource {
  uuid: string;
  info: string;
  date: string;
  createdBy?: string;
  timestampUs: number;
  tlp: number;
  hasAttributes: boolean;
  attributes: MispAttribute[];
  seen: Set<string>;
}

/**
 * The exports of a collection: block lists, CSV, a MISP feed and a STIX bundle. Every read goes through
 * the store's newest-visible-version query with the caller's TLP clearance, after the same collection
 * resolution (grants, 401/403/404) as the TAXII endpoints. Objects are read in keyset pages and never
 * held all at once; what is held is noted on each method.
 */
export class ExportService {
  constructor(
    private readonly collections: CollectionService,
    private readonly store: LatestObjectSource,
    private readonly clock: () => number = nowMicros,
    private readonly etags = new ExportEtags(),
  ) {}

  /** ETag passes under way, by write position and answer. */
  private readonly hashing = new SingleFlight<string>();

  async scope(p: Principal, root: string, coll: string): Promise<ExportScope> {
    const { collection } = await this.collections.resolve(p, root, coll, 'read');
    return { collectionId: collection.id, title: collection.title, visibility: visibilityFor(p, collection), defaultTlp: tlpRank(collection.defaultTlp ?? 'amber'), changesAtUs: Infinity };
  }

  /**
   * The ETag of an answer (`what`: which export with which filters) of this scope: a hash of what `produce`
   * yields. Kept while the collection's write position is the one it was worked out at and no valid_until
   * among its objects has passed (the position is read before the pass, so a write during the pass only
   * makes the entry unusable); requests that need the same one at the same position share one pass.
   */
  async etag(scope: ExportScope, what: string, produce: () => AsyncIterable<string>): Promise<string> {
    const key = `${scope.collectionId}\u0000${what}\u0000${scope.defaultTlp}\u0000${JSON.stringify(scope.visibility ?? null)}`;
    const position = await this.store.writePosition(scope.collectionId);
    const known = this.etags.get(key, position, this.clock());
    if (known !== undefined) return known;
    return this.hashing.run(`${position}\u0000${key}`, async () => {
      scope.changesAtUs = Infinity;
      const hash = createHash('sha256');
      for await (const chunk of produce()) hash.update(chunk);
      const etag = `"${hash.digest('base64url').slice(0, 32)}"`;
      this.etags.set(key, position, etag, scope.changesAtUs);
      return etag;
    });
  }

  /** Whether an object goes into an export (filters.ts `passes`), noting when its valid_until will take it out. */
  private admits(scope: ExportScope, obj: Json, f: ExportFilter, now: number, requireProperties: boolean): boolean {
    if (!passes(obj, f, now, requireProperties)) return false;
    const until = typeof obj.valid_until === 'string' ? timestampToMicros(obj.valid_until) : undefined;
    if (until !== undefined && until < scope.changesAtUs) scope.changesAtUs = until;
    return true;
  }

  /**
   * Newest visible, unrevoked versions of the given types, parsed: type by type in the order given, each
   * in date_added order. One type per query keeps every page one ordered range of objects_type_idx; a
   * `type IN (…)` would sort all remaining rows of those types for every page.
   */
  private async *read(scope: ExportScope, types: readonly string[]): AsyncGenerator<Json> {
    for (const rows of this.rows(scope, types)) for await (const r of rows) yield JSON.parse(r.body) as Json;
  }

  private rows(scope: ExportScope, types: readonly string[] | undefined): Array<AsyncGenerator<StoredObject>> {
    const q = { collectionId: scope.collectionId, visibility: scope.visibility, excludeRevoked: true };
    return types === undefined ? [this.store.latestVisible(q)] : types.map((t) => this.store.latestVisible({ ...q, types: [t] }));
  }

  private sourceTypes(f: ExportFilter, allowed: readonly string[] = SOURCE_TYPES): string[] {
    return f.types ? allowed.filter((t) => f.types!.includes(t)) : [...allowed];
  }

  /**
   * The values of one list, one per line, each once: indicators first, then observables type by type,
   * each in the order added. Holds the set of values already written (to write each once), never the objects.
   */
  async *listLines(scope: ExportScope, list: string, f: ExportFilter): AsyncGenerator<string> {
    // Own keys only: "constructor" or "__proto__" name no list, though every object has them.
    const kinds = Object.hasOwn(LISTS, list) ? LISTS[list] : undefined;
    if (!kinds) throw new NotFoundError(`There is no list "${list.slice(0, 40)}"; the lists are ${Object.keys(LISTS).join(', ')}.`);
    const now = this.clock();
    const seen = new Set<string>();
    const sources = SOURCE_TYPES.filter((t) => t === 'indicator' || kinds.some((k) => OBSERVABLE_OF[k] === t));
    for await (const obj of this.read(scope, this.sourceTypes(f, sources))) {
      if (!this.admits(scope, obj, f, now, true)) continue;
      let chunk = '';
      for (const v of valuesOf(obj)) {
        if (!kinds.includes(v.type) || seen.has(v.value)) continue;
        seen.add(v.value);
        chunk += `${v.value}\n`;
      }
      if (chunk) yield chunk;
    }
  }

  /**
   * CSV: a header line, then one record per indicator value. Campaign and malware names come from the
   * collection's `indicates` relationships; the map of those is held while the indicators stream.
   */
  async *csvLines(scope: ExportScope, f: ExportFilter): AsyncGenerator<string> {
    const now = this.clock();
    yield csvRecord(CSV_COLUMNS);
    const types = this.sourceTypes(f, ['indicator']);
    if (!types.length) return;
    const names = new Map<string, { type: string; name: string }>();
    for await (const o of this.read(scope, ['campaign', 'malware'])) if (typeof o.name === 'string') names.set(String(o.id), { type: String(o.type), name: o.name });
    const indicates = new Map<string, string[]>();
    for await (const r of this.read(scope, ['relationship'])) {
      if (r.relationship_type !== 'indicates' || typeof r.source_ref !== 'string' || !names.has(String(r.target_ref))) continue;
      const list = indicates.get(r.source_ref) ?? [];
      if (!list.includes(String(r.target_ref))) list.push(String(r.target_ref));
      indicates.set(r.source_ref, list);
    }
    for await (const ind of this.read(scope, types)) {
      if (!this.admits(scope, ind, f, now, true)) continue;
      const values = valuesOf(ind);
      if (!values.length) continue;
      const related = (indicates.get(String(ind.id)) ?? []).map((id) => names.get(id)!);
      const joined = (type: string) => related.filter((r) => r.type === type).map((r) => r.name).sort().join('; ');
      const refs = Array.isArray(ind.external_references) ? (ind.external_references as Json[]) : [];
      const source = refs.find((r) => typeof r.url === 'string')?.url as string | undefined;
      let chunk = '';
      for (const v of values) {
        chunk += csvRecord([
          v.value,
          v.type,
          String(ind.id),
          typeof ind.name === 'string' ? ind.name : '',
          typeof ind.confidence === 'number' ? String(ind.confidence) : '',
          typeof ind.valid_from === 'string' ? ind.valid_from : '',
          typeof ind.valid_until === 'string' ? ind.valid_until : '',
          tlpLabel(tlpOfObject(ind) ?? scope.defaultTlp),
          joined('campaign'),
          joined('malware'),
          source ?? '',
        ]);
      }
      yield chunk;
    }
  }

  /** The MISP feed's manifest.json: one entry per campaign or report that has at least one attribute. */
  async mispManifest(scope: ExportScope, f: ExportFilter): Promise<Record<string, MispManifestEntry>> {
    const { events, orgc } = await this.mispEvents(scope, f);
    const out: Record<string, MispManifestEntry> = {};
    for (const e of events.values()) {
      if (!e.hasAttributes) continue;
      out[e.uuid] = { info: e.info, date: e.date, analysis: 2, threat_level_id: 2, timestamp: Math.floor(e.timestampUs / 1e6), Orgc: orgc(e), Tag: [{ name: mispTlpTag(e.tlp) }] };
    }
    return out;
  }

  /** One MISP event (`{uuid}.json` of the feed), as MISP's feed fetcher reads it. */
  async mispEvent(scope: ExportScope, uuid: string, f: ExportFilter): Promise<{ Event: Json }> {
    const { events, orgc } = await this.mispEvents(scope, f, uuid);
    const e = [...events.values()].find((x) => x.uuid === uuid);
    if (!e || !e.hasAttributes) throw new NotFoundError(`There is no MISP event ${uuid.slice(0, 40)} in this feed; manifest.json lists the events.`);
    const ts = String(Math.floor(e.timestampUs / 1e6));
    return {
      Event: {
        uuid: e.uuid,
        info: e.info,
        date: e.date,
        threat_level_id: '2',
        analysis: '2',
        published: true,
        timestamp: ts,
        publish_timestamp: ts,
        distribution: '3',
        Orgc: orgc(e),
        Tag: [{ name: mispTlpTag(e.tlp) }],
        Attribute: e.attributes,
      },
    };
  }

  /**
   * Campaigns and reports with what they hold: the values of indicators that `indicates` a campaign, and
   * of indicators and observables a report refers to. Attributes are kept for the event `only` (the
   * others only know whether they have any), so memory follows one event, the containers and their links.
   */
  private async mispEvents(scope: ExportScope, f: ExportFilter, only?: string) {
    const now = this.clock();
    const events = new Map<string, EventSource>();
    const byMember = new Map<string, string[]>();
    const link = (member: string, container: string) => {
      const list = byMember.get(member) ?? [];
      if (!list.includes(container)) list.push(container);
      byMember.set(member, list);
    };
    const identities = new Map<string, string>();
    for await (const o of this.read(scope, ['identity', 'campaign', 'report'])) {
      const id = String(o.id);
      if (o.type === 'identity') {
        if (typeof o.name === 'string') identities.set(id, o.name);
        continue;
      }
      const date = [o.first_seen, o.published, o.created].find((d): d is string => typeof d === 'string' && timestampToMicros(d) !== undefined);
      events.set(id, {
        uuid: id.slice(id.indexOf('--') + 2),
        info: typeof o.name === 'string' ? o.name : id,
        date: date ? date.slice(0, 10) : '1970-01-01',
        createdBy: typeof o.created_by_ref === 'string' ? o.created_by_ref : undefined,
        timestampUs: timestampToMicros(String(o.modified ?? o.created)) ?? 0,
        tlp: tlpOfObject(o) ?? scope.defaultTlp,
        hasAttributes: false,
        attributes: [],
        seen: new Set(),
      });
      if (o.type === 'report' && Array.isArray(o.object_refs)) for (const ref of o.object_refs) if (typeof ref === 'string') link(ref, id);
    }
    for await (const r of this.read(scope, ['relationship'])) {
      const target = String(r.target_ref);
      if (r.relationship_type === 'indicates' && typeof r.source_ref === 'string' && r.source_ref.startsWith('indicator--') && target.startsWith('campaign--') && events.has(target)) {
        link(r.source_ref, target);
      }
    }
    for await (const obj of this.read(scope, this.sourceTypes(f))) {
      const containers = byMember.get(String(obj.id));
      if (!containers || !this.admits(scope, obj, f, now, true)) continue;
      const values = valuesOf(obj);
      if (!values.length) continue;
      const modifiedUs = typeof obj.modified === 'string' ? timestampToMicros(obj.modified) : undefined;
      for (const cid of containers) {
        const e = events.get(cid)!;
        e.hasAttributes = true;
        e.timestampUs = Math.max(e.timestampUs, modifiedUs ?? 0);
        e.tlp = Math.max(e.tlp, tlpOfObject(obj) ?? scope.defaultTlp);
        if (only !== e.uuid) continue;
        for (const v of values) {
          const { type, category } = mispAttributeType(v);
          const key = `${type}|${v.value}`;
          if (e.seen.has(key)) continue;
          e.seen.add(key);
          e.attributes.push({
            uuid: uuidV5(`${e.uuid}|${key}`),
            type,
            category,
            value: v.value,
            to_ids: obj.type === 'indicator',
            timestamp: String(Math.floor((modifiedUs ?? e.timestampUs) / 1e6)),
            comment: obj.type === 'indicator' ? `${typeof obj.name === 'string' ? obj.name : ''} (${String(obj.id)})`.trim() : `observed ${String(obj.type)} (${String(obj.id)})`,
            distribution: '5',
          });
        }
      }
    }
    const orgc = (e: EventSource) => {
      const name = e.createdBy ? identities.get(e.createdBy) : undefined;
      return name ? { name, uuid: e.createdBy!.slice(e.createdBy!.indexOf('--') + 2) } : { name: scope.title, uuid: uuidV5(`orgc|${scope.collectionId}`) };
    };
    return { events, orgc };
  }

  /**
   * A STIX 2.1 bundle of the newest visible, unrevoked version of every object (what `export` writes),
   * one chunk per object, in date_added order (with match[type], type by type in the order given). Stored JSON is written as stored; objects are parsed only when a filter needs
   * their content. Objects without confidence or valid_from pass those filters, so the bundle keeps the
   * identities, markings and relationships its indicators need.
   */
  async *bundleChunks(scope: ExportScope, f: ExportFilter): AsyncGenerator<string> {
    const now = this.clock();
    const parseAll = f.minConfidence !== undefined || f.validFromStartUs !== undefined || f.validFromEndUs !== undefined;
    yield `{"type":"bundle","id":"bundle--${randomUUID()}"`;
    let first = true;
    for (const rows of this.rows(scope, f.types)) {
      for await (const row of rows) {
        if ((parseAll || row.type === 'indicator') && !this.admits(scope, JSON.parse(row.body) as Json, f, now, false)) continue;
        yield first ? `,"objects":[${row.body}` : `,${row.body}`;
        first = false;
      }
    }
    // Nothing to export: no objects member, as `export` writes it (STIX 2.1 §2.12 forbids an empty list where
    // the property can be left out; validate and import refuse one, rule bundle.objects-empty).
    yield first ? '}' : ']}';
  }
}
