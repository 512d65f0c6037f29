import { describe, expect, it } from '@jest/globals';
import { nextPollDelay, trafficStepMs, type PaceInput } from '../../../src/codedeploy/pace.js';
import { succeededThrough, target, type Phase } from '../../helpers/codedeploy-fake.js';

const NOW = 1_000_000;
const MINUTE = 60_000;

function pace(phase: Phase, extra: Partial<PaceInput> = {}): number {
  return nextPollDelay({
    snapshot: { status: phase.status, target: target(phase) },
    waitUntil: 'shifted',
    base: 4_000,
    now: NOW,
    changedAt: NOW,
    ...extra,
  });
}

describe('nextPollDelay', () => {
  it('polls slowly while the deployment has not started or its replacement tasks are still starting', () => {
    expect(
      nextPollDelay({
        snapshot: { status: 'Created' },
        waitUntil: 'shifted',
        base: 4_000,
        now: NOW,
        changedAt: NOW,
      }),
    ).toBe(10_000);
    expect(
      pace({
        status: 'InProgress',
        events: { BeforeInstall: 'Succeeded', Install: 'InProgress' },
        green: 0,
        blue: 100,
      }),
    ).toBe(10_000);
  });

  it('polls fast once the tasks are up, so the step ends within seconds of the shift', () => {
    expect(
      pace({
        status: 'InProgress',
        events: succeededThrough('BeforeAllowTraffic', { AllowTraffic: 'InProgress' }),
        green: 0,
        blue: 100,
      }),
    ).toBe(4_000);
  });

  it('polls slowly mid-canary until the next step is due, then fast again', () => {
    const canary: Phase = {
      status: 'InProgress',
      events: succeededThrough('BeforeAllowTraffic', { AllowTraffic: 'InProgress' }),
      green: 10,
      blue: 90,
    };
    const step = 5 * MINUTE;
    expect(pace(canary, { trafficStepMs: step, trafficChangedAt: NOW })).toBe(10_000);
    // 12 s before the step is due: the next slow poll would come too late.
    expect(pace(canary, { trafficStepMs: step, trafficChangedAt: NOW - step + 12_000 })).toBe(4_000);
    // Quiet for the whole interval is expected: near the step it polls fast, not at the quiet pace.
    expect(pace(canary, { trafficStepMs: step, trafficChangedAt: NOW - step, changedAt: NOW - step })).toBe(
      4_000,
    );
    // Without the config's interval there is nothing to predict.
    expect(pace(canary, { trafficChangedAt: NOW })).toBe(4_000);
  });

  it('slows to 1.5 × base during a lifecycle event that has not changed for a minute (a long hook)', () => {
    const hook: Phase = {
      status: 'InProgress',
      events: succeededThrough('AllowTestTraffic', { AfterAllowTestTraffic: 'InProgress' }),
      green: 0,
      blue: 100,
    };
    expect(pace(hook, { changedAt: NOW - 59_000 })).toBe(4_000);
    expect(pace(hook, { changedAt: NOW - MINUTE })).toBe(6_000);
  });

  it('polls slowly through the termination wait when told to wait for completion', () => {
    const shifted: Phase = {
      status: 'InProgress',
      events: succeededThrough('AfterAllowTraffic'),
      green: 100,
      blue: 0,
    };
    expect(pace(shifted, { waitUntil: 'complete' })).toBe(10_000);
  });
});

describe('trafficStepMs', () => {
  it.each([
    [{ type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 } }, 5 * MINUTE],
    [{ type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 10, linearInterval: 1 } }, MINUTE],
    [{ type: 'AllAtOnce' }, undefined],
    [undefined, undefined],
  ])('reads %j as %p ms', (trafficRoutingConfig, expected) => {
    expect(trafficStepMs({ trafficRoutingConfig })).toBe(expected);
  });
});
