/**
 * The one STIX 2.1 object validator: the per-type JSON Schema (compiled once) plus the rules a schema
 * cannot express (timestamp order, reference targets, patterns, SCO ids, vocabularies, markings,
 * custom content, revocation). Findings use the shared result format in validation-result.ts.
 */
import type { ValidateFunction } from 'ajv';
import { computeScoId, idType, parseId, uuidVersion } from './ids';
import { WELL_KNOWN_EXTENSIONS } from './markings';
import { SCO_EXTENSIONS } from './object-types';
import { checkPattern, type PatternVocabulary } from './pattern/check';
import { parsePattern, PatternSyntaxError } from './pattern/parser';
import { COMMON_REFS, describeTarget, EXTENSION_REFS, MIME_PART_REFS, type RefTarget, TYPE_REFS } from './refs';
import { SchemaRegistry, type ObjectKind } from './schema-registry';
import { definedNewType } from './extension-definitions';
import { ExtensionSchemas } from './extension-schemas';
import { isLanguageTag } from './language-tag';
import { compareTimestamps, isStixTimestamp } from './timestamps';
import type { Finding, ObjectValidator, RuleId, ValidationContext, ValidationResult } from './validation-result';
import { VOCABULARY_PROPERTIES } from './vocabularies';
import { checkShoulds } from './shoulds';
import { checkMarkingDefinition, checkRevocation } from './stored-checks';

export type { ObjectValidator, ValidationContext, ValidationResult } from './validation-result';

import { checkHashNames, findEmptyLists, hasEmptyList, langFinding, selectorResolves, vocabFinding } from './object-checks';
import { isObject, ptr, schemaFindings, truncate, TYPE_NAME, type Obj } from './schema-findings';
import { own } from '../common/own';

const PROPERTY_NAME = /^[a-z0-9_]{3,250}$/;
const CUSTOM_EXTENSION_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*-ext$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;
/** Extension types whose schema describes the whole object rather than the extension's own entry (§7.3). */
const WHOLE_OBJECT_EXTENSIONS: ReadonlySet<string> = new Set(['new-sdo', 'new-sco', 'new-sro', 'toplevel-property-extension']);

/** §3.2–§5: ordering rules between two timestamp properties. `strict` means later-than, otherwise later-or-equal. */
interface OrderRule {
  earlier: string;
  later: string;
  strict: boolean;
  rule: RuleId;
}
const LAST_SEEN: OrderRule = { earlier: 'first_seen', later: 'last_seen', strict: false, rule: 'timestamp.last-seen-before-first-seen' };
const ORDER_RULES: Readonly<Record<string, readonly OrderRule[]>> = {
  campaign: [LAST_SEEN],
  'intrusion-set': [LAST_SEEN],
  'threat-actor': [LAST_SEEN],
  infrastructure: [LAST_SEEN],
  malware: [LAST_SEEN],
  sighting: [LAST_SEEN],
  indicator: [{ earlier: 'valid_from', later: 'valid_until', strict: true, rule: 'timestamp.valid-until-not-after-valid-from' }],
  'observed-data': [{ earlier: 'first_observed', later: 'last_observed', strict: false, rule: 'timestamp.last-observed-before-first-observed' }],
  relationship: [{ earlier: 'start_time', later: 'stop_time', strict: true, rule: 'timestamp.stop-time-not-after-start-time' }],
  'network-traffic': [{ earlier: 'start', later: 'end', strict: false, rule: 'timestamp.end-before-start' }],
};

class StixValidator implements ObjectValidator {
  private readonly patternVocabulary: PatternVocabulary;
  private readonly extensionSchemas: ExtensionSchemas;
  private readonly isSdo = (t: string): boolean => this.registry.kindOf(t) === 'sdo';
  private readonly patternCache = new Map<string, { error?: string; issues: ReturnType<typeof checkPattern> }>();

  constructor(readonly registry: SchemaRegistry, extensionSchemas?: ExtensionSchemas) {
    this.extensionSchemas = extensionSchemas ?? new ExtensionSchemas();
    this.patternVocabulary = {
      scoProperties: (t) => (registry.kindOf(t) === 'sco' ? registry.forType(t)!.properties : undefined),
      extensionProperties: (t, name) => registry.extensionProperties(t, name),
      isNonScoType: (t) => {
        const k = registry.kindOf(t);
        return k !== undefined && k !== 'sco';
      },
    };
  }

