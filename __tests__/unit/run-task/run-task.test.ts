import { describe, expect, it } from '@jest/globals';
import { awsUserError } from '../../../src/aws/errors.js';
import {
  logLocation,
  runOneOffTask,
  type RunTaskSlice,
  runTaskRequest,
  taskFailure,
} from '../../../src/run-task/run-task.js';
import { UserError } from '../../../src/text/errors.js';
import type { RunTaskSettings } from '../../../src/settings/settings.js';
import { fakeEcs, fakeLookups, SERVICE, type TestContext, testContext } from '../../helpers/context.js';

const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';
const settings = (overrides: Partial<RunTaskSettings> = {}): RunTaskSettings => ({
  startedBy: 'GitHub-Actions',
  subnets: [],
  securityGroups: [],
  ...overrides,
});

/** The one-off task's slice, as the engine hands it. */
function sliceOf(t: TestContext): RunTaskSlice {
  return { runTask: t.settings.runTask!, cluster: t.settings.target.cluster, wait: t.wait };
}

describe('runTaskRequest', () => {
  it('runs like the service: its subnets, security groups and public IP setting, Fargate by default', () => {
    expect(runTaskRequest('prod', TD, settings(), SERVICE, undefined)).toEqual({
      cluster: 'prod',
      taskDefinition: TD,
      count: 1,
      startedBy: 'GitHub-Actions',
      launchType: 'FARGATE',
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' },
      },
    });
  });

  it("uses the service's capacity provider strategy, and the inputs over the service's", () => {
    const spot = { ...SERVICE, capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] };
    expect(runTaskRequest('prod', TD, settings(), spot, undefined)).toMatchObject({
      capacityProviderStrategy: spot.capacityProviderStrategy,
    });
    const request = runTaskRequest(
      'prod',
      TD,
      settings({ launchType: 'EC2', subnets: ['subnet-9'], assignPublicIp: 'ENABLED' }),
      spot,
      true,
    );
    expect(request).toMatchObject({
      launchType: 'EC2',
      enableECSManagedTags: true,
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-9'], securityGroups: ['sg-1'], assignPublicIp: 'ENABLED' },
      },
    });
    expect(request).not.toHaveProperty('capacityProviderStrategy');
  });

  it('sends no network configuration when neither the inputs nor a service give subnets', () => {
    expect(runTaskRequest('prod', TD, settings(), undefined, undefined)).not.toHaveProperty(
      'networkConfiguration',
    );
  });
});

describe('taskFailure', () => {
  const containers = [{ name: 'app' }, { name: 'sidecar', essential: false }];

  it('passes when every essential container exited 0, whatever the others did', () => {
    expect(
      taskFailure(
        {
          containers: [
            { name: 'app', exitCode: 0 },
            { name: 'sidecar', exitCode: 1 },
          ],
        },
        containers,
      ),
    ).toBeUndefined();
  });

  it('names the essential containers that exited non-zero or never ran', () => {
    expect(taskFailure({ containers: [{ name: 'app', exitCode: 2, reason: 'boom' }] }, containers)).toEqual([
      'container "app" exited with code 2 (boom)',
    ]);
    expect(taskFailure({ containers: [{ name: 'app' }] }, containers)).toEqual([
      'container "app" has no exit code (it never ran)',
    ]);
  });
});

describe('logLocation', () => {
  it('names the awslogs group and stream of the task', () => {
    const app = {
      name: 'app',
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs' },
      },
    };
    expect(logLocation(app, 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc123')).toBe(
      'CloudWatch Logs group /ecs/web, stream ecs/app/abc123',
    );
    expect(logLocation({ name: 'app' }, 'arn:task/prod/abc')).toBeUndefined();
  });
});

