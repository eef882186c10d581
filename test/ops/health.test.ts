/** /healthz and /readyz (docs/operations.md): readiness follows the database, the migrations and shutdown. */
import { ADMIN_AUTH, freshDatabaseUrl, startTestServer, type TestServer } from '../helpers/server';
import { parsePrometheusText, valueOf } from './prom-text';
import { TcpProxy } from '../helpers/tcp-proxy';

const onPostgres = /^postgres/i.test(process.env.TEST_DATABASE_URL ?? '');

async function readyz(s: TestServer): Promise<{ status: number; body: any }> {
  const r = await s.request().get('/readyz');
  return { status: r.status, body: JSON.parse(r.text) };
}

/** Polls /readyz until it answers `status` (results are cached for half a second), or gives up after 20 s. */
async function readyzBecomes(s: TestServer, status: number): Promise<{ status: number; body: any }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await readyz(s);
    if (r.status === status || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
}

describe('health and readiness', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ runtime: { processMetrics: false } });
  });
  afterAll(() => s.close());

  test('When the server runs, Then /healthz, /readyz and /health answer 200 without credentials or Accept header', async () => {
    expect((await s.request().get('/healthz')).status).toBe(200);
    expect(await readyz(s)).toEqual({ status: 200, body: { status: 'ready', ready: true, database: 'ok', migrations: 'current', shutting_down: false } });
    expect((await s.request().get('/health')).status).toBe(200);
  });

  test('When the database connections are gone, Then /readyz is 503 saying so while /healthz stays 200, and when they are back /readyz is 200 again', async () => {
    await s.rt.db.knex.destroy();
    const down = await readyzBecomes(s, 503);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ ready: false, database: 'unreachable' });
    expect((await s.request().get('/healthz')).status).toBe(200);
    s.rt.db.knex.initialize();
    const up = await readyzBecomes(s, 200);
    expect(up.body).toMatchObject({ ready: true, database: 'ok' });
  });

  test('When a migration this build knows is not applied, Then /readyz is 503 with migrations pending, and 200 once it is', async () => {
    const knex = s.rt.db.knex;
    const last = await knex('knex_migrations').orderBy('id', 'desc').first();
    await knex('knex_migrations').where({ id: last.id }).delete();
    try {
      expect((await readyzBecomes(s, 503)).body).toMatchObject({ ready: false, database: 'ok', migrations: 'pending' });
    } finally {
      await knex('knex_migrations').insert(last);
    }
    expect((await readyzBecomes(s, 200)).body.migrations).toBe('current');
  });

  test('When shutdown begins, Then /readyz is 503 with shutting_down and responses ask to close the connection', async () => {
    s.rt.health.shutdown();
    const r = await s.request().get('/readyz');
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text)).toMatchObject({ ready: false, shutting_down: true });
    expect(r.headers.connection).toBe('close');
    expect((await s.request().get('/healthz')).status).toBe(200);
  });
});

(onPostgres ? describe : describe.skip)('readiness when PostgreSQL stops answering', () => {
  test('When the network path to PostgreSQL is cut, Then /readyz is 503 within its timeout, and 200 once PostgreSQL is reachable again', async () => {
    const real = await freshDatabaseUrl();
    const target = new URL(real.url);
    const proxy = new TcpProxy(Number(target.port || 5432));
    const port = await proxy.open();
    const viaProxy = new URL(real.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(port);
    const s = await startTestServer({ databaseUrl: viaProxy.toString(), runtime: { processMetrics: false } });
    try {
      expect((await readyz(s)).status).toBe(200);
      await proxy.cut();
      const down = await readyzBecomes(s, 503);
      expect(down.body).toMatchObject({ ready: false, database: 'unreachable' });
      await proxy.open(port);
      expect((await readyzBecomes(s, 200)).body).toMatchObject({ ready: true, database: 'ok', migrations: 'current' });
    } finally {
      await s.close();
      await proxy.cut();
      await real.drop();
    }
  });
});

describe('taxii_ready', () => {
  test('When /metrics is scraped before any probe, and after shutdown begins, Then taxii_ready is 1, then 0', async () => {
    const s = await startTestServer({ runtime: { processMetrics: false } });
    try {
      const scrape = async () => valueOf(parsePrometheusText((await s.request().get('/metrics').set('Authorization', ADMIN_AUTH)).text), 'taxii_ready');
      expect(await scrape()).toBe(1);
      s.rt.health.shutdown();
      expect(await scrape()).toBe(0);
    } finally {
      await s.close();
    }
  });
});
