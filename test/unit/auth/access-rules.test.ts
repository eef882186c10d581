import express from 'express';
import supertest from 'supertest';
import type { CollectionConfig } from '../../../src/config/config';
import { errorHandler } from '../../../src/http/errors';
import { isLoopback, requireSecureCredentials } from '../../../src/http/middleware/transport';
import { ANONYMOUS, type Principal } from '../../../src/taxii/access';
import { GrantPolicy } from '../../../src/taxii/grant-policy';
import { LoginThrottle } from '../../../src/taxii/login-throttle';
import { AuthService, hashPassword } from '../../../src/taxii/services/auth-service';
import type { User, UserStore } from '../../../src/store/user-store';
import { looksLikeToken, parseExpiry } from '../../../src/taxii/token-service';
import type { Grant } from '../../../src/store/principal-store';
import pino from 'pino';

const coll = (id: string, pub = false): CollectionConfig => ({ id, title: id, public: pub, allowCustom: false });
const user = (id: string, extra: Partial<Principal> = {}): Principal => ({ id, name: id, kind: 'user', isAdmin: false, maxTlp: 'green', ...extra });

describe('GrantPolicy', () => {
  function fake(grants: Grant[]) {
    const calls: string[] = [];
    return {
      calls,
      source: {
        grantsOf: async (p: string) => {
          calls.push(p);
          return new Map(grants.filter((g) => g.principalId === p).map((g) => [g.collectionId, g]));
        },
      },
    };
  }

  test('When a principal asks about many collections in one request, Then its grants are read once', async () => {
    const f = fake([{ principalId: 'user:1', collectionId: 'a', read: true, write: false }]);
    const policy = new GrantPolicy(f.source);
    const p = user('user:1');
    const rights = await Promise.all(['a', 'b', 'c'].map((c) => policy.rights(p, coll(c))));
    expect(rights.map((r) => r.visible)).toEqual([true, false, false]);
    expect(f.calls).toEqual(['user:1']);
  });

  test('When the next request comes (a new principal object), Then grants are read again: no cross-request cache', async () => {
    const f = fake([]);
    const policy = new GrantPolicy(f.source);
    await policy.rights(user('user:1'), coll('a'));
    await policy.rights(user('user:1'), coll('a'));
    expect(f.calls).toHaveLength(2);
  });

  test('Admins get everything, anonymous only public read, a public collection is readable by any principal, write without read is visible', async () => {
    const f = fake([{ principalId: 'user:w', collectionId: 'a', read: false, write: true }]);
    const policy = new GrantPolicy(f.source);
    expect(await policy.rights(user('x', { isAdmin: true }), coll('a'))).toEqual({ visible: true, read: true, write: true });
    expect(await policy.rights(ANONYMOUS, coll('a'))).toEqual({ visible: false, read: false, write: false });
    expect(await policy.rights(ANONYMOUS, coll('p', true))).toEqual({ visible: true, read: true, write: false });
    expect(await policy.rights(user('user:z'), coll('p', true))).toEqual({ visible: true, read: true, write: false });
    expect(await policy.rights(user('user:w'), coll('a'))).toEqual({ visible: true, read: false, write: true });
    expect(f.calls).not.toContain('anonymous');
  });
});

