import { describe, expect, it } from '@jest/globals';
import type { Task } from '../../../src/aws/ports.js';
import {
  CRASH_CHECK_INTERVAL_MS,
  crashLoopCheck,
  FailedTasks,
  failedToServe,
  failureThreshold,
} from '../../../src/release/crash-loop.js';
import { followDeployment } from '../../../src/release/follow.js';
import type { Stopper } from '../../../src/release/interrupted.js';
import type { LiveDeployment } from '../../../src/release/strategy.js';
import { fakeEcs, fakeLookups, testContext } from '../../helpers/context.js';

const NEW = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:5';
const OLD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:4';
const START = Date.UTC(2026, 10, 23, 12, 0, 0);

let taskCounter = 0;
function stopped(overrides: Partial<Task> = {}): Task {
  taskCounter += 1;
  return {
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/prod/t${taskCounter}`,
    taskDefinitionArn: NEW,
    lastStatus: 'STOPPED',
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    stoppedAt: new Date(START + 60_000),
    containers: [{ name: 'app', exitCode: 1, runtimeId: `rt${taskCounter}` }],
    ...overrides,
  };
}

describe('failureThreshold', () => {
  it('scales like the circuit breaker: half the desired count, at least 3, at most 200', () => {
    expect(failureThreshold(undefined, 1)).toBe(3);
    expect(failureThreshold(undefined, 2)).toBe(3);
    expect(failureThreshold(undefined, 9)).toBe(5);
    expect(failureThreshold(undefined, 1000)).toBe(200);
  });

  it('takes a number as given, and 0 as never', () => {
    expect(failureThreshold(7, 100)).toBe(7);
    expect(failureThreshold(0, 100)).toBeUndefined();
  });
});

describe('FailedTasks', () => {
  it('counts failed tasks of the new revision once each', () => {
    const failed = new FailedTasks(NEW, START);
    const crash = stopped();
    failed.add([
      crash,
      crash,
      stopped({ stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: not found' }),
    ]);
    expect(failed.count).toBe(2);
  });

  it('never counts the old revision, stops before the deployment, scale-in or a person stopping a task', () => {
    const failed = new FailedTasks(NEW, START);
    failed.add([
      stopped({ taskDefinitionArn: OLD }),
      stopped({ stoppedAt: new Date(START - 1000) }),
      stopped({
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)',
      }),
      stopped({ stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user' }),
      stopped({ stopCode: 'UserInitiated', stoppedReason: 'stopped by on-call: health check flapping' }),
      stopped({ stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' }),
    ]);
    expect(failed.count).toBe(0);
  });

  it('counts a task the scheduler stopped for failing its health checks', () => {
    expect(
      failedToServe(
        stopped({
          stopCode: 'ServiceSchedulerInitiated',
          stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:…)',
        }),
      ),
    ).toBe(true);
    expect(
      failedToServe(
        stopped({
          stopCode: 'ServiceSchedulerInitiated',
          stoppedReason: 'Task failed container health checks',
        }),
      ),
    ).toBe(true);
  });
});

describe('crashLoopCheck', () => {
  const watched = {
    cluster: 'prod',
    service: 'web',
    taskDefinitionArn: NEW,
    desiredCount: 2,
    startedAt: START,
  };

  it('lists stopped tasks at most every 30 s, describing each task once, and finds the loop at the threshold', async () => {
    const listed: { known: number }[] = [];
    const batches = [[stopped()], [stopped()], [stopped()]];
    const ecs = fakeEcs({
      listStoppedTasks: async (_c, _s, _l, known) => {
        listed.push({ known: known?.size ?? 0 });
        return batches.shift() ?? [];
      },
    });
    const check = crashLoopCheck(ecs, watched, 3);
    expect(await check(START + 1000)).toBeUndefined(); // too soon: no call
    expect(listed).toEqual([]);
    expect(await check(START + CRASH_CHECK_INTERVAL_MS)).toBeUndefined();
    expect(await check(START + CRASH_CHECK_INTERVAL_MS + 5000)).toBeUndefined(); // too soon again
    expect(await check(START + 2 * CRASH_CHECK_INTERVAL_MS)).toBeUndefined();
    const found = await check(START + 3 * CRASH_CHECK_INTERVAL_MS);
    expect(found?.threshold).toBe(3);
    expect(found?.failed).toHaveLength(3);
    expect(listed).toEqual([{ known: 0 }, { known: 1 }, { known: 2 }]);
  });

  it('one flaky task in a release that then succeeds never trips it', async () => {
    const ecs = fakeEcs({
      listStoppedTasks: async () => [
        stopped({ taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/flaky' }),
      ],
    });
    const check = crashLoopCheck(ecs, watched, 3);
    for (let round = 1; round <= 10; round++) {
      expect(await check(START + round * CRASH_CHECK_INTERVAL_MS)).toBeUndefined();
    }
  });

  it('a failed listing is tried again later, never a failure', async () => {
    let calls = 0;
    const ecs = fakeEcs({
      listStoppedTasks: async () => {
        calls += 1;
        if (calls === 1) throw new Error('Rate exceeded');
        return [stopped(), stopped(), stopped()];
      },
    });
    const check = crashLoopCheck(ecs, watched, 3);
    expect(await check(START + CRASH_CHECK_INTERVAL_MS)).toBeUndefined();
    expect((await check(START + 2 * CRASH_CHECK_INTERVAL_MS))?.failed).toHaveLength(3);
  });
});

describe('followDeployment with a crash loop', () => {
  function crashingLive(tasks: LiveDeployment['tasks']) {
    const asked: string[] = [];
    const stopper: Stopper = {
      stopOrLeave: async (setting, because) => {
        asked.push(`${setting}: ${because}`);
        return { kind: 'stopped', line: 'Stopped deployment d-1 with rollback.' };
      },
      confirmRollback: async () => ({
        state: 'succeeded',
        line: 'Rollback succeeded: the service runs web:4.',
      }),
    };
    const deployment: LiveDeployment = {
      id: 'd-1',
      url: 'https://console/d-1',
      subject: 'deployment d-1',
      inFlight: (onCancel) => ({ kind: 'codedeploy', deploymentId: 'd-1', onCancel }),
      stopper: () => stopper,
      tasks,
      // A watch that polls until its crash check finds something, as the real poll loop does.
      watch: async (_until, deadline, crashCheck) => {
        asked.push(`crash check ${crashCheck ? 'on' : 'off'}`);
        for (let now = START; now < deadline; now += 4000) {
          const crashLoop = await crashCheck?.(now);
          if (crashLoop) return { kind: 'crash-loop', crashLoop };
        }
        return { kind: 'deadline' };
      },
    };
    return { deployment, asked };
  }
  const watched = {
    cluster: 'prod',
    service: 'web',
    taskDefinitionArn: NEW,
    desiredCount: 2,
    startedAt: START,
  };

  it('stops with rollback (whatever on-timeout says) and names the cause and the app’s last lines', async () => {
    const crashes = [stopped(), stopped(), stopped()];
    const ecs = fakeEcs({
      listStoppedTasks: async (_c, _s, _l, known) => crashes.filter((t) => !known?.has(t.taskArn!)),
      describeTaskDefinition: async () => ({
        taskDefinition: {
          taskDefinitionArn: NEW,
          containerDefinitions: [
            {
              name: 'app',
              essential: true,
              logConfiguration: {
                logDriver: 'awslogs',
                options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs' },
              },
            },
          ],
        },
        tags: [],
      }),
    });
    const lookups = fakeLookups({
      logs: {
        lastLogEvents: async (_r, _g, stream) => [
          { message: 'listening on :8080' },
          { message: `Error: connect ECONNREFUSED 10.0.3.12:5432 (${stream})\n` },
        ],
      },
    });
    const t = testContext({ ecs, lookups, settings: { wait: { onTimeout: 'leave' } } });
    const { deployment, asked } = crashingLive(watched);
    const result = await followDeployment(t.ctx, deployment, t.wait);
    expect(asked).toEqual([
      'crash check on',
      'rollback: 3 tasks of the new revision web:5 stopped before they could serve (max-task-failures: 3)',
    ]);
    expect(result.deploymentStatus).toBe('failed');
    expect(result.status).toBe('tasks keep failing — rolled back');
    expect(result.failure?.headline).toBe(
      'The new revision\'s tasks keep failing: 3 of them stopped before deployment d-1 reached "shifted". ecs-shift stopped it with rollback instead of waiting up to 30m00s for the deadline.',
    );
    const details = result.failure!.details.join('\n');
    expect(details).toContain(
      '3 tasks stopped [EssentialContainerExited]: Essential container in task exited — app exit code 1',
    );
    expect(details).toContain(
      `app's last 2 log lines (/ecs/web, stream ecs/app/${crashes[0].taskArn!.split('/').pop()}):`,
    );
    expect(details).toContain('      | Error: connect ECONNREFUSED 10.0.3.12:5432');
    expect(details).toContain(
      'Stopped early by max-task-failures: auto, 3 for 2 desired tasks; set max-task-failures: 0 to wait for the deadline instead.',
    );
    expect(t.lines).toContain(
      'If 3 tasks of the new revision stop before "shifted", ecs-shift stops the deployment with rollback (max-task-failures).',
    );
  });

  it('app-logs: false reads no log lines', async () => {
    const crashes = [stopped(), stopped(), stopped()];
    const lookups = fakeLookups();
    const ecs = fakeEcs({
      listStoppedTasks: async (_c, _s, _l, known) => crashes.filter((t) => !known?.has(t.taskArn!)),
    });
    const t = testContext({ ecs, lookups });
    const { deployment } = crashingLive(watched);
    const result = await followDeployment({ ...t.ctx, appLogs: false }, deployment, t.wait);
    expect(result.failure?.details.join('\n')).toContain('3 tasks stopped [EssentialContainerExited]');
    expect(lookups.calls.filter((call) => call.startsWith('GetLogEvents'))).toEqual([]);
    expect(ecs.calls).not.toContain('DescribeTaskDefinition');
  });

  it('leaves a crash loop to the circuit breaker when the service has one, and says so', async () => {
    const t = testContext();
    const { deployment, asked } = crashingLive({ ...watched, circuitBreaker: true });
    await followDeployment(t.ctx, deployment, t.wait);
    expect(asked).toEqual(['crash check off', 'rollback: the 30m00s deadline passed']);
    expect(t.lines[0]).toMatch(
      /circuit breaker is on: it stops the deployment if the new tasks keep failing/,
    );
  });

  it('max-task-failures: 0 waits for the deadline as before', async () => {
    const t = testContext({ settings: { checks: { maxTaskFailures: 0 } } });
    t.wait.maxTaskFailures = 0;
    const { deployment, asked } = crashingLive(watched);
    const result = await followDeployment(t.ctx, deployment, t.wait);
    expect(asked[0]).toBe('crash check off');
    expect(result.deploymentStatus).toBe('timed-out');
  });
});
