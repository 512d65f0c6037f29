/**
 * The poll loop that follows a CodeDeploy deployment until the wait target, a failure, the deadline
 * or a cancel. It emits progress events and returns an outcome; it never prints and never stops the
 * deployment itself (the strategy decides that).
 *
 * Call budget: one call per round (GetDeploymentTarget, which carries lifecycle events, task sets and
 * traffic weights), plus GetDeployment when the target settles and once a minute as a safety net. codedeploy-pace.ts decides the time between rounds: fast where the wait target
 * could be near, slow where it cannot be.
 */
import type { CodeDeployPort, DeploymentInfo } from '../aws/ports.js';
import type { Clock } from '../release/clock.js';
import type { WaitUntil } from '../settings/settings.js';
import type { ProgressListener } from '../report/events.js';
import { PollErrors } from '../release/poll-errors.js';
import { nextPollDelay } from './pace.js';
import { DEFAULT_POLL_INTERVAL_MS } from '../release/pace.js';
import {
  type CodeDeploySnapshot,
  codeDeployFailed,
  codeDeployProgress,
  codeDeployReached,
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
  /** The deployment config's time between traffic steps (canary/linear), for pacing. */
  trafficStepMs?: number;
  signal?: AbortSignal;
  onEvent: ProgressListener;
}

export interface CodeDeployWatchOutcome {
  kind: 'reached' | 'failed' | 'deadline' | 'cancelled';
  /** The last GetDeployment answer (may be a few seconds older than `snapshot`). */
  deployment?: DeploymentInfo;
  snapshot: CodeDeploySnapshot;
}

export async function watchCodeDeployment(options: CodeDeployWatchOptions): Promise<CodeDeployWatchOutcome> {
  const { codeDeploy, deploymentId, clock, signal, onEvent } = options;
  const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;

  let snapshot: CodeDeploySnapshot = {};
  let deployment: DeploymentInfo | undefined;
  let targetId: string | undefined;
  let targetStatusAtLastRefresh: string | undefined;
  let refreshedAt = clock.now();
  let trafficChangedAt: number | undefined;
  let changedAt = clock.now();
  const pollErrors = new PollErrors(onEvent);

  const refreshDeployment = async (seen: CodeDeploySnapshot) => {
    deployment = await codeDeploy.getDeployment(deploymentId);
    refreshedAt = clock.now();
    targetStatusAtLastRefresh = seen.target?.ecsTarget?.status;
    return deployment.status;
  };

  for (;;) {
    if (signal?.aborted) return { kind: 'cancelled', deployment, snapshot };
    if (clock.now() >= options.deadline) return { kind: 'deadline', deployment, snapshot };
    try {
      const next: CodeDeploySnapshot = { ...snapshot };
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
      const events = codeDeployProgress(snapshot, next, clock.now());
      if (events.length > 0) changedAt = clock.now();
      if (events.some((e) => e.type === 'traffic')) trafficChangedAt = clock.now();
      for (const event of events) onEvent(event);
      snapshot = next;
      pollErrors.succeeded(clock.now());
    } catch (error) {
      pollErrors.failed(error, clock.now());
    }
    if (codeDeployFailed(snapshot)) return { kind: 'failed', deployment, snapshot };
    if (codeDeployReached(snapshot, options.waitUntil)) return { kind: 'reached', deployment, snapshot };
    const pause = nextPollDelay({
      snapshot,
      waitUntil: options.waitUntil,
      base: interval,
      now: clock.now(),
      trafficStepMs: options.trafficStepMs,
      trafficChangedAt,
      changedAt,
    });
    await clock.sleep(Math.max(0, Math.min(pause, options.deadline - clock.now())), signal);
  }
}