  validate(object: unknown, context: ValidationContext): ValidationResult {
    const errors: Finding[] = [];
    const warnings: Finding[] = [];
    if (!isObject(object)) {
      errors.push({ pointer: '', rule: 'schema.type', message: 'a STIX object must be a JSON object' });
      return { valid: false, errors, warnings };
    }
    const type = object.type;
    if (typeof type !== 'string') {
      errors.push({ pointer: '/type', rule: 'schema.required', message: 'type is required and must be a string naming the STIX object type' });
      return { valid: false, errors, warnings };
    }
    const entry = this.registry.forType(type);
    let kind: ObjectKind | 'custom-sdo' | 'custom-sco';
    let validate: ValidateFunction;
    let known: ReadonlySet<string> | undefined;
    let badTypeName = false;
    if (entry) {
      kind = entry.kind;
      validate = entry.validate;
      known = entry.properties;
    } else {
      if (type === 'bundle') {
        errors.push({ pointer: '/type', rule: 'object.bundle-nested', message: 'a bundle cannot be stored or nested as an object; send its objects instead' });
        return { valid: false, errors, warnings };
      }
      // A type introduced by an extension-definition the input or the collection holds is not custom (§7.3).
      const defined = context.extensions ? definedNewType(object, context.extensions.definitions) : undefined;
      if (!context.allowCustom && !defined) {
        errors.push({
          pointer: '/type', rule: 'custom.type-not-allowed',
          message: `"${truncate(type)}" is not a STIX 2.1 type and this collection does not accept custom objects; fix the type or use a collection that allows custom content`,
        });
        return { valid: false, errors, warnings };
      }
      if (!TYPE_NAME.test(type) || type.length < 3 || type.length > 250) {
        badTypeName = true;
        errors.push({ pointer: '/type', rule: 'custom.type-name', message: `custom type "${truncate(type)}" must be 3-250 characters of a-z, 0-9 and single hyphens (STIX 2.1 §11.1)` });
      } else if (!type.startsWith('x-') && !defined) {
        warnings.push({ pointer: '/type', rule: 'custom.type-prefix', message: `custom type "${type}" should start with "x-" (STIX 2.1 §11.1) or be defined by an extension-definition` });
      }
      const sco = defined ? defined === 'sco' : this.looksLikeSco(object);
      kind = sco ? 'custom-sco' : 'custom-sdo';
      validate = sco ? this.registry.customObservable : this.registry.customObject;
      known = undefined;
    }

    if (!validate(object)) {
      if (badTypeName) {
        // The type name is already reported; its echoes on /type and on the id derived from it would only repeat it.
        const rest: Finding[] = [];
        schemaFindings(validate.errors ?? [], type, rest);
        for (const f of rest) if (f.pointer !== '/type' && f.pointer !== '/id') errors.push(f);
      } else schemaFindings(validate.errors ?? [], type, errors);
    }

    const id = object.id;
    if (typeof id === 'string' && !badTypeName) {
      const t = idType(id);
      if (t !== undefined && t !== type) {
        errors.push({ pointer: '/id', rule: 'id.type-mismatch', message: `id must start with "${type}--" to match the object's type (got "${truncate(id)}")` });
      }
    }

    this.checkProperties(object, type, known, context, errors, warnings);
    if (isObject(object.extensions)) this.checkExtensions(object, object.extensions, type, kind, context, errors, warnings);
    this.checkTimestamps(object, type, errors);
    this.checkRefs(object, type, context, errors);
    this.checkLanguageTags(object, type, errors);
    this.checkEmptyLists(object, type, known ?? (kind === 'custom-sco' ? this.registry.customObservableProperties : this.registry.customObjectProperties), errors);
    if (Array.isArray(object.granular_markings)) this.checkGranularMarkings(object, errors);
    this.checkVocabularies(object, type, warnings);
    checkShoulds(object, type, this.isSdo, errors, warnings);
    if (kind === 'sco') this.checkScoId(object, type, errors, warnings);
    else if (typeof id === 'string' && kind !== 'custom-sco') this.checkUuidV4(id, warnings);

    switch (type) {
      case 'indicator':
        this.checkIndicator(object, context, errors, warnings);
        break;
      case 'marking-definition':
        checkMarkingDefinition(object, context, errors, warnings);
        break;
      case 'location':
        if (typeof object.country === 'string' && !COUNTRY_CODE.test(object.country)) {
          warnings.push({ pointer: '/country', rule: 'location.country-code', message: `country should be an ISO 3166-1 alpha-2 code such as "KP" (got "${truncate(object.country)}")` });
        }
        break;
      case 'observed-data':
        if (object.objects !== undefined) {
          warnings.push({ pointer: '/objects', rule: 'deprecated.observed-data-objects', message: 'objects is deprecated in STIX 2.1; send the SCOs as top-level objects and list them in object_refs' });
        }
        break;
      default:
        break;
    }
    if (context.storedVersions && context.storedVersions.length > 0 && type !== 'marking-definition') checkRevocation(object, context, errors);
    return { valid: errors.length === 0, errors, warnings };
  }

