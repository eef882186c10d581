/**
 * Database faults answer 503 TAXII errors with Retry-After within the configured wait limit, and the same
 * process serves again once the fault is gone. PostgreSQL: a role and database of the test's own, whose
 * rights are taken away, and a TCP proxy that silently stops forwarding. SQLite: another process holding
 * the write lock, a full disk and a read-only database (simulated on the server's own connection with
 * max_page_count and query_only, which fail with the same SQLITE_FULL and SQLITE_READONLY codes).
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import knexFactory, { type Knex } from 'knex';
import { ADMIN_AUTH, envelope, indicator, IDS, startTestServer, TAXII, type TestServer } from '../helpers/server';
import { withDefaultUser } from '../../src/store/db';
import { TcpProxy } from '../helpers/tcp-proxy';

const onPostgres = /^postgres/i.test(process.env.TEST_DATABASE_URL ?? '');
const C = `/api1/collections/${IDS.writable}`;
/** The wait limit these tests configure (DB_MAX_WAIT_MS), and the slack allowed on top of it on a loaded machine. */
const MAX_WAIT_MS = 1500;
const SLACK_MS = 1500;

interface Answer {
  status: number;
  body: any;
  headers: Record<string, string>;
  ms: number;
}

async function timed(p: PromiseLike<{ status: number; text: string; headers: unknown }>): Promise<Answer> {
  const t = performance.now();
  const r = await p;
  return { status: r.status, body: JSON.parse(r.text || '{}'), headers: r.headers as Record<string, string>, ms: performance.now() - t };
}

const post = (s: TestServer, from: number, n: number) =>
  timed(s.request().post(`${C}/objects/`).set({ Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH }).send(envelope(Array.from({ length: n }, (_, i) => indicator(from + i)))));
const list = (s: TestServer) => timed(s.request().get(`${C}/objects/?limit=1000`).set({ Accept: TAXII, Authorization: ADMIN_AUTH }));

function expectUnavailable(r: Answer): void {
  expect(r.status).toBe(503);
  expect(r.headers['content-type']).toBe(TAXII);
  expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
  expect(r.body).toMatchObject({ http_status: '503', title: expect.any(String), description: expect.any(String) });
  expect(r.ms).toBeLessThan(MAX_WAIT_MS + SLACK_MS);
}

(onPostgres ? describe : describe.skip)('PostgreSQL refusing connections', () => {
  const role = `taxii_fault_${randomUUID().slice(0, 8)}`;
  const dbName = role;
  let admin: Knex;
  let s: TestServer;

  const terminateListed = () => admin.raw('select pg_terminate_backend(pid) from pg_stat_activity where usename = ?', [role]);
  // A connection the server was opening while the fault went in may pass its checks before the fault and
  // show its role only once started: a second pass a moment later ends it too.
  const terminate = async () => {
    await terminateListed();
    await new Promise((r) => setTimeout(r, 200));
    await terminateListed();
  };

  beforeAll(async () => {
    admin = knexFactory({ client: 'pg', connection: withDefaultUser(process.env.TEST_DATABASE_URL!), pool: { min: 0, max: 2 } });
    await admin.raw(`create role ${role} login`);
    await admin.raw(`create database ${dbName} owner ${role}`);
    const url = new URL(withDefaultUser(process.env.TEST_DATABASE_URL!));
    url.username = role;
    url.pathname = `/${dbName}`;
    s = await startTestServer({ databaseUrl: url.toString(), env: { DB_POOL_MAX: '3', DB_MAX_WAIT_MS: String(MAX_WAIT_MS) } });
    expect((await post(s, 1, 10)).body.success_count).toBe(10);
  });
  afterAll(async () => {
    await s?.close();
    await admin.raw(`drop database if exists ${dbName} with (force)`);
    await admin.raw(`drop role if exists ${role}`);
    await admin.destroy();
  });

  const FAULTS: Array<[string, string, string]> = [
    ['the database stops accepting connections', `alter database ${dbName} allow_connections false`, `alter database ${dbName} allow_connections true`],
    ['the connect privilege is revoked', `revoke connect on database ${dbName} from public, ${role}`, `grant connect on database ${dbName} to ${role}`],
    ['the role may not log in', `alter role ${role} nologin`, `alter role ${role} login`],
    ['the role has too many connections', `alter role ${role} connection limit 0`, `alter role ${role} connection limit -1`],
  ];
  for (const [what, fault, repair] of FAULTS) {
    test(`When ${what}, Then reads and writes get 503 with Retry-After, and after the repair the same process serves again`, async () => {
      await admin.raw(fault);
      try {
        await terminate();
        expectUnavailable(await list(s));
        expectUnavailable(await post(s, 100, 5));
      } finally {
        await admin.raw(repair);
      }
      const back = await list(s);
      expect(back.status).toBe(200);
      expect(back.body.objects.length).toBeGreaterThanOrEqual(10);
    });
  }
});

