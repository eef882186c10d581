/** The seed build tool: deterministic output, stable ids, and no silent change to a published version. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, allSeedObjects, jcs } from './helpers';

const BUILD = path.join(REPO_ROOT, 'seed', 'tools', 'build-feed.js');

function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
  });
}

describe('Seed build', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('When the feed is built twice into fresh directories, Then both builds are byte-identical and match the committed files', () => {
    const outputs = [0, 1].map(() => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-build-'));
      dirs.push(dir);
      execFileSync(process.execPath, [BUILD, '--out', dir], { stdio: 'pipe' });
      return dir;
    });
    const files = listFiles(outputs[0]!).sort();
    expect(files).toEqual(listFiles(outputs[1]!).sort());
    expect(files).toEqual(expect.arrayContaining(['README.md', path.join('seed', 'tools', 'published.json')]));
    for (const f of files) {
      const first = fs.readFileSync(path.join(outputs[0]!, f), 'utf8');
      expect(fs.readFileSync(path.join(outputs[1]!, f), 'utf8')).toBe(first);
      expect(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')).toBe(first);
    }
  });

  it('When the published-versions ledger is read, Then every served version matches it and no published id has disappeared', () => {
    const ledger = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'seed', 'tools', 'published.json'), 'utf8')) as Record<string, string>;
    const objects = allSeedObjects().map((e) => e.object);
    for (const o of objects) {
      const version = (o.modified ?? o.created) as string | undefined;
      if (!version) continue;
      expect(ledger[`${o.id}@${version}`]).toBe(createHash('sha256').update(jcs(o)).digest('hex').slice(0, 16));
    }
    const served = new Set(objects.map((o) => o.id));
    const gone = [...new Set(Object.keys(ledger).map((k) => k.slice(0, k.lastIndexOf('@'))))].filter((id) => !served.has(id));
    expect(gone).toEqual([]);
  });

  it('When a published object is withdrawn, Then the feed serves a newer version of it with revoked true, never drops it', () => {
    const ledger = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'seed', 'tools', 'published.json'), 'utf8')) as Record<string, string>;
    const versions = new Map<string, string[]>();
    for (const key of Object.keys(ledger)) {
      const at = key.lastIndexOf('@');
      versions.set(key.slice(0, at), [...(versions.get(key.slice(0, at)) ?? []), key.slice(at + 1)]);
    }
    const served = new Map(allSeedObjects().map((e) => [e.object.id, e.object]));
    const revised = [...versions].filter(([, v]) => v.length > 1);
    expect(revised.length).toBeGreaterThan(0);
    for (const [id, v] of revised) expect(served.get(id)!.modified).toBe([...v].sort().at(-1));
    const revoked = [...served.values()].filter((o) => o.revoked === true);
    expect(revoked.length).toBeGreaterThan(0);
    for (const o of revoked) expect((versions.get(o.id) ?? []).length).toBeGreaterThan(1);
  });

  it('When the content of an object changes but its version does not, Then the build refuses with a message that says to give it a new modified', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-ledger-'));
    dirs.push(root);
    fs.mkdirSync(path.join(root, 'seed'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'seed', 'tools'), path.join(root, 'seed', 'tools'), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, 'seed', 'README.md'), path.join(root, 'seed', 'README.md'));
    fs.copyFileSync(path.join(REPO_ROOT, 'README.md'), path.join(root, 'README.md'));
    const ledgerFile = path.join(root, 'seed', 'tools', 'published.json');
    const ledger = JSON.parse(fs.readFileSync(ledgerFile, 'utf8')) as Record<string, string>;
    const campaign = allSeedObjects().find((e) => e.object.type === 'campaign')!.object;
    ledger[`${campaign.id}@${String(campaign.modified)}`] = '0000000000000000';
    fs.writeFileSync(ledgerFile, JSON.stringify(ledger));
    let message = '';
    try {
      execFileSync(process.execPath, [path.join(root, 'seed', 'tools', 'build-feed.js'), '--out', path.join(root, 'out')], { stdio: 'pipe' });
    } catch (e) {
      message = String((e as { stderr: Buffer }).stderr);
    }
    expect(message).toContain(`${campaign.id} changed but its version ${String(campaign.modified)} did not: give it a new modified`);
    expect(fs.existsSync(path.join(root, 'out'))).toBe(false);
  });
});
