#!/usr/bin/env node
import cluster from 'node:cluster';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, type Config } from './config/config';
import { createRuntime, findCollection, importFile, importSeed, redactUrl, StartupError, type Runtime } from './server';
import { createDb, migrateDown, migrateLatest } from './store/db';
import { registerAdminCommands } from './cli/admin-commands';
import { registerWebhookCommands } from './cli/webhook-commands';
import { registerValidateCommand } from './stix/validate-command';

/** Command-line entry: serve, migrate, import, export (and the commands registered by other areas). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('dprk-taxii')
    .description('TAXII 2.1 server for the curated DPRK-crypto STIX 2.1 feed.\nConfiguration: TAXII_CONFIG (file), DATABASE_URL, PORT, HOST, TAXII_ADMIN_USER/TAXII_ADMIN_PASSWORD; see README.')
    .showHelpAfterError();

  program
    .command('serve')
    .description('apply migrations, load the seed feed (idempotently) and serve TAXII 2.1 over HTTP(S)')
    .option('--no-seed', 'do not import the seed bundles at start-up')
    .option('--workers <n>', 'serve from n processes sharing the port (node cluster); state lives in the database', workerCount, 1)
    .action(async (opts: { seed: boolean; workers: number }) => {
      if (opts.workers > 1 && cluster.isPrimary) return supervise(opts.workers, opts.seed);
      const rt = await runtime({ TAXII_SEED: opts.seed ? undefined : 'false' });
      await serve(rt);
    });

  program
    .command('migrate')
    .description('apply the database migrations (or undo them all with --down) and exit')
    .option('--down', 'roll every migration back (drops all data)')
    .action(async (opts: { down?: boolean }) => {
      const config = configOrExit();
      const db = createDb(config.database);
      try {
        if (opts.down) {
          await migrateDown(db);
          console.log(`rolled back every migration on ${redactUrl(config.database.url)}`);
        } else {
          const applied = await migrateLatest(db);
          console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'the database is up to date');
        }
      } finally {
        await db.close();
      }
    });

  program
    .command('import')
    .description('add the objects of a STIX bundle or TAXII envelope file to a collection (as POST objects would)')
    .argument('<file>', 'a JSON file holding a STIX bundle or a TAXII envelope')
    .requiredOption('-c, --collection <id-or-alias>', 'the collection id or alias')
    .action(async (file: string, opts: { collection: string }) => {
      const config = configOrExit();
      const target = findCollection(config, opts.collection);
      if (!target) fail(`no collection "${opts.collection}" is configured; the configured ones are: ${listCollections(config)}`);
      if (!fs.existsSync(file)) fail(`no such file: ${file}`);
      const rt = await runtime({ TAXII_SEED: 'false' }, config);
      try {
        const r = await importFile(rt, target!.root, target!.id, file);
        console.log(`${file}: ${r.added} added, ${r.unchanged} already present, ${r.failed} failed`);
        for (const f of r.failures) console.log(`  failed: ${f}`);
        process.exitCode = r.failed ? 1 : 0;
      } finally {
        await rt.close();
      }
    });

  program
    .command('export')
    .description('write the newest version of every object of a collection as a STIX 2.1 bundle')
    .requiredOption('-c, --collection <id-or-alias>', 'the collection id or alias')
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .action(async (opts: { collection: string; output?: string }) => {
      const config = configOrExit();
      const target = findCollection(config, opts.collection);
      if (!target) fail(`no collection "${opts.collection}" is configured; the configured ones are: ${listCollections(config)}`);
      const rt = await runtime({ TAXII_SEED: 'false' }, config);
      try {
        const out = opts.output ? fs.createWriteStream(opts.output) : process.stdout;
        const { bundleId } = await import('./common/bundle-id');
        out.write(`{"type":"bundle","id":"bundle--${bundleId(target!.id)}","objects":[`);
        let n = 0;
        for await (const o of rt.stores.objects.allLatest(target!.id)) {
          out.write(n++ ? `,\n${o.body}` : `\n${o.body}`);
          if (opts.output && n % 10000 === 0) process.stderr.write(`exported ${n} objects\r`);
        }
        out.write('\n]}\n');
        if (opts.output) {
          await new Promise<void>((res, rej) => (out as fs.WriteStream).end((e?: Error) => (e ? rej(e) : res())));
          process.stderr.write(`exported ${n} objects to ${opts.output}\n`);
        }
      } finally {
        await rt.close();
      }
    });

  registerValidateCommand(program);
  registerAdminCommands(program);
  registerWebhookCommands(program);
  return program;
}

function workerCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('must be a whole number from 1 to 256');
  return n;
}

/**
 * The cluster primary: migrates and loads the seed once (so workers do not race for it), then keeps
 * `count` workers serving one port and replaces any that dies. It serves no requests itself.
 */
