/**
 * `serve --workers N` runs N processes behind one port. They share nothing but the database: a cursor
 * issued by one worker pages correctly on another, writes through any worker are seen by all, and a
 * worker that dies is replaced while the others keep serving.
 */
import * as fs from 'node:fs';
import { ADMIN_AUTH, envelope, freshDatabaseUrl, IDS, indicator, TAXII } from '../helpers/server';
import { startServerProcess, stopAllServerProcesses, writeTestConfig, type ServerProcess } from './support/processes';

const C = `/api1/collections/${IDS.writable}`;
const WORKERS = 3;

let db: { url: string; drop: () => Promise<void> };
let server: ServerProcess;

/** Pids of the live workers: the children of the cluster primary. */
function workerPids(): number[] {
  const pids: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === server.child.pid) pids.push(Number(d));
    } catch {
      /* the process ended while listing */
    }
  }
  return pids;
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function get(url: string): Promise<any> {
  const r = await fetch(server.url + url, { headers: { Accept: TAXII, Authorization: ADMIN_AUTH } });
  expect(r.status).toBe(200);
  return r.json();
}

beforeAll(async () => {
  db = await freshDatabaseUrl();
  server = await startServerProcess(db.url, writeTestConfig(), { args: ['--workers', String(WORKERS)] });
  await waitFor('every worker', () => (workerPids().length === WORKERS ? true : undefined));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await stopAllServerProcesses();
  await db?.drop();
});

test('When serve runs with --workers 3, Then three worker processes serve one port', async () => {
  expect(workerPids()).toHaveLength(WORKERS);
  const answers = await Promise.all(Array.from({ length: 30 }, () => fetch(`${server.url}/taxii2/`, { headers: { Accept: TAXII } })));
  expect(answers.map((r) => r.status)).toEqual(Array(30).fill(200));
});

test('When objects are written through the workers and paged with next over new connections, Then every object is seen exactly once', async () => {
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: 6 }, async (_, e) => {
      const objs = Array.from({ length: 20 }, (_, i) => indicator(500_000 + e * 100 + i));
      const r = await fetch(`${server.url}${C}/objects/`, {
        method: 'POST',
        headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH, Connection: 'close' },
        body: envelope(objs),
      });
      expect(((await r.json()) as { success_count: number }).success_count).toBe(20);
      ids.push(...objs.map((o) => o.id as string));
    }),
  );
  const seen: string[] = [];
  let url = `${C}/objects/?limit=7`;
  for (;;) {
    const body = await get(url);
    seen.push(...(body.objects ?? []).map((o: { id: string }) => o.id));
    if (!body.more) break;
    url = `${C}/objects/?limit=7&next=${encodeURIComponent(body.next)}`;
  }
  expect(seen.length).toBe(ids.length);
  expect([...seen].sort()).toEqual([...ids].sort());
});

test('When a worker is killed, Then the others keep serving and the primary starts a replacement', async () => {
  const before = workerPids();
  process.kill(before[0]!, 'SIGKILL');
  await waitFor('the killed worker to be gone', () => (fs.existsSync(`/proc/${before[0]}`) ? undefined : true));
  // New connections: a kept-alive one to the killed worker died with it, as it would for any client.
  for (let i = 0; i < 20; i++) {
    expect((await fetch(`${server.url}/taxii2/`, { headers: { Accept: TAXII, Connection: 'close' } })).status).toBe(200);
  }
  const after = await waitFor('a replacement worker', () => {
    const now = workerPids();
    return now.length === WORKERS && !now.includes(before[0]!) ? now : undefined;
  });
  expect(after).toHaveLength(WORKERS);
});
