import { describe, expect, it } from '@jest/globals';
import { codeDeployProgress, codeDeployReached, statusTimeOf } from '../../../src/codedeploy/progress.js';
import { inTimeOrder } from '../../../src/report/events.js';
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

describe('codeDeployProgress: the times CodeDeploy gives', () => {
  it("stamps a lifecycle event with its end (or start) time and a traffic step with the target's last update", () => {
    const t0 = Date.UTC(2026, 11, 2, 3, 0);
    const installEnded = new Date(t0 + 40_000);
    const before = { status: 'InProgress', target: target({ status: 'InProgress' }) };
    const next = target({ status: 'InProgress', green: 10, blue: 90 });
    next.ecsTarget!.lastUpdatedAt = new Date(t0 + 70_000);
    next.ecsTarget!.lifecycleEvents = [
      { lifecycleEventName: 'Install', status: 'Succeeded', startTime: new Date(t0), endTime: installEnded },
      { lifecycleEventName: 'AllowTraffic', status: 'InProgress', startTime: new Date(t0 + 60_000) },
    ];
    const events = inTimeOrder(
      codeDeployProgress(before, { status: 'InProgress', target: next }, t0 + 90_000),
    );
    // The poll saw them all at +90 s; the log tells them as they happened.
    expect(events.filter((e) => e.type !== 'tasks').map((e) => [e.type, e.at - t0])).toEqual([
      ['lifecycle', 40_000],
      ['lifecycle', 60_000],
      ['traffic', 70_000],
    ]);
  });

  it("stamps the deployment's status with CodeDeploy's complete time", () => {
    const done = new Date(Date.UTC(2026, 11, 2, 3, 5));
    expect(statusTimeOf({ status: 'Succeeded', completeTime: done, startTime: new Date(0) })).toBe(
      done.getTime(),
    );
    expect(statusTimeOf({ status: 'Ready' })).toBeUndefined();
    const events = codeDeployProgress(
      { status: 'InProgress' },
      { status: 'Failed', statusTime: done.getTime() },
      AT,
    );
    expect(events).toEqual([
      { type: 'status', at: done.getTime(), status: 'Failed', previous: 'InProgress' },
    ]);
  });
});

describe('codeDeployProgress: only this step', () => {
  it("leaves out what ended before the watch began (a promote's earlier events) and dates nothing before it", () => {
    const t0 = Date.UTC(2026, 11, 2, 3, 0);
    const watchedFrom = t0 + 3600_000;
    const next = target({ status: 'InProgress' });
    next.ecsTarget!.lifecycleEvents = [
      {
        lifecycleEventName: 'Install',
        status: 'Succeeded',
        startTime: new Date(t0),
        endTime: new Date(t0 + 60_000),
      },
      { lifecycleEventName: 'AllowTraffic', status: 'InProgress', startTime: new Date(watchedFrom + 5_000) },
    ];
    const events = codeDeployProgress(
      undefined,
      { status: 'InProgress', statusTime: t0, target: next },
      watchedFrom + 9_000,
      watchedFrom,
    );
    expect(events.filter((e) => e.type === 'lifecycle').map((e) => e.type === 'lifecycle' && e.name)).toEqual(
      ['AllowTraffic'],
    );
    expect(events.find((e) => e.type === 'status')?.at).toBe(watchedFrom);
  });

  it("takes the poll's time for a traffic step when the target's last update did not move", () => {
    const updated = new Date(Date.UTC(2026, 11, 2, 3, 1));
    const before = target({ status: 'InProgress', green: 10, blue: 90 });
    before.ecsTarget!.lastUpdatedAt = updated;
    const after = target({ status: 'InProgress', green: 100, blue: 0 });
    after.ecsTarget!.lastUpdatedAt = updated;
    const events = codeDeployProgress({ target: before }, { target: after }, updated.getTime() + 300_000);
    expect(events.find((e) => e.type === 'traffic')?.at).toBe(updated.getTime() + 300_000);
  });
});

describe('inTimeOrder', () => {
  it('sorts by time and keeps the order they were made in for the same time', () => {
    const events = inTimeOrder([
      { type: 'note', at: 30, message: 'c' },
      { type: 'traffic', at: 10, blue: 90, green: 10 },
      { type: 'lifecycle', at: 10, name: 'AllowTraffic', status: 'Succeeded' },
      { type: 'note', at: 5, message: 'a' },
    ]);
    expect(events.map((e) => `${e.type}@${e.at}`)).toEqual([
      'note@5',
      'traffic@10',
      'lifecycle@10',
      'note@30',
    ]);
  });
});
