/** Exports keep the TAXII tree's transport rule and share its rate-limit budget. */
import { ADMIN_AUTH, IDS, startTestServer, TAXII, testConfigDoc } from '../helpers/server';

const list = `/api1/collections/${IDS.public}/exports/lists/ip`;

test('When a principal spends its budget on TAXII and export requests together, Then the export answers 429 as a TAXII error', async () => {
  const doc = testConfigDoc();
  const s = await startTestServer({ doc: { ...doc, server: { ...(doc.server as object), rate_limit: { window_seconds: 60, max_requests: 3, max_requests_per_address: 100 } } } });
  try {
    await s.request().get(`/api1/collections/${IDS.public}/objects/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
    await s.request().get(list).set('Authorization', ADMIN_AUTH).expect(200);
    await s.request().get(`/api1/collections/${IDS.public}/objects/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
    const r = await s.request().get(list).set('Authorization', ADMIN_AUTH);
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBeDefined();
    expect(JSON.parse(r.text)).toMatchObject({ http_status: '429' });
  } finally {
    await s.close();
  }
});

test('When credentials come over plain HTTP from another machine, Then the export refuses them as the TAXII tree does', async () => {
  const doc = testConfigDoc();
  const s = await startTestServer({ doc: { ...doc, server: { ...(doc.server as object), trust_proxy: 'loopback' } } });
  try {
    const refused = await s.request().get(list).set('Authorization', ADMIN_AUTH).set('X-Forwarded-For', '203.0.113.7');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).description).toMatch(/HTTPS/);
    await s.request().get(list).set('Authorization', ADMIN_AUTH).set('X-Forwarded-For', '203.0.113.7').set('X-Forwarded-Proto', 'https').expect(200);
    // Without credentials a public collection's list is served to anyone.
    await s.request().get(list).set('X-Forwarded-For', '203.0.113.7').expect(200);
  } finally {
    await s.close();
  }
});

test('When a private collection is read without credentials, Then 401 with a Basic challenge (firewalls then send their credentials)', async () => {
  const s = await startTestServer();
  try {
    const r = await s.request().get(`/api1/collections/${IDS.private}/exports/lists/ip`).expect(401);
    expect(r.headers['www-authenticate']).toMatch(/^Basic/);
    await s.request().get(`/api1/collections/${IDS.private}/exports/lists/ip`).set('Authorization', ADMIN_AUTH).expect(200);
  } finally {
    await s.close();
  }
});

test('When a list is asked for with HEAD or a text Accept, Then it answers without TAXII negotiation, while the TAXII tree still asks for TAXII media types', async () => {
  const s = await startTestServer();
  try {
    const head = await s.request().head(list).set('Accept', 'text/plain').expect(200);
    expect(head.headers.etag).toMatch(/^"/);
    expect(head.headers['content-type']).toBe('text/plain; charset=utf-8');
    await s.request().get(`/api1/collections/${IDS.public}/objects/`).set('Accept', 'text/plain').expect(406);
    await s.request().get(`/api1/collections/${IDS.public}/exportsx`).set('Accept', 'text/plain').expect(406);
  } finally {
    await s.close();
  }
});
