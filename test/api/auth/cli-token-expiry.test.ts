/** token create --expires is range-checked before anything is stored; token list shows any stored expiry. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { registerAdminCommands } from '../../../src/cli/admin-commands';
import { startTestServer, testConfigDoc, type TestServer } from '../../helpers/server';
import { runCli, type CliResult } from '../../helpers/cli-runner';

let s: TestServer;
let dir: string;

const cli = (args: string[]): Promise<CliResult> =>
  runCli(registerAdminCommands, args, { env: { TAXII_CONFIG: path.join(dir, 'config.json'), DATABASE_URL: s.databaseUrl } });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-token-expiry-'));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(testConfigDoc()));
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('When --expires is beyond what a date can hold, Then token create exits 2 with one line naming the accepted form and range, and stores nothing', async () => {
  for (const expires of ['99999999d', '999999999999999999999999w', '10000000000000m']) {
    const r = await cli(['token', 'create', 'far-future', '--expires', expires]);
    expect({ expires, code: r.code, out: r.out }).toEqual({ expires, code: 2, out: [] });
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toBe(
      `error: --expires "${expires}" is too far ahead: give an ISO date (2026-12-31, 2026-12-31T12:00:00Z) or a duration (90m, 12h, 30d, 2w) ending by 9999-12-31, or leave --expires out for a token that never expires`,
    );
  }
  expect(await s.rt.stores.principals.findTokenByName('far-future')).toBeUndefined();
  expect(await cli(['token', 'list'])).toMatchObject({ code: 0, out: ['no tokens'] });
  expect((await cli(['audit', 'list'])).out.join('\n')).not.toContain('token.create');
});

test('When --expires is the last day accepted, Then the token is created and listed with that expiry', async () => {
  const r = await cli(['token', 'create', 'last-day', '--expires', '9999-12-31']);
  expect(r.code).toBe(0);
  expect(r.err.join('\n')).toContain('expires 9999-12-31T00:00:00.000Z');
  expect((await cli(['token', 'list'])).out.join('\n')).toMatch(/^last-day\t.*\texpires 9999-12-31T00:00:00\.000Z\tlast used -\tactive$/m);
});

test('When a stored token has an expiry no date can hold, Then token list still lists every token and shows that expiry readably', async () => {
  await s.rt.stores.principals.createToken({ name: 'odd-row', tokenHash: 'x'.repeat(64), hint: 'taxii_odd', expiresAtMs: 9_000_000_000_000_000 });
  const r = await cli(['token', 'list']);
  expect(r).toMatchObject({ code: 0, err: [] });
  expect(r.out).toHaveLength(2);
  expect(r.out.join('\n')).toMatch(/^odd-row\ttaxii_odd…\tstandalone\t.*\texpires 9000000000000000 \(not a valid time\)\tlast used -\tactive$/m);
  expect(r.out.join('\n')).toMatch(/^last-day\t/m);
});
