import supertest from 'supertest';
import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, testConfigDoc } from '../../helpers/server';

function withServer(server: Record<string, unknown>) {
  const doc = testConfigDoc();
  return startTestServer({ doc: { ...doc, server: { ...(doc.server as object), ...server } } });
}

test('When a principal exceeds its request budget, Then 429 with Retry-After as a TAXII error, and other principals are unaffected', async () => {
  const s = await withServer({ rate_limit: { window_seconds: 60, max_requests: 3, max_requests_per_address: 100 } });
  try {
    const get = (auth?: string) => {
      const r = s.request().get('/taxii2/').set('Accept', TAXII);
      return auth ? r.set('Authorization', auth) : r;
    };
    for (let i = 0; i < 3; i++) expect((await get(ADMIN_AUTH)).status).toBe(200);
    const r = await get(ADMIN_AUTH);
    expect(r.status).toBe(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(r.text)).toMatchObject({ http_status: '429', title: 'Too many requests' });
    expect(r.headers['content-type']).toBe(TAXII);
    expect((await get()).status).toBe(200);
  } finally {
    await s.close();
  }
});

test('When one address exceeds the per-address budget, Then 429 whoever it claims to be', async () => {
  const s = await withServer({ rate_limit: { window_seconds: 60, max_requests: 100, max_requests_per_address: 2 } });
  try {
    const get = () => s.request().get('/taxii2/').set('Accept', TAXII);
    expect((await get()).status).toBe(200);
    expect((await get().set('Authorization', ADMIN_AUTH)).status).toBe(200);
    const r = await get();
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBeDefined();
  } finally {
    await s.close();
  }
});

test('When a username fails to log in too often from one address, Then 429 even with the right password, and other usernames still work', async () => {
  const s = await withServer({ login_throttle: { max_failures: 3, window_seconds: 900 } });
  try {
    const get = (auth: string) => s.request().get('/taxii2/').set('Accept', TAXII).set('Authorization', auth);
    for (let i = 0; i < 3; i++) expect((await get(basic('admin', `wrong-${i}`))).status).toBe(401);
    const blocked = await get(ADMIN_AUTH);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    expect((await get(basic('someone-else', 'x'))).status).toBe(401);
  } finally {
    await s.close();
  }
});

test('When one address sends unknown API tokens past the limit, Then they get 429 while a valid token from that address, in any form, and a password account still work', async () => {
  const s = await withServer({ login_throttle: { max_failures: 3, window_seconds: 900 } });
  try {
    const { secret } = await s.rt.services.tokens.create({ name: 'siem', userId: (await s.rt.stores.users.findByName('admin'))!.id });
    const get = (auth: string) => s.request().get('/taxii2/').set('Accept', TAXII).set('Authorization', auth);
    const garbage = (i: number) => `taxii_${String(i).padStart(43, 'x')}`;
    // As for passwords: max_failures unknown tokens get 401, and every unknown token after them 429.
    for (let i = 0; i < 3; i++) expect((await get(`Bearer ${garbage(i)}`)).status).toBe(401);
    for (let i = 3; i < 7; i++) {
      const r = await get(i % 2 ? `Token ${garbage(i)}` : `Bearer garbage-${i}`);
      expect(r.status).toBe(429);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(800);
      expect(JSON.parse(r.text).description).toMatch(/^Too many unknown API tokens from this address; retry in \d+ seconds\.$/);
    }
    expect((await get(`Bearer ${secret}`)).status).toBe(200);
    expect((await get(`Token ${secret}`)).status).toBe(200);
    expect((await get(basic('', secret))).status).toBe(200);
    expect((await get(basic('any-name', secret))).status).toBe(200);
    expect((await get(ADMIN_AUTH)).status).toBe(200);
  } finally {
    await s.close();
  }
});

