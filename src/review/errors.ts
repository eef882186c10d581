import { DomainError } from '../domain/errors';

/** A review action that the submissions' current state, or the target collection's content, does not allow. */
export class ReviewConflictError extends DomainError {
  constructor(description: string, details?: Record<string, unknown>) {
    super(409, 'Conflict', description, details);
  }
}
