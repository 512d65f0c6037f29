/** Tasks that keep stopping (until stopped, or only the first few), under each deployment path. */
import { GetDeploymentTargetCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  codeDeployScenario,
  ecsBlueGreenScenario,
  rollingScenario,
  startSimulator,
  type Scenario,
  type Simulator,
} from '../../../sim/index.js';
import {
  appSpecYaml,
  clientsFor,
  createDeployment,
  eventually,
  getDeployment,
  msPerMinute,
  registerNewRevision,
  waitForStatus,
} from './helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web';
const noBreaker = { strategy: 'ROLLING' as const, maximumPercent: 200, minimumHealthyPercent: 100 };

async function deploy(scenario: Scenario, image?: string) {
  sim = await startSimulator(scenario, { msPerMinute });
  const clients = clientsFor(sim);
  const taskDefinitionArn = await registerNewRevision(clients.ecs, image);
  await clients.ecs.send(
    new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: taskDefinitionArn }),
  );
  const { serviceDeployments } = await clients.ecs.send(
    new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }),
  );
  return { ...clients, taskDefinitionArn, arn: serviceDeployments![0].serviceDeploymentArn! };
}

const describeDeployment = async (ecs: ECSClient, arn: string) =>
  (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })))
    .serviceDeployments![0];

const until = (ecs: ECSClient, arn: string, status: string, timeoutMs = 5000) =>
  eventually(async () => {
    const deployment = await describeDeployment(ecs, arn);
    return deployment.status === status ? deployment : undefined;
  }, timeoutMs);

const webService = async (ecs: ECSClient) =>
  (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }))).services![0];

async function stoppedTasks(ecs: ECSClient): Promise<Task[]> {
  const { taskArns } = await ecs.send(
    new ListTasksCommand({ cluster: 'prod', serviceName: 'web', desiredStatus: 'STOPPED' }),
  );
  if (taskArns!.length === 0) return [];
  return (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: taskArns!.slice(0, 100) })))
    .tasks!;
}

describe('a flaky start (tasksKeepStopping with count)', () => {
  it('rolling: the first tasks stop, the next ones run, the deployment succeeds', async () => {
    const { ecs, arn, taskDefinitionArn } = await deploy(
      rollingScenario({ faults: [{ kind: 'tasksKeepStopping', count: 2 }] }),
    );
    await until(ecs, arn, 'SUCCESSFUL');
    expect(await stoppedTasks(ecs)).toHaveLength(2);
    const service = await webService(ecs);
    expect(service.taskDefinition).toBe(taskDefinitionArn);
    // "Once a service deployment has one or more successfully running tasks, the failed task count resets to zero."
    expect(service.deployments![0]).toMatchObject({
      rolloutState: 'COMPLETED',
      failedTasks: 0,
      runningCount: 2,
    });
  });

  it('ECS-native blue/green: a flaky first task, then success', async () => {
    const { ecs, arn } = await deploy(
      ecsBlueGreenScenario({
        deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 },
        faults: [{ kind: 'tasksKeepStopping', count: 1 }],
      }),
    );
    await until(ecs, arn, 'SUCCESSFUL');
    expect(await stoppedTasks(ecs)).toHaveLength(1);
  });

  it('CodeDeploy: Install replaces the flaky task and the deployment succeeds', async () => {
    sim = await startSimulator(
      codeDeployScenario({
        terminationWaitTimeInMinutes: 0,
        faults: [{ kind: 'tasksKeepStopping', count: 1 }],
      }),
      { msPerMinute },
    );
    const { codeDeploy, ecs } = clientsFor(sim);
    const taskDefinitionArn = await registerNewRevision(ecs);
    const deploymentId = await createDeployment(codeDeploy, appSpecYaml(taskDefinitionArn));
    await waitForStatus(codeDeploy, deploymentId, ['Succeeded']);
    const tasks = await stoppedTasks(ecs);
    expect(tasks).toHaveLength(1);
    expect(tasks[0].startedBy).toMatch(/^ecs-svc\/\d{19}$/);
  });
});

