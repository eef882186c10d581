/** Webhooks: subscriptions, signed deliveries to a real receiver, order, TLP, back-off, dead letters and replay. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SYSTEM } from '../../src/server';
import { signatureHeader, verifySignature } from '../../src/changes/webhook-signature';
import { WebhookDispatcher } from '../../src/changes/webhook-service';
import { addUser } from '../api/auth/fixtures';
import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, testConfigDoc, type TestServer } from '../helpers/server';

jest.setTimeout(60_000);

const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const TLP_AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const HOOKS = '/api1/collections/inbox/webhooks/';
const GREEN = basic('green-reader', 'green-password-1');

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver: records each delivery; answers `failWith` for the next `failures` requests. */
async function receiver(): Promise<{ url: string; got: Delivery[]; failures: number; close(): Promise<void> }> {
  const state = { got: [] as Delivery[], failures: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (state.failures > 0) {
        state.failures--;
        res.statusCode = 500;
        return res.end();
      }
      state.got.push({ headers: req.headers, body });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return Object.assign(state, { url, close: () => new Promise<void>((r) => server.close(() => r())) });
}

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ doc: { ...testConfigDoc(), changes: { webhook_poll_ms: 20, webhook_backoff_base_ms: 20, webhook_max_failures: 3, webhook_allow_networks: ['127.0.0.0/8'] } } });
  await addUser(s.rt, 'green-reader', 'green-password-1', { tlp: 'green', grants: { [IDS.writable]: ['read'] } });
  s.rt.webhooks.dispatcher.start();
});
afterAll(() => s.close());

async function post(objects: unknown[]): Promise<void> {
  const status = await s.rt.services.objects.addObjects(SYSTEM, 'api1', IDS.writable, envelope(objects), { recordStatus: false });
  expect(status.failures).toEqual([]);
}

async function subscribe(url: string, auth = ADMIN_AUTH, extra: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const res = await s.request().post(HOOKS).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', auth).send(JSON.stringify({ url, ...extra })).expect(201);
  return JSON.parse(res.text);
}

const changesOf = (got: Delivery[]) => got.flatMap((d) => JSON.parse(d.body).changes as Array<{ id: string; version: string; change: string; object?: unknown }>);

