/**
 * OpenCTI `taxii2` external-import connector (through taxii2-client). Configured with the discovery URL
 * and `collections: "<root segment>.<collection title>"` (here `api1.*`: every collection of the root).
 * Per run (PT60M): discovery, root info, collections, then `get_objects(**self.filters)` per collection.
 * `self.filters` is an instance dict that is never reset: `added_after` is set at the start of every run
 * (first run: naive now - initial_history; later: the previous run's start, whole seconds, `.%fZ`), and
 * while `more == True` it pops `added_after` and stores `next`; so a `next` from an earlier run, or from
 * another collection, is sent again next to a fresh `added_after`. `more:true` without `next` spins.
 * A page whose first object lacks `spec_version` switches it to its TAXII 2.0 manifest loop.
 */
import {
  ADMIN_AUTH,
  IDS,
  ClientBroke,
  COLLECTION,
  Curator,
  expectedWindow,
  Ledger,
  LoopBound,
  pyStrftimeF,
  ROOT,
  runScenario,

  startConsumerServer,
  taxii2clientFormat,
  usOf,
  type Consumer,
} from './harness';
import { Server, Taxii2Connection, type Auth, type Collection, type FilterValue } from './taxii2client';
import type { ConsumerServer } from './harness';

class OpenCtiTaxii2Connector implements Consumer {
  readonly ledger = new Ledger();
  readonly conn: Taxii2Connection;
  readonly filters: Record<string, FilterValue> = {};
  lastRun?: number;
  /** Errors the connector logged (it logs HTTP errors per root and carries on). */
  readonly loggedErrors: string[] = [];
  /** Per run: the added_after it sent and the collection that held the data. */
  readonly runs: Array<{ label: string; addedAfter: string; postsBefore: number; keys: string[] }> = [];

  constructor(
    private readonly discoveryUrl: string,
    auth: Auth,
    private readonly collections: string[],
    private readonly initialHistoryHours = 24,
  ) {
    this.conn = new Taxii2Connection(auth, 'opencti-taxii2-connector');
  }

  async poll(label: string, postsBefore: number): Promise<void> {
    const now = Date.now();
    const currentTimestamp = Math.floor(now / 1000);
    // The first run formats a naive local datetime; this container's local time is taken as UTC.
    this.filters.added_after = this.lastRun === undefined ? taxii2clientFormat(now - this.initialHistoryHours * 3600_000, 123) : pyStrftimeF(this.lastRun * 1000);
    this.ledger.begin(label, postsBefore, String(this.filters.added_after));
    const server = await new Server(this.discoveryUrl, this.conn).load();
    for (const entry of this.collections) {
      const [rootPath, collTitle] = entry.split('.');
      try {
        const root = server.apiRoots.find((r) => r.url.split('/').at(-2) === rootPath);
        if (!root) throw new ClientBroke(`Api Root ${rootPath} does not exist in the TAXII server`);
        await root.loadInfo();
        const colls = await root.loadCollections();
        for (const coll of colls.filter((c) => collTitle === '*' || c.title === collTitle)) await this.pollCollection(coll, label);
      } catch (e) {
        if (!(e instanceof ClientBroke) || /paging loop/.test(e.message)) throw e;
        this.loggedErrors.push(`${label}: ${e.message}`);
      }
    }
    this.lastRun = currentTimestamp;
    // Runs are an hour apart in production; here the next run only has to start in a later second, so
    // that each run's added_after (the previous start, whole seconds) differs from the one before.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
  }

