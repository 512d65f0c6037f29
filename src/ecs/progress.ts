/**
 * Pure reading of an ECS-controller deployment (rolling, or ECS-native blue/green/linear/canary):
 * which progress events two successive snapshots imply, and whether the wait target or a failure has
 * been reached. The poll loop (ecs/watch.ts) feeds it what DescribeServices and
 * DescribeServiceDeployments returned.
 */
import type { Service, ServiceDeployment } from '../aws/ports.js';
import type { WaitUntil } from '../settings/settings.js';
import { QUIET_AFTER_MS, QUIET_FACTOR, SLOW_FACTOR } from '../release/pace.js';
import type { ProgressEvent } from '../report/events.js';

export type EcsStrategy = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

/** "rolling update", "blue/green deployment", "canary deployment", … for log lines and errors. */
export function describeStrategy(strategy: EcsStrategy): string {
  return strategy === 'ROLLING' ? 'rolling update' : `${strategy.toLowerCase().replace('_', '/')} deployment`;
}

export interface EcsSnapshot {
  /** DescribeServices: rollouts (`deployments`), events. */
  service?: Service;
  /** DescribeServiceDeployments: status, lifecycle stage, traffic, hooks. */
  deployment?: ServiceDeployment;
}

/** Service deployment statuses that mean ours will not (or did not) go through. */
const FAILED_STATUSES = new Set([
  'STOPPED',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
]);
/** ECS-native lifecycle stages, in the order a deployment goes through them. */
export const LIFECYCLE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
];

/** The stages completed between `from` (last seen) and `to` (now), `from` included. */
export function stagesPassed(from: string | undefined, to: string): string[] {
  const end = LIFECYCLE_STAGES.indexOf(to);
  if (from === undefined) return end > 0 ? LIFECYCLE_STAGES.slice(0, end) : [];
  const start = LIFECYCLE_STAGES.indexOf(from);
  // Unknown or backwards (a rollback re-runs stages): only the one we saw is known to be over.
  if (start < 0 || end < 0 || end <= start) return [from];
  return LIFECYCLE_STAGES.slice(start, end);
}

/** Stages from which production traffic is all on the new revision. */
const SHIFTED_STAGES = new Set(['BAKE_TIME', 'CLEAN_UP']);

/** The rollout (DescribeServices `deployments` entry) running our task definition. */
export function ourRollout(snapshot: EcsSnapshot | undefined, taskDefinitionArn: string) {
  return snapshot?.service?.deployments?.find((d) => d.taskDefinition === taskDefinitionArn);
}

/**
 * The events between two polls, each stamped with the time ECS gives for it (a service event's
 * `createdAt`, the service deployment's and the rollout's update and end times) and `at`, the poll's
 * time, only where it gives none. The poll loop puts them in time order.
 */
