/** Exports follow changes and access rules: revocation, expiry, TLP clearance, ETag/304, tokens in the URL. */
import * as http from 'node:http';
import { importSeed, SYSTEM } from '../../src/server';
import { addUser } from '../api/auth/fixtures';
import { positionBarrier } from '../helpers/position-barrier';
import { ADMIN_AUTH, basic, startTestServer, type TestServer } from '../helpers/server';
import { defaultConfigDoc, parseCsv } from './seed-expectations';

const IND_ID = '9e1c64aa-cd63-4638-a602-0851a3e96433';
const INBOX_ID = 'fcf1a372-5b4f-4ba8-aaaa-327f129357a2';
const base = (alias = 'dprk-crypto-indicators') => `/feed/collections/${alias}/exports`;
const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const TLP_AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const KSU_CAMPAIGN = 'campaign--1087e32e-bb0a-4a4c-b559-a02bc8e55eb6';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ doc: defaultConfigDoc() });
  expect((await importSeed(s.rt)).failed).toBe(0);
  await addUser(s.rt, 'green-partner', 'green-password-1', { tlp: 'green' });
  await addUser(s.rt, 'amber-partner', 'amber-password-1', { tlp: 'amber' });
});
afterAll(() => s.close());

const GREEN = basic('green-partner', 'green-password-1');
const AMBER = basic('amber-partner', 'amber-password-1');

