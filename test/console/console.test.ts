/** The web console in process (supertest): sessions, CSRF, headers, escaping and access. SQLite, and PostgreSQL with TEST_DATABASE_URL. */
import supertest from 'supertest';
import { ExportService } from '../../src/exports/export-service';
import { buildApp } from '../../src/app';
import { buildConfig } from '../../src/config/config';
import { ConsoleSessions } from '../../src/console/sessions';
import { PartnerAdmin } from '../../src/console/partners';
import { CollectionSummaries } from '../../src/console/collection-summary';
import { ObjectSearch } from '../../src/console/object-search';
import { SessionStore } from '../../src/store/session-store';
import { IDS, indicator, TAXII, testConfigDoc, type TestServer } from '../helpers/server';
import { amber, csrfOf, green, PASSWORD, seed, signIn, startConsoleServer, TLP_GREEN } from './helpers';

let s: TestServer;
/** TLP:GREEN: the green indicator is related to the amber one. */
const RELATED = {
  type: 'relationship',
  spec_version: '2.1',
  id: 'relationship--00000000-0000-4000-8000-0000000000bb',
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  relationship_type: 'indicates-same-actor-as',
  source_ref: green(2).id,
  target_ref: amber(1).id,
  object_marking_refs: [TLP_GREEN],
};
beforeAll(async () => {
  s = await startConsoleServer();
  await seed(s, 'private-feed', [amber(1), green(2), indicator(3, { name: '<img src=x onerror=alert(1)>', description: `"quoted" 'single' <script>alert(2)</script>` }), RELATED]);
});
afterAll(() => s.close());