(onPostgres ? describe : describe.skip)('PostgreSQL behind a silent network partition', () => {
  /** A server on a database of its own, reached through a proxy the test can stall; cleaned up after `body`. */
  async function partitioned(body: (s: TestServer, proxy: TcpProxy) => Promise<void>): Promise<void> {
    const target = new URL(withDefaultUser(process.env.TEST_DATABASE_URL!));
    const proxy = new TcpProxy(Number(target.port || 5432));
    const port = await proxy.open();
    const name = `taxii_part_${randomUUID().slice(0, 8)}`;
    const admin = knexFactory({ client: 'pg', connection: target.toString(), pool: { min: 0, max: 1 } });
    await admin.raw(`create database ${name}`);
    const via = new URL(target.toString());
    via.hostname = '127.0.0.1';
    via.port = String(port);
    via.pathname = `/${name}`;
    const s = await startTestServer({ databaseUrl: via.toString(), env: { DB_POOL_MAX: '4', DB_MAX_WAIT_MS: String(MAX_WAIT_MS) } });
    try {
      await body(s, proxy);
    } finally {
      proxy.resume();
      await s.close();
      await proxy.cut();
      await admin.raw(`drop database if exists ${name} with (force)`);
      await admin.destroy();
    }
  }

  test('When the network to the database silently stops forwarding, Then reads and writes answer 503 within the wait limit, and once it forwards again the same process serves every acknowledged object', async () => {
    await partitioned(async (s, proxy) => {
      const acknowledged = await post(s, 1, 30);
      expect(acknowledged.body.success_count).toBe(30);

      proxy.stall();
      const answers = await Promise.all([list(s), post(s, 1000, 10), list(s), post(s, 2000, 10)]);
      for (const a of answers) expectUnavailable(a);
      // New requests keep being bounded while the partition lasts (connections being opened hang too).
      expectUnavailable(await list(s));

      proxy.resume();
      const back = await list(s);
      expect(back.status).toBe(200);
      const ids = back.body.objects.map((o: { id: string }) => o.id);
      for (const x of acknowledged.body.successes) expect(ids).toContain(x.id);
      expect((await post(s, 3000, 5)).body.success_count).toBe(5);
    });
  });

  test('When polls keep arriving while the first one waits on the stalled database, Then they all answer 503 when its wait limit runs out, none trying the stalled network again', async () => {
    await partitioned(async (s, proxy) => {
      expect((await post(s, 1, 5)).body.success_count).toBe(5);
      proxy.stall();
      // The later polls arrive while the first poll's shared reads (access-control revision, write position) wait.
      const polls: Array<Promise<Answer & { endedAt: number }>> = [];
      for (let i = 0; i < 4; i++) {
        polls.push(list(s).then((a) => ({ ...a, endedAt: performance.now() })));
        await new Promise((r) => setTimeout(r, MAX_WAIT_MS / 4));
      }
      const answered = await Promise.all(polls);
      for (const a of answered) expectUnavailable(a);
      // The polls that waited for the next read get the first read's failure with it, instead of a read of
      // their own through the stalled network.
      const ends = answered.map((a) => a.endedAt);
      expect(Math.max(...ends) - Math.min(...ends)).toBeLessThan(100);
      proxy.resume();
      expect((await list(s)).status).toBe(200);
    });
  });
});

(onPostgres ? describe.skip : describe)('SQLite locked by another process', () => {
  test('When another connection holds the write lock, Then a write answers 503 with Retry-After within the wait limit, reads go on, and once the lock is released writes succeed', async () => {
    const s = await startTestServer({ env: { DB_MAX_WAIT_MS: String(MAX_WAIT_MS) } });
    const other = new Database(s.databaseUrl);
    try {
      expect((await post(s, 1, 10)).body.success_count).toBe(10);
      other.prepare('begin immediate').run();
      expectUnavailable(await post(s, 100, 5));
      const read = await list(s);
      expect(read.status).toBe(200);
      other.prepare('rollback').run();
      expect((await post(s, 100, 5)).body.success_count).toBe(5);
      expect((await list(s)).body.objects).toHaveLength(15);
    } finally {
      if (other.inTransaction) other.prepare('rollback').run();
      other.close();
      await s.close();
    }
  });
});

(onPostgres ? describe.skip : describe)('SQLite out of space or read-only', () => {
  // The server's writer is a single pooled connection, so a pragma set on it applies to every write.
  const FAULTS: Array<[string, (s: TestServer) => Promise<unknown>, (s: TestServer) => Promise<unknown>]> = [
    [
      'the disk is full (SQLITE_FULL)',
      async (s) => {
        const [{ page_count }] = await s.rt.db.knex.raw('pragma page_count');
        await s.rt.db.knex.raw(`pragma max_page_count = ${page_count}`);
      },
      (s) => s.rt.db.knex.raw('pragma max_page_count = 4294967294'),
    ],
    ['the database is read-only (SQLITE_READONLY)', (s) => s.rt.db.knex.raw('pragma query_only = 1'), (s) => s.rt.db.knex.raw('pragma query_only = 0')],
  ];
  for (const [what, fault, repair] of FAULTS) {
    test(`When ${what}, Then a write answers 503 with Retry-After and stores nothing, reads go on, and after the repair writes succeed`, async () => {
      const s = await startTestServer({ env: { DB_MAX_WAIT_MS: String(MAX_WAIT_MS) } });
      try {
        expect((await post(s, 1, 10)).body.success_count).toBe(10);
        await fault(s);
        expectUnavailable(await post(s, 100, 300));
        const read = await list(s);
        expect(read.status).toBe(200);
        expect(read.body.objects).toHaveLength(10);
        await repair(s);
        expect((await post(s, 100, 300)).body.success_count).toBe(300);
        expect((await list(s)).body.objects).toHaveLength(310);
      } finally {
        await s.close();
      }
    });
  }
});

