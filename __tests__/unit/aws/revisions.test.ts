import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  AccessDeniedException,
  ClientException,
  ClusterNotFoundException,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { RevisionsPort } from '../../../src/aws/ports.js';
import { createRevisionsPort, MAX_TASK_PAGES } from '../../../src/aws/revisions.js';
import { UserError } from '../../../src/text/errors.js';

const $metadata = { httpStatusCode: 400, attempts: 1 };
const arn = (revision: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/web:${revision}`;

beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

let ecs: AwsClientStub<ECSClient>;
let port: RevisionsPort;

beforeEach(() => {
  const client = new ECSClient({ region: 'eu-west-1' });
  ecs = mockClient(client);
  port = createRevisionsPort(client);
});

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return [(error as UserError).message, ...(error as UserError).details].join('\n');
  }
  throw new Error('expected the call to fail');
}

describe('activeRevisions', () => {
  it('lists the family ACTIVE, newest first, over every page', async () => {
    ecs
      .on(ListTaskDefinitionsCommand, { nextToken: undefined })
      .resolves({ taskDefinitionArns: [arn(3), arn(2)], nextToken: 'p2' })
      .on(ListTaskDefinitionsCommand, { nextToken: 'p2' })
      .resolves({ taskDefinitionArns: [arn(1)] });
    await expect(port.activeRevisions('web')).resolves.toEqual([arn(3), arn(2), arn(1)]);
    expect(ecs.commandCalls(ListTaskDefinitionsCommand)[0]!.args[0].input).toEqual({
      familyPrefix: 'web',
      status: 'ACTIVE',
      sort: 'DESC',
      maxResults: 100,
      nextToken: undefined,
    });
  });

  it('names every action the clean-up needs when access is denied', async () => {
    ecs.on(ListTaskDefinitionsCommand).rejects(
      new AccessDeniedException({
        message:
          'User: arn:aws:sts::123456789012:assumed-role/deploy is not authorized to perform: ecs:ListTaskDefinitions',
        $metadata,
      }),
    );
    const text = await failureOf(port.activeRevisions('web'));
    expect(text).toContain('ecs:ListTaskDefinitions');
    expect(text).toContain(
      'deregister-old-revisions needs ecs:ListTaskDefinitions, ecs:ListServices, ecs:DescribeServices, ecs:ListTasks, ecs:DescribeTasks and ecs:DeregisterTaskDefinition.',
    );
  });
});

describe('servicesUsing', () => {
  it('describes the listed services 10 at a time and reads their revisions, deployments and task sets', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `svc-${i}`);
    ecs
      .on(ListServicesCommand)
      .resolves({ serviceArns: names.map((n) => `arn:aws:ecs:eu-west-1:1:service/prod/${n}`) });
    ecs.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
      services: input.services.map((ref, i) => ({
        serviceName: ref.split('/').pop(),
        status: i === 1 ? 'INACTIVE' : 'ACTIVE',
        taskDefinition: arn(5),
        deployments: [
          { taskDefinition: arn(5), status: 'PRIMARY' },
          { taskDefinition: arn(4), status: 'ACTIVE' },
          { taskDefinition: arn(1), status: 'INACTIVE' },
        ],
        taskSets: [{ taskDefinition: arn(3), status: 'ACTIVE' }],
      })),
      failures: [],
    }));
    const services = await port.servicesUsing('prod');
    expect(
      ecs.commandCalls(DescribeServicesCommand).map((call) => call.args[0].input.services?.length),
    ).toEqual([10, 2]);
    // The INACTIVE (deleted) ones run nothing: svc-1 and svc-11.
    expect(services.map((s) => s.service)).toEqual(names.filter((n) => n !== 'svc-1' && n !== 'svc-11'));
    expect(services[0]).toEqual({
      service: 'svc-0',
      taskDefinition: arn(5),
      deployments: [
        { taskDefinition: arn(5), status: 'PRIMARY' },
        { taskDefinition: arn(4), status: 'ACTIVE' },
      ],
      taskSets: [{ taskDefinition: arn(3), status: 'ACTIVE' }],
    });
  });

  it('takes a service deleted in between (MISSING) as running nothing, and fails on any other failure', async () => {
    ecs.on(ListServicesCommand).resolves({ serviceArns: ['a', 'b'] });
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'a', reason: 'MISSING' }] });
    await expect(port.servicesUsing('prod')).resolves.toEqual([]);
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'b', reason: 'THROTTLED' }] });
    expect(await failureOf(port.servicesUsing('prod'))).toBe(
      'ECS DescribeServices could not describe b in cluster "prod": THROTTLED.',
    );
  });

  it('says which cluster was not found, and where', async () => {
    ecs
      .on(ListServicesCommand)
      .rejects(new ClusterNotFoundException({ message: 'Cluster not found.', $metadata }));
    expect(await failureOf(port.servicesUsing('prod'))).toMatch(
      /^ECS cluster "prod" was not found in eu-west-1 \(ListServices\)\./,
    );
  });
});

describe('runningTaskRevisions', () => {
  it('lists the family running and pending tasks and reads the revision of each', async () => {
    ecs.on(ListTasksCommand).resolves({ taskArns: ['t1', 't2', 't3'] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [{ taskDefinitionArn: arn(2) }, { taskDefinitionArn: arn(3) }],
      failures: [{ arn: 't3', reason: 'MISSING' }],
    });
    await expect(port.runningTaskRevisions('prod', 'web')).resolves.toEqual({
      taskDefinitions: [arn(2), arn(3)],
      complete: true,
    });
    expect(ecs.commandCalls(ListTasksCommand)[0]!.args[0].input).toMatchObject({
      cluster: 'prod',
      family: 'web',
      desiredStatus: 'RUNNING',
    });
  });

  it('says the scan is incomplete when there are more pages than it reads', async () => {
    ecs.on(ListTasksCommand).resolves({ taskArns: ['t'], nextToken: 'more' });
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskDefinitionArn: arn(1) }], failures: [] });
    const found = await port.runningTaskRevisions('prod', 'web');
    expect(found.complete).toBe(false);
    expect(ecs.commandCalls(ListTasksCommand)).toHaveLength(MAX_TASK_PAGES);
  });
});

describe('deregister', () => {
  it('sends DeregisterTaskDefinition for the revision', async () => {
    ecs.on(DeregisterTaskDefinitionCommand).resolves({});
    await port.deregister(arn(1));
    expect(ecs.commandCalls(DeregisterTaskDefinitionCommand)[0]!.args[0].input).toEqual({
      taskDefinition: arn(1),
    });
  });

  it('says plainly when the revision is gone', async () => {
    ecs
      .on(DeregisterTaskDefinitionCommand)
      .rejects(new ClientException({ message: 'The specified task definition does not exist.', $metadata }));
    expect(await failureOf(port.deregister(arn(1)))).toBe(
      `ECS DeregisterTaskDefinition: task definition ${arn(1)} does not exist (any more).`,
    );
  });
});