export function ecsProgress(
  previous: EcsSnapshot | undefined,
  next: EcsSnapshot,
  at: number,
  taskDefinitionArn: string,
  startedAt: number,
  strategy: EcsStrategy,
): ProgressEvent[] {
  const events: ProgressEvent[] = [];
  // A rolling update has no traffic split or stages worth showing: its rollout and events tell it.
  const blueGreen = strategy !== 'ROLLING';
  const rollout = ourRollout(next, taskDefinitionArn);
  const before = ourRollout(previous, taskDefinitionArn);
  // A time from before the step began (an old rollout's last update) says when nothing we saw changed.
  const since = (time: number | undefined): number => (time === undefined ? at : Math.max(time, startedAt));
  const rolloutTime = since(rollout?.updatedAt?.getTime());
  if (rollout?.rolloutState && rollout.rolloutState !== before?.rolloutState) {
    events.push({
      type: 'status',
      at: rolloutTime,
      status: rollout.rolloutState,
      previous: before?.rolloutState,
    });
  }
  const deployment = next.deployment;
  const old = previous?.deployment;
  const updated = since(deployment?.updatedAt?.getTime());
  if (deployment?.status && deployment.status !== old?.status && !rollout) {
    events.push({
      type: 'status',
      at: since(statusTime(deployment)),
      status: deployment.status,
      previous: old?.status,
    });
  }
  const failedNow = FAILED_STATUSES.has(deployment?.status ?? '') && !FAILED_STATUSES.has(old?.status ?? '');
  const stage = deployment?.lifecycleStage;
  if (blueGreen && stage && stage !== old?.lifecycleStage) {
    // A poll can miss whole stages: the ones between the last seen and the current one passed too.
    // ECS gives no time per stage: the deployment's last update is the nearest it says. Stages going
    // backwards with a failure is a rollback re-running them: the one last seen is where it failed.
    const backwards = LIFECYCLE_STAGES.indexOf(stage) < LIFECYCLE_STAGES.indexOf(old?.lifecycleStage ?? '');
    for (const name of stagesPassed(old?.lifecycleStage, stage)) {
      const status = failedNow && backwards && name === old?.lifecycleStage ? 'Failed' : 'Succeeded';
      events.push({ type: 'lifecycle', at: updated, name, status, endTime: updated });
    }
    events.push({ type: 'lifecycle', at: updated, name: stage, status: 'InProgress', startTime: updated });
  }
  // Otherwise the stage the deployment failed in (it rolls back or stops from there) ends there.
  const failedBackwards =
    stage !== old?.lifecycleStage && events.some((e) => e.type === 'lifecycle' && e.status === 'Failed');
  if (blueGreen && stage && failedNow && !failedBackwards) {
    events.push({ type: 'lifecycle', at: updated, name: stage, status: 'Failed', endTime: updated });
  }
  const traffic = trafficOf(next);
  const oldTraffic = trafficOf(previous);
  if (blueGreen && traffic && (traffic.blue !== oldTraffic?.blue || traffic.green !== oldTraffic?.green)) {
    // An update time that did not move since the poll before says nothing about this change.
    const stale = deployment?.updatedAt?.getTime() === old?.updatedAt?.getTime();
    events.push({ type: 'traffic', at: stale ? at : updated, ...traffic });
  }
  const counts = taskCounts(next, taskDefinitionArn, blueGreen);
  const oldCounts = taskCounts(previous, taskDefinitionArn, blueGreen);
  if (
    counts &&
    (counts.running !== oldCounts?.running ||
      counts.pending !== oldCounts?.pending ||
      counts.desired !== oldCounts?.desired)
  ) {
    // A revision summary has no time of its own; a rollout has.
    events.push({ type: 'tasks', at: blueGreen ? at : rolloutTime, label: 'new', ...counts });
  }
  if (!blueGreen) {
    const oldTasks = olderRollouts(next, taskDefinitionArn);
    const wereOld = olderRollouts(previous, taskDefinitionArn);
    if (
      oldTasks &&
      (oldTasks.counts.running !== wereOld?.counts.running ||
        oldTasks.counts.desired !== wereOld?.counts.desired)
    ) {
      events.push({ type: 'tasks', at: since(oldTasks.at), label: 'old', ...oldTasks.counts });
    }
  }
  for (const hook of deployment?.lifecycleHookDetails ?? []) {
    const was = old?.lifecycleHookDetails?.find((h) => h.hookId === hook.hookId)?.status;
    if (hook.status && hook.status !== was) {
      events.push({
        type: 'note',
        at,
        message: `hook ${hookName(hook, deployment)} ${hook.status.toLowerCase().replace(/_/g, ' ')}`,
      });
    }
  }
  // Service events are the story of a rolling update ("has started 2 tasks", "has reached a steady state").
  const seen = new Set((previous?.service?.events ?? []).map((e) => e.id));
  const fresh = (next.service?.events ?? []).filter(
    (e) => !seen.has(e.id) && (e.createdAt?.getTime() ?? 0) >= startedAt && e.message,
  );
  for (const event of serviceEventsInOrder(fresh)) {
    events.push({ type: 'note', at: event.createdAt?.getTime() ?? at, message: event.message ?? '' });
  }
  return events;
}

type ServiceEvent = NonNullable<Service['events']>[number];

