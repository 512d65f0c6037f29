/**
 * Stopping a CodeDeploy deployment (StopDeployment with rollback) and reading where its rollback
 * stands: CodeDeploy runs the rollback as a deployment of its own, named in `rollbackInfo`.
 */
import { ACTIVE_DEPLOYMENT_STATUSES } from '../aws/codedeploy.js';
import type { Service } from '../aws/ports.js';
import { errorMessage } from '../text/errors.js';
import { followCodeDeployCommand, stopCodeDeployCommand } from '../report/commands.js';
import { codeDeployDeploymentUrl, taskDefinitionName } from '../report/console-urls.js';
import type { OnStop, TargetSettings } from '../settings/settings.js';
import { oneLine } from '../text/format.js';
import type { Runtime } from '../release/runtime.js';
import type { Stopper } from '../release/interrupted.js';
import {
  followRollback,
  type RollbackReport,
  retryStop,
  type StopOutcome,
  stopFailed,
} from '../release/stop.js';

/** `target`: the service, to say where production traffic ended up after a rollback. */
export function codeDeployStopper(
  rt: Runtime,
  deploymentId: string,
  target: TargetSettings,
  newTaskDefinitionArn: string | undefined,
): Stopper {
  return {
    stopOrLeave: (setting, because, budgetMs) => stopOrLeave(rt, deploymentId, setting, because, budgetMs),
    confirmRollback: () =>
      followRollback(rt, () => readRollback(rt, deploymentId, target, newTaskDefinitionArn)),
  };
}

async function stopOrLeave(
  rt: Runtime,
  deploymentId: string,
  setting: OnStop,
  because: string,
  budgetMs: number,
): Promise<StopOutcome> {
  const url = codeDeployDeploymentUrl(rt.region, deploymentId);
  if (setting === 'leave') {
    rt.rememberInFlight(undefined);
    return {
      kind: 'left',
      line: `Left deployment ${deploymentId} running as asked (${because}). Follow it at ${url} or with: ${followCodeDeployCommand(deploymentId)}`,
    };
  }
  rt.info(`Stopping deployment ${deploymentId} with rollback because ${because}…`);
  let answer: Awaited<ReturnType<Runtime['codeDeploy']['stopDeployment']>>;
  try {
    answer = await retryStop(rt, () => rt.codeDeploy.stopDeployment(deploymentId, true), budgetMs);
  } catch (error) {
    // The post step tries again, whatever on-cancel says: stopping it was already decided.
    rt.rememberInFlight({ kind: 'codedeploy', deploymentId, onCancel: 'rollback' });
    return stopFailed(`deployment ${deploymentId}`, error, stopCodeDeployCommand(deploymentId));
  }
  rt.rememberInFlight(undefined);
  if (!answer) {
    return {
      kind: 'already-ended',
      line: `Deployment ${deploymentId} had already ended when ecs-shift tried to stop it (${because}).`,
    };
  }
  return {
    kind: 'stopped',
    line: `Stopped deployment ${deploymentId} with rollback because ${because}${answer.statusMessage ? `: ${oneLine(answer.statusMessage)}` : ''}. ${url}`,
  };
}

/** Where the rollback of `deploymentId` stands, and where production traffic is. */
export async function readRollback(
  rt: Runtime,
  deploymentId: string,
  target: TargetSettings,
  newTaskDefinitionArn: string | undefined,
): Promise<RollbackReport> {
  const info = await rt.codeDeploy.getDeployment(deploymentId);
  const rollbackId = info.rollbackInfo?.rollbackDeploymentId;
  if (!rollbackId) {
    if (info.status === undefined || ACTIVE_DEPLOYMENT_STATUSES.includes(info.status)) {
      return {
        state: 'running',
        line: `Deployment ${deploymentId} is still ${info.status}; no rollback yet.`,
      };
    }
    return {
      state: 'none',
      line: `Deployment ${deploymentId} ended ${info.status ?? 'without a status'}, with no rollback deployment; ${await trafficLine(rt, target, newTaskDefinitionArn)}.`,
    };
  }
  const rollback = await rt.codeDeploy.getDeployment(rollbackId);
  const url = codeDeployDeploymentUrl(rt.region, rollbackId);
  if (rollback.status === 'Succeeded') {
    return {
      state: 'succeeded',
      line: `Rollback ${rollbackId} succeeded: ${await trafficLine(rt, target, newTaskDefinitionArn)}.`,
    };
  }
  if (rollback.status === 'Failed' || rollback.status === 'Stopped') {
    const why = rollback.errorInformation?.message ? `: ${oneLine(rollback.errorInformation.message)}` : '';
    return {
      state: 'failed',
      line: `Rollback ${rollbackId} ${rollback.status.toLowerCase()}${why}; ${await trafficLine(rt, target, newTaskDefinitionArn)}. Check the service now: ${url}`,
    };
  }
  return { state: 'running', line: `Rollback ${rollbackId} is ${rollback.status ?? 'starting'}: ${url}` };
}

/** "100% of production traffic is on web:41 (the previous revision)", from the PRIMARY task set. */
async function trafficLine(
  rt: Runtime,
  { cluster, service }: TargetSettings,
  newTaskDefinitionArn: string | undefined,
): Promise<string> {
  let found: Service | undefined;
  try {
    if (!service) return 'the deployment page shows where production traffic is';
    found = await rt.ecs.describeService(cluster, service);
  } catch (error) {
    return `where production traffic is could not be read (${errorMessage(error)})`;
  }
  const primary = found?.taskSets?.find((taskSet) => taskSet.status === 'PRIMARY')?.taskDefinition;
  if (!primary) return 'the service reports no primary task set';
  const which =
    newTaskDefinitionArn === undefined
      ? ''
      : primary === newTaskDefinitionArn
        ? ' (the new revision)'
        : ' (the previous revision)';
  return `production traffic is on ${taskDefinitionName(primary)}${which}`;
}
