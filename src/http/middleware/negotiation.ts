import type { RequestHandler } from 'express';
import { NotAcceptableError, UnsupportedMediaTypeError } from '../../domain/errors';
import { acceptsTaxii21, isTaxii21ContentType } from '../../taxii/media-types';

/** 406 unless the Accept header admits TAXII 2.1 JSON (TAXII 2.1 §1.6.8). */
export function requireTaxiiAccept(lenient: boolean): RequestHandler {
  return (req, _res, next) => {
    const accept = req.get('Accept');
    if (!acceptsTaxii21(accept, lenient)) return next(new NotAcceptableError(accept ?? ''));
    next();
  };
}

/** 415 unless a request with a body declares the TAXII 2.1 media type. */
export const requireTaxiiContentType: RequestHandler = (req, _res, next) => {
  const ct = req.get('Content-Type');
  if (!isTaxii21ContentType(ct)) return next(new UnsupportedMediaTypeError(ct));
  next();
};