describe('a crash loop that does not end by itself', () => {
  it('rolling without a circuit breaker: ECS keeps replacing tasks, IN_PROGRESS until stopped', async () => {
    const { ecs, arn, taskDefinitionArn } = await deploy(
      rollingScenario({ deploymentConfiguration: noBreaker, faults: [{ kind: 'tasksKeepStopping' }] }),
    );
    const failing = await eventually(async () => {
      const rollout = (await webService(ecs)).deployments!.find(
        (d) => d.taskDefinition === taskDefinitionArn,
      );
      return rollout && rollout.failedTasks! >= 8 ? rollout : undefined;
    });
    expect(failing).toMatchObject({ rolloutState: 'IN_PROGRESS', runningCount: 0 });
    expect(await describeDeployment(ecs, arn)).toMatchObject({
      status: 'IN_PROGRESS',
      deploymentCircuitBreaker: { status: 'DISABLED' },
    });
    expect((await stoppedTasks(ecs)).length).toBeGreaterThanOrEqual(8);

    await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    await until(ecs, arn, 'ROLLBACK_SUCCESSFUL');
    expect((await webService(ecs)).taskDefinition).toMatch(/task-definition\/web:1$/);
  });

  it('ECS-native blue/green without a breaker: IN_PROGRESS until an UpdateService back to the old revision', async () => {
    const { ecs, arn } = await deploy(
      ecsBlueGreenScenario({
        deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 },
        faults: [{ kind: 'tasksKeepStopping' }],
      }),
    );
    await eventually(async () => (await webService(ecs)).deployments![0].failedTasks! >= 5);
    expect((await describeDeployment(ecs, arn)).status).toBe('IN_PROGRESS');

    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: 'web:1' }));
    expect((await describeDeployment(ecs, arn)).status).toBe('STOPPED');
    const { serviceDeployments } = await ecs.send(
      new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }),
    );
    await until(ecs, serviceDeployments![0].serviceDeploymentArn!, 'SUCCESSFUL');
  });

  it('CodeDeploy: StopDeployment with rollback during the Install crash loop stops it at once', async () => {
    sim = await startSimulator(
      codeDeployScenario({ timings: { installFailure: 60 }, faults: [{ kind: 'tasksKeepStopping' }] }),
      { msPerMinute },
    );
    const { codeDeploy, ecs } = clientsFor(sim);
    const taskDefinitionArn = await registerNewRevision(ecs);
    const deploymentId = await createDeployment(codeDeploy, appSpecYaml(taskDefinitionArn));
    await eventually(async () => (await stoppedTasks(ecs)).length >= 4);
    const { deploymentTarget } = await codeDeploy.send(
      new GetDeploymentTargetCommand({ deploymentId, targetId: 'prod:web' }),
    );
    expect(deploymentTarget!.ecsTarget!.lifecycleEvents![1]).toMatchObject({
      lifecycleEventName: 'Install',
      status: 'InProgress',
    });

    const stopAt = Date.now();
    await codeDeploy.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }));
    const stopped = await getDeployment(codeDeploy, deploymentId);
    expect(stopped.status).toBe('Stopped');
    const rollback = await waitForStatus(codeDeploy, stopped.rollbackInfo!.rollbackDeploymentId!, [
      'Succeeded',
    ]);
    expect(Date.now() - stopAt).toBeLessThan(2 * msPerMinute * 10);
    expect(rollback.creator).toBe('autoRollback');
    const stoppedCount = (await stoppedTasks(ecs)).length;
    await new Promise((resolve) => setTimeout(resolve, 5 * msPerMinute));
    expect((await stoppedTasks(ecs)).length).toBe(stoppedCount);
    const service = await webService(ecs);
    expect(service.taskSets).toHaveLength(1);
    expect(service.taskDefinition).toMatch(/task-definition\/web:1$/);
  });
});

describe('stopped tasks as ECS describes them', () => {
  it('an app crash: runtime ids, exit code, startedAt; TaskFailedToStart: none of those, and no logs', async () => {
    const { ecs, taskDefinitionArn } = await deploy(
      rollingScenario({ faults: [{ kind: 'tasksKeepStopping' }] }),
    );
    const [crashed] = await eventually(() => stoppedTasks(ecs).then((t) => (t.length ? t : undefined)));
    expect(crashed).toMatchObject({
      taskDefinitionArn,
      lastStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      startedAt: expect.any(Date),
      stoppedAt: expect.any(Date),
    });
    expect(crashed.containers!.map((c) => [c.name, c.exitCode, typeof c.runtimeId])).toEqual([
      ['app', 1, 'string'],
      ['sidecar', 0, 'string'],
    ]);
    expect(crashed.containers![0].reason).toBeUndefined();

    await sim!.stop();
    const reason = 'CannotPullContainerError: pull image manifest has been retried 7 time(s): access denied';
    const failing = await deploy(
      rollingScenario({
        faults: [{ kind: 'tasksKeepStopping', stopCode: 'TaskFailedToStart', stoppedReason: reason }],
      }),
    );
    const [unstarted] = await eventually(() =>
      stoppedTasks(failing.ecs).then((t) => (t.length ? t : undefined)),
    );
    expect(unstarted).toMatchObject({ stopCode: 'TaskFailedToStart', stoppedReason: reason });
    expect(unstarted.startedAt).toBeUndefined();
    expect(unstarted.containers!.map((c) => [c.exitCode, c.runtimeId])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
    await expect(
      failing.logs.send(
        new GetLogEventsCommand({
          logGroupName: '/ecs/web',
          logStreamName: `ecs/app/${unstarted.taskArn!.split('/').pop()}`,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('an image missing from ECR fails to pull', async () => {
    const { ecs } = await deploy(rollingScenario(), `${ECR}:9`);
    const [task] = await eventually(() => stoppedTasks(ecs).then((t) => (t.length ? t : undefined)));
    expect(task).toMatchObject({
      stopCode: 'TaskFailedToStart',
      stoppedReason: `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${ECR}:9: ${ECR}:9: not found`,
    });
  });

  it('an image without the task’s platform: an index fails to pull, a single manifest cannot exec', async () => {
    sim = await startSimulator(
      rollingScenario({
        deploymentConfiguration: noBreaker,
        ecr: {
          repositories: [
            { name: 'web', images: [{ tags: ['amd64-list'], platforms: ['linux/amd64'], index: 'docker' }] },
          ],
        },
      }),
      { msPerMinute },
    );
    const { ecs } = clientsFor(sim);
    const arm64 = async (tag: string) => {
      const { taskDefinition } = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'web',
          runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
          containerDefinitions: [{ name: 'app', image: `${ECR}:${tag}`, essential: true }],
        }),
      );
      await ecs.send(
        new UpdateServiceCommand({
          cluster: 'prod',
          service: 'web',
          taskDefinition: taskDefinition!.taskDefinitionArn,
        }),
      );
      return eventually(async () =>
        (await stoppedTasks(ecs)).find((t) => t.taskDefinitionArn === taskDefinition!.taskDefinitionArn),
      );
    };
    expect(await arm64('amd64-list')).toMatchObject({
      stopCode: 'TaskFailedToStart',
      stoppedReason: expect.stringContaining(
        "image Manifest does not contain descriptor matching platform 'linux/arm64'",
      ),
    });
    const single = await arm64('1');
    expect(single).toMatchObject({ stopCode: 'EssentialContainerExited' });
    expect(single.containers![0].exitCode).toBe(255);
  });
});
