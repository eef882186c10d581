/**
 * Elastic `ti_custom` (CEL input, TAXII 2.1 program). Configured with the collection's objects URL only.
 * Per evaluation: with `want_more` it GETs `next_url` (only `next` and `limit`); otherwise, with
 * `initial_interval`, `…/?added_after=<cursor.last_timestamp or now-interval as Go RFC3339>&limit=`;
 * otherwise the bare URL. 200/206 only; `body.objects.map(...)` (so `objects` must exist); `want_more`
 * from `next` alone (ignores `more`); the cursor is the `X-Taxii-Date-Added-Last` header of every page,
 * verbatim, or `{}` when the header is missing. Auth: `<key_type> <api_key>` (Bearer) or Basic.
 */
import {
  ADMIN_AUTH,
  ClientBroke,
  envelopeProblems,
  fullReadCounts,
  goRfc3339,
  headerProblems,
  Ledger,
  LoopBound,
  objectsUrl,
  runScenario,

  startConsumerServer,
  TAXII,
  Wire,
  type Consumer,
} from './harness';
import type { ConsumerServer } from './harness';

interface CelState {
  url: string;
  initial_interval?: string;
  limit?: number;
  accept_header: string;
  authorization: string;
  want_more: boolean;
  next_url?: string;
  cursor?: { last_timestamp?: string };
}

const DURATION = /^(\d+)h$/;

/** Go url.Values.Encode: keys sorted, values query-escaped. */
function formatQuery(q: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const k of Object.keys(q).sort()) if (q[k] !== undefined) p.set(k, q[k]!);
  return p.toString();
}

class ElasticTiCustom implements Consumer {
  readonly ledger = new Ledger();
  readonly wire = new Wire();
  /** CEL evaluation errors, one per failed evaluation (the state is kept, the input reports degraded). */
  readonly evaluationErrors: string[] = [];
  /** HTTP error events the program emitted. */
  readonly errorEvents: string[] = [];

  constructor(private state: CelState) {}

  private requestUrl(): string {
    const s = this.state;
    if (s.want_more) return s.next_url!;
    if (s.initial_interval) {
      const hours = Number(DURATION.exec(s.initial_interval)![1]);
      return `${s.url.replace(/\/+$/, '')}/?${formatQuery({
        added_after: s.cursor?.last_timestamp ?? goRfc3339(Date.now() - hours * 3600_000),
        limit: s.limit === undefined ? undefined : String(s.limit),
      })}`;
    }
    return s.url;
  }

  /** One CEL evaluation: one request, then the new state (or an evaluation error and the old state). */
  private async evaluate(): Promise<void> {
    const s = this.state;
    const r = await this.wire.get(this.requestUrl(), { Accept: s.accept_header, Authorization: s.authorization });
    if (r.status !== 200 && r.status !== 206) {
      this.errorEvents.push(`GET:${r.text || r.status}`);
      this.state = { ...s, want_more: false };
      return;
    }
    const body = JSON.parse(r.text) as Record<string, unknown>;
    if (!Array.isArray(body.objects)) {
      this.evaluationErrors.push(`failed eval: no such key: objects (body ${r.text.slice(0, 80)})`);
      return;
    }
    const problems = [...envelopeProblems(body), ...headerProblems(r)];
    if (problems.length) throw new ClientBroke(`elastic: ${r.url}: ${problems.join('; ')}`);
    // The ingest pipeline (restrict_stix) drops anything but spec_version 2.1 indicators.
    this.ledger.receive((body.objects as Array<Record<string, unknown>>).filter((o) => o.type === 'indicator' && o.spec_version === '2.1'));
    const next = typeof body.next === 'string' && body.next !== '' ? body.next : undefined;
    const last = r.headers.get('X-Taxii-Date-Added-Last');
    this.state = {
      ...s,
      want_more: next !== undefined,
      next_url: next === undefined ? s.url : `${s.url.replace(/\/+$/, '')}/?${formatQuery({ next, limit: s.limit === undefined ? undefined : String(s.limit) })}`,
      cursor: last === null ? {} : { last_timestamp: last },
    };
  }

