import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidInputError } from '../domain/errors';
import type { ObjectFilter } from '../domain/types';
import { filterFingerprint, filterFromFingerprint } from './filters';

/**
 * Stateless keyset cursors for `next`. A cursor names the collection and endpoint it was issued for,
 * the full filter set (so clients that drop the filters on later pages, such as Elastic, still get the
 * filtered sequence), and the position (date_added, seq) of the last record served. It is signed, so
 * it cannot be forged, and it never expires: slow pollers can resume from it days later.
 */
export interface CursorState {
  scope: string;
  filter: ObjectFilter;
  dateAddedUs: number;
  seq: number;
}

export class CursorCodec {
  constructor(private readonly secret: Buffer) {}

  encode(c: CursorState): string {
    const payload = Buffer.from(JSON.stringify([1, c.scope, filterFingerprint(c.filter), c.dateAddedUs, c.seq])).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** Decodes a cursor, or throws a 400 that says what is wrong with it; the caller compares its scope. */
  decode(token: string): CursorState {
    const bad = (why: string) => this.bad(token, why);
    const dot = token.indexOf('.');
    if (dot <= 0 || token.length > 4096) throw bad('is not a cursor issued by this server');
    const payload = token.slice(0, dot);
    const sig = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.sign(payload), 'base64url');
    if (sig.length !== expected.length || !timingSafeEqual(sig, expected)) throw bad('is not a cursor issued by this server');
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw bad('is not a cursor issued by this server');
    }
    const [v, s, fp, d, seq] = parsed as [number, string, string, number, number];
    if (v !== 1) throw bad('comes from an incompatible server version');
    return { scope: s, filter: filterFromFingerprint(fp), dateAddedUs: d, seq };
  }

  private bad(token: string, why: string): InvalidInputError {
    return new InvalidInputError(`next "${token.length > 60 ? `${token.slice(0, 60)}…` : token}" ${why}; start again without next.`);
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest().subarray(0, 16).toString('base64url');
  }
}
