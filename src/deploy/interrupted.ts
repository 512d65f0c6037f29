/**
 * The end of a deployment the step stopped following before it reached its target: the deadline
 * passed, the workflow was cancelled, or it could no longer be read. The same for every path; only how
 * to stop (or leave) it differs, which the strategy passes in.
 */
import { UserError } from '../errors.js';
import { formatDuration } from '../report/diagnosis.js';
import type { OnStop, WaitUntil } from '../settings.js';
import type { DeployContext, DeployResult } from './context.js';

export type Interruption =
  { kind: 'deadline' } | { kind: 'cancelled' } | { kind: 'unwatchable'; error: unknown };

/** Stops the deployment with rollback or leaves it, as `setting` says; returns the line to report. */
export type StopOrLeave = (setting: OnStop, because: string) => Promise<string>;

export async function interruptedResult(
  ctx: DeployContext,
  subject: string,
  waitUntil: WaitUntil,
  interruption: Interruption,
  stopOrLeave: StopOrLeave,
): Promise<Pick<DeployResult, 'outcome' | 'status' | 'deploymentStatus' | 'failure'>> {
  const { settings } = ctx;
  switch (interruption.kind) {
    case 'unwatchable': {
      // We can no longer see the deployment: don't leave it running unobserved unless told to.
      const { error } = interruption;
      const stopped = await stopOrLeave(settings.onTimeout, 'the watch could not continue');
      return {
        outcome: 'failure',
        status: 'watch failed',
        deploymentStatus: 'failed',
        failure: {
          headline: `Stopped following ${subject}: ${error instanceof Error ? error.message : String(error)}`,
          // The hint (expired session, missing permission, …) says what to fix before the next run.
          details: [...(error instanceof UserError ? error.details : []), stopped],
        },
      };
    }
    case 'deadline': {
      const minutes = formatDuration(settings.waitForMinutes * 60_000);
      const stopped = await stopOrLeave(settings.onTimeout, `the ${minutes} deadline`);
      return {
        outcome: 'failure',
        status: settings.onTimeout === 'rollback' ? 'timed out — rolled back' : 'timed out — left running',
        deploymentStatus: 'timed-out',
        failure: {
          headline: `${capitalize(subject)} did not reach "${waitUntil}" within wait-for-minutes (${minutes}).`,
          details: [
            stopped,
            'Raise wait-for-minutes if this deployment needs longer (its deployment config and hooks decide how long).',
          ],
        },
      };
    }
    case 'cancelled': {
      const stopped = await stopOrLeave(settings.onCancel, 'the workflow was cancelled');
      return {
        outcome: 'failure',
        status: settings.onCancel === 'rollback' ? 'cancelled — rolled back' : 'cancelled — left running',
        deploymentStatus: 'cancelled',
        failure: {
          headline: `The workflow was cancelled while ${subject} was in progress.`,
          details: [stopped],
        },
      };
    }
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
