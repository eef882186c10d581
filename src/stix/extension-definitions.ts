/**
 * STIX 2.1 §7.3: an extension-definition defines new object types (new-sdo, new-sco, new-sro) and new
 * properties (property-extension, toplevel-property-extension). Content that uses a definition present
 * in the same input, or already stored in the collection, is the extension mechanism at work, not custom
 * content (§11), so it is accepted where custom content is not.
 */
import type { ExtensionKnowledge } from './validation-result';
import { own } from '../common/own';

type Obj = Record<string, unknown>;

const NEW_TYPE: Readonly<Record<string, 'sdo' | 'sco' | 'sro'>> = { 'new-sdo': 'sdo', 'new-sco': 'sco', 'new-sro': 'sro' };

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The extension-definitions among `objects` (id → extension_types). */
export function definitionsIn(objects: Iterable<unknown>, into = new Map<string, readonly string[]>()): Map<string, readonly string[]> {
  for (const o of objects) {
    if (isObject(o) && o.type === 'extension-definition' && typeof o.id === 'string' && Array.isArray(o.extension_types)) {
      into.set(o.id, o.extension_types.filter((t): t is string => typeof t === 'string'));
    }
  }
  return into;
}

/**
 * The object type an object introduces through a defined new-sdo/new-sco/new-sro extension it carries,
 * with its kind; undefined when it carries none.
 */
export function definedNewType(object: Obj, definitions: ReadonlyMap<string, readonly string[]>): 'sdo' | 'sco' | 'sro' | undefined {
  const exts = object.extensions;
  if (!isObject(exts)) return undefined;
  for (const [key, ext] of Object.entries(exts)) {
    if (!isObject(ext) || typeof ext.extension_type !== 'string') continue;
    const kind = own(NEW_TYPE, ext.extension_type);
    if (kind && definitions.get(key)?.includes(ext.extension_type)) return kind;
  }
  return undefined;
}

const TYPE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * Types named by the `name` of a definition that introduces exactly one new type. Publishers name such a
 * definition after the type it defines, so an input holding only the definition and indicators whose
 * patterns use the type (a list of indicators without their observables) still knows the type; an object
 * of that type must still carry the extension to be accepted where custom content is not.
 */
function namedNewTypes(objects: Iterable<unknown>): Map<string, 'sdo' | 'sco' | 'sro'> {
  const named = new Map<string, 'sdo' | 'sco' | 'sro'>();
  for (const o of objects) {
    if (!isObject(o) || o.type !== 'extension-definition' || !Array.isArray(o.extension_types) || typeof o.name !== 'string') continue;
    const kinds = o.extension_types.filter((t): t is string => typeof t === 'string' && own(NEW_TYPE, t) !== undefined);
    if (kinds.length === 1 && TYPE_NAME.test(o.name) && o.name.length >= 3 && o.name.length <= 250) named.set(o.name, own(NEW_TYPE, kinds[0]!)!);
  }
  return named;
}

/**
 * What the validator needs to know about extensions for a set of objects: the definitions in them
 * plus those given (stored in the collection), and the types those definitions introduce.
 */
export function extensionKnowledge(objects: readonly unknown[], stored: Iterable<unknown> = []): ExtensionKnowledge {
  const definitions = definitionsIn(objects, definitionsIn(stored));
  const schemas = new Map<string, unknown>();
  for (const o of [...stored, ...objects]) {
    if (isObject(o) && o.type === 'extension-definition' && typeof o.id === 'string' && definitions.has(o.id)) schemas.set(o.id, o.schema);
  }
  const types = new Map<string, 'sdo' | 'sco' | 'sro'>();
  for (const [type, kind] of namedNewTypes([...objects, ...stored])) types.set(type, kind);
  if (definitions.size) {
    for (const o of [...objects, ...stored]) {
      if (!isObject(o) || typeof o.type !== 'string') continue;
      const kind = definedNewType(o, definitions);
      if (kind) types.set(o.type, kind);
    }
  }
  return { definitions, schemas, types };
}
