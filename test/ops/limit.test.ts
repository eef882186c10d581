/** A `limit` above the server maximum is reduced to it, however many digits it has (README: Filters). */
import fc from 'fast-check';
import { parseQuery } from '../../src/taxii/filters';
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

describe('parseQuery: limit', () => {
  test.each([
    ['1000000000', '1000000000'],
    ['30 nines', '9'.repeat(30)],
    ['0001001', '0001001'],
    ['1 and 400 zeros', '1' + '0'.repeat(400)],
  ])('When limit is %s, Then it is accepted as a positive number', (_label, l) => {
    const q = parseQuery('objects', { limit: l });
    expect(q.limit).toBeGreaterThanOrEqual(1);
    expect(Number.isSafeInteger(q.limit)).toBe(true);
  });

  test('When limit is any positive integer written in decimal, Then it is accepted and never smaller than min(value, 2^53 - 1)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 40n }), (n) => {
        const q = parseQuery('objects', { limit: n.toString() });
        expect(q.limit).toBe(n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n));
      }),
    );
  });

  test.each(['0', '000', '-1', '1e3', '1.0', ' 5', ''])('When limit is "%s", Then it is refused with a message naming limit', (l) => {
    expect(() => parseQuery('objects', { limit: l })).toThrow(/limit/);
  });
});

describe('GET objects with a huge limit', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env: { TAXII_MAX_LIMIT: '3', TAXII_DEFAULT_LIMIT: '2' } });
    const r = await s
      .request()
      .post(`/api1/collections/${IDS.writable}/objects/`)
      .set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH })
      .send(envelope([1, 2, 3, 4, 5].map((n) => indicator(n))));
    expect(r.status).toBe(202);
  });
  afterAll(() => s.close());

  test.each(['1000000000', '9'.repeat(30)])('When limit is %s, Then the page holds the server maximum and says there is more', async (l) => {
    const r = await s.request().get(`/api1/collections/${IDS.writable}/objects/?limit=${l}`).set({ Accept: TAXII, Authorization: ADMIN_AUTH });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text);
    expect(body.objects).toHaveLength(3);
    expect(body.more).toBe(true);
  });
});
