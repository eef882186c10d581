/**
 * Cross-checks our verdicts against the OASIS STIX 2.1 JSON Schemas (non-normative) where the shared
 * vendored copy exists. Every disagreement must be listed with a reason in oasis-differences.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { computeDifferences, DIFFERENCES, OASIS, type Difference } from './oasis-support';

const describeIfOasis = fs.existsSync(path.join(OASIS, 'schemas')) ? describe : describe.skip;

describeIfOasis('OASIS schema cross-check', () => {
  test('When the whole corpus is validated with both schema sets, Then every disagreement is listed with a reason in oasis-differences.json', () => {
    const listed = JSON.parse(fs.readFileSync(DIFFERENCES, 'utf8')) as { differences: Difference[] };
    const byCase = new Map(listed.differences.map((d) => [d.case, d]));
    const unexplained: string[] = [];
    const stale: string[] = [];
    const seen = new Set<string>();
    for (const found of computeDifferences()) {
      seen.add(found.case);
      const d = byCase.get(found.case);
      if (!d || d.ours !== found.ours || d.oasis !== found.oasis || d.reason.trim().length < 20) {
        unexplained.push(`${found.case}: ours=${found.ours} oasis=${found.oasis}`);
      }
    }
    for (const d of listed.differences) if (!seen.has(d.case)) stale.push(d.case);
    expect(unexplained).toEqual([]);
    expect(stale).toEqual([]);
  });
});
