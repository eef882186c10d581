/**
 * Names that are also Object.prototype members ("constructor", "valueOf", "__proto__"...) reach the
 * validator's per-type tables as STIX types, relationship types and extension names; each must get a
 * verdict, never an exception (found by the hostile-input property test as a 500 on POST).
 */
import { createStixValidator } from '../../../src/stix/validator';

const NAMES = ['constructor', 'valueOf', 'toString', 'hasOwnProperty', '__proto__', 'isPrototypeOf'];
const T = '2026-01-01T00:00:00.000Z';
const validator = createStixValidator();

function verdict(object: Record<string, unknown>, allowCustom: boolean): unknown {
  return validator.validate(object, { allowCustom });
}

describe.each(NAMES)('When "%s" is used as a name from input', (name) => {
  test.each([true, false])('as an object type (custom content allowed: %s), Then the object gets a verdict', (allowCustom) => {
    const r = verdict({ type: name, spec_version: '2.1', id: `${name}--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f`, created: T, modified: T }, allowCustom) as { valid: boolean };
    expect(typeof r.valid).toBe('boolean');
  });

  test('as a relationship_type, Then the relationship gets a verdict', () => {
    const r = verdict(
      {
        type: 'relationship', spec_version: '2.1', id: 'relationship--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: T, modified: T,
        relationship_type: name.toLowerCase().replace(/_/g, ''),
        source_ref: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd30', target_ref: 'identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd31',
      },
      false,
    ) as { valid: boolean };
    expect(typeof r.valid).toBe('boolean');
  });

  test('as an extension name and extension_type, Then the object gets a verdict', () => {
    const r = verdict(
      {
        type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: T, modified: T,
        pattern: "[ipv4-addr:value = '1.2.3.4']", pattern_type: 'stix', valid_from: T,
        extensions: { [name]: { extension_type: name } },
      },
      true,
    ) as { valid: boolean };
    expect(typeof r.valid).toBe('boolean');
  });
});
