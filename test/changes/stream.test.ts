/** The live change stream (Server-Sent Events): objects in added events, resuming with Last-Event-ID, TLP, limits. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { SYSTEM } from '../../src/server';
import { addUser } from '../api/auth/fixtures';
import { ADMIN_AUTH, basic, envelope, IDS, indicator, startTestServer, TAXII, testConfigDoc, type TestServer } from '../helpers/server';

jest.setTimeout(60_000);

const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const TLP_AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const STREAM = '/api1/collections/inbox/changes/stream';
const GREEN = basic('green-reader', 'green-password-1');
const STREAMER = basic('streamer', 'streamer-password-1');

interface SseEvent {
  id?: string;
  event?: string;
  data: any;
}

interface Client {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: SseEvent[];
  comments: string[];
  /** Body of a non-stream answer (an error). */
  text: string;
  until(pred: () => boolean, what: string): Promise<void>;
  close(): void;
}

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ doc: { ...testConfigDoc(), changes: { stream_poll_ms: 20, stream_heartbeat_seconds: 0.2, max_streams_per_principal: 2 } } });
  await addUser(s.rt, 'green-reader', 'green-password-1', { tlp: 'green', grants: { [IDS.writable]: ['read'] } });
  await addUser(s.rt, 'streamer', 'streamer-password-1', { grants: { [IDS.writable]: ['read'] } });
});
afterAll(() => s.close());

/** A minimal EventSource: parses the stream as it arrives (event fields, comments). */
function connect(opts: { auth?: string; lastEventId?: string; query?: string; accept?: string } = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: opts.accept ?? 'text/event-stream' };
    if (opts.auth !== undefined) headers.Authorization = opts.auth;
    else headers.Authorization = ADMIN_AUTH;
    if (opts.lastEventId) headers['Last-Event-ID'] = opts.lastEventId;
    const req = http.get(`${s.url}${STREAM}${opts.query ? `?${opts.query}` : ''}`, { headers }, (res) => {
      const client: Client = {
        status: res.statusCode!,
        headers: res.headers,
        events: [],
        comments: [],
        text: '',
        until: (pred, what) =>
          new Promise<void>((ok, fail) => {
            const deadline = Date.now() + 15_000;
            const check = () => {
              if (pred()) return ok();
              if (Date.now() > deadline) return fail(new Error(`timed out waiting for ${what}`));
              setTimeout(check, 10);
            };
            check();
          }),
        close: () => req.destroy(),
      };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (client.status !== 200) {
          client.text += chunk;
          return;
        }
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string[]> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) client.comments.push(line);
            const m = /^([a-zA-Z-]+): ?(.*)$/.exec(line);
            if (m) (fields[m[1]!] ??= []).push(m[2]!);
          }
          if (fields.data) client.events.push({ id: fields.id?.[0], event: fields.event?.[0], data: JSON.parse(fields.data.join('\n')) });
        }
      });
      res.on('error', () => undefined);
      resolve(client);
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
  });
}

async function post(objects: unknown[]): Promise<void> {
  const status = await s.rt.services.objects.addObjects(SYSTEM, 'api1', IDS.writable, envelope(objects), { recordStatus: false });
  expect(status.failures).toEqual([]);
}

const ended = (c: Client) => c.until(() => true, 'nothing');

