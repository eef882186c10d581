/**
 * Graceful shutdown of the real server process (src/cli.ts serve): on SIGTERM under load, readiness fails
 * first, the requests already in flight finish (their transactions commit), and the process exits 0.
 */
import knexFactory from 'knex';
import { ADMIN_AUTH, envelope, freshDatabaseUrl, IDS, indicator, TAXII } from '../helpers/server';
import { startServerProcess, stopAllServerProcesses, writeTestConfig } from '../integration/support/processes';
import { withDefaultUser } from '../../src/store/db';
import { parsePrometheusText, valueOf } from './prom-text';

jest.setTimeout(120_000);
afterAll(() => stopAllServerProcesses());

const REQUESTS = 6;
const PER_REQUEST = 1500;

async function inFlight(url: string): Promise<number> {
  const r = await fetch(`${url}/metrics`, { headers: { Authorization: ADMIN_AUTH } });
  return valueOf(parsePrometheusText(await r.text()), 'taxii_http_requests_in_flight');
}

test('When SIGTERM arrives while large POSTs are in flight, Then readiness fails at once, every in-flight request completes with 202, all its objects are stored, and the process exits 0', async () => {
  const db = await freshDatabaseUrl();
  const server = await startServerProcess(db.url, writeTestConfig(), { env: { TAXII_SHUTDOWN_DELAY_SECONDS: '1', TAXII_SHUTDOWN_TIMEOUT_SECONDS: '60' } });
  try {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const exit = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    const posts = Array.from({ length: REQUESTS }, (_, r) =>
      fetch(`${server.url}/api1/collections/${IDS.writable}/objects/`, {
        method: 'POST',
        headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH },
        body: envelope(Array.from({ length: PER_REQUEST }, (_, i) => indicator(r * PER_REQUEST + i))),
      }).then(async (res) => ({ status: res.status, body: JSON.parse(await res.text()) })),
    );
    // The scrape itself is one request in flight; wait until at least two posts are being handled too.
    const deadline = Date.now() + 30_000;
    while ((await inFlight(server.url)) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    server.child.kill('SIGTERM');
    // The signal is handled once the event loop is free (validation of a large envelope is synchronous);
    // for the shutdown delay, the listener still answers, and readiness says no.
    let ready: Response;
    do ready = await fetch(`${server.url}/readyz`, { headers: { Connection: 'close' } });
    while (ready.status === 200 && Date.now() < deadline);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, shutting_down: true });

    const results = await Promise.all(posts);
    for (const r of results) {
      expect(r.status).toBe(202);
      expect(r.body.success_count).toBe(PER_REQUEST);
    }
    expect(await exit).toBe(0);
    // At least one post was still in flight when the signal was handled: its log line comes after it.
    const lines = server.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const signalled = lines.findIndex((l) => /shutting down/.test(l.msg));
    expect(signalled).toBeGreaterThan(0);
    expect(lines.slice(signalled).filter((l) => l.method === 'POST' && l.status === 202).length).toBeGreaterThan(0);
    expect(lines[lines.length - 1].msg).toBe('stopped');
    // Nothing was cut off: the connections closed by themselves, not at the bound.
    expect(server.output()).not.toMatch(/did not finish in time/);

    const knex = /^postgres/.test(db.url)
      ? knexFactory({ client: 'pg', connection: withDefaultUser(db.url) })
      : knexFactory({ client: 'better-sqlite3', connection: { filename: db.url }, useNullAsDefault: true });
    try {
      const [{ n }] = await knex('objects').count({ n: '*' });
      expect(Number(n)).toBe(REQUESTS * PER_REQUEST);
    } finally {
      await knex.destroy();
    }
  } finally {
    await server.stop();
    await db.drop();
  }
});

test('When TAXII_METRICS_LISTEN is set, Then /metrics is served there without credentials, the TAXII listener answers 404 for it, and SIGTERM closes both and exits 0', async () => {
  const db = await freshDatabaseUrl();
  const server = await startServerProcess(db.url, writeTestConfig(), { env: { TAXII_METRICS_LISTEN: '127.0.0.1:0' } });
  try {
    const exit = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    const metricsUrl = /"metrics":"(http:\/\/[^"]+)"/.exec(server.output())![1]!;
    expect((await fetch(`${server.url}/taxii2/`, { headers: { Accept: TAXII } })).status).toBe(200);
    const r = await fetch(metricsUrl);
    expect(r.status).toBe(200);
    const m = parsePrometheusText(await r.text());
    expect(valueOf(m, 'taxii_http_requests_total', { route: '/taxii2/', status: '200' })).toBe(1);
    expect((await fetch(metricsUrl.replace('/metrics', '/other'))).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { headers: { Accept: TAXII, Authorization: ADMIN_AUTH } })).status).toBe(404);
    server.child.kill('SIGTERM');
    expect(await exit).toBe(0);
  } finally {
    await server.stop();
    await db.drop();
  }
});
