/** Partner administration in the console (supertest): administrators only, tokens shown once, audit entries. */
import { ADMIN, IDS, TAXII, type TestServer } from '../helpers/server';
import { amber, green, seed, signIn, startConsoleServer } from './helpers';

let s: TestServer;
beforeAll(async () => {
  s = await startConsoleServer();
  await seed(s, 'private-feed', [amber(11), green(12)]);
});
afterAll(() => s.close());

describe('partner administration', () => {
  test('When a user who is not an administrator opens or posts to the partner pages, Then it is refused with 403', async () => {
    const { agent, csrf } = await signIn(s, 'bob');
    expect((await agent.get('/console/admin/')).status).toBe(403);
    expect((await agent.get('/console/admin/audit')).status).toBe(403);
    const r = await agent.post('/console/admin/users').type('form').send({ _csrf: csrf, username: 'sneaky', password: 'long-enough-1', tlp: 'red' });
    expect(r.status).toBe(403);
    expect(await s.rt.stores.users.findByName('sneaky')).toBeUndefined();
  });

  test('When an administrator creates a partner at TLP:GREEN and grants it a collection, Then its TAXII reads follow, and the audit log says who did it', async () => {
    const { agent, csrf } = await signIn(s, ADMIN.user, ADMIN.password);
    const made = await agent.post('/console/admin/users').type('form').send({ _csrf: csrf, username: 'partner-one', password: 'partner-one-pw', tlp: 'green' });
    expect(made.status).toBe(303);
    expect(made.headers.location).toBe('/console/admin/users/partner-one?done=created');
    const granted = await agent.post('/console/admin/users/partner-one/grant').type('form').send({ _csrf: csrf, collection: IDS.private, right: 'read' });
    expect(granted.status).toBe(303);
    const poll = await s.request().get('/api1/collections/private-feed/objects/').set('Accept', TAXII).set('Authorization', `Basic ${Buffer.from('partner-one:partner-one-pw').toString('base64')}`);
    const ids = JSON.parse(poll.text).objects.map((o: { id: string }) => o.id);
    expect(ids).toContain(green(12).id);
    expect(ids).not.toContain(amber(11).id);
    const audit = await agent.get('/console/admin/audit?action=grant');
    expect(audit.text).toContain(`user:partner-one on ${IDS.private}`);
    expect(audit.text).not.toContain('user.add');
    const entries = await s.rt.services.audit.list({ limit: 10 });
    expect(entries.find((e) => e.action === 'user.add' && e.target === 'partner-one')?.actor).toMatch(/^admin \(user:/);
  });

  test('When an administrator creates a token, Then it is shown once, works for TAXII, is listed by its hint only, and stops working when revoked', async () => {
    const { agent, csrf } = await signIn(s, ADMIN.user, ADMIN.password);
    const r = await agent.post('/console/admin/tokens').type('form').send({ _csrf: csrf, name: 'bob-siem', username: 'bob', tlp: 'green' });
    expect(r.status).toBe(201);
    const secret = /id="token-secret">(taxii_[A-Za-z0-9_-]{43})</.exec(r.text)?.[1];
    expect(secret).toBeDefined();
    const list = await agent.get('/console/admin/');
    expect(list.text).toContain('bob-siem');
    expect(list.text).not.toContain(secret!);
    const poll = () => s.request().get('/api1/collections/private-feed/objects/').set('Accept', TAXII).set('Authorization', `Bearer ${secret}`);
    const ids = JSON.parse((await poll()).text).objects.map((o: { id: string }) => o.id);
    expect(ids).toEqual([green(12).id]);
    expect((await agent.post('/console/admin/tokens/bob-siem/revoke').type('form').send({ _csrf: csrf })).status).toBe(303);
    expect((await poll()).status).toBe(401);
  });

  test('When a form asks for something invalid, Then the page says what to fix and nothing changes', async () => {
    const { agent, csrf } = await signIn(s, ADMIN.user, ADMIN.password);
    const short = await agent.post('/console/admin/users').type('form').send({ _csrf: csrf, username: 'x', password: 'short', tlp: 'green' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('at least 8 characters');
    const tlp = await agent.post('/console/admin/users/bob/clearance').type('form').send({ _csrf: csrf, tlp: 'purple' });
    expect(tlp.status).toBe(400);
    expect((await s.rt.stores.users.findByName('bob'))?.maxTlp).toBe('amber');
    const far = await agent.post('/console/admin/tokens').type('form').send({ _csrf: csrf, name: 'far-future', username: 'bob', expires: '99999999d' });
    expect(far.status).toBe(400);
    expect(far.text).toContain('Expires &quot;99999999d&quot; is too far ahead');
    expect(await s.rt.stores.principals.findTokenByName('far-future')).toBeUndefined();
    expect((await agent.get('/console/admin/')).status).toBe(200);
    const self = await agent.post(`/console/admin/users/${ADMIN.user}/disable`).type('form').send({ _csrf: csrf });
    expect(self.status).toBe(400);
    expect(self.text).toContain('cannot disable yourself');
  });
});
