import { describe, expect, it } from '@jest/globals';
import { codeDeployProgress, codeDeployReached } from '../../../src/codedeploy/progress.js';
import { succeededThrough, target } from '../../helpers/codedeploy-fake.js';

const AT = 1_000;

describe('codeDeployProgress', () => {
  it('reports an event that started and ended between two polls from its end state', () => {
    const before = {
      status: 'InProgress',
      target: target({ status: 'InProgress', events: succeededThrough('BeforeInstall') }),
    };
    const after = {
      status: 'InProgress',
      target: target({ status: 'InProgress', events: succeededThrough('AfterInstall'), green: 0, blue: 100 }),
    };
    const events = codeDeployProgress(before, after, AT);
    expect(
      events
        .filter((e) => e.type === 'lifecycle')
        .map((e) => e.type === 'lifecycle' && `${e.name} ${e.status}`),
    ).toEqual(['Install Succeeded', 'AfterInstall Succeeded']);
  });

  it('reports the first sight of the green task set with its counts and the traffic split', () => {
    const before = { target: target({ status: 'InProgress' }) };
    const after = { target: target({ status: 'InProgress', green: 0, blue: 100, greenRunning: 1 }) };
    const events = codeDeployProgress(before, after, AT);
    expect(events).toContainEqual({ type: 'traffic', at: AT, blue: 100, green: 0 });
    expect(events).toContainEqual({
      type: 'tasks',
      at: AT,
      label: 'Green',
      running: 1,
      pending: 0,
      desired: 2,
    });
    // Blue's counts did not change: no line for it.
    expect(events.some((e) => e.type === 'tasks' && e.label === 'Blue')).toBe(false);
  });

  it('reports a status change with the previous status', () => {
    expect(codeDeployProgress({ status: 'Created' }, { status: 'InProgress' }, AT)).toEqual([
      { type: 'status', at: AT, status: 'InProgress', previous: 'Created' },
    ]);
  });
});

describe('codeDeployReached', () => {
  const shifted = {
    status: 'InProgress',
    target: target({
      status: 'InProgress',
      events: succeededThrough('AfterAllowTraffic'),
      green: 100,
      blue: 0,
    }),
  };
  const midShift = {
    status: 'InProgress',
    target: target({
      status: 'InProgress',
      events: succeededThrough('BeforeAllowTraffic', { AllowTraffic: 'InProgress' }),
      green: 10,
      blue: 90,
    }),
  };
  const ready = {
    status: 'Ready',
    target: target({
      status: 'Ready',
      events: succeededThrough('AfterAllowTestTraffic'),
      green: 0,
      blue: 100,
    }),
  };

  it.each([
    ['shifted', midShift, false],
    ['shifted', shifted, true],
    ['complete', shifted, false],
    ['complete', { ...shifted, status: 'Succeeded' }, true],
    ['ready', midShift, false],
    ['ready', ready, true],
  ] as const)('wait-until %s: %#', (waitUntil, snapshot, expected) => {
    expect(codeDeployReached(snapshot, waitUntil)).toBe(expected);
  });
});
