/**
 * `import <file> --collection <c>`: streams a bundle or envelope of any size into the collection in
 * envelopes of the configured size (server.max_objects_per_envelope, or --batch-size), each validated
 * and stored as a POST would be, with progress on standard error and a summary on standard output.
 * With `--queue`, the envelopes go to the asynchronous ingest queue (src/ingest) as a large POST does,
 * for the running servers' workers to store; `--wait` works on the queue here too and waits for the end.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { SingleBar } from 'cli-progress';
import type { Runtime } from '../server';
import { SYSTEM } from '../server';
import { microsToTimestamp } from '../common/time';
import type { PostedObject } from '../taxii/envelope-parser';
import { DocumentShapeError, jsonErrorMessage, streamObjects, topLevel, type DocumentShape } from './object-stream';
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
    const shape: DocumentShape = { members: [], hasObjects: false };
    let members = 0;
    for await (const member of streamObjects(stream, shape)) {
      members++;
      try {
        JSON.parse(member.text);
      } catch (e) {
        throw new DocumentShapeError(`objects[${member.index}] is not valid JSON (${jsonErrorMessage(e)})`);
      }
      batch.push(member.text);
      if (batch.length >= opts.batchSize) await flush();
    }
    await flush();
    refuseEmptyBundle(shape, members);
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

/**
 * A bundle with an empty objects list is refused as `validate` refuses it (rule bundle.objects-empty):
 * STIX 2.1 §2.12 forbids an empty list in place of leaving an optional property out. A bundle without
 * objects imports nothing, and a TAXII envelope may have an empty list.
 */
function refuseEmptyBundle(shape: DocumentShape, members: number): void {
  if (members === 0 && shape.hasObjects && topLevel(shape, 'type') === 'bundle') {
    throw new DocumentShapeError('a bundle\'s objects must not be an empty list (STIX 2.1 §8, §2.12); add objects or leave objects out [bundle.objects-empty]');
  }
}

export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
}

export interface QueuedImport {
  objects: number;
  /** The status ids of the queued envelopes (GET /{api-root}/status/{id}/, as an administrator). */
  statusIds: string[];
  /** With --wait: the outcome once every envelope is complete. */
  done?: ImportSummary;
}

/** `import --queue [--wait]`: the file's objects queued in envelopes of `batchSize`, as asynchronous POSTs. */
export async function runQueuedImport(
  rt: Runtime,
  target: { root: string; id: string },
  file: string,
  opts: { batchSize: number; wait: boolean; pollMs?: number },
  io: ImportIo,
): Promise<QueuedImport> {
  try {
    if (fs.statSync(file).isDirectory()) throw new CliExit(EXIT.usage, `${file} is a directory; name a JSON file`);
  } catch (e) {
    if (e instanceof CliExit) throw e;
    throw new CliExit(EXIT.usage, `cannot read ${file}: ${ioReason(e)}`);
  }
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const result: QueuedImport = { objects: 0, statusIds: [] };
  let batch: PostedObject[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const status = await rt.ingest.queue.enqueue({
      statusId: randomUUID(),
      requestTimestamp: microsToTimestamp(Date.now() * 1000),
      principal: SYSTEM,
      apiRoot: target.root,
      collectionId: target.id,
      posted: batch,
    });
    result.objects += batch.length;
    result.statusIds.push(status.id);
    io.progress.write(`queued ${n(batch.length)} objects as status ${status.id}\n`);
    batch = [];
  };
  try {
    const shape: DocumentShape = { members: [], hasObjects: false };
    let members = 0;
    for await (const member of streamObjects(stream, shape)) {
      members++;
      let value: unknown;
      try {
        value = JSON.parse(member.text);
      } catch (e) {
        throw new DocumentShapeError(`objects[${member.index}] is not valid JSON (${jsonErrorMessage(e)})`);
      }
      batch.push({ raw: member.text, value });
      if (batch.length >= opts.batchSize) await flush();
    }
    refuseEmptyBundle(shape, members);
    await flush();
  } catch (e) {
    const before = result.objects ? `; the ${n(result.objects)} objects before it were queued (statuses ${result.statusIds.join(', ')})` : '; nothing was queued';
    if (e instanceof DocumentShapeError) throw new CliExit(EXIT.invalid, `${file}: ${e.message}${before}`);
    throw e;
  } finally {
    stream.destroy();
  }
  await rt.services.audit.record(`cli:${osUser()}`, 'objects.add', `${target.root}/collections/${target.id}`, {
    remoteAddr: 'local',
    details: { file: path.basename(file), total: result.objects, queued: true, status_ids: result.statusIds },
  });
  io.out(`${file}: ${n(result.objects)} objects queued in ${n(result.statusIds.length)} envelope(s); status ${result.statusIds.join(', ')}`);
  if (!opts.wait || !result.objects) return result;

  // This process works on the queue too (alongside any running server), and reports until the end.
  rt.ingest.worker.start();
  const summary: ImportSummary = { objects: result.objects, added: 0, unchanged: 0, failed: 0, failures: [] };
  let last = '';
  for (;;) {
    let stored = 0;
    let complete = true;
    summary.added = summary.unchanged = summary.failed = 0;
    summary.failures = [];
    for (const id of result.statusIds) {
      const st = await rt.stores.ingest.status(id);
      if (!st) continue;
      if (st.status !== 'complete') complete = false;
      const unchanged = st.successes.filter((d) => d.message?.startsWith('already present')).length;
      summary.added += st.success_count - unchanged;
      summary.unchanged += unchanged;
      summary.failed += st.failure_count;
      stored += st.success_count + st.failure_count;
      for (const f of st.failures) if (summary.failures.length < SHOWN_FAILURES) summary.failures.push(`${f.id}: ${f.message}`);
    }
    const line = `progress: ${n(stored)} of ${n(result.objects)} objects processed: ${n(summary.added)} added, ${n(summary.unchanged)} already present, ${n(summary.failed)} failed\n`;
    if (line !== last) io.progress.write(line);
    last = line;
    if (complete) break;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
  io.out(`${file}: ${n(summary.objects)} objects: ${n(summary.added)} added, ${n(summary.unchanged)} already present, ${n(summary.failed)} failed`);
  result.done = summary;
  return result;
}
