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

describe('sign-out', () => {
  test('When a user signs out, Then a copy of the old cookie replayed from elsewhere no longer opens pages (the session is gone on the server)', async () => {
    const { agent, csrf } = await signIn(s, 'gina');
    const id = sessionCookie((await agent.get('/console/collections/')).request.cookies);
    expect((await agent.post('/console/sign-out').type('form').send({ _csrf: csrf })).status).toBe(303);
    const replay = await s.request().get('/console/collections/').set('Cookie', `taxii_console=${id}`);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toMatch(/^\/console\/sign-in/);
  });

  test('When a sign-out is posted without the session token (from another site), Then it is refused and the session lives on', async () => {
    const { agent } = await signIn(s, 'gina');
    expect((await agent.post('/console/sign-out').type('form').send({})).status).toBe(403);
    expect((await agent.get('/console/collections/')).status).toBe(200);
  });
});

describe('sessions after a password change', () => {
  test('When a user\'s password is changed (set-password), Then its open console sessions end at once; the new password opens a new one', async () => {
    await s.rt.stores.users.upsert({ username: 'pete', passwordHash: await hashPassword(PASSWORD), isAdmin: false, maxTlp: 'green' });
    const { agent } = await signIn(s, 'pete');
    expect((await agent.get('/console/collections/')).status).toBe(200);
    // As the CLI's set-password does it: a new hash in the users row, nothing else.
    await s.rt.stores.users.setPasswordHash('pete', await hashPassword('a-new-password-42'));
    const r = await agent.get('/console/collections/');
    expect(r.status).toBe(303);
    expect(r.headers.location).toMatch(/^\/console\/sign-in/);
    expect((await signIn(s, 'pete', 'a-new-password-42')).csrf).toBeTruthy();
  });

  test('When the same password is set again with a new salt, Then the session ends too (the stored hash changed)', async () => {
    await s.rt.stores.users.upsert({ username: 'quinn', passwordHash: await hashPassword(PASSWORD), isAdmin: false, maxTlp: 'green' });
    const { agent } = await signIn(s, 'quinn');
    await s.rt.stores.users.setPasswordHash('quinn', await hashPassword(PASSWORD));
    expect((await agent.get('/console/collections/')).status).toBe(303);
  });
});

describe('Unicode direction controls', () => {
  const RLO = '\u202E';
  // Displayed as "invoice-exe.pdf" when the override is honoured; the JSON view would reverse the rest of its line too.
  const spoof = indicator(7001, { object_marking_refs: [TLP_GREEN], name: `invoice-${RLO}fdp.exe`, description: `first\u2067 isolate\u200F mark\u0007 bell`, labels: [`${RLO}lebal`] });
  /** Every character that changes the direction of the text around it, and the C0/C1 controls. */
  const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

  beforeAll(() => seed(s, 'private-feed', [spoof]));

  test('When STIX text carries direction overrides or control characters, Then every page shows them as visible \\u escapes, never raw', async () => {
    const { agent } = await signIn(s, 'gina');
    const base = `/console/collections/api1/${IDS.private}`;
    const pages = {
      list: await agent.get(`${base}/`),
      search: await agent.get(`${base}/?text=invoice`),
      object: await agent.get(`${base}/objects/${String(spoof.id)}`),
    };
    for (const [name, r] of Object.entries(pages)) {
      expect({ name, status: r.status }).toEqual({ name, status: 200 });
      expect({ name, raw: CONTROLS.exec(r.text)?.[0] }).toEqual({ name, raw: undefined });
      expect(r.text).toContain('invoice-\\u202efdp.exe');
    }
    // The JSON view stays JSON: the escapes are the JSON spelling of the same characters.
    const json = /<pre class="json"><code>([\s\S]*?)<\/code><\/pre>/.exec(pages.object.text)![1]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(JSON.parse(json)).toMatchObject({ name: spoof.name, description: spoof.description, labels: spoof.labels });
  });

  test('When a user name carries a direction override, Then the partner pages and the header show it escaped', async () => {
    await s.rt.stores.users.upsert({ username: `eve${RLO}nimda`, passwordHash: await hashPassword(PASSWORD), isAdmin: false, maxTlp: 'green' });
    const { agent } = await signIn(s, ADMIN.user, ADMIN.password);
    const r = await agent.get('/console/admin/');
    expect(r.status).toBe(200);
    expect(CONTROLS.exec(r.text)?.[0]).toBeUndefined();
    expect(r.text).toContain('eve\\u202enimda');
    const user = await agent.get(`/console/admin/users/${encodeURIComponent(`eve${RLO}nimda`)}`);
    expect(user.status).toBe(200);
    expect(CONTROLS.exec(user.text)?.[0]).toBeUndefined();
  });
});

