/**
 * Losing the database answers 503 with a TAXII error and the same process serves again once it is back;
 * nothing that was acknowledged is lost. PostgreSQL only: an SQLite file cannot go away underneath a
 * running process in the same way.
 */
import knexFactory, { type Knex } from 'knex';
import { ADMIN_AUTH, envelope, freshDatabaseUrl, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';
import { withDefaultUser } from '../../src/store/db';
import { TcpProxy } from '../helpers/tcp-proxy';

const onPostgres = /^postgres/i.test(process.env.TEST_DATABASE_URL ?? '');
const C = `/api1/collections/${IDS.writable}`;

async function post(s: TestServer, from: number, n: number): Promise<{ status: number; body: any }> {
  const r = await s
    .request()
    .post(`${C}/objects/`)
    .set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH })
    .send(envelope(Array.from({ length: n }, (_, i) => indicator(from + i))));
  return { status: r.status, body: JSON.parse(r.text) };
}

async function list(s: TestServer): Promise<{ status: number; body: any; headers: Record<string, string> }> {
  const r = await s.request().get(`${C}/objects/?limit=1000`).set({ Accept: TAXII, Authorization: ADMIN_AUTH });
  return { status: r.status, body: JSON.parse(r.text || '{}'), headers: r.headers as Record<string, string> };
}

function expectUnavailable(r: { status: number; body: any; headers: Record<string, string> }): void {
  expect(r.status).toBe(503);
  expect(r.headers['content-type']).toBe(TAXII);
  expect(r.headers['retry-after']).toBeDefined();
  expect(r.body).toMatchObject({ http_status: '503', title: expect.any(String), error_id: expect.any(String) });
}

(onPostgres ? describe : describe.skip)('PostgreSQL outage', () => {
  test('When the server’s connections are terminated in the middle of a request, Then that request gets a 503 TAXII error and the next ones succeed without a restart', async () => {
    const s = await startTestServer({ env: { DB_POOL_MAX: '3' } });
    const admin: Knex = knexFactory({ client: 'pg', connection: withDefaultUser(s.databaseUrl), pool: { min: 0, max: 2 } });
    try {
      expect((await post(s, 1, 20)).body.success_count).toBe(20);
      // Hold the objects table so that the GET is certainly waiting inside the database when its
      // connection is killed, and has waited there for longer than a connection found dead on arrival
      // (which a read tries again on another connection) takes to fail.
      const trx = await admin.transaction();
      await trx.raw('lock table objects in access exclusive mode');
      const inFlight = list(s);
      for (let i = 0; i < 400; i++) {
        const waiting = await admin.raw("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and now() - query_start > interval '600 milliseconds'");
        if (waiting.rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const killed = await admin.raw('select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = ?) t', ['client backend']);
      expect(killed.rows[0].n).toBeGreaterThan(0);
      expectUnavailable(await inFlight);
      await trx.rollback();

      const after = await list(s);
      expect(after.status).toBe(200);
      expect(after.body.objects).toHaveLength(20);
      expect((await post(s, 100, 5)).body.success_count).toBe(5);
      expect((await list(s)).body.objects).toHaveLength(25);
    } finally {
      await admin.destroy();
      await s.close();
    }
  });

  test('When the database stops answering for a while, Then reads and writes get 503 TAXII errors, and once it answers again the same process serves every acknowledged object', async () => {
    const real = await freshDatabaseUrl();
    const target = new URL(real.url);
    const proxy = new TcpProxy(Number(target.port || 5432));
    const port = await proxy.open();
    const viaProxy = new URL(real.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(port);
    const s = await startTestServer({ databaseUrl: viaProxy.toString(), env: { DB_POOL_MAX: '4' } });
    try {
      const acknowledged = await post(s, 1, 30);
      expect(acknowledged.status).toBe(202);
      expect(acknowledged.body.success_count).toBe(30);

      await proxy.cut();
      expectUnavailable(await list(s));
      const refused = await post(s, 1000, 10);
      expect(refused.status).toBe(503);
      expect(refused.body.http_status).toBe('503');

      await proxy.open(port);
      const back = await list(s);
      expect(back.status).toBe(200);
      expect(back.body.objects.map((o: { id: string }) => o.id).sort()).toEqual(acknowledged.body.successes.map((x: { id: string }) => x.id).sort());
      expect((await post(s, 1000, 10)).body.success_count).toBe(10);
      expect((await list(s)).body.objects).toHaveLength(40);
    } finally {
      await s.close();
      await proxy.cut();
      await real.drop();
    }
  });
});

