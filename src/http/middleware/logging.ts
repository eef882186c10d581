/**
 * One log line per request: method, route template, path, status, duration, body bytes,
 * principal id, request id (the X-Request-Id the response carries) and remote address. Headers, query
 * strings and bodies are never logged, so no credential (Authorization, cookies, tokens, passwords) can
 * reach the log. Failed authentications (401) are logged at warn with the scheme that was tried.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Principal } from '../../taxii/access';
import { routeTemplate } from '../route-template';

/** Response body bytes written so far (counted by countBodyBytes). */
const BYTES = Symbol('taxii.bodyBytes');

const WRITE = Symbol('taxii.write');
const END = Symbol('taxii.end');

type Counted = ServerResponse & { [BYTES]?: number; [WRITE]?: (...a: unknown[]) => boolean; [END]?: (...a: unknown[]) => ServerResponse };

/**
 * Counts the body bytes a response writes, for the log line (Content-Length is often computed by Node
 * itself). Every response gets the same two counting functions, the methods they stand in front of kept on
 * the response: new closures for each response cost about 20 µs of a 300 µs poll (docs/performance.md).
 */
export function countBodyBytes(res: ServerResponse): void {
  const r = res as Counted;
  r[BYTES] = 0;
  r[WRITE] = res.write as Counted[typeof WRITE];
  r[END] = res.end as Counted[typeof END];
  res.write = countingWrite as ServerResponse['write'];
  res.end = countingEnd as ServerResponse['end'];
}

function countingWrite(this: Counted, chunk: unknown, encoding?: unknown): boolean {
  add(this, chunk, encoding);
  return this[WRITE]!.apply(this, arguments as unknown as unknown[]);
}

function countingEnd(this: Counted, chunk?: unknown, encoding?: unknown): ServerResponse {
  if (typeof chunk !== 'function') add(this, chunk, encoding);
  return this[END]!.apply(this, arguments as unknown as unknown[]);
}

function add(r: Counted, chunk: unknown, encoding: unknown): void {
  if (typeof chunk === 'string') r[BYTES]! += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  else if (chunk instanceof Uint8Array) r[BYTES]! += chunk.byteLength;
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

function levelOf(route: string, status: number): 'error' | 'warn' | 'info' | 'debug' {
  const probe = route === '/healthz' || route === '/readyz' || route === '/health';
  // A 503 from a probe is the probe doing its job (shutdown, database away), not a failed request.
  if (status >= 500 && !probe) return 'error';
  if (status === 401 || status >= 500) return 'warn';
  // Passing probes arrive every few seconds from every balancer: debug, so they do not drown the log.
  return probe ? 'debug' : 'info';
}

/**
 * One line per request, written with pino when the response finishes or the connection closes first.
 * The line is built only when its level is enabled: a server logging at warn pays two listeners per
 * request and writes nothing for a successful one. (pino-http did the same job with two child loggers
 * per request, a quarter of the CPU of the steady-state poll: docs/performance.md.)
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = Date.now();
    countBodyBytes(res);
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      res.off('finish', finished);
      res.off('close', finished);
      const status = res.statusCode;
      const level = levelOf(routeOf(req), status);
      if (!log.isLevelEnabled(level)) return;
      const msg = status >= 500 ? 'request failed' : status === 401 ? 'authentication failed' : 'request';
      log[level]({ request_id: String(res.getHeader('X-Request-Id') ?? ''), ...line(req, res, Date.now() - started) }, msg);
    };
    res.on('finish', finished);
    res.on('close', finished);
    next();
  };
}
