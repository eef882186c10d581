/**
 * Every rule of the catalogue (src/stix/rules.ts) is exercised by the corpus: at least one fixture that
 * triggers it (invalid/<rule>.json for errors, warning/<rule>.json for warnings) and one near miss that does
 * not (passing/<rule>.json). Removing a rule from the validator makes its trigger fixtures fail here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES, type RuleId } from '../../../src/stix/rules';
import { createStixValidator } from '../../../src/stix/validator';
import type { InvalidCase } from '../../fixtures/stix/generate-corpus';
import { evaluateCase } from './evaluate-case';

const FIXTURES = path.resolve(__dirname, '../../fixtures/stix');
const validator = createStixValidator();
const ruleIds = Object.keys(RULES) as RuleId[];

function casesOf(sub: string, rule: string): InvalidCase[] {
  const file = path.join(FIXTURES, sub, `${rule}.json`);
  if (!fs.existsSync(file)) return [];
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { rule: string; cases: InvalidCase[] };
  expect(doc.rule).toBe(rule);
  return doc.cases;
}

function rows(sub: string): Array<[string, string, InvalidCase]> {
  return fs.readdirSync(path.join(FIXTURES, sub)).filter((f) => f.endsWith('.json')).sort().flatMap((f) => {
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, sub, f), 'utf8')) as { rule: string; cases: InvalidCase[] };
    return doc.cases.map((c): [string, string, InvalidCase] => [doc.rule, c.name, c]);
  });
}

describe('Rule fixtures', () => {
  test.each(ruleIds)('When the fixtures for %s are looked up, Then there is a triggering case of the right severity and a passing near miss', (rule) => {
    const { severity } = RULES[rule];
    expect(casesOf(severity === 'error' ? 'invalid' : 'warning', rule).length).toBeGreaterThan(0);
    expect(casesOf(severity === 'error' ? 'warning' : 'invalid', rule)).toEqual([]);
    expect(casesOf('passing', rule).length).toBeGreaterThan(0);
  });

  test('When the fixture folders are listed, Then every file is named after a rule of the catalogue', () => {
    for (const sub of ['invalid', 'warning', 'passing']) {
      const unknown = fs.readdirSync(path.join(FIXTURES, sub)).map((f) => f.replace(/\.json$/, '')).filter((r) => !(r in RULES));
      expect(unknown).toEqual([]);
    }
  });

  test.each(rows('warning'))('When a case triggering the warning %s (%s) is validated, Then it is valid and every warning carries that rule', (rule, _name, c) => {
    const r = evaluateCase(validator, c);
    expect(r.errors).toEqual([]);
    expect(r.warnings.length).toBeGreaterThan(0);
    expect(r.warnings.map((w) => w.rule)).toEqual(r.warnings.map(() => rule));
    for (const w of r.warnings) expect(w.message.length).toBeGreaterThan(15);
  });

  test.each(rows('passing'))('When the near miss for %s (%s) is validated, Then it is valid and does not trigger that rule', (rule, _name, c) => {
    const r = evaluateCase(validator, c);
    expect(r.errors).toEqual([]);
    expect([...r.errors, ...r.warnings].filter((f) => f.rule === rule)).toEqual([]);
    expect(r.valid).toBe(true);
  });
});
