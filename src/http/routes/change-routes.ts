import { Router, type Request, type RequestHandler, type Response } from 'express';
import { StreamAccessEndedError, type ChangeService, type ChangeStream } from '../../changes/change-service';
import type { WebhookService } from '../../changes/webhook-service';
import { InvalidInputError, MethodNotAllowedError } from '../../domain/errors';
import { TAXII_MEDIA_TYPE } from '../../taxii/media-types';
import { principalOf } from '../middleware/authenticate';
import { readBody } from '../middleware/body';
import { requireTaxiiContentType } from '../middleware/negotiation';

/** Where the change feed and stream of a collection live (mounted in src/app.ts). */
export const CHANGES_MOUNT = '/:root/collections/:coll/changes';
const CHANGE_STREAM = /^\/[^/]+\/collections\/[^/]+\/changes\/stream\/?$/;

/** Runs a middleware for every request except to the change stream (which answers text/event-stream). */
export function exceptChangeStream(handler: RequestHandler): RequestHandler {
  return (req, res, next) => (CHANGE_STREAM.test(req.path) ? next() : handler(req, res, next));
}

const q = (req: Request) => req.query as Record<string, unknown>;
const param = (req: Request, name: string) => String(req.params[name]);

export interface StreamTiming {
  pollMs: number;
  heartbeatMs: number;
}

/**
 * The change feed (TAXII JSON, paged like objects/) and the live stream (Server-Sent Events) of one
 * collection; extensions to TAXII 2.1, see src/changes/README.md.
 */
export function changeRoutes(s: ChangeService, timing: StreamTiming): Router {
  const r = Router({ mergeParams: true, strict: false, caseSensitive: true });

  r.get('/', async (req, res) => {
    const out = await s.feed(principalOf(res), param(req, 'root'), param(req, 'coll'), q(req));
    for (const [k, v] of Object.entries(out.headers)) res.setHeader(k, v);
    res.status(200).setHeader('Content-Type', TAXII_MEDIA_TYPE);
    res.end(out.json);
  });

  r.get('/stream', async (req, res) => {
    const stream = await s.openStream(principalOf(res), param(req, 'root'), param(req, 'coll'), {
      lastEventId: req.get('Last-Event-ID'),
      query: q(req),
      clientKey: principalOf(res).kind === 'anonymous' ? `anonymous@${req.ip}` : principalOf(res).id,
    });
    if (req.method === 'HEAD') {
      stream.close();
      res.status(200).setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      res.end();
      return;
    }
    await serveStream(req, res, stream, timing);
  });

  r.all(['/', '/stream'], (req) => {
    throw new MethodNotAllowedError(req.method, ['GET']);
  });
  return r;
}

/**
 * Writes a stream until the client goes: polls the log, writes what it finds with backpressure (no more is
 * read until the socket has taken the last page), and a comment line when idle for heartbeatMs.
 */
async function serveStream(req: Request, res: Response, stream: ChangeStream, timing: StreamTiming): Promise<void> {
  let closed = false;
  let wake: (() => void) | undefined;
  const onClose = () => {
    closed = true;
    stream.close();
    wake?.();
  };
  res.on('close', onClose);
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  // Tells nginx-style proxies not to buffer the stream.
  res.setHeader('X-Accel-Buffering', 'no');
  req.socket.setNoDelay(true);
  req.socket.setTimeout(0);
  res.flushHeaders();
  // EventSource reconnects after this many milliseconds.
  res.write(`retry: 2000\n\n`);
  let lastWrite = Date.now();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        wake = undefined;
        resolve();
      };
      res.on('drain', done);
      wake = done;
    });
  try {
    while (!closed) {
      const events = await stream.next();
      if (closed) break;
      if (events.length) {
        const text = events.map((e) => `id: ${e.id}\nevent: ${e.event}\n${e.data.split(/\r\n|\r|\n/).map((l) => `data: ${l}\n`).join('')}\n`).join('');
        lastWrite = Date.now();
        if (!res.write(text)) await drained();
        continue;
      }
      if (Date.now() - lastWrite >= timing.heartbeatMs) {
        lastWrite = Date.now();
        if (!res.write(': heartbeat\n\n')) await drained();
        continue;
      }
      await sleep(timing.pollMs);
    }
  } catch (err) {
    // Headers are gone: the stream can only end. The client reconnects with Last-Event-ID (and is refused
    // there if its access ended).
    const said =
      err instanceof StreamAccessEndedError
        ? { title: err.title, description: err.description }
        : { title: 'Stream interrupted', description: 'The server could not read the change log; reconnect with Last-Event-ID.' };
    if (!closed) res.write(`event: error\ndata: ${JSON.stringify(said)}\n\n`);
  } finally {
    res.off('close', onClose);
    stream.close();
    res.end();
  }
}

/** Where the webhook subscriptions of a collection live (mounted in src/app.ts). */
export const WEBHOOKS_MOUNT = '/:root/collections/:coll/webhooks';
const MAX_SUBSCRIPTION_BYTES = 16 * 1024;

function sendTaxii(res: Response, status: number, body?: unknown): void {
  res.status(status).setHeader('Content-Type', TAXII_MEDIA_TYPE);
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** Webhook subscriptions of one collection (an extension): list and create, and delete one. */
export function webhookRoutes(s: WebhookService): Router {
  const r = Router({ mergeParams: true, strict: false, caseSensitive: true });
  r.get('/', async (req, res) => {
    const list = await s.list(principalOf(res), param(req, 'root'), param(req, 'coll'));
    sendTaxii(res, 200, { webhooks: list });
  });
  r.post('/', requireTaxiiContentType, async (req, res) => {
    const text = await readBody(req, MAX_SUBSCRIPTION_BYTES, { name: 'the limit of a webhook subscription', fix: 'send only url, secret, match_type and added_after' });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new InvalidInputError('The body is not JSON; send {"url": "https://…"} with optional secret, match_type and added_after.');
    }
    sendTaxii(res, 201, await s.subscribe(principalOf(res), param(req, 'root'), param(req, 'coll'), body));
  });
  r.delete('/:webhookId', async (req, res) => {
    await s.remove(principalOf(res), param(req, 'root'), param(req, 'coll'), param(req, 'webhookId'));
    sendTaxii(res, 200);
  });
  r.all('/', (req) => {
    throw new MethodNotAllowedError(req.method, ['GET', 'POST']);
  });
  r.all('/:webhookId', (req) => {
    throw new MethodNotAllowedError(req.method, ['DELETE']);
  });
  return r;
}
