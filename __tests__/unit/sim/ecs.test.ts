import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { codeDeployScenario, startSimulator, type Simulator } from '../../../sim/index.js';
import { clientsFor, msPerMinute, registerNewRevision } from './helpers.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator(codeDeployScenario(), { msPerMinute });
});
afterEach(() => sim.stop());

describe('ECS reads and writes', () => {
  it('describes a CODE_DEPLOY service with its task set, and reports unknown ones as MISSING', async () => {
    const { ecs } = clientsFor(sim);
    const { services, failures } = await ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['web', 'api'] }),
    );
    expect(services![0]).toMatchObject({
      serviceName: 'web',
      serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      deploymentController: { type: 'CODE_DEPLOY' },
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      loadBalancers: [{ containerName: 'app', containerPort: 8080 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'] } },
    });
    expect(services![0].taskSets).toHaveLength(1);
    expect(services![0].events![0]).toMatchObject({ message: '(service web) has reached a steady state.' });
    expect(services![0].events![0].createdAt).toBeInstanceOf(Date);
    expect(failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/api', reason: 'MISSING' },
    ]);
    await expect(
      ecs.send(new DescribeServicesCommand({ cluster: 'staging', services: ['web'] })),
    ).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
  });

  it('describes, registers and numbers task definitions', async () => {
    const { ecs } = clientsFor(sim);
    const described = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1', include: ['TAGS'] }),
    );
    expect(described.taskDefinition).toMatchObject({
      family: 'web',
      revision: 1,
      status: 'ACTIVE',
      compatibilities: ['EC2', 'FARGATE'],
    });
    expect(described.taskDefinition!.registeredAt).toBeInstanceOf(Date);
    expect(described.taskDefinition!.containerDefinitions!.map((c) => c.name)).toEqual(['app', 'sidecar']);
    expect(described.tags).toEqual([{ key: 'team', value: 'web' }]);
    expect(
      (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }))).tags,
    ).toBeUndefined();

    expect(await registerNewRevision(ecs)).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:2');
    expect(sim.changes.at(-1)!.what).toBe(
      'registered arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
    );
    await expect(
      ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [] })),
    ).rejects.toMatchObject({ name: 'ClientException' });
    await expect(
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:9' })),
    ).rejects.toMatchObject({
      name: 'ClientException',
    });
  });

  it('refuses a task definition change on a CODE_DEPLOY service', async () => {
    const { ecs } = clientsFor(sim);
    const arn = await registerNewRevision(ecs);
    await expect(
      ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: arn })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message:
        'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
    });
    const { taskArns } = await ecs.send(
      new ListTasksCommand({ cluster: 'prod', serviceName: 'web', desiredStatus: 'STOPPED' }),
    );
    expect(taskArns).toEqual([]);
    expect(msPerMinute).toBeGreaterThan(0);
  });
});

describe('RunTask idempotency', () => {
  it('answers a repeated clientToken with the original task and starts nothing more', async () => {
    const { ecs } = clientsFor(sim);
    const request = {
      cluster: 'prod',
      taskDefinition: 'web:1',
      clientToken: 'ecs-shift-tok123',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'] } },
    };
    const first = await ecs.send(new RunTaskCommand(request));
    const again = await ecs.send(new RunTaskCommand(request));
    expect(again.tasks![0].taskArn).toBe(first.tasks![0].taskArn);
    const started = sim.changes.filter((c) => c.what.startsWith('task started'));
    expect(started).toHaveLength(1);
  });

  it('refuses the same clientToken with other parameters (ConflictException)', async () => {
    const { ecs } = clientsFor(sim);
    const network = { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'] } };
    await ecs.send(
      new RunTaskCommand({
        cluster: 'prod',
        taskDefinition: 'web:1',
        clientToken: 't1',
        networkConfiguration: network,
      }),
    );
    await expect(
      ecs.send(
        new RunTaskCommand({
          cluster: 'prod',
          taskDefinition: 'web:1',
          clientToken: 't1',
          startedBy: 'someone-else',
          networkConfiguration: network,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConflictException' });
  });
});