test('When unknown tokens are sent in the Basic password slot past the limit, Then a valid token sent the same way still works', async () => {
  const s = await withServer({ login_throttle: { max_failures: 3, window_seconds: 900 } });
  try {
    const { secret } = await s.rt.services.tokens.create({ name: 'siem', userId: (await s.rt.stores.users.findByName('admin'))!.id });
    const get = (auth: string) => s.request().get('/taxii2/').set('Accept', TAXII).set('Authorization', auth);
    for (let i = 0; i < 3; i++) expect((await get(basic('', `taxii_${String(i).padStart(43, 'y')}`))).status).toBe(401);
    expect((await get(basic('', `taxii_${'z'.repeat(43)}`))).status).toBe(429);
    expect((await get(basic('', secret))).status).toBe(200);
    expect((await get(`Bearer ${secret}`)).status).toBe(200);
  } finally {
    await s.close();
  }
});

test('When a password account is locked from one address, Then a valid token from that address still works', async () => {
  const s = await withServer({ login_throttle: { max_failures: 3, window_seconds: 900 } });
  try {
    const { secret } = await s.rt.services.tokens.create({ name: 'siem', userId: (await s.rt.stores.users.findByName('admin'))!.id });
    const get = (auth: string) => s.request().get('/taxii2/').set('Accept', TAXII).set('Authorization', auth);
    for (let i = 0; i < 3; i++) expect((await get(basic('admin', `wrong-${i}`))).status).toBe(401);
    expect((await get(ADMIN_AUTH)).status).toBe(429);
    expect((await get(`Bearer ${secret}`)).status).toBe(200);
    expect((await get(basic('admin', secret))).status).toBe(200);
  } finally {
    await s.close();
  }
});

test('When an envelope holds more objects than allowed, Then 413 and nothing is stored; too deep JSON is a 400', async () => {
  const s = await withServer({ max_objects_per_envelope: 2, max_json_depth: 8 });
  try {
    const post = (body: string) =>
      s.request().post(`/api1/collections/${IDS.writable}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(body);
    const big = await post(envelope([indicator(1), indicator(2), indicator(3)]));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text).description).toMatch(/at most 2/);
    expect((await post(envelope([indicator(1), indicator(2)]))).status).toBe(202);
    let deep: unknown = 'x';
    for (let i = 0; i < 20; i++) deep = { a: deep };
    expect((await post(envelope([indicator(9, { x_deep: deep })]))).status).toBe(400);
  } finally {
    await s.close();
  }
});

test('When any response is sent, Then the security headers are on it', async () => {
  const s = await startTestServer();
  try {
    // The application itself, without the test helper's recording wrapper.
    const r = await supertest(s.rt.app).get('/taxii2/').set('Accept', TAXII);
    expect(r.headers).toMatchObject({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
    expect(r.headers['x-powered-by']).toBeUndefined();
  } finally {
    await s.close();
  }
});

test('When an IPv6 client fails logins from fresh addresses of its /56, Then the throttle counts them together, and another /56 is not refused', async () => {
  const s = await withServer({ trust_proxy: 'loopback', allow_insecure_credentials: true, login_throttle: { max_failures: 3, window_seconds: 900 } });
  try {
    const get = (from: string, auth: string) => s.request().get('/taxii2/').set('Accept', TAXII).set('X-Forwarded-For', from).set('Authorization', auth);
    const fresh = ['2001:db8:aa:1::1', '2001:db8:aa:2::7', '2001:db8:aa:ff:1:2:3:4'];
    for (const [i, from] of fresh.entries()) expect((await get(from, basic('admin', `wrong-${i}`))).status).toBe(401);
    expect((await get('2001:db8:aa:42::9', ADMIN_AUTH)).status).toBe(429);
    expect((await get('2001:db8:bb::1', ADMIN_AUTH)).status).toBe(200);
    for (const [i, from] of fresh.entries()) expect((await get(from, `Bearer not-a-token-${i}`)).status).toBe(401);
    expect((await get('2001:db8:aa:43::1', 'Bearer not-a-token-x')).status).toBe(429);
  } finally {
    await s.close();
  }
});
