/** `validate <file|->`: checks a STIX bundle or TAXII envelope offline with the same validator the server uses. */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { validateBundleOrEnvelope, type ContainerResult } from './container';
import { createStixValidator } from './validator';
import type { Finding } from './validation-result';

const PROGRESS_EVERY = 10_000;

export interface ValidateCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
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
}

/** Runs the command and returns its exit code: 0 valid, 1 invalid, 2 unreadable input. */
export async function runValidate(source: string, options: ValidateOptions, io: ValidateCommandIo = defaultIo): Promise<number> {
  const label = source === '-' ? 'standard input' : source;
  let text: string;
  try {
    text = source === '-' ? await io.readStdin() : fs.readFileSync(source, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    io.stderr(`error: cannot read ${label}: ${why}\n`);
    return 2;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    io.stderr(`error: ${label} is not valid JSON: ${(e as Error).message}\n`);
    return 2;
  }
  const validator = createStixValidator();
  const result = validateBundleOrEnvelope(doc, validator, { allowCustom: options.allowCustom ?? false }, {
    onObject: (done, total) => {
      if (total >= PROGRESS_EVERY && (done % PROGRESS_EVERY === 0 || done === total)) io.stderr(`validated ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} objects\n`);
    },
  });
  io.stdout(options.json ? JSON.stringify(toJson(label, result), null, 2) + '\n' : toText(label, result));
  return result.valid ? 0 : 1;
}

function toJson(source: string, r: ContainerResult): unknown {
  const invalid = r.objects.filter((o) => !o.result.valid).length;
  return {
    source,
    kind: r.kind,
    valid: r.valid,
    summary: { objects: r.objects.length, invalid, warnings: r.warnings.length + r.objects.reduce((n, o) => n + o.result.warnings.length, 0) },
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

function toText(source: string, r: ContainerResult): string {
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
  out += `${source}: ${what} with ${r.objects.length} object${r.objects.length === 1 ? '' : 's'}: `
    + (r.valid ? 'valid' : `INVALID (${invalid} invalid object${invalid === 1 ? '' : 's'}${r.errors.length ? `, ${r.errors.length} ${what} error${r.errors.length === 1 ? '' : 's'}` : ''})`)
    + `, ${warnings} warning${warnings === 1 ? '' : 's'}\n`;
  return out;
}

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .argument('<file>', 'a JSON file holding a STIX 2.1 bundle or a TAXII 2.1 envelope; "-" reads standard input')
    .description('Validate STIX 2.1 content with the server\'s own rules: JSON Schemas per type, patterns, timestamps, references, SCO ids, vocabularies and markings')
    .option('--json', 'print a machine-readable JSON report instead of text')
    .option('--allow-custom', 'accept custom object types, properties and extensions, as a collection with custom content enabled would')
    .addHelpText('after', `
Exit status:
  0  every object is valid (warnings do not count)
  1  at least one object, or the bundle/envelope itself, is invalid
  2  the input could not be read or is not JSON

Examples:
  $ dprk-taxii validate seed/feed.json
  $ cat bundle.json | dprk-taxii validate - --json
  $ dprk-taxii validate export.json --allow-custom

Progress is reported on stderr every ${PROGRESS_EVERY.toLocaleString('en-US')} objects for large files.`)
    .action(async (file: string, opts: ValidateOptions) => {
      process.exitCode = await runValidate(file, opts);
    });
}
