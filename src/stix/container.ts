/**
 * Validation of a whole document: a STIX bundle (§8), a TAXII 2.1 envelope (§3.7) or a single STIX
 * object. The container is checked by hand and each member goes to the per-type validator, never through
 * one giant oneOf. Extension-definitions in the document (or given as stored) make what they define valid
 * where custom content is not (§7.3).
 */
import { extensionKnowledge } from './extension-definitions';
import { parseId, versionKey } from './ids';
import type { ExtensionKnowledge, Finding, ObjectValidator, ValidationContext, ValidationResult } from './validation-result';

export interface ObjectOutcome {
  index: number;
  id?: string;
  type?: string;
  result: ValidationResult;
}

export interface ContainerResult {
  kind: 'bundle' | 'envelope' | 'object' | 'unknown';
  /** true when the container and every object are valid. */
  valid: boolean;
  /** Findings about the container itself (pointers relative to the document). */
  errors: Finding[];
  warnings: Finding[];
  objects: ObjectOutcome[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const BUNDLE_KEYS: ReadonlySet<string> = new Set(['type', 'id', 'objects', 'spec_version']);
const ENVELOPE_KEYS: ReadonlySet<string> = new Set(['more', 'next', 'objects']);

export interface ContainerOptions {
  /** Called after each object, e.g. to report progress on large files. */
  onObject?: (index: number, total: number) => void;
  /** Per-object context (e.g. stored versions), defaulting to the shared one. */
  contextFor?: (object: unknown) => ValidationContext;
  /** Objects already stored in the target collection whose extension-definitions apply too. */
  stored?: readonly unknown[];
}

/**
 * What the extension-definitions of one batch (the objects sent together) and of the target collection
 * define: the one code path behind POST objects, `validate` and `validate --collection`.
 */
export function batchExtensions(objects: readonly unknown[], stored: readonly unknown[] = [], fallback?: ExtensionKnowledge): ExtensionKnowledge | undefined {
  const known = extensionKnowledge(objects, stored);
  return known.definitions.size ? known : fallback;
}

export function validateBundleOrEnvelope(doc: unknown, validator: ObjectValidator, ctx: ValidationContext, options: ContainerOptions = {}): ContainerResult {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  if (!isObject(doc)) {
    errors.push({ pointer: '', rule: 'container.type', message: 'the document must be a JSON object: a STIX bundle, a TAXII envelope or one STIX object' });
    return { kind: 'unknown', valid: false, errors, warnings, objects: [] };
  }
  let kind: ContainerResult['kind'];
  if (doc.type === 'bundle') {
    kind = 'bundle';
    if (typeof doc.id !== 'string' || !doc.id.startsWith('bundle--') || !parseId(doc.id)) {
      errors.push({ pointer: '/id', rule: 'bundle.id', message: 'a bundle needs an id of the form bundle--<UUID> with an RFC 4122 UUID (the first digit of its fourth group 8, 9, a or b)' });
    }
    if (doc.spec_version !== undefined) {
      warnings.push({ pointer: '/spec_version', rule: 'bundle.spec-version', message: 'bundles have no spec_version in STIX 2.1 (§8); remove it and set spec_version on each object' });
    }
    if (Array.isArray(doc.objects) && doc.objects.length === 0) {
      errors.push({ pointer: '/objects', rule: 'bundle.objects-empty', message: 'a bundle\'s objects must not be an empty list (STIX 2.1 §8); add objects or leave objects out' });
    }
    for (const k of Object.keys(doc)) {
      if (!BUNDLE_KEYS.has(k)) errors.push({ pointer: '/' + k, rule: 'bundle.property', message: `a bundle has only type, id and objects; remove "${k}"` });
    }
  } else if (doc.type === undefined && Array.isArray(doc.objects)) {
    kind = 'envelope';
    if (doc.more !== undefined && typeof doc.more !== 'boolean') errors.push({ pointer: '/more', rule: 'envelope.more', message: 'more must be a boolean' });
    if (doc.next !== undefined && typeof doc.next !== 'string') errors.push({ pointer: '/next', rule: 'envelope.next', message: 'next must be a string' });
    for (const k of Object.keys(doc)) {
      if (!ENVELOPE_KEYS.has(k)) warnings.push({ pointer: '/' + k, rule: 'envelope.property', message: `a TAXII envelope has only more, next and objects; "${k}" will be ignored` });
    }
  } else if (typeof doc.type === 'string') {
    kind = 'object';
  } else {
    errors.push({ pointer: '', rule: 'container.type', message: 'the document is neither a STIX bundle (type "bundle"), a TAXII envelope (an object with an objects list) nor a STIX object (an object with a type)' });
    return { kind: 'unknown', valid: false, errors, warnings, objects: [] };
  }
  const list = kind === 'object' ? [doc] : doc.objects;
  const objects: ObjectOutcome[] = [];
  if (list !== undefined && !Array.isArray(list)) {
    errors.push({ pointer: '/objects', rule: 'container.objects', message: 'objects must be a list of STIX objects' });
  } else if (Array.isArray(list)) {
    const seen = new Set<string>();
    const extensions = batchExtensions(list, options.stored, ctx.extensions);
    for (let i = 0; i < list.length; i++) {
      const o = list[i];
      const base = options.contextFor ? options.contextFor(o) : ctx;
      const result = validator.validate(o, extensions ? { ...base, extensions } : base);
      objects.push(memberOutcome(o, i, result, seen, warnings));
      options.onObject?.(i + 1, list.length);
    }
  }
  const valid = errors.length === 0 && objects.every((o) => o.result.valid);
  return { kind, valid, errors, warnings, objects };
}

/**
 * The outcome of the container's member at `index`, with its id and type; a second member with an (id, version)
 * already in `seen` is a warning (container.duplicate-version), as only one copy is kept.
 */
export function memberOutcome(o: unknown, index: number, result: ObjectOutcome['result'], seen: Set<string>, warnings: Finding[]): ObjectOutcome {
  const outcome: ObjectOutcome = { index, result };
  if (!isObject(o)) return outcome;
  if (typeof o.id === 'string') outcome.id = o.id;
  if (typeof o.type === 'string') outcome.type = o.type;
  if (typeof o.id === 'string') {
    const key = `${o.id}|${versionKey(o) ?? ''}`;
    if (seen.has(key)) {
      warnings.push({ pointer: `/objects/${index}`, rule: 'container.duplicate-version', message: `${o.id} appears more than once with the same version; only one copy will be kept` });
    } else seen.add(key);
  }
  return outcome;
}
