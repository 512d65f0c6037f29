import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  AccessDeniedException,
  ClientException,
  ClusterNotFoundException,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { createEcsPort } from '../../../src/aws/ecs.js';
import type { EcsPort } from '../../../src/aws/ports.js';
import { UserError } from '../../../src/text/errors.js';

const $metadata = { httpStatusCode: 400, attempts: 1 };

beforeAll(() => {
  // The mock replaces send(), but nothing may reach for a real host if it ever did not.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

let client: ECSClient;
let ecs: AwsClientStub<ECSClient>;
let port: EcsPort;

beforeEach(() => {
  client = new ECSClient({ region: 'eu-west-1' });
  ecs = mockClient(client);
  port = createEcsPort(client);
});

function textOf(error: unknown): string {
  expect(error).toBeInstanceOf(UserError);
  const userError = error as UserError;
  return [userError.message, ...userError.details].join('\n');
}

async function failureOf(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected the call to fail');
}

describe('describeService', () => {
  it('sends DescribeServices for the one service and returns it', async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [{ serviceName: 'web', status: 'ACTIVE' }], failures: [] });
    await expect(port.describeService('prod', 'web')).resolves.toEqual({
      serviceName: 'web',
      status: 'ACTIVE',
    });
    expect(ecs.commandCalls(DescribeServicesCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: 'prod', services: ['web'] },
    ]);
  });

  it('returns undefined when ECS reports the service MISSING', async () => {
    ecs.on(DescribeServicesCommand).resolves({
      services: [],
      failures: [{ arn: 'arn:aws:ecs:eu-west-1:1:service/prod/web', reason: 'MISSING' }],
    });
    await expect(port.describeService('prod', 'web')).resolves.toBeUndefined();
  });

  it('reports another failure reason with the service and cluster', async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [], failures: [{ reason: 'ACCESS_DENIED', detail: 'x' }] });
    const error = await failureOf(port.describeService('prod', 'web'));
    expect(error.message).toBe(
      'ECS DescribeServices could not describe service "web" in cluster "prod": ACCESS_DENIED (x).',
    );
  });

  it('ClusterNotFoundException: names the cluster, the region and the `cluster` input', async () => {
    const original = new ClusterNotFoundException({ message: 'Cluster not found.', $metadata });
    ecs.on(DescribeServicesCommand).rejects(original);
    const error = await failureOf(port.describeService('prod', 'web'));
    expect(error.message).toBe('ECS cluster "prod" was not found in eu-west-1.');
    expect(textOf(error)).toMatch(/Set the `cluster` input/);
    expect(error.cause).toBe(original);
  });

  it('access denied: names the operation and the IAM action', async () => {
    ecs.on(DescribeServicesCommand).rejects(
      new AccessDeniedException({
        message:
          'User: arn:aws:sts::1:assumed-role/deploy/gh is not authorized to perform: ecs:DescribeServices',
        $metadata,
      }),
    );
    const text = textOf(await failureOf(port.describeService('prod', 'web')));
    expect(text).toMatch(/^ECS DescribeServices failed: .*\(AccessDeniedException\)\./);
    expect(text).toMatch(/ecs:DescribeServices.*IAM permissions/s);
  });
});

describe('describeTaskDefinition', () => {
  it('asks for the tags too and returns both', async () => {
    ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: { family: 'web', revision: 7 },
      tags: [{ key: 'team', value: 'a' }],
    });
    await expect(port.describeTaskDefinition('web:7')).resolves.toEqual({
      taskDefinition: { family: 'web', revision: 7 },
      tags: [{ key: 'team', value: 'a' }],
    });
    expect(ecs.commandCalls(DescribeTaskDefinitionCommand)[0].args[0].input).toEqual({
      taskDefinition: 'web:7',
      include: ['TAGS'],
    });
  });

  it('returns an empty tag list when ECS sends none', async () => {
    ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { family: 'web' } });
    await expect(port.describeTaskDefinition('web')).resolves.toEqual({
      taskDefinition: { family: 'web' },
      tags: [],
    });
  });

  it('"Unable to describe task definition": names the reference, the region and the inputs', async () => {
    ecs
      .on(DescribeTaskDefinitionCommand)
      .rejects(new ClientException({ message: 'Unable to describe task definition.', $metadata }));
    const error = await failureOf(port.describeTaskDefinition('web:99'));
    expect(error.message).toBe(
      'ECS task definition "web:99" was not found in eu-west-1 (DescribeTaskDefinition).',
    );
    expect(textOf(error)).toMatch(/`task-definition-family` \/ `task-definition-arn`/);
  });

  it('another ClientException keeps the generic wording', async () => {
    ecs
      .on(DescribeTaskDefinitionCommand)
      .rejects(new ClientException({ message: 'Something else.', $metadata }));
    const error = await failureOf(port.describeTaskDefinition('web'));
    expect(error.message).toBe('ECS DescribeTaskDefinition failed: Something else (ClientException).');
  });
});

