import type { Tlp } from '../../../src/config/config';
import { tlpRank } from '../../../src/domain/tlp';
import { ADMIN_AUTH, basic, envelope, indicator, startTestServer, TAXII, testConfigDoc, type TestServer } from '../../helpers/server';
import { addUser } from './fixtures';

/**
 * No endpoint returns, counts, pages to or reveals an object version above the caller's clearance:
 * not in bodies, not through `more`/`next`, not in X-TAXII-Date-Added-* headers, not by a 200 where a
 * hidden object would otherwise be a 404.
 */
const PUBLIC_NO_DEFAULT = '7a1b1e7e-4c1a-4b55-9d49-2f3f7c6b0b01';
const PRIVATE_GREEN_DEFAULT = '7a1b1e7e-4c1a-4b55-9d49-2f3f7c6b0b02';
const M = {
  tlp1: { white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed' },
  tlp2: { clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', strict: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1' },
};

interface Version {
  n: number;
  id: string;
  modified: string;
  /** undefined: unmarked (takes the collection's default). */
  tlp?: Tlp;
  name: string;
  marks?: string[];
}

const V: Version[] = [];
function v(n: number, marks: string[] | undefined, tlp: Tlp | undefined, modified = '2024-01-01T00:00:00.000Z', idOf = n): void {
  const id = indicator(idOf).id as string;
  V.push({ n, id, modified, tlp, marks, name: `leak-canary-${n}-${tlp ?? 'unmarked'}` });
}
// Interleaved, and ending on the most restrictive, so that a leak would show in `more` and in the headers.
v(1, [M.tlp2.clear], 'clear');
v(2, [M.tlp1.red], 'red');
v(3, [M.tlp1.white], 'clear');
v(4, undefined, undefined);
v(5, [M.tlp2.green], 'green');
v(6, [M.tlp2.strict], 'amber+strict');
v(7, [M.tlp1.green], 'green');
v(8, [M.tlp2.amber], 'amber');
v(9, [M.tlp1.amber], 'amber');
v(10, [M.tlp2.green, M.tlp2.red], 'red');
v(11, [M.tlp2.clear], 'clear', '2024-01-01T00:00:00.000Z', 11);
v(12, [M.tlp2.red], 'red', '2024-02-01T00:00:00.000Z', 11); // a newer, restricted version of object 11
v(13, undefined, undefined);
v(14, [M.tlp2.red], 'red');

const CLEARANCES: Tlp[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
const PW = 'clearance-password';
let s: TestServer;
const dateAdded = new Map<string, string>(); // `${collection}|${id}|${modified}` → date_added

beforeAll(async () => {
  const doc = testConfigDoc({
    api_roots: [
      {
        path: 'api1',
        title: 'TLP',
        max_content_length: 1048576,
        collections: [
          { id: PUBLIC_NO_DEFAULT, title: 'Public, no default TLP', public: true },
          { id: PRIVATE_GREEN_DEFAULT, title: 'Private, default TLP:GREEN', default_tlp: 'green' },
        ],
      },
    ],
  });
  s = await startTestServer({ doc });
  for (const c of CLEARANCES) await addUser(s.rt, `user-${c}`, PW, { tlp: c, grants: { [PRIVATE_GREEN_DEFAULT]: ['read'] } });
  for (const coll of [PUBLIC_NO_DEFAULT, PRIVATE_GREEN_DEFAULT]) {
    for (const x of V) {
      const obj = indicator(x.id === indicator(x.n).id ? x.n : 11, { modified: x.modified, name: x.name, ...(x.marks ? { object_marking_refs: x.marks } : {}) });
      const r = await s.request().post(`/api1/collections/${coll}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope([obj]));
      expect(JSON.parse(r.text).success_count).toBe(1);
    }
    const m = await get(ADMIN_AUTH, `/api1/collections/${coll}/manifest/?match[version]=all`);
    for (const rec of m.body.objects) dateAdded.set(`${coll}|${rec.id}|${rec.version}`, rec.date_added);
    expect(m.body.objects).toHaveLength(V.length);
  }
});
afterAll(() => s.close());

async function get(authorization: string | undefined, path: string) {
  let r = s.request().get(path).set('Accept', TAXII);
  if (authorization) r = r.set('Authorization', authorization);
  const res = await r;
  return { status: res.status, body: res.text ? JSON.parse(res.text) : {}, text: res.text, headers: res.headers as Record<string, string> };
}

function visible(x: Version, clearance: Tlp, coll: string): boolean {
  const level = x.tlp ?? (coll === PRIVATE_GREEN_DEFAULT ? 'green' : 'amber');
  return tlpRank(level) <= tlpRank(clearance);
}

const callers: Array<{ who: string; auth?: string; clearance: Tlp; coll: string }> = [
  { who: 'anonymous (TLP:CLEAR)', auth: undefined, clearance: 'clear', coll: PUBLIC_NO_DEFAULT },
  ...CLEARANCES.flatMap((c) => [
    { who: `a TLP:${c.toUpperCase()} user`, auth: basic(`user-${c}`, PW), clearance: c, coll: PUBLIC_NO_DEFAULT },
    { who: `a TLP:${c.toUpperCase()} user`, auth: basic(`user-${c}`, PW), clearance: c, coll: PRIVATE_GREEN_DEFAULT },
  ]),
];

describe.each(callers)('$who reading collection $coll', ({ auth, clearance, coll }) => {
  const base = `/api1/collections/${coll}`;
  const shown = V.filter((x) => visible(x, clearance, coll));
  const hidden = V.filter((x) => !visible(x, clearance, coll));
  const key = (id: string, ver: string) => `${coll}|${id}|${ver}`;
  /** The newest version of each object that this caller may see (match[version]=last, the default). */
  const latest = [...new Map(shown.map((x) => [x.id, x])).values()];
  /** The oldest version of each object that this caller may see (match[version]=first). */
  const earliest = [...new Map([...shown].reverse().map((x) => [x.id, x])).values()];
  const seen: Array<{ text: string; headers: Record<string, string> }> = [];
  const fetch = async (path: string) => {
    const r = await get(auth, path);
    seen.push({ text: r.text, headers: r.headers });
    return r;
  };

  /** Walks every page with limit=1 and checks the headers of each page against that page's one item. */
  async function walk(path: string, item: (o: any) => { id: string; version: string }) {
    const got: Array<{ id: string; version: string }> = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const r = await fetch(`${path}${path.includes('?') ? '&' : '?'}limit=1${next ? `&next=${encodeURIComponent(next)}` : ''}`);
      expect(r.status).toBe(200);
      pages++;
      if (!r.body.objects) break;
      const it = item(r.body.objects[0]);
      got.push(it);
      expect(r.headers['x-taxii-date-added-first']).toBe(dateAdded.get(key(it.id, it.version)));
      if (r.body.more) expect(r.headers['x-taxii-date-added-last']).toBe(dateAdded.get(key(it.id, it.version)));
      next = r.body.next;
      expect(Boolean(r.body.more)).toBe(Boolean(next));
    } while (next);
    return { got, pages };
  }

  test('objects: paging with limit=1 yields exactly the visible newest versions, one page each, no extra page', async () => {
    const { got, pages } = await walk(`${base}/objects/`, (o) => ({ id: o.id, version: o.modified }));
    expect(got.map((g) => `${g.id}@${g.version}`).sort()).toEqual(latest.map((x) => `${x.id}@${x.modified}`).sort());
    expect(pages).toBe(Math.max(1, latest.length));
  });

  test('objects and manifest with match[version]=first, and with first,last: the oldest and newest visible versions', async () => {
    const first = await walk(`${base}/objects/?match[version]=first`, (o) => ({ id: o.id, version: o.modified }));
    expect(first.got.map((g) => `${g.id}@${g.version}`).sort()).toEqual(earliest.map((x) => `${x.id}@${x.modified}`).sort());
    const both = await walk(`${base}/manifest/?match[version]=first,last`, (o) => ({ id: o.id, version: o.version }));
    const expected = new Set([...earliest, ...latest].map((x) => `${x.id}@${x.modified}`));
    expect(both.got.map((g) => `${g.id}@${g.version}`).sort()).toEqual([...expected].sort());
  });

  test('object endpoint without filters: the newest version this caller may see, even when a newer one is hidden', async () => {
    for (const x of latest) {
      const r = await fetch(`${base}/objects/${x.id}/`);
      expect(r.status).toBe(200);
      expect(r.body.objects.map((o: any) => `${o.modified}|${o.name}`)).toEqual([`${x.modified}|${x.name}`]);
    }
  });

  test('manifest (all versions): exactly the visible versions; limit = that count gives one page with more=false', async () => {
    const { got } = await walk(`${base}/manifest/?match[version]=all`, (o) => ({ id: o.id, version: o.version }));
    expect(got.map((g) => `${g.id}@${g.version}`).sort()).toEqual(shown.map((x) => `${x.id}@${x.modified}`).sort());
    const one = await fetch(`${base}/manifest/?match[version]=all&limit=${Math.max(1, shown.length)}`);
    expect(one.body.more ?? false).toBe(false);
    expect(one.body.next).toBeUndefined();
    const all = await fetch(`${base}/objects/?match[version]=all&limit=${Math.max(1, shown.length)}`);
    expect(all.body.more ?? false).toBe(false);
    expect((all.body.objects ?? []).length).toBe(shown.length);
  });

  test('object and versions endpoints: 200 with only visible versions, and a hidden object is the same 404 as one that never existed', async () => {
    const absent = await fetch(`${base}/objects/${indicator(999).id}/`);
    expect(absent.status).toBe(404);
    for (const id of new Set(V.map((x) => x.id))) {
      const mine = shown.filter((x) => x.id === id).map((x) => x.modified).sort();
      const obj = await fetch(`${base}/objects/${id}/?match[version]=all`);
      const vers = await fetch(`${base}/objects/${id}/versions/`);
      if (mine.length === 0) {
        for (const r of [obj, vers]) {
          expect(r.status).toBe(404);
          expect(r.body.description).toBe(absent.body.description.replace(indicator(999).id as string, id));
          expect(r.headers['x-taxii-date-added-first']).toBeUndefined();
        }
      } else {
        expect(obj.status).toBe(200);
        expect(obj.body.objects.map((o: any) => o.modified).sort()).toEqual(mine);
        expect(vers.status).toBe(200);
        expect(vers.body.versions).toEqual(mine);
        expect(vers.headers['x-taxii-date-added-first']).toBe(dateAdded.get(key(id, mine[0]!)));
      }
    }
  });

  test('nothing seen carries a hidden version: no name, no date_added in a header', () => {
    const hiddenDates = new Set(hidden.map((x) => dateAdded.get(key(x.id, x.modified))));
    const shownDates = new Set(shown.map((x) => dateAdded.get(key(x.id, x.modified))));
    for (const r of seen) {
      for (const x of hidden) expect(r.text).not.toContain(x.name);
      for (const h of ['x-taxii-date-added-first', 'x-taxii-date-added-last']) {
        const value = r.headers[h];
        if (value && !shownDates.has(value)) expect(hiddenDates.has(value)).toBe(false);
      }
    }
    expect(seen.length).toBeGreaterThan(0);
  });
});

test('When no default_tlp is configured, Then unmarked objects count as TLP:AMBER (a TLP:GREEN user does not see them)', async () => {
  const r = await get(basic('user-green', PW), `/api1/collections/${PUBLIC_NO_DEFAULT}/objects/${V[3]!.id}/`);
  expect(r.status).toBe(404);
  const amber = await get(basic('user-amber', PW), `/api1/collections/${PUBLIC_NO_DEFAULT}/objects/${V[3]!.id}/`);
  expect(amber.status).toBe(200);
});

test('When a user token has a lower TLP than its user, Then the token reads at the lower clearance', async () => {
  const u = await s.rt.stores.users.findByName('user-red');
  const { secret } = await s.rt.services.tokens.create({ name: 'red-user-green-token', userId: u!.id, maxTlp: 'green' });
  const r = await get(`Bearer ${secret}`, `/api1/collections/${PRIVATE_GREEN_DEFAULT}/manifest/?match[version]=all`);
  expect(r.body.objects.map((o: any) => `${o.id}@${o.version}`).sort()).toEqual(
    V.filter((x) => visible(x, 'green', PRIVATE_GREEN_DEFAULT)).map((x) => `${x.id}@${x.modified}`).sort(),
  );
});
