/**
 * Webhook subscriptions as an adversarial subscriber sends them: misspelt or unknown members, an empty type
 * list, the same subscription twice. Each refusal is a TAXII error saying what to fix, and no subscription is made.
 */
import { addUser } from '../api/auth/fixtures';
import { ADMIN_AUTH, basic, IDS, startTestServer, TAXII, type TestServer } from '../helpers/server';

const HOOKS = `/api1/collections/${IDS.public}/webhooks/`;
const READER = basic('hook-reader', 'hook-reader-pass-1');

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await addUser(s.rt, 'hook-reader', 'hook-reader-pass-1', { tlp: 'green', grants: { [IDS.public]: ['read'] } });
});
afterAll(() => s.close());

const subscribe = (body: unknown, auth = READER) =>
  s.request().post(HOOKS).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', auth).send(JSON.stringify(body));
const listed = async (auth = READER) => JSON.parse((await s.request().get(HOOKS).set('Accept', TAXII).set('Authorization', auth).expect(200)).text).webhooks as Array<{ id: string; url: string }>;
const removeAll = async (auth = READER) => {
  for (const w of await listed(auth)) await s.request().delete(`${HOOKS}${w.id}`).set('Accept', TAXII).set('Authorization', auth).expect(200);
};

function expectTaxiiError(r: { status: number; headers: Record<string, string>; text: string }, status: number, description: RegExp): void {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toBe(TAXII);
  const body = JSON.parse(r.text);
  expect(body).toMatchObject({ http_status: String(status), title: expect.any(String) });
  expect(body.description).toMatch(description);
}

describe('Webhook subscription bodies', () => {
  afterEach(() => removeAll());

  test.each([
    [{ url: 'https://siem.example/h', match_typ: ['indicator'] }, /match_typ/],
    [{ url: 'https://siem.example/h', matchType: ['indicator'] }, /matchType/],
    [{ url: 'https://siem.example/h', addedAfter: '2024-01-01T00:00:00Z' }, /addedAfter/],
    [{ url: 'https://siem.example/h', id: 'mine' }, /"id"/],
  ])('When the body has a member the endpoint does not take (%j), Then 400 naming it and the members it takes, and nothing is subscribed', async (body, named) => {
    const r = await subscribe(body);
    expectTaxiiError(r, 400, named);
    expect(JSON.parse(r.text).description).toMatch(/url, secret, match_type, added_after/);
    expect(await listed()).toEqual([]);
  });

  test('When match_type is an empty list, Then 400 (it would read as "every type" while showing an empty filter), and nothing is subscribed', async () => {
    const r = await subscribe({ url: 'https://siem.example/h', match_type: [] });
    expectTaxiiError(r, 400, /match_type/);
    expect(await listed()).toEqual([]);
  });

  test('When the same caller subscribes the same URL with the same types twice, Then the second is a 409 naming the first, and every change would be delivered once', async () => {
    const first = await subscribe({ url: 'https://siem.example/h', match_type: ['indicator', 'malware'] }).expect(201);
    const id = JSON.parse(first.text).id as string;
    const again = await subscribe({ url: 'https://siem.example/h', match_type: ['malware', 'indicator', 'malware'], secret: 'another-secret-0123456789' });
    expectTaxiiError(again, 409, new RegExp(id));
    const bare = await subscribe({ url: 'https://siem.example/h' }).expect(201);
    expectTaxiiError(await subscribe({ url: 'https://siem.example/h' }), 409, new RegExp(JSON.parse(bare.text).id));
    expect((await listed()).map((w) => w.id).sort()).toEqual([id, JSON.parse(bare.text).id].sort());
    // Another principal may subscribe the same URL: it is its own subscription, with its own clearance.
    const admins = JSON.parse((await subscribe({ url: 'https://siem.example/h' }, ADMIN_AUTH).expect(201)).text).id as string;
    await s.request().delete(`${HOOKS}${admins}`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
    // Once removed, the URL can be subscribed again.
    await s.request().delete(`${HOOKS}${id}`).set('Accept', TAXII).set('Authorization', READER).expect(200);
    await subscribe({ url: 'https://siem.example/h', match_type: ['indicator', 'malware'] }).expect(201);
  });
});
