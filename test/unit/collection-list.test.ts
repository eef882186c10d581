/** `collection list`: the configured collections with the settings that decide what readers get. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { registerAdminCommands, type AdminIo } from '../../src/cli/admin-commands';
import { IDS, testConfigDoc } from '../helpers/server';

async function cli(args: string[], doc: unknown): Promise<{ out: string; err: string; code: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-collection-list-'));
  fs.writeFileSync(path.join(dir, 'config.json'), typeof doc === 'string' ? doc : JSON.stringify(doc));
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  const io: AdminIo = { env: { TAXII_CONFIG: path.join(dir, 'config.json') }, out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => '', prompt: async () => undefined, fail: (c) => (code = c) };
  const program = new Command().exitOverride();
  registerAdminCommands(program, io);
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { out: out.join('\n'), err: err.join('\n'), code };
}

test('When collections set granular_markings, Then collection list shows each one, redact by default', async () => {
  const doc = testConfigDoc() as { api_roots: Array<{ collections: Array<Record<string, unknown>> }> };
  for (const c of doc.api_roots[0]!.collections) if (c.id === IDS.private) Object.assign(c, { granular_markings: 'withhold', omit_relationships_to_hidden: true });
  const r = await cli(['collection', 'list', '--json'], doc);
  expect(r.code).toBe(0);
  const rows = JSON.parse(r.out) as Array<Record<string, unknown>>;
  expect(rows.find((c) => c.id === IDS.private)).toMatchObject({ granular_markings: 'withhold', omit_relationships_to_hidden: true, default_tlp: 'amber' });
  expect(rows.find((c) => c.id === IDS.public)).toMatchObject({ granular_markings: 'redact', omit_relationships_to_hidden: false, default_tlp: 'clear' });
  const lines = await cli(['collection', 'list'], doc);
  expect(lines.out).toContain('private-feed\tpublic=false\tdefault_tlp=amber\tomit_relationships_to_hidden=true\tgranular_markings=withhold');
});

test('When granular_markings has another value, Then the configuration is refused with the allowed values', async () => {
  const doc = testConfigDoc() as { api_roots: Array<{ collections: Array<Record<string, unknown>> }> };
  doc.api_roots[0]!.collections[0]!.granular_markings = 'hide';
  const r = await cli(['collection', 'list'], doc);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/granular_markings: must be one of "redact", "withhold"/);
});
