import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, testConfigDoc, type TestServer } from '../../helpers/server';
import { addUser } from './fixtures';

/**
 * Checklist items 12-21: every endpoint E1-E11 against every kind of caller, on the non-public
 * collection IDS.private (no default TLP, every user here cleared for TLP:RED so that only grants matter).
 */
let s: TestServer;
const PW = 'correct-horse-battery';
const auth: Record<string, string | undefined> = {};
let statusId: string;
const seeded = [indicator(1), indicator(2), indicator(3)];
const seededIds = seeded.map((o) => o.id as string).sort();

beforeAll(async () => {
  // The failed-login throttle is tested on its own (throttle.test.ts); here it would turn 401s into 429s.
  const doc = testConfigDoc();
  s = await startTestServer({ doc: { ...doc, server: { ...(doc.server as object), login_throttle: { max_failures: 1000 } } } });
  const rt = s.rt;
  await addUser(rt, 'nogrant', PW, { grants: { [IDS.writable]: ['read', 'write'] } });
  await addUser(rt, 'reader', PW, { grants: { [IDS.private]: ['read'] } });
  const writerId = await addUser(rt, 'writer', PW, { grants: { [IDS.private]: ['read', 'write'] } });
  const revoked = await rt.services.tokens.create({ name: 'revoked', userId: writerId });
  await rt.stores.principals.revokeToken('revoked', Date.now());
  const expired = await rt.services.tokens.create({ name: 'expired', userId: writerId, expiresAtMs: Date.now() + 200 });
  await new Promise((r) => setTimeout(r, 250));
  Object.assign(auth, {
    anonymous: undefined,
    'wrong password': basic('reader', 'not-the-password'),
    'revoked token': `Bearer ${revoked.secret}`,
    'expired token': `Bearer ${expired.secret}`,
    'reader without grant': basic('nogrant', PW),
    reader: basic('reader', PW),
    writer: basic('writer', PW),
    admin: ADMIN_AUTH,
  });
  const add = await post(ADMIN_AUTH, seeded.slice(0, 2));
  expect(add.status).toBe(202);
  const mine = await post(auth.writer, seeded.slice(2));
  expect(mine.status).toBe(202);
  statusId = mine.body.id;
});
afterAll(() => s.close());

function req(method: 'get' | 'post' | 'delete', path: string, authorization?: string) {
  let r = s.request()[method](path).set('Accept', TAXII);
  if (authorization) r = r.set('Authorization', authorization);
  return r;
}
function post(authorization: string | undefined, objects: unknown[]) {
  return req('post', `/api1/collections/${IDS.private}/objects/`, authorization).set('Content-Type', TAXII).send(envelope(objects));
}
const parse = (text: string) => (text ? JSON.parse(text) : {});

type Caller = 'anonymous' | 'wrong password' | 'revoked token' | 'expired token' | 'reader without grant' | 'reader' | 'writer' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'wrong password', 'revoked token', 'expired token', 'reader without grant', 'reader', 'writer', 'admin'];
const BAD: Caller[] = ['wrong password', 'revoked token', 'expired token'];

/** status code per caller: [anonymous, bad credentials (3), no grant, reader, writer, admin] */
function row(anon: number, nogrant: number, reader: number, writer: number, admin: number): Record<Caller, number> {
  return { anonymous: anon, 'wrong password': 401, 'revoked token': 401, 'expired token': 401, 'reader without grant': nogrant, reader, writer, admin };
}

const C = `/api1/collections/${IDS.private}`;
const O = () => `${C}/objects/${seeded[0]!.id}`;