/**
 * Oldest first: by `createdAt`, then, for events of the same time, in ECS's own order (it lists
 * newest first, so the later one in its list happened first).
 */
export function serviceEventsInOrder(events: ServiceEvent[]): ServiceEvent[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort(
      (a, b) =>
        (a.event.createdAt?.getTime() ?? 0) - (b.event.createdAt?.getTime() ?? 0) || b.index - a.index,
    )
    .map(({ event }) => event);
}

/** When ECS says the service deployment's status began. */
function statusTime(deployment: ServiceDeployment): number | undefined {
  const time =
    deployment.status === 'SUCCESSFUL' || deployment.status?.startsWith('ROLLBACK_')
      ? (deployment.finishedAt ?? deployment.updatedAt)
      : deployment.status === 'STOPPED'
        ? (deployment.stoppedAt ?? deployment.finishedAt ?? deployment.updatedAt)
        : deployment.status === 'PENDING'
          ? deployment.createdAt
          : deployment.status === 'IN_PROGRESS'
            ? (deployment.startedAt ?? deployment.updatedAt)
            : deployment.updatedAt;
  return time?.getTime();
}

type HookDetail = NonNullable<ServiceDeployment['lifecycleHookDetails']>[number];

/**
 * A hook as a person knows it: its Lambda function's name, or a PAUSE hook's stage, rather than the
 * id ECS gives it.
 */
export function hookName(hook: HookDetail, deployment: ServiceDeployment | undefined): string {
  const configured = (deployment?.deploymentConfiguration?.lifecycleHooks ?? []).filter(
    (h) => (h.targetType ?? 'AWS_LAMBDA') === (hook.targetType ?? 'AWS_LAMBDA'),
  );
  // The only configured hook of its kind, when the detail names no target or stage of its own.
  const only = configured.length === 1 ? configured[0] : undefined;
  if (hook.targetType === 'PAUSE') {
    // Its own stages, not the deployment's current one (which has moved on by the time it is answered).
    const stages = only?.lifecycleStages ?? [];
    return stages.length > 0 ? `PAUSE at ${stages.join(', ')}` : 'PAUSE';
  }
  const arn = hook.targetArn ?? only?.hookTargetArn;
  const fn = arn ? /:function:([^:]+)/.exec(arn)?.[1] : undefined;
  return fn ?? arn ?? hook.hookId ?? 'hook';
}

/** The tasks of every other rollout of a rolling update (the revisions being replaced). */
function olderRollouts(snapshot: EcsSnapshot | undefined, taskDefinitionArn: string) {
  const others = (snapshot?.service?.deployments ?? []).filter((d) => d.taskDefinition !== taskDefinitionArn);
  if (!snapshot?.service) return undefined;
  const counts = {
    running: others.reduce((sum, d) => sum + (d.runningCount ?? 0), 0),
    pending: others.reduce((sum, d) => sum + (d.pendingCount ?? 0), 0),
    desired: others.reduce((sum, d) => sum + (d.desiredCount ?? 0), 0),
  };
  const times = others.map((d) => d.updatedAt?.getTime()).filter((t): t is number => t !== undefined);
  return { counts, at: times.length > 0 ? Math.max(...times) : undefined };
}

function trafficOf(snapshot: EcsSnapshot | undefined): { blue: number; green: number } | undefined {
  const target = snapshot?.deployment?.targetServiceRevision;
  if (target?.requestedProductionTrafficWeight === undefined) return undefined;
  const green = Math.round(target.requestedProductionTrafficWeight);
  return { blue: 100 - green, green };
}

/** Blue/green: the target revision's counts (each poll reads it); rolling: our rollout's. */
function taskCounts(snapshot: EcsSnapshot | undefined, taskDefinitionArn: string, blueGreen: boolean) {
  const target = snapshot?.deployment?.targetServiceRevision;
  if (blueGreen) {
    if (!target) return undefined;
    return {
      running: target.runningTaskCount ?? 0,
      pending: target.pendingTaskCount ?? 0,
      desired: target.requestedTaskCount ?? 0,
    };
  }
  const rollout = ourRollout(snapshot, taskDefinitionArn);
  if (!rollout) return undefined;
  return {
    running: rollout.runningCount ?? 0,
    pending: rollout.pendingCount ?? 0,
    desired: rollout.desiredCount ?? 0,
  };
}

