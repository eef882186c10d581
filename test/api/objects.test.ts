/** Checklist items 30-55: the read path (filters, paging, headers) and the write path (add, versions, delete). */
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

let s: TestServer;
const C = IDS.private;
const base = `/api1/collections/${C}`;

const get = (path: string) => s.request().get(path).set('Accept', TAXII).set('Authorization', ADMIN_AUTH);
const post = (objects: unknown[], coll = C) =>
  s.request().post(`/api1/collections/${coll}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope(objects));
const body = (r: { text: string }) => JSON.parse(r.text);
const ids = (r: { text: string }) => (body(r).objects ?? []).map((o: { id: string }) => o.id);

const v = (n: number, modified: string, extra: Record<string, unknown> = {}) => indicator(n, { modified, ...extra });
const A1 = v(1, '2024-01-01T00:00:00.000Z');
const A2 = v(1, '2024-02-01T00:00:00.000Z');
const A3 = v(1, '2024-03-01T00:00:00.000Z');
const B1 = v(2, '2024-01-01T00:00:00.000Z');
const MALWARE = {
  type: 'malware',
  spec_version: '2.1',
  id: 'malware--00000000-0000-4000-8000-0000000000aa',
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  name: 'test malware',
  is_family: true,
};
const SCO = { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--8a0b6b2a-4c1b-5e41-9a55-0f5d1a2b3c4d', value: '198.51.100.7' };
let dateAdded: string[] = [];

beforeAll(async () => {
  s = await startTestServer();
  // Separate requests, so that versions arrive in a known date_added order: A1, B1, MALWARE, SCO, A3, then A2 (an older version posted last).
  for (const o of [A1, B1, MALWARE, SCO, A3, A2]) expect((await post([o])).status).toBe(202);
  dateAdded = body(await get(`${base}/manifest/?match[version]=all`)).objects.map((m: { date_added: string }) => m.date_added);
});
afterAll(() => s.close());

describe('items 30, 34: envelope and ordering', () => {
  test('When objects are listed, Then the newest version of each object comes in date_added order with more:false', async () => {
    const r = await get(`${base}/objects/`);
    expect(r.status).toBe(200);
    const b = body(r);
    expect(b.more).toBe(false);
    expect(b.next).toBeUndefined();
    expect(ids(r)).toEqual([B1.id, MALWARE.id, SCO.id, A3.id]);
    expect(b.objects[3].modified).toBe(A3.modified);
  });

  test('When nothing matches, Then 200 with {} and not 404', async () => {
    const r = await get(`${base}/objects/?match[type]=campaign`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('{}');
  });

  test('When objects are served, Then each is the JSON text exactly as posted', async () => {
    const raw = '{ "type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-0000000000ff",\n  "created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"spacing \\u00e9 kept","pattern":"[ipv4-addr:value = \'10.9.9.9\']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z" }';
    const r = await s.request().post(`/api1/collections/${IDS.writable}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(`{"objects":[ ${raw} ]}`);
    expect(body(r).success_count).toBe(1);
    const got = await get(`/api1/collections/${IDS.writable}/objects/indicator--00000000-0000-4000-8000-0000000000ff/`);
    expect(got.text).toBe(`{"more":false,"objects":[${raw}]}`);
  });
});

