import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Config } from '../../config/config';
import { MethodNotAllowedError } from '../../domain/errors';
import { TAXII_MEDIA_TYPE } from '../../taxii/media-types';
import type { AuditService } from '../../taxii/services/audit-service';
import type { CollectionService } from '../../taxii/services/collection-service';
import type { ObjectService, TaxiiPayload } from '../../taxii/services/object-service';
import { stringifyParts } from '../../common/event-loop';
import type { StatusService } from '../../taxii/services/status-service';
import { principalOf } from '../middleware/authenticate';
import { readBody } from '../middleware/body';
import { requestOrigin } from '../middleware/transport';
import { endText } from '../send-text';
import { requireTaxiiContentType } from '../middleware/negotiation';
import { etagMatches } from '../etag';

export interface TaxiiServices {
  collections: CollectionService;
  objects: ObjectService;
  statuses: StatusService;
  audit: AuditService;
}

function send(res: Response, status: number, json: string | readonly string[] | Buffer, headers: Record<string, string> = {}): Promise<void> | undefined {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.statusCode = status;
  res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
  return endText(res, json);
}

/**
 * A page of objects, manifest entries or versions; its size is left for the metrics (res.locals.served).
 * A client that sends back the page's ETag in If-None-Match gets a 304 while the page would be the same.
 */
function sendPage(req: Request, res: Response, out: TaxiiPayload): Promise<void> | undefined {
  const etag = out.headers.ETag;
  if (etag && etagMatches(req.headers['if-none-match'], etag)) {
    res.locals.served = 0;
    res.status(304).setHeader('ETag', etag);
    res.end();
    return undefined;
  }
  res.locals.served = out.count;
  return send(res, 200, out.bytes ?? out.json, out.headers);
}

function notAllowed(...methods: string[]) {
  return (req: Request) => {
    throw new MethodNotAllowedError(req.method, methods);
  };
}

const q = (req: Request) => req.query as Record<string, unknown>;
const param = (req: Request, name: string) => String(req.params[name]);

/**
 * GET of a collection's objects and manifest (`req.params` root and coll): the polls, served by the router
 * below and by the direct lane of src/http/direct-routes.ts alike.
 */
export function pollHandlers(s: TaxiiServices): { objects: RequestHandler; manifest: RequestHandler } {
  return {
    objects: async (req, res) => {
      const out = await s.objects.getObjects(principalOf(res), param(req, 'root'), param(req, 'coll'), q(req));
      await sendPage(req, res, out);
    },
    manifest: async (req, res) => {
      const out = await s.objects.getManifest(principalOf(res), param(req, 'root'), param(req, 'coll'), q(req));
      await sendPage(req, res, out);
    },
  };
}

/** The TAXII 2.1 endpoints E1-E11; each handler parses, calls one service method and serialises. */
export function taxiiRoutes(config: Config, s: TaxiiServices, polls = pollHandlers(s)): Router {
  const r = Router({ strict: false, caseSensitive: true });
  const baseUrl = (req: Request) => config.server.publicUrl ?? requestOrigin(req);

  r.route('/taxii2/')
    .get((req, res) => send(res, 200, JSON.stringify(s.collections.discovery(principalOf(res), baseUrl(req)))))
    .all(notAllowed('GET'));

  r.route('/:root/')
    .get((req, res) => send(res, 200, JSON.stringify(s.collections.apiRootInfo(principalOf(res), param(req, 'root')))))
    .all(notAllowed('GET'));

  r.route('/:root/status/:statusId/')
    .get(async (req, res) => send(res, 200, await stringifyParts({ ...(await s.statuses.get(principalOf(res), param(req, 'root'), param(req, 'statusId'))) })))
    .all(notAllowed('GET'));

  r.route('/:root/collections/')
    .get(async (req, res) => {
      const list = await s.collections.list(principalOf(res), param(req, 'root'));
      // TAXII 2.1 §5.1.1: with no collections the property is left out, giving {}.
      await send(res, 200, JSON.stringify(list.length ? { collections: list } : {}));
    })
    .all(notAllowed('GET'));

  r.route('/:root/collections/:coll/')
    .get(async (req, res) => send(res, 200, JSON.stringify(await s.collections.get(principalOf(res), param(req, 'root'), param(req, 'coll')))))
    .all(notAllowed('GET'));

  r.route('/:root/collections/:coll/manifest/')
    .get(polls.manifest)
    .all(notAllowed('GET'));

  r.route('/:root/collections/:coll/objects/')
    .get(polls.objects)
    .post(requireTaxiiContentType, async (req, res) => {
      const root = s.collections.apiRoot(param(req, 'root'));
      // Check the caller may write before reading a possibly large body.
      await s.collections.resolve(principalOf(res), root.path, param(req, 'coll'), 'write');
      let body: string;
      try {
        body = await readBody(req, root.maxContentLength);
      } catch (e) {
        res.setHeader('Connection', 'close');
        throw e;
      }
      const status = await s.objects.addObjects(principalOf(res), root.path, param(req, 'coll'), body);
      await s.audit.record(principalOf(res), 'objects.add', `${root.path}/collections/${param(req, 'coll')}`, {
        remoteAddr: req.ip,
        details: {
          status_id: status.id,
          total: status.total_count,
          succeeded: status.success_count,
          failed: status.failure_count,
          versions: status.successes.filter((d) => d.message?.startsWith('stored')).map((d) => `${d.id}@${d.version}`).slice(0, 1000),
        },
      });
      res.locals.ingested = status;
      await send(res, 202, await stringifyParts({ ...status }));
    })
    .all(notAllowed('GET', 'POST'));

  r.route('/:root/collections/:coll/objects/:objectId/')
    .get(async (req, res) => {
      const out = await s.objects.getObject(principalOf(res), param(req, 'root'), param(req, 'coll'), param(req, 'objectId'), q(req));
      await sendPage(req, res, out);
    })
    .delete(async (req, res) => {
      // Checklist item 18: deleting needs both rights (no right at all is a 404, one missing a 403).
      await s.collections.resolve(principalOf(res), param(req, 'root'), param(req, 'coll'), 'delete');
      const removed = await s.objects.deleteObject(principalOf(res), param(req, 'root'), param(req, 'coll'), param(req, 'objectId'), q(req));
      await s.audit.record(principalOf(res), 'object.delete', `${param(req, 'root')}/collections/${param(req, 'coll')}/objects/${param(req, 'objectId')}`, {
        remoteAddr: req.ip,
        details: { versions_removed: removed, match: Object.fromEntries(Object.entries(q(req)).filter(([k]) => k.startsWith('match['))) },
      });
      res.status(200).setHeader('Content-Type', TAXII_MEDIA_TYPE);
      res.end();
    })
    .all(notAllowed('GET', 'DELETE'));

  r.route('/:root/collections/:coll/objects/:objectId/versions/')
    .get(async (req, res) => {
      const out = await s.objects.getVersions(principalOf(res), param(req, 'root'), param(req, 'coll'), param(req, 'objectId'), q(req));
      await sendPage(req, res, out);
    })
    .all(notAllowed('GET'));

  return r;
}