  private looksLikeSco(object: Obj): boolean {
    const exts = object.extensions;
    if (isObject(exts)) {
      for (const k of Object.keys(exts)) {
        const e = exts[k];
        if (isObject(e) && e.extension_type === 'new-sco') return true;
        if (isObject(e) && (e.extension_type === 'new-sdo' || e.extension_type === 'new-sro')) return false;
      }
    }
    // §3.2: SDOs and SROs always carry created/modified; SCOs never do.
    return object.created === undefined && object.modified === undefined;
  }

  /**
   * §11.1 custom properties. An `x_` name is the spec's custom-property mechanism and is accepted whatever the
   * collection's setting. A non-`x_` name the type does not define is a SHOULD breach (a warning) when STIX
   * defines it elsewhere (e.g. `created` on an SCO, `modified` on a marking-definition) or the collection
   * accepts custom content; otherwise it is truly custom content and refused (`custom.property-not-allowed`).
   * Properties of a toplevel-property-extension the input or collection defines are not custom (§7.3).
   */
  private checkProperties(object: Obj, type: string, known: ReadonlySet<string> | undefined, context: ValidationContext, errors: Finding[], warnings: Finding[]): void {
    let toplevel: boolean | undefined;
    for (const key in object) {
      if (known && known.has(key)) continue;
      if (!PROPERTY_NAME.test(key)) {
        if (!known && (key === 'id' || key === 'type')) continue;
        errors.push({ pointer: ptr(key), rule: 'custom.property-name', message: `custom property "${truncate(key)}" must be 3-250 characters of a-z, 0-9 and _ (STIX 2.1 §11.1); rename it` });
        continue;
      }
      if (!known || key.charCodeAt(0) === 120 && key.charCodeAt(1) === 95) continue;
      if (toplevel === undefined) toplevel = this.definesToplevelProperties(object, context) || (context.allowCustom && this.hasToplevelExtension(object));
      if (toplevel) continue;
      if (context.allowCustom || this.registry.specPropertyNames.has(key)) {
        warnings.push({
          pointer: ptr(key), rule: 'custom.property-prefix',
          message: type === 'marking-definition' && key === 'modified'
            ? 'modified is not a property of marking-definition: marking definitions cannot be versioned (STIX 2.1 §7.2.1); remove it'
            : `${key} is not a property of ${type}; a custom property name should start with "x_" (STIX 2.1 §11.1) or be declared by a toplevel-property-extension`,
        });
        continue;
      }
      errors.push({
        pointer: ptr(key), rule: 'custom.property-not-allowed',
        message: `${truncate(key)} is not a property of ${type} and this collection does not accept custom properties; fix its name, prefix it with "x_" (STIX 2.1 §11.1), or declare it with a toplevel-property-extension`,
      });
    }
  }

  /** Whether the object carries a toplevel-property-extension whose extension-definition is known (§7.3). */
  private definesToplevelProperties(object: Obj, context: ValidationContext): boolean {
    const exts = object.extensions;
    const definitions = context.extensions?.definitions;
    if (!definitions || !isObject(exts)) return false;
    for (const k of Object.keys(exts)) {
      const e = exts[k];
      if (isObject(e) && e.extension_type === 'toplevel-property-extension' && definitions.get(k)?.includes('toplevel-property-extension')) return true;
    }
    return false;
  }

