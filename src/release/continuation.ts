/**
 * `promote` and `abort`: act on a deployment an earlier step left waiting at `wait-until: ready`
 * (CodeDeploy status Ready; ECS-native: a PAUSE hook AWAITING_ACTION). The strategy opens it and
 * answers it; promote then follows it to the wait target like a deployment of our own, abort follows
 * its rollback.
 */
import { isTransient } from '../aws/errors.js';
import type { Continuation, WaitUntil } from '../settings/settings.js';
import { followDeployment } from './follow.js';
import { rollbackWords } from './interrupted.js';
import type { DeployResult, Runtime, WaitPolicy } from './runtime.js';
import { endingOf, type RollbackReport } from './stop.js';
import type { Strategy } from './strategy.js';

export async function runContinuation(
  rt: Runtime,
  strategy: Strategy,
  continuation: Continuation,
  wait: WaitPolicy,
): Promise<DeployResult> {
  const waiting = await strategy.openWaiting(rt, continuation);
  const { live } = waiting;
  const base = { deploymentId: live.id, deploymentUrl: live.url, deploymentConfig: live.deploymentConfig };
  if (continuation.action === 'abort') {
    const aborted = await waiting.abort();
    if (aborted.kind === 'stop-failed') {
      return {
        ...base,
        outcome: 'failure',
        status: 'abort failed — STILL RUNNING',
        deploymentStatus: 'failed',
        failure: {
          headline: `Could not abort ${live.subject}.`,
          details: [aborted.line, ...aborted.details],
        },
      };
    }
    rt.info(aborted.line);
    return abortResult(base, await aborted.rollback?.(), rt);
  }
  // Saved first: once promoted, traffic moves, and a killed step must still leave it findable.
  rt.rememberInFlight(live.inFlight(wait.onCancel));
  try {
    await waiting.promote();
  } catch (error) {
    if (!isTransient(error)) rt.rememberInFlight(undefined); // refused: nothing moved
    throw error;
  }
  rt.info(`Promoted ${live.subject}: production traffic moves to the new revision. ${live.url}`);
  // A promoted deployment is always followed: the step exists to see the shift through.
  const followed = await waiting.followed();
  return followDeployment(rt, followed, { ...wait, follow: true, until: waitAfterPromote(wait.until) });
}

/** After a promote, `ready` has been reached already: follow on to the shift. */
export function waitAfterPromote(waitUntil: WaitUntil): WaitUntil {
  return waitUntil === 'ready' ? 'shifted' : waitUntil;
}

/** The result of an abort, once its rollback was followed: "aborted — rolled back" only when it did. */
function abortResult(
  base: Pick<DeployResult, 'deploymentId' | 'deploymentUrl' | 'deploymentConfig'>,
  rollback: RollbackReport | undefined,
  rt: Pick<Runtime, 'info'>,
): DeployResult {
  if (rollback) rt.info(rollback.line);
  const failed = rollback?.state === 'failed';
  return {
    ...base,
    outcome: failed ? 'failure' : 'success',
    status: `aborted — ${rollbackWords(rollback)}`,
    deploymentStatus: 'stopped',
    // An abort is a stop with rollback; where it got to, the rollback seen after it says.
    ending: endingOf({ kind: 'stopped', line: '' }, rollback),
    ...(failed
      ? { failure: { headline: 'The rollback of the aborted deployment failed.', details: [rollback.line] } }
      : {}),
  };
}
