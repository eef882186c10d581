/**
 * A server killed (SIGKILL) in the middle of a webhook delivery loses nothing: the subscription's position
 * advances only after the receiver's 2xx, so another server process sends that batch again once the dead
 * one's lease runs out, and goes on in order (at least once).
 * Runs on PostgreSQL when TEST_DATABASE_URL names one, else on one SQLite file shared by the processes.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../src/changes/webhook-signature';
import { ADMIN_AUTH, envelope, freshDatabaseUrl, indicator, TAXII, testConfigDoc } from '../helpers/server';
import { startServerProcess, stopAllServerProcesses, type ServerProcess } from '../integration/support/processes';

jest.setTimeout(120_000);

const C = '/api1/collections/inbox';
const headers = { Accept: TAXII, Authorization: ADMIN_AUTH };
let db: { url: string; drop: () => Promise<void> };
let config: string;
let receiverServer: http.Server;
const got: Array<{ header: string; body: string }> = [];
let hangOn = -1;
let hung: (() => void) | undefined;

beforeAll(async () => {
  db = await freshDatabaseUrl();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hook-'));
  config = path.join(dir, 'config.json');
  // A one-second delivery timeout makes a lease of three seconds.
  fs.writeFileSync(config, JSON.stringify({ ...testConfigDoc(), changes: { webhook_poll_ms: 20, webhook_timeout_seconds: 1, webhook_backoff_base_ms: 20, webhook_allow_networks: ['127.0.0.1'] } }));
  receiverServer = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ header: String(req.headers['x-webhook-signature']), body });
      if (got.length === hangOn) return hung?.(); // never answered: the sender dies first
      res.statusCode = 200;
      res.end();
    });
  });
  await new Promise<void>((r) => receiverServer.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  await stopAllServerProcesses();
  receiverServer.closeAllConnections();
  await new Promise((r) => receiverServer.close(r));
  await db?.drop();
});

const changes = () => got.flatMap((d) => (JSON.parse(d.body).changes as Array<{ id: string }>).map((c) => c.id));

async function post(server: ServerProcess, obj: Record<string, unknown>): Promise<void> {
  const r = await fetch(`${server.url}${C}/objects/`, { method: 'POST', headers: { ...headers, 'Content-Type': TAXII }, body: envelope([obj]) });
  expect(r.status).toBe(202);
}

async function until(pred: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('When the delivering server is killed mid-delivery, Then another process delivers that batch again and the rest, in order', async () => {
  const a = await startServerProcess(db.url, config);
  const url = `http://127.0.0.1:${(receiverServer.address() as AddressInfo).port}/hook`;
  const sub = await fetch(`${a.url}${C}/webhooks/`, { method: 'POST', headers: { ...headers, 'Content-Type': TAXII }, body: JSON.stringify({ url }) });
  expect(sub.status).toBe(201);
  const { secret } = (await sub.json()) as { secret: string };

  const objs = Array.from({ length: 8 }, (_, i) => indicator(900 + i));
  hangOn = 3;
  const hanging = new Promise<void>((r) => (hung = r));
  for (let i = 0; i < 3; i++) {
    await post(a, objs[i]!);
    if (i < 2) await until(() => got.length === i + 1, `delivery ${i + 1}`);
  }
  await hanging;
  a.child.kill('SIGKILL');
  await new Promise((r) => a.child.once('exit', r));

  const b = await startServerProcess(db.url, config);
  for (const o of objs.slice(3)) await post(b, o);
  await until(() => new Set(changes()).size === objs.length, 'every change');
  await b.stop();

  const ids = changes();
  // In order, each at least once; only the batch in flight when the server died came twice.
  expect([...new Set(ids)]).toEqual(objs.map((o) => o.id));
  expect(ids.filter((id) => id === objs[2]!.id)).toHaveLength(2);
  expect(ids.length).toBe(objs.length + 1);
  for (const d of got) expect(verifySignature(secret, d.header, d.body)).toBeUndefined();
});
