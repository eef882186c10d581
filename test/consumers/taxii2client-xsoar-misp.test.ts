/**
 * taxii2-client `as_pages` as two products drive it.
 *
 * Cortex XSOAR "TAXII 2 Feed": discovery URL; root = discovery `default`; collection chosen by title;
 * `limit=100`; `match[type]=<default types>,relationship` comma-joined; every filter repeated with `next`;
 * stops at the first envelope with no objects. `added_after`: with `fetch_full_feed` (default) now - 1 year
 * on every fetch; otherwise the greatest `modified` of what it parsed, as `%Y-%m-%dT%H:%M:%S.%fZ`.
 * Timestamps are parsed with `strptime(%Y-%m-%dT%H:%M:%S.%fZ)` (fallback `%SZ`). Auth: Basic, or
 * `_api_token_key` → `Authorization: Token <key>`.
 *
 * MISP `taxii21` import module: a collection URL (GET of the collection first), Basic, `as_pages` with
 * `per_request=100`, `match[spec_version]=2.1` always, `added_after` typed by the operator (sent verbatim),
 * at most 1000 objects per import. One-shot: each round is an operator import from the time noted at the
 * previous one.
 */
import {
  ADMIN_AUTH,
  ClientBroke,
  COLLECTION,
  collectionUrl,
  expectedWindow,
  fullReadCounts,
  isoMs,
  Ledger,
  LoopBound,
  pyStrftimeF,
  runScenario,
  startConsumerServer,
  STRPTIME_F,
  usOf,
  type Consumer,
  type ConsumerServer,
} from './harness';
import { asPages, Collection, Server, Taxii2Connection, type Auth } from './taxii2client';

const XSOAR_TYPES = ['indicator', 'report', 'malware', 'campaign', 'attack-pattern', 'course-of-action', 'intrusion-set', 'tool', 'threat-actor', 'infrastructure', 'relationship'];

class XsoarTaxii2Feed implements Consumer {
  readonly ledger = new Ledger();
  readonly conn: Taxii2Connection;
  /** last_fetched_indicator__modified, per collection. */
  lastModified?: string;
  parseErrors = 0;

  constructor(
    private readonly discoveryUrl: string,
    auth: Auth,
    private readonly fullFeed: boolean,
  ) {
    this.conn = new Taxii2Connection(auth, 'xsoar');
  }

  async poll(label: string, postsBefore: number): Promise<void> {
    const oneYearAgo = pyStrftimeF(Date.now() - 365 * 86400_000);
    const addedAfter = this.fullFeed ? oneYearAgo : (this.lastModified ?? oneYearAgo);
    this.ledger.begin(label, postsBefore, addedAfter);
    const server = await new Server(this.discoveryUrl, this.conn).load();
    const root = server.apiRoots.find((r) => r.url === server.default) ?? server.apiRoots[0];
    if (!root) throw new ClientBroke('xsoar: no API root');
    const coll = (await root.loadCollections()).find((c) => c.title === COLLECTION.title);
    if (!coll) throw new ClientBroke(`xsoar: no collection titled ${COLLECTION.title}`);
    let newest = this.lastModified;
    for await (const envelope of asPages(coll, 100, { added_after: addedAfter, type: XSOAR_TYPES }, new LoopBound(`xsoar ${label}`))) {
      if (!envelope.objects?.length) break;
      for (const o of envelope.objects) {
        const m = String(o.modified);
        if (!STRPTIME_F.test(m) && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(m)) {
          this.parseErrors++;
          continue;
        }
        if (newest === undefined || usOf(m) > usOf(newest)) newest = m;
      }
      this.ledger.receive(envelope.objects);
    }
    if (newest !== undefined) this.lastModified = pyStrftimeF(Math.floor(usOf(newest) / 1000), usOf(newest) % 1000);
  }
}

class MispTaxii21Import implements Consumer {
  readonly ledger = new Ledger();
  readonly conn = new Taxii2Connection({ kind: 'basic', header: ADMIN_AUTH }, 'misp');
  private noted?: string;

  constructor(private readonly url: string) {}

  async poll(label: string, postsBefore: number): Promise<void> {
    const addedAfter = this.noted;
    this.noted = isoMs(Date.now());
    this.ledger.begin(label, postsBefore, addedAfter);
    const coll = await new Collection(this.url, this.conn).loadInfo();
    let taken = 0;
    const filters = { spec_version: '2.1', ...(addedAfter ? { added_after: addedAfter } : {}) };
    for await (const envelope of asPages(coll, 100, filters, new LoopBound(`misp ${label}`))) {
      const objs = envelope.objects ?? [];
      this.ledger.receive(objs.slice(0, 1000 - taken));
      taken += objs.length;
      if (taken >= 1000) break;
    }
  }
}

let s: ConsumerServer;
afterEach(async () => {
  jest.restoreAllMocks();
  await s?.close();
});

