import { createRequire } from 'node:module';
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../../config/config';
import { DomainError, InvalidInputError, NotFoundError } from '../../domain/errors';
import { databaseUnavailable } from '../../store/db';
import { fromRoot } from '../../common/paths';
import { randomSecret, sameSecret, type ActiveSession, type ConsoleSessions } from '../../console/sessions';
import { ConsoleViews, envelopeObjects, GRAPH_MAX, incomingEdge, neighbourhood, objectRow, outgoingRefs, type GraphEdge, type PageFrame } from '../../console/views';
import { SUBMISSION_STATES } from '../../review/model';
import type { ReviewService } from '../../review/review-service';
import { RIGHTS, type PartnerAdmin } from '../../console/partners';
import type { CollectionSummaries } from '../../console/collection-summary';
import type { ObjectSearch } from '../../console/object-search';
import { TLP_LEVELS } from '../../domain/tlp';
import { SCO_TYPES, SDO_TYPES, SRO_TYPES } from '../../stix/object-types';
import type { AuditService } from '../../taxii/services/audit-service';
import type { CollectionService } from '../../taxii/services/collection-service';
import type { ObjectService } from '../../taxii/services/object-service';
import { clientError } from '../errors';
import { isLoopback } from '../middleware/transport';

export interface ConsoleDeps {
  config: Config;
  log: Logger;
  sessions: ConsoleSessions;
  collections: CollectionService;
  objects: ObjectService;
  audit: AuditService;
  review?: ReviewService;
  partners: PartnerAdmin;
  summaries: CollectionSummaries;
  search: ObjectSearch;
}

const SESSION_COOKIE = 'taxii_console';
const SIGN_IN_COOKIE = 'taxii_console_signin';
const MOUNT = '/console';
/** The console's pages load only what the server itself serves: no inline script, no framing. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** Relationships scanned for the "in" edges of an object page. */
const INCOMING_SCAN = 1000;
const PAGE = 50;
const KNOWN_TYPES = [...SDO_TYPES, ...SRO_TYPES, ...SCO_TYPES].sort();
/** The most fields a console form may carry: well above any of its own forms (five at most, a new API token). */
const FORM_FIELDS = 20;
/** The largest form read from someone not signed in: the sign-in form is a few hundred bytes. */
const ANONYMOUS_FORM_BYTES = 16 * 1024;

/**
 * What the page says when the form parser (body-parser) refuses a form, by the error's `type`; its status
 * comes from the error itself, as for the TAXII routes (clientError). Types not listed keep its message.
 */
const FORM_REFUSALS: Record<string, string> = {
  'parameters.too.many': `The form has too many fields (at most ${FORM_FIELDS}); send it from the console's own page.`,
  'entity.too.large': 'The form is larger than this server accepts; split the bundle and upload the parts one by one.',
  'charset.unsupported': 'The form names a charset this server cannot read; send it as UTF-8.',
  'encoding.unsupported': 'The form is compressed in an encoding this server does not read; send it uncompressed.',
  'entity.parse.failed': 'The form could not be read; send it again from the console\'s own page.',
  'request.size.invalid': 'The form was not as long as its Content-Length said; send it again.',
  'request.aborted': 'The form was cut off before it ended; send it again.',
};

const param = (req: Request, name: string) => String(req.params[name]);
const query = (req: Request, name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
const field = (req: Request, name: string) => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : undefined;
};
const sessionOf = (res: Response) => res.locals.consoleSession as ActiveSession;

function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.get('Cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function setCookie(req: Request, res: Response, name: string, value: string, maxAgeSeconds?: number): void {
  const attrs = [`${name}=${value}`, `Path=${MOUNT}`, 'HttpOnly', 'SameSite=Strict'];
  if (req.secure) attrs.push('Secure');
  if (maxAgeSeconds !== undefined) attrs.push(`Max-Age=${maxAgeSeconds}`);
  res.append('Set-Cookie', attrs.join('; '));
}

/** A local path to come back to after signing in; anything else goes to the collections. */
function safeNext(next: string | undefined): string {
  return next && /^\/console\/[A-Za-z0-9/_\-.?=&%:]*$/.test(next) && !next.includes('//') ? next : `${MOUNT}/collections/`;
}

