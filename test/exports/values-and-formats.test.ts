/** Value extraction from patterns and observables, and the text formats (no database). */
import { csvField, csvRecord, mispAttributeType, uuidV5, walletMispType } from '../../src/exports/formats';
import { passes, parseExportFilter } from '../../src/exports/filters';
import { valuesOf, valuesOfObservable, valuesOfPattern } from '../../src/exports/values';

describe('values of patterns', () => {
  test.each([
    ["[ipv4-addr:value = '198.51.100.1']", [{ type: 'ipv4', value: '198.51.100.1' }]],
    ["[ipv4-addr:value = '198.51.100.0/24']", [{ type: 'ipv4', value: '198.51.100.0/24' }]],
    ["[ipv6-addr:value = '2001:DB8::1']", [{ type: 'ipv6', value: '2001:db8::1' }]],
    ["[domain-name:value = 'Example.COM']", [{ type: 'domain', value: 'example.com' }]],
    ["[url:value = 'http://example.com/a?b=c']", [{ type: 'url', value: 'http://example.com/a?b=c' }]],
    ["[file:hashes.'SHA-256' = 'AB" + 'a'.repeat(62) + "']", [{ type: 'sha256', value: 'ab' + 'a'.repeat(62) }]],
    ["[file:hashes.MD5 = '" + 'f'.repeat(32) + "']", [{ type: 'md5', value: 'f'.repeat(32) }]],
    ["[cryptocurrency-wallet:value = '0xAbC']", [{ type: 'wallet', value: '0xAbC' }]],
  ])('When the pattern is one equality %s, Then its value is taken', (pattern, expected) => {
    expect(valuesOfPattern(pattern)).toEqual(expected);
  });

  test('When the pattern is an OR of equalities, inside or between observations, Then every supported value is taken', () => {
    expect(valuesOfPattern("[ipv4-addr:value = '198.51.100.1' OR domain-name:value = 'a.example']")).toEqual([
      { type: 'ipv4', value: '198.51.100.1' },
      { type: 'domain', value: 'a.example' },
    ]);
    expect(valuesOfPattern("[ipv4-addr:value = '198.51.100.1'] OR [file:name = 'x.exe'] OR [url:value = 'https://a.example/']")).toEqual([
      { type: 'ipv4', value: '198.51.100.1' },
      { type: 'url', value: 'https://a.example/' },
    ]);
  });

  test.each([
    "[ipv4-addr:value = '198.51.100.1' AND domain-name:value = 'a.example']",
    "[ipv4-addr:value = '198.51.100.1'] AND [domain-name:value = 'a.example']",
    "[ipv4-addr:value = '198.51.100.1'] FOLLOWEDBY [domain-name:value = 'a.example']",
    "[ipv4-addr:value = '198.51.100.1'] WITHIN 60 SECONDS",
    "[ipv4-addr:value != '198.51.100.1']",
    "[NOT ipv4-addr:value = '198.51.100.1']",
    "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
    "[domain-name:value LIKE '%.example']",
    "[domain-name:value MATCHES '^a']",
    "[ipv4-addr:value IN ('198.51.100.1', '198.51.100.2')]",
    "[file:name = 'x.exe']",
    "[ipv4-addr:value = 'not an address']",
    "[file:hashes.'SHA-256' = 'tooshort']",
    "[domain-name:value = 'bad domain']",
    'not a pattern at all',
  ])('When the pattern is %s, Then no value is taken', (pattern) => {
    expect(valuesOfPattern(pattern)).toEqual([]);
  });

  test('When a hostile long pattern or value arrives, Then extraction answers without backtracking', () => {
    expect(valuesOfPattern(`[domain-name:value = '${'a.'.repeat(50_000)}!']`)).toEqual([]);
    expect(valuesOfPattern('['.repeat(10_000))).toEqual([]);
    expect(walletMispType('1'.repeat(100_000))).toBe('text');
  });

  test('When an observable or a non-STIX indicator is given, Then its own values (or none) are taken', () => {
    expect(valuesOfObservable({ type: 'file', hashes: { 'SHA-256': 'A'.repeat(64), 'SHA-1': 'b'.repeat(40), 'SSDEEP': '3:a:b' } })).toEqual([
      { type: 'sha256', value: 'a'.repeat(64) },
      { type: 'sha1', value: 'b'.repeat(40) },
    ]);
    expect(valuesOf({ type: 'ipv6-addr', value: '2001:db8::/32' })).toEqual([{ type: 'ipv6', value: '2001:db8::/32' }]);
    expect(valuesOf({ type: 'ipv4-addr', value: '198.51.100.0/33' })).toEqual([]);
    expect(valuesOf({ type: 'indicator', pattern_type: 'sigma', pattern: "[ipv4-addr:value = '198.51.100.1']" })).toEqual([]);
    expect(valuesOf({ type: 'mutex', name: 'x' })).toEqual([]);
  });
});