  private hasToplevelExtension(object: Obj): boolean {
    const exts = object.extensions;
    if (!isObject(exts)) return false;
    for (const k of Object.keys(exts)) {
      const e = exts[k];
      if (isObject(e) && e.extension_type === 'toplevel-property-extension') return true;
    }
    return false;
  }

  private checkExtensions(object: Obj, exts: Obj, type: string, kind: string, context: ValidationContext, errors: Finding[], warnings: Finding[]): void {
    for (const key of Object.keys(exts)) {
      const pointer = ptr('extensions', key);
      const owner = (SCO_EXTENSIONS as Record<string, string>)[key];
      if (owner !== undefined) {
        if (owner !== type) {
          errors.push({ pointer, rule: 'extension.wrong-type', message: `the ${key} extension belongs to ${owner} objects, not ${type}; remove it or move it to a ${owner}` });
        }
        continue;
      }
      if (key.startsWith('extension-definition--')) {
        if (!parseId(key)) {
          errors.push({ pointer, rule: 'extension.key', message: `extension key "${truncate(key)}" must be extension-definition--<UUID> with an RFC 4122 UUID (the first digit of its fourth group 8, 9, a or b)` });
        } else if (!context.allowCustom && !WELL_KNOWN_EXTENSIONS.has(key) && !context.extensions?.definitions.has(key)) {
          errors.push({
            pointer, rule: 'custom.extension-not-allowed',
            message: `the extension-definition ${key} is neither in this input nor stored in the collection, and this collection does not accept custom content; send the extension-definition with it, or remove the extension`,
          });
        } else this.checkExtensionContent(object, key, exts[key], context, errors, warnings);
        continue;
      }
      if (kind !== 'sco' && kind !== 'custom-sco') {
        errors.push({ pointer, rule: 'extension.key', message: `extension key "${truncate(key)}" is not allowed on ${type}: extensions of domain, relationship and meta objects are keyed by extension-definition--<UUID>` });
        continue;
      }
      if (!context.allowCustom) {
        errors.push({ pointer, rule: 'custom.extension-not-allowed', message: `"${truncate(key)}" is not a predefined ${type} extension and this collection does not accept custom extensions; remove it` });
        continue;
      }
      if (!CUSTOM_EXTENSION_NAME.test(key) || key.length > 250) {
        errors.push({ pointer, rule: 'custom.extension-name', message: `custom extension "${truncate(key)}" must be lower-case a-z, 0-9 and hyphens ending in "-ext" (STIX 2.1 §11.3)` });
      } else {
        warnings.push({ pointer, rule: 'custom.extension-deprecated', message: `custom "-ext" extensions are deprecated in STIX 2.1; define "${key}" with an extension-definition instead` });
      }
    }
  }

  /**
   * §7.3: content of an extension is checked against its extension-definition's schema when the server can
   * load it offline (extension-schemas.ts); otherwise it is accepted with a warning. A new-sdo/new-sco/new-sro
   * or toplevel-property-extension schema describes the whole object, a property-extension schema its entry.
   */
  private checkExtensionContent(object: Obj, key: string, ext: unknown, context: ValidationContext, errors: Finding[], warnings: Finding[]): void {
    const schema = this.extensionSchemas.forDefinition(key, context.extensions?.definitions.has(key) ? context.extensions.schemas.get(key) : undefined);
    if (schema.kind === 'builtin') return;
    const pointer = ptr('extensions', key);
    if (schema.kind === 'unavailable') {
      warnings.push({ pointer, rule: 'extension.schema-unavailable', message: `the content of extension ${key} was accepted unchecked: ${schema.why}` });
      return;
    }
    const instanceType = isObject(ext) ? ext.extension_type : undefined;
    const whole = typeof instanceType === 'string' && WHOLE_OBJECT_EXTENSIONS.has(instanceType);
    if (schema.validate(whole ? object : ext)) return;
    const base = whole ? '' : pointer;
    for (const e of (schema.validate.errors ?? []).slice(0, 10)) {
      const at = base + e.instancePath;
      errors.push({
        pointer: at, rule: 'extension.schema',
        message: `${at ? at.slice(1).split('/').join('.') : 'the object'} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : ''}, as the schema of extension-definition ${key} requires; fix the extension content`,
      });
    }
  }

