/**
 * SIGKILL while envelopes are being posted: after a restart on the same database every acknowledged
 * object is there, once, and each envelope is all there or not at all (one transaction per request).
 * Runs the real server (src/cli.ts serve) as a child process, on SQLite or TEST_DATABASE_URL.
 */
import { ADMIN_AUTH, envelope, freshDatabaseUrl, IDS, indicator, TAXII } from '../helpers/server';
import { startServerProcess, stopAllServerProcesses, writeTestConfig } from '../integration/support/processes';

const C = `/api1/collections/${IDS.writable}`;
const POSTERS = 4;
const PER_ENVELOPE = 200;

afterAll(async () => {
  await stopAllServerProcesses();
});

async function listAll(base: string): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined;
  do {
    const r = await fetch(`${base}${C}/objects/?limit=1000${next ? `&next=${encodeURIComponent(next)}` : ''}`, { headers: { Accept: TAXII, Authorization: ADMIN_AUTH } });
    expect(r.status).toBe(200);
    const page = (await r.json()) as { objects?: Array<{ id: string }>; more?: boolean; next?: string };
    for (const o of page.objects ?? []) ids.push(o.id);
    next = page.more ? page.next : undefined;
  } while (next);
  return ids;
}

test('When the server is killed with SIGKILL during concurrent posts, Then after a restart every acknowledged object is stored exactly once and no envelope is half stored', async () => {
  const db = await freshDatabaseUrl();
  const config = writeTestConfig();
  try {
    const first = await startServerProcess(db.url, config);
    const acknowledged: number[][] = [];
    const attempted: number[][] = [];
    let counter = 0;
    let killed = false;
    const poster = async () => {
      while (!killed) {
        const ns = Array.from({ length: PER_ENVELOPE }, () => ++counter);
        attempted.push(ns);
        try {
          const r = await fetch(`${first.url}${C}/objects/`, {
            method: 'POST',
            headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH },
            body: envelope(ns.map((n) => indicator(n))),
          });
          const status = (await r.json()) as { success_count?: number };
          if (r.status === 202 && status.success_count === PER_ENVELOPE) acknowledged.push(ns);
        } catch {
          // The connection died with the server: this envelope was not acknowledged.
        }
      }
    };
    const posting = Promise.all(Array.from({ length: POSTERS }, poster));
    // Kill once some envelopes went through and others are in flight.
    while (acknowledged.length < 8) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    killed = true;
    if (first.child.exitCode === null && first.child.signalCode === null) await new Promise((r) => first.child.once('exit', r));
    await posting;

    const second = await startServerProcess(db.url, config);
    try {
      const stored = await listAll(second.url);
      const id = (n: number) => indicator(n).id as string;
      const storedSet = new Set(stored);
      expect(stored.length).toBe(storedSet.size);
      for (const ns of acknowledged) for (const n of ns) expect(storedSet.has(id(n))).toBe(true);
      for (const ns of attempted) {
        const present = ns.filter((n) => storedSet.has(id(n))).length;
        expect([0, ns.length]).toContain(present);
      }
      process.stdout.write(`SIGKILL during ingest: ${acknowledged.length} envelopes acknowledged, ${attempted.length} attempted, ${stored.length} objects stored after restart\n`);
    } finally {
      await second.stop();
    }
  } finally {
    await db.drop();
  }
}, 120_000);
