import type { CollectionConfig, Config } from '../config/config';
import { DomainError, InvalidInputError, TooManyRequestsError } from '../domain/errors';
import type { Visibility } from '../domain/types';
import { ceilToMs, microsToTimestamp, nowMicros, timestampToMicros } from '../common/time';
import type { ChangeRecord, ChangeStore } from '../store/change-store';
import { visibilityFor, type Principal } from '../taxii/access';
import { filterFingerprint, parseQuery } from '../taxii/filters';
import type { CursorCodec } from '../taxii/pagination';
import type { CollectionService } from '../taxii/services/collection-service';
import type { StandingView, Subscriber } from '../taxii/standing-access';
import { ChangeMetrics } from './metrics';

/** A reader whose position is older than a deletion event that retention removed: it must start again. */
export class ChangesExpiredError extends DomainError {
  constructor(retentionDays: number) {
    super(
      410,
      'Changes no longer available',
      `Deletion events are kept for ${retentionDays} days, and some after your position have been removed, so this feed can no longer tell you everything that changed since. ` +
        'Resync: read the change feed again without added_after and next (or open the stream without Last-Event-ID, with no added_after), and replace what you hold.',
    );
  }
}

/**
 * The collection's write position (ObjectStore.writePosition), which every add, new version and delete moves
 * in its own transaction to at least the position of each change it logs.
 */
export interface WritePositions {
  writePosition(collectionId: string): Promise<number>;
}

/** A TAXII response body already serialised, with the headers that go with it. */
export interface ChangePayload {
  json: string;
  headers: Record<string, string>;
}

/** One Server-Sent Event: its id is the change's position, as an RFC 3339 timestamp with microseconds. */
export interface StreamEvent {
  id: string;
  event: ChangeRecord['change'];
  /** JSON text of the change entry, with the object itself in added and revoked events. */
  data: string;
}

/** Rows one stream reads per query: the most a subscriber ever holds in memory. */
const STREAM_PAGE = 100;

/**
 * The change feed and live streams of a collection (extensions to TAXII 2.1). Both read the change log in
 * position order with the caller's grants and TLP clearance applied in the query, so a caller never hears
 * of a change to a version it may not read.
 */
export class ChangeService {
  private readonly openStreams = new Map<string, number>();

  constructor(
    private readonly config: Config,
    private readonly collections: CollectionService,
    private readonly store: ChangeStore,
    private readonly cursors: CursorCodec,
    readonly metrics: ChangeMetrics = new ChangeMetrics(),
    private readonly positions?: WritePositions,
    /** What an open stream's reader may read now (src/taxii/standing-access.ts); without it, what it could at opening. */
    private readonly standing?: (s: Subscriber) => Promise<StandingView>,
  ) {}

