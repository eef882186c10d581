/**
 * STIX 2.1 §7.3: an extension-definition's `schema` is "the normative definition of the extension, either
 * as a URL or as plain text". Extension content is checked against it when it is a JSON Schema the server
 * can load without the network: a schema shipped in schemas/extensions (named after the definition id), or
 * a `schema` string that is itself a JSON Schema document. URLs are never fetched; such content is accepted
 * with an `extension.schema-unavailable` warning.
 *
 * A client-supplied schema is client input: it is refused (treated as unavailable) when it refers to other
 * documents, is larger than 64 KiB, or has a `pattern` that could backtrack (backreferences, lookarounds,
 * a quantified group that contains a quantifier or an alternation); and no pattern of such a schema is run
 * on strings longer than 4,096 characters (they fail it), so a quadratic pattern stays bounded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { fromRoot } from '../common/paths';
import { TLP2_EXTENSION_ID } from './markings';

const MAX_SCHEMA_CHARS = 64 * 1024;
const MAX_PATTERN_INPUT = 4096;
const MAX_CACHED = 1000;

/** The outcome for one extension: a validator, content checked elsewhere ("builtin"), or why there is none. */
export type ExtensionSchema = { kind: 'validator'; validate: ValidateFunction } | { kind: 'builtin' } | { kind: 'unavailable'; why: string };

/** Linear-time RegExp use for client schemas: strings beyond MAX_PATTERN_INPUT never match. */
function boundedRegExp(pattern: string, flags: string): { test: (s: string) => boolean; toString: () => string } {
  const re = new RegExp(pattern, flags);
  return { test: (s: string): boolean => s.length <= MAX_PATTERN_INPUT && re.test(s), toString: () => `bounded:${re.toString()}` };
}
/** Ajv names the engine in generated code; these schemas are never compiled to standalone code. */
boundedRegExp.code = 'boundedRegExp';

/**
 * Whether a regular expression cannot backtrack exponentially: no backreferences or lookarounds, and no
 * repeating quantifier (*, +, {n,m}) applied to a group that itself holds a quantifier or an alternation.
 * Conservative (it also refuses some safe expressions such as (a|b)+). One pass, no regex.
 */
export function isBacktrackSafePattern(source: string): boolean {
  const groups: Array<{ risky: boolean }> = [];
  let lastGroupRisky = false;
  let top: { risky: boolean } = { risky: false };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const n = source[i + 1];
      if (n !== undefined && ((n >= '1' && n <= '9') || n === 'k')) return false;
      i++;
      lastGroupRisky = false;
      continue;
    }
    if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      lastGroupRisky = false;
      continue;
    }
    if (c === '(') {
      if (source[i + 1] === '?' && (source[i + 2] === '=' || source[i + 2] === '!' || source[i + 2] === '<' && (source[i + 3] === '=' || source[i + 3] === '!'))) return false;
      groups.push(top);
      top = { risky: false };
      lastGroupRisky = false;
      continue;
    }
    if (c === ')') {
      const inner = top;
      top = groups.pop() ?? { risky: false };
      lastGroupRisky = inner.risky;
      if (inner.risky) top.risky = true;
      continue;
    }
    if (c === '|') {
      top.risky = true;
      lastGroupRisky = false;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      // An optional group (`?`) is matched at most once; repeating a group that can itself vary is what backtracks.
      if (lastGroupRisky && c !== '?') return false;
      top.risky = true;
      lastGroupRisky = false;
      continue;
    }
    lastGroupRisky = false;
  }
  return true;
}

function unsafeParts(node: unknown, depth = 0): string | undefined {
  if (depth > 64) return 'nests deeper than 64 levels';
  if (Array.isArray(node)) {
    for (const n of node) {
      const why = unsafeParts(n, depth + 1);
      if (why) return why;
    }
    return undefined;
  }
  if (typeof node !== 'object' || node === null) return undefined;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if ((k === '$ref' || k === '$dynamicRef') && (typeof v !== 'string' || !v.startsWith('#'))) return 'refers to another document (not fetched)';
    if (k === 'pattern' && typeof v === 'string' && !isBacktrackSafePattern(v)) return `has a pattern that could backtrack (${v.slice(0, 40)})`;
    if (k === 'patternProperties' && typeof v === 'object' && v !== null) {
      for (const p of Object.keys(v)) if (!isBacktrackSafePattern(p)) return `has a pattern that could backtrack (${p.slice(0, 40)})`;
    }
    const why = unsafeParts(v, depth + 1);
    if (why) return why;
  }
  return undefined;
}

export class ExtensionSchemas {
  private readonly known = new Map<string, ValidateFunction>();
  private inline!: Ajv2020;
  private readonly cache = new Map<string, ExtensionSchema>();

  constructor(dir: string = fromRoot('schemas', 'extensions')) {
    const shipped = new Ajv2020({ allErrors: true, strict: false });
    if (fs.existsSync(dir)) {
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
        this.known.set(file.slice(0, -5), shipped.compile(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as object));
      }
    }
    this.reset();
  }

  private reset(): void {
    this.inline = new Ajv2020({ allErrors: true, strict: false, logger: false, validateFormats: false, code: { regExp: boundedRegExp } });
    this.cache.clear();
  }

  /** The schema for the extension-definition `id` whose `schema` property is `schema` (undefined when the definition is unknown). */
  forDefinition(id: string, schema: unknown): ExtensionSchema {
    if (id === TLP2_EXTENSION_ID) return { kind: 'builtin' };
    const shipped = this.known.get(id);
    if (shipped) return { kind: 'validator', validate: shipped };
    if (typeof schema !== 'string') return { kind: 'unavailable', why: 'its extension-definition is neither in the input nor stored in the collection' };
    const text = schema.trim();
    if (!text.startsWith('{')) {
      return { kind: 'unavailable', why: /^https?:\/\//i.test(text) ? 'its schema is a URL, which the server does not fetch' : 'its schema is plain text, not a JSON Schema' };
    }
    const key = id + '\n' + text;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const result = this.compile(text);
    if (this.cache.size >= MAX_CACHED) this.reset();
    this.cache.set(key, result);
    return result;
  }

  private compile(text: string): ExtensionSchema {
    if (text.length > MAX_SCHEMA_CHARS) return { kind: 'unavailable', why: 'its inline JSON Schema is larger than 64 KiB' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { kind: 'unavailable', why: 'its schema starts like JSON but is not valid JSON' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { kind: 'unavailable', why: 'its schema is not a JSON Schema object' };
    const why = unsafeParts(parsed);
    if (why) return { kind: 'unavailable', why: `its inline JSON Schema ${why}` };
    const { $schema: _ignored, $id: _id, ...body } = parsed as Record<string, unknown>;
    try {
      return { kind: 'validator', validate: this.inline.compile(body) };
    } catch (e) {
      return { kind: 'unavailable', why: `its inline JSON Schema does not compile (${(e as Error).message.slice(0, 120)})` };
    }
  }
}