function ind(n: number, ip: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--7e5a0000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: `test address ${ip}`,
    pattern: `[ipv4-addr:value = '${ip}']`,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

async function post(objects: unknown[], collection = IND_ID): Promise<void> {
  const status = await s.rt.services.objects.addObjects(SYSTEM, 'feed', collection, JSON.stringify({ objects }), { recordStatus: false });
  expect(status.failures).toEqual([]);
}

async function list(name: string, auth?: string, alias?: string): Promise<string[]> {
  const r = s.request().get(`${base(alias)}/lists/${name}`);
  if (auth) r.set('Authorization', auth);
  const res = await r.expect(200);
  return res.text.split('\n').filter(Boolean);
}

async function csv(auth?: string): Promise<string[][]> {
  const r = s.request().get(`${base()}/csv`);
  if (auth) r.set('Authorization', auth);
  return parseCsv((await r.expect(200)).text);
}

test('When an indicator is revoked, Then its value leaves the lists, the CSV and the bundle on the next request', async () => {
  const v1 = ind(1, '203.0.113.7');
  await post([v1]);
  expect(await list('ip')).toContain('203.0.113.7');
  expect((await csv()).map((r) => r[0])).toContain('203.0.113.7');

  await post([{ ...v1, modified: '2026-02-01T00:00:00.000Z', revoked: true }]);
  expect(await list('ip')).not.toContain('203.0.113.7');
  expect((await csv()).map((r) => r[0])).not.toContain('203.0.113.7');
  const bundle = JSON.parse((await s.request().get(`${base()}/stix/bundle.json`).buffer(true).parse(text as never).expect(200)).body as string);
  expect(bundle.objects.map((o: { id: string }) => o.id)).not.toContain(v1.id);
});

test('When a seed indicator is revoked, Then its CSV row and its indicator-only list entry go, while its observable still lists the value', async () => {
  const seed = (await s.request().get(`/feed/collections/dprk-crypto-indicators/objects/indicator--d9184789-7ed9-4586-9218-4220df9e4d34/`).set('Accept', 'application/taxii+json;version=2.1').expect(200));
  const celas = JSON.parse(seed.text).objects[0];
  expect(await list('domain?match[type]=indicator')).toContain('celasllc.com');
  await post([{ ...celas, modified: '2026-12-01T00:00:00.000Z', revoked: true }]);
  expect(await list('domain?match[type]=indicator')).not.toContain('celasllc.com');
  expect((await csv()).map((r) => r[2])).not.toContain(celas.id);
  expect(await list('domain')).toContain('celasllc.com');
});

test('When an indicator has expired (valid_until passed), Then it is left out', async () => {
  await post([ind(2, '203.0.113.8', { valid_from: '2026-01-01T00:00:00Z', valid_until: '2026-01-02T00:00:00Z' }), ind(3, '203.0.113.9', { valid_until: '2999-01-01T00:00:00Z' })]);
  const ips = await list('ip');
  expect(ips).not.toContain('203.0.113.8');
  expect(ips).toContain('203.0.113.9');
});

describe('TLP clearance', () => {
  beforeAll(async () => {
    await post([
      ind(10, '198.51.100.10', { object_marking_refs: [TLP_GREEN] }),
      ind(11, '198.51.100.11', { object_marking_refs: [TLP_AMBER] }),
      {
        type: 'relationship', spec_version: '2.1', id: 'relationship--7e5a0000-0000-4000-8000-000000000011', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z',
        relationship_type: 'indicates', source_ref: 'indicator--7e5a0000-0000-4000-8000-00000000000b', target_ref: KSU_CAMPAIGN,
      },
      // One object whose newest version is amber: a green reader keeps the older green version.
      ind(12, '198.51.100.12', { object_marking_refs: [TLP_GREEN] }),
      ind(12, '198.51.100.13', { modified: '2026-03-01T00:00:00.000Z', object_marking_refs: [TLP_AMBER] }),
    ]);
  });

  test('When a green reader reads the lists and the CSV, Then no amber value is in them, and the green ones are', async () => {
    const ips = await list('ip', GREEN);
    expect(ips).toEqual(expect.arrayContaining(['198.51.100.10', '198.51.100.12']));
    expect(ips).not.toContain('198.51.100.11');
    expect(ips).not.toContain('198.51.100.13');
    const rows = await csv(GREEN);
    expect(rows.map((r) => r[0])).not.toContain('198.51.100.11');
    expect(rows.find((r) => r[0] === '198.51.100.10')![7]).toBe('TLP:GREEN');
    expect(rows.some((r) => r[7] === 'TLP:AMBER')).toBe(false);
  });

  test('When an amber reader reads, Then the amber values are there too (the newest version of each object)', async () => {
    const ips = await list('ip', AMBER);
    expect(ips).toEqual(expect.arrayContaining(['198.51.100.10', '198.51.100.11', '198.51.100.13']));
    expect(ips).not.toContain('198.51.100.12');
    expect((await csv(AMBER)).find((r) => r[0] === '198.51.100.11')![7]).toBe('TLP:AMBER');
  });

  test('When an anonymous reader (TLP:CLEAR) reads, Then neither green nor amber values are there', async () => {
    const ips = await list('ip');
    for (const v of ['198.51.100.10', '198.51.100.11', '198.51.100.12', '198.51.100.13']) expect(ips).not.toContain(v);
  });

  test('When a green reader reads the MISP event and the bundle, Then the amber value and objects are missing; an amber reader gets them and an amber tag', async () => {
    const event = async (auth: string) => JSON.parse((await s.request().get(`${base()}/misp/${KSU_CAMPAIGN.split('--')[1]}.json`).set('Authorization', auth).expect(200)).text).Event;
    const green = await event(GREEN);
    expect(green.Attribute.map((a: { value: string }) => a.value)).not.toContain('198.51.100.11');
    expect(green.Tag).toEqual([{ name: 'tlp:clear' }]);
    const amber = await event(AMBER);
    expect(amber.Attribute.map((a: { value: string }) => a.value)).toContain('198.51.100.11');
    expect(amber.Tag).toEqual([{ name: 'tlp:amber' }]);
    const bundle = JSON.parse((await s.request().get(`${base()}/stix/bundle.json`).set('Authorization', GREEN).buffer(true).parse(text as never).expect(200)).body as string);
    expect(JSON.stringify(bundle)).not.toContain(TLP_AMBER);
  });

  test('When an API token is given as the Basic password in the URL, Then the list is served with the token\'s clearance', async () => {
    const { secret } = await s.rt.services.tokens.create({ name: 'firewall', maxTlp: 'amber' });
    const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      http.get(new URL(`${s.url}${base()}/lists/ip`.replace('http://', `http://firewall:${encodeURIComponent(secret)}@`)), (res) => {
        let t = '';
        res.on('data', (c) => (t += c));
        res.on('end', () => resolve({ status: res.statusCode!, text: t }));
      }).on('error', reject);
    });
    expect(body.status).toBe(200);
    expect(body.text.split('\n')).toContain('198.51.100.11');
    await s.request().get(`${base()}/lists/ip`).set('Authorization', basic('firewall', 'not-the-token')).expect(401);
  });
});

