/**
 * Long-lived readers are held to their access as it stands: a webhook or an open change stream whose reader
 * lost its read grant, was disabled or had its token revoked stops, and a lowered clearance narrows what it
 * gets, as that reader's next TAXII request would be refused or narrowed.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SYSTEM } from '../../src/server';
import { userPrincipalId } from '../../src/taxii/token-service';
import { addUser } from '../api/auth/fixtures';
import { basic, envelope, IDS, indicator, startTestServer, TAXII, testConfigDoc, type TestServer } from '../helpers/server';

jest.setTimeout(60_000);

const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const TLP_AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const HOOKS = '/api1/collections/inbox/webhooks/';
const STREAM = '/api1/collections/inbox/changes/stream';

let s: TestServer;
let n = 100;
beforeAll(async () => {
  s = await startTestServer({
    doc: { ...testConfigDoc(), changes: { webhook_poll_ms: 20, webhook_backoff_base_ms: 20, webhook_allow_networks: ['127.0.0.0/8'], stream_poll_ms: 20, stream_heartbeat_seconds: 0.2 } },
  });
});
afterAll(() => s.close());

async function post(objects: unknown[]): Promise<void> {
  const status = await s.rt.services.objects.addObjects(SYSTEM, 'api1', IDS.writable, envelope(objects), { recordStatus: false });
  expect(status.failures).toEqual([]);
}

/** A new partner with read on the collection; returns its Basic credentials and user id. */
async function partner(tlp: 'green' | 'amber'): Promise<{ auth: string; name: string; userId: string }> {
  const name = `partner-${n++}`;
  const userId = await addUser(s.rt, name, `${name}-password`, { tlp, grants: { [IDS.writable]: ['read'] } });
  return { auth: basic(name, `${name}-password`), name, userId };
}

async function receiver(): Promise<{ url: string; ids: () => string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    ids: () => bodies.flatMap((b) => (JSON.parse(b).changes as Array<{ id: string }>).map((c) => c.id)),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function subscribe(auth: string, url: string): Promise<string> {
  const res = await s.request().post(HOOKS).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', auth).send(JSON.stringify({ url })).expect(201);
  return JSON.parse(res.text).id;
}

/** Runs the dispatcher until it has nothing left to deliver. */
async function drain(): Promise<void> {
  for (let i = 0; i < 20 && (await s.rt.webhooks.dispatcher.runOnce()) > 0; i++);
}

describe('webhooks', () => {
  test('When the subscriber’s read grant is revoked, Then nothing more is delivered and the subscription is dead-lettered saying why', async () => {
    const p = await partner('green');
    const r = await receiver();
    try {
      const id = await subscribe(p.auth, r.url);
      const before = indicator(n++, { object_marking_refs: [TLP_GREEN] });
      await post([before]);
      await drain();
      expect(r.ids()).toEqual([before.id]);
      await s.rt.stores.principals.revoke(userPrincipalId(p.userId), IDS.writable);
      const after = indicator(n++, { object_marking_refs: [TLP_GREEN] });
      await post([after]);
      await drain();
      expect(r.ids()).toEqual([before.id]);
      const stored = await s.rt.stores.webhooks.get(id);
      expect(stored?.status).toBe('dead');
      expect(stored?.lastError).toMatch(/^access ended: .* may no longer read the collection/);
    } finally {
      await r.close();
    }
  });

  test('When the subscriber is disabled, Then nothing more is delivered', async () => {
    const p = await partner('green');
    const r = await receiver();
    try {
      const id = await subscribe(p.auth, r.url);
      await s.rt.stores.users.setDisabled(p.name, true);
      await post([indicator(n++, { object_marking_refs: [TLP_GREEN] })]);
      await drain();
      expect(r.ids()).toEqual([]);
      expect((await s.rt.stores.webhooks.get(id))?.lastError).toContain(`its user ${p.name} is disabled`);
    } finally {
      await r.close();
    }
  });

  test('When the subscriber’s clearance is lowered from AMBER to GREEN, Then AMBER objects are no longer delivered and GREEN ones still are', async () => {
    const p = await partner('amber');
    const r = await receiver();
    try {
      await subscribe(p.auth, r.url);
      await s.rt.stores.users.setMaxTlp(p.name, 'green');
      const amber = indicator(n++, { object_marking_refs: [TLP_AMBER] });
      const green = indicator(n++, { object_marking_refs: [TLP_GREEN] });
      await post([amber, green]);
      await drain();
      expect(r.ids()).toEqual([green.id]);
    } finally {
      await r.close();
    }
  });
});

describe('change streams', () => {
  /** Opens the stream and collects its raw text until it ends or the test closes it. */
  function open(auth: string): Promise<{ status: number; text: () => string; ended: Promise<void>; close(): void }> {
    return new Promise((resolve, reject) => {
      const req = http.get(`${s.url}${STREAM}`, { headers: { Accept: 'text/event-stream', Authorization: auth } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        const ended = new Promise<void>((r) => res.on('end', () => r()));
        res.on('error', () => undefined);
        resolve({ status: res.statusCode!, text: () => text, ended, close: () => req.destroy() });
      });
      req.on('error', reject);
    });
  }

  async function until(pred: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  test('When the reader’s grant is revoked while its stream is open, Then the next change ends the stream with an error event and its object is not sent', async () => {
    const p = await partner('green');
    const c = await open(p.auth);
    expect(c.status).toBe(200);
    const first = indicator(n++, { object_marking_refs: [TLP_GREEN] });
    await post([first]);
    await until(() => c.text().includes(first.id as string), 'the first object');
    await s.rt.stores.principals.revoke(userPrincipalId(p.userId), IDS.writable);
    const second = indicator(n++, { object_marking_refs: [TLP_GREEN] });
    await post([second]);
    await c.ended;
    expect(c.text()).not.toContain(second.id as string);
    expect(c.text()).toMatch(/event: error\ndata: \{"title":"Access ended","description":"The stream is closed: .* may no longer read the collection/);
    const again = await open(p.auth);
    expect(again.status).not.toBe(200);
    again.close();
  });

  test('When the user’s token a stream was opened with is revoked, Then the next change ends the stream, though the user may still read', async () => {
    const p = await partner('green');
    const { secret } = await s.rt.services.tokens.create({ name: `${p.name}-siem`, userId: p.userId });
    const c = await open(`Bearer ${secret}`);
    expect(c.status).toBe(200);
    await s.rt.stores.principals.revokeToken(`${p.name}-siem`, Date.now());
    const next = indicator(n++, { object_marking_refs: [TLP_GREEN] });
    await post([next]);
    await c.ended;
    expect(c.text()).not.toContain(next.id as string);
    expect(c.text()).toContain(`its token ${p.name}-siem is revoked`);
    const same = await open(p.auth);
    expect(same.status).toBe(200);
    same.close();
  });

  test('When the reader’s clearance is lowered while its stream is open, Then AMBER objects are no longer sent', async () => {
    const p = await partner('amber');
    const c = await open(p.auth);
    try {
      await s.rt.stores.users.setMaxTlp(p.name, 'green');
      const amber = indicator(n++, { object_marking_refs: [TLP_AMBER] });
      const green = indicator(n++, { object_marking_refs: [TLP_GREEN] });
      await post([amber, green]);
      await until(() => c.text().includes(green.id as string), 'the GREEN object');
      expect(c.text()).not.toContain(amber.id as string);
    } finally {
      c.close();
    }
  });
});
