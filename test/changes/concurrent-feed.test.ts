/**
 * Several server processes add and delete in one collection while a reader pages the change feed through
 * another: every event arrives exactly once, because positions come from the collection's counter row,
 * locked by each writing transaction, so the log commits in position order.
 * Runs on PostgreSQL when TEST_DATABASE_URL names one, else on one SQLite file shared by the processes.
 */
import { ADMIN_AUTH, envelope, IDS, indicator, TAXII } from '../helpers/server';
import { startCluster, type ServerProcess } from '../integration/support/processes';

jest.setTimeout(120_000);

const C = `/api1/collections/${IDS.writable}`;
const WRITERS = 3;
const ENVELOPES = 10;
const PER_ENVELOPE = 8;

let cluster: Awaited<ReturnType<typeof startCluster>>;
let servers: ServerProcess[] = [];

// Started together on a fresh database: they race to apply the migrations too.
beforeAll(async () => {
  cluster = await startCluster(WRITERS + 1);
  servers = cluster.servers;
});
afterAll(() => cluster?.close());

const headers = { Accept: TAXII, Authorization: ADMIN_AUTH };

/** Posts envelopes and deletes one object of each; returns the events it caused, as "id|version|change". */
async function writer(server: ServerProcess, w: number): Promise<string[]> {
  const events: string[] = [];
  for (let e = 0; e < ENVELOPES; e++) {
    const objs = Array.from({ length: PER_ENVELOPE }, (_, i) => indicator(w * 100_000 + e * PER_ENVELOPE + i + 1));
    const r = await fetch(`${server.url}${C}/objects/`, { method: 'POST', headers: { ...headers, 'Content-Type': TAXII }, body: envelope(objs) });
    expect(r.status).toBe(202);
    expect(((await r.json()) as { success_count: number }).success_count).toBe(PER_ENVELOPE);
    events.push(...objs.map((o) => `${o.id}|${o.modified}|added`));
    const victim = objs[e % PER_ENVELOPE]!;
    const d = await fetch(`${server.url}${C}/objects/${victim.id}/`, { method: 'DELETE', headers });
    expect(d.status).toBe(200);
    events.push(`${victim.id}|${victim.modified}|deleted`);
  }
  return events;
}

test('When writers add and delete concurrently while a reader pages the change feed, Then the reader gets every event exactly once', async () => {
  const reader = servers[WRITERS]!;
  const seen: string[] = [];
  let addedAfter: string | undefined;
  let next: string | undefined;
  const pollOnce = async (): Promise<boolean> => {
    const q = new URLSearchParams({ limit: '7' });
    if (next) q.set('next', next);
    else if (addedAfter) q.set('added_after', addedAfter);
    const r = await fetch(`${reader.url}${C}/changes/?${q}`, { headers });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { more?: boolean; next?: string; changes?: Array<{ id: string; version: string; change: string }> };
    for (const c of body.changes ?? []) seen.push(`${c.id}|${c.version}|${c.change}`);
    if (body.more) next = body.next;
    else {
      next = undefined;
      addedAfter = r.headers.get('x-taxii-date-added-last') ?? addedAfter;
    }
    return Boolean(body.more) || (body.changes?.length ?? 0) > 0;
  };

  let writing = true;
  const done = Promise.all(servers.slice(0, WRITERS).map((s, w) => writer(s, w))).finally(() => (writing = false));
  while (writing) await pollOnce();
  const expected = (await done).flat();
  while (await pollOnce());

  expect(new Set(seen).size).toBe(seen.length);
  expect([...seen].sort()).toEqual([...expected].sort());
  // Per object, its deletion comes after its add.
  for (const e of expected.filter((x) => x.endsWith('|deleted'))) {
    expect(seen.indexOf(e)).toBeGreaterThan(seen.indexOf(e.replace(/deleted$/, 'added')));
  }
});
