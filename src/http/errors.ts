import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { STATUS_CODES } from 'node:http';
import { DomainError, InvalidInputError } from '../domain/errors';
import { databaseUnavailable } from '../store/db';
import { TAXII_MEDIA_TYPE } from '../taxii/media-types';

/** Writes a TAXII error message resource (TAXII 2.1 §3.6.1) with the TAXII media type. */
export function sendError(res: Response, err: DomainError): void {
  const requestId = String(res.getHeader('X-Request-Id') ?? '');
  const body: Record<string, unknown> = {
    title: err.title,
    description: err.description,
    error_id: requestId || undefined,
    http_status: String(err.httpStatus),
  };
  if (err.details) body.details = err.details;
  for (const [k, v] of Object.entries(err.headers ?? {})) res.setHeader(k, v);
  res.status(err.httpStatus).type(TAXII_MEDIA_TYPE).setHeader('Content-Type', TAXII_MEDIA_TYPE);
  res.end(JSON.stringify(body));
}

/**
 * Errors raised by express or its router about the request itself: a path segment that is not valid
 * percent-encoding of UTF-8 text (a URIError from decodeURIComponent), or an http-errors style 4xx.
 * The console's error handler maps them with it too.
 */
export function clientError(err: unknown): DomainError | undefined {
  if (err instanceof URIError) {
    return new InvalidInputError('A path segment is not valid percent-encoding of UTF-8 text (each % must be followed by two hex digits, and the bytes must form UTF-8); fix the encoding of the URL path.');
  }
  const e = err as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown } | undefined;
  const status = Number(e?.status ?? e?.statusCode);
  if (Number.isInteger(status) && status >= 400 && status < 500 && e?.expose === true) {
    return new DomainError(status, STATUS_CODES[status] ?? 'Bad request', String(e.message ?? 'The request was refused.'));
  }
  return undefined;
}

/** Maps any error (domain, body-parser, database, bug) to one TAXII error response. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof DomainError) return sendError(res, err);
    const client = clientError(err);
    if (client) {
      log.info({ status: client.httpStatus, err: String(err?.message ?? err), reqId: res.getHeader('X-Request-Id') }, 'request refused');
      return sendError(res, client);
    }
    const unavailable = databaseUnavailable(err);
    if (unavailable) {
      log.warn({ err: String(err?.message ?? err), reason: unavailable.reason, reqId: res.getHeader('X-Request-Id') }, 'database unavailable');
      return sendError(res, unavailable);
    }
    log.error({ err, method: req.method, url: req.originalUrl, reqId: res.getHeader('X-Request-Id') }, 'unhandled error');
    sendError(res, new DomainError(500, 'Internal server error', 'The server failed to handle this request; the error was logged with this error_id.'));
  };
}
