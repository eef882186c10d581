/** A reader paging while a curator writes sees every object exactly once (issue 2 acceptance). */
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

let s: TestServer;
beforeEach(async () => {
  s = await startTestServer();
});
afterEach(() => s.close());

const C = `/api1/collections/${IDS.writable}`;

async function fetchJson(url: string): Promise<{ body: any; last?: string }> {
  const r = await fetch(s.url + url, { headers: { Accept: TAXII, Authorization: ADMIN_AUTH } });
  expect(r.status).toBe(200);
  return { body: await r.json(), last: r.headers.get('x-taxii-date-added-last') ?? undefined };
}

/** Posts 50 envelopes of 10 objects each, concurrently with whatever the reader does. */
async function writer(): Promise<string[]> {
  const posted: string[] = [];
  for (let e = 0; e < 50; e++) {
    const objs = Array.from({ length: 10 }, (_, i) => indicator(10_000 + e * 10 + i));
    const r = await fetch(`${s.url}${C}/objects/`, {
      method: 'POST',
      headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: ADMIN_AUTH },
      body: envelope(objs),
    });
    expect(((await r.json()) as { success_count: number }).success_count).toBe(10);
    posted.push(...objs.map((o) => o.id as string));
    await new Promise((res) => setImmediate(res));
  }
  return posted;
}

test('When a writer posts 50 envelopes while a reader pages from the start with next, Then the reader sees every object exactly once', async () => {
  const seen: string[] = [];
  let writing = true;
  const w = writer().finally(() => (writing = false));
  // Page with next; at the end of the sequence while the writer still runs, continue from the page's
  // position (added_after = its Last header). Stop after a final page that began once writing ended.
  let url = `${C}/objects/?limit=7`;
  for (let guard = 0; guard < 10_000; guard++) {
    const stillWriting = writing;
    const { body, last } = await fetchJson(url);
    for (const o of body.objects ?? []) seen.push(o.id);
    if (body.more) url = `${C}/objects/?limit=7&next=${encodeURIComponent(body.next)}`;
    else if (!stillWriting) break;
    else if (last) url = `${C}/objects/?limit=7&added_after=${encodeURIComponent(last)}`;
  }
  const posted = await w;
  expect(seen.length).toBe(posted.length);
  expect(new Set(seen).size).toBe(seen.length);
  expect([...seen].sort()).toEqual([...posted].sort());
});

test('When a reader polls with added_after = the last X-TAXII-Date-Added-Last while a writer posts, Then every object arrives exactly once', async () => {
  const seen: string[] = [];
  let cursor: string | undefined;
  let writing = true;
  const w = writer().finally(() => (writing = false));
  for (let guard = 0; guard < 10_000; guard++) {
    const stillWriting = writing;
    const { body, last } = await fetchJson(`${C}/objects/?limit=1000${cursor ? `&added_after=${encodeURIComponent(cursor)}` : ''}`);
    for (const o of body.objects ?? []) seen.push(o.id);
    if (last) cursor = last;
    if (!stillWriting && !body.objects?.length) break;
  }
  const posted = await w;
  expect(new Set(seen).size).toBe(seen.length);
  expect([...seen].sort()).toEqual([...posted].sort());
});
