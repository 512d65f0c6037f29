import type { DeploymentInfo, DeploymentTarget, Task } from '../../../src/aws/ports.js';
import { diagnoseCodeDeployFailure } from '../../../src/codedeploy/diagnosis.js';
import { formatDuration, formatUtcTime } from '../../../src/text/format.js';

const at = (hhmmss: string) => new Date(`2026-11-23T${hhmmss}Z`);
const NEW_TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:42';
const OLD_TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:41';

function stoppedTask(id: string, fields: Partial<Task>): Task {
  return {
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/prod/${id}`,
    taskDefinitionArn: NEW_TD,
    lastStatus: 'STOPPED',
    ...fields,
  };
}

const crashed = (id: string) =>
  stoppedTask(id, {
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    containers: [
      { name: 'app', exitCode: 1, lastStatus: 'STOPPED' },
      { name: 'envoy', exitCode: 0, lastStatus: 'STOPPED' },
    ],
  });

const oomKilled = stoppedTask('c0ffee00c0ffee00c0ffee00c0ffee00', {
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  containers: [
    { name: 'app', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
  ],
});

const oldRevisionScaledIn = stoppedTask('0ld0ld0ld0ld', {
  taskDefinitionArn: OLD_TD,
  stopCode: 'ServiceSchedulerInitiated',
  stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1234567890)',
  containers: [{ name: 'app', exitCode: 0 }],
});

const logTail = [
  '',
  ...Array.from(
    { length: 24 },
    (_, i) => `START smoke check ${i + 1}: GET https://green.internal/health -> 503`,
  ),
  'END smoke test: 24 of 24 checks failed',
  '',
  '',
].join('\n');

const hookFailure: DeploymentTarget = {
  deploymentTargetType: 'ECSTarget',
  ecsTarget: {
    deploymentId: 'd-ABC123XYZ',
    targetId: 'prod:web',
    status: 'Failed',
    lifecycleEvents: [
      {
        lifecycleEventName: 'BeforeInstall',
        status: 'Succeeded',
        startTime: at('19:00:05'),
        endTime: at('19:00:06'),
      },
      {
        lifecycleEventName: 'Install',
        status: 'Succeeded',
        startTime: at('19:00:06'),
        endTime: at('19:01:34'),
      },
      {
        lifecycleEventName: 'AllowTraffic',
        status: 'Succeeded',
        startTime: at('19:01:40'),
        endTime: at('19:02:00'),
      },
      {
        lifecycleEventName: 'AfterAllowTraffic',
        status: 'Failed',
        startTime: at('19:02:00'),
        endTime: at('19:04:10'),
        diagnostics: {
          errorCode: 'ScriptFailed',
          scriptName: 'CodeDeployHook_AfterAllowTraffic_smoke',
          message: 'Smoke test failed: /health returned 503',
          logTail,
        },
      },
    ],
  },
};

const serviceEvents = [
  {
    createdAt: at('19:04:20'),
    message: '(service web) has stopped 1 running tasks: (task c0ffee00c0ffee00c0ffee00c0ffee00).',
  },
  {
    createdAt: at('19:03:50'),
    message: '(service web) has started 1 tasks: (task c0ffee00c0ffee00c0ffee00c0ffee00).',
  },
  {
    createdAt: at('19:03:10'),
    message: '(service web, taskSet ecs-svc/2) has begun draining connections on 1 tasks.',
  },
  { createdAt: at('19:02:30'), message: '(service web) registered 3 targets in (target-group green-tg)' },
  { createdAt: at('19:01:30'), message: '(service web, taskSet ecs-svc/2) has started 3 tasks.' },
  { createdAt: at('18:59:00'), message: '(service web) has reached a steady state.' },
];

