/**
 * Stopping an ECS service deployment (StopServiceDeployment with ROLLBACK) and reading where its
 * rollback stands: the service deployment itself goes ROLLBACK_IN_PROGRESS → ROLLBACK_SUCCESSFUL.
 */
import type { Service } from '../aws/ports.js';
import { errorMessage } from '../text/errors.js';
import { followServiceDeploymentCommand, stopServiceDeploymentCommand } from '../report/commands.js';
import { serviceDeploymentUrl, taskDefinitionName } from '../report/console-urls.js';
import type { OnStop } from '../settings/settings.js';
import type { Runtime } from '../release/runtime.js';
import type { Stopper } from '../release/interrupted.js';
import {
  followRollback,
  type RollbackReport,
  retryStop,
  type StopOutcome,
  stopFailed,
} from '../release/stop.js';

export interface ServiceDeploymentRef {
  arn: string;
  cluster: string;
  serviceName: string;
  /** The new revision, to say whether the service still runs it. */
  taskDefinitionArn?: string;
}

export function ecsStopper(rt: Runtime, ref: ServiceDeploymentRef): Stopper {
  return {
    stopOrLeave: (setting, because, budgetMs) => stopOrLeave(rt, ref, setting, because, budgetMs),
    confirmRollback: () => followRollback(rt, () => readRollback(rt, ref)),
  };
}

async function stopOrLeave(
  rt: Runtime,
  ref: ServiceDeploymentRef,
  setting: OnStop,
  because: string,
  budgetMs: number,
): Promise<StopOutcome> {
  const { arn } = ref;
  const url = serviceDeploymentUrl(rt.region, ref.cluster, ref.serviceName, arn);
  if (setting === 'leave') {
    rt.rememberInFlight(undefined);
    return {
      kind: 'left',
      line: `Left service deployment ${arn} running as asked (${because}). Follow it at ${url} or with: ${followServiceDeploymentCommand(arn)}`,
    };
  }
  rt.info(`Stopping service deployment ${arn} with rollback because ${because}…`);
  let stopped: boolean;
  try {
    stopped = await retryStop(rt, () => rt.ecs.stopServiceDeployment(arn), budgetMs);
  } catch (error) {
    // The post step tries again, whatever on-cancel says: stopping it was already decided.
    rt.rememberInFlight({ kind: 'ecs', serviceDeploymentArn: arn, onCancel: 'rollback' });
    return stopFailed(`service deployment ${arn}`, error, stopServiceDeploymentCommand(arn));
  }
  rt.rememberInFlight(undefined);
  if (!stopped) {
    return {
      kind: 'already-ended',
      line: `Service deployment ${arn} had already ended when ecs-shift tried to stop it (${because}).`,
    };
  }
  return {
    kind: 'stopped',
    line: `Stopped service deployment ${arn} with rollback because ${because}: ECS returns the service to the previous revision. ${url}`,
  };
}

/** Where the rollback of the service deployment stands, and which revision the service runs. */
export async function readRollback(rt: Runtime, ref: ServiceDeploymentRef): Promise<RollbackReport> {
  const deployment = await rt.ecs.describeServiceDeployment(ref.arn);
  const status = deployment.status ?? '';
  const url = serviceDeploymentUrl(rt.region, ref.cluster, ref.serviceName, ref.arn);
  switch (status) {
    case 'ROLLBACK_SUCCESSFUL':
      return { state: 'succeeded', line: `The rollback succeeded: ${await runningLine(rt, ref)}.` };
    case 'ROLLBACK_FAILED':
      return {
        state: 'failed',
        line: `The rollback failed${deployment.statusReason ? ` (${deployment.statusReason})` : ''}; ${await runningLine(rt, ref)}. Check the service now: ${url}`,
      };
    case 'STOPPED':
    case 'SUCCESSFUL':
      return {
        state: 'none',
        line: `The deployment ended ${status} without a rollback; ${await runningLine(rt, ref)}.`,
      };
    default:
      return { state: 'running', line: `The rollback is ${status || 'starting'}: ${url}` };
  }
}

/** "production traffic is on web:41 (the previous revision)", from the PRIMARY rollout. */
async function runningLine(rt: Runtime, ref: ServiceDeploymentRef): Promise<string> {
  let service: Service | undefined;
  try {
    service = await rt.ecs.describeService(ref.cluster, ref.serviceName);
  } catch (error) {
    return `which revision the service runs could not be read (${errorMessage(error)})`;
  }
  const primary = service?.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;
  if (!primary) return 'the service reports no primary deployment';
  const which = !ref.taskDefinitionArn
    ? ''
    : primary === ref.taskDefinitionArn
      ? ' (the new revision)'
      : ' (the previous revision)';
  return `production traffic is on ${taskDefinitionName(primary)}${which}`;
}
