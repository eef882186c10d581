import { randomUUID } from 'node:crypto';
import type { Config } from '../../config/config';
import { InvalidInputError, NotFoundError, ServiceUnavailableError } from '../../domain/errors';
import { tlpOfObject } from '../../domain/tlp';
import type { ObjectFilter, PreparedObject, StatusDetail, StatusResource, StoredRecord, Visibility } from '../../domain/types';
import { WorkSlicer } from '../../common/event-loop';
import { ceilToMs, microsToTimestamp, versionKey } from '../../common/time';
import { batchExtensions } from '../../stix/container';
import { formatFindings, type ObjectValidator } from '../../stix/validation-result';
import { StoreWriteError, type ObjectStore } from '../../store/object-store';
import { isDatabaseUnavailable } from '../../store/db';
import type { StatusStore } from '../../store/status-store';
import { visibilityFor, type Principal } from '../access';
import { parseEnvelopeSliced } from '../envelope-parser';
import { filterFingerprint, parseQuery, type ParsedQuery } from '../filters';
import { STIX_MEDIA_TYPE } from '../media-types';
import type { CursorCodec } from '../pagination';
import type { CollectionService } from './collection-service';

/** A TAXII response body already serialised, with the headers that go with it. */
export interface TaxiiPayload {
  json: string;
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
  ) {}

  async getObjects(p: Principal, root: string, coll: string, query: Record<string, unknown>): Promise<TaxiiPayload> {
    const { collection } = await this.collections.resolve(p, root, coll, 'read');
    const page = await this.pageOf(`${collection.id}|objects`, parseQuery('objects', query), (q) => this.store.page(q), collection.id, visibilityFor(p, collection));
    return this.envelope(page, 'objects', (o) => o.body);
  }

  async getManifest(p: Principal, root: string, coll: string, query: Record<string, unknown>): Promise<TaxiiPayload> {
    const { collection } = await this.collections.resolve(p, root, coll, 'read');
    const page = await this.pageOf(`${collection.id}|manifest`, parseQuery('manifest', query), (q) => this.store.pageRecords(q), collection.id, visibilityFor(p, collection));
    return this.envelope(page, 'objects', (r) =>
      JSON.stringify({ id: r.stixId, date_added: microsToTimestamp(r.dateAddedUs), version: r.version, media_type: mediaType(r.specVersion) }),
    );
  }

  async getObject(p: Principal, root: string, coll: string, objectId: string, query: Record<string, unknown>): Promise<TaxiiPayload> {
    const { collection } = await this.collections.resolve(p, root, coll, 'read');
    const visibility = visibilityFor(p, collection);
    const parsed = parseQuery('object', query);
    await this.requireObject(collection.id, objectId, visibility);
    const page = await this.pageOf(`${collection.id}|object|${objectId}`, parsed, (q) => this.store.page({ ...q, stixId: objectId }), collection.id, visibility);
    return this.envelope(page, 'objects', (o) => o.body);
  }

  async getVersions(p: Principal, root: string, coll: string, objectId: string, query: Record<string, unknown>): Promise<TaxiiPayload> {
    const { collection } = await this.collections.resolve(p, root, coll, 'read');
    const visibility = visibilityFor(p, collection);
    const parsed = parseQuery('versions', query);
    parsed.filter.versions = { all: true, last: false, first: false, keys: [] };
    await this.requireObject(collection.id, objectId, visibility);
    const page = await this.pageOf(`${collection.id}|versions|${objectId}`, parsed, (q) => this.store.pageRecords({ ...q, stixId: objectId }), collection.id, visibility);
    return this.envelope(page, 'versions', (r) => JSON.stringify(r.version));
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

  /** With `dryRun`, the objects are validated exactly as for a POST and nothing is stored or recorded (the web console's check). */
  async addObjects(p: Principal, root: string, coll: string, body: string, opts: { recordStatus?: boolean; dryRun?: boolean } = {}): Promise<StatusResource> {
    const requestTimestamp = microsToTimestamp(Date.now() * 1000);
    const statusId = randomUUID();
    const { apiRoot, collection } = await this.collections.resolve(p, root, coll, 'write');
    const posted = await parseEnvelopeSliced(body, this.config.server.maxJsonDepth, this.config.server.maxObjectsPerEnvelope);
    const ids = [...new Set(posted.map((o) => (o.value as { id?: unknown })?.id).filter((id): id is string => typeof id === 'string'))];
    const history = await this.store.storedVersions(collection.id, ids);
    // Extension-definitions sent in this request or stored in the collection define types and properties (§7.3).
    const extensions = batchExtensions(posted.map((o) => o.value), await this.store.extensionDefinitions(collection.id, visibilityFor(p, collection)));

    const successes: StatusDetail[] = [];
    const failures: StatusDetail[] = [];
    const prepared: PreparedObject[] = [];
    const notes: string[] = [];
    // Validation is CPU-bound: sliced so a large envelope never blocks other clients for long.
    const slicer = new WorkSlicer();
    for (const [i, o] of posted.entries()) {
      await slicer.step();
      const v = o.value as Record<string, unknown>;
      const id = typeof v?.id === 'string' ? v.id : `objects[${i}]`;
      const version = typeof v?.modified === 'string' ? v.modified : typeof v?.created === 'string' ? v.created : '';
      const result = this.validator.validate(o.value, {
        allowCustom: collection.allowCustom,
        storedVersions: (history.get(id) ?? []).map((h) => ({ version: h.version, revoked: h.revoked })),
        extensions,
      });
      if (!result.valid) {
        failures.push({ id, version, message: `rejected: ${formatFindings(result.errors)}` });
        continue;
      }
      prepared.push({
        stixId: id,
        type: v.type as string,
        specVersion: typeof v.spec_version === 'string' ? v.spec_version : '2.1',
        version: version || undefined,
        versionKey: version ? versionKey(version) : undefined,
        revoked: v.revoked === true,
        tlp: tlpOfObject(v),
        body: o.raw,
        value: v,
      });
      notes.push(result.warnings.length ? `; warnings: ${formatFindings(result.warnings)}` : '');
    }

    if (opts.dryRun) {
      prepared.forEach((item, i) => successes.push({ id: item.stixId, version: item.version ?? '', message: `valid; not stored (check only)${notes[i]}` }));
    } else if (prepared.length) {
      try {
        const outcomes = await this.store.addObjects(collection.id, prepared, { principalId: p.id, principalName: p.name, statusId: opts.recordStatus === false ? undefined : statusId, visibility: visibilityFor(p, collection) });
        outcomes.forEach((out, i) => {
          const item = prepared[i]!;
          if (out.kind === 'added') successes.push({ id: item.stixId, version: out.version, message: `stored${notes[i]}` });
          else if (out.kind === 'unchanged') successes.push({ id: item.stixId, version: out.version, message: `already present; nothing stored${notes[i]}` });
          else failures.push({ id: item.stixId, version: out.version, message: out.message });
        });
      } catch (err) {
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
      }
    }

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
      await this.statuses.save(
        { apiRoot: apiRoot.path, collectionId: collection.id, principalId: p.id, resource: status },
        this.config.server.statusRetentionHours * 3600_000,
      );
    }
    return status;
  }

  private async requireObject(collectionId: string, objectId: string, visibility?: Visibility): Promise<void> {
    if (!STIX_ID.test(objectId) || !(await this.store.exists(collectionId, objectId, visibility))) {
      throw new NotFoundError(`There is no object ${objectId} in this collection.`);
    }
  }

  private async pageOf<T extends StoredRecord>(
    scope: string,
    parsed: ParsedQuery,
    fetch: (q: { collectionId: string; filter: ObjectFilter; afterUs?: number; limit: number; visibility?: Visibility }) => Promise<T[]>,
    collectionId: string,
    visibility: Visibility | undefined,
  ): Promise<PageOf<T>> {
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
    const s = this.config.server;
    const limit = Math.min(parsed.limit ?? s.defaultLimit, s.maxLimit);
    const rows = await fetch({ collectionId, filter, afterUs, limit, visibility });
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
