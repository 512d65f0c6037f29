/**
 * The poll loop that follows a CodeDeploy deployment until the wait target, a failure, the deadline
 * or a cancel. It emits progress events and returns an outcome; it never prints and never stops the
 * deployment itself (the strategy decides that).
 *
 * Call budget: one call per round (GetDeploymentTarget, which carries lifecycle events, task sets and
 * traffic weights), plus GetDeployment when the target settles and once a minute as a safety net. codedeploy/pace.ts decides the time between rounds: fast where the wait target
 * could be near, slow where it cannot be.
 */
import type { CodeDeployPort, DeploymentInfo } from '../aws/ports.js';
import type { Clock } from '../release/clock.js';
import type { WaitUntil } from '../settings/settings.js';
import type { ProgressListener } from '../report/events.js';
import { pollUntil } from '../release/poll.js';
import type { CrashCheck, CrashLoop } from '../release/crash-loop.js';
import { nextPollDelay } from './pace.js';
import { DEFAULT_POLL_INTERVAL_MS } from '../release/pace.js';
import {
  type CodeDeploySnapshot,
  codeDeployFailed,
  codeDeployProgress,
  codeDeployReached,
  statusTimeOf,
  targetSettled,
} from './progress.js';

/** GetDeployment this often, to catch what the target does not show. */
const REFRESH_EVERY_MS = 60_000;
/** Statuses in which the deployment has a target to describe. */
const STARTED_STATUSES = new Set(['InProgress', 'Baking', 'Ready', 'Succeeded', 'Failed', 'Stopped']);

export interface CodeDeployWatchOptions {
  codeDeploy: CodeDeployPort;
  deploymentId: string;
  waitUntil: WaitUntil;
  /** Epoch ms after which the watch returns `deadline`. */
  deadline: number;
  clock: Clock;
  pollIntervalMs?: number;
  maxPollDelayMs?: number;
  /** The deployment config's time between traffic steps (canary/linear), for pacing. */
  trafficStepMs?: number;
  signal?: AbortSignal;
  onEvent: ProgressListener;
  /** Ends the watch early on a crash loop of the new tasks (release/crash-loop.ts). */
  crashCheck?: CrashCheck;
}

export interface CodeDeployWatchOutcome {
  kind: 'reached' | 'failed' | 'deadline' | 'cancelled' | 'crash-loop';
  crashLoop?: CrashLoop;
  /** The last GetDeployment answer (may be a few seconds older than `snapshot`). */
  deployment?: DeploymentInfo;
  snapshot: CodeDeploySnapshot;
}

export async function watchCodeDeployment(options: CodeDeployWatchOptions): Promise<CodeDeployWatchOutcome> {
  const { codeDeploy, deploymentId, clock } = options;
  const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  let deployment: DeploymentInfo | undefined;
  let targetId: string | undefined;
  let targetStatusAtLastRefresh: string | undefined;
  let refreshedAt = clock.now();
  let trafficChangedAt: number | undefined;
  const watchedFrom = clock.now();

  const refreshDeployment = async (seen: CodeDeploySnapshot) => {
    deployment = await codeDeploy.getDeployment(deploymentId);
    refreshedAt = clock.now();
    targetStatusAtLastRefresh = seen.target?.ecsTarget?.status;
    seen.statusTime = statusTimeOf(deployment);
    return deployment.status;
  };

  const { end, snapshot, crashLoop } = await pollUntil<CodeDeploySnapshot>({
    clock,
    signal: options.signal,
    deadline: options.deadline,
    onEvent: options.onEvent,
    maxPauseMs: options.maxPollDelayMs,
    crashCheck: options.crashCheck,
    async read(last) {
      const next: CodeDeploySnapshot = { ...last };
      const refreshDue = clock.now() - refreshedAt >= REFRESH_EVERY_MS;
      if (!targetId || refreshDue) {
        next.status = await refreshDeployment(next);
        if (!targetId && STARTED_STATUSES.has(next.status ?? '')) {
          targetId = (await codeDeploy.listDeploymentTargets(deploymentId))[0];
        }
      }
      // The target is read every round, also when GetDeployment was: skipping it would hide the shift.
      if (targetId) {
        next.target = await codeDeploy.getDeploymentTarget(deploymentId, targetId);
        const targetStatus = next.target.ecsTarget?.status;
        if (targetSettled(next) && targetStatus !== targetStatusAtLastRefresh) {
          next.status = await refreshDeployment(next);
        }
      }
      return next;
    },
    progress(last, next, now) {
      const events = codeDeployProgress(last, next, now, watchedFrom);
      if (events.some((e) => e.type === 'traffic')) trafficChangedAt = now;
      return events;
    },
    verdict: (seen) =>
      codeDeployFailed(seen) ? 'failed' : codeDeployReached(seen, options.waitUntil) ? 'reached' : undefined,
    pause: (seen, now, changedAt) =>
      nextPollDelay({
        snapshot: seen,
        waitUntil: options.waitUntil,
        base: interval,
        now,
        trafficStepMs: options.trafficStepMs,
        trafficChangedAt,
        changedAt,
      }),
  });
  return { kind: end, deployment, snapshot, crashLoop };
}
