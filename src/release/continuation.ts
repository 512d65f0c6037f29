/**
 * `promote` and `abort`: act on a deployment an earlier step left waiting at `wait-until: ready`
 * (CodeDeploy status Ready; ECS-native: a PAUSE hook AWAITING_ACTION). Promote continues it and
 * follows it to the wait target like a deployment of our own; abort rolls it back.
 */
import { UserError } from '../text/errors.js';
import { codeDeployDeploymentUrl, serviceDeploymentUrl } from '../report/console-urls.js';
import type { Continuation, WaitUntil } from '../settings/settings.js';
import { trafficStepMs } from '../codedeploy/pace.js';
import { awaitingApproval, type EcsStrategy } from '../ecs/progress.js';
import { isTransient } from '../aws/errors.js';
import { followCodeDeployment } from '../codedeploy/deploy.js';
import { codeDeployStopper } from '../codedeploy/stop.js';
import { readRollback as readEcsRollback } from '../ecs/stop.js';
import { rollbackWords } from './interrupted.js';
import { followRollback, type RollbackReport, STOP_BUDGET_MS } from './stop.js';
import type { DeployContext, DeployResult } from './runtime.js';
import { clusterOfArn, followEcsDeployment, serviceOfArn } from '../ecs/deploy.js';

export function isServiceDeploymentArn(target: string): boolean {
  return target.includes(':service-deployment/');
}

export async function runContinuation(ctx: DeployContext, continuation: Continuation): Promise<DeployResult> {
  return isServiceDeploymentArn(continuation.target)
    ? continueEcs(ctx, continuation)
    : continueCodeDeploy(ctx, continuation);
}

/** After a promote, `ready` has been reached already: follow on to the shift. */
function waitAfterPromote(waitUntil: WaitUntil): WaitUntil {
  return waitUntil === 'ready' ? 'shifted' : waitUntil;
}

async function continueCodeDeploy(
  ctx: DeployContext,
  { action, target: id }: Continuation,
): Promise<DeployResult> {
  const { codeDeploy, settings } = ctx;
  const { deadline } = ctx;
  const info = await codeDeploy.getDeployment(id);
  const url = codeDeployDeploymentUrl(ctx.region, id);
  ctx.setOutput('codedeploy-deployment-id', id);
  ctx.setOutput('deployment-url', url);
  const base = { deploymentId: id, deploymentUrl: url, deploymentConfig: info.deploymentConfigName };
  if (info.status !== 'Ready')
    throw notWaiting(action, `CodeDeploy deployment ${id}`, `status ${info.status}`, url);

  if (action === 'abort') {
    const stopper = codeDeployStopper(ctx, id, undefined);
    const stop = await stopper.stopOrLeave('rollback', 'abort was asked', STOP_BUDGET_MS);
    if (stop.kind === 'stop-failed') {
      return {
        ...base,
        outcome: 'failure',
        status: 'abort failed — STILL RUNNING',
        deploymentStatus: 'failed',
        failure: { headline: `Could not abort deployment ${id}.`, details: [stop.line, ...stop.details] },
      };
    }
    ctx.info(stop.line);
    return abortResult(base, stop.kind === 'stopped' ? await stopper.confirmRollback() : undefined, ctx);
  }
  // Saved first: once promoted, traffic moves, and a killed step must still leave it findable.
  ctx.rememberInFlight({ kind: 'codedeploy', deploymentId: id, onCancel: settings.wait.onCancel });
  await continueOrForget(ctx, () => codeDeploy.continueDeployment(id, 'READY_WAIT'));
  ctx.info(`Promoted deployment ${id}: production traffic moves to the new revision. ${url}`);
  const configName = info.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce';
  const config = await codeDeploy.getDeploymentConfig(configName);
  return followCodeDeployment(ctx, {
    deploymentId: id,
    deploymentConfig: configName,
    trafficStepMs: trafficStepMs(config),
    deadline,
    waitUntil: waitAfterPromote(settings.wait.until),
  });
}

async function continueEcs(ctx: DeployContext, { action, target: arn }: Continuation): Promise<DeployResult> {
  const { ecs, settings } = ctx;
  const { deadline } = ctx;
  const cluster = clusterOfArn(arn) ?? settings.target.cluster;
  const serviceName = serviceOfArn(arn) ?? settings.target.service ?? '';
  const url = serviceDeploymentUrl(ctx.region, cluster, serviceName, arn);
  ctx.setOutput('service-deployment-arn', arn);
  ctx.setOutput('deployment-url', url);
  const deployment = await ecs.describeServiceDeployment(arn);
  const hook = awaitingApproval({ deployment });
  if (!hook?.hookId) {
    const where = `status ${deployment.status}${deployment.lifecycleStage ? `, stage ${deployment.lifecycleStage}` : ''}`;
    throw notWaiting(action, `ECS service deployment ${arn}`, where, url);
  }
  const base = { deploymentId: arn, deploymentUrl: url };
  if (action === 'abort') {
    await ecs.continueServiceDeployment(arn, hook.hookId, 'ROLLBACK');
    ctx.info(
      `Asked ECS to roll back service deployment ${arn} at ${deployment.lifecycleStage}: it returns the service to the previous revision. ${url}`,
    );
    const ref = { arn, cluster, serviceName };
    return abortResult(base, await followRollback(ctx, () => readEcsRollback(ctx, ref)), ctx);
  }
  ctx.rememberInFlight({ kind: 'ecs', serviceDeploymentArn: arn, onCancel: settings.wait.onCancel });
  await continueOrForget(ctx, () => ecs.continueServiceDeployment(arn, hook.hookId!, 'CONTINUE'));
  ctx.info(`Promoted service deployment ${arn}: production traffic moves to the new revision. ${url}`);
  return followEcsDeployment(ctx, {
    arn,
    strategy: (deployment.deploymentConfiguration?.strategy ?? 'BLUE_GREEN') as EcsStrategy,
    cluster,
    serviceName,
    taskDefinitionArn: '',
    deadline,
    waitUntil: waitAfterPromote(settings.wait.until),
  });
}

/** Promotes; a refusal (nothing moved) forgets the saved state again. */
async function continueOrForget(ctx: DeployContext, promote: () => Promise<void>): Promise<void> {
  try {
    await promote();
  } catch (error) {
    if (!isTransient(error)) ctx.rememberInFlight(undefined);
    throw error;
  }
}

/** The result of an abort, once its rollback was followed: "aborted — rolled back" only when it did. */
function abortResult(
  base: Pick<DeployResult, 'deploymentId' | 'deploymentUrl' | 'deploymentConfig'>,
  rollback: RollbackReport | undefined,
  ctx: DeployContext,
): DeployResult {
  if (rollback) ctx.info(rollback.line);
  const failed = rollback?.state === 'failed';
  return {
    ...base,
    outcome: failed ? 'failure' : 'success',
    status: `aborted — ${rollbackWords(rollback)}`,
    deploymentStatus: 'stopped',
    ...(failed
      ? { failure: { headline: 'The rollback of the aborted deployment failed.', details: [rollback.line] } }
      : {}),
  };
}

function notWaiting(action: Continuation['action'], what: string, state: string, url: string): UserError {
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
