import { DescribeLogGroupsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  codeDeployScenario,
  rollingScenario,
  startSimulator,
  type Scenario,
  type Simulator,
} from '../../../sim/index.js';
import { clientsFor, eventually, msPerMinute, registerNewRevision } from './helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start(scenario: Scenario) {
  sim = await startSimulator(scenario, { msPerMinute });
  return { sim, ...clientsFor(sim) };
}

/** Deploys web:2 and waits for `count` stopped tasks of the service. */
async function stoppedTasksAfterDeploy(ecs: ECSClient, count: number, image?: string): Promise<Task[]> {
  const taskDefinition = await registerNewRevision(ecs, image);
  await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition }));
  return eventually(async () => {
    const { taskArns } = await ecs.send(
      new ListTasksCommand({ cluster: 'prod', serviceName: 'web', desiredStatus: 'STOPPED' }),
    );
    if (taskArns!.length < count) return undefined;
    return (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: taskArns }))).tasks;
  });
}

const taskId = (task: Task) => task.taskArn!.split('/').pop()!;

describe('CloudWatch Logs reads', () => {
  it('describes log groups by prefix or identifier', async () => {
    const { logs } = await start(rollingScenario({ logs: { groups: ['/ecs/api', '/aws/lambda/smoke'] } }));
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/' }));
    expect(logGroups).toEqual([
      expect.objectContaining({
        logGroupName: '/ecs/api',
        arn: 'arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api:*',
        logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api',
        creationTime: expect.any(Number),
        storedBytes: 0,
      }),
      expect.objectContaining({ logGroupName: '/ecs/web' }),
    ]);
    const byId = await logs.send(
      new DescribeLogGroupsCommand({
        logGroupIdentifiers: ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/smoke', '/nope'],
      }),
    );
    expect(byId.logGroups!.map((g) => g.logGroupName)).toEqual(['/aws/lambda/smoke']);
    const elsewhere = await clientsFor(sim!, 'eu-west-1').logs.send(new DescribeLogGroupsCommand({}));
    expect(elsewhere.logGroups).toEqual([]);
  });

  it('answers ResourceNotFoundException for a missing group or stream', async () => {
    const { logs } = await start(rollingScenario());
    await expect(
      logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/nope', logStreamName: 'x' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
    await expect(
      logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/web', logStreamName: 'ecs/app/nope' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
  });
});

describe("a crashing task's last words", () => {
  it('are in <prefix>/<container>/<task id>: the newest 20 lines, oldest first, before stoppedAt', async () => {
    const { ecs, logs } = await start(rollingScenario({ faults: [{ kind: 'tasksKeepStopping' }] }));
    const [task] = await stoppedTasksAfterDeploy(ecs, 1);
    expect(task).toMatchObject({ stopCode: 'EssentialContainerExited', startedAt: expect.any(Date) });
    const app = task.containers!.find((c) => c.name === 'app')!;
    expect(app).toMatchObject({
      exitCode: 1,
      runtimeId: expect.stringMatching(new RegExp(`^${taskId(task)}-\\d{10}$`)),
    });

    const page = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/web',
        logStreamName: `ecs/app/${taskId(task)}`,
        limit: 20,
      }),
    );
    const messages = page.events!.map((e) => e.message);
    expect(messages).toHaveLength(20);
    expect(messages).toContain('Error: connect ECONNREFUSED 10.0.3.12:5432');
    expect(messages.at(-1)).toBe('Node.js v20.11.1');
    const times = page.events!.map((e) => e.timestamp!);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times.at(-1)!).toBeLessThan(task.stoppedAt!.getTime());
    expect(times[0]).toBeGreaterThan(task.startedAt!.getTime());
    expect(page.events![0].ingestionTime).toBeGreaterThan(times[0]);

    const older = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/web',
        logStreamName: `ecs/app/${taskId(task)}`,
        nextToken: page.nextBackwardToken,
        limit: 20,
      }),
    );
    expect(older.events![0].message).toBe('> web@2.0.0 start');
    expect(older.events!.at(-1)!.timestamp).toBeLessThan(times[0]);
    const head = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/web',
        logStreamName: `ecs/app/${taskId(task)}`,
        startFromHead: true,
        limit: 2,
      }),
    );
    expect(head.events!.map((e) => e.message)).toEqual([
      '> web@2.0.0 start',
      '> node --enable-source-maps dist/server.js',
    ]);
  });

  it("are the fault's logLines when it gives them", async () => {
    const { ecs, logs } = await start(
      rollingScenario({
        faults: [{ kind: 'tasksKeepStopping', exitCode: 2, logLines: ['booting', 'panic: no config'] }],
      }),
    );
    const [task] = await stoppedTasksAfterDeploy(ecs, 1);
    const { events } = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/web', logStreamName: `ecs/app/${taskId(task)}` }),
    );
    expect(events!.map((e) => e.message)).toEqual(['booting', 'panic: no config']);
  });

  it('go to a group that awslogs-create-group creates, and without a prefix to the runtime id', async () => {
    const { ecs, logs } = await start(
      codeDeployScenario({ faults: [{ kind: 'oneOffTaskExits', exitCode: 3 }] }),
    );
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'migrate',
        containerDefinitions: [
          {
            name: 'migrate',
            image: 'repo/web:2',
            logConfiguration: {
              logDriver: 'awslogs',
              options: { 'awslogs-group': '/ecs/migrate', 'awslogs-create-group': 'true' },
            },
          },
        ],
      }),
    );
    const { tasks } = await ecs.send(
      new RunTaskCommand({ cluster: 'prod', taskDefinition: 'migrate', launchType: 'EC2' }),
    );
    const stopped = await eventually(async () => {
      const { tasks: described } = await ecs.send(
        new DescribeTasksCommand({ cluster: 'prod', tasks: [tasks![0].taskArn!] }),
      );
      return described![0].lastStatus === 'STOPPED' ? described![0] : undefined;
    });
    const runtimeId = stopped.containers![0].runtimeId!;
    expect(runtimeId).toMatch(/^[0-9a-f]{64}$/);
    const { events } = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/migrate', logStreamName: runtimeId }),
    );
    expect(events!.at(-1)!.message).toBe('Node.js v20.11.1');
  });
});