  private checkTimestamps(object: Obj, type: string, errors: Finding[]): void {
    const created = object.created;
    const modified = object.modified;
    if (typeof created === 'string' && typeof modified === 'string' && isStixTimestamp(created) && isStixTimestamp(modified)) {
      if (compareTimestamps(modified, created) < 0) {
        errors.push({ pointer: '/modified', rule: 'timestamp.modified-before-created', message: `modified (${modified}) must be later than or equal to created (${created})` });
      }
    }
    const rules = own(ORDER_RULES, type);
    if (!rules) return;
    for (const r of rules) {
      const a = object[r.earlier];
      const b = object[r.later];
      if (typeof a !== 'string' || typeof b !== 'string' || !isStixTimestamp(a) || !isStixTimestamp(b)) continue;
      const c = compareTimestamps(b, a);
      if (c < 0 || (r.strict && c === 0)) {
        errors.push({
          pointer: ptr(r.later), rule: r.rule,
          message: `${r.later} (${b}) must be ${r.strict ? 'later than' : 'later than or equal to'} ${r.earlier} (${a}); fix one of them`,
        });
      }
    }
  }

  private refAllowed(target: RefTarget, t: string, context: ValidationContext): boolean {
    const k = this.registry.kindOf(t) ?? context.extensions?.types.get(t);
    switch (target.kind) {
      case 'types':
        return target.types.includes(t);
      case 'any':
        return t !== 'bundle';
      case 'sdo':
        return k === 'sdo' || (k === undefined && t !== 'bundle' && context.allowCustom);
      case 'sco':
        return k === 'sco' || (k === undefined && t !== 'bundle' && context.allowCustom);
      case 'sdo-or-sco':
        return k === 'sdo' || k === 'sco' || (k === undefined && t !== 'bundle' && context.allowCustom);
      case 'sco-or-sro':
        return k === 'sco' || t === 'relationship' || (k === undefined && t !== 'bundle' && context.allowCustom);
    }
  }

