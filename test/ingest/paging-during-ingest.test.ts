/**
 * A poller paging a collection while the ingest worker commits a queued envelope chunk by chunk sees each
 * object exactly once: chunks commit in date_added order, each in one transaction, so keyset pages
 * (next, then added_after from X-TAXII-Date-Added-Last) neither skip nor repeat a version.
 */
import { ADMIN_AUTH, envelope, IDS, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';
import { getStatus, post } from './helpers';

const C = `/api1/collections/${IDS.writable}`;
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ env: { TAXII_ASYNC_FROM_OBJECTS: '100', TAXII_INGEST_CHUNK_OBJECTS: '25' } });
});
afterAll(async () => {
  await s.close();
});

test('When a poller pages the collection while a queued envelope is being committed, Then it sees every object exactly once', async () => {
  const objects = Array.from({ length: 1500 }, (_, i) => indicator(i + 1));
  const r = await post(s, C, envelope(objects));
  expect(r.body.status).toBe('pending');
  const seen: string[] = [];
  let pages = 0;
  let duringIngest = 0;
  let addedAfter: string | undefined;
  let next: string | undefined;
  for (;;) {
    const complete = (await getStatus(s.url, r.body.id)).body.status === 'complete';
    const q = next ? `next=${encodeURIComponent(next)}` : addedAfter ? `added_after=${encodeURIComponent(addedAfter)}` : '';
    const res = await fetch(`${s.url}${C}/objects/?limit=40&${q}`, { headers: { Accept: TAXII, Authorization: ADMIN_AUTH } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { objects?: Array<{ id: string }>; more?: boolean; next?: string };
    pages++;
    if (!complete && page.objects?.length) duringIngest++;
    for (const o of page.objects ?? []) seen.push(o.id);
    addedAfter = res.headers.get('X-TAXII-Date-Added-Last') ?? addedAfter;
    next = page.more ? page.next : undefined;
    // Done once a walk that began after the ingest completed reached the end.
    if (!next && complete) break;
  }
  expect(seen.length).toBe(new Set(seen).size);
  expect(new Set(seen)).toEqual(new Set(objects.map((o) => o.id)));
  expect(duringIngest).toBeGreaterThan(0);
  process.stdout.write(`paging during an asynchronous ingest: ${pages} pages (${duringIngest} with objects while it was pending), ${seen.length} objects, each once\n`);
});
