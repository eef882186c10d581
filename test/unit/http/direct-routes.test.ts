/** The direct lane (src/http/direct-routes.ts): which requests it takes, the order it runs, where errors go. */
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import supertest from 'supertest';
import { directLane } from '../../../src/http/direct-routes';
import { routeOf } from '../../../src/http/middleware/logging';
import { routeTemplate } from '../../../src/http/route-template';

function appWith(handler: RequestHandler, failAt?: { step: string; how: 'next' | 'throw' }) {
  const seen: string[] = [];
  const mw = (name: string): RequestHandler => (_req, _res, next) => {
    seen.push(name);
    if (failAt?.step === name && failAt.how === 'throw') throw new Error(`thrown by ${name}`);
    if (failAt?.step === name) return next(new Error(`passed by ${name}`));
    setImmediate(next);
  };
  const app = express();
  app.use((req, res) => {
    seen.push('router');
    res.status(299).end(req.path);
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    seen.push('error handler');
    res.status(500).end((err as Error).message);
  };
  app.use(onError);
  directLane(app, [mw('a'), mw('b')], [{ endpoint: 'objects', handler }], onError);
  return { app, seen };
}

const answer: RequestHandler = (req, res) => {
  res.status(200).end(`${req.params.root} ${req.params.coll} ${req.path} ${req.query.limit} ${req.originalUrl} ${req.baseUrl === ''}`);
};

describe('direct routes', () => {
  test('When a GET names a collection endpoint of the lane, Then the chain runs in order, then the handler with root and collection, and the router is not consulted', async () => {
    const { app, seen } = appWith(answer);
    const r = await supertest(app).get('/api1/collections/feed-1/objects/?limit=1');
    expect(r.status).toBe(200);
    expect(r.text).toBe('api1 feed-1 /api1/collections/feed-1/objects/ 1 /api1/collections/feed-1/objects/?limit=1 true');
    expect(seen).toEqual(['a', 'b']);
  });

  test('When the application is mounted in another (a callback given), Then express dispatches it and the lane stays out', async () => {
    const { app, seen } = appWith(answer);
    const outer = express();
    outer.use(app);
    const r = await supertest(outer).get('/api1/collections/feed-1/objects/');
    expect(r.status).toBe(299);
    expect(seen).toEqual(['router']);
  });

  test.each([
    ['another method', 'post', '/api1/collections/feed-1/objects/'],
    ['another endpoint', 'get', '/api1/collections/feed-1/manifest/'],
    ['no trailing slash', 'get', '/api1/collections/feed-1/objects'],
    ['a percent-encoded segment', 'get', '/api1/collections/feed%2D1/objects/'],
    ['a segment with another character', 'get', '/api1/collections/feed+1/objects/'],
    ['more than a query after the trailing slash', 'get', '/api1/collections/feed-1/objects/x'],
    ['a deeper path', 'get', '/api1/collections/feed-1/objects/x/'],
    ['another case', 'get', '/api1/collections/feed-1/OBJECTS/'],
  ])('When a request has %s, Then it is left to the router', async (_what, method, path) => {
    const { app, seen } = appWith(answer);
    const r = await (method === 'post' ? supertest(app).post(path) : supertest(app).get(path));
    expect(r.status).toBe(299);
    expect(seen).toEqual(['router']);
  });

  test.each([
    ['passes an error to next', { step: 'a', how: 'next' as const }, ['a', 'error handler']],
    ['throws', { step: 'b', how: 'throw' as const }, ['a', 'b', 'error handler']],
  ])('When a middleware of the chain %s, Then the rest is skipped and the application’s error handler answers', async (_what, failAt, expected) => {
    const { app, seen } = appWith(answer, failAt);
    const r = await supertest(app).get('/api1/collections/feed-1/objects/');
    expect(r.status).toBe(500);
    expect(seen).toEqual(expected);
  });

  test('When the handler rejects or throws, Then the application’s error handler answers with its error', async () => {
    for (const handler of [(async () => Promise.reject(new Error('rejected'))) as RequestHandler, (() => { throw new Error('thrown'); }) as RequestHandler]) {
      const { app, seen } = appWith(handler);
      const r = await supertest(app).get('/api1/collections/feed-1/objects/');
      expect(r.status).toBe(500);
      expect(['rejected', 'thrown']).toContain(r.text);
      expect(seen).toEqual(['a', 'b', 'error handler']);
    }
  });

  test('When the lane takes a poll, Then the route its log line and metrics carry is the template the path falls under', async () => {
    for (const endpoint of ['objects', 'manifest']) {
      const app = express();
      app.use((_req, res) => res.status(299).end());
      directLane(app, [], [{ endpoint, handler: (req, res) => res.status(200).json({ lane: routeOf(req), template: routeTemplate(req.path) }) }], (_e, _q, res) => res.status(500).end());
      const r = await supertest(app).get(`/api1/collections/feed-1/${endpoint}/?limit=5`);
      expect(r.status).toBe(200);
      expect(r.body.lane).toBe(`/{root}/collections/{id}/${endpoint}/`);
      expect(r.body.lane).toBe(r.body.template);
    }
  });
});
