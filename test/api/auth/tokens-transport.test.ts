import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, testConfigDoc, type TestServer } from '../../helpers/server';
import { addUser } from './fixtures';

const PW = 'partner-password-1';

describe('API tokens in the three header forms', () => {
  let s: TestServer;
  let secret: string;
  let serviceSecret: string;
  beforeAll(async () => {
    s = await startTestServer();
    const id = await addUser(s.rt, 'partner', PW, { tlp: 'green', grants: { [IDS.private]: ['read'] } });
    secret = (await s.rt.services.tokens.create({ name: 'siem', userId: id })).secret;
    serviceSecret = (await s.rt.services.tokens.create({ name: 'svc', maxTlp: 'amber' })).secret;
  });
  afterAll(() => s.close());
  const list = (authorization: string) => s.request().get(`/api1/collections/${IDS.private}/objects/`).set('Accept', TAXII).set('Authorization', authorization);

  test.each([
    ['Authorization: Bearer', () => `Bearer ${secret}`],
    ['Authorization: Token (taxii2-client)', () => `Token ${secret}`],
    ['the Basic password with any username', () => basic('anything', secret)],
    ['the Basic password with an empty username', () => basic('', secret)],
  ])('When the token is sent as %s, Then the caller is the token user', async (_form, header) => {
    expect((await list(header())).status).toBe(200);
  });

  test('When a token has the wrong shape or an unknown value, Then 401', async () => {
    expect((await list('Bearer nope')).status).toBe(401);
    expect((await list(`Bearer taxii_${'A'.repeat(43)}`)).status).toBe(401);
  });

  test('When a standalone service token has no grant, Then the collection is invisible; after a grant it is readable', async () => {
    expect((await list(`Bearer ${serviceSecret}`)).status).toBe(404);
    const t = await s.rt.stores.principals.findTokenByName('svc');
    await s.rt.stores.principals.grant(`token:${t!.id}`, IDS.private, { read: true });
    expect((await list(`Bearer ${serviceSecret}`)).status).toBe(200);
  });

  test('When a grant is revoked, Then the very next request is refused (no cross-request cache)', async () => {
    const u = await s.rt.stores.users.findByName('partner');
    expect((await list(`Bearer ${secret}`)).status).toBe(200);
    await s.rt.stores.principals.revoke(`user:${u!.id}`, IDS.private);
    expect((await list(`Bearer ${secret}`)).status).toBe(404);
    expect((await list(basic('partner', PW))).status).toBe(404);
    await s.rt.stores.principals.grant(`user:${u!.id}`, IDS.private, { read: true });
  });

  test('When the user is disabled, Then its password (even cached) and its tokens stop working at once', async () => {
    expect((await list(basic('partner', PW))).status).toBe(200);
    await s.rt.stores.users.setDisabled('partner', true);
    expect((await list(basic('partner', PW))).status).toBe(401);
    expect((await list(`Bearer ${secret}`)).status).toBe(401);
    await s.rt.stores.users.setDisabled('partner', false);
  });

  test('When a token is used twice within a minute, Then last_used is written once', async () => {
    const before = (await s.rt.stores.principals.findTokenByName('siem'))!.lastUsedAtMs;
    expect(before).toBeDefined();
    await list(`Bearer ${secret}`);
    expect((await s.rt.stores.principals.findTokenByName('siem'))!.lastUsedAtMs).toBe(before);
  });
});

describe('credentials over plain HTTP', () => {
  let s: TestServer;
  beforeAll(async () => {
    const doc = testConfigDoc();
    s = await startTestServer({ doc: { ...doc, server: { ...(doc.server as object), trust_proxy: 'loopback' } } });
  });
  afterAll(() => s.close());
  const discovery = () => s.request().get('/taxii2/').set('Accept', TAXII);

  test('When a non-loopback client sends Basic over plain HTTP, Then 403 telling it to use HTTPS', async () => {
    const r = await discovery().set('Authorization', ADMIN_AUTH).set('X-Forwarded-For', '203.0.113.7');
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text).description).toMatch(/HTTPS/);
  });

  test('When the trusted proxy says the client used HTTPS, Then the credentials are accepted and HSTS is sent', async () => {
    const r = await discovery().set('Authorization', ADMIN_AUTH).set('X-Forwarded-For', '203.0.113.7').set('X-Forwarded-Proto', 'https');
    expect(r.status).toBe(200);
    expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  test('When the client is on loopback, Then plain HTTP is accepted and no HSTS is sent', async () => {
    const r = await discovery().set('Authorization', ADMIN_AUTH);
    expect(r.status).toBe(200);
    expect(r.headers['strict-transport-security']).toBeUndefined();
  });

  test('When a non-loopback client sends no credentials, Then it is served anonymously', async () => {
    expect((await discovery().set('X-Forwarded-For', '203.0.113.7')).status).toBe(200);
  });
});

