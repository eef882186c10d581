/** docs/validation.md and the rule catalogue (src/stix/rules.ts) agree, and the validator reports only catalogued rules. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderRuleTable, RULES } from '../../../src/stix/rules';

const ROOT = path.resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sourceFiles(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
}

describe('Rule catalogue', () => {
  test('When docs/validation.md is read, Then its rule table is exactly the one rendered from the catalogue', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'validation.md'), 'utf8');
    const table = doc.split('<!-- rule-table:start -->\n')[1]?.split('<!-- rule-table:end -->')[0];
    expect(table).toBe(renderRuleTable());
  });

  test('When the validator sources are scanned, Then every rule id they name is in the catalogue and every catalogued rule is named in them', () => {
    const named = new Set<string>();
    for (const file of sourceFiles(path.join(ROOT, 'src', 'stix')).filter((f) => !f.endsWith('rules.ts'))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/rule: '([a-z0-9.-]+)'|rule: custom \? '([a-z0-9.-]+)' : '([a-z0-9.-]+)'|rule: '([a-z0-9.-]+)' \}/g)) {
        for (const g of m.slice(1)) if (g) named.add(g);
      }
    }
    expect([...named].filter((r) => !(r in RULES))).toEqual([]);
    // Rules produced from data (schema keywords, timestamp ordering tables, pattern issues) are named elsewhere in the sources.
    const all = sourceFiles(path.join(ROOT, 'src', 'stix')).filter((f) => !f.endsWith('rules.ts')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const unnamed = Object.keys(RULES).filter((r) => !r.startsWith('schema.') && !all.includes(`'${r}'`));
    expect(unnamed).toEqual([]);
  });
});
