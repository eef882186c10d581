/** user add --no-password without a certificate: a user that only API tokens created for it authenticate. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { registerAdminCommands } from '../../../src/cli/admin-commands';
import { basic, IDS, startTestServer, TAXII, testConfigDoc, type TestServer } from '../../helpers/server';
import { runCli, type CliResult } from '../../helpers/cli-runner';

let s: TestServer;
let dir: string;

const cli = (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
  runCli(registerAdminCommands, args, { env: { TAXII_CONFIG: path.join(dir, 'config.json'), DATABASE_URL: s.databaseUrl, ...env }, readStdin: async () => 'some-password-1\n' });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-tokens-only-'));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(testConfigDoc()));
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const objects = (authorization: string) => s.request().get(`/api1/collections/${IDS.private}/objects/`).set('Accept', TAXII).set('Authorization', authorization);

test('When a user is added with --no-password and no certificate, Then a token created for it authenticates as it and no password does', async () => {
  // TAXII_USER_PASSWORD is ignored with --no-password: it must not become the user's password.
  const add = await cli(['user', 'add', 'siem-only', '--no-password', '--tlp', 'green'], { TAXII_USER_PASSWORD: 'env-password-1' });
  expect(add).toMatchObject({ code: 0, err: [] });
  expect(add.out).toEqual([
    'created user siem-only (clearance TLP:GREEN); grant it collections with: grant siem-only <collection> read',
    'siem-only has no password and no certificate: it authenticates only with tokens, e.g. token create <name> --user siem-only',
  ]);
  expect((await cli(['grant', 'siem-only', 'private-feed', 'read'])).code).toBe(0);
  const created = await cli(['token', 'create', 'siem-only-poller', '--user', 'siem-only']);
  expect(created.code).toBe(0);
  const token = created.out[0]!;

  expect((await objects(`Bearer ${token}`)).status).toBe(200);
  // As an API key in the Basic password slot, as SIEM connectors send it.
  expect((await objects(basic('siem-only', token))).status).toBe(200);
  for (const password of ['', '!', 'env-password-1', 'some-password-1', 'undefined', 'null']) {
    expect({ password, status: (await objects(basic('siem-only', password))).status }).toEqual({ password, status: 401 });
  }
  expect((await s.request().get('/taxii2/').set('Accept', TAXII).set('Authorization', basic('siem-only', ''))).status).toBe(401);

  // Disabling the user stops its tokens, as for any user.
  expect((await cli(['user', 'disable', 'siem-only'])).code).toBe(0);
  expect((await objects(`Bearer ${token}`)).status).toBe(401);
});

test('When --no-password is given with --password-stdin, Then user add refuses with one line and exit 2 and creates nobody', async () => {
  const r = await cli(['user', 'add', 'confused', '--no-password', '--password-stdin']);
  expect(r).toMatchObject({ code: 2, err: ['error: --no-password and --password-stdin contradict each other; give one of them'] });
  expect(await s.rt.stores.users.findByName('confused')).toBeUndefined();
});

test('When user add --help is read, Then --no-password says how such a user authenticates', async () => {
  const help = (await cli(['user', 'add', '--help'])).out.join('');
  expect(help.replace(/\s+/g, ' ')).toContain('--no-password no password at all: the user authenticates only with its client certificate (--cert-subject) or with API tokens created for it (token create <name> --user <username>)');
});