describe('diagnoseCodeDeployFailure', () => {
  it('explains a failed hook with its log tail, the rollback, service events and crashing tasks', () => {
    const deployment: DeploymentInfo = {
      deploymentId: 'd-ABC123XYZ',
      status: 'Failed',
      errorInformation: {
        code: 'HOOK_EXECUTION_FAILURE',
        message: 'The deployment failed because a specified lifecycle event hook failed.',
      },
      rollbackInfo: {
        rollbackDeploymentId: 'd-RB0000001',
        rollbackMessage: 'Automatic rollback triggered by deployment failure.',
      },
    };
    const { headline, details } = diagnoseCodeDeployFailure({
      deployment,
      target: hookFailure,
      stoppedTasks: [
        crashed('a1a1a1a1a1a1'),
        oomKilled,
        crashed('b2b2b2b2b2b2'),
        oldRevisionScaledIn,
        crashed('c3c3c3c3c3c3'),
      ],
      serviceEvents,
      newTaskDefinitionArn: NEW_TD,
      region: 'us-east-1',
      cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
      service: 'web',
    });

    expect(headline).toBe(
      'CodeDeploy deployment d-ABC123XYZ failed at AfterAllowTraffic: Smoke test failed: /health returned 503',
    );
    expect(details).toEqual([
      'Lifecycle event   AfterAllowTraffic failed after 2m10s',
      '  error code      ScriptFailed',
      '  script          CodeDeployHook_AfterAllowTraffic_smoke',
      '  message         Smoke test failed: /health returned 503',
      '  log tail        last 20 of 25 lines',
      ...Array.from(
        { length: 19 },
        (_, i) => `    START smoke check ${i + 6}: GET https://green.internal/health -> 503`,
      ),
      '    END smoke test: 24 of 24 checks failed',
      'CodeDeploy error  HOOK_EXECUTION_FAILURE: The deployment failed because a specified lifecycle event hook failed.',
      'Rollback          rollback deployment d-RB0000001 started: Automatic rollback triggered by deployment failure.',
      'Service events    last 5, oldest first',
      '  19:01:30  (service web, taskSet ecs-svc/2) has started 3 tasks.',
      '  19:02:30  (service web) registered 3 targets in (target-group green-tg)',
      '  19:03:10  (service web, taskSet ecs-svc/2) has begun draining connections on 1 tasks.',
      '  19:03:50  (service web) has started 1 tasks: (task c0ffee00c0ffee00c0ffee00c0ffee00).',
      '  19:04:20  (service web) has stopped 1 running tasks: (task c0ffee00c0ffee00c0ffee00c0ffee00).',
      'Stopped tasks     of the new revision web:42',
      '  3 tasks stopped [EssentialContainerExited]: Essential container in task exited — app exit code 1',
      '    https://console.aws.amazon.com/ecs/v2/clusters/prod/tasks/a1a1a1a1a1a1/configuration?region=us-east-1',
      '  1 task stopped [EssentialContainerExited]: Essential container in task exited — app exit code 137 (OutOfMemoryError: Container killed due to memory usage)',
      '    hint: out of memory; raise the container or task memory, or fix the leak',
      '    https://console.aws.amazon.com/ecs/v2/clusters/prod/tasks/c0ffee00c0ffee00c0ffee00c0ffee00/configuration?region=us-east-1',
      'Deployment        https://console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABC123XYZ?region=us-east-1',
      'Service           https://console.aws.amazon.com/ecs/v2/clusters/prod/services/web/health?region=us-east-1',
    ]);
  });

  it('explains a deployment that failed before it had a target, with no rollback configured (China)', () => {
    const { headline, details } = diagnoseCodeDeployFailure({
      deployment: {
        deploymentId: 'd-CN0000001',
        status: 'Failed',
        errorInformation: {
          code: 'ECS_UPDATE_ERROR',
          message: 'Error updating ECS service: The task definition web:42 is INACTIVE.',
        },
        autoRollbackConfiguration: { enabled: false },
      },
      stoppedTasks: [],
      serviceEvents: [],
      newTaskDefinitionArn: 'arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/web:42',
      region: 'cn-north-1',
      cluster: 'prod',
      service: 'web',
    });
    expect(headline).toBe(
      'CodeDeploy deployment d-CN0000001 failed: Error updating ECS service: The task definition web:42 is INACTIVE.',
    );
    expect(details).toEqual([
      'Lifecycle events  none: CodeDeploy reported no target (ECS service) for this deployment',
      'CodeDeploy error  ECS_UPDATE_ERROR: Error updating ECS service: The task definition web:42 is INACTIVE.',
      'Rollback          no automatic rollback is configured for this deployment group: the new task set may still be running',
      'Stopped tasks     none of the new revision web:42',
      'Deployment        https://console.amazonaws.cn/codesuite/codedeploy/deployments/d-CN0000001?region=cn-north-1',
      'Service           https://console.amazonaws.cn/ecs/v2/clusters/prod/services/web/health?region=cn-north-1',
    ]);
  });

  it("states CodeDeploy's error message once when it repeats the failed event's message", () => {
    const message = 'The ECS deployment failed: tasks keep stopping.';
    const { headline, details } = diagnoseCodeDeployFailure({
      deployment: {
        deploymentId: 'd-REPEAT001',
        status: 'Failed',
        errorInformation: { code: 'ECS_UPDATE_ERROR', message },
      },
      target: {
        ecsTarget: {
          lifecycleEvents: [
            {
              lifecycleEventName: 'Install',
              status: 'Failed',
              diagnostics: { errorCode: 'UnknownError', message },
            },
          ],
        },
      },
      stoppedTasks: [],
      serviceEvents: [],
      newTaskDefinitionArn: NEW_TD,
      region: 'us-east-1',
      cluster: 'prod',
      service: 'web',
    });
    expect(headline).toBe(`CodeDeploy deployment d-REPEAT001 failed at Install: ${message}`);
    expect(details.filter((line) => line.includes(message))).toEqual([`  message         ${message}`]);
    expect(details).toContain('CodeDeploy error  ECS_UPDATE_ERROR');
  });

  it('says who stopped a Stopped deployment and where it was (GovCloud)', () => {
    const { headline, details } = diagnoseCodeDeployFailure({
      deployment: {
        deploymentId: 'd-GOV000001',
        status: 'Stopped',
        errorInformation: { code: 'MANUAL_STOP', message: 'The deployment was stopped by a user.' },
        rollbackInfo: { rollbackMessage: 'Rollback deployment d-GOV000002 is in progress.' },
      },
      target: {
        ecsTarget: {
          lifecycleEvents: [
            {
              lifecycleEventName: 'Install',
              status: 'Succeeded',
              startTime: at('19:00:06'),
              endTime: at('19:01:34'),
            },
            { lifecycleEventName: 'AllowTraffic', status: 'InProgress', startTime: at('19:01:40') },
          ],
        },
      },
      stoppedTasks: [
        stoppedTask('d4d4d4d4', {
          stopCode: 'UserInitiated',
          stoppedReason: 'Scaling activity initiated by (deployment d-GOV000002)',
          containers: [{ name: 'app', exitCode: 143 }],
        }),
      ],
      serviceEvents: [
        { message: '(service web) has stopped 1 running tasks.' },
        { message: '(service web) updated.' },
      ],
      region: 'us-gov-west-1',
      cluster: 'prod',
      service: 'web',
    });
    expect(headline).toBe(
      'CodeDeploy deployment d-GOV000001 was stopped during AllowTraffic: The deployment was stopped by a user.',
    );
    expect(details).toEqual([
      'Lifecycle event   AllowTraffic was in progress since 19:01:40 UTC',
      'CodeDeploy error  MANUAL_STOP: The deployment was stopped by a user.',
      'Stopped by        a StopDeployment request (console, CLI, API or another pipeline)',
      'Rollback          Rollback deployment d-GOV000002 is in progress.',
      'Service events    last 2, oldest first',
      '            (service web) updated.',
      '            (service web) has stopped 1 running tasks.',
      'Stopped tasks     of the service',
      '  1 task stopped [UserInitiated]: Scaling activity initiated by (deployment d-GOV000002) — app exit code 143',
      '    https://console.amazonaws-us-gov.com/ecs/v2/clusters/prod/tasks/d4d4d4d4/configuration?region=us-gov-west-1',
      'Deployment        https://console.amazonaws-us-gov.com/codesuite/codedeploy/deployments/d-GOV000001?region=us-gov-west-1',
      'Service           https://console.amazonaws-us-gov.com/ecs/v2/clusters/prod/services/web/health?region=us-gov-west-1',
    ]);
  });

  it('says an enabled automatic rollback has not been reported yet', () => {
    const { details } = diagnoseCodeDeployFailure({
      deployment: {
        deploymentId: 'd-ABC123XYZ',
        status: 'Failed',
        autoRollbackConfiguration: {
          enabled: true,
          events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
        },
      },
      target: { ecsTarget: { lifecycleEvents: [] } },
      stoppedTasks: [],
      serviceEvents: [],
      region: 'us-east-1',
      cluster: 'prod',
      service: 'web',
    });
    expect(details).toContain(
      'Rollback          none reported yet (automatic rollback is enabled on DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM)',
    );
  });

  it('points at a pull error and unhealthy targets with a hint', () => {
    const { details } = diagnoseCodeDeployFailure({
      deployment: { deploymentId: 'd-ABC123XYZ', status: 'Failed' },
      target: { ecsTarget: {} },
      stoppedTasks: [
        stoppedTask('e5e5', {
          stopCode: 'TaskFailedToStart',
          stoppedReason:
            'CannotPullContainerError: pull image manifest has been retried 5 time(s): 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:abc123: not found',
        }),
        stoppedTask('f6f6', {
          stopCode: 'ServiceSchedulerInitiated',
          stoppedReason:
            'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green-tg/0123456789abcdef)',
        }),
      ],
      serviceEvents: [],
      newTaskDefinitionArn: NEW_TD,
      region: 'us-east-1',
      cluster: 'prod',
      service: 'web',
    });
    expect(details).toEqual(
      expect.arrayContaining([
        '  1 task stopped [TaskFailedToStart]: CannotPullContainerError: pull image manifest has been retried 5 time(s): 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:abc123: not found',
        '    hint: the image could not be pulled; check the image URI and the execution role',
        '    hint: the load balancer marked the task unhealthy; check the health check path and port',
      ]),
    );
  });

  it('never prints undefined, null, objects or JSON from sparse inputs', () => {
    const sparse = [
      diagnoseCodeDeployFailure({
        deployment: {},
        stoppedTasks: [{}],
        serviceEvents: [{}, { message: '' }],
        region: 'us-east-1',
        cluster: 'prod',
        service: 'web',
      }),
      diagnoseCodeDeployFailure({
        deployment: { status: 'Stopped', errorInformation: {}, rollbackInfo: {} },
        target: {
          ecsTarget: { lifecycleEvents: [{}, { status: 'Failed' }, { status: 'Failed', diagnostics: {} }] },
        },
        stoppedTasks: [{ containers: [{}, { exitCode: 0 }, { reason: '' }] }],
        serviceEvents: [{ createdAt: at('19:00:00') }],
        newTaskDefinitionArn: '',
        region: 'us-gov-west-1',
        cluster: 'arn:aws-us-gov:ecs:us-gov-west-1:123456789012:cluster/prod',
        service: 'web',
      }),
      diagnoseCodeDeployFailure({
        deployment: { deploymentId: 'd-X', status: 'InProgress' },
        target: {
          ecsTarget: { lifecycleEvents: [{ lifecycleEventName: 'AllowTraffic', status: 'InProgress' }] },
        },
        stoppedTasks: [{ taskArn: 'arn:aws:ecs:us-east-1:1:task/prod/abc', containers: [{ exitCode: 2 }] }],
        serviceEvents: [],
        region: 'us-east-1',
        cluster: 'prod',
        service: 'web',
      }),
    ];
    for (const { headline, details } of sparse) {
      const text = [headline, ...details].join('\n');
      expect(text).not.toMatch(/undefined|null|\[object Object\]|NaN|\{/);
      expect(details.every((line) => line.trim() !== '')).toBe(true);
    }
    expect(sparse[0]?.headline).toBe('The CodeDeploy deployment failed');
    expect(sparse[1]?.headline).toBe('The CodeDeploy deployment was stopped');
    expect(sparse[1]?.details).toContain('Stopped by        CodeDeploy');
    expect(sparse[2]?.headline).toBe('CodeDeploy deployment d-X is InProgress (at AllowTraffic)');
    expect(sparse[2]?.details).toContain('  1 task stopped: no reason given — container exit code 2');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [-5_000, '0s'],
    [Number.NaN, '0s'],
    [42_000, '42s'],
    [59_600, '1m00s'],
    [65_000, '1m05s'],
    [88_000, '1m28s'],
    [30 * 60_000, '30m00s'],
    [3_725_000, '1h02m'],
    [26 * 3_600_000, '26h00m'],
  ])('%d ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('formatUtcTime', () => {
  it('prints HH:MM:SS in UTC', () => {
    expect(formatUtcTime(Date.UTC(2026, 10, 23, 7, 5, 9, 999))).toBe('07:05:09');
  });
});