  private checkRefValue(value: unknown, pointer: string, prop: string, target: RefTarget, context: ValidationContext, errors: Finding[]): void {
    if (typeof value === 'string') {
      const t = idType(value);
      if (t !== undefined && !this.refAllowed(target, t, context)) {
        errors.push({ pointer, rule: 'ref.type', message: `${prop} must reference ${describeTarget(target)}, but "${truncate(value)}" is a ${t}; point it at the right object` });
      }
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) this.checkRefValue(value[i], `${pointer}/${i}`, prop, target, context, errors);
    }
  }

  private checkRefs(object: Obj, type: string, context: ValidationContext, errors: Finding[]): void {
    for (const prop in COMMON_REFS) {
      if (object[prop] !== undefined) this.checkRefValue(object[prop], ptr(prop), prop, COMMON_REFS[prop]!, context, errors);
    }
    const rules = own(TYPE_REFS, type);
    if (rules) {
      for (const prop in rules) {
        if (object[prop] !== undefined) this.checkRefValue(object[prop], ptr(prop), prop, rules[prop]!, context, errors);
      }
    }
    if (type === 'email-message' && Array.isArray(object.body_multipart)) {
      object.body_multipart.forEach((part, i) => {
        if (!isObject(part)) return;
        for (const prop in MIME_PART_REFS) {
          if (part[prop] !== undefined) this.checkRefValue(part[prop], ptr('body_multipart', i, prop), prop, MIME_PART_REFS[prop]!, context, errors);
        }
      });
    }
    const exts = object.extensions;
    if (isObject(exts)) {
      for (const name in EXTENSION_REFS) {
        const ext = exts[name];
        if (!isObject(ext)) continue;
        const extRules = EXTENSION_REFS[name]!;
        for (const prop in extRules) {
          if (ext[prop] !== undefined) this.checkRefValue(ext[prop], ptr('extensions', name, prop), prop, extRules[prop]!, context, errors);
        }
      }
    }
  }

  /** RFC 5646 tags in `lang` (§3.2), granular markings' `lang` (§7.2.3) and language-content `contents` keys (§7.1). */
  private checkLanguageTags(object: Obj, type: string, errors: Finding[]): void {
    const lang = object.lang;
    if (typeof lang === 'string' && lang.length > 0 && !isLanguageTag(lang)) errors.push(langFinding('/lang', 'lang', lang));
    const gms = object.granular_markings;
    if (Array.isArray(gms)) {
      for (let i = 0; i < gms.length; i++) {
        const gm: unknown = gms[i];
        if (isObject(gm) && typeof gm.lang === 'string' && gm.lang.length > 0 && !isLanguageTag(gm.lang)) {
          errors.push(langFinding(ptr('granular_markings', i, 'lang'), `granular_markings[${i}].lang`, gm.lang));
        }
      }
    }
    if (type === 'software' && Array.isArray(object.languages)) {
      for (let i = 0; i < object.languages.length; i++) {
        const l: unknown = object.languages[i];
        if (typeof l === 'string' && !isLanguageTag(l)) errors.push(langFinding(ptr('languages', i), `languages[${i}]`, l));
      }
    }
    if (type === 'language-content' && isObject(object.contents)) {
      for (const key in object.contents) {
        if (!isLanguageTag(key)) errors.push(langFinding(ptr('contents', key), `the contents key`, key));
      }
    }
  }

  /**
   * §2.12: lists must not be empty. The schemas say so for every property they define; this walks what they
   * do not: custom properties, extension content and language-content translations.
   */
  private checkEmptyLists(object: Obj, type: string, defined: ReadonlySet<string>, errors: Finding[]): void {
    // hasEmptyList walks without allocating; pointers are built only for what it finds.
    for (const key in object) {
      if (!defined.has(key) && hasEmptyList(object[key], 0)) findEmptyLists(object[key], ptr(key), 0, errors);
    }
    const exts = object.extensions;
    if (isObject(exts)) {
      for (const key in exts) {
        if (!Object.prototype.hasOwnProperty.call(SCO_EXTENSIONS, key) && hasEmptyList(exts[key], 0)) findEmptyLists(exts[key], ptr('extensions', key), 0, errors);
      }
    }
    if (type === 'language-content' && isObject(object.contents)) {
      for (const key in object.contents) if (hasEmptyList(object.contents[key], 0)) findEmptyLists(object.contents[key], ptr('contents', key), 0, errors);
    }
  }

  private checkGranularMarkings(object: Obj, errors: Finding[]): void {
    const gms = object.granular_markings as unknown[];
    gms.forEach((gm, i) => {
      if (!isObject(gm)) return;
      if (typeof gm.marking_ref === 'string') {
        const t = idType(gm.marking_ref);
        if (t !== undefined && t !== 'marking-definition') {
          errors.push({ pointer: ptr('granular_markings', i, 'marking_ref'), rule: 'ref.type', message: `granular_markings[${i}].marking_ref must reference a marking-definition, but it is a ${t}` });
        }
      }
      if (!Array.isArray(gm.selectors)) return;
      gm.selectors.forEach((sel, j) => {
        if (typeof sel === 'string' && !selectorResolves(object, sel)) {
          errors.push({
            pointer: ptr('granular_markings', i, 'selectors', j), rule: 'marking.selector',
            message: `selector "${truncate(sel)}" does not point at a property or list item of this object (STIX 2.1 §7.2.3.1); fix the selector`,
          });
        }
      });
    });
  }

  private checkVocabularies(object: Obj, type: string, warnings: Finding[]): void {
    const table = own(VOCABULARY_PROPERTIES, type);
    if (table) {
      for (const prop in table) {
        const value = object[prop];
        if (value === undefined) continue;
        if (typeof value === 'string') {
          const f = vocabFinding(ptr(prop), prop, value, table[prop]!);
          if (f) warnings.push(f);
        } else if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            const v: unknown = value[i];
            const f = typeof v === 'string' ? vocabFinding(ptr(prop, i), prop, v, table[prop]!) : undefined;
            if (f) warnings.push(f);
          }
        }
      }
    }
    if (isObject(object.hashes)) checkHashNames(object.hashes, '/hashes', warnings);
    if (Array.isArray(object.external_references)) {
      object.external_references.forEach((r, i) => {
        if (isObject(r) && isObject(r.hashes)) checkHashNames(r.hashes, ptr('external_references', i, 'hashes'), warnings);
      });
    }
    const pe = isObject(object.extensions) ? object.extensions['windows-pebinary-ext'] : undefined;
    if (isObject(pe) && typeof pe.pe_type === 'string') {
      const f = vocabFinding('/extensions/windows-pebinary-ext/pe_type', 'pe_type', pe.pe_type, 'windows-pebinary-type-ov');
      if (f) warnings.push(f);
    }
  }

  private checkScoId(object: Obj, type: string, errors: Finding[], warnings: Finding[]): void {
    if (typeof object.id !== 'string') return;
    if (type === 'process') {
      // §6.11: a process has no ID-contributing properties, so its UUID must be a random UUIDv4.
      const parsed = parseId(object.id);
      if (parsed && uuidVersion(parsed.uuid) !== 4) {
        errors.push({ pointer: '/id', rule: 'id.process-uuid-version', message: 'a process id must use a random UUIDv4 (STIX 2.1 §2.9, §6.11: a process has no ID-contributing properties); generate a new UUIDv4' });
      }
      return;
    }
    let expected: string | undefined;
    try {
      expected = computeScoId(object);
    } catch {
      return;
    }
    if (expected === undefined) {
      this.checkUuidV4(object.id, warnings);
      return;
    }
    if (expected !== object.id.toLowerCase()) {
      warnings.push({
        pointer: '/id', rule: 'sco-id.mismatch',
        message: `${type} ids should be the UUIDv5 of their ID-contributing properties (STIX 2.1 §2.9): expected ${expected}`,
      });
    }
  }

  private checkUuidV4(id: string, warnings: Finding[]): void {
    const parsed = parseId(id);
    if (parsed && uuidVersion(parsed.uuid) !== 4) {
      warnings.push({ pointer: '/id', rule: 'id.uuid-version', message: 'this id should use a random UUIDv4 (STIX 2.1 §2.9)' });
    }
  }

  private checkIndicator(object: Obj, context: ValidationContext, errors: Finding[], warnings: Finding[]): void {
    if (object.pattern_type !== 'stix' || typeof object.pattern !== 'string') return;
    const pattern = object.pattern;
    let cached = this.patternCache.get(pattern);
    if (!cached) {
      try {
        cached = { issues: checkPattern(parsePattern(pattern), this.patternVocabulary) };
      } catch (e) {
        if (!(e instanceof PatternSyntaxError)) throw e;
        cached = { error: e.message, issues: [] };
      }
      // Bounded so a flood of distinct patterns cannot grow memory without limit.
      if (this.patternCache.size >= 10_000) this.patternCache.clear();
      this.patternCache.set(pattern, cached);
    }
    if (cached.error) {
      errors.push({ pointer: '/pattern', rule: 'pattern.syntax', message: `pattern is not valid STIX patterning: ${cached.error}` });
    }
    const extensionTypes = context.extensions?.types;
    for (const issue of cached.issues) {
      // A type introduced by a known extension-definition is a real SCO type, not a misspelling.
      if (issue.rule === 'pattern.unknown-object-type' && extensionTypes && [...extensionTypes.keys()].some((t) => issue.message.startsWith(`'${t}'`))) continue;
      (issue.severity === 'error' ? errors : warnings).push({ pointer: '/pattern', rule: issue.rule, message: `pattern: ${issue.message}` });
    }
    if (typeof object.pattern_version === 'string' && object.pattern_version !== '2.1') {
      warnings.push({ pointer: '/pattern_version', rule: 'pattern.version', message: `pattern_version "${truncate(object.pattern_version)}" is not 2.1; this server checks STIX patterns against the 2.1 grammar` });
    }
  }

}

/** Compiles every STIX schema once; the returned validator is safe to call on the hot path. */
export function createStixValidator(registry: SchemaRegistry = new SchemaRegistry()): ObjectValidator {
  return new StixValidator(registry);
}

export { validateBundleOrEnvelope, type ContainerResult, type ObjectOutcome } from './container';
