/**
 * OpenCTI platform built-in TAXII ingester ("Ingestion > TAXII feeds"). Configured with the API root URL
 * and the collection id; one GET of `{uri}/collections/{id}/objects/` per manager tick, with `Accept:
 * application/taxii+json;version=2.1`, `next` (stored) and `added_after` (stored) sent together, no
 * `limit` by default. After a page with objects: `more === true && next` → keep `next` and `added_after`;
 * otherwise clear `next` and set `added_after = new Date(X-TAXII-Date-Added-Last).toISOString()`
 * (truncated to the millisecond), or its own clock when the header is missing. A page without objects
 * changes nothing. Auth: Basic (`user:password`) or Bearer.
 */
import { ADMIN_AUTH, ClientBroke, COLLECTION, Ledger, parseEnvelope, rootUrl, runScenario, startConsumerServer, Wire, type Consumer } from './harness';
import type { ConsumerServer } from './harness';

class OpenCtiPlatformIngester implements Consumer {
  readonly ledger = new Ledger();
  readonly wire = new Wire();
  next?: string;
  addedAfterStart?: string;
  /** Times the ingester fell back to its own clock because the header was missing. */
  clockFallbacks = 0;

  constructor(
    private readonly uri: string,
    private readonly collection: string,
    private readonly authorization: string,
    private readonly limitPerRequest = 0,
  ) {}

  async poll(label: string, postsBefore: number): Promise<void> {
    this.ledger.begin(label, postsBefore, this.addedAfterStart);
    const params = new URLSearchParams();
    if (this.next) params.set('next', this.next);
    if (this.addedAfterStart) params.set('added_after', this.addedAfterStart);
    if (this.limitPerRequest > 0) params.set('limit', String(this.limitPerRequest));
    const qs = params.toString();
    const r = await this.wire.get(`${this.uri}/collections/${this.collection}/objects/${qs ? `?${qs}` : ''}`, {
      Accept: 'application/taxii+json;version=2.1',
      Authorization: this.authorization,
    });
    const body = parseEnvelope('opencti-platform', r);
    const objects = body.objects ?? [];
    if (objects.length === 0) return;
    this.ledger.receive(objects);
    if (body.more === true && body.next) {
      this.next = body.next;
      return;
    }
    this.next = undefined;
    const last = r.headers.get('X-TAXII-Date-Added-Last');
    if (last === null) {
      this.clockFallbacks++;
      this.addedAfterStart = new Date().toISOString();
      return;
    }
    const d = new Date(last);
    if (Number.isNaN(d.getTime())) throw new ClientBroke(`opencti-platform: RangeError: Invalid time value (X-TAXII-Date-Added-Last "${last}")`);
    this.addedAfterStart = d.toISOString();
  }
}

let s: ConsumerServer;
afterEach(() => s?.close());

describe('OpenCTI platform TAXII ingester', () => {
  test.each([
    ['Basic', () => ADMIN_AUTH],
    ['Bearer', () => `Bearer ${s.token}`],
  ])(
    'When the ingester (%s) takes one page per tick, sends next with added_after and truncates the Last header to ms while a curator posts between ticks, Then every version arrives exactly once',
    async (_name, auth) => {
      s = await startConsumerServer();
      const ingester = new OpenCtiPlatformIngester(rootUrl(s).replace(/\/$/, ''), COLLECTION.id, auth());
      const { curator, ledger } = await runScenario(s, ingester, { onePagePerTick: true });

      expect(ledger.missing(curator)).toEqual([]);
      expect(ledger.unknown(curator)).toEqual([]);
      // The final page's Last is rounded up to the millisecond, so the ms-truncated echo still excludes it.
      expect(ledger.totalRedeliveries()).toBe(0);
      expect(ingester.clockFallbacks).toBe(0);
      // Round 3 (125 versions) is more than one page: the ingester carried a next across the curator's round-4 post.
      const round4 = ingester.wire.requests.findIndex((_, i) => ledger.polls[i]?.label === 'round 4');
      expect(new URL(ingester.wire.requests[round4]!.url).searchParams.has('next')).toBe(true);
      expect(new URL(ingester.wire.requests[round4]!.url).searchParams.has('added_after')).toBe(true);
      // Every added_after it sent is a ms ISO string (toISOString), and the server took each one.
      for (const r of ingester.wire.requests) {
        const aa = new URL(r.url).searchParams.get('added_after');
        if (aa !== null) expect(aa).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(r.status).toBe(200);
      }
    },
  );
});