/**
 * The web console (src/console) under /console/: server-rendered pages over the same services as TAXII,
 * so grants and TLP clearance apply exactly as they do to TAXII requests. Mounted before the TAXII Accept
 * negotiation; it answers HTML, and its own errors as HTML pages.
 */
export function consoleRoutes(deps: ConsoleDeps): Router {
  const { config, sessions, collections, objects, audit, review } = deps;
  const views = new ConsoleViews();
  const r = Router({ strict: false, caseSensitive: true });
  const maxUpload = Math.max(...config.apiRoots.map((a) => a.maxContentLength), 1024);
  // URL encoding can triple a JSON body; the decoded bundle is checked against the API root's limit.
  const forms = express.urlencoded({ extended: false, limit: maxUpload * 3 + 4096, parameterLimit: FORM_FIELDS });
  // Without a session the only form is sign-in's: nobody signed in makes the server buffer an upload's worth.
  const anonymousForms = express.urlencoded({ extended: false, limit: ANONYMOUS_FORM_BYTES, parameterLimit: FORM_FIELDS });

  const frame = (res: Response, title: string): PageFrame => {
    const s = res.locals.consoleSession as ActiveSession | undefined;
    return { title, principal: s?.principal, csrfToken: s?.csrfToken };
  };
  const page = (res: Response, status: number, template: string, title: string, data: Record<string, unknown> = {}) => {
    res.status(status).type('html').send(views.render(template, frame(res, title), data));
  };

  r.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    next();
  });

  const require_ = createRequire(__filename);
  // A Map, not an object literal: a name such as __proto__ or constructor must not find an inherited property.
  const assets = new Map<string, string>([
    ['pico.min.css', require_.resolve('@picocss/pico/css/pico.min.css')],
    ['console.css', fromRoot('src', 'console', 'static', 'console.css')],
    ['console.js', fromRoot('src', 'console', 'static', 'console.js')],
  ]);
  r.get('/assets/:file', (req, res, next) => {
    const file = assets.get(param(req, 'file'));
    if (!file) return next();
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.sendFile(file);
  });

  // Who is signed in, from the session cookie (no Authorization header: tokens are for the TAXII API).
  r.use(async (req, res, next) => {
    res.locals.consoleSession = await sessions.resume(cookies(req)[SESSION_COOKIE]);
    next();
  });

  // Every state-changing request carries the session's synchronizer token (sign-in its own, below).
  r.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const parse = res.locals.consoleSession ? forms : anonymousForms;
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (req.path === '/sign-in') return next();
      const s = res.locals.consoleSession as ActiveSession | undefined;
      if (!s) return res.redirect(303, `${MOUNT}/sign-in`);
      if (!sameSecret(field(req, '_csrf'), s.csrfToken)) {
        return page(res, 403, 'error', 'Refused', { title: 'Refused', description: 'This form did not carry the token of your session (an old page, or a request made by another site). Reload the page and try again.' });
      }
      next();
    });
  });

  const signInPage = (req: Request, res: Response, status: number, message?: string, username = '') => {
    const token = randomSecret();
    setCookie(req, res, SIGN_IN_COOKIE, token, 3600);
    page(res, status, 'sign-in', 'Sign in', { csrf: token, next: safeNext(query(req, 'next') ?? field(req, 'next')), message, username });
  };

  r.get('/', (_req, res) => res.redirect(303, `${MOUNT}/${res.locals.consoleSession ? 'collections/' : 'sign-in'}`));
  r.get('/sign-in', (req, res) => signInPage(req, res, 200));
  r.post('/sign-in', async (req, res) => {
    // Login CSRF: the form's token must match the cookie set with the form.
    if (!sameSecret(field(req, '_csrf'), cookies(req)[SIGN_IN_COOKIE])) return signInPage(req, res, 403, 'The sign-in form expired; try again.');
    if (!config.server.allowInsecureCredentials && !req.secure && !isLoopback(req.ip)) {
      return signInPage(req, res, 403, 'Passwords are only accepted over HTTPS; open the https:// address of this console.');
    }
    const username = field(req, 'username') ?? '';
    try {
      const { id } = await sessions.signIn(username, field(req, 'password') ?? '', req.ip);
      // The session this browser held before (another user's, perhaps) ends on the server too, not only in the cookie jar.
      await sessions.signOut(cookies(req)[SESSION_COOKIE]);
      setCookie(req, res, SESSION_COOKIE, id);
      setCookie(req, res, SIGN_IN_COOKIE, '', 0);
      await audit.record(`${username} (console)`, 'console.sign-in', 'console', { remoteAddr: req.ip });
      res.redirect(303, safeNext(field(req, 'next')));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      signInPage(req, res, e.httpStatus, e.httpStatus === 429 ? e.description : 'The user name or password is wrong, or the account is disabled.', username);
    }
  });

  r.post('/sign-out', async (req, res) => {
    await sessions.signOut(cookies(req)[SESSION_COOKIE]);
    setCookie(req, res, SESSION_COOKIE, '', 0);
    res.redirect(303, `${MOUNT}/sign-in`);
  });

  // Everything below needs a session.
  r.use((req, res, next) => {
    if (res.locals.consoleSession) return next();
    res.redirect(303, `${MOUNT}/sign-in?next=${encodeURIComponent(MOUNT + req.url)}`);
  });

  r.get('/collections/', async (_req, res) => {
    const p = sessionOf(res).principal;
    const roots = [];
    for (const root of config.apiRoots) {
      const inboxes = new Set(review ? review.inboxes(root.path).map((i) => i.inboxId) : []);
      const list = await collections.list(p, root.path);
      roots.push({
        path: root.path,
        title: root.title,
        collections: list.map((c) => ({ id: c.id, title: c.title, alias: c.alias, canRead: c.can_read, canWrite: c.can_write, inbox: inboxes.has(String(c.id)) && c.can_read })),
      });
    }
    page(res, 200, 'collections', 'Collections', { roots });
  });

  r.get('/collections/:root/:coll/', async (req, res) => {
    const p = sessionOf(res).principal;
    const root = param(req, 'root');
    const collection = await collections.get(p, root, param(req, 'coll'));
    const type = (query(req, 'type') ?? '').trim();
    if (type && !/^[a-z0-9-]{1,250}$/.test(type)) throw new InvalidInputError('A STIX type is lower-case letters, digits and hyphens, such as indicator or x-custom-type.');
    const text = (query(req, 'text') ?? '').trim();
    const tlp = query(req, 'tlp') ?? '';
    const next = query(req, 'next');
    let found: { objects: Array<Record<string, unknown>>; next?: string };
    if (text || tlp) {
      found = await deps.search.search(p, root, String(collection.id), { type: type || undefined, text, tlp, after: next, limit: PAGE });
    } else {
      // Without text or TLP the page is exactly a TAXII objects request (match[type], keyset next cursor).
      const q: Record<string, unknown> = { limit: String(PAGE) };
      if (type) q['match[type]'] = type;
      if (next) q.next = next;
      found = envelopeObjects((await objects.getObjects(p, root, String(collection.id), q)).json);
    }
    // The summary heads the first page only.
    const summary = next ? undefined : await deps.summaries.summary(p, root, String(collection.id));
    const again = new URLSearchParams(Object.entries({ type, text, tlp }).filter(([, v]) => v));
    if (found.next) again.set('next', found.next);
    page(res, 200, 'objects', String(collection.title), { root, collection, type, text, tlp, levels: TLP_LEVELS, rows: found.objects.map(objectRow), nextQuery: found.next ? again.toString() : undefined, knownTypes: KNOWN_TYPES, summary });
  });

  r.get('/collections/:root/:coll/objects/:objectId', async (req, res) => {
    const p = sessionOf(res).principal;
    const root = param(req, 'root');
    const collection = await collections.get(p, root, param(req, 'coll'));
    const cid = String(collection.id);
    const id = param(req, 'objectId');
    const version = query(req, 'version');
    const shown = envelopeObjects((await objects.getObject(p, root, cid, id, version ? { 'match[version]': version } : {})).json).objects;
    const obj = shown[shown.length - 1];
    if (!obj) throw new NotFoundError(`There is no version ${version} of ${id} that you can see.`);
    const versions = JSON.parse((await objects.getVersions(p, root, cid, id, {})).json).versions ?? [];
    const rels = envelopeObjects((await objects.getObjects(p, root, cid, { 'match[type]': 'relationship,sighting', limit: String(INCOMING_SCAN) })).json);
    const incoming = rels.objects.flatMap((rel) => {
      const label = incomingEdge(rel, id);
      return label ? [{ id: String(rel.id), label }] : [];
    });
    const outgoing = outgoingRefs(obj);
    // The picture names each neighbour; the names come through the same TAXII read, so the caller's
    // grants and clearance decide which neighbours it may name at all.
    const edges: GraphEdge[] = [
      ...outgoing.map((o) => ({ id: o.id, label: o.property, direction: 'out' as const })),
      ...rels.objects.flatMap((rel): GraphEdge[] => {
        if (rel.id === id) return [];
        const kind = String(rel.relationship_type ?? rel.type);
        if (rel.target_ref === id && typeof rel.source_ref === 'string') return [{ id: rel.source_ref, label: kind, direction: 'in' as const }];
        if (rel.source_ref === id && typeof rel.target_ref === 'string') return [{ id: rel.target_ref, label: kind, direction: 'out' as const }];
        if (rel.sighting_of_ref === id) return [{ id: String(rel.id), label: 'sighting', direction: 'in' as const }];
        return [];
      }),
    ].slice(0, GRAPH_MAX);
    const names = new Map<string, string>();
    const ids = [...new Set(edges.map((e) => e.id))].filter((x) => /^[a-z0-9-]+--[0-9a-f-]{36}$/.test(x));
    if (ids.length) {
      const found = envelopeObjects((await objects.getObjects(p, root, cid, { 'match[id]': ids.join(','), limit: String(GRAPH_MAX * 4) })).json);
      for (const o of found.objects) names.set(String(o.id), objectRow(o).name || String(o.type));
    }
    const graph = neighbourhood(objectRow(obj).name || id, edges, names);
    page(res, 200, 'object', objectRow(obj).name || id, {
      root,
      collection,
      row: objectRow(obj),
      versions,
      outgoing,
      incoming,
      graph,
      incomingPartial: rels.more,
      incomingScanned: INCOMING_SCAN,
      json: JSON.stringify(obj, null, 2),
    });
  });

  const uploadPage = async (req: Request, res: Response, status: number, extra: Record<string, unknown>) => {
    const p = sessionOf(res).principal;
    const root = param(req, 'root');
    const { collection } = await collections.resolve(p, root, param(req, 'coll'), 'write');
    const resource = await collections.get(p, root, collection.id);
    const inbox = review ? review.inboxes(root).some((i) => i.inboxId === collection.id) : false;
    page(res, status, 'upload', `Upload to ${collection.title}`, { root, collection: resource, inbox, bundle: '', ...extra });
  };

  r.get('/collections/:root/:coll/upload', (req, res) => uploadPage(req, res, 200, {}));
  r.post('/collections/:root/:coll/upload', async (req, res) => {
    const p = sessionOf(res).principal;
    const rootPath = param(req, 'root');
    const apiRoot = collections.apiRoot(rootPath);
    const { collection } = await collections.resolve(p, rootPath, param(req, 'coll'), 'write');
    const bundle = field(req, 'bundle') ?? '';
    if (Buffer.byteLength(bundle, 'utf8') > apiRoot.maxContentLength) {
      return uploadPage(req, res, 413, { bundle, error: `The bundle is larger than ${apiRoot.maxContentLength} bytes, the limit of this API root; split it.` });
    }
    try {
      // "Check" runs the same validation as a submission and stores nothing.
      if (field(req, 'action') === 'check') {
        const status = await objects.addObjects(p, rootPath, collection.id, bundle, { dryRun: true });
        return await uploadPage(req, res, 200, { status, checked: true, bundle });
      }
      const status = await objects.addObjects(p, rootPath, collection.id, bundle);
      await audit.record(p, 'objects.add', `${rootPath}/collections/${collection.id}`, {
        remoteAddr: req.ip,
        details: { via: 'console', status_id: status.id, total: status.total_count, succeeded: status.success_count, failed: status.failure_count },
      });
      await uploadPage(req, res, 200, { status, bundle: status.failure_count ? bundle : '' });
    } catch (e) {
      if (!(e instanceof DomainError) || e.httpStatus >= 500) throw e;
      await uploadPage(req, res, e.httpStatus, { bundle, error: e.description });
    }
  });

  if (review) mountReview(r, review, config, collections, page);
  mountAdmin(r, deps.partners, page);

  r.use((req) => {
    throw new NotFoundError(`There is no console page at ${MOUNT}${req.path}.`);
  });
  /** A domain error's page, with its headers (Retry-After). */
  const errorPage = (res: Response, err: DomainError) => {
    for (const [name, value] of Object.entries(err.headers ?? {})) res.setHeader(name, value);
    page(res, err.httpStatus, 'error', err.title, { title: err.title, description: err.description });
  };
  r.use(((err, req, res, _next) => {
    if (res.headersSent) return res.destroy();
    if (err instanceof DomainError) {
      if (err.httpStatus === 401) return res.redirect(303, `${MOUNT}/sign-in`);
      return errorPage(res, err);
    }
    // An undecodable path or a refused form (http-errors with a 4xx status): the client's error, logged and counted as such.
    // Before the database's errors: a form cut off by the client carries ECONNABORTED too.
    const refused = clientError(err);
    if (refused) {
      const description = FORM_REFUSALS[String((err as { type?: unknown }).type)] ?? refused.description;
      deps.log.info({ status: refused.httpStatus, err: String((err as Error)?.message ?? err), reqId: res.getHeader('X-Request-Id') }, 'request refused');
      return page(res, refused.httpStatus, 'error', refused.title, { title: refused.title, description });
    }
    // The database out of reach: 503 with Retry-After, as the TAXII routes answer it.
    const unavailable = databaseUnavailable(err);
    if (unavailable) {
      deps.log.warn({ err: String((err as Error)?.message ?? err), reason: unavailable.reason, reqId: res.getHeader('X-Request-Id') }, 'database unavailable');
      return errorPage(res, unavailable);
    }
    deps.log.error({ err, method: req.method, url: req.originalUrl, reqId: res.getHeader('X-Request-Id') }, 'console error');
    page(res, 500, 'error', 'Server error', { title: 'Server error', description: `The server failed to handle this page; the error was logged (request ${String(res.getHeader('X-Request-Id') ?? '')}).` });
  }) as express.ErrorRequestHandler);
  return r;
}

