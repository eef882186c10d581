/**
 * The command line as a user meets it (src/cli.ts run as a process): --version, every --help example run
 * as printed, one-line errors with the documented exit statuses, `export | head`, audited imports, and a
 * 100,000-object import with progress.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { runImport } from '../../src/cli/import-command';
import { loadConfig } from '../../src/config/config';
import { createRuntime } from '../../src/server';
import { freshDatabaseUrl } from '../helpers/server';

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '../..');
const CLI = `node -r ${path.join(ROOT, 'test/integration/support/swc-register.js')} ${path.join(ROOT, 'src/cli.ts')}`;

let work: string;
let db: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-cli-'));
  // Examples name files under seed/ as a user in a clone of the repository would.
  fs.symlinkSync(path.join(ROOT, 'seed'), path.join(work, 'seed'));
  fs.mkdirSync(path.join(work, 'data'));
  db = await freshDatabaseUrl();
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(work, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, PGUSER: process.env.PGUSER, USER: process.env.USER, DATABASE_URL: db.url, ...extra };
}

/** Runs a shell command line in which `dprk-taxii` is the command line of this repository. */
function sh(line: string, extra: Record<string, string> = {}): { code: number; out: string; err: string } {
  const script = `set -o pipefail\ndprk-taxii() { ${CLI} "$@"; }\n${line}\n`;
  const r = spawnSync('bash', ['-c', script], { cwd: work, env: env(extra), encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function expectOneLineError(r: { err: string }, pattern: RegExp): void {
  const lines = r.err.split('\n').filter(Boolean);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
}

/** Every `$ dprk-taxii …` line in the help of the program and of every command. */
function helpExamples(): string[] {
  const r = sh('dprk-taxii --help; for c in serve migrate import export validate user token grant revoke audit; do dprk-taxii $c --help; done');
  expect(r.code).toBe(0);
  // serve does not return: its examples are shown (test below) but not run here.
  return [...r.out.matchAll(/^\s+\$ (.*dprk-taxii .*)$/gm)].map((m) => m[1]!.trim()).filter((e) => !/dprk-taxii serve\b/.test(e));
}

describe('command line', () => {
  test('When asked for --version, Then it prints the version of package.json and exits 0', () => {
    const r = sh('dprk-taxii --version');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  test('When every example printed by --help is run as printed, Then each exits 0', () => {
    const examples = [...new Set(helpExamples())];
    expect(examples.length).toBeGreaterThanOrEqual(8);
    expect(examples.some((e) => e.startsWith('dprk-taxii import'))).toBe(true);
    expect(examples.some((e) => / \| head/.test(e))).toBe(true);
    for (const example of examples) {
      const r = sh(example);
      expect({ example, code: r.code, err: r.err.slice(0, 500) }).toEqual({ example, code: 0, err: expect.any(String) });
      expect(r.err).not.toMatch(/^error:/m);
    }
    expect(fs.existsSync(path.join(work, 'context.json'))).toBe(true);
  });

  test('When --help of any command or access-control subcommand is shown, Then it has examples of that command', () => {
    const commands = ['serve', 'migrate', 'import', 'export', 'validate', 'grant', 'revoke'];
    const groups = { user: ['add', 'list', 'disable', 'enable', 'set-password', 'set-clearance'], token: ['create', 'list', 'revoke'], audit: ['list'] };
    for (const c of commands) expect({ c, out: sh(`dprk-taxii ${c} --help`).out }).toEqual({ c, out: expect.stringMatching(new RegExp(`Examples:[^]*\\$ .*dprk-taxii ${c}\\b`)) });
    for (const [group, subs] of Object.entries(groups)) {
      for (const c of [group, ...subs.map((s) => `${group} ${s}`)]) {
        expect({ c, out: sh(`dprk-taxii ${c} --help`).out }).toEqual({ c, out: expect.stringMatching(new RegExp(`Examples:[^]*\\$ .*dprk-taxii ${group}\\b`)) });
      }
    }
  });

  test('When the help is shown, Then it documents the exit statuses', () => {
    for (const c of ['', 'import', 'export', 'migrate', 'validate']) {
      expect(sh(`dprk-taxii ${c} --help`).out).toMatch(/Exit status:[\s\S]*1 {2}invalid content[\s\S]*2 {2}/);
    }
  });

  test.each([
    ['an unknown option', 'dprk-taxii export -c curator-inbox --bogus', 2, /unknown option '--bogus'/],
    ['a missing required option', 'dprk-taxii import seed/dprk-crypto-context/dprk-crypto-context.json', 2, /required option '-c, --collection/],
    ['an unknown collection', 'dprk-taxii import seed/dprk-crypto-context/dprk-crypto-context.json -c nowhere', 2, /no collection "nowhere" is configured/],
    ['a missing file', 'dprk-taxii import missing.json -c curator-inbox', 2, /cannot read missing.json: no such file/],
    ['a file that is not JSON', 'echo "not json" > notjson.json && dprk-taxii import notjson.json -c curator-inbox', 1, /notjson.json: the document is not a JSON object/],
    ['a bundle with a broken object', `printf '{"objects":[{"type":"x",]}' > broken.json && dprk-taxii import broken.json -c curator-inbox`, 1, /objects\[0\] is not valid JSON/],
    ['validate of a file that is not JSON', 'echo "{" > half.json && dprk-taxii validate half.json', 1, /half.json is not valid JSON/],
    ['an unwritable export path', 'dprk-taxii export -c curator-inbox -o no-such-dir/out.json', 2, /cannot write no-such-dir\/out.json: no such file/],
    ['a bad configuration', 'TAXII_CONFIG=missing.yaml dprk-taxii export -c curator-inbox', 2, /cannot read the configuration file/],
  ])('When the user gives %s, Then one readable line on stderr and the documented exit status', (_what, line, code, pattern) => {
    const r = sh(line);
    expect(r.code).toBe(code);
    expectOneLineError(r, pattern);
  });

  test('When migrate is pointed at an unreachable database, Then it prints one clear line and exits 2', () => {
    const r = sh('dprk-taxii migrate', { DATABASE_URL: 'postgres://127.0.0.1:1/nothing' });
    expect(r.code).toBe(2);
    expectOneLineError(r, /cannot migrate the database postgres:\/\/127\.0\.0\.1:1\/nothing: .*ECONNREFUSED/);
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
  });

  test('When export is piped into head, Then it ends quietly with exit 0', () => {
    const file = path.join(work, 'three-thousand.json');
    fs.writeFileSync(file, JSON.stringify({ objects: generated(3000) }));
    expect(sh('dprk-taxii import three-thousand.json -c curator-inbox').code).toBe(0);
    const r = sh('dprk-taxii export --collection curator-inbox | head -c 100');
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(100);
    expect(r.err).toBe('');
  });

  test('When a file is imported from the command line, Then the audit log names the operating-system user', () => {
    expect(sh('dprk-taxii import seed/dprk-crypto-indicators/dprk-crypto-indicators.json -c curator-inbox').code).toBe(0);
    const audit = sh('dprk-taxii audit list --limit 5');
    expect(audit.out).toMatch(new RegExp(`cli:${os.userInfo().username}\\tobjects\\.add\\tfeed/collections/fcf1a372-5b4f-4ba8-aaaa-327f129357a2\\tlocal\\t.*"file":"dprk-crypto-indicators.json"`));
  });

  test('When a generated file of 100,000 objects is imported, Then it succeeds in envelopes of the configured size with progress lines and a summary', async () => {
    const file = path.join(work, 'hundred-thousand.json');
    fs.writeFileSync(file, JSON.stringify({ type: 'bundle', id: 'bundle--6b1e8a2f-5f0c-4c55-9c55-2a8f3b1c0d11', objects: generated(100_000, 10_000) }));
    const child = spawn('bash', ['-c', `${CLI} import hundred-thousand.json --collection curator-inbox`], { cwd: work, env: env() });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect({ code, err: err.slice(-500) }).toEqual({ code: 0, err: expect.any(String) });
    const progress = err.split('\n').filter((l) => l.startsWith('progress: '));
    // The default configuration's max_objects_per_envelope is 10,000: ten envelopes.
    expect(progress).toHaveLength(10);
    expect(progress[progress.length - 1]).toMatch(/^progress: 100,000 objects \(100%\): 100,000 added, 0 already present, 0 failed$/);
    expect(out).toMatch(/^hundred-thousand.json: 100,000 objects: 100,000 added, 0 already present, 0 failed \(/);
  });
});

describe('import progress on a terminal', () => {
  test('When standard error is a terminal, Then a progress bar is drawn and the summary still goes to standard output', async () => {
    const d = await freshDatabaseUrl();
    const rt = await createRuntime(loadConfig({ DATABASE_URL: d.url, TAXII_SEED: 'false' }), { log: pino({ level: 'silent' }), processMetrics: false });
    const file = path.join(work, 'tty.json');
    fs.writeFileSync(file, JSON.stringify({ objects: generated(500, 20_000_000) }));
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    let drawn = '';
    tty.on('data', (b) => (drawn += b));
    const lines: string[] = [];
    try {
      const r = await runImport(rt, { root: 'feed', id: 'fcf1a372-5b4f-4ba8-aaaa-327f129357a2' }, file, { batchSize: 100 }, { out: (l) => lines.push(l), progress: tty });
      expect(r).toMatchObject({ objects: 500, added: 500, failed: 0 });
      expect(drawn).toMatch(/importing .*100% \| 500 objects \| 500 added/);
      expect(lines).toEqual([expect.stringMatching(/tty.json: 500 objects: 500 added/)]);
    } finally {
      await rt.close();
      await d.drop();
    }
  });
});

/** `n` valid indicators, numbered from `from`. */
function generated(n: number, from = 0): unknown[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z',
      name: `generated indicator ${i}`,
      pattern: `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`,
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: '2024-01-01T00:00:00Z',
      indicator_types: ['malicious-activity'],
    };
  });
}
