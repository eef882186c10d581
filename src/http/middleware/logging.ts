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
import { clientAddress } from '../client-address';
import { routeTemplate } from '../route-template';
import { whenDone } from './when-done';

/** Response body bytes written so far, kept in `res.locals` (counted by countBodyBytes). */
const BYTES = Symbol('taxii.bodyBytes');

type Locals = { [BYTES]?: number };
type Writer = (this: ServerResponse, ...a: unknown[]) => unknown;

/**
 * Counts the body bytes responses write, for the log line (Content-Length is often computed by Node
 * itself): `write` and `end` of the app's response prototype (express's `app.response`) are replaced once by
 * counting versions that call the ones they replace, and the count is kept in `res.locals`. Nothing is
 * added to a response object: giving every response its own counting methods (and the properties they
 * needed) cost about a tenth of an empty poll's CPU (docs/performance.md). A wrapper that captures a
 * response's `end` before the app runs must call it through the response's prototype at call time, or the
 * count misses what it writes.
 */
export function countBodyBytes(proto: ServerResponse): void {
  const write = proto.write as unknown as Writer;
  const end = proto.end as unknown as Writer;
  proto.write = function (this: ServerResponse, chunk: unknown, encoding?: unknown) {
    add(this, chunk, encoding);
    return write.apply(this, arguments as unknown as unknown[]);
  } as ServerResponse['write'];
  proto.end = function (this: ServerResponse, chunk?: unknown, encoding?: unknown) {
    if (typeof chunk !== 'function') add(this, chunk, encoding);
    return end.apply(this, arguments as unknown as unknown[]);
  } as ServerResponse['end'];
}

function add(res: ServerResponse, chunk: unknown, encoding: unknown): void {
  let n: number;
  if (typeof chunk === 'string') n = Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  else if (chunk instanceof Uint8Array) n = chunk.byteLength;
  else return;
  const locals = (res as Response).locals as Locals | undefined;
  if (locals) locals[BYTES] = (locals[BYTES] ?? 0) + n;
}

export function bodyBytes(res: ServerResponse): number {
  return ((res as Response).locals as Locals | undefined)?.[BYTES] ?? 0;
}

/** The scheme of a refused Authorization header (never its value), or "certificate". */
export function authScheme(req: IncomingMessage): string {
  const header = req.headers.authorization;
  if (!header) return 'certificate';
  const scheme = header.split(' ', 1)[0]!.toLowerCase();
  return ['basic', 'bearer', 'token'].includes(scheme) ? scheme : 'other';
}

const shortPath = (path: string) => (path.length > 300 ? `${path.slice(0, 300)}…` : path);

function line(req: Request, res: Response, durationMs: number): Record<string, unknown> {
  const principal = res.locals.principal as Principal | undefined;
  const out: Record<string, unknown> = {
    method: req.method,
    route: routeOf(req),
    path: shortPath(requestPath(req)),
    status: res.statusCode,
    duration_ms: durationMs,
    bytes: bodyBytes(res),
    principal: principal?.id ?? null,
    remote_addr: clientAddress(req),
  };
  if (res.statusCode === 401) out.auth_failure = authScheme(req);
  if (!res.writableFinished) out.aborted = true;
  return out;
}

/**
 * The path the client asked for. Inside a router mounted at a path (the console, exports, the change
 * feed) `req.path` has lost the mount's prefix, also when the response finishes; `originalUrl` keeps it.
 */
export function requestPath(req: Request): string {
  const url = req.originalUrl;
  if (url.charCodeAt(0) !== 0x2f) {
    // The absolute form (`GET http://host/path`), as sent to proxies.
    try {
      return new URL(url).pathname;
    } catch {
      return req.path;
    }
  }
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The route template of a request, computed once and shared by the log line and the metrics. */
const ROUTE = Symbol('taxii.route');
export function routeOf(req: Request): string {
  const r = req as Request & { [ROUTE]?: string };
  return (r[ROUTE] ??= routeTemplate(requestPath(req)));
}

/** Records the route template of a request whose path is already known to fall under it (the direct lane). */
export function knownRoute(req: Request, template: string): void {
  (req as Request & { [ROUTE]?: string })[ROUTE] = template;
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
 * The line is built only when its level is enabled: a server logging at warn pays a callback per request
 * and writes nothing for a successful one. (pino-http did the same job with two child loggers
 * per request, a quarter of the CPU of the steady-state poll: docs/performance.md.)
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = Date.now();
    whenDone(res, () => {
      const status = res.statusCode;
      const level = levelOf(routeOf(req), status);
      if (!log.isLevelEnabled(level)) return;
      const msg = status >= 500 ? 'request failed' : status === 401 ? 'authentication failed' : 'request';
      log[level]({ request_id: String(res.getHeader('X-Request-Id') ?? ''), ...line(req, res, Date.now() - started) }, msg);
    });
    next();
  };
}
