/**
 * The poll loop that follows a CodeDeploy deployment until the wait target, a failure, the deadline
 * or a cancel. It emits progress events and returns an outcome; it never prints and never stops the
 * deployment itself (the strategy decides that).
 *
 * Call budget: one call per round (GetDeploymentTarget, which carries lifecycle events, task sets and
 * traffic weights), GetDeployment only when the target settles and once a minute (in place of a target
 * call) as a safety net. Rounds are 5 s apart while things change and 6 s once nothing has changed
 * for a minute, so a wait averages under 12 calls a minute and a change is seen within 5–6 s.
 */
import type { CodeDeployPort, DeploymentInfo } from '../aws/ports.js';
import { isTransient } from '../aws/errors.js';
import type { Clock } from '../clock.js';
import type { WaitUntil } from '../settings.js';
import type { ProgressListener } from './events.js';
import {
  type CodeDeploySnapshot,
  codeDeployFailed,
  codeDeployProgress,
  codeDeployReached,
  targetSettled,
} from './codedeploy-progress.js';

export const DEFAULT_POLL_INTERVAL_MS = 5_000;
/** After this long without a change, rounds slow down by QUIET_SLOWDOWN. */
const QUIET_AFTER_MS = 60_000;
const QUIET_SLOWDOWN = 1.2;
/** A non-transient poll error this many times in a row means we cannot watch: give up. */
const MAX_CONSECUTIVE_POLL_ERRORS = 3;
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
  const refreshEvery = Math.max(2, Math.round(60_000 / interval));

  let snapshot: CodeDeploySnapshot = {};
  let deployment: DeploymentInfo | undefined;
  let targetId: string | undefined;
  let targetStatusAtLastRefresh: string | undefined;
  let round = 0;
  let consecutiveErrors = 0;
  let lastChangeAt = clock.now();

  const refreshDeployment = async (seen: CodeDeploySnapshot) => {
    deployment = await codeDeploy.getDeployment(deploymentId);
    targetStatusAtLastRefresh = seen.target?.ecsTarget?.status;
    return deployment.status;
  };

  for (;;) {
    if (signal?.aborted) return { kind: 'cancelled', deployment, snapshot };
    if (clock.now() >= options.deadline) return { kind: 'deadline', deployment, snapshot };
    round += 1;
    try {
      const next: CodeDeploySnapshot = { ...snapshot };
      if (!targetId || round % refreshEvery === 0) {
        next.status = await refreshDeployment(next);
        if (!targetId && STARTED_STATUSES.has(next.status ?? '')) {
          targetId = (await codeDeploy.listDeploymentTargets(deploymentId))[0];
        }
      }
      if (targetId && (round % refreshEvery !== 0 || !snapshot.target)) {
        next.target = await codeDeploy.getDeploymentTarget(deploymentId, targetId);
        const targetStatus = next.target.ecsTarget?.status;
        if (targetSettled(next) && targetStatus !== targetStatusAtLastRefresh) {
          next.status = await refreshDeployment(next);
        }
      }
      const events = codeDeployProgress(snapshot, next, clock.now());
      if (events.length > 0) lastChangeAt = clock.now();
      for (const event of events) onEvent(event);
      snapshot = next;
      consecutiveErrors = 0;
    } catch (error) {
      consecutiveErrors += 1;
      if (!isTransient(error) && consecutiveErrors >= MAX_CONSECUTIVE_POLL_ERRORS) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      onEvent({
        type: 'note',
        at: clock.now(),
        message: `Could not read the deployment (${reason}); retrying.`,
      });
    }
    if (codeDeployFailed(snapshot)) return { kind: 'failed', deployment, snapshot };
    if (codeDeployReached(snapshot, options.waitUntil)) return { kind: 'reached', deployment, snapshot };
    const pause = clock.now() - lastChangeAt < QUIET_AFTER_MS ? interval : interval * QUIET_SLOWDOWN;
    await clock.sleep(Math.max(0, Math.min(pause, options.deadline - clock.now())), signal);
  }
}
