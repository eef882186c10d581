/**
 * MineMeld `taxii2` miner (EOL, still deployed). Discovery URL + API root name + collection (used only if
 * a UUID v3/v4, else `collections[0]`). Probes discovery with `Accept: application/vnd.oasis.taxii+json;
 * version=2.0` and moves to 2.1 (`application/taxii+json; version=2.1`, with the space) only on 406. Poll:
 * `limit=100`, `added_after=<last X-TAXII-Date-Added-Last>` (first: now - 1 day, `%fZ`). After each page:
 * `next` in the body → send it (keeping `added_after`); elif the header → `added_after = header`, drop
 * `next`; else raise. Loops while `more is True`. Keeps indicator/attack-pattern/relationship, sorted by
 * `strptime(modified, "%Y-%m-%dT%H:%M:%S.%fZ")`. Auth: Basic or `Token <api_key>`.
 */
import {
  ADMIN_AUTH,
  ClientBroke,
  COLLECTION,
  Ledger,
  LoopBound,
  parseEnvelope,
  pyStrftimeF,
  ROOT,
  runScenario,
  startConsumerServer,
  STRPTIME_F,
  Wire,
  type Consumer,
  type ConsumerServer,
} from './harness';

const V20 = 'application/vnd.oasis.taxii+json; version=2.0';
const V21 = 'application/taxii+json; version=2.1';
const UUID_V34 = /^[0-9a-f]{8}-[0-9a-f]{4}-[34][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

class MineMeldTaxii2Miner implements Consumer {
  readonly ledger = new Ledger();
  readonly wire = new Wire();
  version?: '2.0' | '2.1';
  lastTaxiiDate?: string;

  constructor(
    private readonly discoveryUrl: string,
    private readonly apiRoot: string,
    private readonly collection: string,
    private readonly authorization: string,
  ) {}

  private async json(url: string, accept: string): Promise<Record<string, unknown>> {
    const r = await this.wire.get(url, { Accept: accept, Authorization: this.authorization });
    if (r.status !== 200) throw new ClientBroke(`minemeld: ${r.status} for ${url}`);
    return JSON.parse(r.text) as Record<string, unknown>;
  }

  async poll(label: string, postsBefore: number): Promise<void> {
    if (!this.version) {
      const probe = await this.wire.get(this.discoveryUrl, { Accept: V20, Authorization: this.authorization });
      // A 200 here would drive the server with TAXII 2.0 Range paging.
      this.version = probe.status === 406 ? '2.1' : '2.0';
      if (this.version === '2.0') throw new ClientBroke(`minemeld: the 2.0 probe got ${probe.status}, not 406; it would speak TAXII 2.0`);
    }
    const discovery = await this.json(this.discoveryUrl, V21);
    const root = (discovery.api_roots as string[]).find((u) => u.slice(0, -1).endsWith(this.apiRoot));
    if (!root) throw new ClientBroke('minemeld: API root not found');
    const colls = ((await this.json(`${root}collections/`, V21)).collections as Array<{ id: string }>) ?? [];
    const id = UUID_V34.test(this.collection) ? this.collection : colls[0]!.id;

    const params: Record<string, string> = { limit: '100', added_after: this.lastTaxiiDate ?? pyStrftimeF(Date.now() - 86400_000) };
    this.ledger.begin(label, postsBefore, params.added_after);
    const bound = new LoopBound(`minemeld ${label}`);
    for (;;) {
      bound.tick();
      const r = await this.wire.get(`${root}collections/${id}/objects/?${new URLSearchParams(params)}`, { Accept: V21, Authorization: this.authorization });
      const body = parseEnvelope('minemeld', r);
      const kept = (body.objects ?? []).filter((o) => ['indicator', 'attack-pattern', 'relationship'].includes(String(o.type)));
      for (const o of kept) if (!STRPTIME_F.test(String(o.modified))) throw new ClientBroke(`minemeld: ValueError: time data '${String(o.modified)}' does not match format '%Y-%m-%dT%H:%M:%S.%fZ'`);
      this.ledger.receive(kept);
      const last = r.headers.get('X-TAXII-Date-Added-Last');
      if (body.next !== undefined) params.next = body.next;
      else if (last !== null) {
        params.added_after = last;
        delete params.next;
      } else throw new ClientBroke('minemeld: Server does not appear to use X-TAXII-Date-Added-Last header or next');
      if (body.more !== true) break;
    }
    this.lastTaxiiDate = params.added_after;
  }
}

let s: ConsumerServer;
afterEach(() => s?.close());

describe('MineMeld taxii2 miner', () => {
  test.each<[string, (x: ConsumerServer) => string]>([
    ['Basic', () => ADMIN_AUTH],
    ['Token (api_key)', (x) => `Token ${x.token}`],
  ])('When MineMeld (%s) probes 2.0, gets 406, then polls with the echoed Last header while a curator posts, Then every version arrives exactly once and every modified parses with %%f', async (_name, auth) => {
    s = await startConsumerServer();
    const miner = new MineMeldTaxii2Miner(`${s.url}/taxii2/`, ROOT, COLLECTION.id, auth(s));
    const { curator, ledger } = await runScenario(s, miner);

    expect(miner.version).toBe('2.1');
    expect(miner.wire.requests[0]!.status).toBe(406);
    expect(ledger.missing(curator)).toEqual([]);
    expect(ledger.unknown(curator)).toEqual([]);
    // next-first while paging, then the final (rounded-up) Last header: no re-delivery.
    expect(ledger.totalRedeliveries()).toBe(0);
    // Paged requests carried next together with the unchanged added_after.
    const paged = miner.wire.requests.map((r) => new URL(r.url)).filter((u) => u.searchParams.has('next'));
    expect(paged.length).toBeGreaterThan(0);
    for (const u of paged) expect(u.searchParams.has('added_after')).toBe(true);
  });
});
