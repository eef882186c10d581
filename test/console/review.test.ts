/** The review pages of the console (supertest): the diff of a new version, rejecting with a reason, who may act. */
import { IDS, indicator, TAXII, type TestServer } from '../helpers/server';
import { auth, submissionOf, submit } from '../review/fixtures';
import { csrfOf, signIn, startConsoleServer } from './helpers';

let s: TestServer;
beforeAll(async () => {
  s = await startConsoleServer();
});
afterAll(() => s.close());

test('When a new version of a published object waits for review, Then its page shows the property diff against the published one', async () => {
  const v1 = indicator(40, { name: 'first name' });
  await submit(s, 'alice', [v1]);
  const { agent, csrf } = await signIn(s, 'bob');
  const first = await submissionOf(s, v1.id as string);
  expect((await agent.post(`/console/review/api1/${first}/approve`).type('form').send({ _csrf: csrf, into: '', note: 'ok' })).status).toBe(303);
  const v2 = { ...v1, modified: '2024-02-01T00:00:00.000Z', name: 'second <b>name</b>' };
  await submit(s, 'alice', [v2]);
  const second = await submissionOf(s, v1.id as string, '2024-02-01T00:00:00.000Z');
  const page = await agent.get(`/console/review/api1/${second}`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('<span class="del">- name: &quot;first name&quot;</span>');
  expect(page.text).toContain('<span class="add">+ name: &quot;second &lt;b&gt;name&lt;/b&gt;&quot;</span>');
});

test('When a curator rejects with a reason, Then the submission shows it, the submitter reads it over TAXII, and nothing is published', async () => {
  const v = indicator(41);
  await submit(s, 'alice', [v]);
  const id = await submissionOf(s, v.id as string);
  const { agent, csrf } = await signIn(s, 'bob');
  const empty = await agent.post(`/console/review/api1/${id}/reject`).type('form').send({ _csrf: csrf, reason: '' });
  expect(empty.status).toBe(400);
  expect(empty.text).toContain('Give a reason');
  const r = await agent.post(`/console/review/api1/${id}/reject`).type('form').send({ _csrf: csrf, reason: 'no source for this address' });
  expect(r.status).toBe(303);
  const page = await agent.get(r.headers.location!);
  expect(page.text).toContain('Rejected.');
  expect(page.text).toContain('no source for this address');
  const mine = JSON.parse((await s.request().get(`/api1/review/submissions/?state=rejected`).set('Accept', TAXII).set('Authorization', auth('alice'))).text);
  expect(mine.submissions.find((x: any) => x.id === id)?.reason).toBe('no source for this address');
  const published = await s.request().get(`/api1/collections/${IDS.public}/objects/?match[id]=${v.id}`).set('Accept', TAXII);
  expect(published.text).toBe('{}');
});

test('When a reader without the curator right tries to approve, Then the page says so and the submission stays pending', async () => {
  const v = indicator(42);
  await submit(s, 'alice', [v]);
  const id = await submissionOf(s, v.id as string);
  const { agent } = await signIn(s, 'carol');
  const page = await agent.get(`/console/review/api1/${id}`);
  const r = await agent.post(`/console/review/api1/${id}/approve`).type('form').send({ _csrf: csrfOf(page.text) });
  expect(r.status).toBe(403);
  expect(r.text).toContain('class="error"');
  expect(r.text).toContain('<dd class="state">pending</dd>');
});
