import { Router, type Request, type RequestHandler, type Response } from 'express';
import { MethodNotAllowedError, NotFoundError } from '../../domain/errors';
import type { ExportService, ExportScope } from '../../exports/export-service';
import { parseExportFilter, parseListOptions } from '../../exports/filters';
import { principalOf } from '../middleware/authenticate';
import { drainedOrClosed } from '../send-text';
import { etagMatches } from '../etag';

/** Where the exports of a collection live (mounted in src/app.ts). */
export const EXPORTS_MOUNT = '/:root/collections/:coll/exports';
const UNDER_EXPORTS = /^\/[^/]+\/collections\/[^/]+\/exports(?:\/|$)/;

/** Runs a middleware for every request except those to the exports (e.g. the TAXII Accept check). */
export function exceptExports(handler: RequestHandler): RequestHandler {
  return (req, res, next) => (UNDER_EXPORTS.test(req.path) ? next() : handler(req, res, next));
}

/** Bytes gathered before a write, so that a list of short lines is not written line by line. */
const WRITE_CHUNK = 64 * 1024;

const q = (req: Request) => req.query as Record<string, unknown>;
const param = (req: Request, name: string) => String(req.params[name]);
const MISP_EVENT_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/;

/** Writes chunks with backpressure; stops when the client has gone. */
async function streamOut(res: Response, chunks: AsyncIterable<string>): Promise<void> {
  let pending = '';
  const flush = async () => {
    if (!pending || res.destroyed) return;
    const ok = res.write(pending);
    pending = '';
    if (!ok) await drainedOrClosed(res);
  };
  for await (const chunk of chunks) {
    if (res.destroyed) return;
    pending += chunk;
    if (pending.length >= WRITE_CHUNK) await flush();
  }
  await flush();
  res.end();
}

/**
 * Answers with an ETag over the content (`ExportService.etag`: kept from an earlier request while nothing
 * it depends on has changed, else a first pass that hashes what the export produces), then a 304 (the
 * client's If-None-Match holds it) or a pass that writes it. Passes stream, so the ETag never holds the
 * whole body in memory. `preamble` (the optional comment line) is not hashed. `what` names the answer
 * within the collection and the caller's view: the export and its parameters.
 */
async function sendWithEtag(s: ExportService, sc: ExportScope, what: string, req: Request, res: Response, contentType: string, produce: () => AsyncIterable<string>, preamble = ''): Promise<void> {
  const etag = await s.etag(sc, what, produce);
  res.setHeader('ETag', etag);
  // Stored by the client only (never by a shared cache), and revalidated on every use.
  res.setHeader('Cache-Control', 'private, no-cache');
  if (etagMatches(req.get('If-None-Match'), etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).setHeader('Content-Type', contentType);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await streamOut(res, (async function* () {
    if (preamble) yield preamble;
    yield* produce();
  })());
}

/** A text made at most once per request, however many passes read it. */
function madeOnce(make: () => Promise<string>): () => AsyncIterable<string> {
  let text: Promise<string> | undefined;
  return async function* () {
    yield await (text ??= make());
  };
}

/** What names an answer among a collection's exports: its path below the mount and its parsed parameters. */
const answer = (req: Request, params: object) => `${req.path}\u0000${JSON.stringify(params)}`;

function attachment(res: Response, name: string): void {
  res.setHeader('Content-Disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`);
}

/**
 * Exports of one collection (an extension to TAXII, mounted at /{root}/collections/{coll}/exports): block
 * lists, CSV, a MISP feed and a STIX bundle, in the media types plain clients expect. Each handler parses,
 * resolves the caller's view of the collection through the service, and streams.
 */
export function exportRoutes(s: ExportService): Router {
  const r = Router({ mergeParams: true, strict: false, caseSensitive: true });
  const scope = (req: Request, res: Response): Promise<ExportScope> => s.scope(principalOf(res), param(req, 'root'), param(req, 'coll'));

  r.get('/lists/:list', async (req, res) => {
    const opts = parseListOptions(q(req));
    const sc = await scope(req, res);
    const list = param(req, 'list');
    const preamble = opts.header ? `# ${list} list of "${sc.title.replace(/[\r\n]/g, ' ')}", generated ${new Date().toISOString()}\n` : '';
    await sendWithEtag(s, sc, answer(req, { ...opts, header: undefined }), req, res, 'text/plain; charset=utf-8', () => s.listLines(sc, list, opts), preamble);
  });

  r.get('/csv', async (req, res) => {
    const filter = parseExportFilter(q(req));
    const sc = await scope(req, res);
    attachment(res, `${param(req, 'coll')}-indicators.csv`);
    await sendWithEtag(s, sc, answer(req, filter), req, res, 'text/csv; charset=utf-8; header=present', () => s.csvLines(sc, filter));
  });

  r.get('/misp/manifest.json', async (req, res) => {
    const filter = parseExportFilter(q(req));
    const sc = await scope(req, res);
    await sendWithEtag(s, sc, answer(req, filter), req, res, 'application/json; charset=utf-8', madeOnce(async () => JSON.stringify(await s.mispManifest(sc, filter))));
  });

  r.get('/misp/:file', async (req, res) => {
    const filter = parseExportFilter(q(req));
    const m = MISP_EVENT_FILE.exec(param(req, 'file'));
    if (!m) throw new NotFoundError('A MISP feed holds manifest.json and one <event uuid>.json per event; manifest.json lists them.');
    const sc = await scope(req, res);
    await sendWithEtag(s, sc, answer(req, filter), req, res, 'application/json; charset=utf-8', madeOnce(async () => JSON.stringify(await s.mispEvent(sc, m[1]!, filter))));
  });

  r.get('/stix/bundle.json', async (req, res) => {
    const filter = parseExportFilter(q(req));
    const sc = await scope(req, res);
    res.status(200).setHeader('Content-Type', 'application/stix+json;version=2.1');
    attachment(res, `${param(req, 'coll')}.json`);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await streamOut(res, s.bundleChunks(sc, filter));
  });

  r.all(['/lists/:list', '/csv', '/misp/:file', '/stix/bundle.json'], (req) => {
    throw new MethodNotAllowedError(req.method, ['GET']);
  });
  r.use((req) => {
    throw new NotFoundError(`There is no export at ${req.baseUrl}${req.path}; see docs/compatibility.md for the exports of a collection.`);
  });
  return r;
}
