/** Export URLs and parameters an adversarial client sends: list names that are Object.prototype keys, repeated types. */
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

const EXPORTS = `/api1/collections/${IDS.public}/exports`;

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  const r = await s
    .request()
    .post(`/api1/collections/${IDS.public}/objects/`)
    .set('Accept', TAXII)
    .set('Content-Type', TAXII)
    .set('Authorization', ADMIN_AUTH)
    .send(envelope([indicator(1), indicator(2)]));
  expect(r.status).toBe(202);
});
afterAll(async () => {
  await s.close();
});

test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
  'When the list asked for is named %s (a key of every JavaScript object), Then 404 naming the lists, not a 500',
  async (name) => {
    for (const method of ['get', 'head'] as const) {
      const r = await s.request()[method](`${EXPORTS}/lists/${name}`);
      expect(r.status).toBe(404);
      expect(r.headers['content-type']).toBe(TAXII);
    }
    const body = JSON.parse((await s.request().get(`${EXPORTS}/lists/${name}`)).text);
    expect(body).toMatchObject({ http_status: '404', title: expect.any(String) });
    expect(body.description).toMatch(/the lists are ip, ipv4/);
  },
);

test('When match[type] names the same type twice, Then the bundle holds each object once, as with the type named once', async () => {
  const once = JSON.parse((await s.request().get(`${EXPORTS}/stix/bundle.json?match[type]=indicator`).expect(200)).text);
  for (const q of ['indicator,indicator', 'indicator,%20indicator', 'indicator,marking-definition,indicator']) {
    const twice = JSON.parse((await s.request().get(`${EXPORTS}/stix/bundle.json?match[type]=${q}`).expect(200)).text);
    const ids = (twice.objects as Array<{ id: string }>).map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id.startsWith('indicator--')).sort()).toEqual((once.objects as Array<{ id: string }>).map((o) => o.id).sort());
  }
});