type Page = (res: Response, status: number, template: string, title: string, data?: Record<string, unknown>) => void;

function mountReview(r: Router, review: ReviewService, config: Config, collections: CollectionService, page: Page): void {
  const defaultRoot = () => config.server.defaultApiRoot ?? config.apiRoots.find((a) => review.inboxes(a.path).length)?.path ?? config.apiRoots[0]?.path ?? '';
  const titleOf = (root: string, id: string) => {
    const c = collections.apiRoot(root).collections.find((x) => x.id === id);
    return c ? c.title : id;
  };

  r.get('/review/', (_req, res) => res.redirect(303, `${MOUNT}/review/${encodeURIComponent(defaultRoot())}/`));

  r.get('/review/:root/', async (req, res) => {
    const p = sessionOf(res).principal;
    const root = param(req, 'root');
    // Only the inboxes the caller may see at all (read or write, as in its collection list): the others' ids and titles are not its business.
    const visible = new Set((await collections.list(p, root)).map((c) => String(c.id)));
    const inboxes = review.inboxes(root).filter((i) => visible.has(i.inboxId)).map((i) => ({ id: i.inboxId, title: titleOf(root, i.inboxId) }));
    const inbox = query(req, 'inbox') ?? inboxes[0]?.id;
    const state = query(req, 'state') ?? 'pending';
    const found = inbox ? await review.list(p, root, { inbox, state, next: query(req, 'next'), limit: PAGE }) : { items: [], more: false, next: undefined };
    page(res, 200, 'review-list', 'Review queue', { root, inboxes, inbox, state, states: SUBMISSION_STATES, items: found.items, next: found.next });
  });

  const show = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const p = sessionOf(res).principal;
    const root = param(req, 'root');
    const d = await review.show(p, root, param(req, 'submissionId'));
    const value = JSON.parse(d.body) as Record<string, unknown>;
    const inbox = review.inboxes(root).find((i) => i.inboxId === d.submission.inboxId);
    const targets = (inbox?.targets ?? []).map((t) => ({ id: t.collectionId, title: titleOf(root, t.collectionId) }));
    const done = { approved: 'Approved and published.', rejected: 'Rejected.', withdrawn: 'Withdrawn.' }[query(req, 'done') ?? ''];
    page(res, status, 'review-show', 'Submission', { root, submission: d.submission, name: objectRow(value).name, published: d.published, targets, json: JSON.stringify(value, null, 2), done, ...extra });
  };
  r.get('/review/:root/:submissionId', (req, res) => show(req, res, 200));

  const act = (name: 'approve' | 'reject' | 'withdraw', run: (req: Request, res: Response, ids: string[]) => Promise<unknown>): RequestHandler =>
    (async (req: Request, res: Response, next: NextFunction) => {
      try {
        await run(req, res, [param(req, 'submissionId')]);
        res.redirect(303, `${MOUNT}/review/${encodeURIComponent(param(req, 'root'))}/${encodeURIComponent(param(req, 'submissionId'))}?done=${name === 'approve' ? 'approved' : name === 'reject' ? 'rejected' : 'withdrawn'}`);
      } catch (e) {
        // Refusals (four eyes, missing right, conflicts) are shown on the submission's page.
        if (e instanceof DomainError && e.httpStatus < 500 && e.httpStatus !== 404 && e.httpStatus !== 401) return show(req, res, e.httpStatus, { error: e.description }).catch(next);
        next(e);
      }
    }) as RequestHandler;

  r.post('/review/:root/:submissionId/approve', act('approve', (req, res, ids) => {
    const into = field(req, 'into') || undefined;
    const note = field(req, 'note') || undefined;
    return review.approve(sessionOf(res).principal, param(req, 'root'), { submissions: ids, into, note }, { remoteAddr: req.ip });
  }));
  r.post('/review/:root/:submissionId/reject', act('reject', (req, res, ids) => {
    const reason = field(req, 'reason');
    if (!reason) throw new InvalidInputError('Give a reason: the submitter reads it.');
    return review.reject(sessionOf(res).principal, param(req, 'root'), { submissions: ids, reason }, { remoteAddr: req.ip });
  }));
  r.post('/review/:root/:submissionId/withdraw', act('withdraw', (req, res, ids) => review.withdraw(sessionOf(res).principal, param(req, 'root'), { submissions: ids }, { remoteAddr: req.ip })));
}