describe('LoginThrottle', () => {
  test('When failures reach the limit, Then 429 until the oldest failure leaves the window; success resets', () => {
    let now = 0;
    const t = new LoginThrottle({ maxFailures: 2, windowMs: 10_000 }, () => now);
    t.fail('1.2.3.4', 'bob');
    now = 1000;
    t.fail('1.2.3.4', 'bob');
    expect(() => t.check('1.2.3.4', 'bob')).toThrow(expect.objectContaining({ httpStatus: 429, headers: { 'Retry-After': '9' } }));
    expect(() => t.check('5.6.7.8', 'bob')).not.toThrow();
    expect(() => t.check('1.2.3.4', 'alice')).not.toThrow();
    now = 10_001;
    expect(() => t.check('1.2.3.4', 'bob')).not.toThrow();
    t.fail('1.2.3.4', 'bob');
    t.succeed('1.2.3.4', 'bob');
    t.fail('1.2.3.4', 'bob');
    expect(() => t.check('1.2.3.4', 'bob')).not.toThrow();
  });

  test('When many keys are sprayed, Then memory stays bounded', () => {
    const t = new LoginThrottle({ maxFailures: 5, windowMs: 60_000, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) t.fail('1.1.1.1', `u${i}`);
    expect((t as unknown as { failures: Map<string, unknown> }).failures.size).toBeLessThanOrEqual(101);
  });

  test('When unknown tokens reach the limit from one address, Then unknown tokens from it get 429, and no account there nor that address elsewhere is refused', () => {
    let now = 0;
    const t = new LoginThrottle({ maxFailures: 2, windowMs: 10_000 }, () => now);
    t.failUnknownToken('1.2.3.4');
    expect(() => t.checkUnknownToken('1.2.3.4')).not.toThrow();
    now = 1000;
    t.failUnknownToken('1.2.3.4');
    expect(() => t.checkUnknownToken('1.2.3.4')).toThrow(
      expect.objectContaining({ httpStatus: 429, headers: { 'Retry-After': '9' }, description: 'Too many unknown API tokens from this address; retry in 9 seconds.' }),
    );
    expect(() => t.checkUnknownToken('5.6.7.8')).not.toThrow();
    for (const username of ['', 'admin', '\u0000token', 'token']) expect(() => t.check('1.2.3.4', username)).not.toThrow();
    now = 10_001;
    expect(() => t.checkUnknownToken('1.2.3.4')).not.toThrow();
  });

  test('When an account is locked from one address, Then unknown tokens from it are still counted from zero, whatever the username', () => {
    const t = new LoginThrottle({ maxFailures: 2, windowMs: 10_000 });
    for (const username of ['', 'admin', '\u0000token', 't']) {
      t.fail('1.2.3.4', username);
      t.fail('1.2.3.4', username);
      expect(() => t.check('1.2.3.4', username)).toThrow(expect.objectContaining({ httpStatus: 429 }));
    }
    expect(() => t.checkUnknownToken('1.2.3.4')).not.toThrow();
  });

  test('When one address floods failures, Then it holds one key of at most the limit, and the retry is counted from the newest failures', () => {
    let now = 0;
    const t = new LoginThrottle({ maxFailures: 3, windowMs: 10_000 }, () => now);
    const failures = (t as unknown as { failures: Map<string, number[]> }).failures;
    for (let i = 0; i < 10_000; i++) {
      now = i;
      t.failUnknownToken('1.2.3.4');
      t.fail('1.2.3.4', 'bob');
    }
    expect(failures.size).toBe(2);
    for (const list of failures.values()) expect(list).toEqual([9997, 9998, 9999]);
    now = 10_000;
    expect(() => t.checkUnknownToken('1.2.3.4')).toThrow(expect.objectContaining({ headers: { 'Retry-After': '10' } }));
    now = 19_998;
    expect(() => t.checkUnknownToken('1.2.3.4')).not.toThrow();
  });
});

describe('AuthService and the failed-login throttle', () => {
  const SECRET = `taxii_${'v'.repeat(43)}`;
  const garbage = (i: number) => `taxii_${String(i).padStart(43, 'g')}`;
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

  async function service() {
    const passwordHash = await hashPassword('right-password');
    const users = {
      findByName: async (username: string): Promise<User | undefined> =>
        username === 'alice' || username === 'bob' ? { id: username, username, passwordHash, isAdmin: false, disabled: false, maxTlp: 'green' } : undefined,
    } as unknown as UserStore;
    const tokens = { resolve: async (secret: string) => (secret === SECRET ? user('token:siem', { kind: 'token' }) : undefined) };
    const throttle = new LoginThrottle({ maxFailures: 3, windowMs: 900_000 });
    const auth = new AuthService(users, { tokens, throttle });
    const status = (header: string, remoteAddress = '10.0.0.1') =>
      auth.authenticate(header, { remoteAddress }).then(
        () => 200,
        (e: { httpStatus: number }) => e.httpStatus,
      );
    return { status, failures: (throttle as unknown as { failures: Map<string, number[]> }).failures };
  }

  test('When an address sends a flood of distinct garbage tokens, Then the garbage gets 401 up to the limit and 429 after, a valid token still gets in by every scheme, and the throttle holds one short list', async () => {
    const { status, failures } = await service();
    for (let i = 0; i < 3; i++) expect(await status(`Bearer ${garbage(i)}`)).toBe(401);
    for (let i = 3; i < 1000; i++) expect(await status(i % 2 ? `Token ${garbage(i)}` : `Bearer nonsense-${i}`)).toBe(429);
    expect(failures.size).toBe(1);
    expect([...failures.values()][0]).toHaveLength(3);
    expect(await status(`Bearer ${SECRET}`)).toBe(200);
    expect(await status(`Token ${SECRET}`)).toBe(200);
    expect(await status(basic('', SECRET))).toBe(200);
    expect(await status(basic('alice', 'right-password'))).toBe(200);
    expect(await status(`Bearer ${garbage(0)}`, '10.0.0.2')).toBe(401);
  });

  test('When passwords fail past the limit for one account, Then that account gets 429 even with the right password, and neither another account nor a token from the address is refused', async () => {
    const { status } = await service();
    for (let i = 0; i < 3; i++) expect(await status(basic('alice', `wrong-${i}`))).toBe(401);
    expect(await status(basic('alice', 'right-password'))).toBe(429);
    expect(await status(basic('alice', 'right-password'), '10.0.0.2')).toBe(200);
    expect(await status(basic('bob', 'right-password'))).toBe(200);
    expect(await status(`Bearer ${SECRET}`)).toBe(200);
    expect(await status(`Token ${SECRET}`)).toBe(200);
    expect(await status(basic('alice', SECRET))).toBe(200);
    expect(await status(`Bearer ${garbage(0)}`)).toBe(401);
  });

  test('When token-shaped passwords fail in the Basic slot, Then they count against the account they name, and a valid token in that slot is still accepted', async () => {
    const { status } = await service();
    for (let i = 0; i < 3; i++) expect(await status(basic('', garbage(i)))).toBe(401);
    expect(await status(basic('', garbage(3)))).toBe(429);
    expect(await status(basic('', SECRET))).toBe(200);
    expect(await status(basic('alice', garbage(4)))).toBe(401);
    expect(await status(`Bearer ${garbage(5)}`)).toBe(401);
  });
});

describe('tokens', () => {
  test('token shape and expiry parsing', () => {
    expect(looksLikeToken(`taxii_${'a'.repeat(43)}`)).toBe(true);
    expect(looksLikeToken('password123')).toBe(false);
    expect(parseExpiry('30d', 0)).toBe(30 * 86_400_000);
    expect(parseExpiry('12h', 1000)).toBe(1000 + 12 * 3_600_000);
    expect(parseExpiry('2999-01-01', 0)).toBe(Date.parse('2999-01-01'));
    expect(() => parseExpiry('2000-01-01', Date.now())).toThrow(/in the past/);
    expect(() => parseExpiry('tomorrow', 0)).toThrow(/neither an ISO date/);
    expect(() => parseExpiry('0d', 0)).toThrow(/positive/);
  });
});

describe('requireSecureCredentials', () => {
  function app(remote: string, allowInsecure = false, secure = false) {
    const a = express();
    a.use((req, _res, next) => {
      Object.defineProperty(req, 'ip', { value: remote });
      Object.defineProperty(req, 'secure', { value: secure });
      next();
    });
    a.use(requireSecureCredentials({ allowInsecure }));
    a.get('/', (_req, res) => void res.send('ok'));
    a.use(errorHandler(pino({ level: 'silent' })));
    return supertest(a);
  }

  test.each([
    ['203.0.113.9', false, false, true, 403],
    ['203.0.113.9', false, false, false, 200],
    ['203.0.113.9', true, false, true, 200],
    ['203.0.113.9', false, true, true, 200],
    ['10.0.0.5', false, false, true, 403],
    ['127.0.0.1', false, false, true, 200],
    ['::1', false, false, true, 200],
    ['::ffff:127.0.0.1', false, false, true, 200],
    ['::ffff:192.0.2.1', false, false, true, 403],
  ])('When %s sends (allow_insecure=%s, secure=%s, credentials=%s), Then %i', async (remote, allow, secure, creds, status) => {
    const r = app(remote, allow, secure).get('/');
    const res = await (creds ? r.set('Authorization', 'Basic YTpi') : r);
    expect(res.status).toBe(status);
    if (status === 403) expect(JSON.parse(res.text).description).toMatch(/only accepted over HTTPS/);
  });

  test('isLoopback', () => {
    expect(isLoopback('127.8.9.10')).toBe(true);
    expect(isLoopback('128.0.0.1')).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
    expect(isLoopback('::2')).toBe(false);
  });
});
