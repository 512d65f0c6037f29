/**
 * The ECS-controller strategy: rolling updates and ECS-native blue/green, linear and canary. Each
 * starts with UpdateService and is followed through the service deployment it starts; timeout and
 * cancel stop it with StopServiceDeployment (ROLLBACK), so nothing is left half-done. Promote and abort
 * answer the PAUSE hook a deployment waits at.
 */
import { ecsConfigWords } from '../report/deployment-config.js';
import { isTransient } from '../aws/errors.js';
import type { Service } from '../aws/ports.js';
import { DEFAULT_POLL_INTERVAL_MS } from '../release/pace.js';
import type { Runtime, WaitPolicy } from '../release/runtime.js';
import { endingOf, followRollback } from '../release/stop.js';
import { rollbackWords } from '../release/interrupted.js';
import type { LiveDeployment, ResultFields, Strategy } from '../release/strategy.js';
import { notWaiting } from '../release/waiting.js';
import { serviceDeploymentUrl } from '../report/console-urls.js';
import { diagnoseEcsFailure } from './diagnosis.js';
import type { ServiceUpdateSettings, TargetSettings, WaitUntil } from '../settings/settings.js';
import { UserError } from '../text/errors.js';
import { capitalize } from '../text/format.js';
import {
  awaitingApproval,
  describeStrategy,
  type EcsSnapshot,
  type EcsStrategy,
  ourRollout,
} from './progress.js';
import { ecsStopper, readRollback, type ServiceDeploymentRef } from './stop.js';
import { appLogsOfStoppedTasks } from '../release/app-logs.js';
import { watchEcsDeployment } from './watch.js';

/** How long to look for the service deployment UpdateService started (ListServiceDeployments lags). */
const LOCATE_ATTEMPTS = 5;
/** After a cancel, how long to keep looking (the runner kills the step 10 s after its SIGINT). */
const LOCATE_AFTER_CANCEL_MS = 4_000;
const LOCATE_PAUSE_AFTER_CANCEL_MS = 500;
/** Clock skew allowance between this runner and ECS when matching by creation time. */
const SKEW_MS = 60_000;

/** What this strategy is handed of the settings. */
export interface EcsSlice {
  target: TargetSettings;
  serviceUpdate: ServiceUpdateSettings;
  wait: WaitPolicy;
}

export function ecsStrategy(slice: EcsSlice): Strategy {
  return {
    async plan(rt, { service }) {
      const strategy = planEcsDeployment(slice.wait.until, service);
      return {
        controller: strategy === 'ROLLING' ? 'ROLLING' : 'ECS',
        deploymentConfig: ecsConfigWords(service.deploymentConfiguration),
        title: `Deploy with an ECS ${describeStrategy(strategy)}`,
        start: (taskDefinitionArn) => startEcsDeployment(rt, slice, strategy, service, taskDefinitionArn),
      };
    },
    openWaiting: (rt, { action, target }) => openWaiting(rt, slice.target, action, target),
  };
}

