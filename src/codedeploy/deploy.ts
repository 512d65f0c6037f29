/**
 * The CODE_DEPLOY path: check the application and deployment group fit the service (before any
 * change), then create the blue/green deployment, follow it, and stop it with rollback when it must
 * not be left running (deadline, cancel, a watch that cannot continue).
 */
import type { DeploymentGroupInfo, DeploymentInfo, Service, TaskDefinition } from '../aws/ports.js';
import {
  type AppSpec,
  appSpecRevision,
  checkAppSpecAgainstTaskDefinition,
  generateAppSpec,
  parseAppSpec,
  withTaskDefinitionArn,
} from './appspec.js';
import { UserError } from '../text/errors.js';
import { clusterName, codeDeployDeploymentUrl } from '../report/console-urls.js';
import { diagnoseCodeDeployFailure } from '../report/diagnosis.js';
import type { RunContext, WaitUntil } from '../settings/settings.js';
import { trafficStepMs } from './pace.js';
import { DEFAULT_POLL_INTERVAL_MS } from '../release/pace.js';
import { watchCodeDeployment, type CodeDeployWatchOutcome } from './watch.js';
import { isDeploymentLimitExceeded } from '../aws/codedeploy.js';
import type { CreateDeploymentRequest } from '../aws/ports.js';
import { clearTheWay, refuseIfBusy } from './conflicts.js';
import { createDeploymentOnce, MAX_DESCRIPTION_LENGTH, withRequestToken } from './create-once.js';
import type { DeployContext, DeployResult } from '../release/runtime.js';
import { codeDeployStopper, readRollback } from './stop.js';
import { type Interruption, interruptedResult, rollbackWords } from '../release/interrupted.js';
import { followRollback } from '../release/stop.js';

export interface CodeDeployPlan {
  application: string;
  deploymentGroup: string;
  /** The config this deployment will use: the input, or the group's own. */
  deploymentConfig: string;
  appSpec: AppSpec;
  group: DeploymentGroupInfo;
  /** Time between canary/linear traffic steps, from the deployment config. */
  trafficStepMs?: number;
}

/** Everything that can be checked before registering: group, binding, config, AppSpec. */
export async function planCodeDeploy(
  ctx: DeployContext,
  service: Service,
  renderedTaskDefinition: Record<string, unknown>,
  appSpecText: { text: string; origin: string } | undefined,
): Promise<CodeDeployPlan> {
  const { settings } = ctx;
  const application = settings.codeDeploy.application;
  const deploymentGroup = settings.codeDeploy.deploymentGroup;
  const group = await ctx.codeDeploy.getDeploymentGroup(application, deploymentGroup);

  const cluster = clusterName(settings.target.cluster);
  const bound = (group.ecsServices ?? []).some(
    (s) => s.clusterName === cluster && s.serviceName === service.serviceName,
  );
  if (!bound) {
    const boundTo =
      (group.ecsServices ?? []).map((s) => `${s.clusterName}/${s.serviceName}`).join(', ') || 'no service';
    throw new UserError(
      `CodeDeploy deployment group "${deploymentGroup}" (application "${application}") deploys ${boundTo}, not ${cluster}/${service.serviceName}. ` +
        `Set codedeploy-application and codedeploy-deployment-group to the group of this service, or check cluster and service.`,
    );
  }
  if (
    settings.wait.until === 'ready' &&
    group.blueGreenDeploymentConfiguration?.deploymentReadyOption?.actionOnTimeout !== 'STOP_DEPLOYMENT'
  ) {
    throw new UserError(
      `wait-until: ready waits for the deployment to pause before production traffic moves, but deployment group "${deploymentGroup}" reroutes traffic immediately. ` +
        `Configure the group to "specify when to reroute traffic" (deploymentReadyOption.actionOnTimeout STOP_DEPLOYMENT), or use wait-until: shifted.`,
    );
  }

  // Checks an input config exists, and tells the watch how long each canary/linear step lasts.
  const deploymentConfig =
    settings.codeDeploy.deploymentConfig ?? group.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce';
  const configInfo = await ctx.codeDeploy.getDeploymentConfig(deploymentConfig);

  // on-conflict: fail must not leave a freshly registered, unused revision behind.
  await refuseIfBusy(ctx, { application, deploymentGroup });

  const appSpec = appSpecText ? parseAppSpec(appSpecText.text, appSpecText.origin) : generateAppSpec(service);
  checkAppSpecAgainstTaskDefinition(
    appSpec,
    renderedTaskDefinition as TaskDefinition,
    appSpecText?.origin ?? 'the AppSpec generated from the service',
  );
  return {
    application,
    deploymentGroup,
    deploymentConfig,
    appSpec,
    group,
    trafficStepMs: trafficStepMs(configInfo),
  };
}

