/**
 * Several server processes write one collection while a reader pages and polls through yet another:
 * date_added is allocated under the collection's counter-row lock, so commits appear in date_added order
 * and a reader that has passed a position never misses an object committed after it.
 * Runs on PostgreSQL when TEST_DATABASE_URL names one, else on one SQLite file shared by the processes.
 */
import { ADMIN_AUTH, envelope, IDS, indicator, TAXII } from '../helpers/server';
import { startCluster, type ServerProcess } from './support/processes';

jest.setTimeout(120_000);

const C = `/api1/collections/${IDS.writable}`;
const WRITERS = 3;
const ENVELOPES = 30;
const PER_ENVELOPE = 10;

let cluster: Awaited<ReturnType<typeof startCluster>>;
let servers: ServerProcess[] = [];

// Started together on a fresh database: they race to apply the migrations too.
beforeAll(async () => {
  cluster = await startCluster(WRITERS + 1);
  servers = cluster.servers;
});
afterAll(() => cluster?.close());

async function get(server: ServerProcess, url: string): Promise<{ body: any; last?: string }> {
  const r = await fetch(server.url + url, { headers: { Accept: TAXII, Authorization: ADMIN_AUTH } });
  expect(r.status).toBe(200);
  return { body: await r.json(), last: r.headers.get('x-taxii-date-added-last') ?? undefined };
}

async function writer(server: ServerProcess, w: number, base: number): Promise<string[]> {
  const posted: string[] = [];
  for (let e = 0; e < ENVELOPES; e++) {
    const objs = Array.from({ length: PER_ENVELOPE }, (_, i) => indicator(base + w * 100_000 + e * PER_ENVELOPE + i));
    const r = await fetch(`${server.url}${C}/objects/`, {
      method: 'POST',
      headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH },
      body: envelope(objs),
    });
    const status = (await r.json()) as { success_count: number; failure_count: number };
    expect(r.status).toBe(202);
    expect(status.success_count).toBe(PER_ENVELOPE);
    posted.push(...objs.map((o) => o.id as string));
  }
  return posted;
}

function writeAll(base: number): { done: Promise<string[]>; writing: () => boolean } {
  let running = true;
  const done = Promise.all(servers.slice(0, WRITERS).map((s, w) => writer(s, w, base)))
    .then((lists) => lists.flat())
    .finally(() => (running = false));
  return { done, writing: () => running };
}

function expectExactlyOnce(seen: string[], posted: string[]): void {
  const dupes = seen.filter((id, i) => seen.indexOf(id) !== i);
  expect(dupes).toEqual([]);
  const missing = posted.filter((id) => !seen.includes(id));
  expect(missing).toEqual([]);
  expect(seen.length).toBe(posted.length);
}

test('When three processes write one collection while a reader pages with next through a fourth, Then the reader sees every object exactly once', async () => {
  const reader = servers[WRITERS]!;
  const w = writeAll(1_000_000);
  const seen: string[] = [];
  let url = `${C}/objects/?limit=13`;
  let pages = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    const stillWriting = w.writing();
    // Cursors come from one process and are used on another: they must mean the same everywhere.
    const via = guard % 2 === 0 ? reader : servers[guard % WRITERS]!;
    const { body, last } = await get(via, url);
    pages++;
    for (const o of body.objects ?? []) seen.push(o.id);
    if (body.more) url = `${C}/objects/?limit=13&next=${encodeURIComponent(body.next)}`;
    else if (!stillWriting) break;
    else if (last) url = `${C}/objects/?limit=13&added_after=${encodeURIComponent(last)}`;
  }
  const posted = await w.done;
  expect(pages).toBeGreaterThan(posted.length / 13);
  expectExactlyOnce(seen, posted);
});

test('When three processes write while a reader polls with added_after = the last X-TAXII-Date-Added-Last, Then every object arrives exactly once', async () => {
  const reader = servers[WRITERS]!;
  const { body: start, last: before } = await get(reader, `${C}/objects/?limit=1000`);
  expect(start.more).toBeFalsy();
  const w = writeAll(2_000_000);
  const seen: string[] = [];
  let cursor = before;
  for (let guard = 0; guard < 100_000; guard++) {
    const stillWriting = w.writing();
    const { body, last } = await get(reader, `${C}/objects/?limit=1000${cursor ? `&added_after=${encodeURIComponent(cursor)}` : ''}`);
    for (const o of body.objects ?? []) seen.push(o.id);
    if (last) cursor = last;
    if (!stillWriting && !body.objects?.length) break;
  }
  expectExactlyOnce(seen, await w.done);
});
