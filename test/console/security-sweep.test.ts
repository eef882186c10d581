/**
 * The console under hostile input and changing access: asset names, sessions across sign-ins, Unicode
 * direction controls in STIX text, and what a partner learns of collections it may not read.
 * SQLite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { hashPassword } from '../../src/taxii/services/auth-service';
import { userPrincipalId } from '../../src/taxii/token-service';
import { ADMIN, IDS, indicator, startTestServer, type TestServer } from '../helpers/server';
import { reviewConfigDoc } from '../review/fixtures';
import { PASSWORD, seed, signIn, TLP_GREEN } from './helpers';

let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ doc: reviewConfigDoc() });
  const gina = await s.rt.stores.users.upsert({ username: 'gina', passwordHash: await hashPassword(PASSWORD), isAdmin: false, maxTlp: 'green' });
  await s.rt.stores.principals.grant(userPrincipalId(gina.id), IDS.private, { read: true, write: false, curate: false });
});
afterAll(() => s.close());

describe('assets', () => {
  test('When an asset is asked for by the name of an Object.prototype property, Then it is an unknown asset, not a 500', async () => {
    const unknown = await s.request().get('/console/assets/no-such-file.css');
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const r = await s.request().get(`/console/assets/${name}`);
      expect({ name, status: r.status }).toEqual({ name, status: unknown.status });
    }
    const { agent } = await signIn(s, 'gina');
    for (const name of ['__proto__', 'constructor']) {
      const r = await agent.get(`/console/assets/${name}`);
      expect({ name, status: r.status }).toEqual({ name, status: 404 });
    }
  });
});

/** The sign-in form's own token (a signed-in page also carries the sign-out form's). */
const signInToken = (html: string) => /action="\/console\/sign-in">\s*<input type="hidden" name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const sessionCookie = (cookies: string) => /taxii_console=([^;]+)/.exec(cookies)![1]!;

describe('sessions', () => {
  test('When someone signs in on a browser that holds another session, Then that session is ended on the server, not only replaced in the browser', async () => {
    const { agent } = await signIn(s, 'gina');
    const first = sessionCookie((await agent.get('/console/collections/')).request.cookies);
    const form = await agent.get('/console/sign-in');
    const r = await agent.post('/console/sign-in').type('form').send({ _csrf: signInToken(form.text), username: ADMIN.user, password: ADMIN.password });
    expect(r.status).toBe(303);
    const second = sessionCookie((await agent.get('/console/collections/')).request.cookies);
    expect(second).not.toBe(first);
    expect((await agent.get('/console/admin/')).status).toBe(200);
    const replay = await s.request().get('/console/collections/').set('Cookie', `taxii_console=${first}`);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toMatch(/^\/console\/sign-in/);
  });
});
