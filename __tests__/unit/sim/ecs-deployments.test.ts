import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import {
  ecsBlueGreenScenario,
  rollingScenario,
  startSimulator,
  type Scenario,
  type Simulator,
} from '../../../sim/index.js';
import { changesOf, clientsFor, eventually, msPerMinute, registerNewRevision } from './helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function deploy(scenario: Scenario) {
  sim = await startSimulator(scenario, { msPerMinute });
  const { ecs } = clientsFor(sim);
  const taskDefinitionArn = await registerNewRevision(ecs);
  await ecs.send(
    new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: taskDefinitionArn }),
  );
  const { serviceDeployments } = await ecs.send(
    new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }),
  );
  expect(serviceDeployments).toHaveLength(1);
  return { sim, ecs, taskDefinitionArn, arn: serviceDeployments![0].serviceDeploymentArn! };
}

async function describe1(ecs: ECSClient, arn: string): Promise<ServiceDeployment> {
  const { serviceDeployments } = await ecs.send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
  );
  return serviceDeployments![0];
}

async function until(
  ecs: ECSClient,
  arn: string,
  check: (d: ServiceDeployment) => boolean,
  timeoutMs = 5000,
) {
  return eventually(async () => {
    const deployment = await describe1(ecs, arn);
    return check(deployment) ? deployment : undefined;
  }, timeoutMs);
}

const webService = async (ecs: ECSClient) =>
  (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0];

describe('ECS rolling deployments', () => {
  it('replaces the tasks and reaches a steady state', async () => {
    const { ecs, arn, taskDefinitionArn } = await deploy(rollingScenario({ timings: { taskStart: 2 } }));
    const during = await eventually(async () => {
      const service = await webService(ecs);
      return service.deployments!.length === 2 ? service : undefined;
    });
    expect(during.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'IN_PROGRESS',
      taskDefinition: taskDefinitionArn,
    });
    expect(during.deployments![1]).toMatchObject({ status: 'ACTIVE' });

    const done = await until(ecs, arn, (d) => d.status === 'SUCCESSFUL');
    expect(done.targetServiceRevision).toMatchObject({ requestedTaskCount: 2, runningTaskCount: 2 });
    const service = await webService(ecs);
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0]).toMatchObject({
      rolloutState: 'COMPLETED',
      runningCount: 2,
      failedTasks: 0,
    });
    expect(service.runningCount).toBe(2);
    expect(service.events![0].message).toBe('(service web) has reached a steady state.');
  });

  it('trips the circuit breaker when new tasks keep stopping, and rolls back', async () => {
    const { ecs, arn, taskDefinitionArn } = await deploy(
      rollingScenario({ faults: [{ kind: 'tasksKeepStopping' }], timings: { rollback: 5 } }),
    );
    const failing = await eventually(async () => {
      const service = await webService(ecs);
      const rollout = service.deployments!.find((d) => d.taskDefinition === taskDefinitionArn);
      return rollout?.rolloutState === 'FAILED' ? rollout : undefined;
    });
    expect(failing.failedTasks).toBe(3);
    expect(failing.rolloutStateReason).toBe('ECS deployment circuit breaker: tasks failed to start.');

    const rolledBack = await until(ecs, arn, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(rolledBack.deploymentCircuitBreaker).toMatchObject({
      status: 'TRIGGERED',
      failureCount: 3,
      threshold: 3,
    });
    expect(rolledBack.rollback!.reason).toContain('circuit breaker');
    const service = await webService(ecs);
    expect(service.taskDefinition).toMatch(/task-definition\/web:1$/);
    expect(service.deployments).toHaveLength(1);
    expect(service.events!.map((e) => e.message)).toContain(
      `(service web) deployment ${failing.id} deployment failed: tasks failed to start.`,
    );
    const { taskArns } = await ecs.send(
      new ListTasksCommand({ cluster: 'prod', serviceName: 'web', desiredStatus: 'STOPPED' }),
    );
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: taskArns }));
    expect(tasks).toHaveLength(3);
    expect(tasks![0]).toMatchObject({ stopCode: 'EssentialContainerExited', startedBy: failing.id });
  });
});

