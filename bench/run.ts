#!/usr/bin/env node
/**
 * `npm run bench`: ingest and read throughput of the real server (a child process of dist/src/cli.js) on
 * SQLite and PostgreSQL, against a bare node:http server sending the same bytes from memory (the ceiling).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import autocannon from 'autocannon';
import { Command, InvalidArgumentError, Option } from 'commander';
import pg from 'pg';
import { envelopes } from './generate';
import { START_ENV } from './start-env';
import { runValidationBench } from './validation';
import { measureChangeLatency, type Latency } from './change-latency';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/src/cli.js');
const TAXII = 'application/taxii+json;version=2.1';
const COLLECTION = '5a3b1c7e-0d2f-4e8a-9b6c-1f2e3d4c5b6a';
const C = `/bench/collections/${COLLECTION}`;
/**
 * A collection of its own for the uncounted first objects of the ingest: a freshly started server compiles
 * its ingest path while it takes them (more than half of its CPU on the first few thousand objects), as the
 * read measurements' uncounted first second does for theirs. Nothing is read from it. In blocks of 5,000
 * objects into fresh collections, the server's CPU per object fell over the first 15,000 and held from there
 * (docs/performance.md, "Issue 21, twentieth pass"), hence 20,000.
 */
const WARM_UP_COLLECTION = '5a3b1c7e-0d2f-4e8a-9b6c-1f2e3d4c5b6b';
const WARM_UP_OBJECTS = 20_000;
const ADMIN = { user: 'bench-admin', password: 'bench-password-1234' };
const AUTH = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`;
const PAGE = 100;
const DEEP_PAGE = 10_000;
const ENVELOPE = 1000;
/** Requests of page 1 and of the deep page each, one at a time, for their median latencies. */
const SEQUENTIAL_ROUNDS = 500;

type Store = 'sqlite' | 'postgres';

interface Options {
  objects: number;
  store?: Store | 'both';
  json: string;
  pgUrl: string;
  duration: number;
  connections: number;
  profile?: string;
  untuned?: boolean;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Requests answered during the measurement. */
  requests: number;
}

interface ReadFigure {
  name: string;
  path: string;
  server: Load;
  ceiling: Load;
  /** server req/s ÷ ceiling req/s */
  ratio: number;
  /** The same bytes from a bare express handler: the framework's own cost, before any work of the server. */
  expressFloor: Load;
  /** express floor req/s ÷ ceiling req/s: the best ratio any express server could reach here */
  expressRatio: number;
  /** server req/s ÷ bare express req/s: what the server's own work leaves of what express allows */
  ratioToExpress: number;
  /** Server CPU time (user + system, from /proc) per request answered during the measurement, in µs. */
  serverCpuUsPerRequest: number;
}

interface StoreResult {
  store: Store;
  objects: number;
  ingest: {
    objectsPerSecond: number;
    seconds: number;
    envelopes: number;
    failed: number;
    serverCpuUsPerObject: number;
    /**
     * Where the machine's CPU went during the ingest, in µs per object: the server's main thread (its event
     * loop) and its other threads (V8's compiler and garbage collector, the SQLite checkpoint thread), this
     * benchmark's own process (generating and sending the envelopes), and PostgreSQL's processes; and how many
     * of the machine's cores that kept busy on average. The server, its database and the client share them.
     */
    cpu: { mainThreadUsPerObject: number; otherThreadsUsPerObject: number; clientUsPerObject: number; databaseUsPerObject?: number; coresBusy: number };
    /** The uncounted first objects, sent to a collection of their own to the freshly started server. */
    warmUp: { objects: number; objectsPerSecond: number; serverCpuUsPerObject: number };
  };
  deepPage: {
    page: number;
    note?: string;
    /**
     * Median latency of page 1 and of the deep page, in µs, from requests made one at a time and alternated
     * on one keep-alive connection (no queueing behind other connections, microsecond resolution).
     */
    sequentialUs: { page1: number; deep: number; requests: number };
  };
  reads: ReadFigure[];
  rssPeakMb: { afterIngest: number; afterReads: number };
  /** Every object of the collection read with limit=1000 pages through next, one client. */
  fullSync: { objects: number; pages: number; seconds: number; objectsPerSecond: number };
  /** Commit to webhook receiver and to SSE client, at 100 objects/s. */
  changeLatency: { webhook: Latency; sse: Latency };
  targets: Array<{ what: string; target: string; actual: string; met: boolean }>;
}

function positiveInt(v: string): number {
  const n = Number(v.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function postgresAnswers(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function withUser(url: string): string {
  const u = new URL(url);
  if (!u.username) u.username = process.env.PGUSER || os.userInfo().username;
  return u.toString();
}

/** A fresh database for one store; drop() removes it. */
async function freshDatabase(store: Store, pgUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (store === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-bench-'));
    return { url: path.join(dir, 'taxii.sqlite3'), drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const base = withUser(pgUrl);
  const name = `taxii_bench_${process.pid}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

