import { createHash, randomUUID } from 'node:crypto';
import type { CollectionConfig, Config } from '../../config/config';
import { InvalidInputError, NotFoundError, ServiceUnavailableError } from '../../domain/errors';
import { tlpOfObject } from '../../domain/tlp';
import type { AddOutcome, ObjectFilter, PreparedObject, StatusDetail, StatusResource, StoredRecord, StoredVersion, Visibility } from '../../domain/types';
import { WorkSlicer } from '../../common/event-loop';
import { SingleFlight } from '../../common/single-flight';
import { ceilToMs, microsToTimestamp, versionKey } from '../../common/time';
import { batchExtensions } from '../../stix/container';
import { formatFindings, type ObjectValidator } from '../../stix/validation-result';
import { HookAbort, StoreWriteError, type ObjectStore, type StoreTransaction } from '../../store/object-store';
import { isDatabaseUnavailable } from '../../store/db';
import type { StatusStore } from '../../store/status-store';
import { visibilityFor, type Principal } from '../access';
import { parseEnvelopeSliced, tooManyObjects, type PostedObject } from '../envelope-parser';
import { filterFingerprint, parseQuery, type ParsedQuery } from '../filters';
import { STIX_MEDIA_TYPE } from '../media-types';
import type { CursorCodec } from '../pagination';
import type { CollectionService } from './collection-service';
import { PageCache } from '../../cache/page-cache';

/** Where envelopes too big to answer synchronously go (src/ingest): answered with a "pending" status. */
export interface IngestQueue {
  enqueue(job: { statusId: string; requestTimestamp: string; principal: Principal; apiRoot: string; collectionId: string; posted: readonly PostedObject[] }): Promise<StatusResource>;
}

/** Work done in the transaction that stores the objects of ObjectService.ingest (see WriteHooks). */
export interface IngestCommit {
  before(trx: StoreTransaction): Promise<void>;
  after(trx: StoreTransaction, details: { successes: StatusDetail[]; failures: StatusDetail[] }): Promise<void>;
}

export interface IngestOutcome {
  successes: StatusDetail[];
  failures: StatusDetail[];
  /** Whether the objects were stored in a transaction that ran IngestCommit. */
  committed: boolean;
}

/** A TAXII response body already serialised, with the headers that go with it. */
export interface TaxiiPayload {
  json: string;
  /** The same body already encoded (UTF-8), when the page cache holds it: written as it is. */
  bytes?: Buffer;
  headers: Record<string, string>;
  /** How many objects (manifest entries, versions) the page holds. */
  count?: number;
}

