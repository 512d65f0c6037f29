import {
  CodeDeployClient,
  CreateDeploymentCommand,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { codeDeployScenario, startSimulator, type Simulator } from '../../../sim/index.js';
import {
  appSpecYaml,
  clientsFor,
  createDeployment,
  msPerMinute,
  registerNewRevision,
  waitForStatus,
} from './helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start(...args: Parameters<typeof codeDeployScenario>) {
  sim = await startSimulator(codeDeployScenario(...args), { msPerMinute });
  const clients = clientsFor(sim);
  const taskDefinitionArn = await registerNewRevision(clients.ecs);
  return { sim, ...clients, taskDefinitionArn };
}

describe('CodeDeploy reads and errors', () => {
  it('describes the group, the configs and the application', async () => {
    const { codeDeploy } = await start({ terminationWaitTimeInMinutes: 7 });
    const { deploymentGroupInfo } = await codeDeploy.send(
      new GetDeploymentGroupCommand({
        applicationName: 'AppECS-prod-web',
        deploymentGroupName: 'DgpECS-prod-web',
      }),
    );
    expect(deploymentGroupInfo).toMatchObject({
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      computePlatform: 'ECS',
      ecsServices: [{ clusterName: 'prod', serviceName: 'web' }],
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { terminationWaitTimeInMinutes: 7 },
      },
    });
    expect(deploymentGroupInfo!.loadBalancerInfo!.targetGroupPairInfoList![0].targetGroups).toEqual([
      { name: 'web-blue' },
      { name: 'web-green' },
    ]);
    const { deploymentConfigInfo } = await codeDeploy.send(
      new GetDeploymentConfigCommand({
        deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent15Minutes',
      }),
    );
    expect(deploymentConfigInfo!.trafficRoutingConfig).toEqual({
      type: 'TimeBasedCanary',
      timeBasedCanary: { canaryPercentage: 10, canaryInterval: 15 },
    });
    const { application } = await codeDeploy.send(
      new GetApplicationCommand({ applicationName: 'AppECS-prod-web' }),
    );
    expect(application!.computePlatform).toBe('ECS');
  });

  it('answers missing resources with the real error types', async () => {
    const { codeDeploy } = await start();
    const cases: [Promise<unknown>, string][] = [
      [
        codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: 'nope', deploymentGroupName: 'x' })),
        'ApplicationDoesNotExistException',
      ],
      [
        codeDeploy.send(
          new GetDeploymentGroupCommand({ applicationName: 'AppECS-prod-web', deploymentGroupName: 'x' }),
        ),
        'DeploymentGroupDoesNotExistException',
      ],
      [
        codeDeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'Missing' })),
        'DeploymentConfigDoesNotExistException',
      ],
      [
        codeDeploy.send(new GetDeploymentCommand({ deploymentId: 'd-ABCDEFGHI' })),
        'DeploymentDoesNotExistException',
      ],
      [codeDeploy.send(new GetDeploymentCommand({ deploymentId: 'bogus' })), 'InvalidDeploymentIdException'],
    ];
    for (const [call, name] of cases)
      await expect(call).rejects.toMatchObject({ name, $metadata: { httpStatusCode: 400 } });
    await expect(
      codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: 'nope', deploymentGroupName: 'x' })),
    ).rejects.toThrow('No application found for name: nope');
  });

  it('rejects invalid revisions: unknown task definition, foreign container, wrong hash', async () => {
    const { sim, codeDeploy, taskDefinitionArn } = await start();
    const unknown = taskDefinitionArn.replace(/:2$/, ':9');
    await expect(createDeployment(codeDeploy, appSpecYaml(unknown))).rejects.toMatchObject({
      name: 'InvalidRevisionException',
      message: expect.stringContaining(unknown),
    });
    await expect(
      createDeployment(codeDeploy, appSpecYaml(taskDefinitionArn, { containerName: 'web' })),
    ).rejects.toMatchObject({
      name: 'InvalidRevisionException',
      message: expect.stringContaining('container name web'),
    });
    await expect(
      codeDeploy.send(
        new CreateDeploymentCommand({
          applicationName: 'AppECS-prod-web',
          deploymentGroupName: 'DgpECS-prod-web',
          revision: {
            revisionType: 'AppSpecContent',
            appSpecContent: { content: appSpecYaml(taskDefinitionArn), sha256: '00'.repeat(32) },
          },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRevisionException' });
    const json = JSON.stringify({
      version: 0.0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: taskDefinitionArn,
              LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
            },
          },
        },
      ],
    });
    await expect(createDeployment(codeDeploy, json)).resolves.toMatch(/^d-/);
    expect(sim.deployments()).toHaveLength(1);
  });
});

