/**
 * One-dimensional arrays in PostgreSQL's binary format, for the array parameters of bulk writes and of the
 * ingest's lookups.
 *
 * node-postgres sends a JavaScript array as an array literal: every element quoted, every `"` and `\` in it
 * escaped (a stored STIX body is JSON, full of quotes), and the server parses that literal back character by
 * character (`array_in`). A Buffer parameter goes in binary instead: each element is its length and its
 * bytes, which the server reads without parsing (`array_recv`). The statement's cast (`$1::text[]`) fixes
 * the parameter's type, and the element type written in the header must be that same type.
 */

/** The element types bulk writes use, with their type OIDs (pg_type) and their binary width. */
export type PgElementType = 'text' | 'bigint' | 'smallint';

const ELEMENT_OID: Record<PgElementType, number> = { text: 25, bigint: 20, smallint: 21 };
const HEADER_BYTES = 20;
const TWO_32 = 2 ** 32;

/**
 * `values` as the binary form of a one-dimensional array of `type`; `null` and `undefined` elements are NULL.
 * Numbers must be integers in the type's range (bigint: safe integers); anything else is refused here, before
 * it reaches the database.
 */
export function pgBinaryArray(type: PgElementType, values: readonly unknown[]): Buffer {
  let size = HEADER_BYTES;
  let nulls = 0;
  const texts: Array<string | null> | undefined = type === 'text' ? new Array(values.length) : undefined;
  const lengths: number[] | undefined = texts ? new Array(values.length) : undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      nulls++;
      size += 4;
      if (texts) texts[i] = null;
      continue;
    }
    if (texts) {
      const s = typeof v === 'string' ? v : String(v);
      texts[i] = s;
      const n = Buffer.byteLength(s, 'utf8');
      lengths![i] = n;
      size += 4 + n;
    } else size += type === 'bigint' ? 12 : 6;
  }
  const out = Buffer.allocUnsafe(size);
  out.writeInt32BE(1, 0); // dimensions
  out.writeInt32BE(nulls > 0 ? 1 : 0, 4);
  out.writeInt32BE(ELEMENT_OID[type], 8);
  out.writeInt32BE(values.length, 12);
  out.writeInt32BE(1, 16); // lower bound
  let at = HEADER_BYTES;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      out.writeInt32BE(-1, at);
      at += 4;
    } else if (texts) {
      const n = lengths![i]!;
      out.writeInt32BE(n, at);
      out.write(texts[i]!, at + 4, n, 'utf8');
      at += 4 + n;
    } else if (type === 'bigint') {
      const x = integer(v, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, type);
      const high = Math.floor(x / TWO_32);
      out.writeInt32BE(8, at);
      out.writeInt32BE(high, at + 4);
      out.writeUInt32BE(x - high * TWO_32, at + 8);
      at += 12;
    } else {
      out.writeInt32BE(2, at);
      out.writeInt16BE(integer(v, -32768, 32767, type), at + 4);
      at += 6;
    }
  }
  return out;
}

function integer(v: unknown, min: number, max: number, type: PgElementType): number {
  const x = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(x) || x < min || x > max) throw new RangeError(`${String(v)} is not a ${type}`);
  return x;
}