function writeConfig(dir: string): string {
  const file = path.join(dir, 'bench-config.yaml');
  fs.writeFileSync(
    file,
    JSON.stringify({
      server: { title: 'TAXII benchmark', default_api_root: 'bench', default_limit: PAGE, max_limit: 1000 },
      api_roots: [
        {
          path: 'bench',
          title: 'Benchmark API root',
          max_content_length: 64 * 1024 * 1024,
          collections: [
            { id: COLLECTION, alias: 'bench', title: 'Generated collection', public: true, default_tlp: 'clear' },
            { id: WARM_UP_COLLECTION, alias: 'warm-up', title: 'Warm-up of the ingest (not measured)', public: false, default_tlp: 'clear' },
          ],
        },
      ],
      seed: { enabled: false },
      // The latency measurement's webhook receiver listens on loopback (src/changes/egress.ts).
      changes: { webhook_allow_networks: ['127.0.0.1'] },
    }),
  );
  return file;
}

interface Child {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

async function startServer(databaseUrl: string, configFile: string, profileDir?: string, untuned = false): Promise<Child> {
  const port = await freePort();
  const args = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), CLI, 'serve', '--no-seed'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...(untuned ? {} : START_ENV),
      TAXII_CONFIG: configFile,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      TAXII_ADMIN_USER: ADMIN.user,
      TAXII_ADMIN_PASSWORD: ADMIN.password,
      TAXII_RATE_LIMIT: '1000000000',
      TAXII_RATE_LIMIT_PER_ADDRESS: '1000000000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering`);
    try {
      const r = await fetch(`${url}/taxii2/`, { headers: { Accept: TAXII } });
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 600) throw new Error('the server did not answer within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    stop: async () => {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}

async function startCeiling(routes: Record<string, { status: number; headers: Record<string, string>; body: string }>, kind: 'node' | 'express'): Promise<Child> {
  const args = [path.join(__dirname, 'ceiling-server.js'), ...(kind === 'express' ? ['--express'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin!.end(JSON.stringify(routes));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`the ceiling server exited with ${code}`)));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Peak resident set size of a process so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** Kernel clock ticks per second (`getconf CLK_TCK`; 100 on Linux). */
const CLOCK_TICKS = 100;

/**
 * CPU time a process has used so far (user + system, from /proc/<pid>/stat), in µs. Its resolution is the
 * kernel's clock tick (10 ms), fine over a whole ingest.
 */
function cpuMicros(pid: number, thread?: number): number {
  return statCpuMicros(fs.readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8'));
}

/** utime + stime of a /proc stat line, in µs. */
function statCpuMicros(stat: string): number {
  const fields = stat.replace(/^.*\) /s, '').split(' ');
  // After the command name: field 3 is the state, so utime and stime (fields 14 and 15) are at 11 and 12.
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1e6;
}

/** CPU time used so far by every PostgreSQL process this machine runs (the bench's database among them), in µs. */
function postgresCpuMicros(): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'postgres') total += statCpuMicros(stat);
    } catch {
      /* the process ended meanwhile */
    }
  }
  return total;
}

