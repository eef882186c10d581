import { DomainError } from '../domain/errors';

/** A review action that the submissions' current state, or the target collection's content, does not allow. */
export class ReviewConflictError extends DomainError {
  constructor(description: string, details?: Record<string, unknown>) {
    super(409, 'Conflict', description, details);
  }
}

/**
 * The same refusal worded for the command line, where the API's wording would name request members
 * ("into", "note") or endpoints (GET …/review/submissions/) that a CLI user never types. Only the
 * description goes into the HTTP answer; the review commands print `cli` (cliDescription).
 */
export function withCliWording<E extends DomainError>(e: E, cli: string): E {
  return Object.assign(e, { cliDescription: cli });
}

/** What the command line prints for a refusal: its CLI wording, else its description. */
export function cliDescription(e: DomainError): string {
  return (e as DomainError & { cliDescription?: string }).cliDescription ?? e.description;
}
