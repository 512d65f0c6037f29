import { describe, expect, it } from '@jest/globals';
import { watchCodeDeployment } from '../../../src/codedeploy/watch.js';
import type { ProgressEvent } from '../../../src/report/events.js';
import { scriptedCodeDeploy, succeededThrough } from '../../helpers/codedeploy-fake.js';
import { fakeClock } from '../../helpers/fake-clock.js';

const MINUTE = 60_000;

function watch(
  port: ReturnType<typeof scriptedCodeDeploy>,
  overrides: Partial<Parameters<typeof watchCodeDeployment>[0]> = {},
) {
  const clock = fakeClock();
  const events: ProgressEvent[] = [];
  const promise = watchCodeDeployment({
    codeDeploy: port,
    deploymentId: 'd-TEST12345',
    waitUntil: 'shifted',
    deadline: clock.now() + 30 * MINUTE,
    clock,
    onEvent: (e) => events.push(e),
    ...overrides,
  });
  return { promise, events, clock };
}

const canary = [
  { status: 'InProgress', events: succeededThrough('BeforeInstall', { Install: 'InProgress' }) },
  { status: 'InProgress', events: succeededThrough('Install'), green: 0, blue: 100 },
  {
    status: 'InProgress',
    events: succeededThrough('BeforeAllowTraffic', { AllowTraffic: 'InProgress' }),
    green: 10,
    blue: 90,
  },
  {
    status: 'InProgress',
    events: succeededThrough('BeforeAllowTraffic', { AllowTraffic: 'InProgress' }),
    green: 10,
    blue: 90,
  },
  { status: 'InProgress', events: succeededThrough('AfterAllowTraffic'), green: 100, blue: 0 },
  { status: 'Succeeded', events: succeededThrough('AfterAllowTraffic'), green: 100, blue: 0 },
];

describe('watchCodeDeployment', () => {
  it('ends as soon as AfterAllowTraffic succeeded, without waiting for the termination wait', async () => {
    const port = scriptedCodeDeploy(canary);
    const { promise, events } = watch(port);
    const outcome = await promise;
    expect(outcome.kind).toBe('reached');
    // Five target polls: the fifth shows AfterAllowTraffic succeeded; the Succeeded phase is never needed.
    expect(port.calls.filter((c) => c === 'GetDeploymentTarget')).toHaveLength(5);
    const traffic = events
      .filter((e) => e.type === 'traffic')
      .map((e) => (e.type === 'traffic' ? `${e.blue}/${e.green}` : ''));
    expect(traffic).toEqual(['100/0', '90/10', '0/100']);
    const afterAllow = events.find((e) => e.type === 'lifecycle' && e.name === 'AfterAllowTraffic');
    expect(afterAllow).toMatchObject({ status: 'Succeeded' });
  });

  it('reports each change once: a repeated poll emits nothing', async () => {
    const port = scriptedCodeDeploy(canary);
    const { promise, events } = watch(port);
    await promise;
    const allowTrafficStarts = events.filter(
      (e) => e.type === 'lifecycle' && e.name === 'AllowTraffic' && e.status === 'InProgress',
    );
    expect(allowTrafficStarts).toHaveLength(1);
  });

  it('waits for Succeeded with wait-until complete', async () => {
    const port = scriptedCodeDeploy(canary);
    const outcome = await watch(port, { waitUntil: 'complete' }).promise;
    expect(outcome).toMatchObject({ kind: 'reached', deployment: { status: 'Succeeded' } });
  });

  it('returns failed with the deployment when a hook fails', async () => {
    const port = scriptedCodeDeploy([
      canary[0],
      {
        status: 'Failed',
        events: succeededThrough('AllowTraffic', { AfterAllowTraffic: 'Failed' }),
        green: 100,
        blue: 0,
      },
    ]);
    const outcome = await watch(port).promise;
    expect(outcome.kind).toBe('failed');
    expect(outcome.deployment?.status).toBe('Failed');
  });

  it('stays within 12 AWS calls a minute at the default interval', async () => {
    const hanging = [
      {
        status: 'InProgress',
        events: succeededThrough('Install', { AfterInstall: 'InProgress' }),
        green: 0,
        blue: 100,
      },
    ];
    const port = scriptedCodeDeploy(hanging);
    const { promise, clock } = watch(port, { deadline: fakeClock().now() + 10 * MINUTE });
    const outcome = await promise;
    expect(outcome.kind).toBe('deadline');
    // 4 s apart while things change, 6 s once quiet for a minute.
    expect(clock.slept.slice(0, 5)).toEqual([4_000, 4_000, 4_000, 4_000, 4_000]);
    expect(clock.slept.every((ms) => ms <= 6_000)).toBe(true);
    expect(port.calls.length / 10).toBeLessThanOrEqual(12);
    // Every round reads the target, also the once-a-minute GetDeployment rounds: a shift is never skipped.
    const rounds = clock.slept.length + 1;
    expect(port.calls.filter((c) => c === 'GetDeploymentTarget').length).toBeGreaterThanOrEqual(rounds - 1);
  });

  it('never pauses longer than wait-max-delay-seconds, even where the pace would wait longer', async () => {
    const hanging = [
      {
        status: 'InProgress',
        events: succeededThrough('Install', { AfterInstall: 'InProgress' }),
        green: 0,
        blue: 100,
      },
    ];
    const paced = watch(scriptedCodeDeploy(hanging), { deadline: fakeClock().now() + 5 * MINUTE });
    await paced.promise;
    expect(Math.max(...paced.clock.slept)).toBe(6_000); // quiet: the pace slows to 6 s
    const capped = watch(scriptedCodeDeploy(hanging), {
      deadline: fakeClock().now() + 5 * MINUTE,
      maxPollDelayMs: 3_000,
    });
    await capped.promise;
    expect(Math.max(...capped.clock.slept)).toBe(3_000);
  });

  it('returns cancelled when the signal aborts, without another poll', async () => {
    const controller = new AbortController();
    const port = scriptedCodeDeploy(canary);
    const { promise } = watch(port, {
      signal: controller.signal,
      onEvent: () => controller.abort(),
    });
    const outcome = await promise;
    expect(outcome.kind).toBe('cancelled');
    expect(port.calls.filter((c) => c === 'GetDeploymentTarget')).toHaveLength(1);
  });

  it('retries a poll that failed transiently and reports it', async () => {
    const port = scriptedCodeDeploy(canary);
    const original = port.getDeploymentTarget;
    let failures = 1;
    port.getDeploymentTarget = async (...args) => {
      if (failures-- > 0)
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
        });
      return original(...args);
    };
    const { promise, events } = watch(port);
    expect((await promise).kind).toBe('reached');
    expect(events.some((e) => e.type === 'note' && e.message.includes('Rate exceeded'))).toBe(true);
  });

  it('gives up after repeated non-transient poll errors', async () => {
    const port = scriptedCodeDeploy(canary);
    port.getDeploymentTarget = async () => {
      throw Object.assign(new Error('User is not authorized to perform codedeploy:GetDeploymentTarget'), {
        name: 'AccessDeniedException',
      });
    };
    await expect(watch(port).promise).rejects.toThrow('not authorized');
  });
});