async function ingest(store: Store, url: string, total: number, pid: number, collection = COLLECTION): Promise<Omit<StoreResult['ingest'], 'warmUp'>> {
  // Made before the clock starts: generating them meanwhile took 10-21 µs of CPU per object from the cores the server runs on.
  const bodies = Array.from(envelopes(total, ENVELOPE), (e) => e.body);
  const cpuBefore = cpuMicros(pid);
  const mainBefore = cpuMicros(pid, pid);
  const clientBefore = process.cpuUsage();
  const databaseBefore = store === 'postgres' ? postgresCpuMicros() : 0;
  const started = Date.now();
  let done = 0;
  let failed = 0;
  let sent = 0;
  let lastReport = started;
  let next = 0;
  const failures: string[] = [];
  // Two envelopes in flight: one is validated while the other commits.
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      sent++;
      const r = await fetch(`${url}/bench/collections/${collection}/objects/`, { method: 'POST', headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: AUTH }, body });
      const text = await r.text();
      if (r.status !== 202) throw new Error(`POST objects answered ${r.status}: ${text.slice(0, 500)}`);
      const status = JSON.parse(text) as { success_count: number; failure_count: number; failures?: Array<{ id: string; message: string }> };
      done += status.success_count;
      failed += status.failure_count;
      if (status.failure_count && failures.length < 3) failures.push(...(status.failures ?? []).slice(0, 3).map((f) => `${f.id}: ${f.message}`));
      const now = Date.now();
      if (now - lastReport >= 5000) {
        lastReport = now;
        log(`  ${store}: ingested ${fmt(done)} / ${fmt(total)} objects (${fmt(done / ((now - started) / 1000))} objects/s)`);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  const seconds = (Date.now() - started) / 1000;
  if (failures.length) log(`  ${store}: ${fmt(failed)} objects refused, e.g.\n    ${failures.join('\n    ')}`);
  log(`  ${store}: ingested ${fmt(done)} objects in ${fmt(seconds, 1)} s (${fmt(done / seconds)} objects/s)`);
  const objects = Math.max(1, done + failed);
  const perObject = (us: number) => Math.round(us / objects);
  const serverUs = cpuMicros(pid) - cpuBefore;
  const mainUs = cpuMicros(pid, pid) - mainBefore;
  const client = process.cpuUsage(clientBefore);
  const clientUs = client.user + client.system;
  const databaseUs = store === 'postgres' ? postgresCpuMicros() - databaseBefore : undefined;
  const cpu = {
    mainThreadUsPerObject: perObject(mainUs),
    otherThreadsUsPerObject: perObject(serverUs - mainUs),
    clientUsPerObject: perObject(clientUs),
    ...(databaseUs === undefined ? {} : { databaseUsPerObject: perObject(databaseUs) }),
    coresBusy: Math.round(((serverUs + clientUs + (databaseUs ?? 0)) / (seconds * 1e6)) * 100) / 100,
  };
  const serverCpuUsPerObject = perObject(serverUs);
  log(`  ${store}: the server used ${fmt(serverCpuUsPerObject)} µs of CPU per object (${cpuSplit(cpu)})`);
  return { objectsPerSecond: Math.round(done / seconds), seconds: Math.round(seconds * 10) / 10, envelopes: sent, failed, serverCpuUsPerObject, cpu };
}

function cpuSplit(cpu: StoreResult['ingest']['cpu']): string {
  const db = cpu.databaseUsPerObject === undefined ? '' : `, PostgreSQL ${fmt(cpu.databaseUsPerObject)}`;
  return `main thread ${fmt(cpu.mainThreadUsPerObject)}, other threads ${fmt(cpu.otherThreadsUsPerObject)}; the benchmark's client ${fmt(cpu.clientUsPerObject)}${db}; ${fmt(cpu.coresBusy, 2)} of ${os.cpus().length} cores busy on average`;
}

