#!/usr/bin/env node
import cluster from 'node:cluster';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { ConfigError, loadConfig, type Config } from './config/config';
import { fromRoot } from './common/paths';
import { boundHeapGrowth } from './common/heap';
import { createRuntime, findCollection, importSeed, redactUrl, StartupError, type Runtime } from './server';
import { createDb, migrateDown, migrateLatest } from './store/db';
import { registerAdminCommands } from './cli/admin-commands';
import { registerExportCommand } from './cli/export-command';
import { CliExit, EXIT, EXIT_HELP } from './cli/exit';
import { ioReason, runImport, runQueuedImport } from './cli/import-command';
import { listenError, tlsServerOptions } from './cli/listener';
import { registerReviewCommands } from './cli/review-commands';
import { registerWebhookCommands } from './cli/webhook-commands';
import { answerClientErrors, SERVER_OPTIONS } from './http/client-errors';
import { registerValidateCommand, type CollectionContext } from './stix/validate-command';

/** The version in package.json. */
export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(fromRoot('package.json'), 'utf8')) as { version: string }).version;
}

/** Command-line entry: serve, migrate, import, export (and the commands registered by other areas). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('dprk-taxii')
    .description('TAXII 2.1 server for the curated DPRK-crypto STIX 2.1 feed.\nConfiguration: TAXII_CONFIG (file), DATABASE_URL, PORT, HOST, TAXII_ADMIN_USER/TAXII_ADMIN_PASSWORD; see README.')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    // Usage errors (unknown option, missing argument) exit 2 like every other usage error; help and --version exit 0.
    .exitOverride((err) => {
      throw err;
    })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', `${EXIT_HELP}

Examples:
  $ dprk-taxii migrate
  $ dprk-taxii validate seed/dprk-crypto-indicators/dprk-crypto-indicators.json
  $ dprk-taxii import seed/dprk-crypto-indicators/dprk-crypto-indicators.json --collection curator-inbox
  $ dprk-taxii export --collection curator-inbox | head -c 300`);

  program
    .command('serve')
    .description('apply migrations, load the seed feed (idempotently) and serve TAXII 2.1 over HTTP(S)')
    .option('--no-seed', 'do not import the seed bundles at start-up')
    .option('--workers <n>', 'serve from n processes sharing the port (node cluster); state lives in the database', workerCount, 1)
    .addHelpText('after', `
Examples:
  $ TAXII_ADMIN_USER=curator TAXII_ADMIN_PASSWORD=correct-horse-battery dprk-taxii serve
  $ TAXII_DATA_DIR=/var/lib/dprk-taxii PORT=8443 HOST=0.0.0.0 TAXII_TLS_CERT=cert.pem TAXII_TLS_KEY=key.pem dprk-taxii serve
  $ DATABASE_URL=postgres://taxii@127.0.0.1:5432/taxii dprk-taxii serve --workers 2`)
    .action(async (opts: { seed: boolean; workers: number }) => {
      if (opts.workers > 1 && cluster.isPrimary) return supervise(opts.workers, opts.seed);
      const rt = await runtime({ TAXII_SEED: opts.seed ? undefined : 'false' }, undefined, true);
      await serve(rt);
    });

  program
    .command('migrate')
    .description('apply the database migrations (or undo them all with --down) and exit')
    .option('--down', 'roll every migration back (drops all data)')
    .addHelpText('after', `${EXIT_HELP}

Examples:
  $ dprk-taxii migrate
  $ DATABASE_URL=data/scratch.sqlite3 dprk-taxii migrate`)
    .action(async (opts: { down?: boolean }) => {
      const config = configOrExit();
      const where = redactUrl(config.database.url);
      let db;
      try {
        db = createDb({ ...config.database, onBackgroundError: () => undefined });
      } catch (e) {
        // A setting that cannot work already names itself and the database.
        if (e instanceof ConfigError) throw e;
        throw new CliExit(EXIT.usage, `cannot open the database ${where}: ${(e as Error).message}`);
      }
      try {
        if (opts.down) {
          await migrateDown(db);
          console.log(`rolled back every migration on ${where}`);
        } else {
          const applied = await migrateLatest(db, 5000, (names) => process.stderr.write(`applying ${names.length} migration(s) on ${where}; on a large database this can take a minute\n`));
          console.log(applied.length ? `applied ${applied.length} migration(s) on ${where}: ${applied.join(', ')}` : `the database ${where} is up to date`);
        }
      } catch (e) {
        throw new CliExit(EXIT.usage, `cannot ${opts.down ? 'roll back' : 'migrate'} the database ${where}: ${(e as Error).message}`);
      } finally {
        await db.close().catch(() => undefined);
      }
    });

  program
    .command('import')
    .description('add the objects of a STIX bundle or TAXII envelope file of any size to a collection, validated and stored as POST objects would')
    .argument('<file>', 'a JSON file holding a STIX bundle or a TAXII envelope')
    .requiredOption('-c, --collection <id-or-alias>', 'the collection id or alias')
    .option('--batch-size <n>', 'objects per envelope (default: the configured server.max_objects_per_envelope, with --queue ingest.max_objects_per_envelope)', positiveInt)
    .option('--queue', 'queue the objects for asynchronous ingest, as a large POST is (the running servers store them)')
    .option('--wait', 'with --queue: work on the queue in this process too, report progress, and wait until every object is processed')
    .addHelpText('after', `
The file is streamed: its size is not limited by the HTTP envelope limit. Progress goes to standard error
(a bar on a terminal, plain lines otherwise), a summary to standard output, and the import to the audit
log as the operating-system user (audit list).

With --queue the envelopes are stored in the asynchronous ingest queue and validated and committed in
chunks by the worker of every running server process (docs/reliability.md): the command prints the status
ids (GET /{api-root}/status/{id}/ as an administrator shows the progress) and returns at once, or with
--wait stores them itself too and returns when all are complete. A crash of either resumes where it was.
${EXIT_HELP.replace('invalid content (', 'invalid content: an object was rejected (')}

Examples:
  $ dprk-taxii import seed/dprk-crypto-indicators/dprk-crypto-indicators.json --collection curator-inbox
  $ dprk-taxii import seed/dprk-crypto-context/dprk-crypto-context.json -c curator-inbox --batch-size 50
  $ dprk-taxii import seed/dprk-crypto-indicators/dprk-crypto-indicators.json -c curator-inbox --queue --wait`)
    .action(async (file: string, opts: { collection: string; batchSize?: number; queue?: boolean; wait?: boolean }) => {
      const config = configOrExit();
      const target = findCollection(config, opts.collection);
      if (!target) fail(`no collection "${opts.collection}" is configured; the configured ones are: ${listCollections(config)}`);
      if (!fs.existsSync(file)) fail(`cannot read ${file}: no such file`);
      if (opts.wait && !opts.queue) fail('--wait goes with --queue');
      const rt = await runtime({ TAXII_SEED: 'false' }, config);
      if (opts.queue) {
        try {
          const r = await runQueuedImport(rt, target!, file, { batchSize: opts.batchSize ?? config.ingest.maxObjectsPerEnvelope, wait: Boolean(opts.wait) }, { out: (l) => console.log(l), progress: process.stderr });
          for (const f of r.done?.failures ?? []) process.stderr.write(`  failed: ${f}\n`);
          process.exitCode = r.done?.failed ? EXIT.invalid : EXIT.ok;
        } finally {
          await rt.close();
        }
        return;
      }
      try {
        const r = await runImport(rt, target!, file, { batchSize: opts.batchSize ?? config.server.maxObjectsPerEnvelope }, { out: (l) => console.log(l), progress: process.stderr });
        for (const f of r.failures) process.stderr.write(`  failed: ${f}\n`);
        if (r.failed > r.failures.length) process.stderr.write(`  … and ${(r.failed - r.failures.length).toLocaleString('en-US')} more failures\n`);
        process.exitCode = r.failed ? EXIT.invalid : EXIT.ok;
      } finally {
        await rt.close();
      }
    });

  registerExportCommand(program, { config: () => configOrExit(), runtime: (config) => runtime({ TAXII_SEED: 'false' }, config), listCollections });
  registerValidateCommand(program, collectionContext);
  registerAdminCommands(program);
  registerReviewCommands(program);
  registerWebhookCommands(program);
  return program;
}

function positiveInt(v: string): number {
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return Number(v);
}

/** For `validate --collection`: the collection's custom-content setting and its stored extension-definitions. */
async function collectionContext(idOrAlias: string): Promise<CollectionContext> {
  const config = configOrExit({ TAXII_SEED: 'false' });
  const target = findCollection(config, idOrAlias);
  if (!target) throw new Error(`no collection "${idOrAlias}" is configured; the configured ones are: ${listCollections(config)}`);
  const rt = await runtime({ TAXII_SEED: 'false' }, config);
  try {
    const collection = config.apiRoots.flatMap((r) => r.collections).find((c) => c.id === target.id)!;
    return { allowCustom: collection.allowCustom, stored: await rt.stores.objects.extensionDefinitions(target.id) };
  } finally {
    await rt.close();
  }
}

function workerCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('must be a whole number from 1 to 256');
  return n;
}

/**
 * The cluster primary: migrates and loads the seed once (so workers do not race for it), then keeps
 * `count` workers serving one port and replaces any that dies. It serves no requests itself. Until the
 * first worker listens, a worker that cannot start (port taken, address not of this machine) ends the
 * whole command with its one line and exit status, since every replacement would fail the same way.
 */
async function supervise(count: number, seed: boolean): Promise<void> {
  const rt = await runtime({ TAXII_SEED: seed ? undefined : 'false' }, undefined, true);
  try {
    // Checked here too, so that a wrong file is reported once rather than by every worker.
    if (rt.config.server.tls) tlsServerOptions(rt.config.server.tls);
    if (rt.config.seed.enabled) rt.log.info(await importSeed(rt), 'seed feed loaded');
  } finally {
    await rt.close();
  }
  let stopping = false;
  let serving = false;
  const recentDeaths: number[] = [];
  const startupFailures = new Map<number, WorkerStartupFailure>();
  const fork = () => cluster.fork({ TAXII_SEED: 'false' });
  cluster.on('listening', () => (serving = true));
  cluster.on('message', (worker, message: unknown) => {
    if (isStartupFailure(message)) startupFailures.set(worker.id, message);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    if (!serving) {
      stopping = true;
      const failure = startupFailures.get(worker.id);
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      process.stderr.write(`error: ${failure?.message ?? `a worker process failed to start (exit status ${code ?? signal})`}\n`);
      process.exit(failure?.code ?? EXIT.usage);
    }
    const now = Date.now();
    recentDeaths.push(now);
    while (recentDeaths[0]! < now - 60_000) recentDeaths.shift();
    // A replacement that cannot start would otherwise be re-forked forever.
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
    // Each worker drains for up to the shutdown delay and timeout (docs/operations.md).
    setTimeout(() => process.exit(0), rt.config.shutdown.delayMs + rt.config.shutdown.timeoutMs + 5000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** What a cluster worker that could not start tells the primary instead of printing it itself. */
interface WorkerStartupFailure {
  startupFailure: true;
  code: number;
  message: string;
}

function isStartupFailure(m: unknown): m is WorkerStartupFailure {
  return typeof m === 'object' && m !== null && (m as WorkerStartupFailure).startupFailure === true;
}

function listCollections(config: Config): string {
  return config.apiRoots.flatMap((r) => r.collections.map((c) => c.alias ?? c.id)).join(', ');
}

function fail(message: string): never {
  throw new CliExit(EXIT.usage, message);
}

function configOrExit(overrides: Record<string, string | undefined> = {}): Config {
  try {
    return loadConfig({ ...process.env, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) });
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
}

async function runtime(overrides: Record<string, string | undefined>, config?: Config, serving = false): Promise<Runtime> {
  const cfg = config ?? configOrExit(overrides);
  try {
    // Commands other than serve log warnings only, on standard error: standard output is their result.
    return await createRuntime(cfg, serving ? {} : { log: pino({ level: 'warn' }, pino.destination(2)), processMetrics: false });
  } catch (e) {
    if (e instanceof StartupError) fail(e.message);
    throw e;
  }
}

async function serve(rt: Runtime): Promise<void> {
  const { config, log } = rt;
  boundHeapGrowth(config.server.heapGrowingPercent);
  const tls = config.server.tls;
  // Before the seed import, so that a wrong certificate file ends start-up at once.
  const tlsOptions = tls ? tlsServerOptions(tls) : undefined;
  if (config.seed.enabled) {
    const t = Date.now();
    const r = await importSeed(rt);
    log.info({ ...r, ms: Date.now() - t }, 'seed feed loaded');
  }
  const server = tls
    ? https.createServer(
        {
          ...SERVER_OPTIONS,
          ...tlsOptions,
          requestCert: tls.requestClientCert,
          rejectUnauthorized: false,
          minVersion: 'TLSv1.2',
        },
        rt.app,
      )
    : http.createServer(SERVER_OPTIONS, rt.app);
  server.keepAliveTimeout = 65_000;
  answerClientErrors(server, log);
  const sweep = setInterval(() => {
    rt.stores.statuses.sweep().catch((e) => log.warn({ err: e.message }, 'status sweep failed'));
    rt.stores.ingest.sweep().catch((e) => log.warn({ err: e.message }, 'ingest queue sweep failed'));
  }, 3600_000);
  sweep.unref();
  // Queued envelopes (asynchronous POSTs) are stored by a worker in every serving process (src/ingest).
  rt.ingest.worker.start();
  // Webhook deliveries run in every serving process (each subscription leased by one at a time).
  rt.webhooks.dispatcher.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(listenError(e, config.listen.host, config.listen.port)));
    server.listen(config.listen.port, config.listen.host, resolve);
  });
  // Before the "listening" line, which tools (and tests) wait for.
  const metricsServer = config.metrics.listen ? await listenMetrics(rt) : undefined;
  const addr = server.address() as { port: number };
  const scheme = tls ? 'https' : 'http';
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
  log.info({ database: redactUrl(config.database.url) }, `TAXII 2.1 server listening; try: curl -H 'Accept: application/taxii+json;version=2.1' ${scheme}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}/taxii2/`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Readiness fails first, so load balancers stop sending; then no new connections; in-flight requests
    // (and their transactions) finish within the bound; then the database closes and the process exits 0.
    rt.health.shutdown();
    // The ingest worker finishes its chunk and hands its job back to the queue for the next process.
    const ingestStopped = rt.ingest.worker.stop().catch((e: Error) => log.warn({ err: e.message }, 'stopping the ingest worker failed'));
    const { delayMs, timeoutMs } = config.shutdown;
    log.info({ signal, delay_ms: delayMs, timeout_ms: timeoutMs }, 'shutting down: readiness fails, in-flight requests finish');
    clearInterval(sweep);
    const force = setTimeout(() => {
      log.warn({ timeout_ms: timeoutMs }, 'in-flight requests did not finish in time; closing their connections');
      server.closeAllConnections();
    }, delayMs + timeoutMs);
    force.unref();
    setTimeout(() => {
      server.close(() => {
        clearTimeout(force);
        metricsServer?.close();
        void ingestStopped.then(() => rt.close()).then(
          () => {
            log.info('stopped');
            process.exit(0);
          },
          (e: Error) => {
            log.error({ err: e.message }, 'closing the database failed');
            process.exit(1);
          },
        );
      });
      // Keep-alive connections close as soon as they are idle: those busy now, once their response is sent.
      server.closeIdleConnections();
      setInterval(() => server.closeIdleConnections(), 50).unref();
    }, delayMs).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** /metrics alone, unauthenticated, on TAXII_METRICS_LISTEN (keep that address off the public network). */
async function listenMetrics(rt: Runtime): Promise<http.Server> {
  const { host, port } = rt.config.metrics.listen!;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('only GET /metrics is served here\n');
      return;
    }
    rt.metrics.text().then(
      (text) => res.writeHead(200, { 'Content-Type': rt.metrics.contentType }).end(text),
      (e: Error) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${e.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(listenError(e, host, port, { host: 'TAXII_METRICS_LISTEN', port: 'TAXII_METRICS_LISTEN' })));
    server.listen(port, host, resolve);
  });
  const addr = server.address() as { port: number };
  rt.log.info({ metrics: `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}/metrics` }, 'metrics listening');
  return server;
}

/** Runs the command line; every failure is one line on standard error and an exit status (EXIT). */
export async function main(argv: string[]): Promise<void> {
  // `export | head`: the reader went away; that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.ok);
    throw e;
  });
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has already printed its message (and the help hint).
      process.exit(e.exitCode === 0 ? EXIT.ok : EXIT.usage);
    }
    const err = e as Error;
    const [code, message] =
      err instanceof CliExit
        ? [err.code, err.message]
        : err instanceof StartupError || err instanceof ConfigError
          ? [EXIT.usage, err.message]
          : (err as NodeJS.ErrnoException).syscall
            ? [EXIT.usage, `${(err as NodeJS.ErrnoException).path ? `${path.basename(String((err as NodeJS.ErrnoException).path))}: ` : ''}${ioReason(err)}`]
            : [EXIT.usage, process.env.TAXII_DEBUG ? (err.stack ?? err.message) : `${err.message} (set TAXII_DEBUG=1 for details)`];
    if (cluster.isWorker && process.send) {
      const failure: WorkerStartupFailure = { startupFailure: true, code, message };
      process.send(failure, undefined, {}, () => process.exit(code));
      return;
    }
    process.stderr.write(`error: ${message}\n`);
    process.exit(code);
  }
}

if (require.main === module) void main(process.argv);