/** Creates the deployment for the registered revision and follows it to the wait target. */
export async function runCodeDeploy(
  ctx: DeployContext,
  plan: CodeDeployPlan,
  taskDefinitionArn: string,
): Promise<DeployResult> {
  const { settings } = ctx;
  // One deadline for the whole step: a one-off task and a wait for an earlier deployment use it up too.
  const { deadline } = ctx;
  const request: CreateDeploymentRequest = {
    applicationName: plan.application,
    deploymentGroupName: plan.deploymentGroup,
    revision: {
      revisionType: 'AppSpecContent',
      appSpecContent: appSpecRevision(withTaskDefinitionArn(plan.appSpec, taskDefinitionArn)),
    },
    deploymentConfigName: settings.codeDeploy.deploymentConfig,
    // The token lets a retry find the deployment a lost CreateDeployment answer had started.
    description: withRequestToken(
      settings.codeDeploy.description ?? defaultDescription(settings.runner.run),
      ctx.requestToken,
    ),
  };
  const deploymentId = await createWhenGroupIsFree(ctx, plan, request, deadline);
  const deploymentUrl = codeDeployDeploymentUrl(ctx.region, deploymentId);
  ctx.setOutput('codedeploy-deployment-id', deploymentId);
  ctx.setOutput('deployment-url', deploymentUrl);
  ctx.rememberInFlight({ kind: 'codedeploy', deploymentId, onCancel: settings.wait.onCancel });
  ctx.info(`Created CodeDeploy deployment ${deploymentId} (${plan.deploymentConfig}): ${deploymentUrl}`);

  if (!settings.wait.follow) {
    ctx.rememberInFlight(undefined); // asked not to wait: the deployment is meant to go on without us
    const base = { deploymentId, deploymentUrl, deploymentConfig: plan.deploymentConfig };
    return { ...base, outcome: 'started', status: 'started (not waiting)', deploymentStatus: 'started' };
  }
  return followCodeDeployment(ctx, {
    deploymentId,
    deploymentConfig: plan.deploymentConfig,
    trafficStepMs: plan.trafficStepMs,
    taskDefinitionArn,
    deadline,
    waitUntil: settings.wait.until,
  });
}

export interface FollowCodeDeployment {
  deploymentId: string;
  deploymentConfig: string;
  trafficStepMs?: number;
  /** The new revision, to pick its stopped tasks out in a diagnosis. */
  taskDefinitionArn?: string;
  deadline: number;
  waitUntil: WaitUntil;
}

/**
 * Watches a deployment (ours, or one being promoted) to the wait target and turns the outcome into a
 * result; stops it with rollback at the deadline, on cancel, or when it can no longer be watched.
 */
export async function followCodeDeployment(
  ctx: DeployContext,
  follow: FollowCodeDeployment,
): Promise<DeployResult> {
  const { codeDeploy, clock } = ctx;
  const { deploymentId, deadline, taskDefinitionArn } = follow;
  const deploymentUrl = codeDeployDeploymentUrl(ctx.region, deploymentId);
  const base = { deploymentId, deploymentUrl, deploymentConfig: follow.deploymentConfig };
  const interrupted = (interruption: Interruption) =>
    interruptedResult(
      ctx,
      `deployment ${deploymentId}`,
      follow.waitUntil,
      interruption,
      codeDeployStopper(ctx, deploymentId, taskDefinitionArn),
    );
  let outcome: CodeDeployWatchOutcome;
  try {
    outcome = await watchCodeDeployment({
      codeDeploy,
      deploymentId,
      waitUntil: follow.waitUntil,
      deadline,
      clock,
      pollIntervalMs: ctx.pollIntervalMs,
      trafficStepMs: follow.trafficStepMs,
      signal: ctx.signal,
      onEvent: ctx.onEvent,
    });
  } catch (error) {
    return { ...base, ...(await interrupted({ kind: 'unwatchable', error })) };
  }

  switch (outcome.kind) {
    case 'reached':
      ctx.rememberInFlight(undefined);
      return {
        ...base,
        outcome: 'success',
        status: reachedStatus(follow.waitUntil, outcome.deployment),
        deploymentStatus:
          follow.waitUntil === 'complete' || outcome.deployment?.status === 'Succeeded'
            ? 'succeeded'
            : follow.waitUntil,
      };
    case 'failed':
      ctx.rememberInFlight(undefined);
      return { ...base, ...(await describeFailure(ctx, deploymentId, taskDefinitionArn, outcome)) };
    case 'deadline':
    case 'cancelled':
      return { ...base, ...(await interrupted({ kind: outcome.kind })) };
  }
}

