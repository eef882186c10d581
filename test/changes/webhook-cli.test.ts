/** The webhook commands: add (as a user, with that user's clearance), list, replay, remove, readable failures. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { registerWebhookCommands } from '../../src/cli/webhook-commands';
import { tlpRank } from '../../src/domain/tlp';
import { addUser } from '../api/auth/fixtures';
import { IDS, startTestServer, testConfigDoc, type TestServer } from '../helpers/server';
import { runCli, type CliResult } from '../helpers/cli-runner';

let s: TestServer;
let dir: string;

const cli = (args: string[], configFile = path.join(dir, 'config.json')): Promise<CliResult> =>
  runCli(registerWebhookCommands, args, { env: { TAXII_CONFIG: configFile, DATABASE_URL: s.databaseUrl } });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-webhook-cli-'));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(testConfigDoc()));
  s = await startTestServer();
  await addUser(s.rt, 'green-reader', 'green-password-1', { tlp: 'green', grants: { [IDS.writable]: ['read'] } });
});
afterAll(async () => {
  await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('When a webhook is added as a user, Then it carries that user\'s clearance, is listed, can be replayed and removed', async () => {
  const add = await cli(['webhook', 'add', 'inbox', 'https://siem.example/hook', '--as', 'green-reader', '--type', 'indicator']);
  expect(add.code).toBe(0);
  const created = JSON.parse(add.out[0]!);
  expect(created.secret.length).toBeGreaterThanOrEqual(16);
  expect(created.match_type).toEqual(['indicator']);
  const stored = (await s.rt.stores.webhooks.get(created.id))!;
  expect(stored.visibility?.maxTlp).toBe(tlpRank('green'));

  expect((await cli(['webhook', 'list'])).out.join('\n')).toContain(`${created.id}\t${IDS.writable}\thttps://siem.example/hook\tactive`);
  const replay = await cli(['webhook', 'replay', created.id, '--from', '2026-01-01T00:00:00Z']);
  expect(replay.out).toEqual([`webhook ${created.id} delivers again from 2026-01-01T00:00:00.000000Z`]);
  expect((await s.rt.stores.webhooks.get(created.id))!.positionUs).toBe(Date.UTC(2026, 0, 1) * 1000);
  expect((await cli(['webhook', 'remove', created.id])).code).toBe(0);
  expect((await cli(['webhook', 'list'])).out).toEqual(['no webhooks']);
});

test('When a webhook command fails, Then it exits non-zero with one readable line', async () => {
  for (const args of [
    ['webhook', 'add', 'no-such-collection', 'https://x.example/'],
    ['webhook', 'add', 'inbox', 'ftp://x.example/'],
    ['webhook', 'add', 'inbox', 'https://x.example/', '--as', 'nobody'],
    ['webhook', 'replay', 'missing', '--from', 'yesterday'],
    ['webhook', 'remove', 'missing'],
  ]) {
    const r = await cli(args);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^error: /);
  }
});

test('When the configuration cannot be read, Then a webhook command exits 2 (as every command) with one line', async () => {
  const r = await cli(['webhook', 'list'], path.join(dir, 'no-such-config.json'));
  expect(r.code).toBe(2);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toMatch(/^error: .*no-such-config\.json/);
});
