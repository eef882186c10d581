/**
 * Each webhook subscription makes the servers post every change to its receiver, so one user or token may hold
 * at most changes.max_webhooks_per_principal of them, across collections; administrators are not limited.
 */
import { addUser } from '../api/auth/fixtures';
import { ADMIN_AUTH, basic, IDS, startTestServer, TAXII, testConfigDoc, type TestServer } from '../helpers/server';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ doc: { ...testConfigDoc(), changes: { max_webhooks_per_principal: 2, webhook_allow_networks: ['127.0.0.0/8'] } } });
  await addUser(s.rt, 'hooker', 'hooker-password-1', { tlp: 'green', grants: { [IDS.writable]: ['read'], [IDS.private]: ['read'] } });
  await addUser(s.rt, 'other', 'other-password-1', { tlp: 'green', grants: { [IDS.writable]: ['read'] } });
});
afterAll(() => s.close());

const HOOKER = basic('hooker', 'hooker-password-1');
const subscribe = (auth: string, collection: string, url: string) =>
  s.request().post(`/api1/collections/${collection}/webhooks/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', auth).send(JSON.stringify({ url }));

test('When a user holds as many subscriptions as allowed, across collections, Then another is refused with 403 saying how to make room, and removing one makes room', async () => {
  expect((await subscribe(HOOKER, IDS.writable, 'http://127.0.0.1:9/a')).status).toBe(201);
  const second = await subscribe(HOOKER, IDS.private, 'http://127.0.0.1:9/b');
  expect(second.status).toBe(201);
  const third = await subscribe(HOOKER, IDS.writable, 'http://127.0.0.1:9/c');
  expect(third.status).toBe(403);
  const error = JSON.parse(third.text);
  expect(error.title).toBe('Too many webhook subscriptions');
  expect(error.description).toContain('You hold 2 webhook subscriptions');
  expect(error.description).toContain('changes.max_webhooks_per_principal');
  expect((await s.rt.stores.webhooks.list({})).filter((w) => w.url.endsWith('/c'))).toEqual([]);
  // Another user is not counted against this one.
  expect((await subscribe(basic('other', 'other-password-1'), IDS.writable, 'http://127.0.0.1:9/c')).status).toBe(201);
  // Room again once one is removed.
  const removed = await s.request().delete(`/api1/collections/${IDS.private}/webhooks/${JSON.parse(second.text).id}`).set('Accept', TAXII).set('Authorization', HOOKER);
  expect(removed.status).toBe(200);
  expect((await subscribe(HOOKER, IDS.writable, 'http://127.0.0.1:9/c')).status).toBe(201);
});

test('When an administrator subscribes past the limit, Then it is not refused', async () => {
  for (const n of [1, 2, 3]) expect((await subscribe(ADMIN_AUTH, IDS.writable, `http://127.0.0.1:9/admin-${n}`)).status).toBe(201);
});