  /** GET {root}/collections/{id}/changes/: one page of changes, paged like Get Objects. */
  async feed(p: Principal, root: string, coll: string, query: Record<string, unknown>): Promise<ChangePayload> {
    const { collection } = await this.collections.resolve(p, root, coll, 'read');
    const parsed = parseQuery('changes', query);
    const scope = `${collection.id}|changes`;
    let filter = parsed.filter;
    let afterUs: number | undefined;
    // A cursor of this feed carries, as its seq, where retention had removed deletion events to when it was issued.
    let prunedAtIssue: number | undefined;
    if (parsed.next) {
      const cursor = this.cursors.decode(parsed.next);
      if (cursor.scope !== scope) throw new InvalidInputError('next was issued for another collection or endpoint; start again without next.');
      if (parsed.hasFilterParams && filterFingerprint(parsed.filter) !== filterFingerprint(cursor.filter)) {
        throw new InvalidInputError('next was issued for a different query; send the same filters as the first request, or send next (and limit) alone.');
      }
      filter = cursor.filter;
      afterUs = cursor.dateAddedUs;
      prunedAtIssue = cursor.seq;
    }
    const position = Math.max(filter.addedAfterUs ?? -1, afterUs ?? -1);
    // Read before the page: a removal that runs during it then shows at the next request, never goes unnoticed.
    const prunedUs = await this.store.prunedThrough(collection.id);
    // A position behind removed deletion events has missed them, unless it comes from a cursor issued when they
    // were already removed: that reader (a resync from the start, typically) was never sent the adds they undid,
    // which went with them. Otherwise a resync could not page past its first page.
    if (position >= 0 && position < prunedUs && !(prunedAtIssue !== undefined && prunedUs <= prunedAtIssue)) {
      throw new ChangesExpiredError(this.config.changes.deleteRetentionDays);
    }
    const s = this.config.server;
    const limit = Math.min(parsed.limit ?? s.defaultLimit, s.maxLimit);
    // The steady-state poll (nothing changed since the caller's position) is answered from the collection's
    // write position, without the change log's query: every change's position is at or below it.
    const unchanged = position >= 0 && this.positions !== undefined && (await this.positions.writePosition(collection.id)) <= position;
    const rows = unchanged ? [] : await this.store.page({ collectionId: collection.id, afterUs: position, limit, visibility: visibilityFor(p, collection), types: filter.types });
    const more = rows.length > limit;
    const items = more ? rows.slice(0, limit) : rows;
    const headers: Record<string, string> = {};
    if (items.length) {
      headers['X-TAXII-Date-Added-First'] = microsToTimestamp(items[0]!.positionUs);
      // Rounded up on the final page, as Get Objects does: no later change can fall at or below it.
      // Past the removed deletion events too: every later change is beyond them (they took their positions from
      // the collection's counter), so a reader that has read to the end polls on from there without a 410.
      const last = items[items.length - 1]!.positionUs;
      headers['X-TAXII-Date-Added-Last'] = microsToTimestamp(more ? last : Math.max(ceilToMs(last), prunedUs));
    } else if (position >= 0) {
      headers['X-TAXII-Date-Added-Last'] = microsToTimestamp(Math.max(position, prunedUs));
    }
    if (items.length === 0) {
      return { json: this.config.server.emptyEnvelope === 'explicit' ? '{"more":false,"changes":[]}' : '{}', headers };
    }
    const next = more ? this.cursors.encode({ scope, filter, dateAddedUs: items[items.length - 1]!.positionUs, seq: prunedUs }) : undefined;
    const head = more ? `{"more":true,"next":${JSON.stringify(next)},` : '{"more":false,';
    return { json: `${head}"changes":[${items.map((c) => JSON.stringify(entry(c))).join(',')}]}`, headers };
  }

