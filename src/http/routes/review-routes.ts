import { Router, type Request, type Response } from 'express';
import { InvalidInputError, MethodNotAllowedError } from '../../domain/errors';
import { provenanceResource, submissionResource } from '../../review/model';
import type { ReviewService } from '../../review/review-service';
import { TAXII_MEDIA_TYPE } from '../../taxii/media-types';
import { microsToTimestamp } from '../../common/time';
import { principalOf } from '../middleware/authenticate';
import { readBody } from '../middleware/body';
import { requireTaxiiContentType } from '../middleware/negotiation';

/** Review actions name submissions, a note or a reason: a small body. */
const MAX_BODY = 256 * 1024;

function send(res: Response, status: number, body: unknown): void {
  res.status(status).setHeader('Content-Type', TAXII_MEDIA_TYPE);
  res.end(JSON.stringify(body));
}

function notAllowed(...methods: string[]) {
  return (req: Request) => {
    throw new MethodNotAllowedError(req.method, methods);
  };
}

const param = (req: Request, name: string) => String(req.params[name]);
/** A query parameter given once; repeated or bracketed, it is refused rather than ignored (a listing without the filter). */
const query = (req: Request, name: string): string | undefined => {
  const v = req.query[name];
  if (v === undefined || typeof v === 'string') return v;
  throw new InvalidInputError(`Give ${name} once (several values comma-separated in one parameter, e.g. state=pending,rejected).`);
};

async function jsonBody(req: Request): Promise<Record<string, unknown>> {
  const text = await readBody(req, MAX_BODY, { name: 'the limit of a review request', fix: 'send fewer submissions per request or a shorter note' });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidInputError('The body is not JSON; send an object such as {"submissions": ["<submission id>"]}.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InvalidInputError('The body must be a JSON object such as {"submissions": ["<submission id>"]}.');
  return value as Record<string, unknown>;
}

/**
 * The review extension under each API root (not part of TAXII 2.1; openapi.yaml marks it
 * `x-taxii-extension`). Same authentication, media type and error resources as the TAXII endpoints.
 */
export function reviewRoutes(review: ReviewService): Router {
  const r = Router({ strict: false, caseSensitive: true });

  r.route('/:root/review/submissions/')
    .get(async (req, res) => {
      const page = await review.list(principalOf(res), param(req, 'root'), {
        inbox: query(req, 'inbox'),
        state: query(req, 'state'),
        type: query(req, 'type'),
        submitter: query(req, 'submitter'),
        limit: query(req, 'limit'),
        next: query(req, 'next'),
      });
      send(res, 200, { more: page.more, ...(page.next ? { next: page.next } : {}), submissions: page.items.map(submissionResource) });
    })
    .all(notAllowed('GET'));

  r.route('/:root/review/submissions/:submissionId/')
    .get(async (req, res) => {
      const d = await review.show(principalOf(res), param(req, 'root'), param(req, 'submissionId'));
      send(res, 200, { ...submissionResource(d.submission), object: JSON.parse(d.body), published: d.published.map((p) => ({ collection: p.collection, object: JSON.parse(p.body), diff: p.diff })) });
    })
    .all(notAllowed('GET'));

  r.route('/:root/review/provenance/')
    .get(async (req, res) => {
      const collection = query(req, 'collection');
      const object = query(req, 'object');
      if (!collection || !object) throw new InvalidInputError('Name the published object: provenance/?collection=<id or alias>&object=<STIX id>.');
      const found = await review.provenance(principalOf(res), param(req, 'root'), collection, object);
      send(res, 200, { object_id: object, provenance: found.map(provenanceResource) });
    })
    .all(notAllowed('GET'));

  r.route('/:root/review/approve/')
    .post(requireTaxiiContentType, async (req, res) => {
      const b = await jsonBody(req);
      if (b.into !== undefined && typeof b.into !== 'string') throw new InvalidInputError('into must be a collection id or alias.');
      if (b.include_referenced !== undefined && typeof b.include_referenced !== 'boolean') throw new InvalidInputError('include_referenced must be true or false.');
      const done = await review.approve(
        principalOf(res),
        param(req, 'root'),
        { submissions: b.submissions as string[], into: b.into as string | undefined, note: b.note as string | undefined, includeReferenced: b.include_referenced === true },
        { remoteAddr: req.ip },
      );
      send(res, 200, {
        approved: done.map((p) => ({
          submission: p.submissionId,
          object_id: p.stixId,
          version: p.version,
          published_into: p.into,
          ...(p.dateAddedUs !== undefined ? { date_added: microsToTimestamp(p.dateAddedUs) } : {}),
        })),
      });
    })
    .all(notAllowed('POST'));

  r.route('/:root/review/reject/')
    .post(requireTaxiiContentType, async (req, res) => {
      const b = await jsonBody(req);
      const done = await review.reject(principalOf(res), param(req, 'root'), { submissions: b.submissions as string[], reason: b.reason as string | undefined }, { remoteAddr: req.ip });
      send(res, 200, { rejected: done.map(submissionResource) });
    })
    .all(notAllowed('POST'));

  r.route('/:root/review/withdraw/')
    .post(requireTaxiiContentType, async (req, res) => {
      const b = await jsonBody(req);
      const done = await review.withdraw(principalOf(res), param(req, 'root'), { submissions: b.submissions as string[] }, { remoteAddr: req.ip });
      send(res, 200, { withdrawn: done.map(submissionResource) });
    })
    .all(notAllowed('POST'));

  return r;
}
