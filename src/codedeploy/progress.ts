/**
 * Pure reading of CodeDeploy snapshots: what changed between two polls (as progress events), and
 * whether a snapshot has reached the wait target or ended badly.
 */
import type { DeploymentInfo, DeploymentTarget } from '../aws/ports.js';
import type { WaitUntil } from '../settings/settings.js';
import type { ProgressEvent } from '../report/events.js';

/** What one poll saw. `status` is the deployment's (GetDeployment) or, between those calls, the last known one. */
export interface CodeDeploySnapshot {
  status?: string;
  /** When CodeDeploy says `status` began (its create, start or complete time), epoch ms. */
  statusTime?: number;
  target?: DeploymentTarget;
}

type EcsTarget = NonNullable<DeploymentTarget['ecsTarget']>;
type LifecycleEvent = NonNullable<EcsTarget['lifecycleEvents']>[number];
type TaskSet = NonNullable<EcsTarget['taskSetsInfo']>[number];

const FAILED_STATUSES = new Set(['Failed', 'Stopped']);

/**
 * The events between two polls, each stamped with the time CodeDeploy gives for it (lifecycle start
 * and end, the target's last update for a traffic step, the deployment's own times) and `at`, the
 * poll's time, only where it gives none. The poll loop puts them in time order.
 */
export function codeDeployProgress(
  previous: CodeDeploySnapshot | undefined,
  next: CodeDeploySnapshot,
  at: number,
  /** When the watch began: what ended before it (a promote's earlier events) is not this step's story. */
  since = -Infinity,
): ProgressEvent[] {
  const events: ProgressEvent[] = [];
  const dated = (time: number | undefined): number => (time === undefined ? at : Math.max(time, since));
  if (next.status && next.status !== previous?.status) {
    events.push({
      type: 'status',
      at: dated(next.statusTime),
      status: next.status,
      previous: previous?.status,
    });
  }
  // For events of the same time, in the order that reads right: an event starts, traffic moves and
  // tasks change during it, then it ends.
  const started: ProgressEvent[] = [];
  const ended: ProgressEvent[] = [];
  const before = new Map(lifecycleEvents(previous).map((e) => [e.lifecycleEventName, e]));
  for (const event of lifecycleEvents(next)) {
    const name = event.lifecycleEventName ?? '';
    const old = before.get(name);
    // A poll can miss a whole event (it started and ended in between): report it from the end state.
    if (!event.status || event.status === 'Pending' || event.status === old?.status) continue;
    const startTime = event.startTime?.getTime();
    const endTime = event.endTime?.getTime();
    if (endTime !== undefined && endTime < since) continue;
    const inProgress = event.status === 'InProgress';
    (inProgress ? started : ended).push({
      type: 'lifecycle',
      at: (inProgress ? startTime : endTime) ?? at,
      name,
      status: event.status,
      startTime,
      endTime,
      diagnostic: event.diagnostics?.message,
    });
  }
  events.push(...started);
  const traffic = trafficSplit(next);
  const oldTraffic = trafficSplit(previous);
  if (traffic && (traffic.blue !== oldTraffic?.blue || traffic.green !== oldTraffic?.green)) {
    // A last update that did not move since the poll before says nothing about this change.
    const updated = next.target?.ecsTarget?.lastUpdatedAt?.getTime();
    const stale = updated === previous?.target?.ecsTarget?.lastUpdatedAt?.getTime();
    events.push({ type: 'traffic', at: stale ? at : dated(updated), ...traffic });
  }
  const oldSets = new Map(taskSets(previous).map((s) => [s.taskSetLabel ?? s.identifer, s]));
  for (const set of taskSets(next)) {
    const label = set.taskSetLabel ?? set.identifer ?? 'task set';
    const old = oldSets.get(label);
    const counts = {
      running: set.runningCount ?? 0,
      pending: set.pendingCount ?? 0,
      desired: set.desiredCount ?? 0,
    };
    if (
      old &&
      counts.running === (old.runningCount ?? 0) &&
      counts.pending === (old.pendingCount ?? 0) &&
      counts.desired === (old.desiredCount ?? 0)
    ) {
      continue;
    }
    events.push({ type: 'tasks', at, label, ...counts });
  }
  events.push(...ended);
  return events;
}

/** True once the snapshot satisfies `wait-until`. */
export function codeDeployReached(snapshot: CodeDeploySnapshot, waitUntil: WaitUntil): boolean {
  if (snapshot.status === 'Succeeded') return true;
  switch (waitUntil) {
    case 'complete':
      return false;
    case 'ready':
      // Waiting for a manual reroute, or already past it.
      return (
        snapshot.status === 'Ready' || snapshot.target?.ecsTarget?.status === 'Ready' || shifted(snapshot)
      );
    case 'shifted':
      return shifted(snapshot);
  }
}

/** All production traffic on green and the post-traffic hook done; the termination wait is not awaited. */
function shifted(snapshot: CodeDeploySnapshot): boolean {
  const afterAllowTraffic = lifecycleEvents(snapshot).find(
    (e) => e.lifecycleEventName === 'AfterAllowTraffic',
  );
  return afterAllowTraffic?.status === 'Succeeded' || afterAllowTraffic?.status === 'Skipped';
}

export function codeDeployFailed(snapshot: CodeDeploySnapshot): boolean {
  return FAILED_STATUSES.has(snapshot.status ?? '');
}

/** The target's own status says the deployment has ended or is waiting: time to ask GetDeployment. */
export function targetSettled(snapshot: CodeDeploySnapshot): boolean {
  const status = snapshot.target?.ecsTarget?.status;
  return status !== undefined && status !== 'Pending' && status !== 'InProgress';
}

function lifecycleEvents(snapshot: CodeDeploySnapshot | undefined): LifecycleEvent[] {
  return snapshot?.target?.ecsTarget?.lifecycleEvents ?? [];
}

function taskSets(snapshot: CodeDeploySnapshot | undefined): TaskSet[] {
  return snapshot?.target?.ecsTarget?.taskSetsInfo ?? [];
}

/** Production weights of the Blue and Green task sets, once the Green one exists. */
function trafficSplit(snapshot: CodeDeploySnapshot | undefined): { blue: number; green: number } | undefined {
  const sets = taskSets(snapshot);
  const green = sets.find((s) => s.taskSetLabel === 'Green');
  if (!green) return undefined;
  const blue = sets.find((s) => s.taskSetLabel === 'Blue');
  return { blue: Math.round(blue?.trafficWeight ?? 0), green: Math.round(green.trafficWeight ?? 0) };
}

/** The time CodeDeploy gives for the deployment's current status, epoch ms. */
export function statusTimeOf(deployment: DeploymentInfo): number | undefined {
  const time = ENDED_STATUSES.has(deployment.status ?? '')
    ? deployment.completeTime
    : deployment.status === 'Created' || deployment.status === 'Queued'
      ? deployment.createTime
      : deployment.status === 'InProgress'
        ? deployment.startTime
        : undefined;
  return time?.getTime();
}

const ENDED_STATUSES = new Set(['Succeeded', 'Failed', 'Stopped']);
