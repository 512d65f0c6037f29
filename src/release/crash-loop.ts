/**
 * Fail fast on a crash loop: while a deployment is followed, count the tasks of the new revision that
 * stopped before they could serve (an essential container exited, a failed health check, could not
 * start); at the threshold, the deployment is stopped with rollback instead of waiting for the
 * deadline. Tasks of the old revision (scale-in, draining) never count, nor tasks that stopped before
 * this deployment started. The counting is pure; `crashLoopCheck` is run by the watch's own poll
 * loop, at a slow, fixed pace.
 */
import type { EcsPort, Task } from '../aws/ports.js';
import { DEFAULT_POLL_INTERVAL_MS } from './pace.js';

/** The ECS circuit breaker's rule: half the desired count, at least 3, at most 200. */
export const MIN_FAILURES = 3;
export const MAX_FAILURES = 200;
/**
 * Stopped tasks are listed every so many polls (30 s at the default 4 s pace): a crash loop takes
 * minutes, and this costs one ListTasks in 30 s.
 */
export const CRASH_CHECK_POLLS = 7.5;
export const CRASH_CHECK_INTERVAL_MS = CRASH_CHECK_POLLS * DEFAULT_POLL_INTERVAL_MS;
/** Enough to count past the largest threshold in a few pages of ListTasks. */
const STOPPED_TASKS_LISTED = 100;

/** `max-task-failures`: unset → scaled with the desired count; 0 → never (undefined). */
export function failureThreshold(setting: number | undefined, desiredCount: number): number | undefined {
  if (setting === 0) return undefined;
  if (setting !== undefined) return setting;
  return Math.min(MAX_FAILURES, Math.max(MIN_FAILURES, Math.ceil(Math.max(0, desiredCount) * 0.5)));
}

/** A task that stopped before it could serve: what a crash loop is made of. */
export function failedToServe(task: Task): boolean {
  if (task.stopCode === 'TaskFailedToStart' || task.stopCode === 'EssentialContainerExited') return true;
  // Stopped by the scheduler for failing ELB or container health checks (scale-in reads otherwise).
  const byScheduler = task.stopCode === undefined || task.stopCode === 'ServiceSchedulerInitiated';
  return byScheduler && /health ?check/i.test(task.stoppedReason ?? '');
}

/** The failed tasks of one revision since a moment, counted once each. */
export class FailedTasks {
  private readonly seen = new Map<string, Task>();

  constructor(
    private readonly taskDefinitionArn: string,
    private readonly since: number,
  ) {}

  add(tasks: Task[]): void {
    for (const task of tasks) {
      if (task.taskDefinitionArn !== this.taskDefinitionArn || !task.taskArn) continue;
      const stoppedAt = task.stoppedAt?.getTime() ?? task.createdAt?.getTime();
      if (stoppedAt !== undefined && stoppedAt < this.since) continue;
      if (failedToServe(task)) this.seen.set(task.taskArn, task);
    }
  }

  get count(): number {
    return this.seen.size;
  }

  /** Newest first. */
  get tasks(): Task[] {
    return [...this.seen.values()].sort(
      (a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0),
    );
  }
}

/** What the crash-loop check needs to know of a deployment (LiveDeployment.tasks). */
export interface WatchedTasks {
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  desiredCount: number;
  /** Epoch ms the deployment started: earlier stops belong to someone else. */
  startedAt: number;
}

export interface CrashLoop {
  threshold: number;
  /** Newest first. */
  failed: Task[];
}

/** Run by the poll loop after each round (release/poll.ts); a finding ends the watch. */
export type CrashCheck = (now: number) => Promise<CrashLoop | undefined>;

/**
 * Lists the service's stopped tasks at most every `intervalMs` (describing only tasks not
 * seen before) and finds a crash loop once `threshold` tasks of the new revision failed. A failed
 * listing is tried again next time: this check only ever shortens a wait, it never fails a release.
 */
export function crashLoopCheck(
  ecs: Pick<EcsPort, 'listStoppedTasks'>,
  watched: WatchedTasks,
  threshold: number,
  intervalMs = CRASH_CHECK_INTERVAL_MS,
): CrashCheck {
  const failed = new FailedTasks(watched.taskDefinitionArn, watched.startedAt);
  const seen = new Set<string>();
  let checkedAt = watched.startedAt;
  return async (now) => {
    if (now - checkedAt < intervalMs) return undefined;
    checkedAt = now;
    try {
      const tasks = await ecs.listStoppedTasks(watched.cluster, watched.service, STOPPED_TASKS_LISTED, seen);
      // A task still stopping may not have its stop code yet: described again next time.
      for (const task of tasks) if (task.taskArn && task.lastStatus === 'STOPPED') seen.add(task.taskArn);
      failed.add(tasks);
    } catch {
      return undefined;
    }
    return failed.count >= threshold ? { threshold, failed: failed.tasks } : undefined;
  };
}
