/** The rate limiters (src/http/middleware/rate-limit.ts): keys, draft-7 headers, 429s and the window's end. */
import express, { type ErrorRequestHandler } from 'express';
import supertest from 'supertest';
import { TooManyRequestsError } from '../../../src/domain/errors';
import { addressKey, addressRateLimit, principalRateLimit } from '../../../src/http/middleware/rate-limit';

function appWith(limit: ReturnType<typeof addressRateLimit>, principal?: (req: express.Request) => unknown) {
  const app = express();
  app.set('trust proxy', true);
  if (principal) {
    app.use((req, res, next) => {
      res.locals.principal = principal(req);
      next();
    });
  }
  app.use(limit);
  app.get('/', (_req, res) => {
    res.status(200).end('ok');
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    if (!(err instanceof TooManyRequestsError)) return void res.status(500).end(String(err));
    res.status(err.httpStatus).set(err.headers).end(err.description);
  };
  app.use(onError);
  return app;
}

describe('addressKey', () => {
  test.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::ffff:7f00:1', '127.0.0.1'],
    ['2001:db8:1234:5678::1', '2001:db8:1234:5600::/56'],
    ['2001:db8:1234:56ff:abcd::9', '2001:db8:1234:5600::/56'],
    ['2001:db8:1234:5700::1', '2001:db8:1234:5700::/56'],
  ])('When the address is %s, Then its key is %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});

describe('rate limits', () => {
  test('When requests stay within the window, Then each answer carries the draft-7 headers with what is left; the next one is a 429 with Retry-After, and another address is unaffected', async () => {
    const app = appWith(addressRateLimit({ windowSeconds: 60, maxRequests: 100, maxRequestsPerAddress: 3 }));
    const from = (ip: string) => supertest(app).get('/').set('X-Forwarded-For', ip);
    for (const left of [2, 1, 0]) {
      const r = await from('192.0.2.1');
      expect(r.status).toBe(200);
      expect(r.headers['ratelimit-policy']).toBe('3;w=60');
      expect(r.headers.ratelimit).toMatch(new RegExp(`^limit=3, remaining=${left}, reset=(59|60)$`));
    }
    const over = await from('192.0.2.1');
    expect(over.status).toBe(429);
    expect(over.text).toMatch(/^More than 3 requests in 60 seconds from this address; retry in (59|60) seconds\.$/);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(over.headers.ratelimit).toMatch(/^limit=3, remaining=0, reset=(59|60)$/);
    expect((await from('192.0.2.2')).status).toBe(200);
    // One subscriber's /56 is one address.
    expect((await from('2001:db8:1:100::1')).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await from(`2001:db8:1:1ff::${i + 2}`)).status).toBe(200);
    expect((await from('2001:db8:1:1aa::9')).status).toBe(429);
  });

  test('When the window has passed, Then the budget is whole again', async () => {
    const app = appWith(addressRateLimit({ windowSeconds: 1, maxRequests: 100, maxRequestsPerAddress: 1 }));
    const get = () => supertest(app).get('/').set('X-Forwarded-For', '198.51.100.7');
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
    await new Promise((r) => setTimeout(r, 1100));
    const again = await get();
    expect(again.status).toBe(200);
    expect(again.headers.ratelimit).toBe('limit=1, remaining=0, reset=1');
  });

  test('When callers are signed in, Then each principal has its own budget whatever its address, and anonymous callers count per address', async () => {
    const app = appWith(principalRateLimit({ windowSeconds: 60, maxRequests: 2, maxRequestsPerAddress: 100 }), (req) => {
      const who = req.get('X-Who');
      return who ? { kind: 'user', id: who } : { kind: 'anonymous', id: 'anonymous' };
    });
    const get = (ip: string, who?: string) => {
      const r = supertest(app).get('/').set('X-Forwarded-For', ip);
      return who ? r.set('X-Who', who) : r;
    };
    expect((await get('192.0.2.1', 'alice')).status).toBe(200);
    expect((await get('192.0.2.2', 'alice')).status).toBe(200);
    const over = await get('192.0.2.3', 'alice');
    expect(over.status).toBe(429);
    expect(over.text).toMatch(/for this account/);
    expect((await get('192.0.2.3', 'bob')).status).toBe(200);
    expect((await get('192.0.2.3')).status).toBe(200);
    expect((await get('192.0.2.3')).status).toBe(200);
    expect((await get('192.0.2.3')).status).toBe(429);
    expect((await get('192.0.2.4')).status).toBe(200);
  });
});
