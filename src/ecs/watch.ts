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
import { pollUntil } from '../release/poll.js';
import type { CrashCheck, CrashLoop } from '../release/crash-loop.js';

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
  maxPollDelayMs?: number;
  signal?: AbortSignal;
  onEvent: ProgressListener;
  /** Ends the watch early on a crash loop of the new tasks (release/crash-loop.ts). */
  crashCheck?: CrashCheck;
}

export interface EcsWatchOutcome {
  kind: 'reached' | 'failed' | 'deadline' | 'cancelled' | 'crash-loop';
  crashLoop?: CrashLoop;
  snapshot: EcsSnapshot;
}

export async function watchEcsDeployment(options: EcsWatchOptions): Promise<EcsWatchOutcome> {
  const { ecs, clock, strategy, taskDefinitionArn } = options;
  const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const startedAt = clock.now();
  let serviceReadAt = -Infinity;
  const { end, snapshot, crashLoop } = await pollUntil<EcsSnapshot>({
    clock,
    signal: options.signal,
    deadline: options.deadline,
    onEvent: options.onEvent,
    maxPauseMs: options.maxPollDelayMs,
    crashCheck: options.crashCheck,
    async read(last) {
      const next: EcsSnapshot = { ...last };
      const readService = strategy === 'ROLLING' || clock.now() - serviceReadAt >= SERVICE_EVENTS_EVERY_MS;
      if (readService) {
        next.service = await ecs.describeService(options.cluster, options.service);
        serviceReadAt = clock.now();
      }
      // A rolling update's service deployment is read only for the reason it failed.
      if (strategy !== 'ROLLING' || ecsFailed({ service: next.service }, strategy, taskDefinitionArn)) {
        next.deployment = await ecs.describeServiceDeployment(options.serviceDeploymentArn);
      }
      return next;
    },
    progress: (last, next, now) => ecsProgress(last, next, now, taskDefinitionArn, startedAt, strategy),
    verdict: (seen) =>
      ecsFailed(seen, strategy, taskDefinitionArn)
        ? 'failed'
        : ecsReached(seen, strategy, options.waitUntil, taskDefinitionArn)
          ? 'reached'
          : undefined,
    pause: (seen, now, changedAt) =>
      ecsPollDelay({ snapshot: seen, strategy, base: interval, now, changedAt }),
  });
  return { kind: end, snapshot, crashLoop };
}
