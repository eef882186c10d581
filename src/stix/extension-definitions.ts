/**
 * STIX 2.1 §7.3: an extension-definition defines new object types (new-sdo, new-sco, new-sro) and new
 * properties (property-extension, toplevel-property-extension). Content that uses a definition present
 * in the same input, or already stored in the collection, is the extension mechanism at work, not custom
 * content (§11), so it is accepted where custom content is not.
 */
import type { ExtensionKnowledge } from './validation-result';

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
    const kind = NEW_TYPE[ext.extension_type];
    if (kind && definitions.get(key)?.includes(ext.extension_type)) return kind;
  }
  return undefined;
}

/**
 * What the validator needs to know about extensions for a set of objects: the definitions in them
 * plus those given (stored in the collection), and the types those definitions introduce.
 */
export function extensionKnowledge(objects: readonly unknown[], stored: Iterable<unknown> = []): ExtensionKnowledge {
  const definitions = definitionsIn(objects, definitionsIn(stored));
  const types = new Map<string, 'sdo' | 'sco' | 'sro'>();
  if (definitions.size) {
    for (const o of [...objects, ...stored]) {
      if (!isObject(o) || typeof o.type !== 'string') continue;
      const kind = definedNewType(o, definitions);
      if (kind) types.set(o.type, kind);
    }
  }
  return { definitions, types };
}