describe('item 31: get an object', () => {
  test('When an object is requested, Then its newest version comes in an envelope', async () => {
    const r = await get(`${base}/objects/${A1.id}/`);
    expect(body(r).objects.map((o: { modified: string }) => o.modified)).toEqual([A3.modified]);
  });

  test('When match[version]=all, Then every version comes, in date_added order', async () => {
    const r = await get(`${base}/objects/${A1.id}/?match[version]=all`);
    expect(body(r).objects.map((o: { modified: string }) => o.modified)).toEqual([A1.modified, A3.modified, A2.modified]);
  });

  test('When the object is not in the collection, Then 404', async () => {
    expect((await get(`${base}/objects/indicator--00000000-0000-4000-8000-00000000beef/`)).status).toBe(404);
    expect((await get(`/api1/collections/${IDS.public}/objects/${A1.id}/`)).status).toBe(404);
  });

  test('When the object exists but the filters exclude every version, Then 200 {}', async () => {
    const r = await get(`${base}/objects/${A1.id}/?match[version]=2020-01-01T00:00:00.000Z`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('{}');
  });
});

describe('item 32: manifest', () => {
  test('When the manifest is requested, Then each record has id, date_added, version and the STIX media type', async () => {
    const b = body(await get(`${base}/manifest/`));
    expect(b.objects.map((m: { id: string }) => m.id)).toEqual([B1.id, MALWARE.id, SCO.id, A3.id]);
    for (const m of b.objects) {
      expect(Object.keys(m).sort()).toEqual(['date_added', 'id', 'media_type', 'version']);
      expect(m.media_type).toBe('application/stix+json;version=2.1');
      expect(m.date_added).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    }
    expect(b.objects[3].version).toBe(A3.modified);
  });

  test('When an object has neither modified nor created, Then its version is its first date_added, stable on re-post', async () => {
    const m = body(await get(`${base}/manifest/?match[id]=${SCO.id}`)).objects[0];
    expect(m.version).toBe(m.date_added);
    const again = body(await post([SCO]));
    expect(again.successes[0]).toMatchObject({ id: SCO.id, version: m.version, message: expect.stringMatching(/already present/) });
  });
});

describe('item 33: versions', () => {
  test('When versions are requested, Then they are listed ascending by date_added', async () => {
    const r = await get(`${base}/objects/${A1.id}/versions/`);
    expect(body(r)).toEqual({ more: false, versions: [A1.modified, A3.modified, A2.modified] });
  });

  test('When versions are paged with limit 1, Then next walks through all three', async () => {
    const seen: string[] = [];
    let r = await get(`${base}/objects/${A1.id}/versions/?limit=1`);
    for (let i = 0; i < 5; i++) {
      seen.push(...body(r).versions);
      if (!body(r).more) break;
      r = await get(`${base}/objects/${A1.id}/versions/?limit=1&next=${encodeURIComponent(body(r).next)}`);
    }
    expect(seen).toEqual([A1.modified, A3.modified, A2.modified]);
  });

  test('When the object is unknown, Then versions answers 404', async () => {
    expect((await get(`${base}/objects/indicator--00000000-0000-4000-8000-00000000beef/versions/`)).status).toBe(404);
  });
});

describe('item 35: added_after', () => {
  test('When added_after equals a record\'s date_added, Then that record is excluded (strictly after)', async () => {
    const all = body(await get(`${base}/manifest/?match[version]=all`)).objects;
    const r = await get(`${base}/manifest/?match[version]=all&added_after=${all[2].date_added}`);
    expect(body(r).objects.map((m: { date_added: string }) => m.date_added)).toEqual(all.slice(3).map((m: { date_added: string }) => m.date_added));
  });

  test.each(['2020-01-01T00:00:00Z', '2020-01-01T00:00:00.5Z', '2020-01-01T00:00:00.123Z', '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:00.123456789Z', '2020-01-01T02:00:00+02:00'])(
    'When added_after is %s, Then it is accepted',
    async (ts) => {
      expect((await get(`${base}/objects/?added_after=${encodeURIComponent(ts)}`)).status).toBe(200);
    },
  );

  test.each(['yesterday', '2020-13-01T00:00:00Z', '2020-01-01', '2020-01-01T00:00:00', '2020-02-30T00:00:00Z'])('When added_after is "%s", Then 400 naming added_after', async (ts) => {
    const r = await get(`${base}/objects/?added_after=${encodeURIComponent(ts)}`);
    expect(r.status).toBe(400);
    expect(body(r).description).toContain('added_after');
  });
});

describe('items 36-38: limit, more, next', () => {
  test.each(['0', '-1', 'ten', '1.5', ''])('When limit is "%s", Then 400 naming limit', async (l) => {
    const r = await get(`${base}/objects/?limit=${l}`);
    expect(r.status).toBe(400);
    expect(body(r).description).toContain('limit');
  });

  test('When limit exceeds the server maximum, Then it is clamped, not refused', async () => {
    const r = await get(`${base}/objects/?limit=999999999`);
    expect(r.status).toBe(200);
    expect(ids(r)).toHaveLength(4);
  });

  test('When paging with limit 1, Then every page but the last has more:true and a next, and the last has more:false and no next', async () => {
    const seen: string[] = [];
    let r = await get(`${base}/objects/?limit=1`);
    for (;;) {
      const b = body(r);
      expect(b.objects).toHaveLength(1);
      seen.push(...ids(r));
      if (!b.more) {
        expect(b.next).toBeUndefined();
        break;
      }
      expect(b.next).toEqual(expect.any(String));
      r = await get(`${base}/objects/?limit=1&next=${encodeURIComponent(b.next)}`);
    }
    expect(seen).toEqual([B1.id, MALWARE.id, SCO.id, A3.id]);
  });

  test('When no limit is given, Then the configured default page size applies', async () => {
    const many = Array.from({ length: 120 }, (_, i) => indicator(5000 + i));
    await post(many, IDS.writable);
    const r = await get(`/api1/collections/${IDS.writable}/objects/?match[type]=indicator`);
    expect(body(r).objects).toHaveLength(100);
    expect(body(r).more).toBe(true);
  });
});

describe('items 39-40: stateless keyset cursors', () => {
  test('When next is sent alone (filters dropped, as Elastic does), Then the original filters still apply', async () => {
    const first = body(await get(`${base}/objects/?match[type]=indicator&limit=1`));
    const second = await get(`${base}/objects/?next=${encodeURIComponent(first.next)}`);
    expect(ids(second)).toEqual([A1.id]);
    expect(body(second).more).toBe(false);
  });

  test('When next is sent with the same filters repeated, Then the page is the same', async () => {
    const first = body(await get(`${base}/objects/?match[type]=indicator&limit=1`));
    const r = await get(`${base}/objects/?match[type]=indicator&limit=1&next=${encodeURIComponent(first.next)}`);
    expect(ids(r)).toEqual([A1.id]);
  });

  test('When next is sent with different filters, Then 400 saying so', async () => {
    const first = body(await get(`${base}/objects/?match[type]=indicator&limit=1`));
    const r = await get(`${base}/objects/?match[type]=malware&next=${encodeURIComponent(first.next)}`);
    expect(r.status).toBe(400);
    expect(body(r).description).toMatch(/different query/);
  });

  test.each(['garbage', 'a.b', 'eyJ4IjoxfQ.AAAAAAAAAAAAAAAAAAAAAA'])('When next is forged or garbage ("%s"), Then 400, never 500', async (n) => {
    const r = await get(`${base}/objects/?next=${n}`);
    expect(r.status).toBe(400);
    expect(body(r).description).toContain('next');
  });

  test('When a next from another collection or endpoint is sent, Then the request is answered from its own start (never a 400 that makes a client skip it)', async () => {
    const first = body(await get(`${base}/objects/?limit=1`));
    const other = await get(`/api1/collections/${IDS.writable}/objects/?limit=3&next=${encodeURIComponent(first.next)}`);
    const fresh = await get(`/api1/collections/${IDS.writable}/objects/?limit=3`);
    expect(other.status).toBe(200);
    expect(other.text.replace(/"next":"[^"]*"/, '')).toBe(fresh.text.replace(/"next":"[^"]*"/, ''));
    const manifest = await get(`${base}/manifest/?next=${encodeURIComponent(first.next)}`);
    expect(body(manifest).objects.map((m: { id: string }) => m.id)).toEqual([B1.id, MALWARE.id, SCO.id, A3.id]);
  });

  test('When a next is tampered with, Then 400', async () => {
    const first = body(await get(`${base}/objects/?limit=1`));
    const [payload, sig] = first.next.split('.');
    const forged = Buffer.from(Buffer.from(payload, 'base64url').toString().replace(/,(\d+),(\d+)\]$/, ',0,0]')).toString('base64url');
    expect((await get(`${base}/objects/?next=${forged}.${sig}`)).status).toBe(400);
  });
});

