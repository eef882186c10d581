import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildCorpus, type InvalidCase } from '../../fixtures/stix/generate-corpus';
import { SchemaRegistry } from '../../../src/stix/schema-registry';
import { createStixValidator, validateBundleOrEnvelope } from '../../../src/stix/validator';
import type { ValidationResult } from '../../../src/stix/validation-result';
import { evaluateCase } from './evaluate-case';

const FIXTURES = path.resolve(__dirname, '../../fixtures/stix');
const registry = new SchemaRegistry();
const validator = createStixValidator(registry);

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const validFiles = fs.readdirSync(path.join(FIXTURES, 'valid')).filter((f) => f.endsWith('.json')).sort();
// Each valid bundle is validated whole, as a POST or `validate` would: its extension-definitions apply to its objects.
const validRows: Array<[string, number, string, ValidationResult]> = [];
for (const file of validFiles) {
  const doc = readJson(path.join(FIXTURES, 'valid', file));
  const result = validateBundleOrEnvelope(doc, validator, { allowCustom: file.endsWith('.custom.json') });
  expect(result.errors).toEqual([]);
  (doc.objects as any[]).forEach((o, i) => validRows.push([file, i, `${o.type} ${o.id}`, result.objects[i]!.result]));
}

const invalidFiles = fs.readdirSync(path.join(FIXTURES, 'invalid')).filter((f) => f.endsWith('.json')).sort();
const invalidRows: Array<[string, string, InvalidCase]> = [];
for (const file of invalidFiles) {
  const doc = readJson(path.join(FIXTURES, 'invalid', file)) as { rule: string; cases: InvalidCase[] };
  for (const c of doc.cases) invalidRows.push([doc.rule, c.name, c]);
}

describe('STIX corpus', () => {
  test('When the corpus is counted, Then it holds at least 300 valid objects and 300 invalid cases covering every STIX type', () => {
    expect(validRows.length).toBeGreaterThanOrEqual(300);
    expect(invalidRows.length).toBeGreaterThanOrEqual(300);
    const types = new Set(validFiles.flatMap((f) => (readJson(path.join(FIXTURES, 'valid', f)).objects as Array<{ type: string }>).map((o) => o.type)));
    for (const t of ['attack-pattern', 'campaign', 'course-of-action', 'grouping', 'identity', 'incident', 'indicator', 'infrastructure',
      'intrusion-set', 'location', 'malware', 'malware-analysis', 'note', 'observed-data', 'opinion', 'report', 'threat-actor', 'tool',
      'vulnerability', 'relationship', 'sighting', 'artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message',
      'file', 'ipv4-addr', 'ipv6-addr', 'mac-addr', 'mutex', 'network-traffic', 'process', 'software', 'url', 'user-account',
      'windows-registry-key', 'x509-certificate', 'marking-definition', 'language-content', 'extension-definition']) {
      expect(types).toContain(t);
    }
  });

  test('When the generator runs again, Then it reproduces the committed fixture files exactly', () => {
    const types = [...registry.schemas.keys()].map((f) => f.replace('.json', '')).filter((t) => registry.forType(t));
    const corpus = buildCorpus(Object.fromEntries(types.map((t) => [t, registry.forType(t)!.required])));
    for (const sub of ['valid', 'invalid', 'warning', 'passing'] as const) {
      const files = fs.readdirSync(path.join(FIXTURES, sub)).filter((f) => f.endsWith('.json')).sort();
      expect(Object.keys(corpus[sub]).sort()).toEqual(files);
      for (const f of files) expect(corpus[sub][f]).toEqual(readJson(path.join(FIXTURES, sub, f)));
    }
  });

  test.each(validRows)('When %s object #%i (%s) is validated, Then it is valid with no warnings', (_file, _i, _label, result) => {
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test.each(invalidRows)('When a case breaking %s (%s) is validated, Then it is invalid and every error carries that rule', (rule, _name, c) => {
    const result = evaluateCase(validator, c);
    expect(result.valid).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.map((e) => e.rule)).toEqual(result.errors.map(() => rule));
    for (const e of result.errors) {
      expect(e.pointer === '' || e.pointer.startsWith('/')).toBe(true);
      expect(e.message.length).toBeGreaterThan(15);
    }
  });
});