describe('Change stream', () => {
  test('When a subscriber listens and objects are added, revoked and deleted, Then it gets each as an event, with the object itself in added and revoked ones', async () => {
    const c = await connect();
    expect(c.status).toBe(200);
    expect(c.headers['content-type']).toMatch(/^text\/event-stream/);
    const obj = indicator(1, { description: 'line one\nline two' });
    // Posted pretty-printed: the stored text has line breaks, which the stream splits into data lines.
    const status = await s.rt.services.objects.addObjects(SYSTEM, 'api1', IDS.writable, JSON.stringify({ objects: [obj] }, null, 2), { recordStatus: false });
    expect(status.failures).toEqual([]);
    const revoked = indicator(1, { modified: '2024-06-01T00:00:00.000Z', revoked: true });
    await post([revoked]);
    // The stream reads an added version's body when it sends the event: once the version is deleted there
    // is none to send, so the delete waits until the first two events are out.
    await c.until(() => c.events.length >= 2, 'two events');
    await s.request().delete(`/api1/collections/inbox/objects/${obj.id}/`).query({ 'match[version]': obj.modified as string }).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
    await c.until(() => c.events.length >= 3, 'three events');
    c.close();
    expect(c.events.map((e) => [e.event, e.data.change, e.data.version])).toEqual([
      ['added', 'added', obj.modified],
      ['revoked', 'revoked', revoked.modified],
      ['deleted', 'deleted', obj.modified],
    ]);
    expect(c.events[0]!.data.object).toEqual(obj);
    expect(c.events[1]!.data.object).toEqual(revoked);
    expect(c.events[2]!.data.object).toBeUndefined();
    // The event id is the change's position: the date_added of the same entry in the change feed.
    expect(c.events.map((e) => e.id)).toEqual(c.events.map((e) => e.data.date_added));
  });

  test('When a client disconnects and resumes with Last-Event-ID while writes go on, Then it misses nothing and repeats nothing', async () => {
    const start = await connect();
    const writes: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let e = 0; e < 40; e++) {
        const objs = [indicator(1000 + e * 2), indicator(1001 + e * 2)];
        await post(objs);
        writes.push(...objs.map((o) => o.id as string));
        await new Promise((r) => setTimeout(r, 5));
      }
    })().finally(() => (writing = false));

    const received: SseEvent[] = [];
    let client = start;
    let reconnects = 0;
    for (;;) {
      // Read a few events, then drop the connection and come back from the last one seen.
      await client.until(() => client.events.length >= 5 || (!writing && received.length + client.events.length >= writes.length), 'some events');
      client.close();
      received.push(...client.events);
      if (!writing && received.length >= writes.length) break;
      client = await connect({ lastEventId: received[received.length - 1]!.id });
      reconnects++;
    }
    await writer;
    // Nothing more arrives after the last write.
    const tail = await connect({ lastEventId: received[received.length - 1]!.id });
    await new Promise((r) => setTimeout(r, 100));
    tail.close();
    expect(tail.events).toEqual([]);
    const ids = received.map((e) => e.data.id);
    expect(reconnects).toBeGreaterThan(2);
    expect(new Set(received.map((e) => e.id)).size).toBe(received.length);
    expect(ids).toEqual(writes);
  });

  test('When a TLP:GREEN reader streams, Then it hears nothing of TLP:AMBER objects', async () => {
    const c = await connect({ auth: GREEN });
    expect(c.status).toBe(200);
    const amber = indicator(5001, { object_marking_refs: [TLP_AMBER] });
    await post([amber, indicator(5002)]);
    await s.request().delete(`/api1/collections/inbox/objects/${amber.id}/`).set('Accept', TAXII).set('Authorization', ADMIN_AUTH).expect(200);
    const green = indicator(5003, { object_marking_refs: [TLP_GREEN] });
    await post([green]);
    await c.until(() => c.events.length >= 1, 'the green event');
    // The green object was written last: once it is here, anything AMBER would have been too.
    await new Promise((r) => setTimeout(r, 100));
    c.close();
    expect(c.events.map((e) => [e.data.id, e.event])).toEqual([[green.id, 'added']]);
  });

  test('When a stream is idle, Then it sends heartbeat comments', async () => {
    const c = await connect();
    await c.until(() => c.comments.length >= 2, 'two heartbeats');
    c.close();
    expect(c.events).toEqual([]);
  });

  test('When a principal opens more streams than allowed, Then the extra one gets a 429 TAXII error until one closes', async () => {
    const a = await connect({ auth: STREAMER });
    const b = await connect({ auth: STREAMER });
    const refused = await connect({ auth: STREAMER });
    await ended(refused);
    expect([a.status, b.status, refused.status]).toEqual([200, 200, 429]);
    expect((await s.rt.changes.metrics.streamSubscribers.get()).values[0]!.value).toBeGreaterThanOrEqual(2);
    expect(refused.headers['content-type']).toBe(TAXII);
    a.close();
    const id = (await s.rt.stores.users.findByName('streamer'))!.id;
    await a.until(() => s.rt.changes.openStreamCount(`user:${id}`) < 2, 'the stream to be released');
    const c = await connect({ auth: STREAMER });
    expect(c.status).toBe(200);
    b.close();
    c.close();
  });

  test('When a client sends HEAD, Then it gets the stream headers and no stream is held open', async () => {
    const id = await addUser(s.rt, 'head-only', 'head-password-1', { grants: { [IDS.writable]: ['read'] } });
    const res = await s.request().head(STREAM).set('Accept', 'text/event-stream').set('Authorization', basic('head-only', 'head-password-1')).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(s.rt.changes.openStreamCount(`user:${id}`)).toBe(0);
  });

  test('When Last-Event-ID is not an event id, or the caller may not read, Then the stream is refused with a TAXII error', async () => {
    const bad = await connect({ lastEventId: 'yesterday' });
    expect(bad.status).toBe(400);
    await bad.until(() => bad.text.length > 0, 'the error body');
    expect(JSON.parse(bad.text).description).toMatch(/Last-Event-ID/);
    const anonymous = await connect({ auth: '' });
    expect(anonymous.status).toBe(401);
    bad.close();
    anonymous.close();
  });
});

describe('README recipe', () => {
  test('When the README consumer code runs against the server, Then it logs each change as it is committed', async () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Change feed and live stream'));
    const code = /```js\n([\s\S]*?)```/.exec(section)![1]!.replace('http://127.0.0.1:8000/feed/collections/dprk-crypto-indicators', `${s.url}/api1/collections/public-feed`);
    const logged: string[] = [];
    const abort = new AbortController();
    const boundFetch = (url: string, init: RequestInit) => fetch(url, { ...init, signal: abort.signal });
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
    const run = new AsyncFunction('fetch', 'console', 'process', code)(boundFetch, { log: (...a: unknown[]) => logged.push(a.join(' ')) }, { env: {} }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const obj = indicator(7001);
    const status = await s.rt.services.objects.addObjects(SYSTEM, 'api1', IDS.public, envelope([obj]), { recordStatus: false });
    expect(status.failures).toEqual([]);
    const deadline = Date.now() + 10_000;
    while (logged.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    abort.abort();
    await run;
    expect(logged).toEqual([`added ${obj.id} ${obj.modified}`]);
  });
});
