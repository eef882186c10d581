import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import knexFactory from 'knex';
import pino from 'pino';
import { registerAdminCommands, type AdminIo } from '../../../src/cli/admin-commands';
import { withDefaultUser } from '../../../src/store/db';
import { ADMIN, basic, envelope, IDS, indicator, startTestServer, TAXII, testConfigDoc, type TestServer } from '../../helpers/server';
import { runCli, type CliResult } from '../../helpers/cli-runner';

/** Everything pino writes during this file, at trace level, from the server and from the CLI. */
const logLines: string[] = [];
const logStream = new Writable({
  write(chunk, _enc, cb) {
    logLines.push(String(chunk));
    cb();
  },
});
const log = pino({ level: 'trace' }, logStream);

let s: TestServer;
let dir: string;
const PASSWORD = 'Partner-Secret-Pw-42';
let token = '';

const cli = (args: string[], extra: Partial<AdminIo> = {}): Promise<CliResult> =>
  runCli(registerAdminCommands, args, { env: { TAXII_CONFIG: path.join(dir, 'config.json'), DATABASE_URL: s.databaseUrl }, readStdin: async () => `${PASSWORD}\n`, log, ...extra });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-cli-'));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(testConfigDoc()));
  s = await startTestServer({ runtime: { log } });
});
afterAll(async () => {
  await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('setting up a partner from the command line (docs/access-control.md)', () => {
  test('When user add reads the password from stdin, Then the user exists with its clearance', async () => {
    const r = await cli(['user', 'add', 'partner-a', '--password-stdin', '--tlp', 'green']);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/created user partner-a .*TLP:GREEN/);
    const l = await cli(['user', 'list']);
    expect(l.out.join('\n')).toMatch(/partner-a\tuser\tTLP:GREEN\tenabled/);
  });

  test('When the partner is granted read on one collection, Then it reads it and nothing else', async () => {
    expect((await cli(['grant', 'partner-a', 'private-feed', 'read'])).code).toBe(0);
    const auth = basic('partner-a', PASSWORD);
    const list = await s.request().get('/api1/collections/').set('Accept', TAXII).set('Authorization', auth);
    expect(JSON.parse(list.text).collections.map((c: any) => c.id).sort()).toEqual([IDS.public, IDS.private].sort());
    const post = await s.request().post(`/api1/collections/${IDS.private}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', auth).send(envelope([indicator(1)]));
    expect(post.status).toBe(403);
  });

  test('When a token is created, Then it is printed once on stdout and works as Bearer', async () => {
    const r = await cli(['token', 'create', 'partner-a-siem', '--user', 'partner-a', '--expires', '30d']);
    expect(r.code).toBe(0);
    token = r.out[0]!;
    expect(token).toMatch(/^taxii_[A-Za-z0-9_-]{43}$/);
    const ok = await s.request().get(`/api1/collections/${IDS.private}/objects/`).set('Accept', TAXII).set('Authorization', `Bearer ${token}`);
    expect(ok.status).toBe(200);
    const tl = await cli(['token', 'list']);
    expect(tl.out.join('\n')).not.toContain(token);
    expect(tl.out.join('\n')).toMatch(/partner-a-siem\ttaxii_.{4}…\tuser partner-a/);
  });

  test('When commands fail, Then a readable error and a non-zero status', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['user', 'add', 'partner-a', '--password-stdin'], /already exists/],
      [['user', 'add', 'short', '--password', 'x'], /at least 8 characters/],
      [['user', 'add', 'nopw'], /no password given/],
      [['grant', 'partner-a', 'no-such-collection', 'read'], /no collection "no-such-collection".*public-feed/],
      [['grant', 'nobody', 'private-feed', 'read'], /no user or token named "nobody"/],
      [['revoke', 'partner-a', 'inbox'], /has no grant/],
      [['token', 'create', 'x', '--expires', 'soon'], /--expires "soon"/],
      [['token', 'revoke', 'missing'], /no active token/],
      [['user', 'disable', 'missing'], /no user "missing"/],
      [['audit', 'list', '--limit', 'many'], /--limit must be a positive integer/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.err.join('\n')).toMatch(message);
    }
    const bad = await cli(['grant', 'partner-a', 'private-feed', 'admin']);
    expect(bad.code).not.toBe(0);
    expect(bad.err.join('')).toMatch(/Allowed choices are read, write/);
  });

  test('When help is asked for, Then every command describes itself', async () => {
    for (const args of [['user', 'add'], ['user', 'list'], ['user', 'disable'], ['user', 'enable'], ['user', 'set-password'], ['user', 'set-clearance'], ['token', 'create'], ['token', 'list'], ['token', 'revoke'], ['grant'], ['revoke'], ['audit', 'list']]) {
      const r = await cli([...args, '--help']);
      expect(r.out.join('')).toMatch(/^Usage: /);
    }
  });

  test('When writes, deletes and access changes happen, Then audit list shows who, what and from where', async () => {
    const auth = basic(ADMIN.user, ADMIN.password);
    const obj = indicator(7);
    const post = await s.request().post(`/api1/collections/${IDS.writable}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', auth).send(envelope([obj]));
    const statusId = JSON.parse(post.text).id;
    await s.request().delete(`/api1/collections/${IDS.writable}/objects/${obj.id}/`).set('Accept', TAXII).set('Authorization', auth);
    await cli(['token', 'revoke', 'partner-a-siem']);
    await cli(['revoke', 'partner-a', 'private-feed', 'read']);
    const r = await cli(['audit', 'list', '--since', '1h', '--limit', '20']);
    const text = r.out.join('\n');
    expect(text).toMatch(new RegExp(`admin \\(user:[^)]+\\)\\tobjects\\.add\\tapi1/collections/${IDS.writable}\\t(::ffff:)?127\\.0\\.0\\.1\\t.*"status_id":"${statusId}".*"succeeded":1`));
    expect(text).toMatch(/object\.delete\tapi1\/collections\/.*\/objects\/indicator--.*"versions_removed":1/);
    for (const action of ['user.add', 'grant', 'token.create', 'token.revoke', 'revoke']) expect(text).toContain(`\t${action}\t`);
    expect((await cli(['audit', 'list', '--limit', '1'])).out).toHaveLength(1);
  });

  test('When the user is disabled from the command line, Then its token and password stop working', async () => {
    expect((await cli(['user', 'disable', 'partner-a'])).code).toBe(0);
    const r = await s.request().get('/taxii2/').set('Accept', TAXII).set('Authorization', basic('partner-a', PASSWORD));
    expect(r.status).toBe(401);
  });

  test('When the user is enabled again, Then its password works again and user list says so', async () => {
    expect((await cli(['user', 'enable', 'partner-a'])).code).toBe(0);
    expect((await s.request().get('/taxii2/').set('Accept', TAXII).set('Authorization', basic('partner-a', PASSWORD))).status).toBe(200);
    expect((await cli(['user', 'list'])).out.join('\n')).toMatch(/partner-a\tuser\tTLP:GREEN\tenabled/);
  });

  test('When a new password is set, Then the old one is refused on the next request (even just after it was accepted) and the new one works', async () => {
    const old = basic('partner-a', PASSWORD);
    expect((await s.request().get('/taxii2/').set('Accept', TAXII).set('Authorization', old)).status).toBe(200);
    const NEW = 'Partner-New-Secret-77';
    const r = await cli(['user', 'set-password', 'partner-a', '--password-stdin'], { readStdin: async () => `${NEW}\n` });
    expect(r.code).toBe(0);
    expect((await s.request().get('/taxii2/').set('Accept', TAXII).set('Authorization', old)).status).toBe(401);
    expect((await s.request().get('/taxii2/').set('Accept', TAXII).set('Authorization', basic('partner-a', NEW))).status).toBe(200);
    // Back to the first password, for the tests that follow.
    expect((await cli(['user', 'set-password', 'partner-a', '--password-stdin'])).code).toBe(0);
    const bad = await cli(['user', 'set-password', 'partner-a', '--password', 'short']);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toMatch(/at least 8 characters/);
    const missing = await cli(['user', 'set-password', 'nobody', '--password-stdin']);
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toMatch(/no user "nobody"/);
  });

  test('When the clearance is changed, Then the next request sees that TLP level and no other', async () => {
    const AMBER = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82';
    const amberObj = indicator(8801, { object_marking_refs: [AMBER] });
    const post = await s.request().post(`/api1/collections/${IDS.private}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', basic(ADMIN.user, ADMIN.password)).send(envelope([amberObj]));
    expect(post.status).toBe(202);
    // The audit test above took the grant away; the collection must be readable for TLP to be what decides.
    expect((await cli(['grant', 'partner-a', 'private-feed', 'read'])).code).toBe(0);
    const read = () => s.request().get(`/api1/collections/${IDS.private}/objects/${amberObj.id}/`).set('Accept', TAXII).set('Authorization', basic('partner-a', PASSWORD));
    const hidden = await read();
    expect(hidden.status).toBe(404);
    expect(JSON.parse(hidden.text).description).toContain(`no object ${amberObj.id}`);
    expect((await cli(['user', 'set-clearance', 'partner-a', 'amber'])).code).toBe(0);
    expect((await read()).status).toBe(200);
    expect((await cli(['user', 'set-clearance', 'partner-a', 'green'])).code).toBe(0);
    expect((await read()).status).toBe(404);
    const bad = await cli(['user', 'set-clearance', 'partner-a', 'purple']);
    expect(bad.code).not.toBe(0);
    expect(bad.err.join('')).toMatch(/Allowed choices are clear, green, amber, amber\+strict, red/);
    const admin = await cli(['user', 'set-clearance', ADMIN.user, 'clear']);
    expect(admin.code).toBe(2);
    expect(admin.err.join('\n')).toMatch(/is an administrator/);
    // A token of the administrator limited to TLP:GREEN keeps that limit.
    const t = await cli(['token', 'create', 'admin-green', '--user', ADMIN.user, '--tlp', 'green']);
    expect(t.code).toBe(0);
    const asToken = (id: string) => s.request().get(`/api1/collections/${IDS.private}/objects/${id}/`).set('Accept', TAXII).set('Authorization', `Bearer ${t.out[0]}`);
    expect((await asToken(amberObj.id as string)).status).toBe(404);
    const greenObj = indicator(8802, { object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'] });
    await s.request().post(`/api1/collections/${IDS.private}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', basic(ADMIN.user, ADMIN.password)).send(envelope([greenObj]));
    expect((await asToken(greenObj.id as string)).status).toBe(200);
    const audit = (await cli(['audit', 'list', '--limit', '50'])).out.join('\n');
    for (const action of ['user.enable', 'user.set-password', 'user.set-clearance']) expect(audit).toContain(`\t${action}\tpartner-a`);
  });
});

describe('secrets at rest and in logs', () => {
  test('When logins, token use and CLI user/token creation have happened, Then no password or token is in the logs or in any table', async () => {
    // One more failing login and a failing token, so that the error paths have logged too.
    await s.request().get('/taxii2/').set('Accept', TAXII).set('Authorization', basic(ADMIN.user, `${PASSWORD}-wrong`));
    await s.request().get('/taxii2/').set('Accept', TAXII).set('Authorization', `Token ${token}x`);
    const secrets = [PASSWORD, ADMIN.password, token, Buffer.from(`partner-a:${PASSWORD}`).toString('base64'), token.slice(10)];
    expect(token).not.toBe('');
    expect(logLines.length).toBeGreaterThan(0);
    const logs = logLines.join('');
    for (const secret of secrets) expect(logs).not.toContain(secret);

    const pg = /^postgres/.test(s.databaseUrl);
    const knex = pg
      ? knexFactory({ client: 'pg', connection: withDefaultUser(s.databaseUrl) })
      : knexFactory({ client: 'better-sqlite3', connection: { filename: s.databaseUrl }, useNullAsDefault: true });
    try {
      const tables: string[] = pg
        ? (await knex.raw("select table_name as name from information_schema.tables where table_schema = 'public'")).rows.map((r: any) => r.name)
        : (await knex.raw("select name from sqlite_master where type = 'table'")).map((r: any) => r.name);
      expect(tables).toEqual(expect.arrayContaining(['users', 'api_tokens', 'grants', 'audit_log']));
      for (const t of tables) {
        const dump = JSON.stringify(await knex(t).select('*'));
        for (const secret of secrets) expect({ table: t, leaked: dump.includes(secret) }).toEqual({ table: t, leaked: false });
      }
    } finally {
      await knex.destroy();
    }
  });
});
