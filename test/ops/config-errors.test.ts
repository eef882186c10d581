/**
 * A setting that cannot work ends the command at once with one line naming it and exit status 2, never a
 * stack trace or a hang. Run as a process (src/cli.ts), with a time limit so that a hang fails.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../src/config/config';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const CLI = ['-r', path.join(ROOT, 'test/integration/support/swc-register.js'), path.join(ROOT, 'src/cli.ts')];

let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-config-errors-'));
  fs.chmodSync(work, 0o755);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  err: string;
}

/** Runs the command line with only these variables (and PATH/HOME); killed after 20 s. */
function cli(args: string[], env: Record<string, string>, uid?: number): Run {
  const r = spawnSync(process.execPath, [...CLI, ...args], {
    cwd: work,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TAXII_SEED: 'false', ...env },
    encoding: 'utf8',
    timeout: 20_000,
    killSignal: 'SIGKILL',
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  return { code: r.status, signal: r.signal, err: r.stderr };
}

function expectOneLine(r: Run, ...patterns: RegExp[]): void {
  expect(r.signal).toBeNull();
  expect(r.code).toBe(2);
  const lines = r.err.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  for (const p of patterns) expect(lines[0]).toMatch(p);
  expect(lines[0]).not.toMatch(/TAXII_DEBUG/);
}

function file(name: string, text: string): string {
  const f = path.join(work, name);
  fs.writeFileSync(f, text);
  return f;
}

const DEFAULT_CONFIG = fs.readFileSync(path.join(ROOT, 'config/default.yaml'), 'utf8');

describe('the database setting', () => {
  test.each([
    ['migrate', 'sqlite:///proc/taxii-nowhere/taxii.db', /cannot create the folder \/proc\/taxii-nowhere \(ENOENT/],
    ['serve', '/proc/taxii-nowhere/a/taxii.db', /cannot create the folder \/proc\/taxii-nowhere \(ENOENT/],
    ['migrate', '/etc/hostname/x.db', /\/etc\/hostname is not a folder/],
    ['serve', '/etc/hostname/x.db', /\/etc\/hostname is not a folder/],
  ])('When `%s` gets DATABASE_URL=%s whose folder cannot be made, Then it ends at once with one line naming DATABASE_URL and why', (command, url, why) => {
    expectOneLine(cli([command], { DATABASE_URL: url }), /DATABASE_URL/, why);
  });

  test('When TAXII_DATA_DIR is a folder that cannot be made, Then the line names TAXII_DATA_DIR', () => {
    expectOneLine(cli(['migrate'], { TAXII_DATA_DIR: '/proc/taxii-nowhere' }), /TAXII_DATA_DIR/, /cannot create the folder \/proc\/taxii-nowhere/);
  });

  test('When DATABASE_URL names a folder, Then it is refused as not a database file', () => {
    expectOneLine(cli(['migrate'], { DATABASE_URL: work }), /DATABASE_URL/, /is a folder, not a SQLite database file/);
  });

  test('When the folder of DATABASE_URL is not writable by the user running the command, Then the line says so', () => {
    const locked = path.join(work, 'locked');
    fs.mkdirSync(locked);
    fs.chmodSync(locked, 0o555);
    const url = path.join(locked, 'sub', 'taxii.db');
    const message = new RegExp(`the folder ${locked} is not writable \\(EACCES`);
    // root writes anywhere: run as nobody, when nobody can read this checkout.
    const uid = process.getuid?.() === 0 ? 65534 : undefined;
    const nobodyReads = uid === undefined || spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(path.join(ROOT, 'src/cli.ts'))})`], { uid, gid: uid }).status === 0;
    if (nobodyReads) return expectOneLine(cli(['migrate'], { DATABASE_URL: url }, uid), /DATABASE_URL/, message);
    // A checkout only root can read (a private temporary folder): the permission check is made to answer for
    // that folder what it answers a user without write permission, and the configuration is loaded afresh.
    const realFs = jest.requireActual<typeof fs>('node:fs');
    const access = realFs.accessSync;
    const spy = jest.spyOn(realFs, 'accessSync').mockImplementation((p: fs.PathLike, mode?: number) => {
      if (path.resolve(String(p)) === locked && mode !== undefined && (mode & realFs.constants.W_OK) !== 0) {
        throw Object.assign(new Error(`EACCES: permission denied, access '${locked}'`), { code: 'EACCES', syscall: 'access', path: locked });
      }
      return access(p, mode);
    });
    try {
      jest.isolateModules(() => {
        const fresh = jest.requireActual<typeof import('../../src/config/config')>('../../src/config/config');
        expect(() => fresh.loadConfig({ DATABASE_URL: url })).toThrow(message);
      });
    } finally {
      spy.mockRestore();
    }
  });

  test.each(['mysql://user:secret@db/taxii', 'file:///tmp/taxii.db', 'http://example.com/x', 'redis://cache'])('When DATABASE_URL=%s has a scheme the server does not speak, Then it is refused with the forms accepted', (url) => {
    const r = cli(['migrate'], { DATABASE_URL: url });
    expectOneLine(r, /DATABASE_URL/, /unknown scheme/, /a SQLite file path \(optionally prefixed sqlite: or sqlite:\/\/\), :memory:, or a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(r.err).not.toMatch(/secret/);
    expect(fs.readdirSync(work).filter((f) => f.endsWith(':'))).toEqual([]);
  });

  test.each([
    ['', /DATABASE_URL is empty: unset it to use the default/],
    ['sqlite:', /DATABASE_URL "sqlite:" names no file/],
    ['postgres://[nope', /DATABASE_URL postgres:\/\/\[nope is not a valid PostgreSQL URL/],
  ])('When DATABASE_URL=%j names no database, Then it is refused', (url, why) => {
    expectOneLine(cli(['migrate'], { DATABASE_URL: url }), why);
  });

  test('When the configuration file has database.url with an unknown scheme, Then the line names the key and the file', () => {
    const f = file('mysql.yaml', `${DEFAULT_CONFIG}\ndatabase:\n  url: mysql://db/taxii\n`);
    expectOneLine(cli(['migrate'], { TAXII_CONFIG: f }), /mysql\.yaml: database\.url mysql:\/\/db\/taxii: /, /unknown scheme "mysql:\/\/"/);
  });

  test.each([
    (dir: string) => path.join(dir, 'plain', 'taxii.db'),
    (dir: string) => `sqlite:${path.join(dir, 'prefixed', 'taxii.db')}`,
    (dir: string) => `sqlite://${path.join(dir, 'slashes', 'taxii.db')}`,
    () => ':memory:',
    () => 'sqlite::memory:',
  ])('When DATABASE_URL is an accepted SQLite form (%#), Then migrate works', (url) => {
    const r = spawnSync(process.execPath, [...CLI, 'migrate'], { cwd: work, env: { PATH: process.env.PATH, DATABASE_URL: url(work) }, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.status).toBe(0);
  });

  test('When createDb is called directly with a folder under /proc, Then it throws a ConfigError at once instead of looping', () => {
    // In a child process: a regression spins synchronously, which no test time-out could interrupt here.
    const script = `
      const { ConfigError } = require('./src/config/config');
      const { createDb } = require('./src/store/db');
      for (const [url, setting] of [['/proc/taxii-nowhere/x/taxii.db'], ['/proc/taxii-nowhere/x/taxii.db', 'database.url'], ['mysql://db/x']]) {
        try { createDb({ url, setting }); console.log('opened ' + url); } catch (e) { console.log((e instanceof ConfigError ? 'ConfigError: ' : 'other: ') + e.message); }
      }`;
    const r = spawnSync(process.execPath, ['-r', CLI[1]!, '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
    expect(r.signal).toBeNull();
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      'ConfigError: DATABASE_URL /proc/taxii-nowhere/x/taxii.db: cannot create the folder /proc/taxii-nowhere (ENOENT: no such file or directory)',
      'ConfigError: database.url /proc/taxii-nowhere/x/taxii.db: cannot create the folder /proc/taxii-nowhere (ENOENT: no such file or directory)',
      expect.stringMatching(/^ConfigError: DATABASE_URL mysql:\/\/db\/x: unknown scheme "mysql:\/\/"/),
    ]);
  });
});

describe('TLS settings', () => {
  let pem: string;
  beforeAll(() => {
    pem = file('any.pem', 'not checked here: serve reads it\n');
  });

  test.each([
    [{ TAXII_TLS_CERT: 'CERT' }, /TAXII_TLS_CERT is set without TAXII_TLS_KEY/],
    [{ TAXII_TLS_KEY: 'CERT' }, /TAXII_TLS_KEY is set without TAXII_TLS_CERT/],
    [{ TAXII_TLS_CA: 'CERT' }, /TAXII_TLS_CA is set without TAXII_TLS_CERT and TAXII_TLS_KEY/],
  ])('When only part of the TLS variables is set (%j), Then serve refuses instead of serving plain HTTP', (vars, why) => {
    const env = Object.fromEntries(Object.entries(vars).map(([k]) => [k, pem]));
    expectOneLine(cli(['serve'], { DATABASE_URL: ':memory:', PORT: '0', ...env }), why);
  });

  test('When a TLS file does not exist or is a folder, Then the line names the variable and the path', () => {
    expectOneLine(cli(['serve'], { DATABASE_URL: ':memory:', PORT: '0', TAXII_TLS_CERT: pem, TAXII_TLS_KEY: '/nonexistent/server.key' }), /TAXII_TLS_KEY \/nonexistent\/server\.key: cannot be read \(ENOENT/);
    expect(() => loadConfig({ DATABASE_URL: ':memory:', TAXII_TLS_CERT: pem, TAXII_TLS_KEY: pem, TAXII_TLS_CA: work })).toThrow(`TAXII_TLS_CA ${work}: is not a file`);
  });

  test('When the configuration file names a TLS key that does not exist, Then the line names server.tls.key and the file', () => {
    const f = file('tls.yaml', DEFAULT_CONFIG.replace(/^server:\n/m, `server:\n  tls:\n    cert: ${pem}\n    key: /nonexistent/server.key\n`));
    expectOneLine(cli(['migrate'], { DATABASE_URL: ':memory:', TAXII_CONFIG: f }), /tls\.yaml: server\.tls\.key \/nonexistent\/server\.key: cannot be read/);
  });

  test('When the file has server.tls and the TLS variables are set too, Then the variables win, as every variable overrides the file', () => {
    const f = file('tls-both.yaml', DEFAULT_CONFIG.replace(/^server:\n/m, `server:\n  tls:\n    cert: /nonexistent/file.crt\n    key: /nonexistent/file.key\n`));
    expect(loadConfig({ DATABASE_URL: ':memory:', TAXII_CONFIG: f, TAXII_TLS_CERT: pem, TAXII_TLS_KEY: pem }).server.tls).toEqual({ cert: pem, key: pem, ca: undefined, requestClientCert: false });
    expect(() => loadConfig({ DATABASE_URL: ':memory:', TAXII_CONFIG: f, TAXII_TLS_CERT: pem })).toThrow('TAXII_TLS_CERT is set without TAXII_TLS_KEY');
  });

  test('When both TLS variables name readable files, Then the configuration has HTTPS', () => {
    expect(loadConfig({ DATABASE_URL: ':memory:', TAXII_TLS_CERT: pem, TAXII_TLS_KEY: pem }).server.tls).toEqual({ cert: pem, key: pem, ca: undefined, requestClientCert: false });
  });
});

describe('the configuration file', () => {
  test('When it is not valid YAML, Then one line names the file and the line of the mistake', () => {
    const f = file('broken.yaml', 'server:\n  title: [unclosed\napi_roots: []\n');
    expectOneLine(cli(['migrate'], { DATABASE_URL: ':memory:', TAXII_CONFIG: f }), /the configuration file .*broken\.yaml is not valid YAML: .* at line \d+, column \d+$/);
  });

  test('When it has a key twice, Then one line says so', () => {
    const f = file('twice.yaml', `${DEFAULT_CONFIG}\nserver:\n  title: again\n`);
    expectOneLine(cli(['migrate'], { DATABASE_URL: ':memory:', TAXII_CONFIG: f }), /twice\.yaml is not valid YAML: Map keys must be unique/);
  });

  test('When it breaks the schema in several places, Then every problem is on the one line', () => {
    const f = file('schema.yaml', 'server:\n  default_limit: 0\n  colour: blue\napi_roots: []\n');
    expectOneLine(cli(['migrate'], { DATABASE_URL: ':memory:', TAXII_CONFIG: f }), /the configuration file .*schema\.yaml is invalid: /, /\/server: unknown key "colour"; /, /\/server\/default_limit: must be >= 1; /, /\/api_roots: /);
  });

  test.each([
    ['empty.yaml', ''],
    ['comments.yaml', '# nothing here yet\n'],
  ])('When it is empty (%s), Then it is refused, naming the file and what it must hold', (name, text) => {
    const f = file(name, text);
    expectOneLine(cli(['migrate'], { DATABASE_URL: ':memory:', TAXII_CONFIG: f }), new RegExp(`the configuration file .*${name.replace('.', '\\.')} is empty: it must hold at least api_roots \\(see config\\/default\\.yaml\\), or unset TAXII_CONFIG to use the default$`));
  });

  test('When TAXII_CONFIG names a folder, Then one line says it cannot be read', () => {
    expectOneLine(cli(['migrate'], { DATABASE_URL: ':memory:', TAXII_CONFIG: work }), /cannot read the configuration file .* \(TAXII_CONFIG\): EISDIR/);
  });
});
