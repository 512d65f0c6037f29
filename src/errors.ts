/**
 * An error written for the person reading the CI log: what failed, why, and what to change.
 * Anything that is not a UserError reaching main.ts is a bug in ecs-shift, and is reported as one.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    /** Extra lines shown under the message (diagnosis, hints); never raw SDK output. */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

/** Builds the `Expected …, got …` tail that most input errors share. */
export function describeValue(value: string): string {
  return value === '' ? 'an empty value' : JSON.stringify(value);
}

/** The message of anything thrown: an Error's message, or the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
