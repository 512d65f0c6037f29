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

/** Headline and details for the reader: a UserError as written, anything else as the bug it is. */
export function describeError(error: unknown): { headline: string; details: string[] } {
  if (error instanceof UserError) return { headline: error.message, details: error.details };
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    headline: `ecs-shift hit an unexpected error: ${errorMessage(error)}`,
    details: ['This is a bug in ecs-shift; please report it with this log.', stack],
  };
}

/** An AWS error's hints minus "re-run the job", which is wrong advice while a deployment may be live. */
export function hintsWhileLive(error: unknown): string[] {
  return error instanceof UserError ? error.details.filter((line) => !/re-run/i.test(line)) : [];
}
