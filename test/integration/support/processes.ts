/** Runs the real server (src/cli.ts serve) as child processes on one database, for multi-process tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADMIN, freshDatabaseUrl, testConfigDoc } from '../../helpers/server';

const ROOT = path.resolve(__dirname, '../../..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Writes the test configuration to a file that TAXII_CONFIG can name (JSON is YAML). */
export function writeTestConfig(overrides: Record<string, unknown> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-proc-'));
  const file = path.join(dir, 'config.yaml');
  fs.writeFileSync(file, JSON.stringify(testConfigDoc(overrides)));
  return file;
}

export function serverEnv(databaseUrl: string, configFile: string, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PGUSER: process.env.PGUSER,
    TAXII_CONFIG: configFile,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    TAXII_SEED: 'false',
    TAXII_ADMIN_USER: ADMIN.user,
    TAXII_ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'info',
    ...env,
  };
}

/** Starts `serve` from the TypeScript sources and resolves once it listens (its URL read from its log). */
const started = new Set<ChildProcess>();

/** Kills every server this module started (for afterAll, even when a start failed half-way). */
export async function stopAllServerProcesses(): Promise<void> {
  await Promise.all(
    [...started].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  started.clear();
}

export function startServerProcess(databaseUrl: string, configFile: string, opts: { args?: string[]; env?: Record<string, string> } = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['-r', path.join(__dirname, 'swc-register.js'), path.join(ROOT, 'src/cli.ts'), 'serve', ...(opts.args ?? [])], {
    cwd: ROOT,
    env: serverEnv(databaseUrl, configFile, opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 8000);
    await exited;
    clearTimeout(forced);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 30 s:\n${out}`)), 30_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /curl [^\n]*? (https?:\/\/[^/\s]+)\/taxii2\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child, output: () => out, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before listening:\n${out}`));
    });
  });
}

/**
 * `count` server processes on one fresh database (PostgreSQL when TEST_DATABASE_URL names one, else one
 * SQLite file), started together so that they also race to apply the migrations; `close` stops them and
 * drops the database.
 */
export async function startCluster(count: number): Promise<{ servers: ServerProcess[]; close: () => Promise<void> }> {
  const db = await freshDatabaseUrl();
  const config = writeTestConfig();
  const servers = await Promise.all(Array.from({ length: count }, () => startServerProcess(db.url, config)));
  return {
    servers,
    close: async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await stopAllServerProcesses();
      await db.drop();
    },
  };
}