async function supervise(count: number, seed: boolean): Promise<void> {
  const rt = await runtime({ TAXII_SEED: seed ? undefined : 'false' });
  try {
    if (rt.config.seed.enabled) rt.log.info(await importSeed(rt), 'seed feed loaded');
  } finally {
    await rt.close();
  }
  let stopping = false;
  const recentDeaths: number[] = [];
  const fork = () => cluster.fork({ TAXII_SEED: 'false' });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const now = Date.now();
    recentDeaths.push(now);
    while (recentDeaths[0]! < now - 60_000) recentDeaths.shift();
    // A worker that cannot start (bad TLS file, port taken) would otherwise be re-forked forever.
    if (recentDeaths.length > count * 5) {
      rt.log.error({ pid: worker.process.pid, code, signal }, 'workers keep dying; giving up');
      process.exit(1);
    }
    rt.log.warn({ pid: worker.process.pid, code, signal }, 'worker exited; starting a replacement');
    fork();
  });
  for (let i = 0; i < count; i++) fork();
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    rt.log.info({ signal, workers: count }, 'shutting down workers');
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 8000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

function listCollections(config: Config): string {
  return config.apiRoots.flatMap((r) => r.collections.map((c) => c.alias ?? c.id)).join(', ');
}

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

function configOrExit(overrides: Record<string, string | undefined> = {}): Config {
  try {
    return loadConfig({ ...process.env, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) });
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
}

async function runtime(overrides: Record<string, string | undefined>, config?: Config): Promise<Runtime> {
  const cfg = config ?? configOrExit(overrides);
  try {
    return await createRuntime(cfg);
  } catch (e) {
    if (e instanceof StartupError) fail(e.message);
    throw e;
  }
}

async function serve(rt: Runtime): Promise<void> {
  const { config, log } = rt;
  if (config.seed.enabled) {
    const t = Date.now();
    const r = await importSeed(rt);
    log.info({ ...r, ms: Date.now() - t }, 'seed feed loaded');
  }
  const tls = config.server.tls;
  const server = tls
    ? https.createServer(
        {
          cert: fs.readFileSync(tls.cert),
          key: fs.readFileSync(tls.key),
          ca: tls.ca ? fs.readFileSync(tls.ca) : undefined,
          requestCert: tls.requestClientCert,
          rejectUnauthorized: false,
          minVersion: 'TLSv1.2',
        },
        rt.app,
      )
    : http.createServer(rt.app);
  server.keepAliveTimeout = 65_000;
  const sweep = setInterval(() => rt.stores.statuses.sweep().catch((e) => log.warn({ err: e.message }, 'status sweep failed')), 3600_000);
  sweep.unref();
  // Webhook deliveries run in every serving process (each subscription leased by one at a time).
  rt.webhooks.dispatcher.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new StartupError(e.code === 'EADDRINUSE' ? `port ${config.listen.port} on ${config.listen.host} is already in use; set PORT` : e.message)),
    );
    server.listen(config.listen.port, config.listen.host, resolve);
  });
  const addr = server.address() as { port: number };
  const scheme = tls ? 'https' : 'http';
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
  log.info({ database: redactUrl(config.database.url) }, `TAXII 2.1 server listening; try: curl -H 'Accept: application/taxii+json;version=2.1' ${scheme}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}/taxii2/`);
  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down');
    server.close(() => void rt.close().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((e: Error) => {
      console.error(`error: ${e instanceof StartupError || e instanceof ConfigError ? e.message : (e.stack ?? e.message)}`);
      process.exit(1);
    });
}
