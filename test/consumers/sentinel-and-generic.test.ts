/**
 * Consumers known only from documentation, driven with the strictest reading of it.
 *
 * Microsoft Sentinel "Threat Intelligence – TAXII": API root URL + collection id (which must be a UUIDv4),
 * Basic credentials (an API key goes in the password), lookback "at most one day old" on the first poll,
 * polling once a minute. Its paging is undocumented, so both ways a spec client may page are run: following
 * `more`/`next` with the filters repeated, and advancing `added_after` to `X-TAXII-Date-Added-Last` on every
 * page without using `next`. It must also pass its "Add" check: the collection with and without `/`.
 *
 * EclecticIQ "TAXII 2.1 poll": API root + collection id, Basic, "Added after" default 1970-01-01, 100
 * objects per run, advancing from the last download: one page per run, advancing by the Last header.
 * Sumo Logic "STIX/TAXII 2 Client": discovery URL, every collection, Basic with the API key as the password
 * and no username; follows `more`/`next`, then advances by the final Last header.
 */
import {
  ADMIN_AUTH,
  basic,
  ClientBroke,
  COLLECTION,
  Ledger,
  LoopBound,
  parseEnvelope,
  rootUrl,
  runScenario,
  startConsumerServer,
  TAXII,
  Wire,
  type Consumer,
  type ConsumerServer,
  type Envelope,
} from './harness';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Paging = 'next' | 'header';

/** A spec client on one collection: added_after from its own lookback first, then the Last header. */
class AdvancingPoller implements Consumer {
  readonly ledger = new Ledger();
  readonly wire = new Wire();
  addedAfter?: string;

  constructor(
    private readonly who: string,
    private readonly objects: string,
    private readonly authorization: string,
    private readonly opts: { paging: Paging; firstAddedAfter: () => string; limit?: number; onePagePerRun?: boolean },
  ) {}

  private async page(params: Record<string, string>): Promise<{ body: Envelope; last: string | null }> {
    const r = await this.wire.get(`${this.objects}?${new URLSearchParams(params)}`, { Accept: TAXII, Authorization: this.authorization });
    return { body: parseEnvelope(this.who, r), last: r.headers.get('X-TAXII-Date-Added-Last') };
  }

  async poll(label: string, postsBefore: number): Promise<void> {
    const base: Record<string, string> = { added_after: this.addedAfter ?? this.opts.firstAddedAfter() };
    if (this.opts.limit) base.limit = String(this.opts.limit);
    this.ledger.begin(label, postsBefore, base.added_after);
    const bound = new LoopBound(`${this.who} ${label}`);
    let params = { ...base };
    for (;;) {
      bound.tick();
      const { body, last } = await this.page(params);
      this.ledger.receive(body.objects);
      if (this.opts.paging === 'header' || body.more !== true) {
        // Advancing by the header; an empty page echoes the request's added_after, so the cursor holds.
        if (last === null) throw new ClientBroke(`${this.who}: no X-TAXII-Date-Added-Last to advance from`);
        this.addedAfter = last;
        params = { ...base, added_after: last };
      } else params = { ...base, next: body.next! };
      if (body.more !== true || this.opts.onePagePerRun) return;
    }
  }
}

let s: ConsumerServer;
afterEach(() => s?.close());

