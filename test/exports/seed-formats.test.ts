/** Each export format against the seed feed, as the default start serves it to an anonymous caller. */
import { importSeed } from '../../src/server';
import { ADMIN_AUTH, startTestServer, type TestServer } from '../helpers/server';
import { defaultConfigDoc, expectedCsv, expectedList, LIST_KINDS, live, newestVersions, observableValues, parseCsv, patternValues, seedObjects, type Obj } from './seed-expectations';

const IND = 'dprk-crypto-indicators';
const CTX = 'dprk-crypto-context';
const base = (alias: string) => `/feed/collections/${alias}/exports`;

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ doc: defaultConfigDoc() });
  const loaded = await importSeed(s.rt);
  expect(loaded.failed).toBe(0);
});
afterAll(() => s.close());

const lines = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

describe('block lists', () => {
  test.each(Object.keys(LIST_KINDS))('When the %s list of each seed collection is read, Then it holds exactly the values of its single-equality indicators and observables, in order', async (list) => {
    for (const alias of [IND, CTX]) {
      const res = await s.request().get(`${base(alias)}/lists/${list}`).expect(200);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(lines(res.text)).toEqual(expectedList(seedObjects(alias), list));
      expect(res.text.startsWith('#')).toBe(false);
    }
  });

  test('When the known subset is read, Then the KSU miner host, address, hashes and wallets are on their lists', async () => {
    const get = async (list: string) => lines((await s.request().get(`${base(IND)}/lists/${list}`)).text);
    expect(await get('domain')).toEqual(expect.arrayContaining(['barjuok.ryongnamsan.edu.kp', 'celasllc.com']));
    expect(await get('ip')).toEqual(expect.arrayContaining(['175.45.178.19']));
    expect(await get('sha256')).toEqual(expect.arrayContaining(['0024e32c0199ded445c0b968601f21cc92fc0c534d2642f2dd64c1c978ff01f3']));
    expect(await get('wallet')).toEqual(expect.arrayContaining(['0x098B716B8Aaf21512996dC57EB0615e2383E2f96']));
    // A file name or a directory path is no block-list value.
    const all = (await Promise.all(Object.keys(LIST_KINDS).map(get))).flat();
    expect(all).not.toContain('intelservice.exe');
    expect(all.some((v) => v.includes('\\'))).toBe(false);
  });

  test('When the context collection is read, Then its CIDR observable is on the ip list', async () => {
    const ctx = seedObjects(CTX).filter((o) => o.type === 'ipv4-addr' && String(o.value).includes('/'));
    const ip = lines((await s.request().get(`${base(CTX)}/lists/ip`)).text);
    for (const o of ctx) expect(ip).toContain(o.value);
  });

  test('When match[type]=indicator is given, Then observables are left out', async () => {
    const res = await s.request().get(`${base(IND)}/lists/domain?match[type]=indicator`).expect(200);
    expect(lines(res.text)).toEqual(expectedList(seedObjects(IND), 'domain', { indicatorsOnly: true }));
    expect(lines((await s.request().get(`${base(CTX)}/lists/domain?match[type]=indicator`)).text)).toEqual([]);
  });

  test('When min_confidence is given, Then only indicators rated at least that remain', async () => {
    const objs = newestVersions(seedObjects(IND)).filter((o) => o.type === 'indicator' && live(o) && (o.confidence ?? -1) >= 60);
    const expected = [...new Set(objs.flatMap((o) => patternValues(o.pattern)).filter((v) => v.kind === 'sha256').map((v) => v.value))];
    const res = await s.request().get(`${base(IND)}/lists/sha256?min_confidence=60`).expect(200);
    expect(lines(res.text)).toEqual(expected);
  });

  test('When a valid_from window is given, Then only indicators valid from inside it remain', async () => {
    const [start, end] = ['2018-01-01T00:00:00Z', '2019-01-01T00:00:00Z'];
    const objs = newestVersions(seedObjects(IND)).filter((o) => o.type === 'indicator' && live(o) && Date.parse(o.valid_from) >= Date.parse(start) && Date.parse(o.valid_from) < Date.parse(end));
    const expected = [...new Set(objs.flatMap((o) => patternValues(o.pattern)).map((v) => v.value))];
    const got = (await Promise.all(Object.keys(LIST_KINDS).filter((l) => l !== 'ip').map(async (l) => lines((await s.request().get(`${base(IND)}/lists/${l}?valid_from_start=${start}&valid_from_end=${end}`)).text)))).flat();
    expect(got.sort()).toEqual(expected.sort());
  });

  test('When header=true is given, Then one # line with the generation time comes first and the values follow', async () => {
    const res = await s.request().get(`${base(IND)}/lists/domain?header=true`).expect(200);
    const [first, ...rest] = lines(res.text);
    expect(first).toMatch(/^# domain list of "DPRK crypto indicators", generated \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(rest).toEqual(expectedList(seedObjects(IND), 'domain'));
  });

  test('When the list name, a filter or a parameter is wrong, Then a 404 or 400 error resource says what to fix', async () => {
    const bad = async (path: string, status: number, what: RegExp) => {
      const res = await s.request().get(`${base(IND)}${path}`).expect(status);
      expect(JSON.parse(res.text).description).toMatch(what);
    };
    await bad('/lists/emails', 404, /the lists are ip, ipv4/);
    await bad('/lists/ip?min_confidence=101', 400, /min_confidence/);
    await bad('/lists/ip?valid_from_start=yesterday', 400, /RFC 3339/);
    await bad('/lists/ip?limit=5', 400, /limit is not a filter of this export/);
    await bad('/lists/ip?match[type]=Bad_Type', 400, /match\[type\]/);
    await bad('/lists/ip?header=yes', 400, /header must be true or false/);
    await bad('/nothing-here', 404, /no export/);
    await s.request().post(`${base(IND)}/lists/ip`).expect(405);
    // As on the TAXII tree: an anonymous caller gets a 401 for a collection it cannot see, others a 404.
    await s.request().get(`/feed/collections/no-such-collection/exports/lists/ip`).expect(401);
    await s.request().get(`/feed/collections/no-such-collection/exports/lists/ip`).set('Authorization', ADMIN_AUTH).expect(404);
  });

  test('When a firewall sends Accept: */* or no Accept at all, Then the list is served (no TAXII negotiation)', async () => {
    await s.request().get(`${base(IND)}/lists/ip`).set('Accept', 'text/plain').expect(200);
    await s.request().get(`${base(IND)}/lists/ip`).set('Accept', '*/*').expect(200);
  });
});

describe('CSV', () => {
  test('When the CSV is read, Then an RFC 4180 parser gives the header and one record per indicator value, exactly', async () => {
    const res = await s.request().get(`${base(IND)}/csv`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="dprk-crypto-indicators-indicators.csv"/);
    const records = parseCsv(res.text);
    expect(records[0]).toEqual(['value', 'type', 'indicator_id', 'indicator_name', 'confidence', 'valid_from', 'valid_until', 'tlp', 'campaigns', 'malware', 'source_url']);
    expect(records.slice(1)).toEqual(expectedCsv(seedObjects(IND)));
    // The known subset: the KSU mining host with its campaign and malware.
    expect(records).toContainEqual(expect.arrayContaining(['barjuok.ryongnamsan.edu.kp', 'domain', 'indicator--9579cd45-f6bf-40eb-b82a-ef42c8518b86', 'KSU-linked Monero miner installer (Dec 2017)', 'NK Monero miner installer']));
  });

  test('When the parsed CSV is written back with RFC 4180 quoting, Then the same bytes come out', async () => {
    const text = (await s.request().get(`${base(IND)}/csv`)).text;
    const quote = (f: string) => (/[",\r\n]/.test(f) || /^'[=+\-@\t\r]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
    expect(parseCsv(text).map((r) => r.map(quote).join(',') + '\r\n').join('')).toBe(text);
  });

  test('When the context collection (no indicators) is read, Then the CSV holds the header only', async () => {
    const records = parseCsv((await s.request().get(`${base(CTX)}/csv`).expect(200)).text);
    expect(records.length).toBe(1 + expectedCsv(seedObjects(CTX)).length);
  });
});

describe('MISP feed', () => {
  /** What MISP's feed fetcher does: read manifest.json, then fetch <uuid>.json for each entry. */
  async function fetchFeed(alias: string): Promise<{ manifest: Record<string, any>; events: Record<string, any> }> {
    const m = await s.request().get(`${base(alias)}/misp/manifest.json`).expect(200);
    expect(m.headers['content-type']).toBe('application/json; charset=utf-8');
    const manifest = JSON.parse(m.text);
    const events: Record<string, any> = {};
    for (const uuid of Object.keys(manifest)) {
      const e = await s.request().get(`${base(alias)}/misp/${uuid}.json`).expect(200);
      events[uuid] = JSON.parse(e.text);
    }
    return { manifest, events };
  }

  test('When MISP reads the feed, Then every manifest entry leads to an event with the fields MISP requires', async () => {
    for (const alias of [IND, CTX]) {
      const { manifest, events } = await fetchFeed(alias);
      expect(Object.keys(manifest).length).toBeGreaterThan(0);
      for (const [uuid, entry] of Object.entries(manifest)) {
        expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(entry).toEqual(expect.objectContaining({ info: expect.any(String), date: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), timestamp: expect.any(Number), Orgc: { name: expect.any(String), uuid: expect.any(String) } }));
        const e = events[uuid].Event;
        expect(e.uuid).toBe(uuid);
        for (const k of ['info', 'date', 'threat_level_id', 'analysis', 'timestamp']) expect(typeof e[k]).toBe('string');
        expect(e.info).toBe(entry.info);
        expect(Number(e.timestamp)).toBe(entry.timestamp);
        expect(['1', '2', '3', '4']).toContain(e.threat_level_id);
        expect(['0', '1', '2']).toContain(e.analysis);
        expect(e.Orgc).toEqual(entry.Orgc);
        expect(e.Tag).toEqual([{ name: 'tlp:clear' }]);
        expect(e.Attribute.length).toBeGreaterThan(0);
        for (const a of e.Attribute) {
          expect(a).toEqual(expect.objectContaining({ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), type: expect.any(String), category: expect.any(String), value: expect.any(String), to_ids: expect.any(Boolean), timestamp: expect.stringMatching(/^\d+$/) }));
        }
        expect(new Set(e.Attribute.map((a: any) => a.uuid)).size).toBe(e.Attribute.length);
      }
    }
  });

  test('When a campaign event is read, Then its attributes are the values of the indicators that indicate the campaign, typed for MISP', async () => {
    const objs = newestVersions(seedObjects(IND)).filter((o) => live(o));
    const { manifest, events } = await fetchFeed(IND);
    const mispType: Record<string, string> = { ipv4: 'ip-dst', ipv6: 'ip-dst', domain: 'domain', url: 'url', md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' };
    const wallet = (v: string) => (/^4[0-9A-Za-z]{94}(?:[0-9A-Za-z]{11})?$/.test(v) ? 'xmr' : /^(1|3|bc1)/.test(v) ? 'btc' : 'text');
    for (const campaign of objs.filter((o) => o.type === 'campaign')) {
      const uuid = campaign.id.split('--')[1]!;
      const indicators = objs.filter((r) => r.type === 'relationship' && r.relationship_type === 'indicates' && r.target_ref === campaign.id).map((r) => objs.find((o) => o.id === r.source_ref) as Obj);
      const expected = [...new Set(indicators.flatMap((i) => patternValues(i.pattern)).map((v) => `${v.kind === 'wallet' ? wallet(v.value) : mispType[v.kind]} ${v.value}`))];
      if (!expected.length) {
        expect(manifest[uuid]).toBeUndefined();
        continue;
      }
      expect(manifest[uuid].info).toBe(campaign.name);
      const got = events[uuid].Event.Attribute.map((a: any) => `${a.type} ${a.value}`);
      expect(got.sort()).toEqual(expected.sort());
    }
    // The known subset: the KSU miner campaign carries its Monero wallet as an xmr attribute.
    const ksu = events['1087e32e-bb0a-4a4c-b559-a02bc8e55eb6'].Event;
    expect(ksu.Attribute).toContainEqual(expect.objectContaining({ type: 'xmr', category: 'Financial fraud', value: expect.stringMatching(/^4JUdGz/), to_ids: true }));
  });

  test('When a report event is read, Then it holds exactly the values of the indicators and observables the report refers to', async () => {
    const objs = newestVersions(seedObjects(CTX)).filter((o) => live(o));
    const { manifest, events } = await fetchFeed(CTX);
    let checked = 0;
    for (const report of objs.filter((o) => o.type === 'report')) {
      const refs = new Set<string>(report.object_refs);
      const expected = [...new Set(objs.filter((o) => refs.has(o.id)).flatMap((o) => (o.type === 'indicator' ? patternValues(o.pattern) : observableValues(o))).map((v) => v.value))];
      const uuid = report.id.split('--')[1]!;
      if (!expected.length) {
        expect(manifest[uuid]).toBeUndefined();
        continue;
      }
      expect(events[uuid].Event.Attribute.map((a: any) => a.value).sort()).toEqual(expected.sort());
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  test('When an event that is not in the feed is asked for, Then 404', async () => {
    await s.request().get(`${base(IND)}/misp/00000000-0000-4000-8000-000000000000.json`).expect(404);
    await s.request().get(`${base(IND)}/misp/hashes.csv`).expect(404);
  });
});

describe('STIX bundle', () => {
  test('When the bundle is downloaded, Then it is a STIX bundle of the newest version of every seed object', async () => {
    for (const alias of [IND, CTX]) {
      const res = await s.request().get(`${base(alias)}/stix/bundle.json`).buffer(true).parse((r, cb) => {
        let t = '';
        r.on('data', (c: Buffer) => (t += c.toString('utf8')));
        r.on('end', () => cb(null, t));
      }).expect(200);
      expect(res.headers['content-type']).toBe('application/stix+json;version=2.1');
      const bundle = JSON.parse(res.body as string);
      expect(bundle.type).toBe('bundle');
      expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
      const expected = newestVersions(seedObjects(alias)).filter((o) => live(o));
      expect(bundle.objects.map((o: Obj) => o.id)).toEqual(expected.map((o) => o.id));
      expect(bundle.objects).toEqual(expected);
    }
  });

  test('When match[type]=indicator is given, Then the bundle holds the indicators only', async () => {
    const res = await s.request().get(`${base(IND)}/stix/bundle.json?match[type]=indicator`).buffer(true).parse((r, cb) => {
      let t = '';
      r.on('data', (c: Buffer) => (t += c.toString('utf8')));
      r.on('end', () => cb(null, t));
    }).expect(200);
    const ids = JSON.parse(res.body as string).objects.map((o: Obj) => o.id);
    expect(ids).toEqual(newestVersions(seedObjects(IND)).filter((o) => o.type === 'indicator' && live(o)).map((o) => o.id));
  });
});
