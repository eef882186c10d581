/**
 * Strings PostgreSQL cannot store (a NUL character) or that have no single UTF-8 form (a lone surrogate) in the
 * webhook API: refused as 400/404 TAXII errors on both databases, where PostgreSQL answered 500.
 */
import { ADMIN_AUTH, IDS, startTestServer, TAXII, type TestServer } from '../helpers/server';

const HOOKS = `/api1/collections/${IDS.public}/webhooks/`;

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const subscribe = (raw: string) => s.request().post(HOOKS).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(raw);
const listed = async () => JSON.parse((await s.request().get(HOOKS).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200)).text).webhooks as unknown[];

test.each([
  ['a NUL', '%00'],
  ['a NUL and letters', '%00abc'],
  ['not a UUID', 'not-a-webhook-id'],
  ['3,000 characters', 'x'.repeat(3000)],
  ['a right-to-left override', '%E2%80%AE'],
  ['a UUID ending in NUL', '00000000-0000-4000-8000-00000000000%00'],
])('When a webhook id that no subscription can have (%s) is deleted, Then 404 as a TAXII error, never a 500', async (_what, id) => {
    const r = await s.request().delete(`${HOOKS}${id}`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH);
    expect(r.status).toBe(404);
    const body = JSON.parse(r.text);
    expect(body).toMatchObject({ http_status: '404', title: expect.any(String) });
    expect(body.description.length).toBeLessThan(300);
});

test.each([
  ['a NUL character', '{"url":"https://siem.example/h","secret":"\\u0000aaaaaaaaaaaaaaaaaaaa"}'],
  ['a line break', '{"url":"https://siem.example/h","secret":"aaaaaaaaaa\\naaaaaaaaaaaa"}'],
  ['a lone surrogate', '{"url":"https://siem.example/h","secret":"\\ud800aaaaaaaaaaaaaaaaaaaa"}'],
])('When the secret holds %s, Then 400 saying what a secret may hold, and nothing is subscribed', async (_what, raw) => {
  const r = await subscribe(raw);
  expect(r.status).toBe(400);
  expect(JSON.parse(r.text).description).toMatch(/secret/);
  expect(await listed()).toEqual([]);
});

test('When the secret is printable text with spaces and non-ASCII letters, Then it is kept as given', async () => {
  const secret = 'correct horse battery staple — ünïcödé';
  const r = await subscribe(JSON.stringify({ url: 'https://siem.example/ok', secret })).expect(201);
  expect(JSON.parse(r.text).secret).toBe(secret);
});