describe('read endpoints', () => {
  const cases: Array<{ e: string; path: () => string; codes: Record<Caller, number>; check?: (c: Caller, body: any) => void }> = [
    { e: 'E1 discovery', path: () => '/taxii2/', codes: row(200, 200, 200, 200, 200), check: (_c, b) => expect(b.api_roots).toHaveLength(2) },
    { e: 'E2 API root', path: () => '/api1/', codes: row(200, 200, 200, 200, 200), check: (_c, b) => expect(b.title).toBe('API root one') },
    { e: 'E3 status', path: () => `/api1/status/${statusId}/`, codes: row(401, 404, 404, 200, 200), check: (_c, b) => expect(b.id).toBe(statusId) },
    {
      e: 'E4 collections',
      path: () => '/api1/collections/',
      codes: row(200, 200, 200, 200, 200),
      check: (c, b) => {
        const got = Object.fromEntries((b.collections ?? []).map((x: any) => [x.id, [x.can_read, x.can_write]]));
        const expected: Record<Caller, Record<string, [boolean, boolean]>> = {
          anonymous: { [IDS.public]: [true, false] },
          'reader without grant': { [IDS.public]: [true, false], [IDS.writable]: [true, true] },
          reader: { [IDS.public]: [true, false], [IDS.private]: [true, false] },
          writer: { [IDS.public]: [true, false], [IDS.private]: [true, true] },
          admin: { [IDS.public]: [true, true], [IDS.private]: [true, true], [IDS.writable]: [true, true] },
        } as never;
        expect(got).toEqual(expected[c]);
      },
    },
    {
      e: 'E5 collection',
      path: () => `${C}/`,
      codes: row(401, 404, 200, 200, 200),
      check: (c, b) => expect([b.can_read, b.can_write]).toEqual(c === 'reader' ? [true, false] : [true, true]),
    },
    {
      e: 'E6 manifest',
      path: () => `${C}/manifest/`,
      codes: row(401, 404, 200, 200, 200),
      check: (_c, b) => expect(b.objects.map((o: any) => o.id).sort()).toEqual(seededIds),
    },
    {
      e: 'E7 objects',
      path: () => `${C}/objects/`,
      codes: row(401, 404, 200, 200, 200),
      check: (_c, b) => expect(b.objects.map((o: any) => o.id).sort()).toEqual(seededIds),
    },
    {
      e: 'E9 object',
      path: () => `${O()}/`,
      codes: row(401, 404, 200, 200, 200),
      check: (_c, b) => expect(b.objects.map((o: any) => o.id)).toEqual([seeded[0]!.id]),
    },
    {
      e: 'E11 versions',
      path: () => `${O()}/versions/`,
      codes: row(401, 404, 200, 200, 200),
      check: (_c, b) => expect(b.versions).toEqual(['2024-01-01T00:00:00.000Z']),
    },
  ];
  for (const k of cases) {
    for (const c of CALLERS) {
      test(`When ${c} calls ${k.e}, Then ${k.codes[c]}${k.codes[c] < 300 && k.check ? ' with exactly what it may see' : ''}`, async () => {
        const r = await req('get', k.path(), auth[c]);
        expect(r.status).toBe(k.codes[c]);
        if (r.status >= 400) {
          expect(parse(r.text).http_status).toBe(String(r.status));
          if (r.status === 401) expect(r.headers['www-authenticate']).toMatch(/^Basic realm="taxii"/);
        } else k.check?.(c, parse(r.text));
      });
    }
  }
});

describe('E8 add objects', () => {
  const codes = row(401, 404, 403, 202, 202);
  CALLERS.forEach((c, i) => {
    test(`When ${c} posts, Then ${codes[c]}${codes[c] === 202 ? ' and the object is stored' : ' and nothing is stored'}`, async () => {
      const obj = indicator(100 + i);
      const r = await post(auth[c], [obj]);
      expect(r.status).toBe(codes[c]);
      const stored = await req('get', `${C}/objects/${obj.id}/`, ADMIN_AUTH);
      expect(stored.status).toBe(codes[c] === 202 ? 200 : 404);
      if (r.status === 202) expect(parse(r.text).success_count).toBe(1);
    });
  });
});

describe('E10 delete an object', () => {
  const codes = row(401, 404, 403, 200, 200);
  CALLERS.forEach((c, i) => {
    test(`When ${c} deletes, Then ${codes[c]}${codes[c] === 200 ? ' and the object is gone' : ' and the object stays'}`, async () => {
      const obj = indicator(200 + i);
      expect((await post(ADMIN_AUTH, [obj])).status).toBe(202);
      const r = await req('delete', `${C}/objects/${obj.id}/`, auth[c]);
      expect(r.status).toBe(codes[c]);
      const after = await req('get', `${C}/objects/${obj.id}/`, ADMIN_AUTH);
      expect(after.status).toBe(codes[c] === 200 ? 404 : 200);
    });
  });

  test('When a principal may write but not read, Then DELETE is 403 and POST is 202 (item 18)', async () => {
    await addUser(s.rt, 'write-only', PW, { grants: { [IDS.private]: ['write'] } });
    const obj = indicator(300);
    expect((await post(basic('write-only', PW), [obj])).status).toBe(202);
    expect((await req('delete', `${C}/objects/${obj.id}/`, basic('write-only', PW))).status).toBe(403);
    expect((await req('get', `${C}/objects/`, basic('write-only', PW))).status).toBe(403);
  });
});

describe('bad credentials never fall back to anonymous', () => {
  for (const c of BAD) {
    test(`When ${c} reads the public collection, Then 401 rather than the anonymous view`, async () => {
      const r = await req('get', `/api1/collections/${IDS.public}/objects/`, auth[c]);
      expect(r.status).toBe(401);
    });
  }
});