/** Checks that can be made before anything changes; returns the service's deployment strategy. */
export function planEcsDeployment(waitUntil: WaitUntil, service: Service): EcsStrategy {
  const strategy = (service.deploymentConfiguration?.strategy ?? 'ROLLING') as EcsStrategy;
  if (strategy === 'ROLLING' && waitUntil === 'ready') {
    throw new UserError(
      `wait-until: ready waits for the new revision to serve test traffic, but service "${service.serviceName}" uses rolling updates, which have no test traffic stage. ` +
        'Use wait-until: shifted (or complete), or switch the service to a blue/green deployment strategy with a test listener.',
    );
  }
  if (strategy !== 'ROLLING' && waitUntil === 'ready' && !pausesBeforeProduction(service)) {
    throw new UserError(
      `wait-until: ready waits for the new revision to be approved before production traffic moves, but service "${service.serviceName}" has no PAUSE lifecycle hook before PRODUCTION_TRAFFIC_SHIFT, so its ${describeStrategy(strategy)} would shift production traffic on its own. Nothing was changed.`,
      [
        'Add a lifecycle hook with targetType PAUSE at a stage before production traffic (e.g. POST_TEST_TRAFFIC_SHIFT) to the service, or use wait-until: shifted.',
      ],
    );
  }
  return strategy;
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

async function startEcsDeployment(
  rt: Runtime,
  slice: EcsSlice,
  strategy: EcsStrategy,
  service: Service,
  taskDefinitionArn: string,
): Promise<LiveDeployment> {
  const { cluster } = slice.target;
  const update = slice.serviceUpdate;
  const serviceName = service.serviceName ?? slice.target.service ?? '';
  const requestedAt = rt.clock.now();
  const breaker = service.deploymentConfiguration?.deploymentCircuitBreaker?.enable === true;
  // Saved before the request: a step killed while it is unanswered still lets the post step find it.
  rt.rememberInFlight({
    kind: 'ecs-requested',
    cluster,
    service: serviceName,
    taskDefinitionArn,
    requestedAt,
    onCancel: slice.wait.onCancel,
  });
  try {
    await rt.ecs.updateService({
      cluster,
      service: serviceName,
      taskDefinition: taskDefinitionArn,
      // Only what the user set: anything else would overwrite the service's own configuration.
      ...(update.desiredCount === undefined ? {} : { desiredCount: update.desiredCount }),
      ...(update.forceNewDeployment ? { forceNewDeployment: true } : {}),
      ...(update.enableEcsManagedTags === undefined
        ? {}
        : { enableECSManagedTags: update.enableEcsManagedTags }),
      ...(update.propagateTags === undefined ? {} : { propagateTags: update.propagateTags }),
      ...(update.managedEbsVolume ? { volumeConfigurations: [update.managedEbsVolume as never] } : {}),
    });
  } catch (error) {
    if (!isTransient(error)) rt.rememberInFlight(undefined); // refused outright: nothing started
    throw error;
  }
  const arn = await locateServiceDeployment(rt, cluster, serviceName, requestedAt);
  const live = liveEcsDeployment(rt, { arn, cluster, serviceName, taskDefinitionArn }, strategy, {
    cluster,
    service: serviceName,
    taskDefinitionArn,
    desiredCount: update.desiredCount ?? service.desiredCount ?? 0,
    startedAt: requestedAt,
    circuitBreaker: breaker,
  });
  rt.setOutput('service-deployment-arn', arn);
  rt.setOutput('deployment-url', live.url);
  rt.rememberInFlight(live.inFlight(slice.wait.onCancel));
  rt.info(`Started ECS ${describeStrategy(strategy)} ${arn}: ${live.url}`);
  return live;
}

/**
 * A service deployment (ours, or one being promoted) as the shared follow-up drives it: watched to the
 * wait target, stopped with rollback when it must not be left running, its failure explained.
 */
function liveEcsDeployment(
  rt: Runtime,
  ref: ServiceDeploymentRef,
  strategy: EcsStrategy,
  tasks?: LiveDeployment['tasks'],
): LiveDeployment {
  const { arn } = ref;
  return {
    id: arn,
    url: serviceDeploymentUrl(rt.region, ref.cluster, ref.serviceName, arn),
    subject: `service deployment ${arn}`,
    inFlight: (onCancel) => ({ kind: 'ecs', serviceDeploymentArn: arn, onCancel }),
    stopper: () => ecsStopper(rt, ref),
    tasks,
    async watch(until, deadline, crashCheck) {
      const outcome = await watchEcsDeployment({
        ecs: rt.ecs,
        cluster: ref.cluster,
        service: ref.serviceName,
        serviceDeploymentArn: arn,
        taskDefinitionArn: ref.taskDefinitionArn ?? '',
        strategy,
        waitUntil: until,
        deadline,
        clock: rt.clock,
        pollIntervalMs: rt.pollIntervalMs,
        maxPollDelayMs: rt.maxPollDelayMs,
        signal: rt.signal,
        onEvent: rt.onEvent,
        crashCheck,
      });
      switch (outcome.kind) {
        case 'reached':
          return { kind: 'reached', result: reachedResult(strategy, until, outcome.snapshot) };
        case 'failed':
          return { kind: 'failed', describe: () => describeFailure(rt, strategy, ref, outcome.snapshot) };
        case 'crash-loop':
          return { kind: 'crash-loop', crashLoop: outcome.crashLoop! };
        default:
          return { kind: outcome.kind };
      }
    },
  };
}

function reachedResult(strategy: EcsStrategy, waitUntil: WaitUntil, snapshot: EcsSnapshot): ResultFields {
  const complete = snapshot.deployment?.status === 'SUCCESSFUL' || strategy === 'ROLLING';
  const status = complete ? 'succeeded' : waitUntil === 'ready' ? 'ready' : 'shifted';
  return {
    outcome: 'success',
    status: complete
      ? 'succeeded'
      : status === 'ready'
        ? 'ready for promotion (test traffic on the new revision)'
        : 'traffic shifted (bake time not waited out)',
    deploymentStatus: status,
  };
}

/** promote / abort: the service deployment must wait at a PAUSE hook (AWAITING_ACTION). */
async function openWaiting(rt: Runtime, target: TargetSettings, action: 'promote' | 'abort', arn: string) {
  const { ecs } = rt;
  const cluster = clusterOfArn(arn) ?? target.cluster;
  const serviceName = serviceOfArn(arn) ?? target.service ?? '';
  const url = serviceDeploymentUrl(rt.region, cluster, serviceName, arn);
  rt.setOutput('service-deployment-arn', arn);
  rt.setOutput('deployment-url', url);
  const deployment = await ecs.describeServiceDeployment(arn);
  const hookId = awaitingApproval({ deployment })?.hookId;
  if (!hookId) {
    const where = `status ${deployment.status}${deployment.lifecycleStage ? `, stage ${deployment.lifecycleStage}` : ''}`;
    throw notWaiting(action, `ECS service deployment ${arn}`, where, url);
  }
  const ref = { arn, cluster, serviceName };
  const strategy = (deployment.deploymentConfiguration?.strategy ?? 'BLUE_GREEN') as EcsStrategy;
  const live = liveEcsDeployment(rt, ref, strategy);
  return {
    live,
    promote: () => ecs.continueServiceDeployment(arn, hookId, 'CONTINUE'),
    followed: async () => live,
    async abort() {
      await ecs.continueServiceDeployment(arn, hookId, 'ROLLBACK');
      return {
        kind: 'rolling-back' as const,
        line: `Asked ECS to roll back service deployment ${arn} at ${deployment.lifecycleStage}: it returns the service to the previous revision. ${url}`,
        rollback: () => followRollback(rt, () => readRollback(rt, ref)),
      };
    },
  };
}

/**
 * The service deployment our UpdateService started: the newest one created since just before it.
 * ListServiceDeployments can lag behind UpdateService, so it is asked a few times; a cancel during the
 * search does not end it (the deployment it finds must be stopped), it only shortens the pauses.
 */
async function locateServiceDeployment(
  rt: Runtime,
  cluster: string,
  serviceName: string,
  requestedAt: number,
): Promise<string> {
  const { ecs, clock } = rt;
  let cancelledAt: number | undefined;
  for (let attempt = 1; ; attempt++) {
    const found = await ecs.listServiceDeployments(cluster, serviceName, new Date(requestedAt - SKEW_MS));
    const newest = [...found].sort(
      (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
    )[0];
    if (newest?.serviceDeploymentArn) return newest.serviceDeploymentArn;
    if (rt.signal.aborted) cancelledAt ??= clock.now();
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
            : `${capitalize(rt.words.cancelled)} meanwhile: ${rt.words.backstop}.`,
        ],
      );
    }
    // Not interruptible: after a cancel the search goes on, at a quicker pace.
    await clock.sleep(
      cancelledAt === undefined
        ? (rt.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS)
        : LOCATE_PAUSE_AFTER_CANCEL_MS,
    );
  }
}

