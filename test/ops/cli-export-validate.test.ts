/**
 * `export`, `validate` and `import` as a user meets them at the edges: a full disk, a reader that goes
 * away, an empty collection, a byte-order mark, a syntax error across lines. Each failure is one line on
 * stderr with the documented exit status, and nothing hangs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freshDatabaseUrl } from '../helpers/server';

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '../..');
const CLI = `node -r ${path.join(ROOT, 'test/integration/support/swc-register.js')} ${path.join(ROOT, 'src/cli.ts')}`;
const BUNDLE_ID = 'bundle--a035944d-7ace-46c1-87a9-ec00462989b8';

let work: string;
let db: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-cli-edges-'));
  db = await freshDatabaseUrl();
  // Something to export: the seed context bundle (about 2 MB) in curator-inbox.
  expect(sh(`dprk-taxii import ${path.join(ROOT, 'seed/dprk-crypto-context/dprk-crypto-context.json')} -c curator-inbox`).code).toBe(0);
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(work, { recursive: true, force: true });
});

/** Runs a shell command line in which `dprk-taxii` is the command line of this repository; never waits past a minute. */
function sh(line: string): { code: number; out: string; err: string } {
  const script = `set -o pipefail\ndprk-taxii() { ${CLI} "$@"; }\n${line}\n`;
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, PGUSER: process.env.PGUSER, USER: process.env.USER, DATABASE_URL: db.url, TAXII_SEED: 'false' };
  const r = spawnSync('bash', ['-c', script], { cwd: work, env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000, killSignal: 'SIGKILL' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function expectOneLine(r: { err: string }, pattern: RegExp): void {
  expect(r.err).toMatch(/^error: /);
  expect(r.err.trimEnd().split('\n')).toEqual([expect.stringMatching(pattern)]);
}

describe('export on a full disk', () => {
  test('When standard output is /dev/full, Then export says it cannot write standard output, in one line, and exits 2', () => {
    const r = sh('dprk-taxii export -c curator-inbox > /dev/full');
    expect(r.code).toBe(2);
    expectOneLine(r, /^error: cannot write standard output: ENOSPC/);
  });

  test('When -o names /dev/full, Then export ends with one line and exit 2 instead of hanging', () => {
    const r = sh('dprk-taxii export -c curator-inbox -o /dev/full');
    expect(r.code).toBe(2);
    expectOneLine(r, /^error: cannot write \/dev\/full: ENOSPC/);
  });

  test('When the file cannot grow past 100 KiB, Then the existing file is left as it was, no temporary file is left, and export exits 2', () => {
    fs.writeFileSync(path.join(work, 'keep.json'), 'the previous export\n');
    // The file-size limit makes writes fail with EFBIG, as a full disk makes them fail with ENOSPC.
    const r = sh("(trap '' XFSZ; ulimit -f 100; dprk-taxii export -c curator-inbox -o keep.json)");
    expect(r.code).toBe(2);
    expectOneLine(r, /^error: cannot write keep\.json: EFBIG/);
    expect(fs.readFileSync(path.join(work, 'keep.json'), 'utf8')).toBe('the previous export\n');
    expect(fs.readdirSync(work).filter((f) => f.includes('keep.json'))).toEqual(['keep.json']);
  });

  test('When export -o succeeds, Then the file is replaced whole and keeps its permissions', () => {
    const file = path.join(work, 'replaced.json');
    fs.writeFileSync(file, 'old');
    fs.chmodSync(file, 0o640);
    const r = sh('dprk-taxii export -c curator-inbox -o replaced.json');
    expect(r.code).toBe(0);
    const bundle = JSON.parse(fs.readFileSync(file, 'utf8')) as { type: string; objects: unknown[] };
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.length).toBeGreaterThan(100);
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(work).filter((f) => f.includes('replaced.json'))).toEqual(['replaced.json']);
  });

  test('When -o names a symbolic link, Then the file it points to is replaced and the link stays a link', () => {
    fs.mkdirSync(path.join(work, 'real'), { recursive: true });
    const real = path.join(work, 'real', 'feed.json');
    fs.writeFileSync(real, 'old');
    fs.symlinkSync(real, path.join(work, 'feed-link.json'));
    const r = sh('dprk-taxii export -c curator-inbox -o feed-link.json');
    expect(r.code).toBe(0);
    expect(fs.lstatSync(path.join(work, 'feed-link.json')).isSymbolicLink()).toBe(true);
    expect((JSON.parse(fs.readFileSync(real, 'utf8')) as { type: string }).type).toBe('bundle');
    expect(fs.readdirSync(path.join(work, 'real'))).toEqual(['feed.json']);
  });
});

