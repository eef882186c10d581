/**
 * One log line per request (pino-http): method, route template, path, status, duration, body bytes,
 * principal id, request id (the X-Request-Id the response carries) and remote address. Headers, query
 * strings and bodies are never logged, so no credential (Authorization, cookies, tokens, passwords) can
 * reach the log. Failed authentications (401) are logged at warn with the scheme that was tried.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Principal } from '../../taxii/access';
import { routeTemplate } from '../route-template';

/** Response body bytes written so far (counted by countBodyBytes). */
const BYTES = Symbol('taxii.bodyBytes');

type Counted = ServerResponse & { [BYTES]?: number };

/** Counts the body bytes a response writes, for the log line (Content-Length is often computed by Node itself). */
export function countBodyBytes(res: ServerResponse): void {
  const r = res as Counted;
  r[BYTES] = 0;
  const write = res.write;
  const end = res.end;
  const add = (chunk: unknown, encoding?: unknown) => {
    if (typeof chunk === 'string') r[BYTES]! += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    else if (chunk instanceof Uint8Array) r[BYTES]! += chunk.byteLength;
  };
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    add(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (typeof chunk !== 'function') add(chunk, rest[0]);
    return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
}

export function bodyBytes(res: ServerResponse): number {
  return (res as Counted)[BYTES] ?? 0;
}

/** The scheme of a refused Authorization header (never its value), or "certificate". */
export function authScheme(req: IncomingMessage): string {
  const header = req.headers.authorization;
  if (!header) return 'certificate';
  const scheme = header.split(' ', 1)[0]!.toLowerCase();
  return ['basic', 'bearer', 'token'].includes(scheme) ? scheme : 'other';
}

function line(req: Request, res: Response, durationMs: number): Record<string, unknown> {
  const principal = res.locals.principal as Principal | undefined;
  const out: Record<string, unknown> = {
    method: req.method,
    route: routeOf(req),
    path: req.path.length > 300 ? `${req.path.slice(0, 300)}…` : req.path,
    status: res.statusCode,
    duration_ms: durationMs,
    bytes: bodyBytes(res),
    principal: principal?.id ?? null,
    remote_addr: req.ip,
  };
  if (res.statusCode === 401) out.auth_failure = authScheme(req);
  if (!res.writableFinished) out.aborted = true;
  return out;
}

/** The route template of a request, computed once and shared by the log line and the metrics. */
const ROUTE = Symbol('taxii.route');
export function routeOf(req: Request): string {
  const r = req as Request & { [ROUTE]?: string };
  return (r[ROUTE] ??= routeTemplate(req.path));
}

function levelOf(route: string, status: number, failed: boolean): 'error' | 'warn' | 'info' | 'debug' {
  const probe = route === '/healthz' || route === '/readyz' || route === '/health';
  // A 503 from a probe is the probe doing its job (shutdown, database away), not a failed request.
  if (failed || (status >= 500 && !probe)) return 'error';
  if (status === 401 || status >= 500) return 'warn';
  // Passing probes arrive every few seconds from every balancer: debug, so they do not drown the log.
  return probe ? 'debug' : 'info';
}

/** The binding key pino-http puts the request, response and error under: serialised to nothing. */
const UNLOGGED = 'taxii_unlogged';

/**
 * One line per request (pino-http), written when the response finishes or the connection closes first.
 * pino-http's per-request child loggers are kept cheap: the request is bound under a key that no
 * serializer or redaction path walks (the line carries its own fields), so no request object is
 * serialised per request.
 */
export function requestLog(log: Logger): RequestHandler {
  const http = pinoHttp<Request, Response>({
    logger: log,
    genReqId: (_req, res) => String(res.getHeader('X-Request-Id') ?? ''),
    customAttributeKeys: { reqId: 'request_id', req: UNLOGGED, res: UNLOGGED, err: UNLOGGED },
    serializers: { [UNLOGGED]: () => undefined },
    quietReqLogger: true,
    quietResLogger: true,
    wrapSerializers: false,
    customLogLevel: (req, res, err) => levelOf(routeOf(req), res.statusCode, err instanceof Error),
    customSuccessMessage: (_req, res) => (res.statusCode === 401 ? 'authentication failed' : 'request'),
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, res, val: { responseTime: number }) => line(req, res, val.responseTime),
    // The error itself is logged once, with its stack, by the error handler; the request line stays flat.
    customErrorObject: (req, res, _err, val: { responseTime: number }) => line(req, res, val.responseTime),
  });
  return (req, res, next) => {
    countBodyBytes(res);
    http(req, res, next);
  };
}