async function until(pred: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Webhooks', () => {
  test('When versions are added, revoked and deleted, Then the receiver gets every change exactly once, in order, signed with the secret', async () => {
    const counted = async () => (await s.rt.changes.metrics.webhookChanges.get()).values[0]?.value ?? 0;
    const before = await counted();
    const r = await receiver();
    const hook = await subscribe(r.url);
    expect(hook.secret.length).toBeGreaterThanOrEqual(16);
    const objs = Array.from({ length: 30 }, (_, i) => indicator(100 + i));
    for (let i = 0; i < objs.length; i += 5) await post(objs.slice(i, i + 5));
    const revoked = indicator(100, { modified: '2024-04-01T00:00:00.000Z', revoked: true });
    await post([revoked]);
    await s.request().delete(`/api1/collections/inbox/objects/${objs[1]!.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
    const expected = [...objs.map((o) => `${o.id}|added`), `${revoked.id}|revoked`, `${objs[1]!.id}|deleted`];
    await until(() => changesOf(r.got).length >= expected.length, 'every change');
    await new Promise((res) => setTimeout(res, 150));
    expect(changesOf(r.got).map((c) => `${c.id}|${c.change}`)).toEqual(expected);
    expect(changesOf(r.got)[0]!.object).toEqual(objs[0]);
    expect((await counted()) - before).toBe(expected.length);
    for (const d of r.got) {
      expect(verifySignature(hook.secret, d.headers['x-webhook-signature'] as string, d.body)).toBeUndefined();
      expect(d.headers['x-webhook-id']).toBe(hook.id);
    }
    // The documented check refuses a tampered body, another secret and an old timestamp.
    const d = r.got[0]!;
    const header = d.headers['x-webhook-signature'] as string;
    expect(verifySignature(hook.secret, header, d.body.replace('added', 'deleted'))).toMatch(/does not match/);
    expect(verifySignature('another-secret-of-16', header, d.body)).toMatch(/does not match/);
    const old = Math.floor(Date.now() / 1000) - 3600;
    expect(verifySignature(hook.secret, signatureHeader(hook.secret, old, d.body), d.body)).toMatch(/replay window/);
    expect(verifySignature(hook.secret, undefined, d.body)).toMatch(/missing/);
    await s.request().delete(`${HOOKS}${hook.id}`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
    await r.close();
  });

  test('When a TLP:GREEN principal subscribes, Then its receiver hears nothing of TLP:AMBER objects', async () => {
    const r = await receiver();
    const hook = await subscribe(r.url, GREEN);
    const amber = indicator(301, { object_marking_refs: [TLP_AMBER] });
    await post([amber, indicator(302)]);
    await s.request().delete(`/api1/collections/inbox/objects/${amber.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
    const green = indicator(303, { object_marking_refs: [TLP_GREEN] });
    await post([green]);
    await until(() => changesOf(r.got).length >= 1, 'the green change');
    await new Promise((res) => setTimeout(res, 150));
    expect(changesOf(r.got).map((c) => c.id)).toEqual([green.id]);
    const list = await s.request().get(HOOKS).set('Accept', TAXII).set('Authorization', GREEN).expect(200);
    expect(JSON.parse(list.text).webhooks.map((w: { id: string }) => w.id)).toEqual([hook.id]);
    await s.request().delete(`${HOOKS}${hook.id}`).set('Accept', TAXII).set('Authorization', GREEN).expect(200);
    await r.close();
  });

  test('When the receiver keeps failing, Then deliveries back off, the subscription is dead-lettered, and a replay delivers again from a position', async () => {
    const r = await receiver();
    r.failures = 1000;
    const hook = await subscribe(r.url);
    const obj = indicator(401);
    await post([obj]);
    await until(() => r.failures <= 997, 'three attempts');
    let w = await s.rt.stores.webhooks.get(hook.id);
    for (const deadline = Date.now() + 15_000; w!.status !== 'dead' && Date.now() < deadline; w = await s.rt.stores.webhooks.get(hook.id)) {
      await new Promise((res) => setTimeout(res, 10));
    }
    expect(w!.status).toBe('dead');
    expect(w!.failures).toBe(3);
    expect(w!.lastError).toMatch(/500/);
    const attempts = 1000 - r.failures;
    await new Promise((res) => setTimeout(res, 200));
    expect(1000 - r.failures).toBe(attempts);
    r.failures = 0;
    expect(await s.rt.stores.webhooks.replay(hook.id, w!.positionUs, w!.prunedUs)).toBe(true);
    await until(() => changesOf(r.got).length >= 1, 'the replayed delivery');
    expect(changesOf(r.got).map((c) => c.id)).toEqual([obj.id]);
    await s.rt.stores.webhooks.remove(hook.id);
    await r.close();
  });

  test('When two dispatchers share the database, Then each change is delivered once', async () => {
    const r = await receiver();
    const hook = await subscribe(r.url);
    const second = new WebhookDispatcher(s.rt.stores.webhooks, s.rt.stores.changes, { ...WebhookDispatcher.optionsFrom(s.config), pollMs: 5 });
    second.start();
    const objs = Array.from({ length: 40 }, (_, i) => indicator(500 + i));
    for (const o of objs) await post([o]);
    await until(() => changesOf(r.got).length >= objs.length, 'every change');
    await new Promise((res) => setTimeout(res, 150));
    await second.stop();
    expect(changesOf(r.got).map((c) => c.id)).toEqual(objs.map((o) => o.id));
    await s.rt.stores.webhooks.remove(hook.id);
    await r.close();
  });

  test('When a subscription is invalid or the caller may not read, Then it gets a TAXII error', async () => {
    for (const body of [{ url: 'ftp://x.example/' }, { url: 'https://u:p@x.example/' }, { url: 'https://x.example/', secret: 'short' }, { url: 'https://x.example/', match_type: 'indicator' }]) {
      const res = await s.request().post(HOOKS).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(JSON.stringify(body)).expect(400);
      expect(JSON.parse(res.text).title).toBe('Bad request');
    }
    await s.request().post(HOOKS).set('Accept', TAXII).set('Content-Type', TAXII).send(JSON.stringify({ url: 'https://x.example/' })).expect(401);
    await s.request().delete(`${HOOKS}00000000-0000-4000-8000-000000000000`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(404);
  });

  test('When the README verification recipe checks a delivery, Then it accepts it and refuses a tampered or stale one', async () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('**Webhooks**'));
    const code = /```js\n([\s\S]*?)```/.exec(section)![1]!;
    const verified = new Function('require', `${code}\nreturn verified;`)((m: string) => (m === 'node:crypto' ? crypto : undefined)) as (secret: string, header: string, body: string) => boolean;
    const r = await receiver();
    const hook = await subscribe(r.url);
    await post([indicator(601)]);
    await until(() => r.got.length >= 1, 'a delivery');
    const d = r.got[0]!;
    const header = d.headers['x-webhook-signature'] as string;
    expect(verified(hook.secret, header, d.body)).toBe(true);
    expect(verified(hook.secret, header, d.body.replace('601', '602'))).toBe(false);
    expect(verified(hook.secret, signatureHeader(hook.secret, Math.floor(Date.now() / 1000) - 600, d.body), d.body)).toBe(false);
    await s.rt.stores.webhooks.remove(hook.id);
    await r.close();
  });
});
