/**
 * How long to wait before the next poll of a CodeDeploy deployment. Polls come fast (every `base`,
 * 4 s by default) whenever the wait target could be reached before the next one, so the step ends
 * within a few seconds of it, and slowly (2.5 × base) while it cannot be: before the replacement
 * tasks are up, or while production traffic waits out a canary/linear step whose length the deployment
 * config states. A lifecycle event that runs for over a minute without change (a long hook) is polled
 * at 1.5 × base. That keeps a whole wait under 12 calls a minute.
 */
import type { WaitUntil } from '../settings/settings.js';
import type { CodeDeploySnapshot } from './progress.js';

import { QUIET_AFTER_MS, QUIET_FACTOR, SLOW_FACTOR } from '../release/pace.js';

export interface PaceInput {
  snapshot: CodeDeploySnapshot;
  waitUntil: WaitUntil;
  /** The fast interval. */
  base: number;
  now: number;
  /** From the deployment config: the time between traffic steps (canary/linear), if any. */
  trafficStepMs?: number;
  /** When the last change of the production traffic split was seen. */
  trafficChangedAt?: number;
  /** When the last change of anything was seen. */
  changedAt: number;
}

export function nextPollDelay(input: PaceInput): number {
  const { snapshot, base } = input;
  const slow = base * SLOW_FACTOR;
  const events = snapshot.target?.ecsTarget?.lifecycleEvents ?? [];
  const status = (name: string) => events.find((e) => e.lifecycleEventName === name)?.status;

  // Not started, or the replacement tasks still starting: several lifecycle events still to come.
  if (!snapshot.target || snapshot.status === 'Created' || snapshot.status === 'Queued') return slow;
  if (status('Install') !== 'Succeeded') return slow;
  // Shifted, and told to wait for the whole termination wait: nothing to hurry for.
  const afterAllowTraffic = status('AfterAllowTraffic');
  if (
    input.waitUntil === 'complete' &&
    (afterAllowTraffic === 'Succeeded' || afterAllowTraffic === 'Skipped')
  )
    return slow;
  // Mid canary/linear: the next traffic step cannot come before the config's interval has passed
  // since the last one (which happened at most one fast poll before we saw it).
  const green = snapshot.target.ecsTarget?.taskSetsInfo?.find(
    (s) => s.taskSetLabel === 'Green',
  )?.trafficWeight;
  const { trafficStepMs, trafficChangedAt } = input;
  if (
    trafficStepMs !== undefined &&
    trafficChangedAt !== undefined &&
    green !== undefined &&
    green > 0 &&
    green < 100
  ) {
    // Slow until the next step is due, then fast: quiet through the interval is expected, not a reason to slow.
    return input.now + slow < trafficChangedAt + trafficStepMs - base ? slow : base;
  }
  return input.now - input.changedAt >= QUIET_AFTER_MS ? base * QUIET_FACTOR : base;
}

/** The time between traffic steps a deployment config states, in ms (undefined for all-at-once). */
export function trafficStepMs(config: {
  trafficRoutingConfig?: {
    type?: string;
    timeBasedCanary?: { canaryInterval?: number };
    timeBasedLinear?: { linearInterval?: number };
  };
}): number | undefined {
  const routing = config.trafficRoutingConfig;
  const minutes =
    routing?.type === 'TimeBasedCanary'
      ? routing.timeBasedCanary?.canaryInterval
      : routing?.type === 'TimeBasedLinear'
        ? routing.timeBasedLinear?.linearInterval
        : undefined;
  return minutes !== undefined && minutes > 0 ? minutes * 60_000 : undefined;
}
