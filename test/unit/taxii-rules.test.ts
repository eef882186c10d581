/** Framework-free protocol rules: timestamps, media types, envelope splitting, cursors. */
import { InvalidInputError } from '../../src/domain/errors';
import { parseEnvelope } from '../../src/taxii/envelope-parser';
import { DEFAULT_VERSIONS } from '../../src/taxii/filters';
import { acceptsTaxii21, isTaxii21ContentType } from '../../src/taxii/media-types';
import { CursorCodec } from '../../src/taxii/pagination';
import { ceilToMs, microsToTimestamp, timestampToMicros, versionKey } from '../../src/common/time';

describe('timestamps', () => {
  test.each([
    ['2024-01-01T00:00:00Z', 1704067200000000],
    ['2024-01-01T00:00:00.5Z', 1704067200500000],
    ['2024-01-01T00:00:00.123456Z', 1704067200123456],
    ['2024-01-01T00:00:00.1234567Z', 1704067200123456],
    ['2024-01-01T01:00:00+01:00', 1704067200000000],
    ['2023-12-31T23:00:00.000-01:00', 1704067200000000],
  ])('When %s is parsed, Then it is %d µs since the epoch', (text, us) => {
    expect(timestampToMicros(text)).toBe(us);
  });

  test.each(['2024-01-01', '2024-01-01T00:00:00', '2024-02-30T00:00:00Z', '2024-01-01T24:00:00Z', 'x', '2024-01-01T00:00:00.Z'])('When "%s" is parsed, Then it is refused', (text) => {
    expect(timestampToMicros(text)).toBeUndefined();
  });

  test('When a hostile long string is parsed, Then it is refused at once', () => {
    const t = Date.now();
    expect(timestampToMicros('2024-01-01T00:00:00.' + '1'.repeat(100000))).toBeUndefined();
    expect(Date.now() - t).toBeLessThan(1000);
  });

  test('When µs are formatted and ceiled, Then the text has six digits and ceil keeps whole milliseconds', () => {
    expect(microsToTimestamp(1704067200123456)).toBe('2024-01-01T00:00:00.123456Z');
    expect(microsToTimestamp(ceilToMs(1704067200123456))).toBe('2024-01-01T00:00:00.124000Z');
    expect(ceilToMs(1704067200123000)).toBe(1704067200123000);
  });

  test('When version keys are compared as text, Then their order is time order across precisions', () => {
    const keys = ['2024-01-01T00:00:00.1Z', '2024-01-01T00:00:00.05Z', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00.123456789Z'].map((t) => versionKey(t)!);
    expect([...keys].sort()).toEqual([keys[2], keys[1], keys[0], keys[3]]);
    expect(versionKey('2024-01-01T00:00:00.5Z')).toBe(versionKey('2024-01-01T00:00:00.500000Z'));
  });
});

describe('media types', () => {
  test('When Accept has q=0 for TAXII 2.1 and nothing else acceptable, Then it is refused', () => {
    expect(acceptsTaxii21('application/taxii+json;version=2.1;q=0', true)).toBe(false);
  });
  test('When the lenient policy is off, Then */* and application/json are refused but TAXII 2.1 is accepted', () => {
    expect(acceptsTaxii21('*/*', false)).toBe(false);
    expect(acceptsTaxii21('application/json', false)).toBe(false);
    expect(acceptsTaxii21('application/taxii+json;version=2.1', false)).toBe(true);
  });
  test('When Content-Type carries a charset, Then utf-8 is tolerated and others are not', () => {
    expect(isTaxii21ContentType('application/taxii+json; version=2.1; charset=utf-8')).toBe(true);
    expect(isTaxii21ContentType('application/taxii+json;version=2.1;charset=latin1')).toBe(false);
    expect(isTaxii21ContentType('application/taxii+json;version=2.1, text/plain')).toBe(false);
  });
});

describe('envelope splitting', () => {
  test('When an envelope with strings holding brackets, quotes and escapes is split, Then each object keeps its exact text', () => {
    const a = '{"id":"x--1","s":"a]}\\"\\\\","n":[1,{"b":"}"}]}';
    const b = '{ "id" : "x--2" }';
    const text = `{"more":false, "objects" : [ ${a} ,\n${b}], "next":"]"}`;
    const out = parseEnvelope(text);
    expect(out.map((o) => o.raw)).toEqual([a, b]);
    expect(out[0]!.value).toEqual(JSON.parse(a));
  });

  test('When objects is nested too deeply, Then it is a 400 naming the depth', () => {
    const deep = '{"objects":[' + '['.repeat(100) + ']'.repeat(100) + ']}';
    expect(() => parseEnvelope(deep)).toThrow(/deeper than 64/);
  });

  test.each(['[]', '"x"', '{"objects":{}}', '{}', '{"objects":[1,2'])('When the body is %s, Then it is a 400', (text) => {
    expect(() => parseEnvelope(text)).toThrow(InvalidInputError);
  });
});

describe('cursors', () => {
  const codec = new CursorCodec(Buffer.alloc(32, 7));
  test('When a cursor is encoded and decoded for its scope, Then position and filters survive', () => {
    const filter = { addedAfterUs: 5, types: ['indicator'], versions: DEFAULT_VERSIONS };
    const token = codec.encode({ scope: 'c|objects', filter, dateAddedUs: 123, seq: 4 });
    expect(codec.decode(token)).toEqual({ scope: 'c|objects', filter, dateAddedUs: 123, seq: 4 });
  });
  test('When a cursor signed with another secret is decoded, Then it is refused', () => {
    const other = new CursorCodec(Buffer.alloc(32, 8)).encode({ scope: 's', filter: { versions: DEFAULT_VERSIONS }, dateAddedUs: 1, seq: 1 });
    expect(() => codec.decode(other)).toThrow(/not a cursor issued by this server/);
  });
});