describe('ETag and 304', () => {
  test('When the ETag of the last answer is sent back, Then 304 until the list changes, then 200 with a new ETag', async () => {
    const first = await s.request().get(`${base()}/lists/ip`).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await s.request().get(`${base()}/lists/ip`).set('If-None-Match', etag).expect(304);
    expect(again.text ?? '').toBe('');
    // The optional header line carries the time and is not part of the ETag.
    const withHeader = await s.request().get(`${base()}/lists/ip?header=true`).expect(200);
    expect(withHeader.headers.etag).toBe(etag);
    // Another list has another ETag.
    expect((await s.request().get(`${base()}/lists/domain`)).headers.etag).not.toBe(etag);

    await post([ind(20, '203.0.113.20')]);
    const changed = await s.request().get(`${base()}/lists/ip`).set('If-None-Match', etag).expect(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.text.split('\n')).toContain('203.0.113.20');
  });

  test('When an object outside the list changes, Then the list keeps its ETag', async () => {
    const etag = (await s.request().get(`${base()}/lists/sha256`)).headers.etag as string;
    await post([ind(21, '203.0.113.21')]);
    await s.request().get(`${base()}/lists/sha256`).set('If-None-Match', etag).expect(304);
  });

  test('When a list is revalidated with its ETag and nothing was written, Then 304 without reading the collection; a 200 then reads it once', async () => {
    await post([ind(22, '203.0.113.22')]);
    const spy = jest.spyOn(s.rt.stores.objects, 'latestVisible');
    try {
      const fresh = await s.request().get(`${base()}/lists/ip`).expect(200);
      const twoPasses = spy.mock.calls.length;
      expect(twoPasses).toBeGreaterThan(0);
      spy.mockClear();
      await s.request().get(`${base()}/lists/ip`).set('If-None-Match', fresh.headers.etag as string).expect(304);
      expect(spy).not.toHaveBeenCalled();
      const again = await s.request().get(`${base()}/lists/ip`).expect(200);
      expect(again.text).toBe(fresh.text);
      expect(again.headers.etag).toBe(fresh.headers.etag);
      expect(spy.mock.calls.length * 2).toBe(twoPasses);
    } finally {
      spy.mockRestore();
    }
  });

  test('When an indicator of a revalidated list reaches its valid_until with nothing written, Then 200 without its value', async () => {
    const until = new Date(Date.now() + 1_500).toISOString();
    await post([ind(23, '203.0.113.23', { valid_until: until })]);
    const first = await s.request().get(`${base()}/lists/ip`).expect(200);
    expect(first.text.split('\n')).toContain('203.0.113.23');
    const etag = first.headers.etag as string;
    await s.request().get(`${base()}/lists/ip`).set('If-None-Match', etag).expect(304);
    await new Promise((r) => setTimeout(r, Date.parse(until) - Date.now() + 50));
    const expired = await s.request().get(`${base()}/lists/ip`).set('If-None-Match', etag).expect(200);
    expect(expired.text.split('\n')).not.toContain('203.0.113.23');
    expect(expired.headers.etag).not.toBe(etag);
  });

  test('When a partner of a lower clearance sends the ETag a higher one got, Then 200 with its own list', async () => {
    await post([ind(24, '203.0.113.24', { object_marking_refs: [TLP_AMBER] })]);
    const amber = await s.request().get(`${base()}/lists/ip`).set('Authorization', AMBER).expect(200);
    expect(amber.text.split('\n')).toContain('203.0.113.24');
    await s.request().get(`${base()}/lists/ip`).set({ Authorization: AMBER, 'If-None-Match': amber.headers.etag as string }).expect(304);
    const green = await s.request().get(`${base()}/lists/ip`).set({ Authorization: GREEN, 'If-None-Match': amber.headers.etag as string }).expect(200);
    expect(green.text.split('\n')).not.toContain('203.0.113.24');
    expect(green.headers.etag).not.toBe(amber.headers.etag);
  });

  test('When several clients fetch a list together after a write, Then one pass works out the ETag for all of them and each gets the new list', async () => {
    const store = s.rt.stores.objects;
    await s.request().get(`${base()}/lists/ip`).expect(200);
    const counting = jest.spyOn(store, 'latestVisible');
    await s.request().get(`${base()}/lists/ip`).expect(200);
    const onePass = counting.mock.calls.length;
    counting.mockRestore();
    expect(onePass).toBeGreaterThan(0);

    await post([ind(26, '203.0.113.26')]);
    const read = store.latestVisible.bind(store);
    // The first pass waits until all six requests have read the write position.
    const barrier = positionBarrier(store, 6);
    const readSpy = jest.spyOn(store, 'latestVisible').mockImplementation(async function* (...args: Parameters<typeof read>) {
      await barrier.reached();
      yield* read(...args);
    });
    try {
      const all = await Promise.all(Array.from({ length: 6 }, () => s.request().get(`${base()}/lists/ip`).expect(200)));
      expect(barrier.read).toBe(6);
      expect(new Set(all.map((r) => r.headers.etag)).size).toBe(1);
      for (const r of all) expect(r.text.split('\n')).toContain('203.0.113.26');
      // One hashing pass shared, then each request's own writing pass.
      expect(readSpy.mock.calls.length).toBe(onePass * 7);
    } finally {
      barrier.restore();
      readSpy.mockRestore();
    }
  });

  test('When the CSV or the MISP manifest is asked for with its ETag, Then 304', async () => {
    for (const path of ['/csv', '/misp/manifest.json']) {
      const etag = (await s.request().get(`${base()}${path}`).expect(200)).headers.etag as string;
      await s.request().get(`${base()}${path}`).set('If-None-Match', `"other", ${etag}`).expect(304);
    }
  });
});

