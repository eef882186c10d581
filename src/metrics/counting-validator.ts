import type { ObjectValidator, ValidationContext, ValidationResult } from '../stix/validation-result';
import type { Metrics } from './registry';

/** The same validator, counting each result and the rule ids of its errors (the rejection reasons). */
export function countingValidator(inner: ObjectValidator, metrics: Metrics): ObjectValidator {
  return {
    validate(object: unknown, context: ValidationContext): ValidationResult {
      const result = inner.validate(object, context);
      metrics.validated(result.valid, result.errors);
      return result;
    },
  };
}
