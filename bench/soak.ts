#!/usr/bin/env node
/**
 * `npm run soak -- --minutes N`: the real server (a child process of dist/src/cli.js) under curators posting
 * new objects and new versions while pollers page and poll with added_after, for N minutes. Reports 5xx
 * answers (must be 0), acknowledged versions a poller never saw or saw twice (must be 0), request latency
 * per minute (p50/p99) and the server's RSS over time with its trend. Exits non-zero when a must fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import pg from 'pg';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/src/cli.js');
const TAXII = 'application/taxii+json;version=2.1';
const COLLECTION = '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const C = `/soak/collections/${COLLECTION}`;
const ADMIN = { user: 'soak-admin', password: 'soak-password-1234' };
const AUTH = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`;

interface Options {
  minutes: number;
  store: 'sqlite' | 'postgres';
  pgUrl: string;
  pollers: number;
  curators: number;
  envelope: number;
  json?: string;
}

interface Minute {
  minute: number;
  requests: number;
  p50: number;
  p99: number;
  rssMb: number;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

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

async function freshDatabase(opts: Options, dir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (opts.store === 'sqlite') return { url: path.join(dir, 'taxii.sqlite3'), drop: async () => undefined };
  const base = new URL(opts.pgUrl);
  if (!base.username) base.username = process.env.PGUSER || os.userInfo().username;
  const name = `taxii_soak_${process.pid}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: base.toString() });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const u = new URL(base.toString());
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

async function startServer(databaseUrl: string, dir: string): Promise<{ child: ChildProcess; url: string; stop(): Promise<void> }> {
  const config = path.join(dir, 'soak-config.yaml');
  fs.writeFileSync(
    config,
    JSON.stringify({
      server: { title: 'TAXII soak', default_api_root: 'soak', default_limit: 100, max_limit: 1000 },
      api_roots: [{ path: 'soak', title: 'Soak API root', max_content_length: 16 * 1024 * 1024, collections: [{ id: COLLECTION, alias: 'soak', title: 'Soak collection' }] }],
      seed: { enabled: false },
    }),
  );
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'serve', '--no-seed'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TAXII_CONFIG: config,
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
      if ((await fetch(`${url}/taxii2/`, { headers: { Accept: TAXII, Authorization: AUTH } })).ok) break;
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

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den ? num / den : 0;
}

function indicator(n: number, version: number): Record<string, unknown> {
  const modified = new Date(Date.UTC(2025, 0, 1) + version * 1000).toISOString();
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-5a0c-4000-8000-${n.toString(16).padStart(12, '0')}`,
    created: '2025-01-01T00:00:00.000Z',
    modified,
    name: `soak indicator ${n} v${version}`,
    pattern: `[ipv4-addr:value = '10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}']`,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: '2025-01-01T00:00:00Z',
    indicator_types: ['malicious-activity'],
  };
}

async function soak(opts: Options): Promise<boolean> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-soak-'));
  const db = await freshDatabase(opts, dir);
  const server = await startServer(db.url, dir);
  const started = Date.now();
  const end = started + opts.minutes * 60_000;
  const latencies: number[][] = [];
  const minutes: Minute[] = [];
  const rss: Array<[number, number]> = [];
  let fiveHundreds = 0;
  let otherErrors = 0;
  const acknowledged = new Set<string>();
  const seen: Array<Map<string, number>> = Array.from({ length: opts.pollers }, () => new Map());

  const request = async (url: string, init: RequestInit = {}): Promise<Response | undefined> => {
    const t = performance.now();
    try {
      const r = await fetch(server.url + url, { ...init, headers: { Accept: TAXII, Authorization: AUTH, ...(init.headers ?? {}) } });
      const minute = Math.floor((Date.now() - started) / 60_000);
      (latencies[minute] ??= []).push(performance.now() - t);
      if (r.status >= 500) {
        fiveHundreds++;
        log(`5xx: ${r.status} ${init.method ?? 'GET'} ${url}: ${(await r.clone().text()).slice(0, 200)}`);
      }
      return r;
    } catch (e) {
      otherErrors++;
      log(`request failed: ${init.method ?? 'GET'} ${url}: ${(e as Error).message}`);
      return undefined;
    }
  };

  let nextId = 0;
  const curator = async () => {
    while (Date.now() < end) {
      // Mostly new objects; every third envelope also brings new versions of objects posted before.
      const objects: Array<Record<string, unknown>> = [];
      for (let i = 0; i < opts.envelope; i++) objects.push(indicator(++nextId, 0));
      if (nextId > opts.envelope && nextId % 3 === 0) {
        for (let i = 0; i < opts.envelope / 10; i++) objects.push(indicator(1 + Math.floor(Math.random() * (nextId - opts.envelope)), Math.floor((Date.now() - started) / 10) + 1));
      }
      const r = await request(`${C}/objects/`, { method: 'POST', headers: { 'Content-Type': TAXII }, body: JSON.stringify({ objects }) });
      if (r?.status === 202) {
        const status = (await r.json()) as { successes: Array<{ id: string; version: string; message?: string }> };
        for (const s of status.successes) if (s.message?.startsWith('stored')) acknowledged.add(`${s.id}@${s.version}`);
      }
      await new Promise((res) => setTimeout(res, 200));
    }
  };

  let polling = true;
  const poller = async (k: number) => {
    let addedAfter: string | undefined;
    while (polling) {
      const r = await request(`${C}/objects/?limit=100&match[version]=all${addedAfter ? `&added_after=${encodeURIComponent(addedAfter)}` : ''}`);
      if (r?.status === 200) {
        const page = (await r.json()) as { objects?: Array<{ id: string; modified: string }>; more?: boolean };
        for (const o of page.objects ?? []) {
          const key = `${o.id}@${o.modified}`;
          seen[k]!.set(key, (seen[k]!.get(key) ?? 0) + 1);
        }
        addedAfter = r.headers.get('X-TAXII-Date-Added-Last') ?? addedAfter;
        if (page.more) continue;
      }
      await new Promise((res) => setTimeout(res, 500 + Math.random() * 500));
    }
  };

  const sampler = setInterval(() => {
    const mb = rssMb(server.child.pid!);
    rss.push([(Date.now() - started) / 60_000, mb]);
  }, 5000);
  const reporter = setInterval(() => {
    const minute = Math.floor((Date.now() - started) / 60_000) - 1;
    const l = [...(latencies[minute] ?? [])].sort((a, b) => a - b);
    const m: Minute = { minute: minute + 1, requests: l.length, p50: percentile(l, 50), p99: percentile(l, 99), rssMb: rss[rss.length - 1]?.[1] ?? Number.NaN };
    minutes.push(m);
    log(`minute ${m.minute}: ${m.requests} requests, p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, RSS ${m.rssMb.toFixed(0)} MB, 5xx ${fiveHundreds}, acknowledged versions ${acknowledged.size}`);
  }, 60_000);

  log(`soak: ${opts.minutes} min on ${opts.store}, ${opts.curators} curators (${opts.envelope} objects per envelope), ${opts.pollers} pollers`);
  const curators = Promise.all(Array.from({ length: opts.curators }, curator));
  const pollers = Promise.all(Array.from({ length: opts.pollers }, (_, k) => poller(k)));
  await curators;
  clearInterval(reporter);
  // Let every poller catch up with the last acknowledged write (at most 60 s).
  const caughtUp = () => seen.every((m) => [...acknowledged].every((v) => m.has(v)));
  for (let i = 0; i < 120 && !caughtUp(); i++) await new Promise((res) => setTimeout(res, 500));
  polling = false;
  await pollers;
  clearInterval(sampler);
  await server.stop();
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });

  const lost = seen.map((m) => [...acknowledged].filter((v) => !m.has(v)).length);
  const duplicated = seen.map((m) => [...m.values()].filter((n) => n > 1).length);
  const all = latencies.flat().sort((a, b) => a - b);
  const steady = rss.filter(([t]) => t >= Math.min(1, opts.minutes / 2));
  const result = {
    minutes: opts.minutes,
    store: opts.store,
    pollers: opts.pollers,
    curators: opts.curators,
    requests: all.length,
    fiveHundreds,
    otherErrors,
    acknowledgedVersions: acknowledged.size,
    lostPerPoller: { max: Math.max(...lost), total: lost.reduce((a, b) => a + b, 0) },
    duplicatedPerPoller: { max: Math.max(...duplicated), total: duplicated.reduce((a, b) => a + b, 0) },
    latencyMs: { p50: percentile(all, 50), p99: percentile(all, 99) },
    perMinute: minutes,
    rssMb: { first: rss[0]?.[1], last: rss[rss.length - 1]?.[1], max: Math.max(...rss.map(([, y]) => y)), trendMbPerMinute: slope(steady) },
  };
  log(
    `soak result: ${result.requests} requests, 5xx ${fiveHundreds}, failed requests ${otherErrors}, ${acknowledged.size} acknowledged versions, ` +
      `lost ${result.lostPerPoller.total} and duplicated ${result.duplicatedPerPoller.total} over ${opts.pollers} pollers, ` +
      `p50 ${result.latencyMs.p50.toFixed(1)} ms, p99 ${result.latencyMs.p99.toFixed(1)} ms, ` +
      `RSS ${result.rssMb.first?.toFixed(0)} -> ${result.rssMb.last?.toFixed(0)} MB (max ${result.rssMb.max.toFixed(0)}, trend after warm-up ${result.rssMb.trendMbPerMinute.toFixed(2)} MB/min)`,
  );
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(result, null, 2));
  return fiveHundreds === 0 && result.lostPerPoller.total === 0 && result.duplicatedPerPoller.total === 0;
}

function positive(v: string): number {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError('must be a positive number');
  return n;
}

async function main(): Promise<void> {
  const program = new Command('soak')
    .description('Run the built server under posting curators and polling readers for N minutes; report 5xx, lost or duplicated versions, latency and RSS')
    .option('--minutes <n>', 'how long to run', positive, 10)
    .addOption(new Option('--store <store>', 'database').choices(['sqlite', 'postgres']).default('sqlite'))
    .option('--pg-url <url>', 'PostgreSQL server for --store postgres (a database is created and dropped)', process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/postgres')
    .option('--pollers <n>', 'polling readers', positive, 50)
    .option('--curators <n>', 'posting curators', positive, 2)
    .option('--envelope <n>', 'new objects per posted envelope', positive, 100)
    .option('--json <file>', 'also write the result as JSON');
  program.parse();
  const opts = program.opts<Options>();
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing; run npm run build`);
  const ok = await soak(opts);
  if (!ok) {
    log('soak FAILED: a 5xx was answered, or a poller lost or duplicated a version');
    process.exitCode = 1;
  }
}

main().catch((e) => {
  log(`soak failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