test('When a CSV field starts with = + - or @, Then it is prefixed with a quote and quoted, and parses back to that text', async () => {
  const names = ['=HYPERLINK("http://example.invalid","x")', '+1+2', '-2+3', '@SUM(A1)'];
  await post(names.map((name, i) => ind(30 + i, `203.0.113.${30 + i}`, { name })));
  const res = await s.request().get(`${base()}/csv`).set('Authorization', ADMIN_AUTH).expect(200);
  for (const name of names) expect(res.text).toContain(`"'${name.replace(/"/g, '""')}"`);
  const rows = parseCsv(res.text);
  for (const [i, name] of names.entries()) expect(rows.find((r) => r[0] === `203.0.113.${30 + i}`)![3]).toBe(`'${name}`);
});

test('When a collection holds more indicators than one page of the store read, Then every value is listed once, in order', async () => {
  const n = 1234;
  const objects = Array.from({ length: n }, (_, i) => ind(1000 + i, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
  for (let i = 0; i < n; i += 400) await post(objects.slice(i, i + 400), INBOX_ID);
  const ips = await list('ip', ADMIN_AUTH, 'curator-inbox');
  expect(ips).toEqual(objects.map((o) => (o.pattern as string).match(/'(.*)'/)![1]));
});

/** Reads a body of any media type as text (supertest buffers only the types it knows). */
function text(res: NodeJS.ReadableStream, cb: (err: Error | null, body: string) => void): void {
  let t = '';
  res.on('data', (c: Buffer) => (t += c.toString('utf8')));
  res.on('end', () => cb(null, t));
}