  private async pollCollection(coll: Collection, label: string): Promise<void> {
    const bound = new LoopBound(`opencti-connector ${label} ${coll.title}`);
    bound.tick();
    let { envelope } = await coll.getObjects(this.filters);
    if (!envelope.objects?.length) return;
    if (envelope.objects[0]!.spec_version === undefined) throw new Error('opencti-connector: first object has no spec_version; it would page as TAXII 2.0');
    for (;;) {
      this.ledger.receive(envelope.objects);
      if (envelope.more !== true) break;
      bound.tick();
      // more:true without next: the real loop re-processes the same response forever; the bound catches it.
      if (envelope.next !== undefined) {
        delete this.filters.added_after;
        this.filters.next = envelope.next;
        ({ envelope } = await coll.getObjects(this.filters));
      }
    }
  }
}

let s: ConsumerServer;
afterEach(() => s?.close());

async function scenario(auth: (s: ConsumerServer) => Auth, collections: string[]): Promise<{ connector: OpenCtiTaxii2Connector; curator: Curator; ledger: Ledger }> {
  s = await startConsumerServer();
  const connector = new OpenCtiTaxii2Connector(`${s.url}/taxii2/`, auth(s), collections);
  const { curator, ledger } = await runScenario(s, connector);
  return { connector, curator, ledger };
}

describe('OpenCTI taxii2 connector', () => {
  test.each<[string, (s: ConsumerServer) => Auth]>([
    ['Basic', () => ({ kind: 'basic', header: ADMIN_AUTH })],
    ['Token', (x) => ({ kind: 'token', token: x.token })],
  ])(
    'When the connector (%s) polls one collection by title hourly, keeping a stale next across runs, Then every version arrives, no run fails, and re-deliveries are exactly those its whole-second last_run asks for',
    async (_name, auth) => {
      const { connector, curator, ledger } = await scenario(auth, [`${ROOT}.${COLLECTION.title}`]);

      expect(connector.loggedErrors).toEqual([]);
      expect(ledger.missing(curator)).toEqual([]);
      expect(ledger.unknown(curator)).toEqual([]);
      // The stale next really was sent again next to a fresh added_after.
      const stale = connector.conn.wire.requests.filter((r) => /\/objects\/\?/.test(r.url) && new URL(r.url).searchParams.has('next') && new URL(r.url).searchParams.has('added_after'));
      expect(stale.length).toBeGreaterThan(0);

      // Own clock: run k+1 asks for everything added after run k's start, truncated to the second. So the
      // server must return exactly that window (its latest versions); re-deliveries are the part of the
      // window the connector already had, i.e. versions added in the second before the previous run began.
      const dateAdded = await curator.dateAdded();
      for (const p of ledger.polls.slice(1)) {
        expect([...p.keys].sort()).toEqual(expectedWindow(curator, dateAdded, p.postsBefore, usOf(p.addedAfter!)));
      }
      // Every re-delivery is one of those: a version it already held, inside the window it asked for.
      for (const [i, p] of ledger.polls.entries()) {
        const earlier = new Set(ledger.polls.slice(0, i).flatMap((q) => q.keys));
        for (const k of p.keys.filter((x) => earlier.has(x))) expect(dateAdded.get(k)!).toBeGreaterThan(usOf(p.addedAfter!));
      }
    },
  );

  test('When the connector polls every collection of the root (api1.*) and one collection pages, Then the collection polled after it (sent the other collection\'s next without added_after) is answered from its own start, no run fails and nothing is lost', async () => {
    const { connector, curator, ledger } = await scenario(() => ({ kind: 'basic', header: ADMIN_AUTH }), [`${ROOT}.*`]);

    expect(ledger.missing(curator)).toEqual([]);
    const paged = ledger.polls.filter((p) => p.keys.length > 100).map((p) => p.label);
    expect(paged.length).toBeGreaterThan(0);
    expect(connector.loggedErrors).toEqual([]);
    // The foreign next really was sent, alone, to the inbox.
    const foreign = connector.conn.wire.requests.filter((r) => r.url.includes(`/collections/${IDS.writable}/objects/?`) && new URL(r.url).searchParams.has('next') && !new URL(r.url).searchParams.has('added_after'));
    expect(foreign.length).toBeGreaterThan(0);
  });
});
