/** Runs one corpus case the way the server would: an object as one POSTed object, a document whole. */
import { batchExtensions, validateBundleOrEnvelope } from '../../../src/stix/container';
import type { ObjectValidator, ValidationResult } from '../../../src/stix/validation-result';
import type { InvalidCase } from '../../fixtures/stix/generate-corpus';

export function evaluateCase(validator: ObjectValidator, c: InvalidCase): ValidationResult {
  const allowCustom = c.allowCustom ?? false;
  if (c.document !== undefined) {
    const r = validateBundleOrEnvelope(c.document, validator, { allowCustom }, { stored: c.stored });
    return {
      valid: r.valid,
      errors: [...r.errors, ...r.objects.flatMap((o) => o.result.errors)],
      warnings: [...r.warnings, ...r.objects.flatMap((o) => o.result.warnings)],
    };
  }
  const extensions = batchExtensions([c.object], c.stored ?? []);
  return validator.validate(c.object, { allowCustom, storedVersions: c.storedVersions, ...(extensions ? { extensions } : {}) });
}
