/**
 * CreateDeployment exactly once. It is not idempotent (no client token), so a request whose answer was
 * lost — a timeout, a reset connection, a 5xx after the fact — may or may not have started a
 * deployment. The request carries a unique token in its description; before any retry we look in the
 * group for a deployment carrying it, and adopt it if found, instead of starting a second one.
 */
import { isDeploymentLimitExceeded } from '../aws/codedeploy.js';
import { isTransient } from '../aws/errors.js';
import type { CreateDeploymentRequest } from '../aws/ports.js';
import { errorMessage, hintsWhileLive, UserError } from '../text/errors.js';
import { CancelledBeforeChange } from '../release/cancel.js';
import type { Runtime } from '../release/runtime.js';
import { capitalize } from '../text/format.js';
import type { OnStop } from '../settings/settings.js';
import { findDeploymentByToken, requestMarker } from './find-started.js';

/** CodeDeploy rejects longer descriptions (DescriptionTooLongException). */
export const MAX_DESCRIPTION_LENGTH = 512;
/** Attempts when `max-retries` is not set: the SDK's own default (standard retry mode). */
const DEFAULT_ATTEMPTS = 3;
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 20_000;

/** `description [ecs-shift:token]`, shortened so the whole stays within CodeDeploy's limit. */
export function withRequestToken(description: string, token: string): string {
  const tag = ` ${requestMarker(token)}`;
  const room = MAX_DESCRIPTION_LENGTH - tag.length;
  const text = description.length > room ? `${description.slice(0, room - 1)}…` : description;
  return `${text}${tag}`;
}

export interface CreateOnce {
  /** Carried in the description, to find what a lost answer started. */
  token: string;
  /** Epoch ms: no retry is started past it (the wait-for-minutes deadline). */
  deadline: number;
  /** `max-retries`: unset, the SDK's own default. */
  maxRetries?: number;
  /** Saved with the request, for the post step. */
  onCancel: OnStop;
}

export async function createDeploymentOnce(
  rt: Runtime,
  request: CreateDeploymentRequest,
  { token, deadline, maxRetries, onCancel }: CreateOnce,
): Promise<string> {
  const { codeDeploy, clock } = rt;
  const attempts = maxRetries === undefined ? DEFAULT_ATTEMPTS : maxRetries + 1;
  const since = clock.now();
  const group = { application: request.applicationName, deploymentGroup: request.deploymentGroupName };
  let uncertain = false;
  const findOurs = () => findDeploymentByToken(codeDeploy, { ...group, token, since });

  // Saved before the request: a step killed while it is unanswered leaves the post step the token.
  rt.rememberInFlight({
    kind: 'codedeploy-requested',
    ...group,
    token,
    requestedAt: since,
    onCancel,
  });
  for (let attempt = 1; ; attempt++) {
    if (rt.signal.aborted && uncertain) {
      // Cancelled after an unanswered attempt: if that attempt started a deployment, it must be stopped.
      const ours = await findOurs();
      if (ours) return adopted(rt, ours);
      throw new CancelledBeforeChange(
        `${capitalize(rt.words.cancelled)} while CreateDeployment was being retried; no deployment of ours is in the group, and no new one was requested.`,
        [
          `An earlier attempt got no answer. If it started a deployment after all, its description carries ${requestMarker(token)}; ${rt.words.backstop}.`,
        ],
      );
    }
    try {
      return await codeDeploy.createDeployment(request);
    } catch (error) {
      // Refused because the group is busy: maybe with the deployment our lost attempt started.
      if (isDeploymentLimitExceeded(error) && uncertain) {
        const ours = await findOurs();
        if (ours) return adopted(rt, ours);
      }
      // Refused outright, with no unanswered attempt before: nothing was started. (A refusal after a
      // cancel keeps the saved state: an earlier call of ours may have left one unanswered.)
      if (!uncertain && !isTransient(error) && !(error instanceof CancelledBeforeChange)) {
        rt.rememberInFlight(undefined);
      }
      if (!isTransient(error)) throw error;
      uncertain = true;
      const ours = await findOurs();
      if (ours) return adopted(rt, ours);
      const wait = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1));
      const why =
        attempt >= attempts
          ? `after ${attempts} attempts (max-retries)`
          : clock.now() + wait >= deadline
            ? 'and the wait-for-minutes deadline leaves no time to try again'
            : undefined;
      if (why) {
        throw new UserError(
          `CreateDeployment did not answer ${why}; no deployment of ours is in the group (${errorMessage(error)}).`,
          [
            `If an unanswered attempt started a deployment after all, its description carries ${requestMarker(token)}; ${rt.words.backstop}.`,
            ...hintsWhileLive(error),
          ],
        );
      }
      rt.info(
        `CreateDeployment did not answer (${errorMessage(error)}); ` +
          `no deployment of ours in the group, so trying again in ${wait / 1000}s (attempt ${attempt + 1} of ${attempts}).`,
      );
      await clock.sleep(wait, rt.signal);
    }
  }
}

function adopted(rt: Runtime, deploymentId: string): string {
  rt.info(
    `CreateDeployment's answer was lost, but it had started deployment ${deploymentId}: following that one (no second deployment).`,
  );
  return deploymentId;
}
