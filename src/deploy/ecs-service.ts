/**
 * The ECS-controller paths: rolling updates and ECS-native blue/green, linear and canary. Both start
 * with UpdateService and are followed through the service deployment it starts; timeout and cancel
 * stop it with StopServiceDeployment (ROLLBACK), so nothing is left half-done.
 */
import type { Service } from '../aws/ports.js';
import { UserError } from '../errors.js';
import { serviceDeploymentUrl } from '../report/console-urls.js';
import { diagnoseEcsFailure } from '../report/diagnosis.js';
import { DEFAULT_POLL_INTERVAL_MS } from '../watch/codedeploy-pace.js';
import { describeStrategy, type EcsSnapshot, type EcsStrategy, ourRollout } from '../watch/ecs-progress.js';
import { type EcsWatchOutcome, watchEcsDeployment } from '../watch/ecs-service.js';
import type { WaitUntil } from '../settings.js';
import type { DeployContext, DeployResult } from './context.js';
import { type Interruption, interruptedResult } from './interrupted.js';

/** How long to look for the service deployment UpdateService started (ListServiceDeployments lags). */
const LOCATE_ATTEMPTS = 5;
/** Clock skew allowance between this runner and ECS when matching by creation time. */
const SKEW_MS = 60_000;

export interface EcsPlan {
  strategy: EcsStrategy;
}

/** Checks that can be made before anything changes. */
export function planEcsDeployment(ctx: DeployContext, service: Service): EcsPlan {
  const strategy = (service.deploymentConfiguration?.strategy ?? 'ROLLING') as EcsStrategy;
  if (strategy === 'ROLLING' && ctx.settings.waitUntil === 'ready') {
    throw new UserError(
      `wait-until: ready waits for the new revision to serve test traffic, but service "${service.serviceName}" uses rolling updates, which have no test traffic stage. ` +
        'Use wait-until: shifted (or complete), or switch the service to a blue/green deployment strategy with a test listener.',
    );
  }
  return { strategy };
}

export async function runEcsDeployment(
  ctx: DeployContext,
  plan: EcsPlan,
  service: Service,
  taskDefinitionArn: string,
): Promise<DeployResult> {
  const { settings, ecs, clock } = ctx;
  const deadline = clock.now() + settings.waitForMinutes * 60_000;
  const serviceName = service.serviceName ?? settings.service ?? '';
  const requestedAt = clock.now();
  await ecs.updateService({
    cluster: settings.cluster,
    service: serviceName,
    taskDefinition: taskDefinitionArn,
    // Only what the user set: anything else would overwrite the service's own configuration.
    ...(settings.desiredCount === undefined ? {} : { desiredCount: settings.desiredCount }),
    ...(settings.forceNewDeployment ? { forceNewDeployment: true } : {}),
    ...(settings.enableEcsManagedTags === undefined
      ? {}
      : { enableECSManagedTags: settings.enableEcsManagedTags }),
    ...(settings.propagateTags === undefined ? {} : { propagateTags: settings.propagateTags }),
  });
  const arn = await locateServiceDeployment(ctx, serviceName, requestedAt);
  const deploymentUrl = serviceDeploymentUrl(ctx.region, settings.cluster, serviceName, arn);
  ctx.setOutput('service-deployment-arn', arn);
  ctx.setOutput('deployment-url', deploymentUrl);
  ctx.rememberInFlight({ kind: 'ecs', serviceDeploymentArn: arn, onCancel: settings.onCancel });
  ctx.info(`Started ECS ${describeStrategy(plan.strategy)} ${arn}: ${deploymentUrl}`);

  if (!settings.waitForServiceStability) {
    ctx.rememberInFlight(undefined);
    const base = { deploymentId: arn, deploymentUrl };
    return { ...base, outcome: 'started', status: 'started (not waiting)', deploymentStatus: 'started' };
  }
  return followEcsDeployment(ctx, {
    arn,
    strategy: plan.strategy,
    cluster: settings.cluster,
    serviceName,
    taskDefinitionArn,
    deadline,
    waitUntil: settings.waitUntil,
  });
}

export interface FollowEcsDeployment {
  arn: string;
  strategy: EcsStrategy;
  cluster: string;
  serviceName: string;
  /** The new revision (rolling updates follow its rollout; diagnosis picks its stopped tasks). */
  taskDefinitionArn: string;
  deadline: number;
  waitUntil: WaitUntil;
}

/**
 * Watches a service deployment (ours, or one being promoted) to the wait target; stops it with
 * rollback at the deadline, on cancel, or when it can no longer be watched.
 */