describe('registerTaskDefinition', () => {
  const input = {
    family: 'web',
    containerDefinitions: [{ name: 'app', image: 'repo/app:2' }],
  };

  it('sends the input as given and returns the registered revision', async () => {
    ecs.on(RegisterTaskDefinitionCommand).resolves({
      taskDefinition: { family: 'web', revision: 8, taskDefinitionArn: 'arn:td/web:8' },
    });
    await expect(port.registerTaskDefinition(input)).resolves.toEqual({
      family: 'web',
      revision: 8,
      taskDefinitionArn: 'arn:td/web:8',
    });
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input).toEqual(input);
  });

  it("passes ECS's ClientException message through, naming the family and that nothing was registered", async () => {
    ecs.on(RegisterTaskDefinitionCommand).rejects(
      new ClientException({
        message:
          "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified.",
        $metadata,
      }),
    );
    const error = await failureOf(port.registerTaskDefinition(input));
    expect(error.message).toBe(
      'ECS rejected task definition family "web" (RegisterTaskDefinition): Invalid setting for container \'app\'. ' +
        "At least one of 'memory' or 'memoryReservation' must be specified (ClientException).",
    );
    expect(textOf(error)).toMatch(/nothing was registered/);
  });

  it('a missing iam:PassRole (ClientException) gets the IAM hint instead', async () => {
    ecs.on(RegisterTaskDefinitionCommand).rejects(
      new ClientException({
        message:
          'User: arn:aws:sts::1:assumed-role/deploy/gh is not authorized to perform: iam:PassRole on resource: arn:aws:iam::1:role/task',
        $metadata,
      }),
    );
    const text = textOf(await failureOf(port.registerTaskDefinition(input)));
    expect(text).toMatch(/^ECS RegisterTaskDefinition failed:/);
    expect(text).toMatch(/not allowed to call iam:PassRole/);
  });

  it('concurrent registrations of the family: suggests running again', async () => {
    ecs.on(RegisterTaskDefinitionCommand).rejects(
      new ClientException({
        message: 'Too many concurrent attempts to create a new revision of the specified family.',
        $metadata,
      }),
    );
    const text = textOf(await failureOf(port.registerTaskDefinition(input)));
    expect(text).toMatch(/Another job is registering a revision of family "web"/);
  });
});

describe('listStoppedTasks', () => {
  const task = (id: number, stoppedAt?: number): Task => ({
    taskArn: `arn:task/${id}`,
    ...(stoppedAt === undefined ? {} : { stoppedAt: new Date(stoppedAt) }),
  });

  it('lists the stopped tasks of the service, describes them, newest first, at most `limit`', async () => {
    ecs.on(ListTasksCommand).resolves({ taskArns: ['arn:task/1', 'arn:task/2', 'arn:task/3'] });
    ecs.on(DescribeTasksCommand).resolves({ tasks: [task(1, 1_000), task(2, 3_000), task(3, 2_000)] });
    const tasks = await port.listStoppedTasks('prod', 'web', 2);
    expect(tasks.map((t) => t.taskArn)).toEqual(['arn:task/2', 'arn:task/3']);
    expect(ecs.commandCalls(ListTasksCommand)[0].args[0].input).toEqual({
      cluster: 'prod',
      serviceName: 'web',
      desiredStatus: 'STOPPED',
    });
    expect(ecs.commandCalls(DescribeTasksCommand)[0].args[0].input).toEqual({
      cluster: 'prod',
      tasks: ['arn:task/1', 'arn:task/2', 'arn:task/3'],
    });
  });

  it('follows nextToken and describes in batches of 100', async () => {
    const arns = Array.from({ length: 250 }, (_, i) => `arn:task/${i}`);
    ecs
      .on(ListTasksCommand)
      .resolvesOnce({ taskArns: arns.slice(0, 100), nextToken: 't1' })
      .resolvesOnce({ taskArns: arns.slice(100, 200), nextToken: 't2' })
      .resolvesOnce({ taskArns: arns.slice(200) });
    ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
      tasks: input.tasks.map((arn) => ({
        taskArn: arn,
        stoppedAt: new Date(Number(arn.split('/')[1]) * 1000),
      })),
    }));
    const tasks = await port.listStoppedTasks('prod', 'web', 3);
    expect(tasks.map((t) => t.taskArn)).toEqual(['arn:task/249', 'arn:task/248', 'arn:task/247']);
    expect(ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input.nextToken)).toEqual([
      undefined,
      't1',
      't2',
    ]);
    expect(ecs.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks?.length)).toEqual([
      100, 100, 50,
    ]);
  });

  it('puts tasks without stoppedAt last', async () => {
    ecs.on(ListTasksCommand).resolves({ taskArns: ['arn:task/1', 'arn:task/2'] });
    ecs.on(DescribeTasksCommand).resolves({ tasks: [task(1), task(2, 5_000)] });
    const tasks = await port.listStoppedTasks('prod', 'web', 10);
    expect(tasks.map((t) => t.taskArn)).toEqual(['arn:task/2', 'arn:task/1']);
  });

  it('makes no DescribeTasks call when nothing stopped, and no call at all for limit 0', async () => {
    ecs.on(ListTasksCommand).resolves({ taskArns: [] });
    await expect(port.listStoppedTasks('prod', 'web', 5)).resolves.toEqual([]);
    expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(0);
    ecs.reset();
    await expect(port.listStoppedTasks('prod', 'web', 0)).resolves.toEqual([]);
    expect(ecs.calls()).toHaveLength(0);
  });

  it('names the failing operation', async () => {
    ecs.on(ListTasksCommand).resolves({ taskArns: ['arn:task/1'] });
    ecs
      .on(DescribeTasksCommand)
      .rejects(new ClientException({ message: 'Tasks cannot be empty.', $metadata }));
    const error = await failureOf(port.listStoppedTasks('prod', 'web', 5));
    expect(error.message).toBe('ECS DescribeTasks failed: Tasks cannot be empty (ClientException).');
  });
});
