/**
 * The benchmark's generated collection is what it claims to be: valid STIX 2.1 that the server stores
 * without a warning (observables with the UUIDv5 ids of their ID-contributing properties), so that the
 * ingest it measures is the plain path, not the path of objects reported with warnings.
 */
import { envelopes } from '../../../bench/generate';
import { createStixValidator } from '../../../src/stix/validator';

it('generates objects the validator accepts without findings', () => {
  const validator = createStixValidator();
  const objects = [...envelopes(2_000, 500)].flatMap((e) => (JSON.parse(e.body) as { objects: unknown[] }).objects);
  expect(objects).toHaveLength(2_000);
  const findings = objects.flatMap((o) => {
    const r = validator.validate(o, { allowCustom: false, storedVersions: [] });
    return [...r.errors, ...r.warnings].map((f) => `${(o as { id: string }).id} ${f.pointer}: ${f.message} [${f.rule}]`);
  });
  expect(findings).toEqual([]);
});
