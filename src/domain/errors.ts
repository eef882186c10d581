/**
 * Typed domain errors. Services throw these; src/http/errors.ts is the one place that maps them to a
 * TAXII error message resource (title, description, http_status, error_id).
 */
export class DomainError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly title: string,
    readonly description: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(`${title}: ${description}`);
  }
}

export class InvalidInputError extends DomainError {
  constructor(description: string, details?: Record<string, unknown>) {
    super(400, 'Bad request', description, details);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(description = 'Send HTTP Basic credentials or an API token (Authorization: Bearer/Token).') {
    super(401, 'Authentication required', description, undefined, { 'WWW-Authenticate': 'Basic realm="taxii", charset="UTF-8"' });
  }
}

export class ForbiddenError extends DomainError {
  constructor(description: string) {
    super(403, 'Forbidden', description);
  }
}

export class NotFoundError extends DomainError {
  constructor(description: string) {
    super(404, 'Not found', description);
  }
}

export class MethodNotAllowedError extends DomainError {
  constructor(method: string, allowed: readonly string[]) {
    super(405, 'Method not allowed', `${method} is not supported here; use ${allowed.join(' or ')}.`, undefined, {
      Allow: allowed.join(', '),
    });
  }
}

export class NotAcceptableError extends DomainError {
  constructor(accept: string) {
    super(
      406,
      'Not acceptable',
      `This server speaks TAXII 2.1 only and cannot answer Accept: ${accept}. Send Accept: application/taxii+json;version=2.1.`,
    );
  }
}

/** Which limit a body broke and how to stay within it; the default is a TAXII API root's. */
export interface BodyLimit {
  /** e.g. "this API root's max_content_length" */
  name: string;
  /** what the client should do instead, e.g. "split the envelope into smaller ones" */
  fix: string;
}

export const API_ROOT_BODY_LIMIT: BodyLimit = { name: "this API root's max_content_length", fix: 'split the envelope into smaller ones' };

export class PayloadTooLargeError extends DomainError {
  constructor(limit: number, what: BodyLimit = API_ROOT_BODY_LIMIT) {
    super(413, 'Request too large', `The request body exceeds ${what.name} of ${limit} bytes; ${what.fix}.`);
  }
}

/** RFC 9110 §8.4 and §15.5.16: a body in a content coding the server does not decode. */
export class UnsupportedContentEncodingError extends DomainError {
  constructor(encoding: string) {
    super(
      415,
      'Unsupported content encoding',
      `Content-Encoding ${encoding} is not supported; send the body uncompressed, without a Content-Encoding header (or with Content-Encoding: identity).`,
      undefined,
      { 'Accept-Encoding': 'identity' },
    );
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor(contentType: string | undefined) {
    super(
      415,
      'Unsupported media type',
      `${contentType ? `Content-Type ${contentType} is not supported` : 'The request has no Content-Type'}; send the body as Content-Type: application/taxii+json;version=2.1.`,
    );
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(description: string, retryAfterSeconds = 5) {
    super(503, 'Service unavailable', description, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }
}

/**
 * The database cannot serve right now (refused, unreachable, overloaded, locked, out of space, too slow):
 * nothing about the request is wrong, so the client should send it again after Retry-After.
 */
export class DatabaseUnavailableError extends ServiceUnavailableError {
  constructor(readonly reason: string) {
    super(`The database is not available right now (${reason}); nothing of this request was changed. Send it again after Retry-After seconds.`);
  }
}

export class TooManyRequestsError extends DomainError {
  constructor(description: string, retryAfterSeconds: number) {
    super(429, 'Too many requests', description, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }
}
