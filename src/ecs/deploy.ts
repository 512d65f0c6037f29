/**
 * The ECS-controller paths: rolling updates and ECS-native blue/green, linear and canary. Both start
 * with UpdateService and are followed through the service deployment it starts; timeout and cancel
 * stop it with StopServiceDeployment (ROLLBACK), so nothing is left half-done.
 */
import { isTransient } from '../aws/errors.js';
import type { Service } from '../aws/ports.js';
import { UserError } from '../text/errors.js';
import { serviceDeploymentUrl } from '../report/console-urls.js';
import { diagnoseEcsFailure } from '../report/diagnosis.js';
import { DEFAULT_POLL_INTERVAL_MS } from '../release/pace.js';
import { describeStrategy, type EcsSnapshot, type EcsStrategy, ourRollout } from './progress.js';
import { type EcsWatchOutcome, watchEcsDeployment } from './watch.js';
import type { WaitUntil } from '../settings/settings.js';
import type { DeployContext, DeployResult } from '../release/runtime.js';
import { ecsStopper, readRollback, type ServiceDeploymentRef } from './stop.js';
import { type Interruption, interruptedResult, rollbackWords } from '../release/interrupted.js';
import { followRollback } from '../release/stop.js';

/** How long to look for the service deployment UpdateService started (ListServiceDeployments lags). */
const LOCATE_ATTEMPTS = 5;
/** After a cancel, how long to keep looking (the runner kills the step 10 s after its SIGINT). */
const LOCATE_AFTER_CANCEL_MS = 4_000;
const LOCATE_PAUSE_AFTER_CANCEL_MS = 500;
/** Clock skew allowance between this runner and ECS when matching by creation time. */
const SKEW_MS = 60_000;

export interface EcsPlan {
  strategy: EcsStrategy;
}

/** Checks that can be made before anything changes. */
export function planEcsDeployment(ctx: DeployContext, service: Service): EcsPlan {
  const strategy = (service.deploymentConfiguration?.strategy ?? 'ROLLING') as EcsStrategy;
  if (strategy === 'ROLLING' && ctx.settings.wait.until === 'ready') {
    throw new UserError(
      `wait-until: ready waits for the new revision to serve test traffic, but service "${service.serviceName}" uses rolling updates, which have no test traffic stage. ` +
        'Use wait-until: shifted (or complete), or switch the service to a blue/green deployment strategy with a test listener.',
    );
  }
  if (strategy !== 'ROLLING' && ctx.settings.wait.until === 'ready' && !pausesBeforeProduction(service)) {
    throw new UserError(
      `wait-until: ready waits for the new revision to be approved before production traffic moves, but service "${service.serviceName}" has no PAUSE lifecycle hook before PRODUCTION_TRAFFIC_SHIFT, so its ${describeStrategy(strategy)} would shift production traffic on its own. Nothing was changed.`,
      [
        'Add a lifecycle hook with targetType PAUSE at a stage before production traffic (e.g. POST_TEST_TRAFFIC_SHIFT) to the service, or use wait-until: shifted.',
      ],
    );
  }
  return { strategy };
}

/** Stages at which a PAUSE hook holds the deployment before any production traffic moves. */
const BEFORE_PRODUCTION = ['PRE_SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT'];

function pausesBeforeProduction(service: Service): boolean {
  return (service.deploymentConfiguration?.lifecycleHooks ?? []).some(
    (hook) =>
      (hook.targetType as string | undefined) === 'PAUSE' &&
      (hook.lifecycleStages ?? []).some((stage) => BEFORE_PRODUCTION.includes(stage)),
  );
}

