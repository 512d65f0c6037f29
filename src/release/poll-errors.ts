/**
 * A failed poll is retried, never fatal on its own: it becomes a progress note, and the same error
 * again and again is folded into one line with a count. Only a non-transient error (access denied,
 * expired session, …) that keeps coming back ends the watch, since waiting longer cannot fix it.
 */
import { isTransient } from '../aws/errors.js';
import { errorMessage } from '../text/errors.js';
import type { ProgressListener } from '../report/events.js';

/** A non-transient poll error this many times in a row means we cannot watch: give up. */
export const MAX_CONSECUTIVE_POLL_ERRORS = 3;

export class PollErrors {
  private consecutive = 0;
  private lastReason: string | undefined;
  /** Failures with `lastReason` since its note was emitted. */
  private unreported = 0;

  constructor(
    private readonly onEvent: ProgressListener,
    /** What is being read, for the note: "the deployment", "task 0a1b…". */
    private readonly subject = 'the deployment',
  ) {}

  succeeded(at: number): void {
    this.flush(at);
    this.consecutive = 0;
    this.lastReason = undefined;
  }

  /** Reports the failed poll; rethrows once a non-transient error has repeated too often. */
  failed(error: unknown, at: number): void {
    this.consecutive += 1;
    if (!isTransient(error) && this.consecutive >= MAX_CONSECUTIVE_POLL_ERRORS) {
      this.flush(at);
      throw error;
    }
    const reason = errorMessage(error);
    if (reason === this.lastReason) {
      this.unreported += 1;
      return;
    }
    this.flush(at);
    this.lastReason = reason;
    this.onEvent({ type: 'note', at, message: `Could not read ${this.subject} (${reason}); retrying.` });
  }

  private flush(at: number): void {
    if (this.unreported === 0) return;
    const times = this.unreported === 1 ? 'once more' : `${this.unreported} more times`;
    this.onEvent({ type: 'note', at, message: `The same error ${times} in a row.` });
    this.unreported = 0;
  }
}