describe('items 41-43: match filters', () => {
  test('When match[type] lists two types, Then they are ORed', async () => {
    expect(ids(await get(`${base}/objects/?match[type]=malware,ipv4-addr`))).toEqual([MALWARE.id, SCO.id]);
  });

  test('When match[id] and match[type] are combined, Then they are ANDed', async () => {
    expect(ids(await get(`${base}/objects/?match[id]=${A1.id},${MALWARE.id}&match[type]=malware`))).toEqual([MALWARE.id]);
  });

  test('When match[version]=first, Then the oldest version by modified comes', async () => {
    const r = await get(`${base}/objects/?match[id]=${A1.id}&match[version]=first`);
    expect(body(r).objects.map((o: { modified: string }) => o.modified)).toEqual([A1.modified]);
  });

  test('When match[version]=first,last, Then both, without duplicating an object with one version', async () => {
    const r = await get(`${base}/objects/?match[id]=${A1.id},${B1.id}&match[version]=first,last`);
    expect(body(r).objects.map((o: { id: string; modified: string }) => `${o.id}@${o.modified}`)).toEqual([`${A1.id}@${A1.modified}`, `${B1.id}@${B1.modified}`, `${A1.id}@${A3.modified}`]);
  });

  test('When match[version] is a timestamp list, Then exactly those versions come, whatever their precision', async () => {
    const r = await get(`${base}/objects/?match[version]=2024-02-01T00:00:00Z,2024-03-01T00:00:00.000000Z`);
    expect(body(r).objects.map((o: { modified: string }) => o.modified)).toEqual([A3.modified, A2.modified]);
  });

  test('When match[spec_version]=2.1, Then 2.1 objects come; 2.0, Then none', async () => {
    expect(ids(await get(`${base}/objects/?match[spec_version]=2.1`))).toHaveLength(4);
    expect((await get(`${base}/objects/?match[spec_version]=2.0`)).text).toBe('{}');
  });

  test.each([
    ['match[id]=not-an-id', 'match[id]'],
    ['match[type]=Indicator', 'match[type]'],
    ['match[version]=latest', 'match[version]'],
    ['match[spec_version]=two', 'match[spec_version]'],
    ['match[color]=red', 'match[color]'],
    ['match[type]=', 'match[type]'],
  ])('When %s is sent, Then 400 naming %s', async (qs, name) => {
    const r = await get(`${base}/objects/?${qs}`);
    expect(r.status).toBe(400);
    expect(body(r).description).toContain(name);
  });

  test('When a filter the endpoint does not take is sent, Then 400 naming it; unknown plain parameters are ignored', async () => {
    const r = await get(`${base}/objects/${A1.id}/?match[type]=indicator`);
    expect(r.status).toBe(400);
    expect(body(r).description).toContain('match[type]');
    expect((await get(`${base}/objects/?_=12345`)).status).toBe(200);
  });
});

