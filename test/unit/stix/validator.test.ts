import { computeScoId } from '../../../src/stix/ids';
import { SchemaRegistry } from '../../../src/stix/schema-registry';
import { createStixValidator, validateBundleOrEnvelope } from '../../../src/stix/validator';

const validator = createStixValidator(new SchemaRegistry());
const strict = { allowCustom: false };
const T = '2024-03-01T10:00:00.000Z';
const sdo = (type: string, extra: Record<string, unknown>): Record<string, unknown> => ({
  type, spec_version: '2.1', id: `${type}--6a3b1ddd-8c5f-4c21-9d49-6b1f1b3e9c11`, created: T, modified: T, ...extra,
});

describe('Empty lists in custom content', () => {
  test('When an empty list sits deep in a custom property, Then list.empty points at it', () => {
    const r = validator.validate(sdo('threat-actor', { name: 'Andariel', x_meta: { wallets: [{ chains: ['eth'] }, { chains: [] }] } }), { allowCustom: true });
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'list.empty', pointer: '/x_meta/wallets/1/chains' })]);
    expect(r.errors[0]!.message).toContain('x_meta.wallets[1].chains');
  });

  test('When a custom property nests far deeper than the walk goes, Then validation answers without overflowing the stack', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const r = validator.validate(sdo('threat-actor', { name: 'Andariel', x_deep: deep }), { allowCustom: true });
    expect(r.errors.filter((e) => e.rule === 'list.empty')).toEqual([]);
  });
});

describe('Validator warnings', () => {
  test('When an SCO id is not the UUIDv5 of its contributing properties, Then a warning names the expected id and the object stays valid', () => {
    const r = validator.validate({ type: 'domain-name', id: 'domain-name--6a3b1ddd-8c5f-4c21-9d49-6b1f1b3e9c11', value: 'example.com' }, strict);
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual([expect.objectContaining({ rule: 'sco-id.mismatch', pointer: '/id' })]);
    expect(r.warnings[0]!.message).toContain(computeScoId({ type: 'domain-name', value: 'example.com' })!);
  });

  test('When open-vocabulary values are outside the suggested lists but lowercase with hyphens, Then they are allowed without a warning (§2.13 MAY)', () => {
    const r = validator.validate(sdo('malware', { name: 'm', is_family: true, malware_types: ['trojan', 'crypto-drainer'], capabilities: ['steals-wallets'] }), strict);
    expect(r).toMatchObject({ valid: true, warnings: [] });
  });

  test('When open-vocabulary values are suggested values spelt differently or badly formed, Then vocab.open and vocab.format warn and the object stays valid', () => {
    const r = validator.validate(sdo('malware', { name: 'm', is_family: true, malware_types: ['Remote Access Trojan', 'Crypto Drainer'], capabilities: ['steals_wallets'] }), strict);
    expect(r.valid).toBe(true);
    expect(r.warnings.map((w) => [w.rule, w.pointer])).toEqual([['vocab.open', '/malware_types/0'], ['vocab.format', '/malware_types/1'], ['vocab.format', '/capabilities/0']]);
    expect(r.warnings[0]!.message).toContain('"remote-access-trojan"');
  });

  test('When pattern_type is not a suggested value, Then it is accepted because pattern-type-ov is open, and a badly spelt one only warns', () => {
    expect(validator.validate(sdo('indicator', { pattern: 'alert tcp any any', pattern_type: 'zeek', valid_from: T }), strict)).toMatchObject({ valid: true, warnings: [] });
    const r = validator.validate(sdo('indicator', { pattern: 'alert tcp any any', pattern_type: 'Zeek Script', valid_from: T }), strict);
    expect(r).toMatchObject({ valid: true, warnings: [{ rule: 'vocab.format', pointer: '/pattern_type' }] });
  });

  test('When a hash name differs from the vocabulary only in case, Then the warning names the spelling to use', () => {
    const f = { type: 'file', name: 'a', hashes: { sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } };
    const r = validator.validate({ ...f, id: computeScoId(f) }, strict);
    expect(r.warnings).toEqual([expect.objectContaining({ rule: 'hashes.algorithm-name', message: expect.stringContaining('"SHA-256"') })]);
  });

  test('When a custom property lacks the x_ prefix in a collection allowing custom content, Then it is valid with a prefix warning', () => {
    const r = validator.validate(sdo('campaign', { name: 'c', wallet_cluster: 'w1' }), { allowCustom: true });
    expect(r).toMatchObject({ valid: true, warnings: [{ rule: 'custom.property-prefix', pointer: '/wallet_cluster' }] });
  });

  test('When an SDO id is not a UUIDv4, Then a warning says so', () => {
    const r = validator.validate({ ...sdo('tool', { name: 't' }), id: 'tool--1ef0a6b2-0c3d-11ee-be56-0242ac120002' }, strict);
    expect(r).toMatchObject({ valid: true, warnings: [{ rule: 'id.uuid-version' }] });
  });
});