/** Queues behind (or stops) an active deployment, also when one slips in just before ours. */
async function createWhenGroupIsFree(
  ctx: DeployContext,
  plan: CodeDeployPlan,
  request: CreateDeploymentRequest,
  deadline: number,
): Promise<string> {
  for (;;) {
    await clearTheWay(ctx, plan, deadline);
    try {
      return await createDeploymentOnce(ctx, request, ctx.requestToken, deadline);
    } catch (error) {
      if (!isDeploymentLimitExceeded(error)) throw error;
      ctx.info(
        `Another deployment${error.activeDeploymentId ? ` (${error.activeDeploymentId})` : ''} started in the group just before ours.`,
      );
      await ctx.clock.sleep(ctx.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, ctx.signal);
    }
  }
}

function reachedStatus(waitUntil: string, deployment: DeploymentInfo | undefined): string {
  if (deployment?.status === 'Succeeded') return 'Succeeded';
  if (waitUntil === 'ready') return 'ready for promotion (test traffic on the new revision)';
  return 'traffic shifted (the old task set is kept for the termination wait)';
}

async function describeFailure(
  ctx: DeployContext,
  deploymentId: string,
  newTaskDefinitionArn: string | undefined,
  outcome: CodeDeployWatchOutcome,
): Promise<Omit<DeployResult, 'deploymentId' | 'deploymentUrl' | 'deploymentConfig'>> {
  const { settings, ecs, codeDeploy } = ctx;
  const service = settings.target.service ?? '';
  // Diagnosis is best effort: a failure to gather it must not hide the deployment's own failure.
  const deployment = outcome.deployment ?? (await codeDeploy.getDeployment(deploymentId));
  const target = outcome.snapshot.target;
  const stoppedTasks = await ecs.listStoppedTasks(settings.target.cluster, service, 20).catch(() => []);
  const serviceEvents =
    (await ecs.describeService(settings.target.cluster, service).catch(() => undefined))?.events ?? [];
  // CodeDeploy started a rollback: follow it, so the report says where traffic ended up.
  const rollback = deployment.rollbackInfo?.rollbackDeploymentId
    ? await followRollback(ctx, () => readRollback(ctx, deploymentId, newTaskDefinitionArn))
    : undefined;
  const failure = diagnoseCodeDeployFailure({
    deployment,
    rollback,
    target,
    stoppedTasks,
    serviceEvents,
    newTaskDefinitionArn,
    region: ctx.region,
    cluster: settings.target.cluster,
    service,
  });
  const status = deployment.status === 'Stopped' ? 'Stopped' : 'Failed';
  return {
    outcome: 'failure',
    status: rollback ? `${status} — ${rollbackWords(rollback)}` : status,
    deploymentStatus: status.toLowerCase(),
    failure,
  };
}

/** "Deployed by ecs-shift from owner/repo@abc1234, run https://…" within CodeDeploy's limit. */
export function defaultDescription(run: RunContext): string {
  const parts = ['Deployed by ecs-shift'];
  if (run.repository) parts.push(`from ${run.repository}${run.sha ? `@${run.sha.slice(0, 7)}` : ''}`);
  if (run.repository && run.runId)
    parts.push(`run ${run.serverUrl}/${run.repository}/actions/runs/${run.runId}`);
  return parts.join(' ').slice(0, MAX_DESCRIPTION_LENGTH);
}