describe('Cortex XSOAR TAXII 2 Feed (taxii2-client as_pages)', () => {
  test.each<[string, (x: ConsumerServer) => Auth]>([
    ['Basic', () => ({ kind: 'basic', header: ADMIN_AUTH })],
    ['Token (_api_token_key)', (x) => ({ kind: 'token', token: x.token })],
  ])('When XSOAR (%s) fetches the full feed every interval, Then every version arrives, every response passes taxii2-client\'s checks, and each fetch re-delivers exactly the versions that are latest', async (_name, auth) => {
    s = await startConsumerServer();
    const xsoar = new XsoarTaxii2Feed(`${s.url}/taxii2/`, auth(s), true);
    const { curator, ledger } = await runScenario(s, xsoar);

    expect(xsoar.parseErrors).toBe(0);
    expect(ledger.missing(curator)).toEqual([]);
    expect(ledger.unknown(curator)).toEqual([]);
    expect(ledger.counts()).toEqual(fullReadCounts(curator, ledger));
    const first = new URL(xsoar.conn.wire.requests.find((r) => r.url.includes('/objects/'))!.url);
    expect(first.searchParams.get('match[type]')).toBe(XSOAR_TYPES.join(','));
    expect(first.searchParams.get('limit')).toBe('100');
    expect(xsoar.conn.wire.requests.every((r) => r.status === 200)).toBe(true);
  });

  test.each<[string, number]>([
    ['', 0],
    [' after the system clock was stepped back 3 s while the server ran (NTP, a resumed virtual machine)', -3000],
    [' after the system clock was stepped forward 3 s while the server ran', 3000],
  ])('When XSOAR fetches incrementally from the greatest modified it parsed%s, Then nothing is lost and each fetch re-delivers exactly the versions added after that modified (the newest POST batch)', async (_when, stepMs) => {
    s = await startConsumerServer();
    // The server's date_added and the curator's modified both follow the system clock, stepped or not.
    if (stepMs) {
      const wall = Date.now.bind(Date);
      jest.spyOn(Date, 'now').mockImplementation(() => wall() + stepMs);
    }
    const xsoar = new XsoarTaxii2Feed(`${s.url}/taxii2/`, { kind: 'basic', header: ADMIN_AUTH }, false);
    const { curator, ledger } = await runScenario(s, xsoar);

    expect(ledger.missing(curator)).toEqual([]);
    const dateAdded = await curator.dateAdded();
    for (const p of ledger.polls.slice(1)) {
      expect([...p.keys].sort()).toEqual(expectedWindow(curator, dateAdded, p.postsBefore, usOf(p.addedAfter!)));
    }
    // The curator stamps each POST's objects with one modified taken just before it, so date_added of the
    // whole batch is after it: every later fetch re-delivers the newest batch it holds, and nothing older.
    let redelivered = 0;
    for (const [i, p] of ledger.polls.entries()) {
      if (i === 0) continue;
      const earlier = new Set(ledger.polls.slice(0, i).flatMap((q) => q.keys));
      const newestHeld = Math.max(...[...earlier].map((k) => curator.posted.get(k)!.post));
      const latest = curator.latestAfter(p.postsBefore);
      expect(p.keys.filter((k) => earlier.has(k)).sort()).toEqual(curator.batches[newestHeld]!.filter((k) => latest.has(k)).sort());
      redelivered += p.keys.filter((k) => earlier.has(k)).length;
    }
    expect(ledger.totalRedeliveries()).toBe(redelivered);
  });
});

describe('MISP taxii21 import module (taxii2-client Collection + as_pages)', () => {
  test('When an operator imports a collection URL, then re-imports from the time noted at the previous import, Then every version arrives and only versions added after the noted time come again', async () => {
    s = await startConsumerServer();
    const misp = new MispTaxii21Import(collectionUrl(s));
    const { curator, ledger } = await runScenario(s, misp);

    expect(ledger.missing(curator)).toEqual([]);
    const dateAdded = await curator.dateAdded();
    for (const p of ledger.polls.slice(1)) {
      expect([...p.keys].sort()).toEqual(expectedWindow(curator, dateAdded, p.postsBefore, usOf(p.addedAfter!)));
    }
    // The curator never posts during an import, so only a clock difference between the operator and the
    // server could bring anything twice, and then only the last POST before the previous import.
    for (const [i, p] of ledger.polls.entries()) {
      const earlier = new Set(ledger.polls.slice(0, i).flatMap((q) => q.keys));
      for (const k of p.keys.filter((x) => earlier.has(x))) expect(curator.posted.get(k)!.post).toBe(ledger.polls[i - 1]!.postsBefore - 1);
    }
    const objectsRequests = misp.conn.wire.requests.filter((r) => r.url.includes('/objects/'));
    for (const r of objectsRequests) expect(new URL(r.url).searchParams.get('match[spec_version]')).toBe('2.1');
    expect(misp.conn.wire.requests[0]!.url).toBe(collectionUrl(s));
  });
});
