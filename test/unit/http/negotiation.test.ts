/** The Accept check keeps the verdicts of the values it has seen: each verdict must stay the one of §1.6.8. */
import type { NextFunction, Request, Response } from 'express';
import { requireTaxiiAccept } from '../../../src/http/middleware/negotiation';
import { acceptsTaxii21 } from '../../../src/taxii/media-types';

function verdict(check: ReturnType<typeof requireTaxiiAccept>, accept: string | undefined): boolean {
  let passed: boolean | undefined;
  const next: NextFunction = (err?: unknown) => {
    passed = err === undefined;
  };
  check({ headers: accept === undefined ? {} : { accept } } as unknown as Request, {} as Response, next);
  return passed!;
}

const VALUES = [undefined, '', 'application/taxii+json;version=2.1', 'application/taxii+json;version=2.0', 'application/json', '*/*', 'text/html', 'application/taxii+json;version=2.1;q=0'];

describe('requireTaxiiAccept', () => {
  test.each([true, false])('When values are checked again and again, more than are kept, Then each verdict stays the one of acceptsTaxii21 (lenient %s)', (lenient) => {
    const check = requireTaxiiAccept(lenient);
    for (let round = 0; round < 3; round++) {
      for (const v of VALUES) expect([v, verdict(check, v)]).toEqual([v, acceptsTaxii21(v, lenient)]);
      // More distinct values than the check keeps, so that it drops what it kept and decides again.
      for (let i = 0; i < 100; i++) expect(verdict(check, `application/x-${round}-${i}`)).toBe(false);
    }
  });
});
