/**
 * The poll loop that follows an ECS-controller deployment until the wait target, a failure, the
 * deadline or a cancel. Emits progress events and returns an outcome; never prints, never stops.
 *
 * Call budget: rolling updates read DescribeServices each round (rollouts, counts, events) and the
 * service deployment only once the rollout looks failed; ECS-native blue/green reads the service
 * deployment each round (stage, traffic, hooks, counts) and DescribeServices once a minute for events.
 * Rounds are slower while the new tasks are starting (ecsPollDelay).
 */
import type { EcsPort } from '../aws/ports.js';
import type { Clock } from '../release/clock.js';
import type { WaitUntil } from '../settings/settings.js';
import { DEFAULT_POLL_INTERVAL_MS } from '../release/pace.js';
import {
  type EcsSnapshot,
  type EcsStrategy,
  ecsFailed,
  ecsPollDelay,
  ecsProgress,
  ecsReached,
} from './progress.js';
import type { ProgressListener } from '../report/events.js';
import { PollErrors } from '../release/poll-errors.js';

const SERVICE_EVENTS_EVERY_MS = 60_000;

export interface EcsWatchOptions {
  ecs: EcsPort;
  cluster: string;
  service: string;
  serviceDeploymentArn: string;
  taskDefinitionArn: string;
  strategy: EcsStrategy;
  waitUntil: WaitUntil;
  deadline: number;
  clock: Clock;
  pollIntervalMs?: number;
  signal?: AbortSignal;
  onEvent: ProgressListener;
}

export interface EcsWatchOutcome {
  kind: 'reached' | 'failed' | 'deadline' | 'cancelled';
  snapshot: EcsSnapshot;
}

export async function watchEcsDeployment(options: EcsWatchOptions): Promise<EcsWatchOutcome> {
  const { ecs, clock, signal, onEvent, strategy, taskDefinitionArn } = options;
  const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const startedAt = clock.now();
  let snapshot: EcsSnapshot = {};
  const pollErrors = new PollErrors(onEvent);
  let changedAt = clock.now();
  let serviceReadAt = -Infinity;

  for (;;) {
    if (signal?.aborted) return { kind: 'cancelled', snapshot };
    if (clock.now() >= options.deadline) return { kind: 'deadline', snapshot };
    try {
      const next: EcsSnapshot = { ...snapshot };
      const readService = strategy === 'ROLLING' || clock.now() - serviceReadAt >= SERVICE_EVENTS_EVERY_MS;
      if (readService) {
        next.service = await ecs.describeService(options.cluster, options.service);
        serviceReadAt = clock.now();
      }
      // A rolling update's service deployment is read only for the reason it failed.
      if (strategy !== 'ROLLING' || ecsFailed({ service: next.service }, strategy, taskDefinitionArn)) {
        next.deployment = await ecs.describeServiceDeployment(options.serviceDeploymentArn);
      }
      const events = ecsProgress(snapshot, next, clock.now(), taskDefinitionArn, startedAt, strategy);
      if (events.length > 0) changedAt = clock.now();
      for (const event of events) onEvent(event);
      snapshot = next;
      pollErrors.succeeded(clock.now());
    } catch (error) {
      pollErrors.failed(error, clock.now());
    }
    if (ecsFailed(snapshot, strategy, taskDefinitionArn)) return { kind: 'failed', snapshot };
    if (ecsReached(snapshot, strategy, options.waitUntil, taskDefinitionArn))
      return { kind: 'reached', snapshot };
    const pause = ecsPollDelay({
      snapshot,
      strategy,
      base: interval,
      now: clock.now(),
      changedAt,
    });
    await clock.sleep(Math.max(0, Math.min(pause, options.deadline - clock.now())), signal);
  }
}