async function describeFailure(
  rt: Runtime,
  strategy: EcsStrategy,
  ref: ServiceDeploymentRef,
  snapshot: EcsSnapshot,
): Promise<ResultFields> {
  const { ecs } = rt;
  const { cluster, serviceName } = ref;
  const taskDefinitionArn = ref.taskDefinitionArn ?? '';
  // ECS is rolling back (circuit breaker, alarm, hook): follow it, so the report says where it ended.
  const rollingBack = ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'].includes(
    snapshot.deployment?.status ?? '',
  );
  const rollback = rollingBack ? await followRollback(rt, () => readRollback(rt, ref)) : undefined;
  // Best effort: a failure to gather the diagnosis must not hide the deployment's own failure.
  const stoppedTasks = await ecs.listStoppedTasks(cluster, serviceName, 20).catch(() => []);
  const appLogs = await appLogsOfStoppedTasks(rt, stoppedTasks, taskDefinitionArn);
  const service =
    (await ecs.describeService(cluster, serviceName).catch(() => undefined)) ?? snapshot.service;
  const failure = diagnoseEcsFailure({
    strategy,
    deployment: snapshot.deployment,
    rollback,
    rollout: ourRollout({ service }, taskDefinitionArn) ?? ourRollout(snapshot, taskDefinitionArn),
    stoppedTasks,
    appLogs,
    serviceEvents: service?.events ?? [],
    newTaskDefinitionArn: taskDefinitionArn,
    region: rt.region,
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
    status: rolledBack ? `failed — ${rollbackState}` : status === 'STOPPED' ? 'stopped' : 'failed',
    deploymentStatus: rolledBack || status === 'FAILED' ? 'failed' : 'stopped',
    ending: rollback
      ? endingOf(undefined, rollback)
      : status === 'ROLLBACK_SUCCESSFUL'
        ? 'rolled-back'
        : status === 'ROLLBACK_FAILED'
          ? 'rollback-failed'
          : undefined,
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