async function getPage(url: string): Promise<{ body: any; headers: Headers; bytes: Buffer; status: number }> {
  const r = await fetch(url, { headers: { Accept: TAXII } });
  const bytes = Buffer.from(await r.arrayBuffer());
  if (r.status !== 200) throw new Error(`GET ${url} answered ${r.status}: ${bytes.toString().slice(0, 300)}`);
  return { body: JSON.parse(bytes.toString('utf8')), headers: r.headers, bytes, status: r.status };
}

/**
 * The `next` cursor of page `page` (limit 100), reached by walking: pages of 1,000 while far away, then
 * pages of 100 (a cursor names a position, not a page size). Also returns the newest date_added.
 */
async function walk(base: string, page: number): Promise<{ cursor?: string; newest: string }> {
  const target = (page - 1) * PAGE;
  let position = 0;
  let cursor: string | undefined;
  while (position < target) {
    const limit = target - position >= 1000 ? 1000 : PAGE;
    const r = await getPage(`${base}${C}/objects/?limit=${limit}${cursor ? `&next=${encodeURIComponent(cursor)}` : ''}`);
    position += r.body.objects.length;
    cursor = r.body.next;
    if (!r.body.more) throw new Error(`the collection ended at ${position} objects, before page ${page}`);
  }
  let newest = '';
  for (let c = cursor; ; ) {
    const r = await getPage(`${base}${C}/objects/?limit=1000${c ? `&next=${encodeURIComponent(c)}` : ''}`);
    if (!r.body.more) {
      newest = r.headers.get('x-taxii-date-added-last') ?? '';
      break;
    }
    c = r.body.next;
  }
  return { cursor, newest };
}

/** Reads the whole collection as a new consumer does: limit=1000 pages through next, one after the other. */
async function fullSync(base: string): Promise<StoreResult['fullSync']> {
  const started = process.hrtime.bigint();
  let objects = 0;
  let pages = 0;
  for (let c: string | undefined; ; ) {
    const r = await getPage(`${base}${C}/objects/?limit=1000${c ? `&next=${encodeURIComponent(c)}` : ''}`);
    pages++;
    objects += r.body.objects?.length ?? 0;
    if (!r.body.more) break;
    c = r.body.next;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { objects, pages, seconds: Math.round(seconds * 100) / 100, objectsPerSecond: Math.round(objects / seconds) };
}

/**
 * Median latencies of two paths, requested one at a time and alternated on one keep-alive connection, in µs.
 * autocannon's p50 under 10 connections is mostly the wait behind the other connections, and in whole
 * milliseconds: at 3-4 ms one millisecond of rounding is a third.
 */
async function sequentialLatency(base: string, paths: [string, string], rounds: number): Promise<[number, number]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const once = (p: string) =>
    new Promise<number>((resolve, reject) => {
      const started = process.hrtime.bigint();
      http
        .get(base + p, { agent, headers: { Accept: TAXII } }, (res) => {
          res.on('data', () => undefined);
          res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - started) / 1000) : reject(new Error(`GET ${p} answered ${res.statusCode}`))));
        })
        .on('error', reject);
    });
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < rounds + 20; i++) {
    for (const k of [0, 1] as const) {
      const us = await once(paths[k]);
      if (i >= 20) times[k].push(us);
    }
  }
  agent.destroy();
  const median = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1]!;
  return [Math.round(median(times[0])), Math.round(median(times[1]))];
}

/**
 * The server, the bare express app and the ceiling under the same load, in one-second slices taken in
 * turn (the order rotating each round) for `opts.duration` seconds each: a burst of load from elsewhere on
 * the machine then falls on all three alike instead of on whichever was measured at the time. Each ratio
 * is the median over the rounds of the two req/s of one round; req/s is over all of a target's slices, p50
 * and p99 the medians of its slices'. The server's CPU is counted over its own slices only.
 */
