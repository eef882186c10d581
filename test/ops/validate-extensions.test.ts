/**
 * `validate` and the validator: one object, a bundle or an envelope; types and properties defined by an
 * extension-definition (in the input, or stored) are the STIX 2.1 extension mechanism, not custom content.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { runValidate, type ValidateCommandIo } from '../../src/stix/validate-command';
import { createStixValidator, validateBundleOrEnvelope } from '../../src/stix/validator';

const ROOT = path.resolve(__dirname, '../..');
const SEED = path.join(ROOT, 'seed');
// The seed loader's layout: one folder per configured collection (seed/tools holds the build script).
const collections = new Set(loadConfig({}).apiRoots.flatMap((r) => r.collections.flatMap((c) => [c.id, c.alias ?? c.id])));
const seedBundles = fs
  .readdirSync(SEED, { withFileTypes: true })
  .filter((d) => d.isDirectory() && collections.has(d.name))
  .flatMap((d) => fs.readdirSync(path.join(SEED, d.name)).filter((f) => f.endsWith('.json')).map((f) => path.join('seed', d.name, f)));

function io(stdin = ''): ValidateCommandIo & { out: string; err: string } {
  const r = { out: '', err: '', stdout: (t: string) => void (r.out += t), stderr: (t: string) => void (r.err += t), readStdin: async () => stdin };
  return r;
}

const EXT_ID = 'extension-definition--0f868f84-e27e-4b95-a96a-5f3a8a2ffcbf';
const definition = {
  type: 'extension-definition',
  spec_version: '2.1',
  id: EXT_ID,
  created_by_ref: 'identity--cbcf493e-81a7-485c-9d8e-ca57de01f4d7',
  created: '2026-11-24T00:00:00.000Z',
  modified: '2026-11-24T00:00:00.000Z',
  name: 'cryptocurrency-wallet',
  schema: 'see description',
  version: '1.0.0',
  extension_types: ['new-sco'],
};
const wallet = {
  type: 'cryptocurrency-wallet',
  spec_version: '2.1',
  id: 'cryptocurrency-wallet--93e8b734-4110-5e7f-b9f1-acbd607cec16',
  value: '4JUdGzvrMFDWrUUwY3toJATSeNwjn54LkCnKBPRzDuhzi5vSepHfUckJNxRL2gjkNrSqtCoRUrEDAgRwsQvVCjZbRy5YeFCqgoUMnzumvS',
  currency: 'monero',
  extensions: { [EXT_ID]: { extension_type: 'new-sco' } },
};
const malware = {
  type: 'malware',
  spec_version: '2.1',
  id: 'malware--2f1c3a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b',
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  name: 'miner',
  is_family: true,
};
const relationship = {
  type: 'relationship',
  spec_version: '2.1',
  id: 'relationship--3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d',
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  relationship_type: 'related-to',
  source_ref: malware.id,
  target_ref: wallet.id,
};
const indicator = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--4b5c6d7e-8f9a-4b1c-8d2e-3f4a5b6c7d8e',
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  pattern: `[cryptocurrency-wallet:value = '${wallet.value}']`,
  pattern_type: 'stix',
  valid_from: '2024-01-01T00:00:00Z',
};
const bundle = (objects: unknown[]) => ({ type: 'bundle', id: 'bundle--5c6d7e8f-9a0b-4c2d-9e3f-4a5b6c7d8e9f', objects });

describe('validate on the seed feed', () => {
  test.each(seedBundles)('When %s is validated as a user would, without --allow-custom, Then it is valid', async (file) => {
    const o = io();
    expect(await runValidate(path.join(ROOT, file), {}, o)).toBe(0);
    // Acceptance: the seed validates with zero errors and zero warnings under the default settings.
    expect(o.out).toMatch(/^[^\n]*: bundle with \d+ objects: valid, 0 warnings\n$/);
  });

  test('When the seed feed exists, Then there is at least one bundle to check', () => {
    expect(seedBundles.length).toBeGreaterThanOrEqual(2);
  });
});

describe('extension-definitions', () => {
  const validator = createStixValidator();
  const strict = { allowCustom: false };

  test('When a new SCO type comes with its extension-definition, Then it, references to it and patterns on it are valid where custom content is not', () => {
    const r = validateBundleOrEnvelope(bundle([definition, wallet, malware, relationship, indicator]), validator, strict);
    expect(r.objects.flatMap((o) => o.result.errors)).toEqual([]);
    expect(r.objects.flatMap((o) => o.result.warnings.map((w) => w.rule))).not.toContain('pattern.unknown-object-type');
    expect(r.valid).toBe(true);
  });

  test('When the same objects come without the extension-definition, Then the new type is refused as custom content', () => {
    const r = validateBundleOrEnvelope(bundle([wallet, malware, relationship]), validator, strict);
    expect(r.valid).toBe(false);
    const rules = r.objects.flatMap((o) => o.result.errors.map((e) => e.rule));
    expect(rules).toContain('custom.type-not-allowed');
    expect(rules).toContain('ref.type');
  });

  test('When the extension-definition is stored in the collection rather than sent, Then the new type is valid', () => {
    const r = validateBundleOrEnvelope(bundle([wallet, malware, relationship]), validator, strict, { stored: [definition, wallet] });
    expect(r.objects.flatMap((o) => o.result.errors)).toEqual([]);
  });

  test('When an object carries an extension whose definition is absent, Then it is refused; with the definition, a toplevel-property-extension makes its properties valid', () => {
    const TOP = 'extension-definition--7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a';
    const withTop = { ...malware, x_unused: undefined, wallet_count: 2, extensions: { [TOP]: { extension_type: 'toplevel-property-extension' } } };
    delete (withTop as Record<string, unknown>).x_unused;
    const refused = validateBundleOrEnvelope(bundle([withTop]), validator, strict);
    expect(refused.objects[0]!.result.errors.map((e) => e.rule).sort()).toEqual(['custom.extension-not-allowed', 'custom.property-not-allowed']);
    const def = { ...definition, id: TOP, name: 'wallet counts', extension_types: ['toplevel-property-extension'] };
    const accepted = validateBundleOrEnvelope(bundle([def, withTop]), validator, strict);
    expect(accepted.objects.flatMap((o) => o.result.errors)).toEqual([]);
  });
});

describe('extension content against the extension-definition\'s schema (§7.3)', () => {
  const validator = createStixValidator();
  const strict = { allowCustom: false };
  const PROP = 'extension-definition--8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b';
  const propDef = (schema: string) => ({ ...definition, id: PROP, name: 'wallet family', schema, extension_types: ['property-extension'] });
  const tagged = (content: Record<string, unknown>) => ({ ...malware, extensions: { [PROP]: { extension_type: 'property-extension', ...content } } });
  const inline = JSON.stringify({ type: 'object', required: ['family'], properties: { family: { type: 'string', enum: ['lazarus', 'andariel'] } } });

  test('When the schema is an inline JSON Schema, Then conforming content is valid with no warning and other content breaks extension.schema at the right pointer', () => {
    const ok = validateBundleOrEnvelope(bundle([propDef(inline), tagged({ family: 'lazarus' })]), validator, strict);
    expect(ok.objects[1]!.result).toEqual({ valid: true, errors: [], warnings: [] });
    const bad = validateBundleOrEnvelope(bundle([propDef(inline), tagged({ family: 'kimsuky' })]), validator, strict);
    expect(bad.objects[1]!.result.errors).toEqual([expect.objectContaining({ rule: 'extension.schema', pointer: `/extensions/${PROP}/family` })]);
  });

  test('When the schema is a URL or plain text, Then nothing is fetched and the content is accepted with extension.schema-unavailable', () => {
    for (const schema of ['https://example.org/wallet-family.json', 'family: a string naming the group']) {
      const r = validateBundleOrEnvelope(bundle([propDef(schema), tagged({ family: 'kimsuky' })]), validator, strict);
      expect(r.objects[1]!.result).toMatchObject({ valid: true, errors: [], warnings: [{ rule: 'extension.schema-unavailable', pointer: `/extensions/${PROP}` }] });
    }
  });

  test('When the server ships a schema for the definition (the seed\'s cryptocurrency-wallet), Then it applies although the definition\'s schema is plain text', () => {
    const { value: _v, ...noValue } = wallet;
    const r = validateBundleOrEnvelope(bundle([definition, noValue]), validator, strict);
    expect(r.objects[1]!.result.errors).toEqual([expect.objectContaining({ rule: 'extension.schema', pointer: '' })]);
    expect(validateBundleOrEnvelope(bundle([definition, wallet]), validator, strict).objects[1]!.result).toEqual({ valid: true, errors: [], warnings: [] });
  });

  test('When an inline schema has a backtracking pattern or refers to another document, Then it is not used and the content is accepted with a warning', () => {
    for (const schema of [{ type: 'object', properties: { family: { type: 'string', pattern: '^(a+)+$' } } }, { $ref: 'https://example.org/s.json' }]) {
      const r = validateBundleOrEnvelope(bundle([propDef(JSON.stringify(schema)), tagged({ family: 'a'.repeat(40) + '!' })]), validator, strict);
      expect(r.objects[1]!.result).toMatchObject({ valid: true, warnings: [{ rule: 'extension.schema-unavailable' }] });
    }
  });
});

describe('validate accepts one object, a bundle or an envelope', () => {
  test.each([
    ['one object', malware, /: one malware object: valid/],
    ['an envelope', { objects: [malware] }, /: envelope with 1 object: valid/],
    ['a bundle', bundle([malware]), /: bundle with 1 object: valid/],
  ])('When standard input holds %s, Then it is validated and valid', async (_what, doc, expected) => {
    const o = io(JSON.stringify(doc));
    expect(await runValidate('-', {}, o)).toBe(0);
    expect(o.out).toMatch(expected);
  });

  test('When one invalid object is validated, Then it exits 1 and names the rule', async () => {
    const o = io(JSON.stringify({ ...malware, id: 'malware--nope' }));
    expect(await runValidate('-', {}, o)).toBe(1);
    expect(o.out).toMatch(/\[id\.format\]/);
  });
});