function mountAdmin(r: Router, partners: PartnerAdmin, page: Page): void {
  const tokenState = (t: { revokedAtMs?: number; expiresAtMs?: number }) => (t.revokedAtMs ? 'revoked' : t.expiresAtMs && t.expiresAtMs <= Date.now() ? 'expired' : 'active');
  const overview = async (res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const { users, tokens } = await partners.overview(sessionOf(res).principal);
    page(res, status, 'admin', 'Partners', { users, tokens: tokens.map((t) => ({ ...t, state: tokenState(t) })), levels: TLP_LEVELS, ...extra });
  };
  const userPage = async (res: Response, username: string, status: number, extra: Record<string, unknown> = {}) => {
    const { user, grants } = await partners.user(sessionOf(res).principal, username);
    const titles = new Map(partners.collections().map((c) => [c.id, c.title]));
    page(res, status, 'admin-user', user.username, { user, grants: grants.map((g) => ({ ...g, title: titles.get(g.collectionId) ?? g.collectionId })), collections: partners.collections(), rights: RIGHTS, levels: TLP_LEVELS, ...extra });
  };
  /** Runs an administrator's change; a refusal is shown on the page the form came from. */
  const change = (run: (req: Request, res: Response) => Promise<void>, onError: (req: Request, res: Response, status: number, error: string) => Promise<void>): RequestHandler =>
    (async (req: Request, res: Response, next: NextFunction) => {
      try {
        await run(req, res);
      } catch (e) {
        if (e instanceof DomainError && e.httpStatus < 500 && e.httpStatus !== 403 && e.httpStatus !== 401) return onError(req, res, e.httpStatus, e.description).catch(next);
        next(e);
      }
    }) as RequestHandler;
  const onOverview = (_req: Request, res: Response, status: number, error: string) => overview(res, status, { error });
  const onUser = (req: Request, res: Response, status: number, error: string) => userPage(res, param(req, 'username'), status, { error });
  const who = (res: Response) => sessionOf(res).principal;
  const back = (req: Request, res: Response, done: string) => res.redirect(303, `${MOUNT}/admin/users/${encodeURIComponent(param(req, 'username'))}?done=${encodeURIComponent(done)}`);

  r.get('/admin/', (_req, res) => overview(res, 200));
  r.get('/admin/audit', async (req, res) => {
    const action = query(req, 'action') ?? '';
    const text = query(req, 'text') ?? '';
    const entries = await partners.auditLog(who(res), { action, text, limit: 200 });
    page(res, 200, 'audit', 'Audit log', { entries, action, text });
  });
  r.get('/admin/users/:username', (req, res) => {
    const done = { created: 'User created.', clearance: 'Clearance changed.', granted: 'Granted.', revoked: 'Grant revoked.', disabled: 'User disabled.', enabled: 'User enabled.' }[query(req, 'done') ?? ''];
    return userPage(res, param(req, 'username'), 200, { done });
  });
  r.post('/admin/users', change(async (req, res) => {
    const u = await partners.createUser(who(res), { username: field(req, 'username') ?? '', password: field(req, 'password') ?? '', tlp: field(req, 'tlp') ?? '' }, req.ip);
    res.redirect(303, `${MOUNT}/admin/users/${encodeURIComponent(u.username)}?done=created`);
  }, onOverview));
  r.post('/admin/users/:username/clearance', change(async (req, res) => {
    await partners.setClearance(who(res), param(req, 'username'), field(req, 'tlp') ?? '', req.ip);
    back(req, res, 'clearance');
  }, onUser));
  r.post('/admin/users/:username/disable', change(async (req, res) => {
    await partners.setDisabled(who(res), param(req, 'username'), true, req.ip);
    back(req, res, 'disabled');
  }, onUser));
  r.post('/admin/users/:username/enable', change(async (req, res) => {
    await partners.setDisabled(who(res), param(req, 'username'), false, req.ip);
    back(req, res, 'enabled');
  }, onUser));
  r.post('/admin/users/:username/grant', change(async (req, res) => {
    await partners.grant(who(res), param(req, 'username'), field(req, 'collection') ?? '', field(req, 'right') ?? '', req.ip);
    back(req, res, 'granted');
  }, onUser));
  r.post('/admin/users/:username/revoke', change(async (req, res) => {
    await partners.revoke(who(res), param(req, 'username'), field(req, 'collection') ?? '', req.ip);
    back(req, res, 'revoked');
  }, onUser));
  // The secret is in this response only: rendered, not redirected, so it never sits in a URL or a log.
  r.post('/admin/tokens', change(async (req, res) => {
    const made = await partners.createToken(who(res), { name: field(req, 'name') ?? '', username: field(req, 'username') ?? '', tlp: field(req, 'tlp') || undefined, expires: field(req, 'expires') || undefined }, req.ip);
    await overview(res, 201, { secret: { name: made.token.name, value: made.secret } });
  }, onOverview));
  r.post('/admin/tokens/:name/revoke', change(async (req, res) => {
    await partners.revokeToken(who(res), param(req, 'name'), req.ip);
    res.redirect(303, `${MOUNT}/admin/`);
  }, onOverview));
}