describe('allow_insecure_credentials', () => {
  test('When it is set, Then Basic over plain HTTP from a remote client is accepted', async () => {
    const s = await startTestServer({ env: { TAXII_TRUST_PROXY: 'loopback', TAXII_ALLOW_INSECURE_CREDENTIALS: 'true' } });
    try {
      const r = await s.request().get('/taxii2/').set('Accept', TAXII).set('Authorization', ADMIN_AUTH).set('X-Forwarded-For', '203.0.113.7');
      expect(r.status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('HTTPS with a self-signed certificate and client certificates', () => {
  let dir: string;
  let s: TestServer;
  let server: https.Server;
  let port: number;
  const pem = (name: string) => fs.readFileSync(path.join(dir, name));

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-tls-'));
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test CA');
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.crt', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1');
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'rogue.key', '-out', 'rogue.crt', '-days', '1', '-subj', '/CN=partner-a');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=partner-a');
    ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '1');
    const doc = testConfigDoc();
    s = await startTestServer({
      doc: { ...doc, server: { ...(doc.server as object), tls: { cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key'), ca: path.join(dir, 'ca.crt'), request_client_cert: true } } },
    });
    const id = await addUser(s.rt, 'cert-partner', PW, { tlp: 'green', grants: { [IDS.private]: ['read'] } });
    await s.rt.stores.principals.setCertSubject(id, 'partner-a');
    const tls = s.config.server.tls!;
    // The same options src/cli.ts uses for `serve`.
    server = https.createServer(
      { cert: fs.readFileSync(tls.cert), key: fs.readFileSync(tls.key), ca: fs.readFileSync(tls.ca!), requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
      s.rt.app,
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function call(p: string, opts: https.RequestOptions = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string; protocol?: string }> {
    return new Promise((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port, path: p, ca: pem('server.crt'), headers: { Accept: TAXII, ...(opts.headers ?? {}) }, ...opts, agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, protocol: (res.socket as import('node:tls').TLSSocket).getProtocol?.() ?? undefined }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  test('When a client speaks TLS with Basic credentials, Then it is served, over TLS 1.2+, with HSTS', async () => {
    const r = await call('/taxii2/', { headers: { Accept: TAXII, Authorization: ADMIN_AUTH } });
    expect(r.status).toBe(200);
    expect(r.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(JSON.parse(r.body).api_roots).toHaveLength(2);
  });

  test('When a client offers only TLS 1.1, Then the handshake fails', async () => {
    await expect(call('/taxii2/', { maxVersion: 'TLSv1.1', minVersion: 'TLSv1' })).rejects.toThrow();
  });

  test('When a client presents a certificate from the CA mapped to a user, Then it is that user', async () => {
    const r = await call(`/api1/collections/${IDS.private}/`, { cert: pem('client.crt'), key: pem('client.key') });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ can_read: true, can_write: false });
  });

  test('When a client presents a self-signed certificate with a mapped CN, Then it is ignored (anonymous)', async () => {
    const r = await call(`/api1/collections/${IDS.private}/`, { cert: pem('rogue.crt'), key: pem('rogue.key') });
    expect(r.status).toBe(401);
  });

  test('When a writer posts over HTTPS, Then it works end to end', async () => {
    const r = await new Promise<number>((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', port, method: 'POST', path: `/api1/collections/${IDS.writable}/objects/`, ca: pem('server.crt'), agent: false, headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      req.on('error', reject);
      req.end(envelope([indicator(1)]));
    });
    expect(r).toBe(202);
  });
});