/** True once the snapshot satisfies `wait-until`. */
export function ecsReached(
  snapshot: EcsSnapshot,
  strategy: EcsStrategy,
  waitUntil: WaitUntil,
  taskDefinitionArn: string,
): boolean {
  if (strategy === 'ROLLING') return rolloutDone(snapshot, taskDefinitionArn);
  const deployment = snapshot.deployment;
  if (deployment?.status === 'SUCCESSFUL') return true;
  if (waitUntil === 'complete' || deployment?.status !== 'IN_PROGRESS') return false;
  if (waitUntil === 'ready') return awaitingApproval(snapshot) !== undefined;
  // Past the production shift by definition; the weight, when ECS reports it, must agree.
  const weight = deployment.targetServiceRevision?.requestedProductionTrafficWeight;
  return SHIFTED_STAGES.has(deployment.lifecycleStage ?? '') && (weight === undefined || weight === 100);
}

/**
 * A rolling update is done when ECS says its rollout COMPLETED. ECS reports `rolloutState` only for
 * services not behind a Classic Load Balancer, so without it the rollout is judged from what every
 * rolling service returns: ours is the PRIMARY deployment, the only one left (the old ones drained),
 * with every desired task running and none pending.
 */
export function rolloutDone(snapshot: EcsSnapshot, taskDefinitionArn: string): boolean {
  if (snapshot.deployment?.status === 'SUCCESSFUL') return true;
  const rollout = ourRollout(snapshot, taskDefinitionArn);
  if (rollout?.status !== 'PRIMARY') return false;
  if (rollout.rolloutState !== undefined) return rollout.rolloutState === 'COMPLETED';
  const deployments = snapshot.service?.deployments ?? [];
  return (
    deployments.length === 1 &&
    rollout.desiredCount !== undefined &&
    rollout.runningCount === rollout.desiredCount &&
    (rollout.pendingCount ?? 0) === 0
  );
}

/** The PAUSE hook waiting for ContinueServiceDeployment, if any (`wait-until: ready`). */
export function awaitingApproval(snapshot: EcsSnapshot) {
  return snapshot.deployment?.lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION');
}

/** A reason the deployment failed, or undefined while it has not. */
export function ecsFailed(snapshot: EcsSnapshot, strategy: EcsStrategy, taskDefinitionArn: string): boolean {
  if (FAILED_STATUSES.has(snapshot.deployment?.status ?? '')) return true;
  if (strategy !== 'ROLLING' || !snapshot.service) return false;
  const rollout = ourRollout(snapshot, taskDefinitionArn);
  // Failed, or replaced: the circuit breaker rolled the service back to another revision. (A status
  // AWS left out is not taken for "replaced".)
  return (
    rollout === undefined ||
    rollout.rolloutState === 'FAILED' ||
    (rollout.status !== undefined && rollout.status !== 'PRIMARY')
  );
}

/**
 * Time to the next poll. Blue/green: slow (2.5 × base) while the new tasks are still starting, since
 * several traffic stages still lie between them and the wait target. Rolling: 1.25 × base (5 s by
 * default), because a rollout can complete the moment its last task is up. Either way 1.5 × base
 * after a minute without change.
 */
export function ecsPollDelay(input: {
  snapshot: EcsSnapshot;
  strategy: EcsStrategy;
  base: number;
  now: number;
  changedAt: number;
}): number {
  const { snapshot, strategy, base } = input;
  if (input.now - input.changedAt >= QUIET_AFTER_MS) return base * QUIET_FACTOR;
  if (strategy === 'ROLLING') return base * ROLLING_FACTOR;
  const starting =
    ['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'SCALE_UP'].includes(snapshot.deployment?.lifecycleStage ?? '') ||
    snapshot.deployment?.status === 'PENDING';
  return starting ? base * SLOW_FACTOR : base;
}

const ROLLING_FACTOR = 1.25;
