/**
 * `import --queue`: a file's objects go through the asynchronous ingest queue as a large POST does;
 * without --wait a running server's worker stores them, with --wait the command does and reports progress.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { spawnSync } from 'node:child_process';
import pino from 'pino';
import { runQueuedImport } from '../../src/cli/import-command';
import { buildConfig } from '../../src/config/config';
import { createRuntime } from '../../src/server';
import { envelope, freshDatabaseUrl, IDS, indicator, startTestServer, testConfigDoc } from '../helpers/server';
import { listIds, waitComplete } from './helpers';

const ROOT = path.resolve(__dirname, '../..');
const target = { root: 'api1', id: IDS.writable };
let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-import-queue-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

function io() {
  const lines: string[] = [];
  const progress = new PassThrough();
  let text = '';
  progress.on('data', (b) => (text += b));
  return { lines, progress: () => text, io: { out: (l: string) => lines.push(l), progress } };
}

test('When a file is imported with --queue --wait, Then its objects are queued in envelopes, stored by this process with progress, and the outcome counts every object', async () => {
  const d = await freshDatabaseUrl();
  const rt = await createRuntime(buildConfig(testConfigDoc(), { DATABASE_URL: d.url, TAXII_INGEST_CHUNK_OBJECTS: '30' }), { log: pino({ level: 'silent' }), processMetrics: false });
  const file = path.join(work, 'wait.json');
  const objects: unknown[] = Array.from({ length: 250 }, (_, i) => indicator(i + 1));
  objects[7] = { ...indicator(999), pattern: 'not a pattern' };
  fs.writeFileSync(file, JSON.stringify({ type: 'bundle', id: 'bundle--6f5b9bd6-8d5b-4a3a-9c2e-6b2f4f0d2b11', objects }));
  const out = io();
  try {
    const r = await runQueuedImport(rt, target, file, { batchSize: 100, wait: true, pollMs: 50 }, out.io);
    expect(r.statusIds.length).toBe(3);
    expect(r.done).toMatchObject({ objects: 250, added: 249, unchanged: 0, failed: 1 });
    expect(r.done!.failures[0]).toMatch(/^indicator--00000000-0000-4000-8000-0000000003e7: rejected: /);
    expect(out.progress()).toMatch(/queued 100 objects as status/);
    expect(out.progress()).toMatch(/progress: 250 of 250 objects processed: 249 added, 0 already present, 1 failed/);
    expect(out.lines[out.lines.length - 1]).toMatch(/wait.json: 250 objects: 249 added, 0 already present, 1 failed/);
    const again = await runQueuedImport(rt, target, file, { batchSize: 1000, wait: true, pollMs: 50 }, io().io);
    expect(again.done).toMatchObject({ objects: 250, added: 0, unchanged: 249, failed: 1 });
  } finally {
    await rt.close();
    await d.drop();
  }
});

test('When a file is queued without --wait while a server runs on the database, Then the command returns at once and the server stores the objects', async () => {
  const s = await startTestServer({ env: { TAXII_INGEST_CHUNK_OBJECTS: '40' } });
  const rt = await createRuntime(buildConfig(testConfigDoc(), { DATABASE_URL: s.databaseUrl }), { log: pino({ level: 'silent' }), processMetrics: false });
  const file = path.join(work, 'nowait.json');
  const objects = Array.from({ length: 120 }, (_, i) => indicator(5000 + i));
  fs.writeFileSync(file, envelope(objects));
  try {
    const r = await runQueuedImport(rt, target, file, { batchSize: 1000, wait: false }, io().io);
    expect(r.done).toBeUndefined();
    expect(r.statusIds.length).toBe(1);
    const { final } = await waitComplete(s.url, r.statusIds[0]!);
    expect(final).toMatchObject({ status: 'complete', success_count: 120, failure_count: 0 });
    expect(new Set(await listIds(s.url, `/api1/collections/${IDS.writable}`))).toEqual(new Set(objects.map((o) => o.id)));
  } finally {
    await rt.close();
    await s.close();
  }
});

test('When import --help is asked for, Then it documents --queue and --wait', () => {
  const r = spawnSync(process.execPath, ['-r', path.join(ROOT, 'test/integration/support/swc-register.js'), path.join(ROOT, 'src/cli.ts'), 'import', '--help'], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/--queue/);
  expect(r.stdout).toMatch(/--wait/);
  expect(r.stdout).toMatch(/import seed\/dprk-crypto-indicators\/dprk-crypto-indicators.json -c curator-inbox --queue --wait/);
});
