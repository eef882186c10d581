/**
 * `validate <file|->`: checks a STIX bundle, a TAXII envelope or one STIX object offline with the same
 * validator the server uses. Types and properties defined by an extension-definition in the input (or,
 * with --collection, stored in that collection) are the STIX 2.1 extension mechanism, not custom content.
 */
import * as fs from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import type { Command } from 'commander';
import { DocumentShapeError, jsonErrorMessage, skeleton, streamObjects, withoutBom, type DocumentShape } from '../cli/object-stream';
import { batchExtensions, memberOutcome, validateBundleOrEnvelope, type ContainerResult, type ObjectOutcome } from './container';
import { createStixValidator } from './validator';
import type { Finding, ObjectValidator } from './validation-result';

const PROGRESS_EVERY = 10_000;
/**
 * Files larger than this are read twice as a stream (src/cli/object-stream.ts, as `import` reads them)
 * instead of as one string, which V8 caps at 512 MiB and whose parsed form takes several times its size.
 */
export const STREAM_ABOVE_BYTES = 64 << 20;
const NEW_TYPE_EXTENSIONS: ReadonlySet<unknown> = new Set(['new-sdo', 'new-sco', 'new-sro']);

/** Compiled once per process: the schemas and pattern cache are shared by every run. */
let validator: ObjectValidator | undefined;

export interface ValidateCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  /** Reads a file over the streaming threshold (default: fs.createReadStream in 1 MiB chunks). */
  openStream?: (file: string) => AsyncIterable<string | Buffer>;
  /** Told the exit code before the report is written (a reader that goes away does not change it). */
  verdict?: (code: number) => void;
}

const defaultIo: ValidateCommandIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

export interface ValidateOptions {
  json?: boolean;
  allowCustom?: boolean;
  /** A collection id or alias: its custom-content setting and its stored extension-definitions apply. */
  collection?: string;
  /** Files larger than this many bytes are streamed (default STREAM_ABOVE_BYTES; lowered by tests). */
  streamAboveBytes?: number;
}

/** What a collection holds that validation needs (looked up by the command line, which has the store). */
export interface CollectionContext {
  allowCustom: boolean;
  /** Its stored extension-definitions. */
  stored: unknown[];
}

export type CollectionLookup = (idOrAlias: string) => Promise<CollectionContext>;

/** Runs the command and returns its exit code: 0 valid, 1 invalid (or not JSON), 2 unreadable input or unusable options. */
export async function runValidate(source: string, options: ValidateOptions, io: ValidateCommandIo = defaultIo, lookup?: CollectionLookup): Promise<number> {
  const label = source === '-' ? 'standard input' : source;
  const cannotRead = (e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    io.stderr(`error: cannot read ${label}: ${why}\n`);
    return 2;
  };
  let size = 0;
  if (source !== '-') {
    try {
      const st = fs.statSync(source);
      if (st.isDirectory()) return cannotRead(Object.assign(new Error('directory'), { code: 'EISDIR' }));
      size = st.size;
    } catch (e) {
      return cannotRead(e);
    }
  }
  const ctx = async (): Promise<{ allowCustom: boolean; stored?: unknown[] } | number> => {
    let collection: CollectionContext | undefined;
    if (options.collection) {
      if (!lookup) {
        io.stderr('error: --collection needs the server configuration and database\n');
        return 2;
      }
      try {
        collection = await lookup(options.collection);
      } catch (e) {
        io.stderr(`error: ${(e as Error).message}\n`);
        return 2;
      }
    }
    validator ??= createStixValidator();
    return { allowCustom: options.allowCustom ?? collection?.allowCustom ?? false, stored: collection?.stored };
  };
  const report = (result: ContainerResult, total = result.objects.length): number => {
    const code = result.valid ? 0 : 1;
    io.verdict?.(code);
    io.stdout(options.json ? JSON.stringify(toJson(label, result, total), null, 2) + '\n' : toText(label, result, total));
    return code;
  };

  if (source !== '-' && size > (options.streamAboveBytes ?? STREAM_ABOVE_BYTES)) {
    const streamed = await validateStream(source, size, label, io, ctx);
    if (typeof streamed === 'number') return streamed;
    if (streamed) return report(streamed.result, streamed.total);
    // One STIX object, or not a well-formed bundle or envelope: read whole, as a smaller file is, if it fits.
    if (size >= bufferConstants.MAX_STRING_LENGTH) {
      io.stderr(`error: ${label} is too large to read as one JSON document; only a bundle or an envelope {"objects": [...]} is read as a stream\n`);
      return 2;
    }
  }
  let text: string;
  try {
    text = withoutBom(source === '-' ? await io.readStdin() : fs.readFileSync(source, 'utf8'));
  } catch (e) {
    return cannotRead(e);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    io.stderr(`error: ${label} is not valid JSON: ${jsonErrorMessage(e)}\n`);
    return 1;
  }
  const c = await ctx();
  if (typeof c === 'number') return c;
  const result = validateBundleOrEnvelope(doc, validator!, { allowCustom: c.allowCustom }, {
    stored: c.stored,
    onObject: (done, total) => {
      if (total >= PROGRESS_EVERY && (done % PROGRESS_EVERY === 0 || done === total)) io.stderr(`validated ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} objects\n`);
    },
  });
  return report(result);
}

