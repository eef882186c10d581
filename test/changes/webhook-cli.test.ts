/** The webhook commands: add (as a user, with that user's clearance), list, replay, remove, readable failures. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { registerWebhookCommands } from '../../src/cli/webhook-commands';
import { tlpRank } from '../../src/domain/tlp';
import { addUser } from '../api/auth/fixtures';
import { ADMIN_AUTH, IDS, startTestServer, TAXII, testConfigDoc, type TestServer } from '../helpers/server';
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

test('When a webhook command gets bad input, Then it exits 2 with one line naming the argument or option to fix, never an API member', async () => {
  const cases: Array<[string[], string]> = [
    [['webhook', 'add', 'no-such-collection', 'https://x.example/'], 'error: no collection "no-such-collection" is configured; the configured ones are: public-feed, private-feed, inbox'],
    [['webhook', 'add', 'inbox', 'ftp://x.example/'], 'error: <url> must be an absolute http or https URL without credentials, e.g. https://siem.example/hooks/taxii.'],
    [['webhook', 'add', 'inbox', 'https://user:pw@x.example/'], 'error: <url> must be an absolute http or https URL without credentials, e.g. https://siem.example/hooks/taxii.'],
    [['webhook', 'add', 'inbox', 'https://127.0.0.1/hook'], 'error: <url>: 127.0.0.1 is not a public address (loopback, private, link-local or reserved); webhooks may not deliver there unless changes.webhook_allow_networks lists its network.'],
    [['webhook', 'add', 'inbox', 'https://x.example/', '--secret', 'short'], 'error: --secret, when given, is a string of 16-256 characters; leave it out to get a generated one.'],
    [['webhook', 'add', 'inbox', 'https://x.example/', '--type', 'indicator,'], 'error: --type is a comma-separated list of STIX type names, e.g. indicator,malware.'],
    [['webhook', 'add', 'inbox', 'https://x.example/', '--type', 'Indicator'], 'error: --type is a comma-separated list of STIX type names, e.g. indicator,malware.'],
    [['webhook', 'add', 'inbox', 'https://x.example/', '--from', 'yesterday'], 'error: --from is an RFC 3339 timestamp: deliveries start with the changes after it.'],
    [['webhook', 'add', 'inbox', 'https://x.example/', '--as', 'nobody'], 'error: no active user "nobody" (see: user list)'],
    [['webhook', 'add', 'private-feed', 'https://x.example/', '--as', 'green-reader'], 'error: user "green-reader" may not read private-feed; grant it with: grant green-reader private-feed read'],
    [['webhook', 'replay', 'missing', '--from', 'yesterday'], 'error: --from "yesterday" is not an RFC 3339 timestamp, e.g. 2026-12-01T00:00:00Z'],
    [['webhook', 'replay', 'missing', '--from', '2026-01-01T00:00:00Z'], 'error: no webhook missing (see: webhook list)'],
    [['webhook', 'remove', 'missing'], 'error: no webhook missing (see: webhook list)'],
  ];
  for (const [args, err] of cases) {
    const r = await cli(args);
    expect({ args, code: r.code, out: r.out, err: r.err }).toEqual({ args, code: 2, out: [], err: [err] });
  }
  expect((await cli(['webhook', 'list'])).out).toEqual(['no webhooks']);
  // The extension endpoint keeps naming its JSON members.
  const api = await s
    .request()
    .post(`/api1/collections/${IDS.writable}/webhooks/`)
    .set('Accept', TAXII)
    .set('Content-Type', TAXII)
    .set('Authorization', ADMIN_AUTH)
    .send(JSON.stringify({ url: 'https://x.example/', match_type: ['Indicator'] }));
  expect(api.status).toBe(400);
  expect(JSON.parse(api.text).description).toBe('match_type is a list of STIX type names, e.g. ["indicator"].');
});

test('When the configuration cannot be read, Then a webhook command exits 2 (as every command) with one line', async () => {
  const r = await cli(['webhook', 'list'], path.join(dir, 'no-such-config.json'));
  expect(r.code).toBe(2);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toMatch(/^error: .*no-such-config\.json/);
});

test('When a replay would start behind deletion events retention removed, Then it exits 2 naming the full resync, and a replay from the start is accepted', async () => {
  const add = await cli(['webhook', 'add', 'inbox', 'https://siem.example/retention-hook']);
  const id = JSON.parse(add.out[0]!).id as string;
  await s.rt.db.knex('changes_pruned').insert({ collection_id: IDS.writable, pruned_through_us: Date.UTC(2026, 5, 1) * 1000 }).onConflict('collection_id').merge();
  const behind = await cli(['webhook', 'replay', id, '--from', '2026-01-01T00:00:00Z']);
  expect(behind.code).toBe(2);
  expect(behind.err.join('')).toMatch(/^error: --from 2026-01-01T00:00:00\.000000Z is behind deletion events that retention removed \(up to 2026-06-01T00:00:00\.000000Z\); replay from 1970-01-01T00:00:00Z for a full resync/);
  const full = await cli(['webhook', 'replay', id, '--from', '1970-01-01T00:00:00Z']);
  expect(full.code).toBe(0);
  expect((await s.rt.stores.webhooks.get(id))!.prunedUs).toBe(Date.UTC(2026, 5, 1) * 1000);
  await cli(['webhook', 'remove', id]);
});
