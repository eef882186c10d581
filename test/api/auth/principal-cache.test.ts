/**
 * Authenticated requests reuse the resolved principal and its grants while the store's access-control
 * revision is unchanged. Each kind of change, made through another connection to the same database (as
 * another server process or the CLI makes it) or by plain SQL, must be seen by the very next request.
 */
import { createDb, type Db } from '../../../src/store/db';
import { PrincipalStore } from '../../../src/store/principal-store';
import { UserStore } from '../../../src/store/user-store';
import { hashPassword } from '../../../src/taxii/services/auth-service';
import { TokenService, userPrincipalId } from '../../../src/taxii/token-service';
import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../../helpers/server';
import { addUser } from './fixtures';

const AMBER = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82';
const GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';
const C = `/api1/collections/${IDS.private}`;

let s: TestServer;
let other: Db;
let users: UserStore;
let principals: PrincipalStore;
let userId: string;

beforeAll(async () => {
  s = await startTestServer();
  other = createDb({ url: s.databaseUrl });
  users = new UserStore(other);
  principals = new PrincipalStore(other);
  const r = await s
    .request()
    .post(`${C}/objects/`)
    .set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH })
    .send(envelope([indicator(1, { object_marking_refs: [GREEN] }), indicator(2, { object_marking_refs: [AMBER] })]));
  expect(r.body.failure_count).toBe(0);
  userId = await addUser(s.rt, 'poller', 'poller-password-1', { tlp: 'amber', grants: { [IDS.private]: ['read'] } });
});
afterAll(async () => {
  await other.close();
  await s.close();
});

async function ids(auth: string): Promise<{ status: number; ids: string[] }> {
  const r = await s.request().get(`${C}/objects/`).set({ Accept: TAXII, Authorization: auth });
  return { status: r.status, ids: ((r.body.objects ?? []) as Array<{ id: string }>).map((o) => o.id).sort() };
}

const both = [indicator(1).id as string, indicator(2).id as string].sort();

describe('principals and grants reused under the access-control revision', () => {
  test('When nothing changed, Then a repeated request reads neither the user row nor the grants', async () => {
    const auth = basic('poller', 'poller-password-1');
    expect(await ids(auth)).toEqual({ status: 200, ids: both });
    const userSpy = jest.spyOn(s.rt.stores.users, 'findByName');
    const grantSpy = jest.spyOn(s.rt.stores.principals, 'grantsOf');
    try {
      expect(await ids(auth)).toEqual({ status: 200, ids: both });
      expect(await ids(auth)).toEqual({ status: 200, ids: both });
      expect(userSpy).not.toHaveBeenCalled();
      expect(grantSpy).not.toHaveBeenCalled();
    } finally {
      userSpy.mockRestore();
      grantSpy.mockRestore();
    }
  });

  test('When grants, clearance, password or the account change through another connection, Then the next request sees it', async () => {
    let auth = basic('poller', 'poller-password-1');
    expect((await ids(auth)).status).toBe(200);

    await principals.revoke(userPrincipalId(userId), IDS.private);
    expect([403, 404]).toContain((await ids(auth)).status);
    await principals.grant(userPrincipalId(userId), IDS.private, { read: true });
    expect(await ids(auth)).toEqual({ status: 200, ids: both });

    await users.setMaxTlp('poller', 'green');
    expect(await ids(auth)).toEqual({ status: 200, ids: [indicator(1).id as string] });
    await users.setMaxTlp('poller', 'amber');
    expect(await ids(auth)).toEqual({ status: 200, ids: both });

    await users.setPasswordHash('poller', await hashPassword('poller-password-2'));
    expect((await ids(auth)).status).toBe(401);
    auth = basic('poller', 'poller-password-2');
    expect((await ids(auth)).status).toBe(200);

    await users.setDisabled('poller', true);
    expect((await ids(auth)).status).toBe(401);
    // Plain SQL, as an operator might run it: the triggers count it too.
    await other.knex('users').where({ username: 'poller' }).update({ disabled: 0 });
    expect((await ids(auth)).status).toBe(200);
    await other.knex('grants').where({ principal_id: userPrincipalId(userId) }).delete();
    expect([403, 404]).toContain((await ids(auth)).status);
    await principals.grant(userPrincipalId(userId), IDS.private, { read: true });
    expect((await ids(auth)).status).toBe(200);
  });

  test('When a token is revoked elsewhere or expires, Then the next request with it is refused; its use alone moves nothing', async () => {
    const tokens = new TokenService(principals);
    const { secret } = await tokens.create({ name: 'siem-1', userId });
    const bearer = `Bearer ${secret}`;
    expect(await ids(bearer)).toEqual({ status: 200, ids: both });
    const revision = await principals.authRevision();
    expect(await ids(bearer)).toEqual({ status: 200, ids: both });
    expect(await principals.authRevision()).toBe(revision);
    await principals.revokeToken('siem-1', Date.now());
    expect((await ids(bearer)).status).toBe(401);

    const short = await tokens.create({ name: 'siem-2', userId, expiresAtMs: Date.now() + 1_500 });
    expect((await ids(`Bearer ${short.secret}`)).status).toBe(200);
    expect((await ids(`Bearer ${short.secret}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_600));
    expect((await ids(`Bearer ${short.secret}`)).status).toBe(401);
  });

  test("When a poller's connections bring credentials not yet checked all at once, Then the user row is read and the password hashed once", async () => {
    await addUser(s.rt, 'burst', 'burst-password-1', { tlp: 'amber', grants: { [IDS.private]: ['read'] } });
    const userSpy = jest.spyOn(s.rt.stores.users, 'findByName');
    try {
      const all = await Promise.all(Array.from({ length: 8 }, () => ids(basic('burst', 'burst-password-1'))));
      expect(all).toEqual(Array.from({ length: 8 }, () => ({ status: 200, ids: both })));
      expect(userSpy).toHaveBeenCalledTimes(1);
    } finally {
      userSpy.mockRestore();
    }
  });
});