  /**
   * Opens a live stream of a collection's changes after a position: Last-Event-ID when the client resumes,
   * else added_after, else from now. Counts against the caller's limit of open streams until closed.
   */
  async openStream(p: Principal, root: string, coll: string, opts: { lastEventId?: string; query: Record<string, unknown>; clientKey: string }): Promise<ChangeStream> {
    const { collection } = await this.collections.resolve(p, root, coll, 'read');
    const parsed = parseQuery('changes', opts.query);
    if (parsed.next !== undefined || parsed.limit !== undefined) throw new InvalidInputError('The change stream takes added_after and match[type]; next and limit are for the change feed (changes/).');
    let afterUs: number;
    if (opts.lastEventId !== undefined && opts.lastEventId !== '') {
      const us = timestampToMicros(opts.lastEventId);
      if (us === undefined) throw new InvalidInputError(`Last-Event-ID "${opts.lastEventId.slice(0, 60)}" is not an event id of this stream; reconnect without it, or with the id of the last event received.`);
      afterUs = us;
    } else {
      afterUs = parsed.filter.addedAfterUs ?? (await this.store.latestPosition(collection.id));
    }
    await this.requireRetained(collection.id, afterUs);
    const open = this.openStreams.get(opts.clientKey) ?? 0;
    const max = this.config.changes.maxStreamsPerPrincipal;
    if (open >= max) throw new TooManyRequestsError(`You already hold ${max} open change streams; close one before opening another.`, 30);
    this.openStreams.set(opts.clientKey, open + 1);
    this.metrics.streamSubscribers.inc();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.metrics.streamSubscribers.dec();
      const n = (this.openStreams.get(opts.clientKey) ?? 1) - 1;
      if (n <= 0) this.openStreams.delete(opts.clientKey);
      else this.openStreams.set(opts.clientKey, n);
    };
    const visibility = visibilityFor(p, collection);
    const standing = this.standing && (() => this.standing!({ principalId: p.id, collectionId: collection.id, visibility, tokenId: p.tokenId }));
    return new ChangeStream(this.store, collection, visibility, parsed.filter.types, afterUs, release, standing);
  }

  /** Open streams per client key (for metrics and tests). */
  openStreamCount(clientKey: string): number {
    return this.openStreams.get(clientKey) ?? 0;
  }

  /** Removes deletion events older than the retention period; returns how many. */
  async prune(nowUs = nowMicros()): Promise<number> {
    return this.store.pruneDeletions(nowUs - this.config.changes.deleteRetentionDays * 86_400_000_000);
  }

  private async requireRetained(collectionId: string, positionUs: number): Promise<void> {
    if (positionUs < 0) return;
    if (positionUs < (await this.store.prunedThrough(collectionId))) throw new ChangesExpiredError(this.config.changes.deleteRetentionDays);
  }
}

/** The reader of an open stream lost read access to its collection; the stream ends with this reason. */
export class StreamAccessEndedError extends DomainError {
  constructor(reason: string) {
    super(403, 'Access ended', `The stream is closed: ${reason}. Reconnecting is refused until access is granted again.`);
  }
}

/**
 * One subscriber's view of the change log: each `next()` reads at most one page after the last position
 * it returned, so memory per subscriber is bounded whatever the backlog. Before it returns events, it asks
 * `standing` whether the reader still may read them: a revoked grant, a disabled user or a revoked token ends
 * the stream (StreamAccessEndedError), and a lowered clearance narrows it, as the reader's next request would be.
 */
export class ChangeStream {
  constructor(
    private readonly store: ChangeStore,
    private readonly collection: CollectionConfig,
    private visibility: Visibility | undefined,
    private readonly types: string[] | undefined,
    private positionUs: number,
    readonly close: () => void,
    private readonly standing?: () => Promise<StandingView>,
  ) {}

  /** The next events (possibly none yet), in position order. */
  async next(): Promise<StreamEvent[]> {
    const read = () => this.store.page({ collectionId: this.collection.id, afterUs: this.positionUs, limit: STREAM_PAGE - 1, visibility: this.visibility, types: this.types, withBodies: true });
    let rows = await read();
    // Asked only when there is something to send, so an idle stream costs no access check.
    if (rows.length && this.standing) {
      const now = await this.standing();
      if (!now.ok) throw new StreamAccessEndedError(now.reason);
      if (now.visibility?.maxTlp !== this.visibility?.maxTlp) {
        this.visibility = now.visibility;
        rows = await read();
      }
    }
    if (rows.length) this.positionUs = rows[rows.length - 1]!.positionUs;
    return rows.map((c) => {
      const e = JSON.stringify(entry(c));
      // The stored text spliced in unparsed. JSON cannot hold a raw line break inside a string, so any in the
      // text is whitespace between tokens: made spaces, every event's data is one line.
      const data = c.body !== undefined ? `${e.slice(0, -1)},"object":${c.body.replace(/[\r\n]/g, ' ')}}` : e;
      return { id: microsToTimestamp(c.positionUs), event: c.change, data };
    });
  }
}

function entry(c: ChangeRecord): { id: string; version: string; date_added: string; change: string } {
  return { id: c.stixId, version: c.version, date_added: microsToTimestamp(c.positionUs), change: c.change };
}
