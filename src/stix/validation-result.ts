/**
 * The one result format for STIX validation, used by POST objects, the `validate` command and the
 * seed loader: every finding carries a JSON pointer into the object, a rule id and an actionable sentence.
 */
export interface Finding {
  /** RFC 6901 pointer into the validated object ("" for the object itself). */
  pointer: string;
  /** Stable rule identifier, e.g. "schema.required", "timestamp.modified-before-created". */
  rule: string;
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

export interface ValidationContext {
  /** Whether custom object types and custom properties are allowed (per collection). */
  allowCustom: boolean;
  /** The versions already stored for this object's id in the target collection (empty when none). */
  storedVersions?: readonly StoredVersionInfo[];
}

export interface ObjectValidator {
  validate(object: unknown, context: ValidationContext): ValidationResult;
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.pointer || '/'}: ${f.message} [${f.rule}]`).join('; ');
}
