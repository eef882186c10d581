/**
 * Webhook egress: a subscriber cannot make the server POST to loopback, private, link-local or reserved
 * addresses (its own services, the cloud metadata service, the internal network), neither by a literal
 * address in the URL nor by a name that resolves to one at delivery time; an operator can allow networks.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EgressPolicy, postUnderPolicy } from '../../src/changes/egress';
import { WebhookDispatcher } from '../../src/changes/webhook-service';
import { buildConfig, ConfigError } from '../../src/config/config';
import { SYSTEM } from '../../src/server';
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, testConfigDoc, type TestServer } from '../helpers/server';

jest.setTimeout(60_000);

describe('EgressPolicy', () => {
  const policy = new EgressPolicy();

  test.each([
    '127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.1', '192.0.2.10', '::1', '::', 'fe80::1', 'fd00::1', 'fc00::5', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '64:ff9b::10.0.0.1', '2001:db8::1',
  ])('When a receiver is at %s, Then it is refused', (address) => {
    expect(policy.refusal(address)).toMatch(/is not a public address/);
  });

  test.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.4.4'])(
    'When a receiver is at the public address %s, Then it is allowed',
    (address) => expect(policy.refusal(address)).toBeUndefined(),
  );

  test('When an operator allows networks, Then addresses in them are allowed and the rest stay refused', () => {
    const p = new EgressPolicy(['10.20.0.0/16', '127.0.0.1', 'fd12:3456::/32']);
    expect(p.refusal('10.20.9.9')).toBeUndefined();
    expect(p.refusal('127.0.0.1')).toBeUndefined();
    expect(p.refusal('::ffff:10.20.0.1')).toBeUndefined();
    expect(p.refusal('fd12:3456::9')).toBeUndefined();
    expect(p.refusal('10.21.0.1')).toBeDefined();
    expect(p.refusal('127.0.0.2')).toBeDefined();
    expect(() => new EgressPolicy(['10.0.0.0/33'])).toThrow(/not an IP address or a CIDR network/);
  });

  test('When a URL names loopback literally or as localhost, Then it is refused without resolving; other names are left to delivery', () => {
    for (const u of ['http://127.0.0.1:8080/', 'http://[::1]/', 'http://localhost/', 'http://LOCALHOST./x', 'http://api.localhost/', 'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:127.0.0.1]/']) {
      expect(policy.urlRefusal(new URL(u))).toMatch(/not a public address/);
    }
    expect(policy.urlRefusal(new URL('https://siem.example/hook'))).toBeUndefined();
  });

  test('When a name resolves to a refused address at delivery, Then the request never connects', async () => {
    let connections = 0;
    const server = http.createServer((_req, res) => {
      connections++;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      // `localhost` spelled so that the URL check cannot tell: only the connection-time lookup can refuse it.
      const sneaky = new EgressPolicy();
      (sneaky as unknown as { urlRefusal: () => undefined }).urlRefusal = () => undefined;
      await expect(postUnderPolicy(sneaky, `http://localhost:${port}/`, {}, '{}', 2000)).rejects.toThrow(/not a public address/);
      expect(connections).toBe(0);
      // The same name is delivered to once its network is allowed.
      await expect(postUnderPolicy(new EgressPolicy(['127.0.0.0/8', '::1']), `http://localhost:${port}/`, {}, '{}', 2000)).resolves.toBe(200);
      expect(connections).toBe(1);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  test('When the configuration lists a network that is not one, Then loading it fails with the path of the setting', () => {
    expect(() => buildConfig({ ...testConfigDoc(), changes: { webhook_allow_networks: ['intranet'] } })).toThrow(ConfigError);
    expect(() => buildConfig({ ...testConfigDoc(), changes: { webhook_allow_networks: ['intranet'] } })).toThrow(/webhook_allow_networks: "intranet"/);
  });
});

describe('Webhook subscriptions and deliveries under the default policy', () => {
  const HOOKS = '/api1/collections/inbox/webhooks/';
  let s: TestServer;
  let hits = 0;
  let receiver: http.Server;
  let port: number;

  beforeAll(async () => {
    s = await startTestServer({ doc: { ...testConfigDoc(), changes: { webhook_poll_ms: 20, webhook_backoff_base_ms: 20, webhook_max_failures: 2 } } });
    receiver = http.createServer((_req, res) => {
      hits++;
      res.statusCode = 204;
      res.end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => receiver.close(() => r()));
    await s.close();
  });

  test('When a subscriber names a loopback, private or metadata address, Then the subscription is refused with a 400 saying why', async () => {
    for (const url of [`http://127.0.0.1:${port}/hook`, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.7/', `http://localhost:${port}/`, 'http://[::1]/']) {
      const res = await s.request().post(HOOKS).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(JSON.stringify({ url })).expect(400);
      const body = JSON.parse(res.text);
      expect(body.title).toBe('Bad request');
      expect(body.description).toMatch(/not a public address.*webhook_allow_networks/);
    }
    expect((await s.rt.stores.webhooks.list({ collectionId: IDS.writable })).length).toBe(0);
  });

  test('When a stored subscription resolves to loopback at delivery, Then nothing is sent and the failure says why', async () => {
    const id = '0b0b0b0b-0000-4000-8000-000000000001';
    await s.rt.stores.webhooks.create({ id, collectionId: IDS.writable, principalId: SYSTEM.id, url: `http://localhost:${port}/hook`, secret: 'a-secret-of-enough-length', positionUs: 0, prunedUs: 0, createdAtMs: Date.now() });
    // The subscription bypassed the URL check (stored directly): only the connection-time lookup stands in the way.
    const bypass = new EgressPolicy();
    (bypass as unknown as { urlRefusal: () => undefined }).urlRefusal = () => undefined;
    const dispatcher = new WebhookDispatcher(s.rt.stores.webhooks, s.rt.stores.changes, { ...WebhookDispatcher.optionsFrom(s.config), egress: bypass });
    await s.rt.services.objects.addObjects(SYSTEM, 'api1', IDS.writable, envelope([indicator(901)]), { recordStatus: false });
    await dispatcher.runOnce(Date.now() + 60_000);
    const w = (await s.rt.stores.webhooks.get(id))!;
    expect(hits).toBe(0);
    expect(w.failures).toBe(1);
    expect(w.lastError).toMatch(/not a public address/);
    await s.rt.stores.webhooks.remove(id);
  });
});
