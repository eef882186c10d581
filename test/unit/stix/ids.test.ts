import { canonicalJson, computeScoId, parseId, uuidV5, versionKey } from '../../../src/stix/ids';

describe('SCO identifiers', () => {
  test('When the spec example ipv4-addr 198.51.100.3 is hashed, Then its id is the one printed in STIX 2.1 §2.9', () => {
    expect(computeScoId({ type: 'ipv4-addr', value: '198.51.100.3' })).toBe('ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4');
  });

  test('When non-contributing properties change, Then the id stays the same', () => {
    const a = computeScoId({ type: 'email-addr', value: 'a@example.com' });
    const b = computeScoId({ type: 'email-addr', value: 'a@example.com', display_name: 'A', spec_version: '2.1', id: 'x' });
    expect(a).toBe(b);
  });

  test('When several hashes are present, Then only the preferred one (MD5 first) contributes', () => {
    const md5Only = computeScoId({ type: 'file', hashes: { MD5: 'd41d8cd98f00b204e9800998ecf8427e' } });
    const both = computeScoId({ type: 'file', hashes: { 'SHA-256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', MD5: 'd41d8cd98f00b204e9800998ecf8427e' } });
    expect(both).toBe(md5Only);
  });

  test('When a process or an SCO without contributing properties is given, Then no deterministic id exists', () => {
    expect(computeScoId({ type: 'process', pid: 4 })).toBeUndefined();
    expect(computeScoId({ type: 'file', size: 3 })).toBeUndefined();
    expect(computeScoId({ type: 'x-custom', value: 'a' })).toBeUndefined();
  });

  test('When keys are out of order, Then the canonical JSON sorts them and drops whitespace', () => {
    expect(canonicalJson({ b: [1, { d: true, c: null }], a: 'é' })).toBe('{"a":"é","b":[1,{"c":null,"d":true}]}');
    expect(canonicalJson({ n: 1e21, m: 0.1 })).toBe('{"m":0.1,"n":1e+21}');
  });

  test('When a UUIDv5 is built, Then its version nibble is 5 and its variant is RFC 4122', () => {
    const u = uuidV5('anything');
    expect(u[14]).toBe('5');
    expect('89ab').toContain(u[19]);
  });

  test('When ids and version keys are read, Then malformed ids are rejected and modified wins over created', () => {
    expect(parseId('file--not-a-uuid')).toBeUndefined();
    expect(parseId('x-a--28bb3599-77cd-5a82-a950-b5bc3caf07c4')).toEqual({ type: 'x-a', uuid: '28bb3599-77cd-5a82-a950-b5bc3caf07c4' });
    expect(versionKey({ created: 'c', modified: 'm' })).toBe('m');
    expect(versionKey({ created: 'c' })).toBe('c');
  });
});