/**
 * A bundle or envelope validated as a stream with the findings validateBundleOrEnvelope gives for the whole
 * document. The first pass reads the top-level members and what extensionKnowledge needs (the
 * extension-definitions, and one object per type/new-type-extension combination); the second validates
 * each object. Objects with no finding are counted, not kept. Returns undefined when the document is not a
 * bundle or envelope (for the caller to read it whole), or an exit code after an error.
 */
async function validateStream(
  file: string,
  size: number,
  label: string,
  io: ValidateCommandIo,
  context: () => Promise<{ allowCustom: boolean; stored?: unknown[] } | number>,
): Promise<{ result: ContainerResult; total: number } | number | undefined> {
  const read = () => (io.openStream ?? ((f: string) => fs.createReadStream(f, { encoding: 'utf8', highWaterMark: 1 << 20 })))(file);
  const shape: DocumentShape = { members: [], hasObjects: false };
  const definitions: unknown[] = [];
  const carriers = new Map<string, unknown>();
  let total = 0;
  const parse = (text: string, index: number): unknown => {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new DocumentShapeError(`objects[${index}] is not valid JSON (${jsonErrorMessage(e)})`);
    }
  };
  const run = async <T>(pass: () => Promise<T>): Promise<T | number | undefined> => {
    try {
      return await pass();
    } catch (e) {
      if (e instanceof DocumentShapeError) {
        // Not a well-formed bundle or envelope: the whole-document path says what it is, where it can.
        if (size < bufferConstants.MAX_STRING_LENGTH) return undefined;
        io.stderr(`error: ${label}: ${e.message}\n`);
        return 1;
      }
      const { code, syscall } = e as NodeJS.ErrnoException;
      if (!syscall) throw e;
      io.stderr(`error: cannot read ${label}: ${code === 'EACCES' ? 'permission denied' : (e as Error).message}\n`);
      return 2;
    }
  };

  const first = await run(async () => {
    for await (const m of streamObjects(read(), shape)) {
      total++;
      if (total % PROGRESS_EVERY === 0) io.stderr(`read ${total.toLocaleString('en-US')} objects\n`);
      const o = parse(m.text, m.index);
      if (!isObject(o)) continue;
      if (o.type === 'extension-definition') definitions.push(o);
      const carried = newTypeExtensions(o);
      if (carried) {
        // Only the last object of each combination can decide a type in extensionKnowledge.
        const key = JSON.stringify(carried);
        carriers.delete(key);
        carriers.set(key, carried);
      }
    }
    return true as const;
  });
  if (first !== true) return first;
  const doc = skeleton(shape);
  const isEnvelope = doc.type === undefined && Array.isArray(doc.objects);
  if (doc.type !== 'bundle' && !isEnvelope) return undefined;

  const c = await context();
  if (typeof c === 'number') return c;
  // The container's own findings, from the document without its members (an empty list is judged by the count).
  const container = validateBundleOrEnvelope(doc, validator!, { allowCustom: c.allowCustom });
  const errors = container.errors.filter((f) => total === 0 || f.rule !== 'bundle.objects-empty');
  const warnings = [...container.warnings];
  const extensions = batchExtensions([...definitions, ...carriers.values()], c.stored, undefined);
  const ctx = { allowCustom: c.allowCustom };
  const kept: ObjectOutcome[] = [];
  const seen = new Set<string>();
  let done = 0;
  let valid = errors.length === 0;
  const second = await run(async () => {
    for await (const m of streamObjects(read())) {
      const o = parse(m.text, m.index);
      const result = validator!.validate(o, extensions ? { ...ctx, extensions } : ctx);
      const outcome = memberOutcome(o, m.index, result, seen, warnings);
      if (!result.valid) valid = false;
      if (result.errors.length || result.warnings.length) kept.push(outcome);
      done++;
      if (total >= PROGRESS_EVERY && (done % PROGRESS_EVERY === 0 || done === total)) io.stderr(`validated ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} objects\n`);
    }
    return true as const;
  });
  if (second !== true) return second;
  return { result: { kind: container.kind, valid, errors, warnings, objects: kept }, total: done };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What definedNewType reads of an object that carries a new-sdo/-sco/-sro extension: its type and those extensions. */
function newTypeExtensions(o: Record<string, unknown>): Record<string, unknown> | undefined {
  const exts = o.extensions;
  if (!isObject(exts) || typeof o.type !== 'string') return undefined;
  let carried: Record<string, unknown> | undefined;
  for (const [key, ext] of Object.entries(exts)) {
    if (isObject(ext) && NEW_TYPE_EXTENSIONS.has(ext.extension_type)) {
      carried ??= {};
      Object.defineProperty(carried, key, { value: { extension_type: ext.extension_type }, enumerable: true, writable: true, configurable: true });
    }
  }
  return carried && { type: o.type, extensions: carried };
}

