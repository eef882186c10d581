import type supertest from 'supertest';
import { hashPassword } from '../../src/taxii/services/auth-service';
import { userPrincipalId } from '../../src/taxii/token-service';
import { envelope, IDS, indicator, TAXII, ADMIN_AUTH, type TestServer } from '../helpers/server';
import { PASSWORD, startReviewServer } from '../review/fixtures';

export { PASSWORD };
export const TLP_AMBER = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82';
export const TLP_GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';

/** The review test server, plus a TLP:GREEN partner `gina` who reads the private feed only. */
export async function startConsoleServer(): Promise<TestServer> {
  const s = await startReviewServer();
  const gina = await s.rt.stores.users.upsert({ username: 'gina', passwordHash: await hashPassword(PASSWORD), isAdmin: false, maxTlp: 'green' });
  await s.rt.stores.principals.grant(userPrincipalId(gina.id), IDS.private, { read: true, write: false, curate: false });
  return s;
}

/** Posts objects straight into a collection as the administrator. */
export async function seed(s: TestServer, collection: string, objects: unknown[]): Promise<void> {
  const r = await s.request().post(`/api1/collections/${collection}/objects/`).set('Accept', TAXII).set('Content-Type', TAXII).set('Authorization', ADMIN_AUTH).send(envelope(objects));
  if (r.status !== 202 || JSON.parse(r.text).failure_count) throw new Error(`seeding ${collection}: ${r.text}`);
}

export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1]!;
}

/** Signs in with a supertest agent (which keeps the cookies); returns the agent and the session's CSRF token. */
export async function signIn(s: TestServer, user: string, password = PASSWORD): Promise<{ agent: supertest.Agent; csrf: string }> {
  const agent = s.request();
  const form = await agent.get('/console/sign-in');
  const r = await agent.post('/console/sign-in').type('form').send({ _csrf: csrfOf(form.text), username: user, password });
  if (r.status !== 303) throw new Error(`sign-in as ${user}: ${r.status} ${r.text.slice(0, 300)}`);
  const page = await agent.get('/console/collections/');
  return { agent, csrf: csrfOf(page.text) };
}

export const amber = (n: number, extra: Record<string, unknown> = {}) => indicator(n, { object_marking_refs: [TLP_AMBER], name: `amber indicator ${n}`, ...extra });
export const green = (n: number, extra: Record<string, unknown> = {}) => indicator(n, { object_marking_refs: [TLP_GREEN], name: `green indicator ${n}`, ...extra });
