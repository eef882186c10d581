/**
 * The console's answers to requests that are wrong in themselves (undecodable paths, forms the body parser
 * refuses, bodies cut off by the client): a 4xx HTML page, logged and counted as a client error, never a 500.
 * SQLite, and PostgreSQL with TEST_DATABASE_URL.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ADMIN, IDS, type TestServer } from '../helpers/server';
import { signIn, startConsoleServer } from './helpers';

let s: TestServer;
beforeAll(async () => {
  s = await startConsoleServer();
});
afterAll(() => s.close());

const FORM = 'application/x-www-form-urlencoded';
/** `n` form fields, each with a short value. */
const fields = (n: number) => Array.from({ length: n }, (_, i) => `f${i}=1`).join('&');

function expectErrorPage(r: { status: number; headers: Record<string, string>; text: string }, status: number, says: RegExp): void {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toMatch(/^text\/html/);
  expect(r.headers['content-security-policy']).toContain("default-src 'self'");
  expect(r.text).toMatch(/role="alert"/);
  expect(r.text).toMatch(says);
  expect(r.text).not.toMatch(/Server error/);
}

/** Requests counted in taxii_http_requests_total with this method and status, whatever their route label. */
async function requestCount(method: string, status: number): Promise<number> {
  const series = new RegExp(`^taxii_http_requests_total\\{method="${method}",route="[^"]*",status="${status}"\\} (\\d+)$`, 'gm');
  let n = 0;
  for (const m of (await s.rt.metrics.text()).matchAll(series)) n += Number(m[1]);
  return n;
}

describe('paths that are not valid percent-encoding', () => {
  test('When nobody is signed in and an asset path is undecodable, Then the console answers 400 with its own page', async () => {
    for (const bad of ['%ff', '%', '%C0%AF']) {
      expectErrorPage(await s.request().get(`/console/assets/${bad}`), 400, /percent-encoding/);
    }
  });

  test('When a signed-in user opens pages whose path segments are undecodable, Then each is a 400 page, not a 500', async () => {
    const { agent } = await signIn(s, ADMIN.user, ADMIN.password);
    const paths = [
      ...['%ff', '%', '%C0%AF'].map((bad) => `/console/collections/api1/private-feed/objects/${bad}`),
      '/console/collections/api1/%ff/',
      '/console/collections/%ff/private-feed/',
      `/console/collections/api1/${IDS.writable}/objects/%ff`,
      '/console/review/api1/%ff',
      '/console/review/%ff/',
      '/console/admin/users/%ff',
    ];
    for (const path of paths) {
      const r = await agent.get(path);
      try {
        expectErrorPage(r, 400, /percent-encoding/);
      } catch (e) {
        throw new Error(`GET ${path}: ${(e as Error).message}`);
      }
    }
  });

  test('When a signed-in user posts a form to an undecodable path, Then it is a 400 page', async () => {
    const { agent, csrf } = await signIn(s, ADMIN.user, ADMIN.password);
    expectErrorPage(await agent.post('/console/admin/users/%ff/disable').type('form').send({ _csrf: csrf }), 400, /percent-encoding/);
  });
});

describe('forms the body parser refuses', () => {
  test('When the sign-in form carries more than 20 fields, Then the answer is 413 with a page that says the form has too many fields', async () => {
    const r = await s.request().post('/console/sign-in').set('Content-Type', FORM).send(fields(21));
    expectErrorPage(r, 413, /too many fields/i);
  });

  test('When a signed-in user uploads a form with more than 20 fields, Then the answer is 413 with the same page', async () => {
    const { agent, csrf } = await signIn(s, 'erin');
    const r = await agent.post(`/console/collections/api1/${IDS.writable}/upload`).set('Content-Type', FORM).send(`_csrf=${encodeURIComponent(csrf)}&${fields(21)}`);
    expectErrorPage(r, 413, /too many fields/i);
  });

  test('When a form is larger than the console accepts, Then the answer is 413 and says so', async () => {
    const limit = Math.max(...s.config.apiRoots.map((a) => a.maxContentLength), 1024) * 3 + 4096;
    const r = await s.request().post('/console/sign-in').set('Content-Type', FORM).send(`bundle=${'a'.repeat(limit + 1)}`);
    expectErrorPage(r, 413, /larger than/i);
  });

  test('When a form names a charset the server cannot decode, Then the answer is 415 and names the charset problem', async () => {
    const r = await s.request().post('/console/sign-in').set('Content-Type', `${FORM}; charset=klingon`).send('a=1');
    expectErrorPage(r, 415, /charset/i);
  });

  test('When a form is compressed in an unknown encoding, or its gzip is corrupt, Then the answer is 415 or 400, not 500', async () => {
    const unknown = await s.request().post('/console/sign-in').set('Content-Type', FORM).set('Content-Encoding', 'x-unknown').send('a=1');
    expect(unknown.status).toBe(415);
    expect(unknown.text).toMatch(/encoding/i);
    const corrupt = gzipSync(Buffer.from('a=1')).subarray(0, 12);
    const broken = await s.request().post('/console/sign-in').set('Content-Type', FORM).set('Content-Encoding', 'gzip').send(Buffer.concat([corrupt, Buffer.from('not gzip at all')]));
    expect(broken.status).toBe(400);
    expect(broken.text).not.toMatch(/Server error/);
  });
});