describe('items 44-45: X-TAXII-Date-Added headers and date_added', () => {
  test('When a page has records, Then First/Last carry the date_added of its first and last record, microsecond RFC 3339', async () => {
    const r = await get(`${base}/manifest/?match[version]=all&limit=2`);
    const recs = body(r).objects;
    expect(r.headers['x-taxii-date-added-first']).toBe(recs[0].date_added);
    expect(r.headers['x-taxii-date-added-last']).toBe(recs[1].date_added);
  });

  test('When the final page is served, Then Last is rounded up to the millisecond, and polling from it (even truncated to ms) returns nothing', async () => {
    const r = await get(`${base}/objects/`);
    const last = r.headers['x-taxii-date-added-last'];
    expect(last).toMatch(/\.\d{3}000Z$/);
    const recs = body(await get(`${base}/manifest/`)).objects;
    const exact = recs[recs.length - 1].date_added;
    expect(last >= exact).toBe(true);
    expect(Date.parse(last) - Date.parse(exact.slice(0, 23) + 'Z')).toBeLessThanOrEqual(1);
    const poll = await get(`${base}/objects/?added_after=${last.replace(/(\.\d{3})\d{3}Z$/, '$1Z')}`);
    expect(poll.text).toBe('{}');
    expect(poll.headers['x-taxii-date-added-last']).toBe(last);
  });

  test('When date_added values are read, Then they are unique and strictly increasing in commit order', async () => {
    expect(new Set(dateAdded).size).toBe(dateAdded.length);
    expect([...dateAdded].sort()).toEqual(dateAdded);
  });

  test('When one request stores many objects, Then each gets its own date_added', async () => {
    const objs = Array.from({ length: 30 }, (_, i) => indicator(7000 + i));
    await post(objs, IDS.writable);
    const recs = body(await get(`/api1/collections/${IDS.writable}/manifest/?match[id]=${objs.map((o) => o.id).join(',')}`)).objects;
    expect(new Set(recs.map((m: { date_added: string }) => m.date_added)).size).toBe(30);
  });
});

