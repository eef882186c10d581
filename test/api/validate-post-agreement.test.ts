/**
 * `validate` (the CLI) and POST objects give the same verdict, with the same rules, on every object of every
 * fixture in test/fixtures/stix: one code path. POSTs are dry runs (validated exactly as a POST, nothing stored);
 * the extension-definitions a case assumes stored are stored in the collection first, and given to
 * `validate --collection`. Cases that assume stored earlier versions (revocation, marking re-posts) need a
 * history the CLI cannot have and are left out; container rules (bundle.*, envelope.*) exist only in `validate`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Principal } from '../../src/taxii/access';
import { runValidate, type ValidateCommandIo } from '../../src/stix/validate-command';
import type { InvalidCase } from '../fixtures/stix/generate-corpus';
import { ADMIN_AUTH, envelope, IDS, startTestServer, TAXII, type TestServer } from '../helpers/server';

const FIXTURES = path.resolve(__dirname, '../fixtures/stix');
const admin: Principal = { id: 'admin', name: 'admin', kind: 'user', isAdmin: true, maxTlp: 'red' };

interface Row { label: string; objects: unknown[]; allowCustom: boolean; stored: unknown[] }

function rows(): Row[] {
  const out: Row[] = [];
  for (const f of fs.readdirSync(path.join(FIXTURES, 'valid')).sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'valid', f), 'utf8'));
    out.push({ label: `valid/${f}`, objects: doc.objects, allowCustom: f.endsWith('.custom.json'), stored: [] });
  }
  for (const sub of ['invalid', 'warning', 'passing']) {
    for (const f of fs.readdirSync(path.join(FIXTURES, sub)).sort()) {
      const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, sub, f), 'utf8')) as { cases: InvalidCase[] };
      doc.cases.forEach((c, i) => {
        if (c.storedVersions) return;
        const list = c.document === undefined ? [c.object] : (c.document as { objects?: unknown }).objects;
        if (!Array.isArray(list) || list.length === 0) return;
        out.push({ label: `${sub}/${f}#${i}`, objects: list, allowCustom: c.allowCustom ?? false, stored: c.stored ?? [] });
      });
    }
  }
  return out;
}

const rulesIn = (text: string): string[] => [...text.matchAll(/\[([a-z][a-z0-9-]*\.[a-zA-Z0-9.-]+)\](?=; |$)/g)].map((m) => m[1]!).sort();

let s: TestServer;
const storedIn = new Map<string, Set<string>>();
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

async function storeDefinitions(collection: string, stored: unknown[]): Promise<void> {
  const have = storedIn.get(collection) ?? new Set<string>();
  storedIn.set(collection, have);
  const missing = stored.filter((o) => !have.has((o as { id: string }).id));
  if (!missing.length) return;
  const r = await s.request().post(`/api1/collections/${collection}/objects/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).set('Content-Type', TAXII).send(envelope(missing));
  expect(r.body.success_count).toBe(missing.length);
  for (const o of missing) have.add((o as { id: string }).id);
}

describe('validate and POST agree on every fixture', () => {
  const all = rows();
  test('When the fixtures are gathered, Then there are hundreds of cases to compare', () => {
    expect(all.length).toBeGreaterThan(500);
  });

  test.each(all.map((r) => [r.label, r] as const))('When %s is validated by the CLI and posted as a dry run, Then both give the same verdicts and rules', async (_label, row) => {
    const collection = row.allowCustom ? IDS.writable : IDS.private;
    await storeDefinitions(collection, row.stored);
    const status = await s.rt.services.objects.addObjects(admin, 'api1', collection, envelope(row.objects), { dryRun: true, recordStatus: false });
    const posted = [
      ...status.successes.map((d) => `valid ${rulesIn(d.message ?? '').join(' ')}`),
      ...status.failures.map((d) => `invalid ${rulesIn((d.message ?? '').replace(/; warnings: .*/, '')).join(' ')}`),
    ].sort();

    let out = '';
    const io: ValidateCommandIo = { stdout: (t) => void (out += t), stderr: () => undefined, readStdin: async () => JSON.stringify({ objects: row.objects }) };
    await runValidate('-', { json: true, collection: 'c' }, io, async () => ({ allowCustom: row.allowCustom, stored: row.stored }));
    const report = JSON.parse(out) as { objects: Array<{ index: number; valid: boolean; errors: Array<{ rule: string }>; warnings: Array<{ rule: string }> }> };
    const byIndex = new Map(report.objects.map((o) => [o.index, o]));
    const cli = row.objects.map((_o, i) => {
      const o = byIndex.get(i);
      if (!o) return 'valid ';
      return o.valid ? `valid ${o.warnings.map((w) => w.rule).sort().join(' ')}` : `invalid ${o.errors.map((e) => e.rule).sort().join(' ')}`;
    }).sort();
    expect(cli).toEqual(posted);
  });
});