describe('forms the client cuts off', () => {
  /**
   * A server of its own over the same app, so the test can see when the form parser has started to read
   * the body: only then does closing the connection abort a body being read.
   */
  async function abortMidBody(path: string, headers: Record<string, string> = {}): Promise<void> {
    const server = http.createServer(s.rt.app);
    const reading = new Promise<void>((resolve) => {
      server.on('request', (req: http.IncomingMessage) => {
        const poll = () => (req.listenerCount('data') > 0 ? resolve() : setImmediate(poll));
        poll();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
      const head = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', `Content-Type: ${FORM}`, 'Content-Length: 1000', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      socket.write(`${head.join('\r\n')}\r\n\r\nusername=bob&pass`);
      await reading;
      socket.destroy();
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }

  async function until(check: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the aborted request was never counted');
  }

  test('When a client aborts the sign-in form mid-body, Then the request is counted as a 400, not a 5xx', async () => {
    const before = { client: await requestCount('POST', 400), server: await requestCount('POST', 500) };
    await abortMidBody('/console/sign-in');
    await until(async () => (await requestCount('POST', 400)) > before.client || (await requestCount('POST', 500)) > before.server);
    expect(await requestCount('POST', 400)).toBe(before.client + 1);
    expect(await requestCount('POST', 500)).toBe(before.server);
  });

  test('When a signed-in client aborts an upload mid-body, Then it is counted as a 400, not a 5xx', async () => {
    const { agent } = await signIn(s, 'erin');
    // The session cookie the agent holds, for a request written by hand.
    const jar = (agent as unknown as { jar: { getCookies(o: unknown): Array<{ name: string; value: string }> } }).jar;
    const cookie = jar
      .getCookies({ domain: '127.0.0.1', path: '/console/', secure: false, script: false })
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    expect(cookie).toContain('taxii_console=');
    const before = { client: await requestCount('POST', 400), server: await requestCount('POST', 500) };
    await abortMidBody(`/console/collections/api1/${IDS.writable}/upload`, { Cookie: cookie });
    await until(async () => (await requestCount('POST', 400)) > before.client || (await requestCount('POST', 500)) > before.server);
    expect(await requestCount('POST', 400)).toBe(before.client + 1);
    expect(await requestCount('POST', 500)).toBe(before.server);
  });
});

describe('the database out of reach', () => {
  test('When a page’s query finds the database unavailable, Then the console answers 503 with Retry-After and says so, not a 500', async () => {
    const { agent } = await signIn(s, ADMIN.user, ADMIN.password);
    const objects = s.rt.stores.objects;
    const original = objects.countVisibleByType;
    objects.countVisibleByType = async () => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    };
    try {
      const r = await agent.get(`/console/collections/api1/${IDS.writable}/`);
      expect(r.status).toBe(503);
      expect(r.headers['retry-after']).toMatch(/^\d+$/);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.text).toMatch(/database is not available right now/);
      expect(r.text).not.toMatch(/Server error/);
    } finally {
      objects.countVisibleByType = original;
    }
    expect((await agent.get(`/console/collections/api1/${IDS.writable}/`)).status).toBe(200);
  });
});
