import { granularProfile, granularView, redact, REDACTED_PROPERTY, servedBody } from '../../../src/stix/granular-redaction';

/** Redaction of granular TLP markings (STIX 2.1 §7.2.3): selectors into properties, lists and sub-objects. */
const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const CLEAR = 0, GREEN_RANK = 1, AMBER_RANK = 2;

function malware(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'malware', spec_version: '2.1', id: 'malware--00000000-0000-4000-8000-000000000001',
    created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', name: 'm', is_family: false, ...extra,
  };
}

test('When nothing is marked above the clearance, Then there is nothing to redact and the stored bytes are served as they are', () => {
  const m = malware({ description: 'd', granular_markings: [{ marking_ref: GREEN, selectors: ['description'] }] });
  expect(redact(m, GREEN_RANK)).toBeUndefined();
  const body = JSON.stringify(m);
  expect(servedBody(body, 1, { maxTlp: GREEN_RANK, mode: 'redact' })).toBe(body);
});

test('When list items are marked, Then they are removed, later indexes of kept markings shift, and a list left empty goes with its property', () => {
  const m = malware({
    aliases: ['a0', 'a1', 'a2'],
    malware_types: ['ransomware'],
    granular_markings: [
      { marking_ref: RED, selectors: ['aliases.[0]', 'malware_types.[0]'] },
      { marking_ref: GREEN, selectors: ['aliases.[2]', 'aliases.[0]'] },
    ],
  });
  const out = redact(m, GREEN_RANK)!;
  expect(out.aliases).toEqual(['a1', 'a2']);
  expect(out).not.toHaveProperty('malware_types');
  // aliases.[0] pointed into removed content: dropped from the kept marking.
  expect(out.granular_markings).toEqual([{ marking_ref: GREEN, selectors: ['aliases.[1]'] }]);
  expect(out[REDACTED_PROPERTY]).toEqual(['aliases.[0]', 'malware_types.[0]']);
  expect(m.aliases).toEqual(['a0', 'a1', 'a2']);
});

test('When a property of a sub-object in a list is marked, Then only that property goes', () => {
  const m = malware({ external_references: [{ source_name: 's', url: 'https://x.example/', description: 'secret' }], granular_markings: [{ marking_ref: AMBER, selectors: ['external_references.[0].description'] }] });
  expect(redact(m, GREEN_RANK)!.external_references).toEqual([{ source_name: 's', url: 'https://x.example/' }]);
});

test('When a required property is marked, Then the redacted object is not valid STIX and the object is withheld below that level', () => {
  const m = malware({ description: 'd', granular_markings: [{ marking_ref: AMBER, selectors: ['is_family'] }, { marking_ref: RED, selectors: ['description'] }] });
  expect(granularProfile(m)).toEqual({ tlp: 3 + 1, redactFloor: AMBER_RANK });
  expect(granularView(m, { maxTlp: GREEN_RANK, mode: 'redact' }).kind).toBe('withheld');
  expect(granularView(m, { maxTlp: AMBER_RANK, mode: 'redact' }).kind).toBe('redacted');
  expect(granularView(m, { maxTlp: AMBER_RANK, mode: 'withhold' }).kind).toBe('withheld');
  expect(granularView(m, undefined).kind).toBe('whole');
});

test('When a selector names id or granular_markings, or is malformed, Then the object cannot be redacted', () => {
  for (const selector of ['id', 'granular_markings', 'aliases.[x]', '']) {
    const m = malware({ aliases: ['a'], granular_markings: [{ marking_ref: RED, selectors: [selector] }] });
    expect(redact(m, CLEAR)).toBeNull();
    expect(granularProfile(m)!.redactFloor).toBe(granularProfile(m)!.tlp);
  }
});

test('When a marking is not a TLP marking, Then it does not count', () => {
  const m = malware({ description: 'd', granular_markings: [{ lang: 'en', selectors: ['description'] }, { marking_ref: 'marking-definition--00000000-0000-4000-8000-000000000009', selectors: ['name'] }] });
  expect(granularProfile(m)).toBeUndefined();
});

test('When an object carries no granular TLP marking, Then its profile is worked out without building a validator (the store asks for every posted object)', () => {
  jest.isolateModules(() => {
    // Fresh modules: the default validator of granular-redaction is built once per module instance.
    const actual = jest.requireActual('../../../src/stix/validator') as typeof import('../../../src/stix/validator');
    const create = jest.fn(actual.createStixValidator);
    jest.doMock('../../../src/stix/validator', () => ({ ...actual, createStixValidator: create }));
    const fresh = require('../../../src/stix/granular-redaction') as typeof import('../../../src/stix/granular-redaction');
    expect(fresh.granularProfile(malware({ object_marking_refs: [RED] }))).toBeUndefined();
    expect(create).not.toHaveBeenCalled();
    expect(fresh.granularProfile(malware({ description: 'd', granular_markings: [{ marking_ref: RED, selectors: ['description'] }] }))).toEqual({ tlp: 4, redactFloor: 0 });
    expect(create).toHaveBeenCalledTimes(1);
  });
});