function toJson(source: string, r: ContainerResult, total: number): unknown {
  const invalid = r.objects.filter((o) => !o.result.valid).length;
  return {
    source,
    kind: r.kind,
    valid: r.valid,
    summary: { objects: total, invalid, warnings: r.warnings.length + r.objects.reduce((n, o) => n + o.result.warnings.length, 0) },
    errors: r.errors,
    warnings: r.warnings,
    objects: r.objects
      .filter((o) => o.result.errors.length > 0 || o.result.warnings.length > 0)
      .map((o) => ({ index: o.index, id: o.id, type: o.type, valid: o.result.valid, errors: o.result.errors, warnings: o.result.warnings })),
  };
}

function line(prefix: string, f: Finding): string {
  return `  ${prefix} ${f.pointer || '/'}: ${f.message} [${f.rule}]\n`;
}

function toText(source: string, r: ContainerResult, total: number): string {
  let out = '';
  for (const f of r.errors) out += line('error  ', f);
  for (const f of r.warnings) out += line('warning', f);
  let invalid = 0;
  let warnings = r.warnings.length;
  for (const o of r.objects) {
    warnings += o.result.warnings.length;
    if (!o.result.valid) invalid++;
    if (o.result.errors.length === 0 && o.result.warnings.length === 0) continue;
    out += `objects[${o.index}] ${o.id ?? o.type ?? '(no id)'}${o.result.valid ? '' : ' INVALID'}\n`;
    for (const f of o.result.errors) out += line('error  ', f);
    for (const f of o.result.warnings) out += line('warning', f);
  }
  const what = r.kind === 'unknown' ? 'document' : r.kind;
  out += (r.kind === 'object' ? `${source}: one ${r.objects[0]?.type ?? 'STIX'} object: ` : `${source}: ${what} with ${total} object${total === 1 ? '' : 's'}: `)
    + (r.valid ? 'valid' : `INVALID (${invalid} invalid object${invalid === 1 ? '' : 's'}${r.errors.length ? `, ${r.errors.length} ${what} error${r.errors.length === 1 ? '' : 's'}` : ''})`)
    + `, ${warnings} warning${warnings === 1 ? '' : 's'}\n`;
  return out;
}

export function registerValidateCommand(program: Command, lookup?: CollectionLookup): void {
  program
    .command('validate')
    .argument('<file>', 'a JSON file holding a STIX 2.1 bundle, a TAXII 2.1 envelope or one STIX object; "-" reads standard input')
    .description('Validate STIX 2.1 content with the server\'s own rules: JSON Schemas per type, patterns, timestamps, references, SCO ids, vocabularies and markings')
    .option('--json', 'print a machine-readable JSON report instead of text')
    .option('--allow-custom', 'accept custom object types, properties and extensions, as a collection with custom content enabled would')
    .option('-c, --collection <id-or-alias>', 'validate as a POST to this collection would: its custom-content setting, and the extension-definitions stored in it')
    .addHelpText('after', `
Types and properties defined by an extension-definition in the same input (or stored in the --collection)
are the STIX 2.1 extension mechanism (§7.3), not custom content: no --allow-custom is needed for them.

Exit status:
  0  every object is valid (warnings do not count)
  1  invalid content: at least one object, or the bundle/envelope itself, is invalid, or the input is not JSON
  2  usage or I/O: the input could not be read, the report could not be written, or --collection names no configured collection or its database is unreachable
The status is the verdict on the content even when the reader of the report stops early (validate f.json | head -1).

Examples:
  $ dprk-taxii validate seed/dprk-crypto-indicators/dprk-crypto-indicators.json
  $ cat seed/dprk-crypto-context/dprk-crypto-context.json | dprk-taxii validate - --json
  $ dprk-taxii validate seed/dprk-crypto-context/dprk-crypto-context.json --collection dprk-crypto-context

Progress is reported on stderr every ${PROGRESS_EVERY.toLocaleString('en-US')} objects for large files. A file over
${STREAM_ABOVE_BYTES >> 20} MiB holding a bundle or an envelope is read as a stream (twice: extension-definitions first), as import reads it,
so its size is not limited by memory; a UTF-8 byte-order mark at the start is accepted.`)
    .action(async (file: string, opts: ValidateOptions) => {
      let verdict: number | undefined;
      // Before the program's own listener (which ends other commands with 0 on EPIPE): the verdict on the
      // content does not depend on whether anyone reads the report to the end.
      process.stdout.prependListener('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE' && verdict !== undefined) process.exit(verdict);
        process.stderr.write(`error: cannot write standard output: ${e.message}\n`);
        process.exit(2);
      });
      process.exitCode = await runValidate(file, { json: opts.json, allowCustom: opts.allowCustom, collection: opts.collection }, { ...defaultIo, verdict: (code) => (verdict = code) }, lookup);
    });
}