const STIX_ID = /^[a-z0-9][a-z0-9-]+[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

interface PageOf<T extends StoredRecord> {
  items: T[];
  more: boolean;
  next?: string;
  headers: Record<string, string>;
}

/** Get/add/delete objects, manifests and versions (TAXII 2.1 §5.3-§5.8). */
export class ObjectService {
  constructor(
    private readonly config: Config,
    private readonly collections: CollectionService,
    private readonly store: ObjectStore,
    private readonly statuses: StatusStore,
    private readonly cursors: CursorCodec,
    private readonly validator: ObjectValidator,
    private readonly queue?: IngestQueue,
    private readonly pages: PageCache = new PageCache(),
  ) {}

  /** Pages being built, by write position and cache key: the same query at the same position is built once. */
  private readonly building = new SingleFlight<TaxiiPayload>();

  async getObjects(p: Principal, root: string, coll: string, query: Record<string, unknown>): Promise<TaxiiPayload> {
    const { collection } = await this.collections.resolve(p, root, coll, 'read');
    return this.servePage(p, `${collection.id}|objects`, parseQuery('objects', query), (q) => this.store.page(q), collection.id, visibilityFor(p, collection), (page) =>
      this.envelope(page, 'objects', (o) => o.body),
    );
  }

  async getManifest(p: Principal, root: string, coll: string, query: Record<string, unknown>): Promise<TaxiiPayload> {
    const { collection } = await this.collections.resolve(p, root, coll, 'read');
    return this.servePage(p, `${collection.id}|manifest`, parseQuery('manifest', query), (q) => this.store.pageRecords(q), collection.id, visibilityFor(p, collection), (page) =>
      this.envelope(page, 'objects', (r) => JSON.stringify({ id: r.stixId, date_added: microsToTimestamp(r.dateAddedUs), version: r.version, media_type: mediaType(r.specVersion) })),
    );
  }

  async getObject(p: Principal, root: string, coll: string, objectId: string, query: Record<string, unknown>): Promise<TaxiiPayload> {
    const { collection } = await this.collections.resolve(p, root, coll, 'read');
    const visibility = visibilityFor(p, collection);
    const parsed = parseQuery('object', query);
    await this.requireObject(collection.id, objectId, visibility);
    return this.servePage(p, `${collection.id}|object|${objectId}`, parsed, (q) => this.store.page({ ...q, stixId: objectId }), collection.id, visibility, (page) =>
      this.envelope(page, 'objects', (o) => o.body),
    );
  }

  async getVersions(p: Principal, root: string, coll: string, objectId: string, query: Record<string, unknown>): Promise<TaxiiPayload> {
    const { collection } = await this.collections.resolve(p, root, coll, 'read');
    const visibility = visibilityFor(p, collection);
    const parsed = parseQuery('versions', query);
    parsed.filter.versions = { all: true, last: false, first: false, keys: [] };
    await this.requireObject(collection.id, objectId, visibility);
    return this.servePage(p, `${collection.id}|versions|${objectId}`, parsed, (q) => this.store.pageRecords({ ...q, stixId: objectId }), collection.id, visibility, (page) =>
      this.envelope(page, 'versions', (r) => JSON.stringify(r.version)),
    );
  }

  async deleteObject(p: Principal, root: string, coll: string, objectId: string, query: Record<string, unknown>): Promise<number> {
    const { collection } = await this.collections.resolve(p, root, coll, 'write');
    const parsed = parseQuery('delete', query);
    // Without match[version], DELETE removes every version (TAXII 2.1 §5.7).
    const filter: ObjectFilter = query['match[version]'] === undefined ? { ...parsed.filter, versions: { all: true, last: false, first: false, keys: [] } } : parsed.filter;
    const visibility = visibilityFor(p, collection);
    await this.requireObject(collection.id, objectId, visibility);
    const removed = await this.store.deleteVersions(collection.id, objectId, filter, visibility);
    if (removed === 0) throw new NotFoundError(`No version of ${objectId} matches match[version]/match[spec_version]; nothing was deleted.`);
    return removed;
  }

  /**
   * POST objects. With `dryRun`, the objects are validated exactly as for a POST and nothing is stored or
   * recorded (the web console's check). An envelope at or above the asynchronous thresholds goes to the
   * ingest queue when there is one (up to its own object limit), and is answered "pending".
   */
  async addObjects(p: Principal, root: string, coll: string, body: string, opts: { recordStatus?: boolean; dryRun?: boolean } = {}): Promise<StatusResource> {
    const requestTimestamp = microsToTimestamp(Date.now() * 1000);
    const statusId = randomUUID();
    const { apiRoot, collection } = await this.collections.resolve(p, root, coll, 'write');
    const s = this.config.server;
    const queue = opts.dryRun || opts.recordStatus === false ? undefined : this.queue;
    const a = this.config.ingest;
    const queued = (count: number) => queue !== undefined && count > 0 && (count >= a.asyncFromObjects || body.length >= a.asyncFromBytes);
    const posted = await parseEnvelopeSliced(body, s.maxJsonDepth, queue ? Math.max(s.maxObjectsPerEnvelope, a.maxObjectsPerEnvelope) : s.maxObjectsPerEnvelope, { summariesWhen: queued });
    if (queue && queued(posted.length)) {
      return queue.enqueue({ statusId, requestTimestamp, principal: p, apiRoot: apiRoot.path, collectionId: collection.id, posted });
    }
    if (posted.length > s.maxObjectsPerEnvelope) throw tooManyObjects(posted.length, s.maxObjectsPerEnvelope);
    const { successes, failures } = await this.ingest(p, collection, posted, { statusId: opts.recordStatus === false ? undefined : statusId, dryRun: opts.dryRun });
    const status: StatusResource = {
      id: statusId,
      status: 'complete',
      request_timestamp: requestTimestamp,
      total_count: posted.length,
      success_count: successes.length,
      successes,
      failure_count: failures.length,
      failures,
      pending_count: 0,
      pendings: [],
    };
    if (opts.recordStatus !== false && !opts.dryRun) {
      await this.statuses.save({ apiRoot: apiRoot.path, collectionId: collection.id, principalId: p.id, resource: status }, s.statusRetentionHours * 3600_000);
    }
    return status;
  }

  /**
   * Validates and stores posted objects, giving each its outcome: the one path of a POST, of a chunk of the
   * asynchronous queue (src/ingest) and of the import. With `commit`, its `before` and `after` run inside
   * the transaction that stores the objects (`after` with their outcomes); `committed` says whether that
   * transaction ran (it does not when no object passed validation, or when the store refused the request).
   */
  async ingest(p: Principal, collection: CollectionConfig, posted: readonly PostedObject[], opts: { statusId?: string; dryRun?: boolean; commit?: IngestCommit; firstIndex?: number } = {}): Promise<IngestOutcome> {
    const ids = [...new Set(posted.map((o) => (o.value as { id?: unknown })?.id).filter((id): id is string => typeof id === 'string'))];
    const { history, known } = await this.store.storedVersions(collection.id, ids);
    // Extension-definitions sent in this request or stored in the collection define types and properties (§7.3).
    const extensions = batchExtensions(posted.map((o) => o.value), await this.store.extensionDefinitions(collection.id, visibilityFor(p, collection)));

    const successes: StatusDetail[] = [];
    const failures: StatusDetail[] = [];
    const prepared: PreparedObject[] = [];
    const notes: string[] = [];
    // Validation is CPU-bound: sliced so a large envelope never blocks other clients for long.
    const slicer = new WorkSlicer();
    for (let i = 0; i < posted.length; i++) {
      await slicer.step();
      const checked = this.check(posted[i]!, i + (opts.firstIndex ?? 0), collection, history, extensions);
      if ('failure' in checked) {
        failures.push(checked.failure);
        continue;
      }
      prepared.push(checked.item);
      notes.push(checked.note);
    }

    if (opts.dryRun) {
      prepared.forEach((item, i) => successes.push({ id: item.stixId, version: item.version ?? '', message: `valid; not stored (check only)${notes[i]}` }));
      return { successes, failures, committed: false };
    }
    if (!prepared.length) return { successes, failures, committed: false };
    const describe = (outcomes: readonly AddOutcome[]) => {
      const out = { successes: [...successes], failures: [...failures] };
      outcomes.forEach((o, i) => {
        const item = prepared[i]!;
        if (o.kind === 'added') out.successes.push({ id: item.stixId, version: o.version, message: `stored${notes[i]}` });
        else if (o.kind === 'unchanged') out.successes.push({ id: item.stixId, version: o.version, message: `already present; nothing stored${notes[i]}` });
        else out.failures.push({ id: item.stixId, version: o.version, message: o.message });
      });
      return out;
    };
    let described: { successes: StatusDetail[]; failures: StatusDetail[] } | undefined;
    const commit = opts.commit;
    try {
      const outcomes = await this.store.addObjects(
        collection.id,
        prepared,
        { principalId: p.id, principalName: p.name, statusId: opts.statusId, visibility: visibilityFor(p, collection), known },
        commit && {
          before: commit.before,
          after: async (trx, outs) => {
            described = describe(outs);
            await commit.after(trx, described);
          },
        },
      );
      return { ...(described ?? describe(outcomes)), committed: true };
    } catch (err) {
      if (err instanceof HookAbort) throw err;
      // Nothing was stored and nothing is wrong with the objects: the client should retry the request.
      if (isDatabaseUnavailable(err)) throw new ServiceUnavailableError('The database is not reachable right now; nothing of this request was stored. Post it again shortly.');
      // One transaction per request: when the store fails, nothing of this request was stored.
      const culprit = err instanceof StoreWriteError ? err.stixId : undefined;
      const reason = err instanceof StoreWriteError ? (err.cause as Error)?.message ?? String(err.cause) : (err as Error).message;
      for (const item of prepared) {
        failures.push({
          id: item.stixId,
          version: item.version ?? '',
          message:
            item.stixId === culprit
              ? `the store refused this object (${reason}); nothing from this request was stored`
              : `not stored: the store failed on ${culprit ?? 'this request'} (${reason}) and the whole request was rolled back; post it again`,
        });
      }
      return { successes, failures, committed: false };
    }
  }

  /**
   * Validates one posted object against the collection's rules, its stored versions and the request's
   * extensions: what to store (with the warnings to report), or why it is rejected. `index` names an
   * object without an id.
   */
  private check(
    o: PostedObject,
    index: number,
    collection: CollectionConfig,
    history: ReadonlyMap<string, readonly StoredVersion[]>,
    extensions: ReturnType<typeof batchExtensions>,
  ): { item: PreparedObject; note: string } | { failure: StatusDetail } {
    const v = o.value as Record<string, unknown>;
    const id = typeof v?.id === 'string' ? v.id : `objects[${index}]`;
    const version = typeof v?.modified === 'string' ? v.modified : typeof v?.created === 'string' ? v.created : '';
    const result = this.validator.validate(o.value, {
      allowCustom: collection.allowCustom,
      storedVersions: (history.get(id) ?? []).map((h) => ({ version: h.version, revoked: h.revoked })),
      extensions,
    });
    if (!result.valid) return { failure: { id, version, message: `rejected: ${formatFindings(result.errors)}` } };
    return {
      item: {
        stixId: id,
        type: v.type as string,
        specVersion: typeof v.spec_version === 'string' ? v.spec_version : '2.1',
        version: version || undefined,
        versionKey: version ? versionKey(version) : undefined,
        revoked: v.revoked === true,
        tlp: tlpOfObject(v),
        body: o.raw,
        value: v,
      },
      note: result.warnings.length ? `; warnings: ${formatFindings(result.warnings)}` : '',
    };
  }

  private async requireObject(collectionId: string, objectId: string, visibility?: Visibility): Promise<void> {
    if (!STIX_ID.test(objectId) || !(await this.store.exists(collectionId, objectId, visibility))) {
      throw new NotFoundError(`There is no object ${objectId} in this collection.`);
    }
  }

  /**
   * A page, served from the page cache when the same query of the same visibility was answered at the
   * collection's current write position, else built and kept. The write position is read once per request
   * (one primary-key read) and also answers the steady-state poll without a page query.
   */
  private async servePage<T extends StoredRecord>(
    p: Principal,
    scope: string,
    parsed: ParsedQuery,
    fetch: (q: { collectionId: string; filter: ObjectFilter; afterUs?: number; limit: number; visibility?: Visibility }) => Promise<T[]>,
    collectionId: string,
    visibility: Visibility | undefined,
    render: (page: PageOf<T>) => TaxiiPayload,
  ): Promise<TaxiiPayload> {
    const { filter, afterUs } = this.position(scope, parsed);
    const s = this.config.server;
    const limit = Math.min(parsed.limit ?? s.defaultLimit, s.maxLimit);
    const position = await this.store.writePosition(collectionId);
    const key = `${scope}\u0000${filterFingerprint(filter)}\u0000${afterUs ?? ''}\u0000${limit}\u0000${p.maxTlp}\u0000${visibility ? JSON.stringify(visibility) : ''}`;
    const hit = this.pages.enabled ? this.pages.get(key, position) : undefined;
    if (hit) return hit;
    // Requests that miss together (the polls that follow a write) wait for one build of the page.
    return this.building.run(`${position}\u0000${key}`, async () => {
      const out = render(await this.pageOf(scope, filter, afterUs, limit, position, fetch, collectionId, visibility));
      // The same query of the same visibility at the same write position gives the same bytes (an extension:
      // clients may send it back in If-None-Match and get a 304).
      out.headers = { ...out.headers, ETag: `"${position.toString(36)}.${createHash('sha256').update(key).digest('base64url').slice(0, 22)}"` };
      return this.pages.set(key, position, out) ?? out;
    });
  }

  /** The filter and position a request asks for: its own, or those its `next` cursor carries. */
  private position(scope: string, parsed: ParsedQuery): { filter: ObjectFilter; afterUs?: number } {
    let filter = parsed.filter;
    let afterUs: number | undefined;
    if (parsed.next) {
      const asked = parsed.filter.addedAfterUs;
      const cursor = this.cursors.decode(parsed.next);
      // A next kept from an earlier run (sent with a fresh added_after) or from another collection: the
      // OpenCTI taxii2 connector never clears it and carries it across runs and collections. Refusing it
      // would make that client skip the collection (and lose what arrived meanwhile), so the request's
      // own query is answered from its start instead. Forged or garbled cursors are still a 400.
      const stale =
        cursor.scope !== scope ||
        (asked !== undefined && cursor.filter.addedAfterUs !== asked && filterFingerprint({ ...cursor.filter, addedAfterUs: asked }) === filterFingerprint(parsed.filter));
      if (!stale) {
        if (parsed.hasFilterParams && filterFingerprint(parsed.filter) !== filterFingerprint(cursor.filter)) {
          throw new InvalidInputError('next was issued for a different query; send the same filters as the first request, or send next (and limit) alone.');
        }
        filter = cursor.filter;
        afterUs = cursor.dateAddedUs;
      }
    }
    return { filter, afterUs };
  }

  private async pageOf<T extends StoredRecord>(
    scope: string,
    filter: ObjectFilter,
    afterUs: number | undefined,
    limit: number,
    position: number,
    fetch: (q: { collectionId: string; filter: ObjectFilter; afterUs?: number; limit: number; visibility?: Visibility }) => Promise<T[]>,
    collectionId: string,
    visibility: Visibility | undefined,
  ): Promise<PageOf<T>> {
    const s = this.config.server;
    // The steady-state poll (added_after = the last position a client saw, nothing written since): answered
    // from the collection's write position, without the page query. No version lies above that position.
    const after = Math.max(filter.addedAfterUs ?? -1, afterUs ?? -1);
    const unchanged = after >= 0 && after >= position;
    const rows = unchanged ? [] : await fetch({ collectionId, filter, afterUs, limit, visibility });
    let more = rows.length > limit;
    let items = more ? rows.slice(0, limit) : rows;
    // Cap the bytes of a page too, so that large objects never produce a response a client refuses.
    let bytes = 0;
    for (let i = 0; i < items.length; i++) {
      bytes += (items[i] as unknown as { body?: string }).body?.length ?? 200;
      if (bytes > s.maxPageBytes && i > 0) {
        items = items.slice(0, i);
        more = true;
        break;
      }
    }
    const headers: Record<string, string> = {};
    if (items.length) {
      const first = items[0]!, last = items[items.length - 1]!;
      headers['X-TAXII-Date-Added-First'] = microsToTimestamp(first.dateAddedUs);
      // On the final page the value is rounded up to the millisecond: clients that truncate it to
      // milliseconds then still exclude this page, and no later commit can fall at or below it.
      headers['X-TAXII-Date-Added-Last'] = microsToTimestamp(more ? last.dateAddedUs : ceilToMs(last.dateAddedUs));
    } else {
      // An empty page repeats the position asked for, so that header-echoing clients keep their cursor.
      const echo = Math.max(filter.addedAfterUs ?? -1, afterUs ?? -1);
      if (echo >= 0) headers['X-TAXII-Date-Added-Last'] = microsToTimestamp(echo);
    }
    const next = more ? this.cursors.encode({ scope, filter, dateAddedUs: items[items.length - 1]!.dateAddedUs, seq: items[items.length - 1]!.seq }) : undefined;
    return { items, more, next, headers };
  }

  private envelope<T extends StoredRecord>(page: PageOf<T>, key: 'objects' | 'versions', render: (item: T) => string): TaxiiPayload {
    if (page.items.length === 0) {
      const json = this.config.server.emptyEnvelope === 'explicit' ? `{"more":false,"${key}":[]}` : '{}';
      return { json, headers: page.headers, count: 0 };
    }
    const head = page.more ? `{"more":true,"next":${JSON.stringify(page.next)},` : '{"more":false,';
    return { json: `${head}"${key}":[${page.items.map(render).join(',')}]}`, headers: page.headers, count: page.items.length };
  }
}

function mediaType(specVersion: string): string {
  return specVersion === '2.1' ? STIX_MEDIA_TYPE : `application/stix+json;version=${specVersion}`;
}
