/**
 * The console under hostile input and changing access: asset names, sessions across sign-ins, Unicode
 * direction controls in STIX text, and what a partner learns of collections it may not read.
 * SQLite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { hashPassword } from '../../src/taxii/services/auth-service';
import { userPrincipalId } from '../../src/taxii/token-service';
import { ADMIN, IDS, indicator, startTestServer, type TestServer } from '../helpers/server';
import { reviewConfigDoc } from '../review/fixtures';
import { PASSWORD, seed, signIn, TLP_GREEN } from './helpers';

let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ doc: reviewConfigDoc() });
  const gina = await s.rt.stores.users.upsert({ username: 'gina', passwordHash: await hashPassword(PASSWORD), isAdmin: false, maxTlp: 'green' });
  await s.rt.stores.principals.grant(userPrincipalId(gina.id), IDS.private, { read: true, write: false, curate: false });
});
afterAll(() => s.close());

describe('assets', () => {
  test('When an asset is asked for by the name of an Object.prototype property, Then it is an unknown asset, not a 500', async () => {
    const unknown = await s.request().get('/console/assets/no-such-file.css');
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const r = await s.request().get(`/console/assets/${name}`);
      expect({ name, status: r.status }).toEqual({ name, status: unknown.status });
    }
    const { agent } = await signIn(s, 'gina');
    for (const name of ['__proto__', 'constructor']) {
      const r = await agent.get(`/console/assets/${name}`);
      expect({ name, status: r.status }).toEqual({ name, status: 404 });
    }
  });
});
