import type { RequestHandler } from 'express';
import { NotAcceptableError, UnsupportedMediaTypeError } from '../../domain/errors';
import { acceptsTaxii21, isTaxii21ContentType } from '../../taxii/media-types';

/** Distinct Accept values whose verdict is kept (a client sends the same one on every poll). */
const KEPT_VERDICTS = 64;

/** 406 unless the Accept header admits TAXII 2.1 JSON (TAXII 2.1 §1.6.8). */
export function requireTaxiiAccept(lenient: boolean): RequestHandler {
  const verdicts = new Map<string, boolean>();
  const accepts = (accept: string | undefined): boolean => {
    if (accept === undefined) return acceptsTaxii21(accept, lenient);
    let ok = verdicts.get(accept);
    if (ok === undefined) {
      ok = acceptsTaxii21(accept, lenient);
      if (verdicts.size >= KEPT_VERDICTS) verdicts.clear();
      verdicts.set(accept, ok);
    }
    return ok;
  };
  return (req, _res, next) => {
    const accept = req.headers.accept;
    if (!accepts(accept)) return next(new NotAcceptableError(accept ?? ''));
    next();
  };
}

/** 415 unless a request with a body declares the TAXII 2.1 media type. */
export const requireTaxiiContentType: RequestHandler = (req, _res, next) => {
  const ct = req.get('Content-Type');
  if (!isTaxii21ContentType(ct)) return next(new UnsupportedMediaTypeError(ct));
  next();
};