describe('CodeDeploy faults', () => {
  it('throttles the first calls; the SDK retries them', async () => {
    const { sim, codeDeploy } = await start({
      faults: [
        { kind: 'operationErrors', operation: 'GetDeploymentGroup', count: 2 },
        { kind: 'operationErrors', operation: 'GetDeploymentConfig', count: 1, error: 'InternalFailure' },
      ],
    });
    const { deploymentGroupInfo } = await codeDeploy.send(
      new GetDeploymentGroupCommand({
        applicationName: 'AppECS-prod-web',
        deploymentGroupName: 'DgpECS-prod-web',
      }),
    );
    expect(deploymentGroupInfo!.deploymentGroupName).toBe('DgpECS-prod-web');
    await codeDeploy.send(
      new GetDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce' }),
    );
    const calls = sim.requests
      .filter((r) => r.service === 'codedeploy')
      .map((r) => [r.operation, r.status, r.error]);
    expect(calls).toEqual([
      ['GetDeploymentGroup', 400, 'ThrottlingException'],
      ['GetDeploymentGroup', 400, 'ThrottlingException'],
      ['GetDeploymentGroup', 200, undefined],
      ['GetDeploymentConfig', 500, 'InternalFailure'],
      ['GetDeploymentConfig', 200, undefined],
    ]);
  });

  it('keeps the group busy with an earlier deployment for a while', async () => {
    const { codeDeploy, taskDefinitionArn } = await start({ faults: [{ kind: 'groupBusy', minutes: 10 }] });
    const { deployments } = await codeDeploy.send(
      new ListDeploymentsCommand({
        applicationName: 'AppECS-prod-web',
        deploymentGroupName: 'DgpECS-prod-web',
        includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'],
      }),
    );
    expect(deployments).toHaveLength(1);
    const earlier = deployments![0];
    await expect(createDeployment(codeDeploy, appSpecYaml(taskDefinitionArn))).rejects.toMatchObject({
      name: 'DeploymentLimitExceededException',
      message: `The Deployment Group 'DgpECS-prod-web' already has an active Deployment '${earlier}'`,
    });
    await waitForStatus(codeDeploy, earlier, ['Succeeded']);
    await expect(createDeployment(codeDeploy, appSpecYaml(taskDefinitionArn))).resolves.toMatch(/^d-/);
  });

  it('loses the CreateDeployment response: the deployment exists, the SDK retry meets it', async () => {
    const { sim, codeDeploy, taskDefinitionArn } = await start({
      faults: [{ kind: 'responseLost', count: 1 }],
    });
    const error = await createDeployment(codeDeploy, appSpecYaml(taskDefinitionArn)).catch((e: Error) => e);
    expect(sim.deployments()).toHaveLength(1);
    const created = sim.requests.filter((r) => r.operation === 'CreateDeployment');
    expect(created[0]).toMatchObject({ status: 0, error: 'ResponseLost' });
    // The SDK retries a reset connection; the retry finds the group busy with the first deployment.
    expect(error).toMatchObject({ name: 'DeploymentLimitExceededException' });
    expect(created[1]).toMatchObject({ status: 400, error: 'DeploymentLimitExceededException' });
  });

  it('fails Install when new tasks keep stopping, with the stopped tasks visible in ECS', async () => {
    const { codeDeploy, ecs, taskDefinitionArn } = await start({
      faults: [{ kind: 'tasksKeepStopping', containerReason: 'CannotPullContainerError: image not found' }],
    });
    const deploymentId = await createDeployment(codeDeploy, appSpecYaml(taskDefinitionArn));
    const failed = await waitForStatus(codeDeploy, deploymentId, ['Failed']);
    expect(failed.errorInformation!.code).toBe('ECS_UPDATE_ERROR');
    const { deploymentTarget } = await codeDeploy.send(
      new GetDeploymentTargetCommand({ deploymentId, targetId: 'prod:web' }),
    );
    expect(deploymentTarget!.ecsTarget!.lifecycleEvents![1]).toMatchObject({
      lifecycleEventName: 'Install',
      status: 'Failed',
    });

    const { taskArns } = await ecs.send(
      new ListTasksCommand({ cluster: 'prod', serviceName: 'web', desiredStatus: 'STOPPED' }),
    );
    expect(taskArns!.length).toBeGreaterThan(0);
    const { tasks } = await ecs.send(
      new DescribeTasksCommand({ cluster: 'prod', tasks: taskArns!.slice(0, 2) }),
    );
    expect(tasks![0]).toMatchObject({
      lastStatus: 'STOPPED',
      taskDefinitionArn,
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    expect(tasks![0].stoppedAt).toBeInstanceOf(Date);
    expect(tasks![0].containers!.find((c) => c.name === 'app')).toMatchObject({
      exitCode: 1,
      reason: 'CannotPullContainerError: image not found',
    });
  });
});

describe('records and env', () => {
  it('records requests and changes; env() configures an SDK client with no explicit endpoint', async () => {
    sim = await startSimulator(codeDeployScenario(), { msPerMinute });
    const saved = { ...process.env };
    try {
      Object.assign(process.env, sim.env());
      const client = new CodeDeployClient({});
      await client.send(new ListDeploymentsCommand({ applicationName: 'AppECS-prod-web' }));
    } finally {
      process.env = saved;
    }
    expect(sim.env()).toMatchObject({
      AWS_ENDPOINT_URL: sim.url,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.requests).toEqual([
      {
        at: expect.any(Number),
        service: 'codedeploy',
        operation: 'ListDeployments',
        input: { applicationName: 'AppECS-prod-web' },
        status: 200,
      },
    ]);
    expect(sim.changes[0]).toMatchObject({
      resource: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      what: 'registered arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
    });
  });
});
