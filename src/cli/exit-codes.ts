/** The CLI's exit codes (README, "CLI"): what a CI system branches on. */
import type { StepEnd } from '../release/step.js';

export const EXIT = {
  success: 0,
  /** The deployment failed, or was rolled back. */
  failed: 1,
  /** Bad input: nothing was changed. */
  badInput: 2,
  /** wait-for-minutes passed (the deployment was rolled back unless on-timeout: leave). */
  timedOut: 3,
  /** Cancelled (Ctrl-C, SIGTERM). */
  cancelled: 4,
} as const;

export function exitCodeFor(end: StepEnd): number {
  switch (end) {
    case 'success':
    case 'started':
      return EXIT.success;
    case 'bad-input':
      return EXIT.badInput;
    case 'timed-out':
      return EXIT.timedOut;
    case 'cancelled':
      return EXIT.cancelled;
    case 'failed':
      return EXIT.failed;
  }
}
