/**
 * The one result format for STIX validation, used by POST objects, the `validate` command and the
 * seed loader: every finding carries a JSON pointer into the object, a rule id and an actionable sentence.
 */
import type { RuleId } from './rules';

export type { RuleId } from './rules';
export interface Finding {
  /** RFC 6901 pointer into the validated object ("" for the object itself). */
  pointer: string;
  /** Stable rule identifier from the catalogue in rules.ts, e.g. "schema.required". */
  rule: RuleId;
  /** A sentence a curator can act on. */
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: Finding[];
  warnings: Finding[];
}

/** What the store already holds for an object id in the target collection. */
export interface StoredVersionInfo {
  /** Version key (modified, else created) of each stored version. */
  version: string;
  revoked: boolean;
}

/** Extension-definitions available to the objects being validated (STIX 2.1 §7.3). */
export interface ExtensionKnowledge {
  /** extension-definition id → its extension_types. */
  definitions: ReadonlyMap<string, readonly string[]>;
  /** extension-definition id → its `schema` property (a URL, plain text or an inline JSON Schema). */
  schemas: ReadonlyMap<string, unknown>;
  /** Object types introduced by those definitions (new-sdo, new-sco, new-sro), with their kind. */
  types: ReadonlyMap<string, 'sdo' | 'sco' | 'sro'>;
}

export interface ValidationContext {
  /** Whether custom object types and custom properties are allowed (per collection). */
  allowCustom: boolean;
  /** The versions already stored for this object's id in the target collection (empty when none). */
  storedVersions?: readonly StoredVersionInfo[];
  /** Extension-definitions in the same input or stored in the collection: what they define is not custom content. */
  extensions?: ExtensionKnowledge;
}

export interface ObjectValidator {
  validate(object: unknown, context: ValidationContext): ValidationResult;
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.pointer || '/'}: ${f.message} [${f.rule}]`).join('; ');
}
