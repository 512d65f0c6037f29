import { describe, expect, it } from '@jest/globals';
import type { Service, ServiceDeployment } from '../../../src/aws/ports.js';
import {
  ecsFailed,
  ecsPollDelay,
  ecsProgress,
  ecsReached,
  stagesPassed,
  type EcsSnapshot,
} from '../../../src/ecs/progress.js';

const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';
const OLD_TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';

function rolling(
  rollouts: { taskDefinition: string; status: string; rolloutState?: string }[],
  events: Service['events'] = [],
): EcsSnapshot {
  return {
    service: {
      deployments: rollouts.map((r) => ({
        ...r,
        runningCount: 1,
        pendingCount: 1,
        desiredCount: 2,
      })) as never,
      events,
    },
  };
}

function native(fields: Partial<ServiceDeployment>, weight?: number): EcsSnapshot {
  return {
    deployment: {
      status: 'IN_PROGRESS',
      targetServiceRevision: {
        requestedProductionTrafficWeight: weight,
        runningTaskCount: 2,
        pendingTaskCount: 0,
        requestedTaskCount: 2,
      },
      ...fields,
    } as ServiceDeployment,
  };
}

describe('stagesPassed', () => {
  it('lists the stages a poll skipped, the last one seen included', () => {
    expect(stagesPassed('SCALE_UP', 'TEST_TRAFFIC_SHIFT')).toEqual(['SCALE_UP', 'POST_SCALE_UP']);
    expect(stagesPassed(undefined, 'PRE_SCALE_UP')).toEqual(['RECONCILE_SERVICE']);
    expect(stagesPassed(undefined, 'RECONCILE_SERVICE')).toEqual([]);
  });

  it('claims nothing beyond the stage it saw when the stages go backwards', () => {
    expect(stagesPassed('PRODUCTION_TRAFFIC_SHIFT', 'SCALE_UP')).toEqual(['PRODUCTION_TRAFFIC_SHIFT']);
  });
});