describe('runOneOffTask', () => {
  const TASK_ARN = 'arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b2c3d';
  const denied = () =>
    awsUserError(
      'ECS',
      'DescribeTasks',
      Object.assign(new Error('User is not authorized to perform: ecs:DescribeTasks'), {
        name: 'AccessDeniedException',
      }),
    );

  it('gives up when the task cannot be read, with that cause, and stops the task', async () => {
    const ecs = fakeEcs({
      runTask: async () => ({ taskArn: TASK_ARN, lastStatus: 'PROVISIONING' }),
      describeTask: async () => {
        throw denied();
      },
    });
    const t = testContext({
      ecs,
      settings: { runTask: { startedBy: 'ecs-shift', subnets: [], securityGroups: [] } },
    });
    await expect(
      runOneOffTask(t.ctx, sliceOf(t), { containerDefinitions: [] }, 'web:2', SERVICE),
    ).rejects.toThrow(
      `Stopped one-off task ${TASK_ARN} because it could not be read (ECS DescribeTasks failed: User is not authorized to perform: ecs:DescribeTasks (AccessDeniedException).) before it finished; the service was not updated.`,
    );
    expect((ecs as ReturnType<typeof fakeEcs>).calls).toContain('StopTask');
    // Two notes (the error, then its repeat folded), not one per poll until the deadline.
    expect(t.events.filter((e) => e.type === 'note')).toHaveLength(2);
  });

  it("shows a failed task's last log lines from its awslogs stream", async () => {
    const ecs = fakeEcs({
      runTask: async () => ({ taskArn: TASK_ARN, lastStatus: 'PROVISIONING' }),
      describeTask: async () => ({
        taskArn: TASK_ARN,
        lastStatus: 'STOPPED',
        stopCode: 'EssentialContainerExited',
        containers: [{ name: 'migrate', exitCode: 3 }],
      }),
    });
    const streams: string[] = [];
    const lookups = fakeLookups({
      logs: {
        lastLogEvents: async (_region, group, stream) => {
          streams.push(`${group} ${stream}`);
          return [{ message: 'ERROR: relation "users" already exists\n' }];
        },
      },
    });
    const t = testContext({
      ecs,
      lookups,
      settings: { runTask: { startedBy: 'ecs-shift', subnets: [], securityGroups: [] } },
    });
    const taskDefinition = {
      containerDefinitions: [
        {
          name: 'migrate',
          essential: true,
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/migrate', 'awslogs-stream-prefix': 'ecs' },
          },
        },
      ],
    };
    const error = await runOneOffTask(t.ctx, sliceOf(t), taskDefinition, 'web:2', SERVICE).catch((e) => e);
    expect(streams).toEqual(['/ecs/migrate ecs/migrate/0a1b2c3d']);
    expect(error.details).toEqual(
      expect.arrayContaining([
        "  migrate's last 1 log line (/ecs/migrate, stream ecs/migrate/0a1b2c3d):",
        '    | ERROR: relation "users" already exists',
      ]),
    );
  });

  it('says the task is still running, with the command that stops it, when StopTask fails', async () => {
    const ecs = fakeEcs({
      runTask: async () => ({ taskArn: TASK_ARN, lastStatus: 'RUNNING' }),
      describeTask: async () => ({ taskArn: TASK_ARN, lastStatus: 'RUNNING' }),
      stopTask: async () => {
        throw awsUserError(
          'ECS',
          'StopTask',
          Object.assign(new Error('denied'), { name: 'AccessDeniedException' }),
        );
      },
    });
    const t = testContext({
      ecs,
      settings: {
        runTask: { startedBy: 'ecs-shift', subnets: [], securityGroups: [] },
        wait: { minutes: 0.1 },
      },
    });
    const error = await runOneOffTask(
      t.ctx,
      sliceOf(t),
      { containerDefinitions: [] },
      'web:2',
      SERVICE,
    ).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/could not stop it; the service was not updated/);
    expect(error.details.join('\n')).toContain(`IS STILL RUNNING`);
    expect(error.details.join('\n')).toContain(
      `Stop it now: aws ecs stop-task --cluster prod --task ${TASK_ARN}`,
    );
  });
});