describe('formats', () => {
  test('When a CSV field holds a comma, a quote or a line break, Then it is quoted with doubled quotes (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvRecord(['a', 'b,c'])).toBe('a,"b,c"\r\n');
  });

  test('When a CSV field starts with a formula character, Then it is prefixed with a quote and quoted', () => {
    for (const f of ['=1+1', '+1', '-1', '@A1', '\tx', '\rx']) expect(csvField(f)).toBe(`"'${f}"`);
    expect(csvField('a=1')).toBe('a=1');
  });

  test('When wallet addresses are typed for MISP, Then Bitcoin, Monero and Dash get their types and others text', () => {
    expect(walletMispType('1BoatSLRHtKNngkdXEeobR76b53LETtpyT')).toBe('btc');
    expect(walletMispType('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')).toBe('btc');
    expect(walletMispType('4' + '9'.repeat(94))).toBe('xmr');
    expect(walletMispType('0x098B716B8Aaf21512996dC57EB0615e2383E2f96')).toBe('text');
    expect(mispAttributeType({ type: 'ipv6', value: '::1' })).toEqual({ type: 'ip-dst', category: 'Network activity' });
    expect(mispAttributeType({ type: 'sha256', value: 'a' })).toEqual({ type: 'sha256', category: 'Payload delivery' });
  });

  test('When a UUIDv5 is made twice from one name, Then it is the same RFC 4122 version-5 UUID', () => {
    const u = uuidV5('x');
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidV5('x')).toBe(u);
    expect(uuidV5('y')).not.toBe(u);
    // RFC 4122 appendix B (errata 1352): the DNS namespace and "www.example.com".
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

describe('filters', () => {
  const now = Date.parse('2026-06-01T00:00:00Z') * 1000;
  test('When min_confidence is set, Then lists drop unrated objects while the bundle keeps them', () => {
    const f = parseExportFilter({ min_confidence: '50' });
    expect(passes({ type: 'indicator', confidence: 50 }, f, now, true)).toBe(true);
    expect(passes({ type: 'indicator', confidence: 49 }, f, now, true)).toBe(false);
    expect(passes({ type: 'ipv4-addr' }, f, now, true)).toBe(false);
    expect(passes({ type: 'ipv4-addr' }, f, now, false)).toBe(true);
  });

  test('When an object is revoked or its valid_until has passed, Then it never passes', () => {
    expect(passes({ type: 'indicator', revoked: true }, {}, now, false)).toBe(false);
    expect(passes({ type: 'indicator', valid_until: '2026-06-01T00:00:00Z' }, {}, now, false)).toBe(false);
    expect(passes({ type: 'indicator', valid_until: '2026-06-01T00:00:01Z' }, {}, now, false)).toBe(true);
  });

  test('When the valid_from window is given, Then its start is inclusive and its end exclusive', () => {
    const f = parseExportFilter({ valid_from_start: '2026-01-01T00:00:00Z', valid_from_end: '2026-02-01T00:00:00Z' });
    expect(passes({ type: 'indicator', valid_from: '2026-01-01T00:00:00Z' }, f, now, true)).toBe(true);
    expect(passes({ type: 'indicator', valid_from: '2026-02-01T00:00:00Z' }, f, now, true)).toBe(false);
    expect(() => parseExportFilter({ valid_from_start: '2026-02-01T00:00:00Z', valid_from_end: '2026-01-01T00:00:00Z' })).toThrow(/later than/);
    expect(() => parseExportFilter({ 'match[type]': ['a', 'b'] })).toThrow(/more than once/);
  });
});