describe('a reader that goes away', () => {
  test('When validate of invalid content is piped into head -1, Then it still exits 1', () => {
    // Enough invalid objects that the report is larger than a pipe holds, so head leaves before it is written.
    const objects = Array.from({ length: 3000 }, (_, i) => ({ type: 'mac-addr', id: `mac-addr--00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, value: 'AA-BB' }));
    fs.writeFileSync(path.join(work, 'invalid-many.json'), JSON.stringify({ objects }));
    for (const json of ['', ' --json']) {
      const r = sh(`dprk-taxii validate invalid-many.json${json} | head -1`);
      expect({ json, code: r.code, err: r.err }).toEqual({ json, code: 1, err: '' });
      expect(r.out.split('\n').filter(Boolean)).toHaveLength(1);
    }
  });

  test('When validate of valid content is piped into head -1, Then it exits 0', () => {
    const r = sh(`dprk-taxii validate ${path.join(ROOT, 'seed/dprk-crypto-context/dprk-crypto-context.json')} --json | head -1`);
    expect(r.code).toBe(0);
  });

  test('When export is piped into head, Then it ends quietly with exit 0 (the reader chose to stop)', () => {
    const r = sh('dprk-taxii export -c curator-inbox | head -c 100');
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(100);
    expect(r.err).toBe('');
  });
});

describe('validate and import agree', () => {
  test('When an empty collection is exported, Then the bundle has no objects, validate accepts it and import takes it', () => {
    const exported = sh('dprk-taxii export -c dprk-crypto-blocklist -o empty.json');
    expect(exported.code).toBe(0);
    const bundle = JSON.parse(fs.readFileSync(path.join(work, 'empty.json'), 'utf8')) as Record<string, unknown>;
    expect(bundle).toEqual({ type: 'bundle', id: expect.stringMatching(/^bundle--/) });
    const validated = sh('dprk-taxii validate empty.json');
    expect({ code: validated.code, out: validated.out }).toEqual({ code: 0, out: 'empty.json: bundle with 0 objects: valid, 0 warnings\n' });
    const imported = sh('dprk-taxii import empty.json -c dprk-crypto-blocklist');
    expect({ code: imported.code, err: imported.err }).toEqual({ code: 0, err: '' });
    expect(imported.out).toMatch(/^empty\.json: 0 objects: 0 added/);
  });

  test('When a bundle has an empty objects list, Then validate and import both refuse it (STIX 2.1 §2.12) with exit 1', () => {
    fs.writeFileSync(path.join(work, 'empty-list.json'), JSON.stringify({ type: 'bundle', id: BUNDLE_ID, objects: [] }));
    const validated = sh('dprk-taxii validate empty-list.json');
    expect(validated.code).toBe(1);
    expect(validated.out).toMatch(/\[bundle\.objects-empty\]/);
    for (const queue of ['', ' --queue']) {
      const imported = sh(`dprk-taxii import empty-list.json -c dprk-crypto-blocklist${queue}`);
      expect({ queue, code: imported.code }).toEqual({ queue, code: 1 });
      expectOneLine(imported, /empty-list\.json: a bundle's objects must not be an empty list .*\[bundle\.objects-empty\]/);
    }
    // A TAXII envelope may be empty, for both.
    fs.writeFileSync(path.join(work, 'empty-envelope.json'), '{"objects": []}');
    expect(sh('dprk-taxii validate empty-envelope.json').code).toBe(0);
    expect(sh('dprk-taxii import empty-envelope.json -c dprk-crypto-blocklist').code).toBe(0);
  });

  test('When a file starts with a UTF-8 byte-order mark, Then validate and import both accept it', () => {
    const text = fs.readFileSync(path.join(ROOT, 'seed/dprk-crypto-context/dprk-crypto-context.json'), 'utf8');
    fs.writeFileSync(path.join(work, 'bom.json'), `\ufeff${text}`);
    const validated = sh('dprk-taxii validate bom.json');
    expect({ code: validated.code, err: validated.err }).toEqual({ code: 0, err: '' });
    const imported = sh('dprk-taxii import bom.json -c curator-inbox');
    expect(imported.code).toBe(0);
    expect(imported.err).not.toMatch(/error/);
    expect(imported.out).toMatch(/^bom\.json: [\d,]+ objects: .* 0 failed/);
  });

  test('When an object has a JSON syntax error across line breaks, Then validate and import each say so in one line, exit 1', () => {
    fs.writeFileSync(path.join(work, 'broken-lines.json'), `{"type": "bundle", "id": "${BUNDLE_ID}", "objects": [\n{"type":\n\n x}\n]}`);
    const validated = sh('dprk-taxii validate broken-lines.json');
    expect(validated.code).toBe(1);
    expectOneLine(validated, /^error: broken-lines\.json is not valid JSON: /);
    const imported = sh('dprk-taxii import broken-lines.json -c curator-inbox');
    expect(imported.code).toBe(1);
    expectOneLine(imported, /^error: broken-lines\.json: objects\[0\] is not valid JSON \(.*\\n.*\)/);
  });
});
