/** Checklist item 60: a whole client session, end to end, over real HTTP. */
import { ADMIN_AUTH, envelope, indicator, startTestServer, TAXII, type TestServer } from '../helpers/server';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const r = await fetch(url.startsWith('http') ? url : s.url + url, {
    ...init,
    headers: { Accept: TAXII, Authorization: ADMIN_AUTH, ...(init.body ? { 'Content-Type': TAXII } : {}), ...(init.headers as object) },
  });
  const text = await r.text();
  if (r.status !== 200 && r.status !== 202) return { status: r.status, body: text ? JSON.parse(text) : undefined, headers: r.headers };
  expect(r.headers.get('content-type')).toBe(TAXII);
  return { status: r.status, body: text ? JSON.parse(text) : undefined, headers: r.headers };
}

test('When a client discovers, browses, pages, adds, polls the status, reads manifest and versions and deletes, Then every step answers as TAXII 2.1 says', async () => {
  const discovery = (await call('/taxii2/')).body;
  const rootUrl: string = discovery.default;
  const root = (await call(rootUrl)).body;
  expect(root.versions).toEqual([TAXII]);
  const collections = (await call(`${rootUrl}collections/`)).body.collections;
  const inbox = collections.find((c: { alias: string }) => c.alias === 'inbox');
  expect(inbox).toMatchObject({ can_read: true, can_write: true });
  const collUrl = `${rootUrl}collections/${inbox.id}/`;
  expect((await call(collUrl)).body.id).toBe(inbox.id);

  // Add 25 objects plus a second version of one, then poll the status until it is final.
  const objs = Array.from({ length: 25 }, (_, i) => indicator(i + 1));
  const added = (await call(`${collUrl}objects/`, { method: 'POST', body: envelope(objs) }));
  expect(added.status).toBe(202);
  let status = added.body;
  for (let i = 0; status.status !== 'complete' && i < 10; i++) status = (await call(`${rootUrl}status/${status.id}/`)).body;
  expect(status).toMatchObject({ status: 'complete', success_count: 25, failure_count: 0 });
  const v2 = { ...objs[0], modified: '2024-05-05T05:05:05.555Z', name: 'second version' };
  expect((await call(`${collUrl}objects/`, { method: 'POST', body: envelope([v2]) })).body.success_count).toBe(1);

  // Page through everything with next until more is false.
  const seen: string[] = [];
  let page = (await call(`${collUrl}objects/?limit=4`)).body;
  for (let i = 0; i < 20; i++) {
    seen.push(...page.objects.map((o: { id: string }) => o.id));
    if (!page.more) break;
    page = (await call(`${collUrl}objects/?limit=4&next=${encodeURIComponent(page.next)}`)).body;
  }
  expect(seen).toHaveLength(25);
  expect(new Set(seen).size).toBe(25);
  expect(seen[24]).toBe(objs[0]!.id);

  const manifest = (await call(`${collUrl}manifest/?match[id]=${objs[0]!.id}&match[version]=all`)).body.objects;
  expect(manifest.map((m: { version: string }) => m.version)).toEqual([objs[0]!.modified, v2.modified]);
  const versions = (await call(`${collUrl}objects/${objs[0]!.id}/versions/`)).body.versions;
  expect(versions).toEqual([objs[0]!.modified, v2.modified]);

  expect((await call(`${collUrl}objects/${objs[0]!.id}/`, { method: 'DELETE' })).status).toBe(200);
  expect((await call(`${collUrl}objects/${objs[0]!.id}/`)).status).toBe(404);
  expect((await call(`${collUrl}manifest/`)).body.objects).toHaveLength(24);
});
