/**
 * The end of a deployment the step stopped following before it reached its target: the deadline
 * passed, the workflow was cancelled, or it could no longer be read. The same for every path; only how
 * to stop (or leave) it and how to read its rollback differ, which the strategy passes in.
 */
import { errorMessage, UserError } from '../text/errors.js';
import type { OnStop } from '../settings/settings.js';
import { capitalize, formatDuration } from '../text/format.js';
import type { DeployResult, FrontEndWords, WaitPolicy } from './runtime.js';
import {
  endingOf,
  type RollbackReport,
  STOP_BUDGET_MS,
  STOP_BUDGET_ON_CANCEL_MS,
  type StopOutcome,
} from './stop.js';

export type Interruption =
  | { kind: 'deadline' }
  | { kind: 'cancelled' }
  | { kind: 'unwatchable'; error: unknown }
  /** Another service of the step failed (on-service-failure: stop-others): stopped with rollback. */
  | { kind: 'stopped'; because: string };

/** What a strategy hands in: how to stop (or leave) its deployment, and how to follow the rollback. */
export interface Stopper {
  /** Stops with rollback or leaves it, as `setting` says; retries the stop within `budgetMs`. */
  stopOrLeave(setting: OnStop, because: string, budgetMs: number): Promise<StopOutcome>;
  /** Follows the rollback the stop started (bounded), to where production traffic ended up. */
  confirmRollback(): Promise<RollbackReport>;
}

export async function interruptedResult(
  subject: string,
  wait: Pick<WaitPolicy, 'until' | 'minutes' | 'onTimeout' | 'onCancel'>,
  interruption: Interruption,
  stopper: Stopper,
  words: Pick<FrontEndWords, 'cancelled'>,
): Promise<Pick<DeployResult, 'outcome' | 'status' | 'deploymentStatus' | 'failure' | 'ending'>> {
  const waitUntil = wait.until;
  switch (interruption.kind) {
    case 'unwatchable': {
      // We can no longer see the deployment: don't leave it running unobserved unless told to.
      const { error } = interruption;
      const stop = await stopper.stopOrLeave(wait.onTimeout, 'the watch could not continue', STOP_BUDGET_MS);
      return {
        outcome: 'failure',
        status: `watch failed — ${stopWords(stop, undefined)}`,
        deploymentStatus: 'failed',
        ending: endingOf(stop, undefined),
        failure: {
          headline: `Stopped following ${subject}: ${errorMessage(error)}`,
          // The hint (expired session, missing permission, …) says what to fix before the next run.
          details: [...(error instanceof UserError ? error.details : []), ...stopLines(stop)],
        },
      };
    }
    case 'deadline': {
      const minutes = formatDuration(wait.minutes * 60_000);
      const stop = await stopper.stopOrLeave(
        wait.onTimeout,
        `the ${minutes} deadline passed`,
        STOP_BUDGET_MS,
      );
      const rollback = stop.kind === 'stopped' ? await stopper.confirmRollback() : undefined;
      return {
        outcome: 'failure',
        status: `timed out — ${stopWords(stop, rollback)}`,
        deploymentStatus: 'timed-out',
        ending: endingOf(stop, rollback),
        failure: {
          headline: `${capitalize(subject)} did not reach "${waitUntil}" within wait-for-minutes (${minutes}).`,
          details: [
            ...stopLines(stop),
            ...(rollback ? [rollback.line] : []),
            'Raise wait-for-minutes if this deployment needs longer (its deployment config and hooks decide how long).',
          ],
        },
      };
    }
    case 'stopped': {
      // Always with rollback, and followed: the step goes on, unlike after a cancel.
      const stop = await stopper.stopOrLeave('rollback', interruption.because, STOP_BUDGET_MS);
      const rollback = stop.kind === 'stopped' ? await stopper.confirmRollback() : undefined;
      return {
        outcome: 'failure',
        status: `stopped — ${stopWords(stop, rollback)}`,
        deploymentStatus: 'stopped',
        ending: endingOf(stop, rollback),
        failure: {
          headline: `Stopped ${subject}: ${interruption.because}.`,
          details: [...stopLines(stop), ...(rollback ? [rollback.line] : [])],
        },
      };
    }
    case 'cancelled': {
      // No rollback follow-up here: the runner kills the step seconds after the cancel.
      const stop = await stopper.stopOrLeave(wait.onCancel, words.cancelled, STOP_BUDGET_ON_CANCEL_MS);
      return {
        outcome: 'failure',
        status: `cancelled — ${stopWords(stop, undefined)}`,
        deploymentStatus: 'cancelled',
        ending: endingOf(stop, undefined),
        failure: {
          headline: `${capitalize(words.cancelled)} while ${subject} was in progress.`,
          details: stopLines(stop),
        },
      };
    }
  }
}

function stopLines(stop: StopOutcome): string[] {
  return stop.kind === 'stop-failed' ? [stop.line, ...stop.details] : [stop.line];
}

/** "rolled back", "rollback still running", "STILL RUNNING (the stop failed)", … for the status. */
export function stopWords(stop: StopOutcome, rollback: RollbackReport | undefined): string {
  switch (stop.kind) {
    case 'left':
      return 'left running';
    case 'already-ended':
      return 'it had already ended';
    case 'stop-failed':
      return 'STILL RUNNING (the stop failed)';
    case 'stopped':
      return rollbackWords(rollback);
  }
}

export function rollbackWords(rollback: RollbackReport | undefined): string {
  switch (rollback?.state) {
    case 'succeeded':
      return 'rolled back';
    case 'failed':
      return 'rollback failed';
    case 'running':
      return 'rollback still running';
    case 'none':
      return 'stopped';
    case 'unknown':
      return 'rollback not confirmed';
  }
  return 'rollback started';
}