describe('a missing log group', () => {
  const withoutLogGroup = (scenario: Scenario): Scenario => ({ ...scenario, logs: { groups: [] } });

  it('stops new tasks before they start (ResourceInitializationError), and the breaker rolls back', async () => {
    const { ecs } = await start(withoutLogGroup(rollingScenario()));
    const tasks = await stoppedTasksAfterDeploy(ecs, 3);
    expect(tasks[0]).toMatchObject({
      stopCode: 'TaskFailedToStart',
      stoppedReason:
        'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.',
    });
    expect(tasks[0].startedAt).toBeUndefined();
    expect(tasks[0].containers![0].runtimeId).toBeUndefined();
    expect(tasks[0].containers![0].exitCode).toBeUndefined();
  });

  it('keeps a one-off task PROVISIONING, then stops it unstarted', async () => {
    const { ecs } = await start(withoutLogGroup(codeDeployScenario()));
    const network = { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'] } };
    const { tasks } = await ecs.send(
      new RunTaskCommand({ cluster: 'prod', taskDefinition: 'web:1', networkConfiguration: network }),
    );
    expect(tasks![0].lastStatus).toBe('PROVISIONING');
    const stopped = await eventually(async () => {
      const { tasks: described } = await ecs.send(
        new DescribeTasksCommand({ cluster: 'prod', tasks: [tasks![0].taskArn!] }),
      );
      return described![0].lastStatus === 'STOPPED' ? described![0] : undefined;
    });
    expect(stopped).toMatchObject({ stopCode: 'TaskFailedToStart' });
    expect(stopped.stoppedReason).toMatch(/^ResourceInitializationError: /);
    expect(stopped.startedAt).toBeUndefined();
  });
});
