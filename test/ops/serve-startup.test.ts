/**
 * `serve` that cannot start ends with one line naming the setting to change and exit status 2, with or
 * without --workers: a port in use, an address not of this machine, TLS files that cannot be used.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADMIN_AUTH, TAXII } from '../helpers/server';
import { serverEnv, startServerProcess, stopAllServerProcesses, writeTestConfig } from '../integration/support/processes';

const ROOT = path.resolve(__dirname, '../..');
let dir: string;
let config: string;
let taken: net.Server;
let takenPort: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-serve-'));
  config = writeTestConfig();
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.crt', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1');
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.crt', '-days', '1', '-subj', '/CN=other');
  fs.writeFileSync(path.join(dir, 'garbage.pem'), 'not a certificate\n');
  taken = net.createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  takenPort = (taken.address() as net.AddressInfo).port;
}, 30_000);

afterAll(async () => {
  taken.close();
  await stopAllServerProcesses();
});

/** Runs `serve` to its end (a start that hangs fails the test by its timeout). */
function serve(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stderr: string[] }> {
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'test/integration/support/swc-register.js'), path.join(ROOT, 'src/cli.ts'), 'serve', ...args], {
    cwd: ROOT,
    env: serverEnv(path.join(dir, `db-${Math.random().toString(36).slice(2)}.sqlite3`), config, env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr: stderr.split('\n').filter(Boolean) })));
}

const pem = (name: string) => path.join(dir, name);

describe('a listener that cannot start', () => {
  test.each([[[]], [['--workers', '2']]])('When the port is in use (serve %j), Then one line names PORT and the exit status is 2', async (args) => {
    const r = await serve({ PORT: String(takenPort) }, args);
    expect(r.stderr).toEqual([`error: port ${takenPort} on 127.0.0.1 is already in use; set PORT`]);
    expect(r.code).toBe(2);
  }, 60_000);

  test('When HOST is an address of another machine, Then one line names HOST and the exit status is 2', async () => {
    const r = await serve({ HOST: '192.0.2.1' }, ['--workers', '2']);
    expect(r.stderr).toEqual([expect.stringMatching(/^error: 192\.0\.2\.1 is not an address of this machine.*; set HOST$/)]);
    expect(r.code).toBe(2);
  }, 60_000);
});

describe('TLS files that cannot be used', () => {
  test.each([
    ['a certificate that is not PEM', { TAXII_TLS_CERT: 'garbage.pem', TAXII_TLS_KEY: 'server.key' }, /^error: the TLS certificate .*garbage\.pem is not a PEM certificate .*; set TAXII_TLS_CERT /],
    ['a key that is not PEM', { TAXII_TLS_CERT: 'server.crt', TAXII_TLS_KEY: 'garbage.pem' }, /^error: the TLS private key .*garbage\.pem is not an unencrypted PEM private key .*; set TAXII_TLS_KEY /],
    ['the key of another certificate', { TAXII_TLS_CERT: 'server.crt', TAXII_TLS_KEY: 'other.key' }, /^error: the TLS private key .*other\.key does not belong to the certificate .*server\.crt .*; set TAXII_TLS_KEY /],
    ['a key file that does not exist', { TAXII_TLS_CERT: 'server.crt', TAXII_TLS_KEY: 'missing.key' }, /^error: TAXII_TLS_KEY .*missing\.key: cannot be read \(ENOENT/],
    ['a client CA bundle without a certificate', { TAXII_TLS_CERT: 'server.crt', TAXII_TLS_KEY: 'server.key', TAXII_TLS_CA: 'garbage.pem' }, /^error: the TLS client CA bundle .*garbage\.pem holds no PEM certificate .*; set TAXII_TLS_CA /],
  ])('When serve --workers 2 is given %s, Then one line names the file and its setting, exit status 2', async (_what, files, message) => {
    const env = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, pem(v)]));
    const r = await serve({ ...env, PORT: '0' }, ['--workers', '2']);
    expect(r.stderr).toEqual([expect.stringMatching(message)]);
    expect(r.code).toBe(2);
  }, 60_000);

  test('When serve --workers 2 is given a good certificate and key, Then it serves HTTPS', async () => {
    const db = path.join(dir, 'tls-ok.sqlite3');
    const s = await startServerProcess(db, config, { args: ['--workers', '2'], env: { TAXII_TLS_CERT: pem('server.crt'), TAXII_TLS_KEY: pem('server.key') } });
    try {
      expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const discovery = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
        https
          .get(`${s.url}/taxii2/`, { ca: fs.readFileSync(pem('server.crt')), headers: { Accept: TAXII, Authorization: ADMIN_AUTH } }, (res) => {
            let body = '';
            res.on('data', (b: Buffer) => (body += b.toString()));
            res.on('end', () => resolve({ status: res.statusCode, body }));
          })
          .on('error', reject);
      });
      expect(discovery.status).toBe(200);
      expect(JSON.parse(discovery.body).api_roots).toEqual(expect.arrayContaining([expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\//)]));
    } finally {
      await s.stop();
    }
  }, 60_000);
});
