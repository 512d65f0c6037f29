/** The refusal shared by promote and abort when the deployment is not waiting for approval. */
import type { Continuation } from '../settings/settings.js';
import { UserError } from '../text/errors.js';

export function notWaiting(
  action: Continuation['action'],
  what: string,
  state: string,
  url: string,
): UserError {
  return new UserError(
    `${action} needs ${what} to be waiting for approval, but it is not (${state}). Nothing was changed.`,
    [
      action === 'promote'
        ? 'Promote a deployment that a deploy step with wait-until: ready left waiting; one that moves on by itself needs no promote.'
        : 'Only a deployment waiting for approval can be aborted here; stop a running one from the console, or let on-timeout/on-cancel handle it.',
      url,
    ],
  );
}