describe('Microsoft Sentinel TAXII connector (documented behaviour)', () => {
  test('When Sentinel adds the connector with the API root URL and collection id, Then the id is a UUIDv4 and its connection check answers with and without the trailing slash', async () => {
    s = await startConsumerServer();
    const wire = new Wire();
    const roots = JSON.parse((await wire.get(`${s.url}/taxii2/`, { Accept: TAXII, Authorization: ADMIN_AUTH })).text).api_roots as string[];
    expect(roots).toContain(rootUrl(s));
    const collections = JSON.parse((await wire.get(`${rootUrl(s)}collections/`, { Accept: TAXII, Authorization: ADMIN_AUTH })).text).collections as Array<{ id: string }>;
    for (const c of collections) expect(c.id).toMatch(UUID_V4);
    for (const url of [`${rootUrl(s)}collections/${COLLECTION.id}/`, `${rootUrl(s)}collections/${COLLECTION.id}`]) {
      const r = await wire.get(url, { Accept: TAXII, Authorization: basic('', s.token) });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe(TAXII);
      expect(JSON.parse(r.text)).toMatchObject({ id: COLLECTION.id, can_read: true });
    }
  });

  test.each<[Paging, string, (x: ConsumerServer) => string]>([
    ['next', 'the admin user', () => ADMIN_AUTH],
    ['header', 'an API key as the Basic password', (x) => basic('', x.token)],
  ])('When Sentinel pages by %s with %s, looking back one day on the first poll, Then every version arrives exactly once', async (paging, _who, auth) => {
    s = await startConsumerServer();
    const sentinel = new AdvancingPoller('sentinel', `${rootUrl(s)}collections/${COLLECTION.id}/objects/`, auth(s), {
      paging,
      firstAddedAfter: () => new Date(Date.now() - 86400_000).toISOString(),
    });
    const { curator, ledger } = await runScenario(s, sentinel);

    expect(ledger.missing(curator)).toEqual([]);
    expect(ledger.unknown(curator)).toEqual([]);
    expect(ledger.totalRedeliveries()).toBe(0);
    expect(sentinel.wire.requests.every((r) => r.status === 200)).toBe(true);
  });
});

describe('Generic advancing pollers', () => {
  test('When EclecticIQ takes one page of 100 per run from 1970-01-01 and advances by the Last header, Then it catches up and every version arrives exactly once', async () => {
    s = await startConsumerServer();
    const eiq = new AdvancingPoller('eclecticiq', `${rootUrl(s)}collections/${COLLECTION.id}/objects/`, ADMIN_AUTH, {
      paging: 'header',
      firstAddedAfter: () => '1970-01-01T00:00:00Z',
      limit: 100,
      onePagePerRun: true,
    });
    const { curator, ledger } = await runScenario(s, eiq, { onePagePerTick: true });

    expect(ledger.missing(curator)).toEqual([]);
    expect(ledger.totalRedeliveries()).toBe(0);
  });

  test('When Sumo Logic discovers every collection with the API key as password and no username, follows next and advances by the final Last header, Then every version arrives exactly once', async () => {
    s = await startConsumerServer();
    const auth = basic('', s.token);
    const wire = new Wire();
    const discovery = JSON.parse((await wire.get(`${s.url}/taxii2/`, { Accept: TAXII, Authorization: auth })).text) as { api_roots: string[] };
    const pollers: AdvancingPoller[] = [];
    for (const root of discovery.api_roots) {
      const body = JSON.parse((await wire.get(`${root}collections/`, { Accept: TAXII, Authorization: auth })).text) as { collections?: Array<{ id: string; can_read: boolean }> };
      for (const c of (body.collections ?? []).filter((x) => x.can_read)) {
        pollers.push(new AdvancingPoller('sumo', `${root}collections/${c.id}/objects/`, auth, { paging: 'next', firstAddedAfter: () => '1970-01-01T00:00:00.000Z' }));
      }
    }
    expect(pollers.length).toBeGreaterThanOrEqual(3);
    const ledger = new Ledger();
    const sumo: Consumer = {
      ledger,
      async poll(label, postsBefore) {
        ledger.begin(label, postsBefore);
        for (const p of pollers) {
          await p.poll(label, postsBefore);
          ledger.receive(p.ledger.polls.at(-1)!.keys.map((k) => ({ id: k.split('|')[0], modified: k.split('|')[1] })));
        }
      },
    };
    const { curator } = await runScenario(s, sumo);

    expect(ledger.missing(curator)).toEqual([]);
    expect(ledger.unknown(curator)).toEqual([]);
    expect(ledger.totalRedeliveries()).toBe(0);
  });
});
