/**
 * `export --collection <c> [-o file]`: the newest version of every object of a collection as one STIX 2.1
 * bundle, streamed from the store. A file is written under a temporary name beside it and renamed over
 * the target only when complete, so a full disk or a crash never leaves a cut-off bundle in its place.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { Config } from '../config/config';
import { findCollection, type Runtime } from '../server';
import { bundleId } from '../common/bundle-id';
import { CliExit, EXIT, EXIT_HELP } from './exit';
import { ioReason } from './import-command';

export interface ExportDeps {
  config: () => Config;
  runtime: (config: Config) => Promise<Runtime>;
  /** The configured collections, for the message about an unknown one. */
  listCollections: (config: Config) => string;
}

const PROGRESS_EVERY = 10_000;
const n = (x: number) => x.toLocaleString('en-US');

/** Where the bundle goes: `stream` is written, then `commit` makes it the output (or `abort` leaves no trace). */
export interface ExportOutput {
  stream: Writable;
  /** How a write error is reported: "cannot write <name>: <reason>". */
  name: string;
  commit: () => Promise<void>;
  abort: () => void;
}

/**
 * A file to write the bundle to, opened before any work so that an unwritable path fails at once. A regular
 * file (or a new one) is written as a temporary file in the same directory and renamed over it at the end;
 * anything else (a device, a FIFO, /dev/stdout) is written in place, as there is nothing to rename over.
 */
export async function openOutput(file: string): Promise<ExportOutput> {
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliExit(EXIT.usage, `cannot write ${file}: ${ioReason(e)}`);
  }
  if (existing?.isDirectory()) throw new CliExit(EXIT.usage, `cannot write ${file}: it is a directory; name a file`);
  const inPlace = existing !== undefined && !existing.isFile();
  // A symbolic link stays one: the file it points to is what gets replaced.
  const target = existing?.isFile() ? fs.realpathSync(file) : file;
  const temp = inPlace ? file : path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const stream = fs.createWriteStream(temp, { flags: inPlace ? 'w' : 'wx', mode: existing ? existing.mode & 0o777 : 0o666 });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e) => reject(new CliExit(EXIT.usage, `cannot write ${file}: ${ioReason(e)}`)));
  });
  const removeTemp = () => {
    if (!inPlace) fs.rmSync(temp, { force: true });
  };
  return {
    stream,
    name: file,
    commit: async () => {
      try {
        await new Promise<void>((resolve, reject) => {
          stream.once('error', reject);
          stream.end(resolve);
        });
        if (!inPlace) fs.renameSync(temp, target);
      } catch (e) {
        removeTemp();
        throw new CliExit(EXIT.usage, `cannot write ${file}: ${ioReason(e)}`);
      }
    },
    abort: () => {
      stream.destroy();
      removeTemp();
    },
  };
}

/**
 * Writes text to a stream, waiting for it to drain so that a large collection never piles up in memory.
 * A write error rejects the pending write (and every later one) instead of leaving it waiting for a drain
 * that never comes.
 */
function writer(out: Writable, name: string): (text: string) => Promise<void> | undefined {
  let failed: unknown;
  out.on('error', (e) => {
    failed ??= e;
  });
  const error = () => new CliExit(EXIT.usage, `cannot write ${name}: ${ioReason(failed)}`);
  return (text) => {
    if (failed) return Promise.reject(error());
    if (out.write(text)) return undefined;
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        out.off('drain', done);
        out.off('error', done);
        out.off('close', done);
        if (failed) reject(error());
        else resolve();
      };
      out.on('drain', done);
      out.on('error', done);
      out.on('close', done);
    });
  };
}

/**
 * Writes the bundle. A collection with no objects gives a bundle without `objects`: STIX 2.1 §2.12 forbids
 * an empty list where an optional property can be left out, and `validate` refuses one (bundle.objects-empty).
 */
export async function writeBundle(rt: Runtime, collectionId: string, out: Writable, name: string, progress?: (count: number) => void): Promise<number> {
  const write = writer(out, name);
  await write(`{"type":"bundle","id":"bundle--${bundleId(collectionId)}"`);
  let count = 0;
  for await (const o of rt.stores.objects.allLatest(collectionId)) {
    await write(count++ ? `,\n${o.body}` : `,"objects":[\n${o.body}`);
    if (count % PROGRESS_EVERY === 0) progress?.(count);
  }
  await write(count ? '\n]}\n' : '}\n');
  return count;
}

/**
 * What a write error on standard output means for export: EPIPE is the reader going away (`export | head`),
 * its choice, so export ends with 0; any other (a full disk behind a redirection) is one line and exit 2.
 * Registered before the program's own listener, so it decides first.
 */
function onStdoutError(e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE') process.exit(EXIT.ok);
  process.stderr.write(`error: cannot write standard output: ${ioReason(e)}\n`);
  process.exit(EXIT.usage);
}

export function registerExportCommand(program: Command, deps: ExportDeps): void {
  program
    .command('export')
    .description('write the newest version of every object of a collection as a STIX 2.1 bundle')
    .requiredOption('-c, --collection <id-or-alias>', 'the collection id or alias')
    .option('-o, --output <file>', 'write to this file instead of standard output (written under a temporary name and renamed when complete)')
    .addHelpText('after', `
A collection with no objects gives a bundle without "objects" (STIX 2.1 forbids an empty list).
With -o, the bundle is written to a temporary file in the same directory and renamed over the file only
when complete: on any error the file is left as it was. When the reader of standard output goes away
(export | head) export stops and exits 0: the reader chose to stop.
${EXIT_HELP}

Examples:
  $ dprk-taxii export --collection dprk-crypto-context -o context.json
  $ dprk-taxii export --collection dprk-crypto-indicators | head -c 300`)
    .action(async (opts: { collection: string; output?: string }) => {
      const config = deps.config();
      const target = findCollection(config, opts.collection);
      if (!target) throw new CliExit(EXIT.usage, `no collection "${opts.collection}" is configured; the configured ones are: ${deps.listCollections(config)}`);
      const rt = await deps.runtime(config);
      try {
        if (!opts.output) {
          process.stdout.prependListener('error', onStdoutError);
          await writeBundle(rt, target.id, process.stdout, 'standard output');
          return;
        }
        const output = await openOutput(opts.output);
        let count: number;
        try {
          count = await writeBundle(rt, target.id, output.stream, output.name, (c) => process.stderr.write(`exported ${n(c)} objects\n`));
        } catch (e) {
          output.abort();
          throw e;
        }
        await output.commit();
        process.stderr.write(`exported ${n(count)} objects to ${opts.output}\n`);
      } finally {
        await rt.close();
      }
    });
}
