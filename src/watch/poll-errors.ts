/**
 * A failed poll is retried, never fatal on its own: it becomes a progress note. Only a non-transient
 * error (access denied, expired session, …) that keeps coming back ends the watch, since waiting
 * longer cannot fix it.
 */
import { isTransient } from '../aws/errors.js';
import type { ProgressListener } from './events.js';

/** A non-transient poll error this many times in a row means we cannot watch: give up. */
export const MAX_CONSECUTIVE_POLL_ERRORS = 3;

export class PollErrors {
  private consecutive = 0;

  constructor(private readonly onEvent: ProgressListener) {}

  succeeded(): void {
    this.consecutive = 0;
  }

  /** Reports the failed poll; rethrows once a non-transient error has repeated too often. */
  failed(error: unknown, at: number): void {
    this.consecutive += 1;
    if (!isTransient(error) && this.consecutive >= MAX_CONSECUTIVE_POLL_ERRORS) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    this.onEvent({ type: 'note', at, message: `Could not read the deployment (${reason}); retrying.` });
  }
}
