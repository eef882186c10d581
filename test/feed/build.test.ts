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
});
