/** Request logs (docs/operations.md): one line per request with the documented fields, and never a credential. */
import { Writable } from 'node:stream';
import pino from 'pino';
import { ADMIN, ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    cb();
  },
});

let s: TestServer;
let token = '';
const WRONG_PASSWORD = 'Wrong-Password-Never-Logged-77';
const COOKIE = 'session=Cookie-Secret-Never-Logged-55';
const FAKE_TOKEN = 'taxii_' + 'Q'.repeat(43);

beforeAll(async () => {
  s = await startTestServer({ runtime: { log: pino({ level: 'trace' }, sink), processMetrics: false }, doc: undefined });
  const admin = await s.rt.stores.users.findByName(ADMIN.user);
  token = (await s.rt.services.tokens.create({ name: 'siem', userId: admin!.id })).secret;
});
afterAll(() => s.close());

const requestLines = () => lines.map((l) => JSON.parse(l)).filter((l) => l.route !== undefined && l.request_id !== undefined);

describe('request log lines', () => {
  test('When requests of every kind are made, Then each gets exactly one line with method, route, status, duration, bytes, principal, request id and remote address, and no credential appears in any log line', async () => {
    const before = requestLines().length;
    const made: Array<{ id: string; status: number; route: string; method: string; principal: string | null; bytes: number }> = [];
    const track = async (method: string, route: string, r: Promise<{ status: number; headers: Record<string, string>; text: string }>, principal: string | null) => {
      const res = await r;
      made.push({ id: res.headers['x-request-id']!, status: res.status, route, method, principal, bytes: Buffer.byteLength(res.text ?? '') });
    };
    const adminId = (await s.rt.stores.users.findByName(ADMIN.user))!.id;
    const C = `/api1/collections/${IDS.writable}`;
    await track('GET', '/taxii2/', s.request().get('/taxii2/').set('Accept', TAXII), 'anonymous');
    await track('GET', '/{root}/collections/', s.request().get('/api1/collections/').set({ Accept: TAXII, Authorization: ADMIN_AUTH }), `user:${adminId}`);
    await track('GET', '/{root}/collections/{id}/objects/', s.request().get(`${C}/objects/?limit=5`).set({ Accept: TAXII, Authorization: `Bearer ${token}` }), `user:${adminId}`);
    await track('GET', '/{root}/collections/', s.request().get('/api1/collections/').set({ Accept: TAXII, Authorization: basic('', token), Cookie: COOKIE }), `user:${adminId}`);
    await track('GET', '/{root}/collections/', s.request().get('/api1/collections/').set({ Accept: TAXII, Authorization: basic(ADMIN.user, WRONG_PASSWORD) }), null);
    await track('GET', '/{root}/collections/', s.request().get('/api1/collections/').set({ Accept: TAXII, Authorization: `Bearer ${FAKE_TOKEN}` }), null);
    await track(
      'POST',
      '/{root}/collections/{id}/objects/',
      s.request().post(`${C}/objects/`).set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH }).send(envelope([indicator(1)])),
      `user:${adminId}`,
    );
    await track(
      'POST',
      '/{root}/collections/{id}/objects/',
      s.request().post(`/empty/collections/${IDS.writable}/objects/`).set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH }).send('x'.repeat(5000)),
      `user:${adminId}`,
    );
    await track('GET', 'other', s.request().get('/no/such/thing/here/at/all/').set('Accept', TAXII), 'anonymous');
    await track('GET', '/healthz', s.request().get('/healthz'), null);

    const logged = requestLines().slice(before);
    expect(logged).toHaveLength(made.length);
    for (const m of made) {
      const mine = logged.filter((l) => l.request_id === m.id);
      expect(mine).toHaveLength(1);
      const l = mine[0];
      expect(l).toMatchObject({ method: m.method, route: m.route, status: m.status, principal: m.principal, bytes: m.bytes });
      expect(typeof l.duration_ms).toBe('number');
      // The documented fields and pino's own, nothing else (no request, response or header object).
      const documented = ['level', 'time', 'pid', 'hostname', 'msg', 'request_id', 'method', 'route', 'path', 'status', 'duration_ms', 'bytes', 'principal', 'remote_addr', 'auth_failure', 'aborted'];
      expect(Object.keys(l).filter((k) => !documented.includes(k))).toEqual([]);
      expect(l.remote_addr).toMatch(/127\.0\.0\.1|::1/);
      expect(l.level).toBe(m.status === 401 ? 40 : m.status >= 500 ? 50 : m.route === '/healthz' ? 20 : 30);
      if (m.status === 401) expect(l.auth_failure).toMatch(/^(basic|bearer)$/);
    }
    expect(made.filter((m) => m.status === 401)).toHaveLength(2);
    expect(made.some((m) => m.status === 413 || m.status === 404)).toBe(true);

    const all = lines.join('\n');
    const secrets = [
      ADMIN.password,
      WRONG_PASSWORD,
      token,
      FAKE_TOKEN,
      COOKIE,
      'Cookie-Secret-Never-Logged-55',
      ADMIN_AUTH,
      ADMIN_AUTH.slice('Basic '.length),
      basic(ADMIN.user, WRONG_PASSWORD).slice('Basic '.length),
      basic('', token).slice('Basic '.length),
    ];
    for (const secret of secrets) expect(all).not.toContain(secret);
    expect(all.toLowerCase()).not.toContain('authorization');
    expect(all.toLowerCase()).not.toContain('cookie');
  });
});
