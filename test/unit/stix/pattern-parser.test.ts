import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkPattern, type PatternVocabulary } from '../../../src/stix/pattern/check';
import { parsePattern, PatternSyntaxError } from '../../../src/stix/pattern/parser';
import { SchemaRegistry } from '../../../src/stix/schema-registry';

const corpus = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../fixtures/stix/patterns.json'), 'utf8')) as {
  valid: string[];
  invalid: string[];
  semantic: Array<{ pattern: string; rule: string; severity: 'error' | 'warning' }>;
};

const registry = new SchemaRegistry();
const vocab: PatternVocabulary = {
  scoProperties: (t) => (registry.kindOf(t) === 'sco' ? registry.forType(t)!.properties : undefined),
  extensionProperties: (t, n) => registry.extensionProperties(t, n),
  isNonScoType: (t) => registry.kindOf(t) !== undefined && registry.kindOf(t) !== 'sco',
};
const semanticPatterns = new Set(corpus.semantic.map((s) => s.pattern));

describe('STIX pattern parser corpus', () => {
  test('When the corpus is counted, Then it holds at least 150 patterns', () => {
    expect(corpus.valid.length + corpus.invalid.length + corpus.semantic.length).toBeGreaterThanOrEqual(150);
  });

  test.each(corpus.valid)('When the valid pattern %j is parsed, Then it parses', (pattern) => {
    const ast = parsePattern(pattern);
    expect(ast).toBeDefined();
    if (!semanticPatterns.has(pattern)) expect(checkPattern(ast, vocab)).toEqual([]);
  });

  test.each(corpus.invalid)('When the invalid pattern %j is parsed, Then it throws a syntax error with an offset', (pattern) => {
    let error: unknown;
    try {
      parsePattern(pattern);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PatternSyntaxError);
    const e = error as PatternSyntaxError;
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(pattern.length);
  });

  test.each(corpus.semantic)('When $pattern is checked against the SCO definitions, Then it reports $rule as a $severity', ({ pattern, rule, severity }) => {
    const issues = checkPattern(parsePattern(pattern), vocab);
    expect(issues).toEqual([expect.objectContaining({ rule, severity })]);
  });
});

describe('STIX pattern parser structure', () => {
  test('When observation operators are mixed, Then AND binds tighter than OR and OR tighter than FOLLOWEDBY', () => {
    const ast = parsePattern("[file:name = 'a'] FOLLOWEDBY [file:name = 'b'] OR [file:name = 'c'] AND [file:name = 'd']");
    expect(ast.kind).toBe('followedby');
    if (ast.kind !== 'followedby') return;
    expect(ast.left.kind).toBe('observation');
    expect(ast.right.kind).toBe('or');
    if (ast.right.kind !== 'or') return;
    expect(ast.right.right.kind).toBe('and');
  });

  test('When comparisons are mixed inside brackets, Then AND binds tighter than OR', () => {
    const ast = parsePattern("[file:name = 'a' OR file:name = 'b' AND file:size = 3]");
    expect(ast.kind === 'observation' && ast.comparison.kind).toBe('comparison-or');
  });

  test('When qualifiers follow an observation, Then they wrap it in order', () => {
    const ast = parsePattern("[file:name = 'a'] REPEATS 2 TIMES WITHIN 10 SECONDS");
    expect(ast).toMatchObject({ kind: 'qualified', qualifier: { kind: 'within', seconds: 10 }, expression: { kind: 'qualified', qualifier: { kind: 'repeats', times: 2 } } });
  });

  test('When a path has quoted components and list indexes, Then each step is kept', () => {
    const ast = parsePattern("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.5]");
    expect(ast).toMatchObject({
      kind: 'observation',
      comparison: {
        kind: 'comparison', operator: '>', value: { kind: 'float', value: 7.5 },
        path: { objectType: 'file', property: 'extensions', steps: [
          { kind: 'property', name: 'windows-pebinary-ext' }, { kind: 'property', name: 'sections' }, { kind: 'index', index: '*' }, { kind: 'property', name: 'entropy' },
        ] },
      },
    });
  });

  test('When constants of every type appear, Then each is decoded to its kind and value', () => {
    const ast = parsePattern("[file:name IN ('it\\'s', -3, 2.5, true, h'0aFF', b'aGk=', t'2024-01-01T00:00:00Z')]");
    expect(ast).toMatchObject({ comparison: { operator: 'IN', value: [
      { kind: 'string', value: "it's" }, { kind: 'int', value: -3 }, { kind: 'float', value: 2.5 }, { kind: 'bool', value: true },
      { kind: 'hex', value: '0aFF' }, { kind: 'binary', value: 'aGk=' }, { kind: 'timestamp', value: '2024-01-01T00:00:00Z' },
    ] } });
  });

  test('When NOT precedes an operator, Then the comparison is negated', () => {
    expect(parsePattern("[file:name NOT LIKE 'a%']")).toMatchObject({ comparison: { negated: true, operator: 'LIKE' } });
  });

  test('When a syntax error occurs, Then the message names the offset and what was expected', () => {
    expect(() => parsePattern("[file:name = 'a'")).toThrow(/expected '\]' to close the observation expression at offset 16/);
  });
});

describe('STIX pattern parser on hostile input', () => {
  const hostile = [
    '['.repeat(100_000),
    '('.repeat(100_000),
    "[file:name = '" + 'a'.repeat(200_000),
    "[file:name = '" + '\\\\'.repeat(100_000) + "'",
    "[file:name = 'a'" + " AND file:name = 'a'".repeat(20_000),
    "[file:name IN (" + "'a',".repeat(50_000),
    'a'.repeat(200_000),
    "[file:hashes" + '.x'.repeat(100_000) + " = 'a']",
    "[file:size = " + '9'.repeat(100_000) + ']',
    "[file:name = 'a']" + ' REPEATS 2 TIMES'.repeat(20_000),
  ];
  // Speed on such input is measured in `npm run bench`, not here; what is asserted is that the parser
  // refuses it with a syntax error (never a stack overflow or another exception) and, where a limit is
  // crossed, stops at that point rather than reading on.
  test.each(hostile.map((h, i) => [i, h] as const))('When hostile input #%i is parsed, Then it parses or is refused with a syntax error, never a stack overflow', (_i, input) => {
    let error: unknown;
    try {
      parsePattern(input);
    } catch (e) {
      error = e;
    }
    // A 100,000-digit integer literal is grammatical: it may parse; anything else is a syntax error.
    if (error === undefined) return expect(input.startsWith('[file:size = 9')).toBe(true);
    expect(error).toBeInstanceOf(PatternSyntaxError);
    const e = error as PatternSyntaxError;
    if (/over this server's limit/.test(e.message)) expect(e.offset).toBeLessThan(input.length / 2);
  });
});