describe('ecsReached', () => {
  it('rolling: our rollout is PRIMARY and COMPLETED', () => {
    expect(
      ecsReached(
        rolling([{ taskDefinition: TD, status: 'PRIMARY', rolloutState: 'COMPLETED' }]),
        'ROLLING',
        'shifted',
        TD,
      ),
    ).toBe(true);
    expect(
      ecsReached(
        rolling([{ taskDefinition: TD, status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }]),
        'ROLLING',
        'shifted',
        TD,
      ),
    ).toBe(false);
  });

  it('rolling behind a Classic Load Balancer (no rolloutState): done once ours alone runs every task', () => {
    const classic = (
      rollouts: { taskDefinition: string; status?: string; running: number; pending?: number }[],
    ): EcsSnapshot => ({
      service: {
        deployments: rollouts.map((r) => ({
          taskDefinition: r.taskDefinition,
          status: r.status,
          desiredCount: 2,
          runningCount: r.running,
          pendingCount: r.pending ?? 0,
        })),
      },
    });
    const done = classic([{ taskDefinition: TD, status: 'PRIMARY', running: 2 }]);
    expect(ecsReached(done, 'ROLLING', 'shifted', TD)).toBe(true);
    expect(ecsFailed(done, 'ROLLING', TD)).toBe(false);
    // The old revision still draining, or tasks still starting: not yet.
    const draining = classic([
      { taskDefinition: TD, status: 'PRIMARY', running: 2 },
      { taskDefinition: OLD_TD, status: 'ACTIVE', running: 1 },
    ]);
    expect(ecsReached(draining, 'ROLLING', 'shifted', TD)).toBe(false);
    expect(
      ecsReached(
        classic([{ taskDefinition: TD, status: 'PRIMARY', running: 1, pending: 1 }]),
        'ROLLING',
        'shifted',
        TD,
      ),
    ).toBe(false);
    // A deployment entry without a status (AWS documents it as optional) is not taken for "replaced".
    expect(ecsFailed(classic([{ taskDefinition: TD, running: 1 }]), 'ROLLING', TD)).toBe(false);
  });

  it('native shifted: at BAKE_TIME when ECS leaves out the traffic weight', () => {
    expect(ecsReached(native({ lifecycleStage: 'BAKE_TIME' }), 'BLUE_GREEN', 'shifted', TD)).toBe(true);
    expect(ecsReached(native({ lifecycleStage: 'BAKE_TIME' }, 90), 'LINEAR', 'shifted', TD)).toBe(false);
  });

  it('native shifted: all production traffic on the new revision and past the post-shift stage', () => {
    expect(ecsReached(native({ lifecycleStage: 'BAKE_TIME' }, 100), 'BLUE_GREEN', 'shifted', TD)).toBe(true);
    expect(
      ecsReached(
        native({ lifecycleStage: 'POST_PRODUCTION_TRAFFIC_SHIFT' }, 100),
        'BLUE_GREEN',
        'shifted',
        TD,
      ),
    ).toBe(false);
    expect(ecsReached(native({ lifecycleStage: 'BAKE_TIME' }, 100), 'BLUE_GREEN', 'complete', TD)).toBe(
      false,
    );
    expect(ecsReached(native({ status: 'SUCCESSFUL' }, 100), 'CANARY', 'complete', TD)).toBe(true);
  });

  it('native ready: a PAUSE hook waits for approval', () => {
    const paused = native(
      {
        lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
        lifecycleHookDetails: [{ hookId: 'h1', status: 'AWAITING_ACTION' }],
      } as never,
      0,
    );
    expect(ecsReached(paused, 'BLUE_GREEN', 'ready', TD)).toBe(true);
    expect(
      ecsReached(native({ lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' }, 0), 'BLUE_GREEN', 'ready', TD),
    ).toBe(false);
  });
});

describe('ecsFailed', () => {
  it.each(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'STOPPED'])(
    'treats %s as failed',
    (status) => {
      expect(ecsFailed(native({ status: status as never }), 'BLUE_GREEN', TD)).toBe(true);
    },
  );

  it('rolling: a FAILED rollout, or one the circuit breaker replaced as PRIMARY', () => {
    expect(
      ecsFailed(rolling([{ taskDefinition: TD, status: 'PRIMARY', rolloutState: 'FAILED' }]), 'ROLLING', TD),
    ).toBe(true);
    const rolledBack = rolling([
      { taskDefinition: OLD_TD, status: 'PRIMARY', rolloutState: 'IN_PROGRESS' },
      { taskDefinition: TD, status: 'ACTIVE', rolloutState: 'FAILED' },
    ]);
    expect(ecsFailed(rolledBack, 'ROLLING', TD)).toBe(true);
    expect(
      ecsFailed(
        rolling([{ taskDefinition: TD, status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }]),
        'ROLLING',
        TD,
      ),
    ).toBe(false);
  });
});

describe('ecsProgress', () => {
  it('rolling: rollout state, counts and service events since the start, no stages or traffic', () => {
    const start = Date.UTC(2026, 10, 25, 12);
    const before = rolling(
      [{ taskDefinition: TD, status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }],
      [{ id: 'old', createdAt: new Date(start - 60_000), message: 'has reached a steady state.' }],
    );
    const after: EcsSnapshot = {
      ...rolling(
        [{ taskDefinition: TD, status: 'PRIMARY', rolloutState: 'COMPLETED' }],
        [
          { id: 'e2', createdAt: new Date(start + 2_000), message: 'deployment completed.' },
          { id: 'e1', createdAt: new Date(start + 1_000), message: 'has started 1 tasks.' },
          { id: 'old', createdAt: new Date(start - 60_000), message: 'has reached a steady state.' },
        ],
      ),
      deployment: {
        status: 'SUCCESSFUL',
        lifecycleStage: 'CLEAN_UP',
        targetServiceRevision: { requestedProductionTrafficWeight: 100 },
      },
    };
    const events = ecsProgress(before, after, start + 3_000, TD, start, 'ROLLING');
    expect(events.map((e) => e.type)).toEqual(['status', 'note', 'note']);
    expect(events[0]).toMatchObject({ status: 'COMPLETED', previous: 'IN_PROGRESS' });
    expect(events.slice(1).map((e) => (e.type === 'note' ? e.message : ''))).toEqual([
      'has started 1 tasks.',
      'deployment completed.',
    ]);
  });

  it('native: stages passed between polls, the traffic split and hook changes', () => {
    const before = native({ lifecycleStage: 'SCALE_UP' }, 0);
    const after = native(
      {
        lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
        lifecycleHookDetails: [{ hookId: 'h1', targetArn: 'arn:lambda:smoke', status: 'SUCCEEDED' }],
      } as never,
      10,
    );
    const events = ecsProgress(before, after, 0, TD, 0, 'CANARY');
    expect(
      events
        .filter((e) => e.type === 'lifecycle')
        .map((e) => (e.type === 'lifecycle' ? `${e.name} ${e.status}` : '')),
    ).toEqual([
      'SCALE_UP Succeeded',
      'POST_SCALE_UP Succeeded',
      'TEST_TRAFFIC_SHIFT Succeeded',
      'POST_TEST_TRAFFIC_SHIFT Succeeded',
      'PRODUCTION_TRAFFIC_SHIFT InProgress',
    ]);
    expect(events).toContainEqual({ type: 'traffic', at: 0, blue: 90, green: 10 });
    expect(events).toContainEqual({ type: 'note', at: 0, message: 'hook arn:lambda:smoke succeeded' });
  });
});

describe('ecsPollDelay', () => {
  const pace = (snapshot: EcsSnapshot, strategy: 'ROLLING' | 'BLUE_GREEN', changedAt = 0) =>
    ecsPollDelay({ snapshot, strategy, base: 4_000, now: 0, changedAt });

  it('blue/green: polls slowly while the new tasks are starting, fast once traffic can move', () => {
    expect(pace(native({ lifecycleStage: 'SCALE_UP' }, 0), 'BLUE_GREEN')).toBe(10_000);
    expect(pace(native({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT' }, 50), 'BLUE_GREEN')).toBe(4_000);
  });

  it('rolling: every 5 s, since the rollout completes as soon as its last task is up', () => {
    const starting = rolling([{ taskDefinition: TD, status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }]);
    expect(pace(starting, 'ROLLING')).toBe(5_000);
  });

  it('slows to 1.5 × base after a minute without change', () => {
    expect(pace(native({ lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' }, 0), 'BLUE_GREEN', -60_000)).toBe(6_000);
    expect(pace(rolling([]), 'ROLLING', -60_000)).toBe(6_000);
  });
});

describe('ecsProgress: the times ECS gives', () => {
  const start = Date.UTC(2026, 11, 2, 3);

  it('tells service events oldest first, and those of the same time in the order ECS lists them (newest first)', () => {
    const same = new Date(start + 5_000);
    const after = rolling(
      [{ taskDefinition: TD, status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }],
      [
        { id: 'e4', createdAt: new Date(start + 9_000), message: 'has reached a steady state.' },
        { id: 'e3', createdAt: same, message: 'has started 1 tasks: (task c).' },
        { id: 'e2', createdAt: same, message: 'has stopped 1 running tasks: (task b).' },
        { id: 'e1', createdAt: new Date(start + 1_000), message: 'has started 1 tasks: (task a).' },
      ],
    );
    const notes = ecsProgress(undefined, after, start + 10_000, TD, start, 'ROLLING').filter(
      (e) => e.type === 'note',
    );
    expect(notes.map((e) => [e.at - start, e.type === 'note' && e.message])).toEqual([
      [1_000, 'has started 1 tasks: (task a).'],
      [5_000, 'has stopped 1 running tasks: (task b).'],
      [5_000, 'has started 1 tasks: (task c).'],
      [9_000, 'has reached a steady state.'],
    ]);
  });

  it("stamps stages and traffic with the service deployment's update time, not the poll's", () => {
    const updatedAt = new Date(start + 42_000);
    const events = ecsProgress(
      native({ lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' }, 0),
      native({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', updatedAt }, 10),
      start + 60_000,
      TD,
      start,
      'CANARY',
    );
    expect(events.find((e) => e.type === 'traffic')?.at).toBe(updatedAt.getTime());
    expect(events.filter((e) => e.type === 'lifecycle')).toEqual([
      {
        type: 'lifecycle',
        at: updatedAt.getTime(),
        name: 'POST_TEST_TRAFFIC_SHIFT',
        status: 'Succeeded',
        endTime: updatedAt.getTime(),
      },
      {
        type: 'lifecycle',
        at: updatedAt.getTime(),
        name: 'PRODUCTION_TRAFFIC_SHIFT',
        status: 'InProgress',
        startTime: updatedAt.getTime(),
      },
    ]);
  });

  it('names a hook by its Lambda function, or by the one configured hook when ECS gives only an id', () => {
    const withArn = native({
      lifecycleHookDetails: [
        {
          hookId: '6f1c0d7e-1111-4c5b-9d3a-1234567890ab',
          targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:web-smoke',
          status: 'FAILED',
        },
      ],
    } as never);
    const idOnly = native({
      deploymentConfiguration: {
        lifecycleHooks: [
          {
            hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:web-check',
            lifecycleStages: ['POST_SCALE_UP'],
          },
        ],
      },
      lifecycleHookDetails: [{ hookId: '6f1c0d7e-2222-4c5b-9d3a-1234567890ab', status: 'SUCCEEDED' }],
    } as never);
    const notes = (snapshot: EcsSnapshot) =>
      ecsProgress(undefined, snapshot, start, TD, start, 'CANARY').flatMap((e) =>
        e.type === 'note' ? [e.message] : [],
      );
    expect(notes(withArn)).toEqual(['hook web-smoke failed']);
    expect(notes(idOnly)).toEqual(['hook web-check succeeded']);
  });

  it('names a PAUSE hook by its own stage, not the stage the deployment has moved on to', () => {
    const snapshot = native({
      lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
      deploymentConfiguration: {
        lifecycleHooks: [
          { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] },
          {
            hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:web-check',
            lifecycleStages: ['POST_SCALE_UP'],
          },
        ],
      },
      lifecycleHookDetails: [{ hookId: 'h-pause', targetType: 'PAUSE', status: 'SUCCEEDED' }],
    } as never);
    const notes = ecsProgress(undefined, snapshot, start, TD, start, 'CANARY').flatMap((e) =>
      e.type === 'note' ? [e.message] : [],
    );
    expect(notes).toEqual(['hook PAUSE at POST_TEST_TRAFFIC_SHIFT succeeded']);
  });

  it('rolling: the old revision draining beside the new one, as task counts', () => {
    const snapshot = (oldRunning: number): EcsSnapshot => ({
      service: {
        deployments: [
          {
            taskDefinition: TD,
            status: 'PRIMARY',
            runningCount: 4 - oldRunning,
            pendingCount: 0,
            desiredCount: 4,
          },
          ...(oldRunning > 0
            ? [
                {
                  taskDefinition: OLD_TD,
                  status: 'ACTIVE',
                  runningCount: oldRunning,
                  pendingCount: 0,
                  desiredCount: oldRunning,
                },
              ]
            : []),
        ],
      },
    });
    const old = (events: ReturnType<typeof ecsProgress>) =>
      events.flatMap((e) => (e.type === 'tasks' && e.label === 'old' ? [e.running] : []));
    expect(old(ecsProgress(undefined, snapshot(4), start, TD, start, 'ROLLING'))).toEqual([4]);
    expect(old(ecsProgress(snapshot(4), snapshot(2), start, TD, start, 'ROLLING'))).toEqual([2]);
    expect(old(ecsProgress(snapshot(2), snapshot(0), start, TD, start, 'ROLLING'))).toEqual([0]);
  });

  it('a rollback re-running stages: the stage it failed in is failed, not succeeded', () => {
    const events = ecsProgress(
      native({ lifecycleStage: 'BAKE_TIME' }, 100),
      native({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', status: 'ROLLBACK_IN_PROGRESS' }, 0),
      start,
      TD,
      start,
      'CANARY',
    );
    expect(events.flatMap((e) => (e.type === 'lifecycle' ? [`${e.name} ${e.status}`] : []))).toEqual([
      'BAKE_TIME Failed',
      'PRODUCTION_TRAFFIC_SHIFT InProgress',
    ]);
  });

  it('dates nothing before the step began: an old rollout last updated a week ago counts from the start', () => {
    const weekAgo = new Date(start - 7 * 24 * 3600_000);
    const snapshot: EcsSnapshot = {
      service: {
        deployments: [
          { taskDefinition: TD, status: 'PRIMARY', runningCount: 0, pendingCount: 2, desiredCount: 2 },
          { taskDefinition: OLD_TD, status: 'ACTIVE', runningCount: 2, desiredCount: 2, updatedAt: weekAgo },
        ],
      },
    };
    const events = ecsProgress(undefined, snapshot, start + 5_000, TD, start, 'ROLLING');
    expect(events.find((e) => e.type === 'tasks' && e.label === 'old')?.at).toBe(start);
  });
});