async function loadInterleaved(urls: readonly [string, string, string], opts: Options, headers: Record<string, string>, serverPid: number): Promise<{ loads: [Load, Load, Load]; toExpress: number; toCeiling: number; expressToCeiling: number; serverCpuUs: number }> {
  const slices: Array<Array<{ p50: number; p99: number; errors: number; requests: number }>> = [[], [], []];
  let serverCpuUs = 0;
  // One uncounted second each first: code compiled, connections and caches warm.
  for (let k = 0; k < 3; k++) await autocannon({ url: urls[k]!, connections: opts.connections, duration: 1, headers: { Accept: TAXII, ...(k === 0 ? headers : {}) } });
  for (let round = 0; round < opts.duration; round++) {
    for (let j = 0; j < 3; j++) {
      const k = (round + j) % 3;
      const before = k === 0 ? cpuMicros(serverPid) : 0;
      const r = await autocannon({ url: urls[k], connections: opts.connections, duration: 1, headers: { Accept: TAXII, ...(k === 0 ? headers : {}) } });
      if (k === 0) serverCpuUs += cpuMicros(serverPid) - before;
      slices[k]!.push({ p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx, requests: r.requests.total });
    }
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
  const whole = (k: number): Load => {
    const list = slices[k]!;
    const requests = list.reduce((n, x) => n + x.requests, 0);
    return { rps: Math.round(requests / list.length), p50: median(list.map((x) => x.p50)), p99: median(list.map((x) => x.p99)), errors: list.reduce((n, x) => n + x.errors, 0), requests };
  };
  // One-second slices: a slice's requests are its req/s.
  const ratioOf = (a: number, b: number) => Math.round(median(slices[a]!.map((x, i) => x.requests / Math.max(1, slices[b]![i]!.requests))) * 100) / 100;
  return { loads: [whole(0), whole(1), whole(2)], toExpress: ratioOf(0, 1), toCeiling: ratioOf(0, 2), expressToCeiling: ratioOf(1, 2), serverCpuUs };
}

function recordResponse(r: { status: number; headers: Headers; bytes: Buffer }): { status: number; headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {};
  r.headers.forEach((v, k) => {
    if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(k)) headers[k] = v;
  });
  return { status: r.status, headers, body: r.bytes.toString('base64') };
}