describe('sessions', () => {
  test('When nobody is signed in, Then console pages redirect to the sign-in form', async () => {
    const r = await s.request().get('/console/collections/');
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/console/sign-in?next=%2Fconsole%2Fcollections%2F');
  });

  test('When a user signs in, Then the session cookie is opaque, HttpOnly, SameSite=Strict and scoped to /console, and not Secure over plain HTTP', async () => {
    const agent = s.request();
    const form = await agent.get('/console/sign-in');
    const r = await agent.post('/console/sign-in').type('form').send({ _csrf: csrfOf(form.text), username: 'bob', password: PASSWORD });
    expect(r.status).toBe(303);
    const cookie = ([] as string[]).concat(r.headers['set-cookie'] ?? []).find((c) => c.startsWith('taxii_console='))!;
    expect(cookie).toMatch(/^taxii_console=[A-Za-z0-9_-]{43}; Path=\/console; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain('bob');
    const page = await agent.get('/console/collections/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Signed in as <strong>bob</strong>');
  });

  test('When behind HTTPS (a proxy the server trusts says so), Then the cookies are Secure', async () => {
    const config = buildConfig({ ...testConfigDoc(), server: { ...(testConfigDoc().server as object), trust_proxy: 'loopback' } }, { DATABASE_URL: s.databaseUrl });
    const sessions = new ConsoleSessions(s.rt.services.auth, { findUserById: (id) => s.rt.stores.principals.findUserById(id), findByName: (n) => s.rt.stores.users.findByName(n) }, new SessionStore(s.rt.db), { idleMs: 60_000 });
    const app = buildApp({ ...s.rt.services, config, log: s.rt.log, health: async () => true, exports: new ExportService(s.rt.services.collections, s.rt.stores.objects), readiness: s.rt.health, metrics: s.rt.metrics, changes: s.rt.changes, webhooks: s.rt.webhooks.service, console: { sessions, partners: new PartnerAdmin(config, s.rt.stores.users, s.rt.stores.principals, s.rt.services.tokens, s.rt.services.audit), summaries: new CollectionSummaries(s.rt.services.collections, s.rt.stores.objects), search: new ObjectSearch(s.rt.services.collections, s.rt.stores.objects) } });
    const form = await supertest(app).get('/console/sign-in').set('X-Forwarded-Proto', 'https');
    const signInCookie = ([] as string[]).concat(form.headers['set-cookie'] ?? []).join();
    expect(signInCookie).toMatch(/taxii_console_signin=[^;]+; Path=\/console; HttpOnly; SameSite=Strict; Secure/);
    // A cookie jar keeps Secure cookies off plain HTTP; the proxy in front would have carried it over HTTPS.
    const r = await supertest(app).post('/console/sign-in').set('X-Forwarded-Proto', 'https').set('Cookie', signInCookie.split(';')[0]!).type('form').send({ _csrf: csrfOf(form.text), username: 'bob', password: PASSWORD });
    expect(r.status).toBe(303);
    expect(([] as string[]).concat(r.headers['set-cookie'] ?? []).find((c) => c.startsWith('taxii_console='))).toMatch(/; Secure$/);
  });

  test('When the password is wrong, Then the form says so with 401 and no session; after too many failures the throttle answers 429', async () => {
    const agent = s.request();
    for (let i = 0; i < 30; i++) {
      const form = await agent.get('/console/sign-in');
      const r = await agent.post('/console/sign-in').type('form').send({ _csrf: csrfOf(form.text), username: 'mallory', password: 'wrong' });
      expect([401, 429]).toContain(r.status);
      expect(([] as string[]).concat(r.headers['set-cookie'] ?? []).some((c) => /^taxii_console=[^;]+;/.test(c))).toBe(false);
      if (r.status === 429) {
        expect(r.text).toMatch(/Too many failed logins/);
        return;
      }
      expect(r.text).toContain('The user name or password is wrong');
    }
    throw new Error('the failed-login throttle never answered 429');
  });

  test('When an API token is typed as the password, Then no session is opened', async () => {
    const { secret } = await s.rt.services.tokens.create({ name: 'console-token-test' });
    const agent = s.request();
    const form = await agent.get('/console/sign-in');
    const r = await agent.post('/console/sign-in').type('form').send({ _csrf: csrfOf(form.text), username: 'x', password: secret });
    expect(r.status).toBe(401);
  });

  test('When the user signs out, Then the old cookie no longer opens pages', async () => {
    const { agent, csrf } = await signIn(s, 'carol');
    expect((await agent.post('/console/sign-out').type('form').send({ _csrf: csrf })).status).toBe(303);
    expect((await agent.get('/console/collections/')).status).toBe(303);
  });

  test('When a session is idle longer than the setting, Then it is over', async () => {
    let now = Date.now();
    const sessions = new ConsoleSessions(s.rt.services.auth, { findUserById: (id) => s.rt.stores.principals.findUserById(id), findByName: (n) => s.rt.stores.users.findByName(n) }, new SessionStore(s.rt.db), { idleMs: 30 * 60_000, now: () => now });
    const { id } = await sessions.signIn('carol', PASSWORD);
    now += 29 * 60_000;
    expect((await sessions.resume(id))?.principal.name).toBe('carol');
    now += 29 * 60_000;
    expect((await sessions.resume(id))?.principal.name).toBe('carol');
    now += 31 * 60_000;
    expect(await sessions.resume(id)).toBeUndefined();
  });

  test('When the user is disabled, Then its open session stops working at once', async () => {
    const { agent } = await signIn(s, 'carol');
    await s.rt.stores.users.setDisabled('carol', true);
    try {
      expect((await agent.get('/console/collections/')).status).toBe(303);
    } finally {
      await s.rt.stores.users.setDisabled('carol', false);
    }
  });
});

describe('CSRF and headers', () => {
  test('When a form is posted without the session token, or with another, Then it is refused with 403 and nothing is stored', async () => {
    const { agent } = await signIn(s, 'erin');
    const bundle = JSON.stringify({ objects: [indicator(900)] });
    const none = await agent.post(`/console/collections/api1/${IDS.writable}/upload`).type('form').send({ bundle });
    expect(none.status).toBe(403);
    expect(none.text).toContain('did not carry the token of your session');
    const other = await agent.post(`/console/collections/api1/${IDS.writable}/upload`).type('form').send({ bundle, _csrf: 'x'.repeat(43) });
    expect(other.status).toBe(403);
    const inbox = await s.request().get(`/api1/collections/inbox/objects/?match[id]=${indicator(900).id}`).set('Accept', TAXII).set('Authorization', `Basic ${Buffer.from(`erin:${PASSWORD}`).toString('base64')}`);
    expect(inbox.text).toBe('{}');
  });

  test('When a bundle is only checked, Then each object gets the validator verdict and nothing is stored', async () => {
    const { agent, csrf } = await signIn(s, 'erin');
    const bundle = JSON.stringify({ objects: [indicator(910), indicator(911, { pattern: '[ipv4-addr:value = ' })] });
    const r = await agent.post(`/console/collections/api1/${IDS.writable}/upload`).type('form').send({ _csrf: csrf, bundle, action: 'check' });
    expect(r.status).toBe(200);
    expect(r.text).toContain('1 valid, 1 rejected; nothing stored');
    expect(r.text).toMatch(/<tr class="rejected"><td><code>indicator--00000000-0000-4000-8000-00000000038f<\/code>[\s\S]*?rejected: /);
    expect(r.text).toContain(bundle.replace(/"/g, '&quot;').slice(0, 40));
    const inbox = await s.request().get(`/api1/collections/inbox/objects/?match[id]=${indicator(910).id}`).set('Accept', TAXII).set('Authorization', `Basic ${Buffer.from(`erin:${PASSWORD}`).toString('base64')}`);
    expect(inbox.text).toBe('{}');
  });

  test('When the sign-in form is posted without its token, Then it is refused', async () => {
    const r = await s.request().post('/console/sign-in').type('form').send({ username: 'bob', password: PASSWORD });
    expect(r.status).toBe(403);
  });

  test('When any console page is served, Then its Content-Security-Policy forbids inline script and framing', async () => {
    const { agent } = await signIn(s, 'bob');
    for (const path of ['/console/sign-in', '/console/collections/', `/console/collections/api1/${IDS.private}/`]) {
      const r = await agent.get(path);
      const csp = r.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(r.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
    const css = await s.request().get('/console/assets/pico.min.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
  });
});

describe('escaping and access', () => {
  test('When an object is named with markup and quotes, Then list and object pages show it as text', async () => {
    const { agent } = await signIn(s, 'bob');
    const list = await agent.get(`/console/collections/api1/${IDS.private}/`);
    expect(list.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(list.text).not.toContain('<img src=x');
    const page = await agent.get(`/console/collections/api1/${IDS.private}/objects/${indicator(3).id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>alert(2)');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(page.text).toContain('\\&quot;quoted\\&quot; &#39;single&#39;');
  });

  test('When a TLP:GREEN partner browses, Then no amber object appears in lists, and an amber object page is a 404', async () => {
    const { agent } = await signIn(s, 'gina');
    const list = await agent.get(`/console/collections/api1/${IDS.private}/`);
    expect(list.status).toBe(200);
    expect(list.text).toContain('green indicator 2');
    expect(list.text).not.toContain('amber indicator');
    expect(list.text).not.toContain(amber(1).id as string);
    const page = await agent.get(`/console/collections/api1/${IDS.private}/objects/${amber(1).id}`);
    expect(page.status).toBe(404);
    expect(page.text).not.toContain('amber indicator');
  });

  test('When a TLP:GREEN partner opens a collection, Then its counts per type and latest additions leave out what is above its clearance', async () => {
    const counts = (html: string) => [...html.matchAll(/<tr><td><a href="[^"]+\?type=([^"]+)">[^<]+<\/a><\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => [m[1], Number(m[2])]);
    const gina = await (await signIn(s, 'gina')).agent.get(`/console/collections/api1/${IDS.private}/`);
    expect(counts(gina.text)).toEqual([['indicator', 1], ['relationship', 1]]);
    const latest = /<ul class="latest">([\s\S]*?)<\/ul>/.exec(gina.text)![1]!;
    expect(latest).toContain('green indicator 2');
    expect(latest).not.toContain('amber');
    const bob = await (await signIn(s, 'bob')).agent.get(`/console/collections/api1/${IDS.private}/`);
    expect(counts(bob.text)).toEqual([['indicator', 3], ['relationship', 1]]);
  });

  test('When a user searches objects by text and TLP, Then matches come within its clearance, case-insensitively, with % taken literally', async () => {
    const rows = (html: string) => [...html.matchAll(/<td><a href="[^"]+\/objects\/([^"]+)">/g)].map((m) => decodeURIComponent(m[1]!));
    const bob = (await signIn(s, 'bob')).agent;
    expect(rows((await bob.get(`/console/collections/api1/${IDS.private}/?text=INDICATOR%202`)).text)).toEqual([green(2).id]);
    expect(rows((await bob.get(`/console/collections/api1/${IDS.private}/?tlp=amber`)).text).sort()).toEqual([amber(1).id, indicator(3).id].sort());
    expect(rows((await bob.get(`/console/collections/api1/${IDS.private}/?text=${encodeURIComponent('%')}`)).text)).toEqual([]);
    const gina = (await signIn(s, 'gina')).agent;
    expect(rows((await gina.get(`/console/collections/api1/${IDS.private}/?text=amber`)).text)).toEqual([]);
    expect(rows((await gina.get(`/console/collections/api1/${IDS.private}/?tlp=amber`)).text)).toEqual([]);
    expect(rows((await gina.get(`/console/collections/api1/${IDS.private}/?text=indicator`)).text)).toEqual([green(2).id, RELATED.id]);
    expect((await gina.get(`/console/collections/api1/${IDS.private}/?tlp=purple`)).status).toBe(400);
  });

  test('When a search has more matches than a page, Then the next link continues after the last one without repeats', async () => {
    await seed(s, 'public-feed', Array.from({ length: 55 }, (_, i) => indicator(1000 + i, { name: `paged needle ${i}` })));
    const bob = (await signIn(s, 'bob')).agent;
    const seen: string[] = [];
    let path: string | undefined = `/console/collections/api1/${IDS.public}/?text=needle`;
    while (path) {
      const r = await bob.get(path);
      const table = /<table class="objects">([\s\S]*?)<\/table>/.exec(r.text)![1]!;
      seen.push(...[...table.matchAll(/>paged needle (\d+)</g)].map((m) => m[1]!));
      path = /<a href="([^"]+)" rel="next">/.exec(r.text)?.[1]?.replace(/&amp;/g, '&');
    }
    expect(seen).toEqual(Array.from({ length: 55 }, (_, i) => String(i)));
  });

  test('When an object has relationships, Then its page draws its neighbourhood with names the reader may see, and names nothing above its clearance', async () => {
    const bob = (await signIn(s, 'bob')).agent;
    const page = await bob.get(`/console/collections/api1/${IDS.private}/objects/${green(2).id}`);
    const svg = /<svg[\s\S]*?<\/svg>/.exec(page.text)![0];
    expect(svg).toContain('amber indicator 1');
    expect(svg).toContain('indicates-same-actor-as');
    expect(svg).not.toContain('<script');
    const target = await bob.get(`/console/collections/api1/${IDS.private}/objects/${amber(1).id}`);
    expect(/<ul class="refs-in">([\s\S]*?)<\/ul>/.exec(target.text)![1]).toContain(RELATED.id);
    const gina = (await signIn(s, 'gina')).agent;
    const seen = await gina.get(`/console/collections/api1/${IDS.private}/objects/${green(2).id}`);
    expect(seen.status).toBe(200);
    expect(seen.text).toContain('indicates-same-actor-as');
    expect(seen.text).not.toContain('amber indicator');
  });

  test('When a partner opens a collection it has no grant for, Then it is not listed and its page is a 404', async () => {
    const { agent } = await signIn(s, 'gina');
    const list = await agent.get('/console/collections/');
    expect(list.text).toContain('Private feed');
    expect(list.text).not.toContain(IDS.writable);
    expect((await agent.get(`/console/collections/api1/${IDS.writable}/`)).status).toBe(404);
    expect((await agent.get(`/console/collections/api1/${IDS.writable}/upload`)).status).toBe(404);
  });

  test('When the console is switched off, Then /console/ is not served', async () => {
    const config = buildConfig({ ...testConfigDoc(), console: { enabled: false } }, { DATABASE_URL: s.databaseUrl });
    expect(config.console.enabled).toBe(false);
    const sessions = new ConsoleSessions(s.rt.services.auth, { findUserById: (id) => s.rt.stores.principals.findUserById(id) }, new SessionStore(s.rt.db), { idleMs: 60_000 });
    const app = buildApp({ ...s.rt.services, config, log: s.rt.log, health: async () => true, exports: new ExportService(s.rt.services.collections, s.rt.stores.objects), readiness: s.rt.health, metrics: s.rt.metrics, changes: s.rt.changes, webhooks: s.rt.webhooks.service, console: { sessions, partners: new PartnerAdmin(config, s.rt.stores.users, s.rt.stores.principals, s.rt.services.tokens, s.rt.services.audit), summaries: new CollectionSummaries(s.rt.services.collections, s.rt.stores.objects), search: new ObjectSearch(s.rt.services.collections, s.rt.stores.objects) } });
    const r = await supertest(app).get('/console/sign-in').set('Accept', TAXII);
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe(TAXII);
    expect(() => buildConfig({ ...testConfigDoc(), console: { idle_minutes: 0 } }, { DATABASE_URL: 'x.sqlite3' })).toThrow(/idle_minutes/);
  });
});
