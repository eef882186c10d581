/**
 * A spelling of a TAXII parameter that is not the parameter (brackets, capitals, `match` without a
 * field) is refused with a 400 that names the right spelling: ignored, it would answer as if the filter
 * had not been asked for. Unrelated parameters are still ignored.
 */
import { parseQuery } from '../../src/taxii/filters';
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

const C = `/api1/collections/${IDS.writable}`;
const headers = { Accept: TAXII, Authorization: ADMIN_AUTH };
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer();
  const r = await s.request().post(`${C}/objects/`).set({ ...headers, 'Content-Type': TAXII }).send(envelope([indicator(1), indicator(2)]));
  expect(r.status).toBe(202);
});
afterAll(async () => {
  await s.close();
});

describe('parseQuery', () => {
  test.each([
    ['added_after[]', 'added_after'],
    ['Added_After', 'added_after'],
    ['limit[0]', 'limit'],
    ['LIMIT', 'limit'],
    ['next[]', 'next'],
  ])('When %s is sent, Then it is refused and the description names %s', (key, base) => {
    expect(() => parseQuery('objects', { [key]: '1' })).toThrow(expect.objectContaining({ httpStatus: 400, description: expect.stringContaining(`send ${base}=`) }));
  });

  test.each(['match', 'Match[type]', 'MATCH[id]'])('When %s is sent, Then it is refused as not a TAXII filter', (key) => {
    expect(() => parseQuery('objects', { [key]: 'indicator' })).toThrow(expect.objectContaining({ httpStatus: 400, description: expect.stringContaining('is not a TAXII 2.1 filter') }));
  });

  test.each(['x', 'added_afterx', 'limits', 'nextpage', 'matches'])('When the unrelated parameter %s is sent, Then it is ignored', (key) => {
    expect(parseQuery('objects', { [key]: '1' }).hasFilterParams).toBe(false);
  });
});

describe('over HTTP', () => {
  const later = '2999-01-01T00:00:00Z';
  test.each([
    [`${C}/objects/?added_after[]=${later}`],
    [`${C}/manifest/?Added_After=${later}`],
    [`${C}/objects/?limit%5B%5D=1`],
    [`${C}/objects/?match=indicator`],
    [`${C}/changes/?added_after[]=${later}`],
  ])('When %s is polled, Then the answer is a 400 TAXII error, not the unfiltered page', async (url) => {
    const r = await s.request().get(url).set(headers);
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toBe(TAXII);
    expect(JSON.parse(r.text)).toMatchObject({ http_status: '400', title: expect.any(String), description: expect.stringMatching(/added_after|limit|match/) });
  });

  test('When an unrelated parameter is sent, Then the page is served as without it', async () => {
    const plain = await s.request().get(`${C}/objects/`).set(headers);
    const extra = await s.request().get(`${C}/objects/?utm_source=siem`).set(headers);
    expect(extra.status).toBe(200);
    expect(JSON.parse(extra.text).objects.map((o: { id: string }) => o.id)).toEqual(JSON.parse(plain.text).objects.map((o: { id: string }) => o.id));
  });
});