export async function followEcsDeployment(
  ctx: DeployContext,
  follow: FollowEcsDeployment,
): Promise<DeployResult> {
  const { ecs, clock } = ctx;
  const { arn, serviceName, taskDefinitionArn, deadline } = follow;
  const plan = { strategy: follow.strategy };
  const deploymentUrl = serviceDeploymentUrl(ctx.region, follow.cluster, serviceName, arn);
  const base = { deploymentId: arn, deploymentUrl };
  const interrupted = (interruption: Interruption) =>
    interruptedResult(ctx, `service deployment ${arn}`, follow.waitUntil, interruption, (setting, because) =>
      stopIfAsked(ctx, arn, setting, because),
    );
  let outcome: EcsWatchOutcome;
  try {
    outcome = await watchEcsDeployment({
      ecs,
      cluster: follow.cluster,
      service: serviceName,
      serviceDeploymentArn: arn,
      taskDefinitionArn,
      strategy: plan.strategy,
      waitUntil: follow.waitUntil,
      deadline,
      clock,
      pollIntervalMs: ctx.pollIntervalMs,
      signal: ctx.signal,
      onEvent: ctx.onEvent,
    });
  } catch (error) {
    return { ...base, ...(await interrupted({ kind: 'unwatchable', error })) };
  }

  switch (outcome.kind) {
    case 'reached': {
      ctx.rememberInFlight(undefined);
      const complete = outcome.snapshot.deployment?.status === 'SUCCESSFUL' || plan.strategy === 'ROLLING';
      const status = complete ? 'succeeded' : follow.waitUntil === 'ready' ? 'ready' : 'shifted';
      return {
        ...base,
        outcome: 'success',
        status: complete
          ? 'Succeeded'
          : status === 'ready'
            ? 'ready for promotion (test traffic on the new revision)'
            : 'traffic shifted (bake time not waited out)',
        deploymentStatus: status,
      };
    }
    case 'failed':
      ctx.rememberInFlight(undefined);
      return {
        ...base,
        ...(await describeFailure(
          ctx,
          plan,
          follow.cluster,
          serviceName,
          taskDefinitionArn,
          outcome.snapshot,
        )),
      };
    case 'deadline':
    case 'cancelled':
      return { ...base, ...(await interrupted({ kind: outcome.kind })) };
  }
}

/** The service deployment our UpdateService started: the newest one created since just before it. */
async function locateServiceDeployment(
  ctx: DeployContext,
  serviceName: string,
  requestedAt: number,
): Promise<string> {
  const { ecs, settings, clock } = ctx;
  for (let attempt = 1; ; attempt++) {
    const found = await ecs.listServiceDeployments(
      settings.cluster,
      serviceName,
      new Date(requestedAt - SKEW_MS),
    );
    const newest = [...found].sort(
      (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
    )[0];
    if (newest?.serviceDeploymentArn) return newest.serviceDeploymentArn;
    if (attempt >= LOCATE_ATTEMPTS) {
      throw new UserError(
        `Service "${serviceName}" was updated to the new task definition, but ECS listed no service deployment for it, so ecs-shift cannot follow it.`,
        [
          'Follow it in the console (Deployments tab of the service). If the task definition did not change, set force-new-deployment: true to start a deployment anyway.',
        ],
      );
    }
    await clock.sleep(ctx.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, ctx.signal);
  }
}

async function stopIfAsked(
  ctx: DeployContext,
  arn: string,
  setting: 'rollback' | 'leave',
  because: string,
): Promise<string> {
  const url = serviceDeploymentUrl(
    ctx.region,
    clusterOfArn(arn) ?? ctx.settings.cluster,
    serviceOfArn(arn) ?? '',
    arn,
  );
  if (setting === 'leave') {
    ctx.rememberInFlight(undefined);
    return `Left service deployment ${arn} running as asked (${because}). Follow it at ${url} or with: aws ecs describe-service-deployments --service-deployment-arns ${arn}`;
  }
  ctx.info(`Stopping service deployment ${arn} with rollback because ${because}…`);
  const stopped = await ctx.ecs.stopServiceDeployment(arn);
  ctx.rememberInFlight(undefined);
  if (!stopped)
    return `Service deployment ${arn} had already ended when ecs-shift tried to stop it (${because}).`;
  return `Stopped service deployment ${arn} with rollback because ${because}: ECS returns the service to the previous revision. ${url}`;
}

async function describeFailure(
  ctx: DeployContext,
  plan: EcsPlan,
  cluster: string,
  serviceName: string,
  taskDefinitionArn: string,
  snapshot: EcsSnapshot,
): Promise<Omit<DeployResult, 'deploymentId' | 'deploymentUrl'>> {
  const { ecs } = ctx;
  // Best effort: a failure to gather the diagnosis must not hide the deployment's own failure.
  const stoppedTasks = await ecs.listStoppedTasks(cluster, serviceName, 20).catch(() => []);
  const service =
    (await ecs.describeService(cluster, serviceName).catch(() => undefined)) ?? snapshot.service;
  const failure = diagnoseEcsFailure({
    strategy: plan.strategy,
    deployment: snapshot.deployment,
    rollout: ourRollout({ service }, taskDefinitionArn) ?? ourRollout(snapshot, taskDefinitionArn),
    stoppedTasks,
    serviceEvents: service?.events ?? [],
    newTaskDefinitionArn: taskDefinitionArn,
    region: ctx.region,
    cluster,
    service: serviceName,
  });
  const status = snapshot.deployment?.status ?? 'FAILED';
  const rolledBack = status.startsWith('ROLLBACK');
  return {
    outcome: 'failure',
    status: rolledBack ? 'Failed — rolled back' : status === 'STOPPED' ? 'Stopped' : 'Failed',
    deploymentStatus: rolledBack || status === 'FAILED' ? 'failed' : 'stopped',
    failure,
  };
}

/** `…:service-deployment/<cluster>/<service>/<id>` → cluster. */
export function clusterOfArn(arn: string): string | undefined {
  return /:service-deployment\/([^/]+)\/[^/]+\/[^/]+$/.exec(arn)?.[1];
}

/** `…:service-deployment/<cluster>/<service>/<id>` → service. */
export function serviceOfArn(arn: string): string | undefined {
  return /:service-deployment\/[^/]+\/([^/]+)\/[^/]+$/.exec(arn)?.[1];
}
