import { describe, expect, it } from '@jest/globals';
import type { Service, ServiceDeployment } from '../../../src/aws/ports.js';
import { watchEcsDeployment } from '../../../src/ecs/watch.js';
import type { ProgressEvent } from '../../../src/report/events.js';
import { fakeEcs } from '../../helpers/context.js';
import { fakeClock } from '../../helpers/fake-clock.js';

const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';
const ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc';

/** A service whose rollout of TD runs `running` tasks at each DescribeServices call (the last repeats). */
function rollingService(running: number[], rolloutState?: (n: number) => string | undefined) {
  let call = 0;
  const ecs = fakeEcs({
    describeService: async (): Promise<Service> => {
      ecs.calls.push('DescribeServices');
      const n = running[Math.min(call++, running.length - 1)];
      return {
        deployments: [
          {
            taskDefinition: TD,
            status: 'PRIMARY',
            desiredCount: 2,
            runningCount: n,
            pendingCount: 2 - n,
            rolloutState: rolloutState?.(n) as never,
          },
        ],
      };
    },
    describeServiceDeployment: async (): Promise<ServiceDeployment> => ({
      serviceDeploymentArn: ARN,
      status: 'IN_PROGRESS',
    }),
  });
  return ecs;
}

function watch(ecs: ReturnType<typeof fakeEcs>, options: { deadlineMs?: number; signal?: AbortSignal } = {}) {
  const clock = fakeClock();
  const events: ProgressEvent[] = [];
  const outcome = watchEcsDeployment({
    ecs,
    cluster: 'prod',
    service: 'web',
    serviceDeploymentArn: ARN,
    taskDefinitionArn: TD,
    strategy: 'ROLLING',
    waitUntil: 'shifted',
    deadline: clock.now() + (options.deadlineMs ?? 30 * 60_000),
    clock,
    signal: options.signal,
    onEvent: (event) => events.push(event),
  });
  return { outcome, events, clock };
}

describe('watchEcsDeployment (rolling)', () => {
  it('follows the rollout to COMPLETED, reporting each change of the task counts', async () => {
    const ecs = rollingService([0, 1, 2], (n) => (n === 2 ? 'COMPLETED' : 'IN_PROGRESS'));
    const { outcome, events } = watch(ecs);
    expect((await outcome).kind).toBe('reached');
    expect(
      events
        .filter((e) => e.type === 'tasks' && e.label === 'new')
        .map((e) => (e.type === 'tasks' ? e.running : -1)),
    ).toEqual([0, 1, 2]);
    // No other revision runs: the old side is reported once, empty.
    expect(events.filter((e) => e.type === 'tasks' && e.label === 'old')).toHaveLength(1);
    expect(ecs.calls.filter((c) => c === 'DescribeServices')).toHaveLength(3);
  });

  it('returns at the deadline while the rollout is still going', async () => {
    const { outcome, clock } = watch(
      rollingService([1], () => 'IN_PROGRESS'),
      { deadlineMs: 60_000 },
    );
    expect((await outcome).kind).toBe('deadline');
    expect(clock.now()).toBe(Date.UTC(2026, 10, 23, 12, 1, 0));
  });

  it('returns cancelled, without another read, once the signal has fired', async () => {
    const cancel = new AbortController();
    cancel.abort('SIGINT');
    const ecs = rollingService([1], () => 'IN_PROGRESS');
    const { outcome } = watch(ecs, { signal: cancel.signal });
    expect((await outcome).kind).toBe('cancelled');
    expect(ecs.calls).toEqual([]);
  });
});
