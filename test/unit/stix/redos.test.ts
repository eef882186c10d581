/** Every regular expression our schemas apply to client input must run in linear time on hostile strings. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExtensionSchemas, isBacktrackSafePattern } from '../../../src/stix/extension-schemas';
import { SchemaRegistry } from '../../../src/stix/schema-registry';
import { createStixValidator } from '../../../src/stix/validator';

function collectPatterns(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    node.forEach((n) => collectPatterns(n, out));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'pattern' && typeof v === 'string') out.add(v);
    if (k === 'patternProperties' && typeof v === 'object' && v !== null) Object.keys(v).forEach((p) => out.add(p));
    collectPatterns(v, out);
  }
}

const dir = path.resolve(__dirname, '../../../schemas/stix');
const patterns = new Set<string>();
for (const f of fs.readdirSync(dir)) collectPatterns(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')), patterns);

/** Near-miss strings built from the characters these patterns accept, followed by one that breaks them. */
function hostileInputs(): string[] {
  const n = 50_000;
  const pieces = ['a', 'a-', 'a1', '0', 'ab', 'Aa', '-', '9.', 'f0', '0:', ':0', 'x--', 'HKEY_LOCAL_MACHINE', 'AAAA', 'a@', '/', 'T1', 'cpe:2.3:a'];
  const out: string[] = [];
  for (const p of pieces) for (const tail of ['!', ' ', '=', '\n', '--']) out.push(p.repeat(Math.ceil(n / p.length)) + tail);
  return out;
}

describe('Schema regular expressions', () => {
  test('When the schemas are scanned, Then there are patterns to check', () => {
    expect(patterns.size).toBeGreaterThan(10);
  });

  // A backtracking pattern takes seconds to minutes on 50,000 characters (quadratic or worse), a linear one
  // a millisecond or two: the bound sits far from both, so a loaded machine does not make it flaky.
  test.each([...patterns])('When %s runs against long hostile strings, Then no match takes backtracking time', (source) => {
    const re = new RegExp(source, 'u');
    for (const input of hostileInputs()) {
      const start = process.hrtime.bigint();
      re.test(input);
      expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(1000);
    }
  });
});

function sourceFiles(d: string): string[] {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(d, e.name)) : e.name.endsWith('.ts') ? [path.join(d, e.name)] : []));
}

/** Every regular-expression literal in src/stix (comment lines skipped); a few harmless non-regex slashes come along. */
function sourceRegexes(): string[] {
  const out = new Set<string>();
  for (const f of sourceFiles(path.resolve(__dirname, '../../../src/stix'))) {
    const text = fs.readFileSync(f, 'utf8').split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l)).join('\n');
    for (const m of text.matchAll(/(?<![\w)\]\s])\s*\/((?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[*])(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])*)\/([dgimsuy]*)/g)) {
      try {
        new RegExp(m[1]!, m[2]);
        out.add(m[1]!);
      } catch {
        // a slash in a string, not a regex
      }
    }
  }
  return [...out];
}

describe('Source regular expressions', () => {
  const regexes = sourceRegexes();
  test('When src/stix is scanned, Then the expressions applied to client input are found', () => {
    for (const known of ['^CAPEC-\\d+$', '^[a-z0-9_]{3,250}$', '^[a-z0-9]+(?:-[a-z0-9]+)*-ext$']) expect(regexes).toContain(known);
  });

  test.each(regexes)('When %s runs against long hostile strings, Then no match takes backtracking time', (source) => {
    const re = new RegExp(source);
    for (const input of hostileInputs()) {
      const start = process.hrtime.bigint();
      re.test(input);
      expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(1000);
    }
  });
});

describe('Patterns of client-supplied extension schemas', () => {
  test.each(['(a+)+$', '^(a|aa)*$', '(\\w+\\s?)*x', '(.*a){3}', '^(a|b)+$', '(x+x+)+y', '(a)\\1', '(?=a)a', '(?<!a)b', '^([a-z]+-?)*$', '(\\k<n>)'])(
    'When an inline schema uses %s, Then the pattern is judged able to backtrack', (p) => {
      expect(isBacktrackSafePattern(p)).toBe(false);
    });

  test.each(['^[a-z]+$', '^CAPEC-\\d+$', '^[a-z0-9]+(-[a-z0-9]+)?$', '^(?:abc)$', '^[(]+$', '^\\(+$', 'a{2,5}b', '^x-[a-z]{3,}$'])(
    'When an inline schema uses %s, Then the pattern is accepted', (p) => {
      expect(isBacktrackSafePattern(p)).toBe(true);
    });

  test('When an accepted but quadratic pattern meets a megabyte string, Then it fails fast instead of running (patterns stop at 4,096 characters)', () => {
    const s = new ExtensionSchemas().forDefinition('extension-definition--1', JSON.stringify({ type: 'object', properties: { v: { type: 'string', pattern: '[a-z]+-' } } }));
    if (s.kind !== 'validator') throw new Error(`expected a validator, got ${s.kind}`);
    const start = process.hrtime.bigint();
    expect(s.validate({ v: 'a'.repeat(1_000_000) })).toBe(false);
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(1000);
    expect(s.validate({ v: 'abc-' })).toBe(true);
  });
});

describe('Validator on hostile objects', () => {
  const validator = createStixValidator(new SchemaRegistry());
  const long = 'a'.repeat(100_000);
  const cases: Array<[string, unknown]> = [
    ['a long custom type', { type: long + '!', id: 'x' }],
    ['a long id', { type: 'ipv4-addr', id: 'ipv4-addr--' + 'a-'.repeat(50_000), value: '1.2.3.4' }],
    ['a long relationship_type', { type: 'relationship', spec_version: '2.1', id: 'relationship--6a3b1ddd-8c5f-4c21-9d49-6b1f1b3e9c11', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', relationship_type: 'a-'.repeat(50_000) + '!', source_ref: 'a', target_ref: 'b' }],
    ['a long timestamp', { type: 'campaign', spec_version: '2.1', id: 'campaign--6a3b1ddd-8c5f-4c21-9d49-6b1f1b3e9c11', created: '2024-01-01T00:00:00.' + '1'.repeat(100_000), modified: 'x', name: 'c' }],
    ['a long pattern', { type: 'indicator', spec_version: '2.1', id: 'indicator--6a3b1ddd-8c5f-4c21-9d49-6b1f1b3e9c11', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z', pattern: '['.repeat(100_000) }],
    ['a long custom property name', { type: 'mutex', id: 'mutex--6a3b1ddd-8c5f-4c21-9d49-6b1f1b3e9c11', name: 'm', [long + 'A']: 1 }],
    ['a long selector', { type: 'mutex', id: 'mutex--6a3b1ddd-8c5f-4c21-9d49-6b1f1b3e9c11', name: 'm', granular_markings: [{ marking_ref: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', selectors: ['.[0]'.repeat(20_000)] }] }],
    ['a long hash key', { type: 'file', id: 'file--6a3b1ddd-8c5f-4c21-9d49-6b1f1b3e9c11', hashes: { [long + ' ']: 'x' } }],
  ];
  test.each(cases)('When an object with %s is validated, Then it is rejected within 200 ms', (_label, object) => {
    const start = process.hrtime.bigint();
    const r = validator.validate(object, { allowCustom: true });
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(200);
    expect(r.valid).toBe(false);
  });
});
