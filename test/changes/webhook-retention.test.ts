/**
 * Webhooks and the retention of deletion events: a subscription starting behind a deletion that retention removed
 * would never be told of it (the change feed answers such a reader 410), so subscribing there is refused; one from
 * the start of the log (a full resync) gets what is stored now.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SYSTEM } from '../../src/server';
import { microsToTimestamp } from '../../src/common/time';
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, testConfigDoc, type TestServer } from '../helpers/server';

jest.setTimeout(30_000);

const HOOKS = '/api1/collections/inbox/webhooks/';

let s: TestServer;
let receiver: http.Server;
let url: string;
const got: string[] = [];
beforeAll(async () => {
  s = await startTestServer({ doc: { ...testConfigDoc(), changes: { webhook_allow_networks: ['127.0.0.0/8'] } } });
  receiver = http.createServer((req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      got.push(b);
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise<void>((r) => receiver.close(() => r()));
  await s.close();
});

const subscribe = (body: Record<string, unknown>) => s.request().post(HOOKS).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(JSON.stringify({ url, ...body }));
const hooks = async () => JSON.parse((await s.request().get(HOOKS).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200)).text).webhooks as Array<{ id: string; status: string; last_error?: string }>;

test('When deletion events were removed by retention, Then subscribing with an added_after behind them is a 410 saying what to do, and a subscription from the start gets what is stored', async () => {
  expect((await s.rt.services.objects.addObjects(SYSTEM, 'api1', IDS.writable, envelope([indicator(3)]), { recordStatus: false })).failures).toEqual([]);
  const before = microsToTimestamp(await s.rt.stores.changes.latestPosition(IDS.writable));
  const doomed = indicator(1);
  const kept = indicator(2);
  const status = await s.rt.services.objects.addObjects(SYSTEM, 'api1', IDS.writable, envelope([doomed, kept]), { recordStatus: false });
  expect(status.failures).toEqual([]);
  await s.request().delete(`/api1/collections/inbox/objects/${doomed.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
  expect(await s.rt.changes.prune(Date.now() * 1000 + 91 * 86_400_000_000)).toBeGreaterThan(0);

  const refused = await subscribe({ added_after: before });
  expect(refused.status).toBe(410);
  expect(refused.headers['content-type']).toBe(TAXII);
  expect(JSON.parse(refused.text)).toMatchObject({ http_status: '410', title: expect.any(String) });
  expect(JSON.parse(refused.text).description).toMatch(/retention|removed/);
  expect(JSON.parse(refused.text).description).toMatch(/added_after/);

  const fromStart = JSON.parse((await subscribe({ url: `${url}/start`, added_after: '1970-01-01T00:00:00Z' }).expect(201)).text).id as string;
  await s.rt.webhooks.dispatcher.runOnce();
  await s.rt.webhooks.dispatcher.runOnce();
  expect((await hooks()).map((w) => ({ id: w.id, status: w.status }))).toEqual([{ id: fromStart, status: 'active' }]);
  const delivered = got.flatMap((b) => (JSON.parse(b) as { webhook: string; changes: Array<{ id: string; change: string }> }).changes.map((c) => ({ ...c, webhook: JSON.parse(b).webhook })));
  const fromStartIds = delivered.filter((c) => c.webhook === fromStart).map((c) => `${c.id}|${c.change}`);
  expect(fromStartIds).toContain(`${String(kept.id)}|added`);
  expect(fromStartIds.some((c) => c.startsWith(String(doomed.id)))).toBe(false);
});

test('When retention removes a deletion a subscription had not delivered yet, Then it is dead-lettered for a full resync instead of skipping the deletion, and a replay from the start delivers again', async () => {
  const victim = indicator(40);
  expect((await s.rt.services.objects.addObjects(SYSTEM, 'api1', IDS.writable, envelope([victim]), { recordStatus: false })).failures).toEqual([]);
  const id = JSON.parse((await subscribe({ url: `${url}/behind` }).expect(201)).text).id as string;
  const mine = () => got.filter((b) => JSON.parse(b).webhook === id).flatMap((b) => (JSON.parse(b) as { changes: Array<{ id: string; change: string }> }).changes.map((c) => `${c.id}|${c.change}`));
  // Something to deliver, then (while the receiver has not had it) the victim is deleted and that deletion removed by retention.
  const later = indicator(41);
  expect((await s.rt.services.objects.addObjects(SYSTEM, 'api1', IDS.writable, envelope([later]), { recordStatus: false })).failures).toEqual([]);
  await s.request().delete(`/api1/collections/inbox/objects/${victim.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
  expect(await s.rt.changes.prune(Date.now() * 1000 + 91 * 86_400_000_000)).toBeGreaterThan(0);
  await s.rt.webhooks.dispatcher.runOnce();
  const dead = (await hooks()).find((w) => w.id === id)!;
  expect(dead.status).toBe('dead');
  expect(dead.last_error).toMatch(/^fell behind retention: .*replay it from 1970-01-01T00:00:00Z/);
  expect(mine()).toEqual([]);

  expect(await s.rt.stores.webhooks.replay(id, 0, await s.rt.stores.changes.prunedThrough(IDS.writable))).toBe(true);
  for (let i = 0; i < 5 && (await s.rt.webhooks.dispatcher.runOnce()) > 0; i++);
  expect((await hooks()).find((w) => w.id === id)!.status).toBe('active');
  expect(mine()).toContain(`${String(later.id)}|added`);
  expect(mine().some((c) => c.startsWith(String(victim.id)))).toBe(false);
});