describe('items 47-50, 52: add objects', () => {
  test('When a STIX bundle is posted, Then its objects are added like an envelope\'s', async () => {
    const r = await s.request().post(`/api1/collections/${IDS.writable}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH)
      .send(JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', objects: [indicator(8001)] }));
    expect(r.status).toBe(202);
    expect(body(r)).toMatchObject({ status: 'complete', success_count: 1, successes: [{ id: indicator(8001).id, version: '2024-01-01T00:00:00.000Z' }] });
  });

  test('When some objects are invalid, Then the valid ones are stored and each invalid one is a failure naming the property', async () => {
    const r = body(await post([indicator(8101), { ...indicator(8102), id: 'malware--00000000-0000-4000-8000-000000008102' }, { ...indicator(8103), spec_version: '2.0' }, { ...indicator(8104), modified: 'tuesday' }], IDS.writable));
    expect(r.success_count).toBe(1);
    expect(r.failures.map((f: { id: string }) => f.id)).toEqual(['malware--00000000-0000-4000-8000-000000008102', indicator(8103).id, indicator(8104).id]);
    expect(r.failures[0].message).toMatch(/id/);
    expect(r.failures[1].message).toMatch(/spec_version/);
    expect(r.failures[2].message).toMatch(/modified/);
  });

  test('When an identical version is posted again, Then it succeeds and stores nothing new', async () => {
    const before = body(await get(`${base}/manifest/?match[version]=all`)).objects;
    const r = body(await post([A2]));
    expect(r.successes[0].message).toMatch(/already present/);
    expect(body(await get(`${base}/manifest/?match[version]=all`)).objects).toEqual(before);
  });

  test('When a different object reuses an id and modified, Then it is a failure that says a new version needs a later modified', async () => {
    const r = body(await post([{ ...A2, name: 'changed' }]));
    expect(r.failures[0].message).toMatch(/later modified/);
  });

  test('When an envelope has no objects array, Then 400', async () => {
    const r = await s.request().post(`${base}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send('{"more":false}');
    expect(r.status).toBe(400);
    expect(body(r).description).toContain('objects');
  });
});

describe('items 54: delete', () => {
  test('When one version is deleted, Then the others remain and the newest is recomputed', async () => {
    const D1 = v(9001, '2024-01-01T00:00:00.000Z'), D2 = v(9001, '2024-06-01T00:00:00.000Z');
    await post([D1, D2], IDS.writable);
    const del = await s.request().delete(`/api1/collections/${IDS.writable}/objects/${D1.id}/?match[version]=${D2.modified}`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH);
    expect(del.status).toBe(200);
    const left = body(await get(`/api1/collections/${IDS.writable}/objects/${D1.id}/`));
    expect(left.objects.map((o: { modified: string }) => o.modified)).toEqual([D1.modified]);
  });

  test('When delete has no filter, Then every version goes, from that collection only', async () => {
    const X = indicator(9100);
    await post([X], IDS.writable);
    await post([X], IDS.public);
    expect((await s.request().delete(`/api1/collections/${IDS.writable}/objects/${X.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH)).status).toBe(200);
    expect((await get(`/api1/collections/${IDS.writable}/objects/${X.id}/`)).status).toBe(404);
    expect((await get(`/api1/collections/${IDS.public}/objects/${X.id}/`)).status).toBe(200);
  });

  test('When an unknown object is deleted, Then 404', async () => {
    expect((await s.request().delete(`/api1/collections/${IDS.writable}/objects/indicator--00000000-0000-4000-8000-00000000dead/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH)).status).toBe(404);
  });
});
