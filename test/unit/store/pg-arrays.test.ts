/**
 * The binary arrays of bulk writes on PostgreSQL (src/store/pg-arrays.ts): the layout array_recv reads, checked
 * against a reader of that layout written here; any text, bigint or smallint list round-trips, NULLs included.
 * test/integration/pipelined-writes.test.ts and every write test on PostgreSQL send them to a real server.
 */
import fc from 'fast-check';
import { pgBinaryArray, type PgElementType } from '../../../src/store/pg-arrays';

const OIDS: Record<PgElementType, number> = { text: 25, bigint: 20, smallint: 21 };

/** Reads the binary form back: [element type OID, has-nulls flag, elements]. */
function read(buf: Buffer): { oid: number; hasNulls: number; values: Array<string | number | null> } {
  expect(buf.readInt32BE(0)).toBe(1);
  const hasNulls = buf.readInt32BE(4);
  const oid = buf.readInt32BE(8);
  const count = buf.readInt32BE(12);
  expect(buf.readInt32BE(16)).toBe(1);
  let at = 20;
  const values: Array<string | number | null> = [];
  for (let i = 0; i < count; i++) {
    const n = buf.readInt32BE(at);
    at += 4;
    if (n < 0) {
      values.push(null);
      continue;
    }
    if (oid === 25) values.push(buf.toString('utf8', at, at + n));
    else if (oid === 20) {
      expect(n).toBe(8);
      values.push(Number(buf.readBigInt64BE(at)));
    } else {
      expect(n).toBe(2);
      values.push(buf.readInt16BE(at));
    }
    at += n;
  }
  expect(at).toBe(buf.length);
  return { oid, hasNulls, values };
}

test('text, with quotes, backslashes, multi-byte characters and NULLs, round-trips', () => {
  const values = ['{"type":"indicator","name":"a \\"quoted\\" \\\\ name"}', '', null, 'Lazarus — 라자루스 🐉', undefined];
  const out = read(pgBinaryArray('text', values));
  expect(out).toEqual({ oid: OIDS.text, hasNulls: 1, values: [values[0], '', null, values[3], null] });
});

test('the has-nulls flag is clear when no element is NULL', () => {
  expect(read(pgBinaryArray('smallint', [0, 1, 2])).hasNulls).toBe(0);
  expect(read(pgBinaryArray('smallint', [0, null])).hasNulls).toBe(1);
});

test('bigints keep every safe integer, negative ones included', () => {
  const values = [0, 1, -1, 2 ** 32, 2 ** 32 - 1, -(2 ** 32), 1_764_835_200_123_456, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
  expect(read(pgBinaryArray('bigint', values)).values).toEqual(values);
});

test('numbers outside the type or not integers are refused before they reach the database', () => {
  expect(() => pgBinaryArray('smallint', [32768])).toThrow(RangeError);
  expect(() => pgBinaryArray('smallint', [1.5])).toThrow(/is not a smallint/);
  expect(() => pgBinaryArray('bigint', [2 ** 53])).toThrow(/is not a bigint/);
  expect(() => pgBinaryArray('bigint', ['12x'])).toThrow(RangeError);
});

test('any list round-trips (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.option(fc.string({ unit: 'grapheme' }), { nil: null })), (values) => {
      expect(read(pgBinaryArray('text', values)).values).toEqual(values);
    }),
  );
  fc.assert(
    fc.property(fc.array(fc.option(fc.maxSafeInteger(), { nil: null })), (values) => {
      expect(read(pgBinaryArray('bigint', values)).values).toEqual(values);
    }),
  );
  fc.assert(
    fc.property(fc.array(fc.option(fc.integer({ min: -32768, max: 32767 }), { nil: null })), (values) => {
      expect(read(pgBinaryArray('smallint', values)).values).toEqual(values);
    }),
  );
});

test('an empty list is a one-dimensional array of no elements', () => {
  const buf = pgBinaryArray('text', []);
  expect(buf.length).toBe(20);
  expect(read(buf).values).toEqual([]);
});