describe('Validator with stored versions', () => {
  const stored = [{ version: '2024-01-01T00:00:00.000Z', revoked: true }];
  test('When the stored earlier version is revoked and the new one is revoked too, Then it is valid', () => {
    expect(validator.validate(sdo('tool', { name: 't', revoked: true }), { allowCustom: false, storedVersions: stored }).valid).toBe(true);
  });

  test('When only a later stored version is revoked, Then a new older version is not an un-revocation', () => {
    const later = [{ version: '2025-01-01T00:00:00.000Z', revoked: true }];
    expect(validator.validate(sdo('tool', { name: 't' }), { allowCustom: false, storedVersions: later }).valid).toBe(true);
  });

  test('When a marking definition is re-posted with the same created, Then it is valid', () => {
    const m = { type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--6a3b1ddd-8c5f-4c21-9d49-6b1f1b3e9c11', created: T, definition_type: 'statement', definition: { statement: 's' } };
    expect(validator.validate(m, { allowCustom: false, storedVersions: [{ version: T, revoked: false }] }).valid).toBe(true);
  });
});

describe('Bundles and envelopes', () => {
  const ip = { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', value: '198.51.100.3' };
  test('When a bundle holds valid objects, Then the result is valid with one outcome per object', () => {
    const r = validateBundleOrEnvelope({ type: 'bundle', id: 'bundle--6a3b1ddd-8c5f-4c21-9d49-6b1f1b3e9c11', objects: [ip, ip] }, validator, strict);
    expect(r).toMatchObject({ kind: 'bundle', valid: true });
    expect(r.objects).toHaveLength(2);
    expect(r.warnings).toEqual([expect.objectContaining({ rule: 'container.duplicate-version', pointer: '/objects/1' })]);
  });

  test('When a bundle id is malformed, Then the container error is reported', () => {
    const r = validateBundleOrEnvelope({ type: 'bundle', id: 'bundle-1', objects: [ip] }, validator, strict);
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'bundle.id' })]);
  });

  test('When a bundle id has a UUID whose variant is not RFC 4122, Then bundle.id is reported', () => {
    const r = validateBundleOrEnvelope({ type: 'bundle', id: 'bundle--6a3b1ddd-8c5f-4c21-cd49-6b1f1b3e9c11', objects: [ip] }, validator, strict);
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual([expect.objectContaining({ rule: 'bundle.id', pointer: '/id' })]);
  });

  test('When a bundle has an empty objects list, Then bundle.objects-empty is reported, and a bundle without objects is valid', () => {
    const empty = validateBundleOrEnvelope({ type: 'bundle', id: 'bundle--6a3b1ddd-8c5f-4c21-9d49-6b1f1b3e9c11', objects: [] }, validator, strict);
    expect(empty.valid).toBe(false);
    expect(empty.errors).toEqual([expect.objectContaining({ rule: 'bundle.objects-empty', pointer: '/objects' })]);
    const none = validateBundleOrEnvelope({ type: 'bundle', id: 'bundle--6a3b1ddd-8c5f-4c21-9d49-6b1f1b3e9c11' }, validator, strict);
    expect(none).toMatchObject({ kind: 'bundle', valid: true, errors: [] });
  });

  test('When a TAXII envelope has an empty objects list, Then it is valid (an empty page, TAXII 2.1 §3.7)', () => {
    expect(validateBundleOrEnvelope({ more: false, objects: [] }, validator, strict)).toMatchObject({ kind: 'envelope', valid: true, errors: [] });
  });

  test('When a TAXII envelope holds an invalid object, Then only that object is invalid', () => {
    const r = validateBundleOrEnvelope({ more: false, objects: [ip, { ...ip, value: '999.1.1.1' }] }, validator, strict);
    expect(r.kind).toBe('envelope');
    expect(r.objects.map((o) => o.result.valid)).toEqual([true, false]);
    expect(r.valid).toBe(false);
  });

  test('When the document is neither, Then it is rejected as a container', () => {
    expect(validateBundleOrEnvelope([ip], validator, strict)).toMatchObject({ kind: 'unknown', valid: false, errors: [{ rule: 'container.type' }] });
  });
});

describe('Custom properties (§11.1) under the default settings (no custom content)', () => {
  const domain = (extra: Record<string, unknown>): Record<string, unknown> => {
    const o = { type: 'domain-name', spec_version: '2.1', value: 'wallet-update.example', ...extra };
    return { ...o, id: computeScoId(o) };
  };

  test('When an SDO and an SCO carry x_ custom properties, Then both are valid with no finding', () => {
    expect(validator.validate(sdo('campaign', { name: 'c', x_wallet_cluster: 'w1' }), strict)).toEqual({ valid: true, errors: [], warnings: [] });
    expect(validator.validate(domain({ x_first_resolved: T }), strict)).toEqual({ valid: true, errors: [], warnings: [] });
  });

  test('When a property STIX defines elsewhere is on a type that does not define it, Then it is a custom.property-prefix warning, not an error', () => {
    const sco = validator.validate(domain({ created: T }), strict);
    expect(sco).toMatchObject({ valid: true, warnings: [{ rule: 'custom.property-prefix', pointer: '/created' }] });
    const marking = validator.validate({ type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--6a3b1ddd-8c5f-4c21-9d49-6b1f1b3e9c11', created: T, modified: T, definition_type: 'statement', definition: { statement: 'c' } }, strict);
    expect(marking).toMatchObject({ valid: true, warnings: [{ rule: 'custom.property-prefix', pointer: '/modified' }] });
    expect(marking.warnings[0]!.message).toContain('cannot be versioned');
  });

  test('When a property no STIX type defines lacks the x_ prefix, Then a collection without custom content refuses it and one with custom content warns', () => {
    expect(validator.validate(sdo('campaign', { name: 'c', wallet_cluster: 'w1' }), strict)).toMatchObject({ valid: false, errors: [{ rule: 'custom.property-not-allowed', pointer: '/wallet_cluster' }] });
    expect(validator.validate(sdo('campaign', { name: 'c', wallet_cluster: 'w1' }), { allowCustom: true })).toMatchObject({ valid: true, warnings: [{ rule: 'custom.property-prefix' }] });
  });

  test('When an x_ name breaks the custom property naming rules, Then it is still an error', () => {
    expect(validator.validate(sdo('campaign', { name: 'c', x_Wallet: 'w1' }), strict)).toMatchObject({ valid: false, errors: [{ rule: 'custom.property-name' }] });
  });
});