export async function runEcsDeployment(
  ctx: DeployContext,
  plan: EcsPlan,
  service: Service,
  taskDefinitionArn: string,
): Promise<DeployResult> {
  const { settings, ecs, clock } = ctx;
  const { deadline } = ctx;
  const serviceName = service.serviceName ?? settings.target.service ?? '';
  const requestedAt = clock.now();
  // Saved before the request: a step killed while it is unanswered still lets the post step find it.
  ctx.rememberInFlight({
    kind: 'ecs-requested',
    cluster: settings.target.cluster,
    service: serviceName,
    taskDefinitionArn,
    requestedAt,
    onCancel: settings.wait.onCancel,
  });
  try {
    await ecs.updateService({
      cluster: settings.target.cluster,
      service: serviceName,
      taskDefinition: taskDefinitionArn,
      // Only what the user set: anything else would overwrite the service's own configuration.
      ...(settings.serviceUpdate.desiredCount === undefined
        ? {}
        : { desiredCount: settings.serviceUpdate.desiredCount }),
      ...(settings.serviceUpdate.forceNewDeployment ? { forceNewDeployment: true } : {}),
      ...(settings.serviceUpdate.enableEcsManagedTags === undefined
        ? {}
        : { enableECSManagedTags: settings.serviceUpdate.enableEcsManagedTags }),
      ...(settings.serviceUpdate.propagateTags === undefined
        ? {}
        : { propagateTags: settings.serviceUpdate.propagateTags }),
    });
  } catch (error) {
    if (!isTransient(error)) ctx.rememberInFlight(undefined); // refused outright: nothing started
    throw error;
  }
  const arn = await locateServiceDeployment(ctx, serviceName, requestedAt);
  const deploymentUrl = serviceDeploymentUrl(ctx.region, settings.target.cluster, serviceName, arn);
  ctx.setOutput('service-deployment-arn', arn);
  ctx.setOutput('deployment-url', deploymentUrl);
  ctx.rememberInFlight({ kind: 'ecs', serviceDeploymentArn: arn, onCancel: settings.wait.onCancel });
  ctx.info(`Started ECS ${describeStrategy(plan.strategy)} ${arn}: ${deploymentUrl}`);

  if (!settings.wait.follow) {
    ctx.rememberInFlight(undefined);
    const base = { deploymentId: arn, deploymentUrl };
    return { ...base, outcome: 'started', status: 'started (not waiting)', deploymentStatus: 'started' };
  }
  return followEcsDeployment(ctx, {
    arn,
    strategy: plan.strategy,
    cluster: settings.target.cluster,
    serviceName,
    taskDefinitionArn,
    deadline,
    waitUntil: settings.wait.until,
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
  const ref = {
    arn,
    cluster: follow.cluster,
    serviceName,
    taskDefinitionArn: taskDefinitionArn || undefined,
  };
  const interrupted = (interruption: Interruption) =>
    interruptedResult(ctx, `service deployment ${arn}`, follow.waitUntil, interruption, ecsStopper(ctx, ref));
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
        ...(await describeFailure(ctx, plan, ref, outcome.snapshot)),
      };
    case 'deadline':
    case 'cancelled':
      return { ...base, ...(await interrupted({ kind: outcome.kind })) };
  }
}

/**
 * The service deployment our UpdateService started: the newest one created since just before it.
 * ListServiceDeployments can lag behind UpdateService, so it is asked a few times; a cancel during the
 * search does not end it (the deployment it finds must be stopped), it only shortens the pauses.
 */
async function locateServiceDeployment(
  ctx: DeployContext,
  serviceName: string,
  requestedAt: number,
): Promise<string> {
  const { ecs, settings, clock } = ctx;
  let cancelledAt: number | undefined;
  for (let attempt = 1; ; attempt++) {
    const found = await ecs.listServiceDeployments(
      settings.target.cluster,
      serviceName,
      new Date(requestedAt - SKEW_MS),
    );
    const newest = [...found].sort(
      (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
    )[0];
    if (newest?.serviceDeploymentArn) return newest.serviceDeploymentArn;
    if (ctx.signal.aborted) cancelledAt ??= clock.now();
    const searchOver =
      cancelledAt === undefined
        ? attempt >= LOCATE_ATTEMPTS
        : clock.now() - cancelledAt >= LOCATE_AFTER_CANCEL_MS;
    if (searchOver) {
      throw new UserError(
        `Service "${serviceName}" was updated to the new task definition, but ECS listed no service deployment for it, so ecs-shift cannot follow it.`,
        [
          cancelledAt === undefined
            ? 'Follow it in the console (Deployments tab of the service). If the task definition did not change, set force-new-deployment: true to start a deployment anyway.'
            : 'The workflow was cancelled meanwhile: the post step looks for the deployment again and stops it with rollback.',
        ],
      );
    }
    // Not interruptible: after a cancel the search goes on, at a quicker pace.
    await clock.sleep(
      cancelledAt === undefined
        ? (ctx.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS)
        : LOCATE_PAUSE_AFTER_CANCEL_MS,
    );
  }
}

async function describeFailure(
  ctx: DeployContext,
  plan: EcsPlan,
  ref: ServiceDeploymentRef,
  snapshot: EcsSnapshot,
): Promise<Omit<DeployResult, 'deploymentId' | 'deploymentUrl'>> {
  const { ecs } = ctx;
  const { cluster, serviceName } = ref;
  const taskDefinitionArn = ref.taskDefinitionArn ?? '';
  // ECS is rolling back (circuit breaker, alarm, hook): follow it, so the report says where it ended.
  const rollingBack = ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'].includes(
    snapshot.deployment?.status ?? '',
  );
  const rollback = rollingBack ? await followRollback(ctx, () => readRollback(ctx, ref)) : undefined;
  // Best effort: a failure to gather the diagnosis must not hide the deployment's own failure.
  const stoppedTasks = await ecs.listStoppedTasks(cluster, serviceName, 20).catch(() => []);
  const service =
    (await ecs.describeService(cluster, serviceName).catch(() => undefined)) ?? snapshot.service;
  const failure = diagnoseEcsFailure({
    strategy: plan.strategy,
    deployment: snapshot.deployment,
    rollback,
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
  const rollbackState = rollback
    ? rollbackWords(rollback)
    : status === 'ROLLBACK_FAILED'
      ? 'rollback failed'
      : 'rolled back';
  return {
    outcome: 'failure',
    status: rolledBack ? `Failed — ${rollbackState}` : status === 'STOPPED' ? 'Stopped' : 'Failed',
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
