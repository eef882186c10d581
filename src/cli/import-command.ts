/**
 * `import <file> --collection <c>`: streams a bundle or envelope of any size into the collection in
 * envelopes of the configured size (server.max_objects_per_envelope, or --batch-size), each validated
 * and stored as a POST would be, with progress on standard error and a summary on standard output.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Runtime } from '../server';
import { SYSTEM } from '../server';
import { DocumentShapeError, streamObjects } from './object-stream';
import { CliExit, EXIT } from './exit';

export interface ImportIo {
  out: (line: string) => void;
  /** Where progress goes; a terminal gets a progress bar, anything else plain lines. */
  progress: NodeJS.WritableStream & { isTTY?: boolean };
  now?: () => number;
}

export interface ImportSummary {
  objects: number;
  added: number;
  unchanged: number;
  failed: number;
  failures: string[];
}

const SHOWN_FAILURES = 20;
const n = (x: number) => x.toLocaleString('en-US');

export function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

export async function runImport(rt: Runtime, target: { root: string; id: string }, file: string, opts: { batchSize: number }, io: ImportIo): Promise<ImportSummary> {
  const now = io.now ?? Date.now;
  let size: number;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new CliExit(EXIT.usage, `${file} is a directory; name a JSON file`);
    size = st.size;
  } catch (e) {
    if (e instanceof CliExit) throw e;
    throw new CliExit(EXIT.usage, `cannot read ${file}: ${ioReason(e)}`);
  }
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const summary: ImportSummary = { objects: 0, added: 0, unchanged: 0, failed: 0, failures: [] };
  const started = now();
  const bar = io.progress.isTTY
    ? new SingleBar({
        stream: io.progress,
        format: 'importing {bar} {percentage}% | {objects} objects | {added} added, {unchanged} already present, {failed} failed | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 20,
      })
    : undefined;
  bar?.start(Math.max(size, 1), 0, { objects: '0', added: '0', unchanged: '0', failed: '0' });
  const report = () => {
    const done = { objects: n(summary.objects), added: n(summary.added), unchanged: n(summary.unchanged), failed: n(summary.failed) };
    if (bar) bar.update(Math.min(stream.bytesRead, size), done);
    else {
      const pct = size ? Math.floor((100 * Math.min(stream.bytesRead, size)) / size) : 100;
      io.progress.write(`progress: ${done.objects} objects (${pct}%): ${done.added} added, ${done.unchanged} already present, ${done.failed} failed\n`);
    }
  };

  let batch: string[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const status = await rt.services.objects.addObjects(SYSTEM, target.root, target.id, `{"objects":[${batch.join(',')}]}`, { recordStatus: false });
    const unchanged = status.successes.filter((s) => s.message?.startsWith('already present')).length;
    summary.objects += status.total_count;
    summary.added += status.success_count - unchanged;
    summary.unchanged += unchanged;
    summary.failed += status.failure_count;
    for (const f of status.failures) if (summary.failures.length < SHOWN_FAILURES) summary.failures.push(`${f.id}: ${f.message}`);
    batch = [];
    report();
  };

  let failure: unknown;
  try {
    for await (const member of streamObjects(stream)) {
      try {
        JSON.parse(member.text);
      } catch (e) {
        throw new DocumentShapeError(`objects[${member.index}] is not valid JSON (${(e as Error).message})`);
      }
      batch.push(member.text);
      if (batch.length >= opts.batchSize) await flush();
    }
    await flush();
  } catch (e) {
    failure = e;
  } finally {
    stream.destroy();
    bar?.stop();
  }
  if (summary.objects > 0) {
    await rt.services.audit.record(`cli:${osUser()}`, 'objects.add', `${target.root}/collections/${target.id}`, {
      remoteAddr: 'local',
      details: { file: path.basename(file), total: summary.objects, added: summary.added, unchanged: summary.unchanged, failed: summary.failed, complete: !failure },
    });
  }
  if (failure) {
    const before = summary.objects ? `; the ${n(summary.objects)} objects before it were processed (${n(summary.added)} added)` : '; nothing was imported';
    if (failure instanceof DocumentShapeError) throw new CliExit(EXIT.invalid, `${file}: ${failure.message}${before}`);
    if ((failure as NodeJS.ErrnoException).code && (failure as NodeJS.ErrnoException).syscall) throw new CliExit(EXIT.usage, `cannot read ${file}: ${ioReason(failure)}${before}`);
    throw failure;
  }
  const seconds = (now() - started) / 1000;
  io.out(
    `${file}: ${n(summary.objects)} objects: ${n(summary.added)} added, ${n(summary.unchanged)} already present, ${n(summary.failed)} failed` +
      ` (${seconds.toFixed(1)} s, ${n(Math.round(summary.objects / Math.max(seconds, 0.001)))} objects/s)`,
  );
  return summary;
}

export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
}
