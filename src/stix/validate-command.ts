/**
 * `validate <file|->`: checks a STIX bundle, a TAXII envelope or one STIX object offline with the same
 * validator the server uses. Types and properties defined by an extension-definition in the input (or,
 * with --collection, stored in that collection) are the STIX 2.1 extension mechanism, not custom content.
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { validateBundleOrEnvelope, type ContainerResult } from './container';
import { createStixValidator } from './validator';
import type { Finding, ObjectValidator } from './validation-result';

const PROGRESS_EVERY = 10_000;

/** Compiled once per process: the schemas and pattern cache are shared by every run. */
let validator: ObjectValidator | undefined;

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
  /** A collection id or alias: its custom-content setting and its stored extension-definitions apply. */
  collection?: string;
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
    return 1;
  }
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
  const result = validateBundleOrEnvelope(doc, validator, { allowCustom: options.allowCustom ?? collection?.allowCustom ?? false }, {
    stored: collection?.stored,
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
  out += (r.kind === 'object' ? `${source}: one ${r.objects[0]?.type ?? 'STIX'} object: ` : `${source}: ${what} with ${r.objects.length} object${r.objects.length === 1 ? '' : 's'}: `)
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
  2  usage or I/O: the input could not be read, or --collection names no configured collection or its database is unreachable

Examples:
  $ dprk-taxii validate seed/dprk-crypto-indicators/dprk-crypto-indicators.json
  $ cat seed/dprk-crypto-context/dprk-crypto-context.json | dprk-taxii validate - --json
  $ dprk-taxii validate seed/dprk-crypto-context/dprk-crypto-context.json --collection dprk-crypto-context

Progress is reported on stderr every ${PROGRESS_EVERY.toLocaleString('en-US')} objects for large files.`)
    .action(async (file: string, opts: ValidateOptions) => {
      process.exitCode = await runValidate(file, opts, defaultIo, lookup);
    });
}