async function benchStore(store: Store, opts: Options): Promise<StoreResult> {
  log(`${store}: generating and ingesting ${fmt(opts.objects)} objects in envelopes of ${fmt(ENVELOPE)} through POST objects`);
  const db = await freshDatabase(store, opts.pgUrl);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-bench-cfg-'));
  const profileDir = opts.profile ? path.resolve(opts.profile, store) : undefined;
  let server: Child | undefined;
  let ceiling: Child | undefined;
  let floor: Child | undefined;
  try {
    server = await startServer(db.url, writeConfig(work), profileDir, opts.untuned);
    log(`${store}: warm-up, ${fmt(WARM_UP_OBJECTS)} objects into a collection of their own (not counted)`);
    const warm = await ingest(store, server.url, WARM_UP_OBJECTS, server.child.pid!, WARM_UP_COLLECTION);
    const warmUp = { objects: WARM_UP_OBJECTS, objectsPerSecond: warm.objectsPerSecond, serverCpuUsPerObject: warm.serverCpuUsPerObject };
    const ingestResult = { ...(await ingest(store, server.url, opts.objects, server.child.pid!)), warmUp };
    const rssAfterIngest = peakRssMb(server.child.pid!);

    const deep = Math.min(DEEP_PAGE, Math.max(1, Math.floor(opts.objects / PAGE)));
    log(`${store}: walking to page ${fmt(deep)} with next`);
    const { cursor, newest } = await walk(server.url, deep);
    const paths: Array<[string, string, Record<string, string>?]> = [
      ['objects page 1 (limit 100)', `${C}/objects/?limit=${PAGE}`],
      [`objects page ${fmt(deep)} (limit 100, via next)`, `${C}/objects/?limit=${PAGE}${cursor ? `&next=${encodeURIComponent(cursor)}` : ''}`],
      ['objects match[type]=indicator page 1', `${C}/objects/?limit=${PAGE}&match[type]=indicator`],
      ['objects match[type]=relationship page 1', `${C}/objects/?limit=${PAGE}&match[type]=relationship`],
      ['manifest page 1 (limit 100)', `${C}/manifest/?limit=${PAGE}`],
      ['empty poll (added_after = newest)', `${C}/objects/?added_after=${encodeURIComponent(newest)}`],
      // As a SIEM polls: its credentials on every request (the same answer, so the same bare responses).
      ['empty poll with HTTP Basic credentials', `${C}/objects/?added_after=${encodeURIComponent(newest)}`, { Authorization: AUTH }],
    ];
    const routes: Record<string, ReturnType<typeof recordResponse>> = {};
    for (const [, p] of paths) routes[p] = recordResponse(await getPage(server.url + p));
    ceiling = await startCeiling(routes, 'node');
    floor = await startCeiling(routes, 'express');

    const reads: ReadFigure[] = [];
    for (const [name, p, headers] of paths) {
      const m = await loadInterleaved([server.url + p, floor.url + p, ceiling.url + p], opts, headers ?? {}, server.child.pid!);
      const [s, e, c] = m.loads;
      const serverCpuUsPerRequest = Math.round(m.serverCpuUs / Math.max(1, s.requests));
      reads.push({ name, path: p, server: s, ceiling: c, ratio: m.toCeiling, expressFloor: e, expressRatio: m.expressToCeiling, ratioToExpress: m.toExpress, serverCpuUsPerRequest });
      log(
        `  ${store}: ${name}: ${fmt(s.rps)} req/s (p50 ${s.p50} ms, p99 ${s.p99} ms, ${fmt(serverCpuUsPerRequest)} µs server CPU each); bare express ${fmt(e.rps)} req/s (ratio ${m.toExpress}); ceiling ${fmt(c.rps)} req/s (ratio ${m.toCeiling})`,
      );
    }
    log(`${store}: full sync of the collection (limit=1000 through next)`);
    const sync = await fullSync(server.url);
    log(`  ${store}: ${fmt(sync.objects)} objects in ${fmt(sync.pages)} pages, ${fmt(sync.seconds, 2)} s (${fmt(sync.objectsPerSecond)} objects/s)`);
    const rssAfterReads = peakRssMb(server.child.pid!);
    log(`${store}: commit-to-receiver latency at 100 objects/s (webhook and SSE)`);
    const changeLatency = await measureChangeLatency(server.url + C, AUTH, { perSecond: 100, count: 500 });
    log(`  ${store}: webhook p50 ${changeLatency.webhook.p50} ms, p99 ${changeLatency.webhook.p99} ms; SSE p50 ${changeLatency.sse.p50} ms, p99 ${changeLatency.sse.p99} ms`);
    const [p1, pd, , , , poll] = reads;
    log(`${store}: page 1 and page ${fmt(deep)} one request at a time, alternated (${fmt(SEQUENTIAL_ROUNDS)} each)`);
    const [page1Us, deepUs] = await sequentialLatency(server.url, [paths[0]![1], paths[1]![1]], SEQUENTIAL_ROUNDS);
    const latencyRatio = deepUs / page1Us;
    log(`  ${store}: median page 1 ${fmt(page1Us)} µs, page ${fmt(deep)} ${fmt(deepUs)} µs (ratio ${fmt(latencyRatio, 2)}); p50 under ${opts.connections} connections ${p1!.server.p50} ms and ${pd!.server.p50} ms`);
    const ingestTarget = store === 'sqlite' ? 20_000 : 15_000;
    const targets = [
      { what: `page ${fmt(deep)} median latency ÷ page 1 (one request at a time)`, target: '≤ 1.2', actual: fmt(latencyRatio, 2), met: latencyRatio <= 1.2 },
      { what: 'objects page 1 req/s ÷ bare express', target: '≥ 0.4', actual: fmt(p1!.ratioToExpress, 2), met: p1!.ratioToExpress >= 0.4 },
      { what: 'empty poll req/s ÷ bare express', target: '≥ 0.5', actual: fmt(poll!.ratioToExpress, 2), met: poll!.ratioToExpress >= 0.5 },
      { what: 'ingest objects/s', target: `≥ ${fmt(ingestTarget)}`, actual: fmt(ingestResult.objectsPerSecond), met: ingestResult.objectsPerSecond >= ingestTarget },
      { what: 'server peak RSS (MB)', target: '< 250', actual: fmt(rssAfterReads), met: rssAfterReads < 250 },
      { what: 'commit-to-webhook p99 (ms, 100 objects/s)', target: '< 1000', actual: `${changeLatency.webhook.p99} (${changeLatency.webhook.received}/${changeLatency.webhook.sent})`, met: changeLatency.webhook.p99 < 1000 && changeLatency.webhook.received === changeLatency.webhook.sent },
      { what: 'commit-to-SSE p99 (ms, 100 objects/s)', target: '< 1000', actual: `${changeLatency.sse.p99} (${changeLatency.sse.received}/${changeLatency.sse.sent})`, met: changeLatency.sse.p99 < 1000 && changeLatency.sse.received === changeLatency.sse.sent },
    ];
    return {
      store,
      objects: opts.objects,
      ingest: ingestResult,
      deepPage: {
        page: deep,
        note: deep < DEEP_PAGE ? `the collection has ${fmt(Math.ceil(opts.objects / PAGE))} pages of 100; page ${fmt(deep)} is the deepest full one` : undefined,
        sequentialUs: { page1: page1Us, deep: deepUs, requests: SEQUENTIAL_ROUNDS },
      },
      reads,
      rssPeakMb: { afterIngest: rssAfterIngest, afterReads: rssAfterReads },
      fullSync: sync,
      changeLatency,
      targets,
    };
  } finally {
    await floor?.stop();
    await ceiling?.stop();
    await server?.stop();
    await db.drop().catch((e) => log(`could not drop the benchmark database: ${(e as Error).message}`));
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function table(results: StoreResult[], validation: { objectsPerSecond: number } | undefined, machine: Record<string, string>): string {
  const lines: string[] = [];
  lines.push(`Machine: ${machine.cpus} × ${machine.cpu}; node ${machine.node}; ${machine.os}`);
  lines.push(`Server started ${machine.server}`);
  lines.push(`Validation (runValidationBench, one core): ${validation ? `${fmt(validation.objectsPerSecond)} objects/s` : 'n/a'}`);
  for (const r of results) {
    lines.push('');
    lines.push(`## ${r.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: ${fmt(r.objects)} objects`);
    lines.push('');
    lines.push(
      `Ingest: ${fmt(r.ingest.objectsPerSecond)} objects/s (${fmt(r.objects)} objects, ${fmt(r.ingest.envelopes)} envelopes of ${fmt(ENVELOPE)}, ${fmt(r.ingest.seconds, 1)} s${r.ingest.failed ? `, ${fmt(r.ingest.failed)} refused` : ''}); server CPU ${fmt(r.ingest.serverCpuUsPerObject)} µs per object`,
      `Ingest CPU per object (µs): ${cpuSplit(r.ingest.cpu)}`,
      `Ingest warm-up (not counted): ${fmt(r.ingest.warmUp.objects)} objects into another collection of the freshly started server, ${fmt(r.ingest.warmUp.objectsPerSecond)} objects/s, server CPU ${fmt(r.ingest.warmUp.serverCpuUsPerObject)} µs per object`,
    );
    lines.push(`Server peak RSS (VmHWM): ${fmt(r.rssPeakMb.afterIngest)} MB after ingest, ${fmt(r.rssPeakMb.afterReads)} MB after reads`);
    lines.push(`Full sync (limit=1000 through next, one client): ${fmt(r.fullSync.objects)} objects in ${fmt(r.fullSync.pages)} pages, ${fmt(r.fullSync.seconds, 2)} s (${fmt(r.fullSync.objectsPerSecond)} objects/s)`);
    if (r.deepPage.note) lines.push(`Deep page: ${r.deepPage.note}`);
    const q = r.deepPage.sequentialUs;
    lines.push(`One request at a time (median of ${fmt(q.requests)} each): page 1 ${fmt(q.page1)} µs, page ${fmt(r.deepPage.page)} ${fmt(q.deep)} µs`);
    lines.push('');
    lines.push('| request | req/s | p50 ms | p99 ms | server CPU µs/req | bare express req/s | ratio to express | node:http ceiling req/s | ratio to ceiling | express ÷ ceiling |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const x of r.reads) {
      lines.push(
        `| ${x.name} | ${fmt(x.server.rps)}${x.server.errors ? ` (${x.server.errors} errors)` : ''} | ${x.server.p50} | ${x.server.p99} | ${fmt(x.serverCpuUsPerRequest)} | ${fmt(x.expressFloor.rps)} | ${fmt(x.ratioToExpress, 2)} | ${fmt(x.ceiling.rps)} | ${fmt(x.ratio, 2)} | ${fmt(x.expressRatio, 2)} |`,
      );
    }
    lines.push('');
    lines.push('| target | goal | this run | |');
    lines.push('|---|---|---|---|');
    for (const t of r.targets) lines.push(`| ${t.what} | ${t.target} | ${t.actual} | ${t.met ? 'met' : 'MISSED'} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const program = new Command()
    .name('bench')
    .description('TAXII server benchmark: ingest over POST, GET page 1 / deep page / filters / empty poll against a bare node:http ceiling (and a bare express handler sending the same bytes), peak RSS, validation throughput')
    .option('--objects <n>', 'objects in the generated collection', positiveInt, 10_000)
    .addOption(new Option('--store <store>', 'which store to measure (default: both when PostgreSQL answers, else sqlite)').choices(['sqlite', 'postgres', 'both']))
    .option('--json <file>', 'where to write the results as JSON', path.join(ROOT, 'bench/results/latest.json'))
    .option('--pg-url <url>', 'PostgreSQL server to create the benchmark database on', process.env.BENCH_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test')
    .option('--duration <seconds>', 'seconds of load per read measurement and target (one-second slices, the server, bare express and the ceiling in turn)', positiveInt, 5)
    .option('--connections <n>', 'concurrent connections per read measurement', positiveInt, 10)
    .option('--profile <dir>', 'run the server with node --cpu-prof, writing profiles under this folder')
    .option('--untuned', "start the server without npm start's memory setting (MALLOC_ARENA_MAX), to compare")
    .showHelpAfterError();
  program.parse(process.argv);
  const opts = program.opts<Options>();

  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm run bench does)`);
  const pgUp = await postgresAnswers(withUser(opts.pgUrl));
  const choice = opts.store ?? (pgUp ? 'both' : 'sqlite');
  if (choice !== 'sqlite' && !pgUp) throw new Error(`PostgreSQL does not answer at ${opts.pgUrl}`);
  if (!opts.store && !pgUp) log(`PostgreSQL does not answer at ${opts.pgUrl}: measuring SQLite only`);
  const stores: Store[] = choice === 'both' ? ['sqlite', 'postgres'] : [choice];

  const cpus = os.cpus();
  const server = opts.untuned ? 'without the memory setting of npm start (--untuned)' : `as npm start does: ${Object.entries(START_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}`;
  const machine = { cpus: String(cpus.length), cpu: cpus[0]?.model ?? 'unknown', node: process.version, os: `${os.type()} ${os.release()}`, server };
  log('validation: runValidationBench()');
  let validation: { objectsPerSecond: number; objects: number } | undefined;
  try {
    validation = await runValidationBench();
  } catch (e) {
    log(`validation benchmark failed: ${(e as Error).message}`);
  }

  const results: StoreResult[] = [];
  for (const s of stores) results.push(await benchStore(s, opts));

  const text = table(results, validation, machine);
  process.stdout.write(`${text}\n`);
  fs.mkdirSync(path.dirname(path.resolve(opts.json)), { recursive: true });
  fs.writeFileSync(
    opts.json,
    `${JSON.stringify({ date: new Date().toISOString(), machine, settings: { objects: opts.objects, duration: opts.duration, connections: opts.connections, envelope: ENVELOPE, page: PAGE }, validation: validation ?? 'n/a', results }, null, 2)}\n`,
  );
  log(`results written to ${opts.json}`);
}

main().catch((e: Error) => {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exit(1);
});