  /** One interval: the input re-evaluates at once while want_more is set. */
  async poll(label: string, postsBefore: number): Promise<void> {
    this.ledger.begin(label, postsBefore, this.state.cursor?.last_timestamp);
    const bound = new LoopBound(`elastic ${label}`);
    do {
      bound.tick();
      await this.evaluate();
    } while (this.state.want_more);
  }
}

let s: ConsumerServer;
afterEach(() => s?.close());

describe('Elastic ti_custom with server.empty_envelope: explicit (what docs/compatibility.md tells Elastic operators to set)', () => {
  test('When Elastic polls with initial_interval and a Bearer API key while a curator posts between rounds, Then every version arrives exactly once, no evaluation fails and every loop ends', async () => {
    s = await startConsumerServer({ TAXII_EMPTY_ENVELOPE: 'explicit' });
    const elastic = new ElasticTiCustom({
      url: objectsUrl(s),
      initial_interval: '720h',
      limit: 100,
      accept_header: TAXII,
      authorization: `Bearer ${s.token}`,
      want_more: false,
    });
    const { curator, ledger } = await runScenario(s, elastic);

    expect(elastic.evaluationErrors).toEqual([]);
    expect(elastic.errorEvents).toEqual([]);
    expect(ledger.missing(curator)).toEqual([]);
    expect(ledger.unknown(curator)).toEqual([]);
    // Header echo with the final Last rounded up to the millisecond and an exclusive added_after: no re-delivery.
    expect(ledger.totalRedeliveries()).toBe(0);
    // Follow-up pages carry only next and limit; the first poll's added_after has no fraction (Go RFC3339).
    const urls = elastic.wire.requests.map((r) => new URL(r.url));
    expect(urls[0]!.searchParams.get('added_after')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    for (const u of urls.filter((x) => x.searchParams.has('next'))) expect([...u.searchParams.keys()].sort()).toEqual(['limit', 'next']);
    // Empty polls echo the cursor, so it never falls back to now - initial_interval.
    expect(ledger.polls.filter((p) => p.keys.length === 0).length).toBe(2);
    expect(elastic.wire.requests.every((r) => r.status === 200)).toBe(true);
  });

  test('When Elastic runs without initial_interval on a URL typed without the trailing slash, with Basic credentials, Then each poll re-reads the collection and re-deliveries are exactly one per poll per latest version', async () => {
    s = await startConsumerServer({ TAXII_EMPTY_ENVELOPE: 'explicit' });
    const elastic = new ElasticTiCustom({
      url: objectsUrl(s).replace(/\/$/, ''),
      accept_header: TAXII,
      authorization: ADMIN_AUTH,
      want_more: false,
    });
    const { curator, ledger } = await runScenario(s, elastic);

    expect(elastic.evaluationErrors).toEqual([]);
    expect(ledger.missing(curator)).toEqual([]);
    // No added_after at all: every poll returns every latest version (Elastic dedups by fingerprint).
    expect(ledger.counts()).toEqual(fullReadCounts(curator, ledger));
    expect(elastic.wire.requests[0]!.url).toBe(objectsUrl(s).replace(/\/$/, ''));
  });
});

describe('Elastic ti_custom with the default server.empty_envelope: minimal ({} per TAXII 2.1)', () => {
  test('When a poll finds nothing new, Then the server answers {} and Elastic\'s program fails its evaluation (body.objects), while polls with data still work', async () => {
    s = await startConsumerServer();
    expect(s.config.server.emptyEnvelope).toBe('minimal');
    const elastic = new ElasticTiCustom({
      url: objectsUrl(s),
      initial_interval: '720h',
      limit: 100,
      accept_header: TAXII,
      authorization: `Bearer ${s.token}`,
      want_more: false,
    });
    const { curator, ledger } = await runScenario(s, elastic);

    // Rounds 2 and 5 post nothing: both of those polls fail with a CEL evaluation error.
    expect(elastic.evaluationErrors).toHaveLength(2);
    expect(elastic.evaluationErrors[0]).toMatch(/no such key: objects \(body \{\}\)/);
    expect(ledger.polls.filter((p) => p.keys.length === 0).map((p) => p.label)).toEqual(['round 2', 'round 5']);
    // Nothing is lost, because a failed evaluation keeps the previous cursor; the cost is an error per empty poll.
    expect(ledger.missing(curator)).toEqual([]);
    expect(ledger.totalRedeliveries()).toBe(0);
  });
});