describe('collections a partner may not see', () => {
  test('When a partner without any right on the review inbox opens the review page, Then it names no inbox: no id, no title, no error naming it', async () => {
    const { agent } = await signIn(s, 'gina');
    const r = await agent.get('/console/review/api1/');
    expect(r.status).toBe(200);
    expect(r.text).not.toContain(IDS.writable);
    expect(r.text).not.toMatch(/<option[^>]*>Inbox</);
    expect(r.text).toContain('No review inbox that you may see');
    // The collections page, as TAXII's collection list, leaves it out too.
    expect((await agent.get('/console/collections/')).text).not.toContain(IDS.writable);
  });
});

describe('hostile text stays text', () => {
  const SCRIPTY = `"><script>alert(1)</script><img src=x onerror=alert(2)>' onmouseover='alert(3)`;
  const hostile = indicator(7101, {
    object_marking_refs: [TLP_GREEN],
    name: SCRIPTY,
    description: `</code></pre></textarea>${SCRIPTY}`,
    labels: [SCRIPTY],
    pattern: `[url:value = '${SCRIPTY.replace(/'/g, '')}']`,
    external_references: [{ source_name: 'a', url: 'javascript:alert(4)' }, { source_name: 'b', url: 'data:text/html,<script>alert(5)</script>' }],
    x_custom_ref: `indicator--00000000-0000-4000-8000-00000000ffff${SCRIPTY}`,
  });
  /**
   * The first tag of a page that could run an attacker's code: a script (but the layout's own), an image or
   * frame, an event-handler attribute, or a javascript:/data: URL. Text is escaped, so every real tag comes from
   * a template; a string that broke out of its text or attribute would show up here.
   */
  const activeTag = (html: string) =>
    (html.match(/<[a-zA-Z][^>]*>/g) ?? []).find(
      (tag) => (/^<(script|img|iframe|object|embed)\b/i.test(tag) && tag !== '<script src="/console/assets/console.js" defer>') || /\son[a-z]+\s*=/i.test(tag) || /(href|src|action)\s*=\s*["']?\s*(javascript|data):/i.test(tag),
    );

  beforeAll(() => seed(s, 'private-feed', [hostile]));

  test('When a curator posts markup, quotes and script URLs in names, descriptions, labels, patterns, references and custom refs, Then no page carries them as markup', async () => {
    const { agent } = await signIn(s, 'gina');
    const base = `/console/collections/api1/${IDS.private}`;
    for (const path of [`${base}/`, `${base}/?text=alert`, `${base}/?type=indicator&tlp=green`, `${base}/objects/${String(hostile.id)}`]) {
      const r = await agent.get(path);
      expect({ path, status: r.status }).toEqual({ path, status: 200 });
      expect({ path, active: activeTag(r.text) }).toEqual({ path, active: undefined });
      expect(r.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  test('When user names, token names and audit details carry markup, Then the partner, user and audit pages show it as text', async () => {
    const name = `mal<script>x</script>"'`;
    await s.rt.stores.users.upsert({ username: name, passwordHash: await hashPassword(PASSWORD), isAdmin: false, maxTlp: 'green' });
    await s.rt.services.tokens.create({ name: `tok<img src=x onerror=alert(1)>` });
    await s.rt.services.audit.record(`actor<script>alert(1)</script>`, 'user.add', `target"><svg onload=alert(2)>`, { remoteAddr: '127.0.0.1', details: { note: '</code><script>alert(3)</script>' } });
    const { agent } = await signIn(s, ADMIN.user, ADMIN.password);
    for (const path of ['/console/admin/', `/console/admin/users/${encodeURIComponent(name)}`, '/console/admin/audit', `/console/admin/audit?text=${encodeURIComponent('<script>')}`]) {
      const r = await agent.get(path);
      expect({ path, status: r.status }).toEqual({ path, status: 200 });
      expect({ path, active: activeTag(r.text) }).toEqual({ path, active: undefined });
    }
  });

  test('When any page is served, Then it is not cached, not framed, and its policy allows no inline script', async () => {
    const { agent } = await signIn(s, 'gina');
    const r = await agent.get(`/console/collections/api1/${IDS.private}/objects/${String(hostile.id)}`);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['content-security-policy']).toMatch(/script-src 'self';/);
    expect(r.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(r.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
  });
});

describe('access changes reach an open session', () => {
  test('When a partner\'s grant is revoked or its clearance lowered, Then its next page shows it: the collection is a 404, a green object gone at TLP:CLEAR', async () => {
    const rita = await s.rt.stores.users.upsert({ username: 'rita', passwordHash: await hashPassword(PASSWORD), isAdmin: false, maxTlp: 'green' });
    await s.rt.stores.principals.grant(userPrincipalId(rita.id), IDS.private, { read: true, write: false, curate: false });
    const { agent } = await signIn(s, 'rita');
    const base = `/console/collections/api1/${IDS.private}`;
    const green = indicator(7201, { object_marking_refs: [TLP_GREEN], name: 'green for rita' });
    await seed(s, 'private-feed', [green]);
    expect((await agent.get(`${base}/objects/${String(green.id)}`)).status).toBe(200);
    await s.rt.stores.users.setMaxTlp('rita', 'clear');
    const lowered = await agent.get(`${base}/objects/${String(green.id)}`);
    expect(lowered.status).toBe(404);
    expect((await agent.get(`${base}/`)).text).not.toContain('green for rita');
    await s.rt.stores.principals.revoke(userPrincipalId(rita.id), IDS.private);
    expect((await agent.get(`${base}/`)).status).toBe(404);
    expect((await agent.get('/console/collections/')).text).not.toContain(IDS.private);
  });
});

describe('forms from nobody signed in', () => {
  test('When a form is posted without a session, Then the server reads at most a small body (16 KiB), not the upload limit', async () => {
    const big = `username=x&password=${'a'.repeat(64 * 1024)}`;
    const signInForm = await s.request().post('/console/sign-in').type('form').send(big);
    expect(signInForm.status).toBe(413);
    const elsewhere = await s.request().post(`/console/collections/api1/${IDS.private}/upload`).type('form').send(`bundle=${'a'.repeat(64 * 1024)}`);
    expect(elsewhere.status).toBe(413);
  });

  test('When a signed-in writer checks a bundle larger than 16 KiB, Then it is read as before', async () => {
    const erin = await s.rt.stores.users.upsert({ username: 'wendy', passwordHash: await hashPassword(PASSWORD), isAdmin: false, maxTlp: 'amber' });
    await s.rt.stores.principals.grant(userPrincipalId(erin.id), IDS.private, { read: true, write: true, curate: false });
    const { agent, csrf } = await signIn(s, 'wendy');
    const bundle = JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', objects: [indicator(7301, { description: 'x'.repeat(40 * 1024) })] });
    const r = await agent.post(`/console/collections/api1/${IDS.private}/upload`).type('form').send({ _csrf: csrf, action: 'check', bundle });
    expect(r.status).toBe(200);
    expect(r.text).toContain('1 valid, 0 rejected');
  });
});

describe('return-to after sign-in', () => {
  test('When the next parameter names another site or leaves the console, Then sign-in goes to the collections instead', async () => {
    for (const next of ['//evil.example/', 'https://evil.example/', '/console//evil.example/', '/console/\\evil.example', '/\\evil.example', 'javascript:alert(1)', '/console/\tx', '/api1/collections/']) {
      const agent = s.request();
      const form = await agent.get(`/console/sign-in?next=${encodeURIComponent(next)}`);
      expect(/name="next" value="([^"]*)"/.exec(form.text)?.[1]).toBe('/console/collections/');
      const r = await agent.post('/console/sign-in').type('form').send({ _csrf: signInToken(form.text), username: 'gina', password: PASSWORD, next });
      expect({ next, location: r.headers.location }).toEqual({ next, location: '/console/collections/' });
    }
  });
});