describe('ECS-native blue/green deployments', () => {
  it('walks the lifecycle stages, shifts traffic, bakes with both revisions, then cleans up', async () => {
    const { sim, ecs, arn } = await deploy(
      ecsBlueGreenScenario({ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 } }),
    );
    const baking = await until(ecs, arn, (d) => d.lifecycleStage === 'BAKE_TIME');
    expect(baking.status).toBe('IN_PROGRESS');
    expect(baking.targetServiceRevision).toMatchObject({
      requestedProductionTrafficWeight: 100,
      requestedTestTrafficWeight: 100,
      runningTaskCount: 2,
    });
    expect(baking.sourceServiceRevisions![0]).toMatchObject({
      requestedProductionTrafficWeight: 0,
      runningTaskCount: 2,
    });
    expect((await webService(ecs)).deployments).toHaveLength(2);

    const done = await until(ecs, arn, (d) => d.status === 'SUCCESSFUL');
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(changesOf(sim, arn).filter((what) => what.startsWith('stage'))).toEqual([
      'stage RECONCILE_SERVICE',
      'stage PRE_SCALE_UP',
      'stage SCALE_UP',
      'stage POST_SCALE_UP',
      'stage TEST_TRAFFIC_SHIFT',
      'stage POST_TEST_TRAFFIC_SHIFT',
      'stage PRODUCTION_TRAFFIC_SHIFT',
      'stage POST_PRODUCTION_TRAFFIC_SHIFT',
      'stage BAKE_TIME',
      'stage CLEAN_UP',
    ]);
    expect((await webService(ecs)).deployments).toHaveLength(1);
  });

  it('shifts a canary first under the CANARY strategy', async () => {
    const { sim, ecs, arn } = await deploy(
      ecsBlueGreenScenario({
        deploymentConfiguration: {
          strategy: 'CANARY',
          canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 3 },
          bakeTimeInMinutes: 0,
        },
      }),
    );
    await until(ecs, arn, (d) => d.status === 'SUCCESSFUL');
    expect(changesOf(sim, arn).filter((what) => what.startsWith('traffic'))).toEqual([
      'traffic blue=80 green=20',
      'traffic blue=0 green=100',
    ]);
  });

  it('pauses at a PAUSE hook until ContinueServiceDeployment', async () => {
    const { ecs, arn } = await deploy(
      ecsBlueGreenScenario({
        deploymentConfiguration: {
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: 0,
          lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
        },
      }),
    );
    const paused = await until(ecs, arn, (d) => d.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION');
    expect(paused.lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    await new Promise((resolve) => setTimeout(resolve, 5 * msPerMinute));
    expect((await describe1(ecs, arn)).lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    await ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: arn,
        hookId: paused.lifecycleHookDetails![0].hookId,
        action: 'CONTINUE',
      }),
    );
    const done = await until(ecs, arn, (d) => d.status === 'SUCCESSFUL');
    expect(done.lifecycleHookDetails![0].status).toBe('SUCCEEDED');
  });

  it('rolls back on StopServiceDeployment ROLLBACK', async () => {
    const { ecs, arn } = await deploy(
      ecsBlueGreenScenario({ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 } }),
    );
    await until(ecs, arn, (d) => d.lifecycleStage === 'BAKE_TIME');
    await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    const done = await until(ecs, arn, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.targetServiceRevision!.requestedProductionTrafficWeight).toBe(0);
    expect(done.rollback!.serviceRevisionArn).toBe(done.sourceServiceRevisions![0].arn);
    expect((await webService(ecs)).taskDefinition).toMatch(/task-definition\/web:1$/);
    await expect(
      ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })),
    ).rejects.toMatchObject({ name: 'ConflictException' });
  });

  it('rolls back when a lifecycle hook fails', async () => {
    const { ecs, arn } = await deploy(
      ecsBlueGreenScenario({
        faults: [{ kind: 'hookFails', event: 'POST_SCALE_UP', message: 'smoke test failed' }],
      }),
    );
    const done = await until(ecs, arn, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.statusReason).toContain('smoke test failed');
    expect(done.lifecycleHookDetails![0].status).toBe('FAILED');
  });
});
