/**
 * Malformed percent-escapes in any path segment, and timestamps at the edges of the RFC 3339 range, get
 * a TAXII error resource or an exact answer, never a 500 or a date outside years 0000-9999.
 */
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

const C = `/api1/collections/${IDS.writable}`;
const ID = 'indicator--00000000-0000-4000-8000-000000000001';
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer();
  await s.request().post(`${C}/objects/`).set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH }).send(envelope([indicator(1)]));
});
afterAll(async () => {
  await s.close();
});

const get = (path: string) => s.request().get(path).set({ Accept: TAXII, Authorization: ADMIN_AUTH });

function expectTaxiiError(r: { status: number; headers: Record<string, string>; text: string }, status: number, description?: RegExp): void {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toBe(TAXII);
  const body = JSON.parse(r.text);
  expect(body).toMatchObject({ http_status: String(status), title: expect.any(String), description: expect.any(String) });
  if (description) expect(body.description).toMatch(description);
}

describe('malformed percent-escapes', () => {
  const BAD = ['%ff', '%ZZ', '%', '%e2%82', '%C0%AF', 'a%2'];
  const PLACES = [
    (x: string) => `/${x}/`,
    (x: string) => `/${x}/collections/`,
    (x: string) => `/api1/collections/${x}/`,
    (x: string) => `/api1/collections/${x}/objects/`,
    (x: string) => `/api1/collections/${x}/manifest/`,
    (x: string) => `${C}/objects/${x}/`,
    (x: string) => `${C}/objects/${x}/versions/`,
    (x: string) => `/api1/status/${x}/`,
  ];
  for (const bad of BAD) {
    test(`When a path segment is "${bad}", Then every endpoint answers a 400 TAXII error about the encoding`, async () => {
      for (const place of PLACES) expectTaxiiError(await get(place(bad)), 400, /percent/);
      expectTaxiiError(await s.request().delete(`${C}/objects/${bad}/`).set({ Accept: TAXII, Authorization: ADMIN_AUTH }), 400, /percent/);
      expectTaxiiError(await s.request().post(`/api1/collections/${bad}/objects/`).set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH }).send(envelope([])), 400, /percent/);
    });
  }

  test('When a path segment is a valid escape, Then it is decoded as before', async () => {
    const r = await get(`${C}/objects/${encodeURIComponent(ID)}/`);
    expect(r.status).toBe(200);
  });
});

describe('timestamps at the edges of RFC 3339', () => {
  test('When added_after is the last instant of year 9999, Then no header carries a date past year 9999', async () => {
    const r = await get(`${C}/objects/?added_after=9999-12-31T23:59:59.999999Z`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('{}');
    for (const [name, value] of Object.entries(r.headers)) if (/date/i.test(name)) expect(String(value)).not.toMatch(/^[+-]\d{6}/);
    // Beyond 2^53 µs (the year 2255) the echo is the nearest representable microsecond at or before it.
    expect(r.headers['x-taxii-date-added-last']).toMatch(/^9999-12-31T23:59:59\.9999\d\dZ$/);
  });

  test('When added_after is far ahead but exactly representable, Then the empty page echoes it exactly', async () => {
    const r = await get(`${C}/objects/?added_after=2999-01-01T00:00:00.000000Z`);
    expect(r.text).toBe('{}');
    expect(r.headers['x-taxii-date-added-last']).toBe('2999-01-01T00:00:00.000000Z');
  });

  const BEYOND = ['9999-12-31T23:59:60Z', '9999-12-31T23:00:00-05:00', '0000-01-01T00:00:00+01:00', '10000-01-01T00:00:00Z', '-0001-01-01T00:00:00Z'];
  for (const t of BEYOND) {
    test(`When added_after is ${t}, Then it is refused with a 400 naming the RFC 3339 range`, async () => {
      expectTaxiiError(await get(`${C}/objects/?added_after=${encodeURIComponent(t)}`), 400, /added_after/);
    });
    test(`When match[version] is ${t}, Then it is refused with a 400`, async () => {
      expectTaxiiError(await get(`${C}/objects/${ID}/?match[version]=${encodeURIComponent(t)}`), 400, /match\[version\]/);
    });
  }

  test('When added_after is the first instant of year 0000, Then the whole collection is listed', async () => {
    const r = await get(`${C}/objects/?added_after=0000-01-01T00:00:00Z`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).objects).toHaveLength(1);
  });
});

describe('leap seconds in object versions', () => {
  const post = (objects: unknown[]) => s.request().post(`${C}/objects/`).set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH }).send(envelope(objects));
  const versionsOf = async (id: string) => JSON.parse((await get(`${C}/objects/${id}/versions/`)).text).versions as string[];

  test('When one version is modified at a leap second and the next one second later, Then both are stored as distinct versions, in order', async () => {
    const id = 'indicator--00000000-0000-4000-8000-0000000000aa';
    const a = indicator(0xaa, { created: '2016-12-31T00:00:00.000Z', modified: '2016-12-31T23:59:60.000Z' });
    const b = indicator(0xaa, { created: '2016-12-31T00:00:00.000Z', modified: '2017-01-01T00:00:00.000Z' });
    const r = JSON.parse((await post([a, b])).text);
    expect(r).toMatchObject({ success_count: 2, failure_count: 0 });
    expect(await versionsOf(id)).toEqual(['2016-12-31T23:59:60.000Z', '2017-01-01T00:00:00.000Z']);
    const latest = JSON.parse((await get(`${C}/objects/${id}/`)).text).objects;
    expect(latest.map((o: { modified: string }) => o.modified)).toEqual(['2017-01-01T00:00:00.000Z']);
  });

  test('When a version is modified at the leap second ending year 9999, Then it is the latest version, not the earliest', async () => {
    const id = 'indicator--00000000-0000-4000-8000-0000000000ab';
    await post([indicator(0xab, { modified: '2024-01-01T00:00:00.000Z' }), indicator(0xab, { modified: '9999-12-31T23:59:60.000Z' })]);
    const latest = JSON.parse((await get(`${C}/objects/${id}/`)).text).objects;
    expect(latest.map((o: { modified: string }) => o.modified)).toEqual(['9999-12-31T23:59:60.000Z']);
  });
});
