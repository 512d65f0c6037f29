import {
  ContinueDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { codeDeployScenario, startSimulator, type Simulator } from '../../../sim/index.js';
import {
  appSpecYaml,
  changesOf,
  clientsFor,
  createDeployment,
  eventually,
  getDeployment,
  msPerMinute,
  registerNewRevision,
  waitForStatus,
} from './helpers.js';

const allEvents = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
];

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

describe('CodeDeploy blue/green lifecycle', () => {
  it('runs an AllAtOnce deployment through every event, holds the termination wait, then succeeds', async () => {
    const { sim, codeDeploy, ecs, taskDefinitionArn } = await start({ terminationWaitTimeInMinutes: 10 });
    const deploymentId = await createDeployment(codeDeploy, appSpecYaml(taskDefinitionArn));
    expect(deploymentId).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(changesOf(sim, deploymentId)[0]).toBe('created by user (CodeDeployDefault.ECSAllAtOnce)');

    const waiting = await eventually(async () => {
      const info = await getDeployment(codeDeploy, deploymentId);
      return info.instanceTerminationWaitTimeStarted ? info : undefined;
    });
    expect(waiting.status).toBe('InProgress');
    const { targetIds } = await codeDeploy.send(new ListDeploymentTargetsCommand({ deploymentId }));
    expect(targetIds).toEqual(['prod:web']);
    const { deploymentTarget } = await codeDeploy.send(
      new GetDeploymentTargetCommand({ deploymentId, targetId: 'prod:web' }),
    );
    const target = deploymentTarget!.ecsTarget!;
    expect(deploymentTarget!.deploymentTargetType).toBe('ECSTarget');
    expect(target.lifecycleEvents!.map((e) => [e.lifecycleEventName, e.status])).toEqual(
      allEvents.map((name) => [name, 'Succeeded']),
    );
    expect(target.lifecycleEvents![0].startTime).toBeInstanceOf(Date);
    const labels = Object.fromEntries(target.taskSetsInfo!.map((t) => [t.taskSetLabel, t]));
    expect(labels.Green).toMatchObject({
      trafficWeight: 100,
      runningCount: 2,
      desiredCount: 2,
      status: 'PRIMARY',
    });
    expect(labels.Green.targetGroup!.name).toBe('web-green');
    expect(labels.Blue).toMatchObject({ trafficWeight: 0, status: 'ACTIVE' });
    expect(labels.Blue.identifer).toMatch(/^ecs-svc\/\d{19}$/);

    const done = await waitForStatus(codeDeploy, deploymentId, ['Succeeded']);
    expect(done.completeTime!.getTime() - waiting.createTime!.getTime()).toBeGreaterThanOrEqual(
      5 * msPerMinute,
    );
    expect(done).toMatchObject({
      computePlatform: 'ECS',
      creator: 'user',
      deploymentOverview: { Succeeded: 1 },
    });

    const events = changesOf(sim, deploymentId).filter((what) => what.startsWith('lifecycle'));
    expect(events).toEqual(
      allEvents.flatMap((name) => [`lifecycle ${name} InProgress`, `lifecycle ${name} Succeeded`]),
    );
    expect(changesOf(sim, deploymentId).filter((what) => what.startsWith('traffic'))).toEqual([
      'traffic blue=0 green=100',
    ]);
    expect(changesOf(sim, deploymentId).filter((what) => what.startsWith('status'))).toEqual([
      'status InProgress',
      'status Succeeded',
    ]);
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    expect(services![0].taskDefinition).toBe(taskDefinitionArn);
    expect(services![0].taskSets!.map((t) => [t.status, t.taskDefinition])).toEqual([
      ['PRIMARY', taskDefinitionArn],
    ]);
    expect(sim.deployment(deploymentId)!.status).toBe('Succeeded');
  });

  it('shifts a canary slice first, the rest after the canary interval', async () => {
    const { sim, codeDeploy, taskDefinitionArn } = await start({
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      terminationWaitTimeInMinutes: 0,
    });
    const deploymentId = await createDeployment(codeDeploy, appSpecYaml(taskDefinitionArn));
    const canary = await eventually(async () => {
      const { deploymentTarget } = await codeDeploy.send(
        new GetDeploymentTargetCommand({ deploymentId, targetId: 'prod:web' }),
      );
      const green = deploymentTarget!.ecsTarget!.taskSetsInfo!.find((t) => t.taskSetLabel === 'Green');
      return green?.trafficWeight === 10 ? deploymentTarget!.ecsTarget! : undefined;
    });
    expect(canary.lifecycleEvents!.find((e) => e.lifecycleEventName === 'AllowTraffic')!.status).toBe(
      'InProgress',
    );
    await waitForStatus(codeDeploy, deploymentId, ['Succeeded']);

    const traffic = sim.changes.filter((c) => c.resource === deploymentId && c.what.startsWith('traffic'));
    expect(traffic.map((c) => c.what)).toEqual(['traffic blue=90 green=10', 'traffic blue=0 green=100']);
    expect(traffic[1].at - traffic[0].at).toBeGreaterThanOrEqual(5 * msPerMinute - 5);
  });

  it('shifts linearly with a custom deployment config', async () => {
    const { sim, codeDeploy, taskDefinitionArn } = await start({
      deploymentConfigName: 'Linear25',
      deploymentConfigs: [
        {
          name: 'Linear25',
          trafficRoutingConfig: {
            type: 'TimeBasedLinear',
            timeBasedLinear: { linearPercentage: 25, linearInterval: 1 },
          },
        },
      ],
      terminationWaitTimeInMinutes: 0,
    });
    const deploymentId = await createDeployment(codeDeploy, appSpecYaml(taskDefinitionArn));
    await waitForStatus(codeDeploy, deploymentId, ['Succeeded']);
    expect(changesOf(sim, deploymentId).filter((what) => what.startsWith('traffic'))).toEqual([
      'traffic blue=75 green=25',
      'traffic blue=50 green=50',
      'traffic blue=25 green=75',
      'traffic blue=0 green=100',
    ]);
  });

  it('waits in Ready until ContinueDeployment, and ends the termination wait early on request', async () => {
    const { codeDeploy, taskDefinitionArn } = await start({
      deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 60 },
      terminationWaitTimeInMinutes: 60,
    });
    const deploymentId = await createDeployment(codeDeploy, appSpecYaml(taskDefinitionArn));
    await waitForStatus(codeDeploy, deploymentId, ['Ready']);
    const { deploymentTarget } = await codeDeploy.send(
      new GetDeploymentTargetCommand({ deploymentId, targetId: 'prod:web' }),
    );
    const target = deploymentTarget!.ecsTarget!;
    expect(target.status).toBe('Ready');
    expect(target.lifecycleEvents!.map((e) => e.status)).toEqual([
      ...Array(5).fill('Succeeded'),
      ...Array(3).fill('Pending'),
    ]);
    await expect(
      codeDeploy.send(
        new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'TERMINATION_WAIT' }),
      ),
    ).rejects.toMatchObject({ name: 'DeploymentIsNotInReadyStateException' });

    await codeDeploy.send(new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'READY_WAIT' }));
    await eventually(
      async () => (await getDeployment(codeDeploy, deploymentId)).instanceTerminationWaitTimeStarted,
    );
    await codeDeploy.send(
      new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'TERMINATION_WAIT' }),
    );
    await waitForStatus(codeDeploy, deploymentId, ['Succeeded'], 1000);
  });

  it('stops a Ready deployment whose wait time runs out', async () => {
    const { codeDeploy, taskDefinitionArn } = await start({
      deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 2 },
    });
    const deploymentId = await createDeployment(codeDeploy, appSpecYaml(taskDefinitionArn));
    const stopped = await waitForStatus(codeDeploy, deploymentId, ['Stopped']);
    expect(stopped.errorInformation!.code).toBe('TIMEOUT');
    const statuses = changesOf(sim!, deploymentId).filter((what) => what.startsWith('status'));
    expect(statuses).toEqual(['status InProgress', 'status Ready', 'status Stopped']);
  });
});

describe('CodeDeploy stop and failure', () => {
  it('StopDeployment with rollback starts a rollback deployment that restores Blue', async () => {
    const { sim, codeDeploy, ecs, taskDefinitionArn } = await start({ terminationWaitTimeInMinutes: 60 });
    const deploymentId = await createDeployment(codeDeploy, appSpecYaml(taskDefinitionArn));
    await eventually(
      async () => (await getDeployment(codeDeploy, deploymentId)).instanceTerminationWaitTimeStarted,
    );

    const answer = await codeDeploy.send(
      new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }),
    );
    expect(answer.status).toBe('Pending');
    const stopped = await getDeployment(codeDeploy, deploymentId);
    expect(stopped.status).toBe('Stopped');
    expect(stopped.errorInformation!.code).toBe('MANUAL_STOP');
    const rollbackId = stopped.rollbackInfo!.rollbackDeploymentId!;
    expect(rollbackId).toMatch(/^d-[A-Z0-9]{9}$/);

    const rollback = await waitForStatus(codeDeploy, rollbackId, ['Succeeded']);
    expect(rollback.creator).toBe('autoRollback');
    expect(rollback.rollbackInfo!.rollbackTriggeringDeploymentId).toBe(deploymentId);
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    expect(services![0].taskDefinition).toMatch(/task-definition\/web:1$/);
    expect(services![0].taskSets).toHaveLength(1);
    expect(services![0].taskSets![0]).toMatchObject({ status: 'PRIMARY' });
    expect(changesOf(sim, rollbackId)).toContain('traffic blue=100 green=0');

    await expect(
      codeDeploy.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true })),
    ).rejects.toMatchObject({ name: 'DeploymentAlreadyCompletedException' });
  });

  it('fails a hook with diagnostics and rolls back automatically', async () => {
    const { sim, codeDeploy, taskDefinitionArn } = await start({
      faults: [
        {
          kind: 'hookFails',
          event: 'AfterAllowTestTraffic',
          message: 'smoke test: GET /health returned 503',
          logTail: 'expected 200, got 503',
        },
      ],
    });
    const content = appSpecYaml(taskDefinitionArn, { hooks: '  - AfterAllowTestTraffic: "SmokeTest"' });
    const deploymentId = await createDeployment(codeDeploy, content);
    const failed = await waitForStatus(codeDeploy, deploymentId, ['Failed']);
    expect(failed.errorInformation!.code).toBe('HOOK_EXECUTION_FAILURE');
    expect(failed.errorInformation!.message).toContain('smoke test: GET /health returned 503');

    const { deploymentTarget } = await codeDeploy.send(
      new GetDeploymentTargetCommand({ deploymentId, targetId: 'prod:web' }),
    );
    const events = deploymentTarget!.ecsTarget!.lifecycleEvents!;
    expect(events.map((e) => e.status)).toEqual([
      ...Array(4).fill('Succeeded'),
      'Failed',
      ...Array(3).fill('Skipped'),
    ]);
    expect(events[4].diagnostics).toEqual({
      errorCode: 'ScriptFailed',
      scriptName: 'SmokeTest',
      message: 'smoke test: GET /health returned 503',
      logTail: 'expected 200, got 503',
    });
    expect(deploymentTarget!.ecsTarget!.status).toBe('Failed');
    const rollbackId = failed.rollbackInfo!.rollbackDeploymentId!;
    await waitForStatus(codeDeploy, rollbackId, ['Succeeded']);
    expect(sim.deployments().map((d) => d.status)).toEqual(['Failed', 'Succeeded']);
  });

  it('hangs in an event until stopped', async () => {
    const { codeDeploy, taskDefinitionArn } = await start({
      faults: [{ kind: 'neverFinishes', event: 'AfterAllowTraffic' }],
    });
    const deploymentId = await createDeployment(codeDeploy, appSpecYaml(taskDefinitionArn));
    await eventually(async () => {
      const { deploymentTarget } = await codeDeploy.send(
        new GetDeploymentTargetCommand({ deploymentId, targetId: 'prod:web' }),
      );
      return deploymentTarget!.ecsTarget!.lifecycleEvents![7].status === 'InProgress';
    });
    await new Promise((resolve) => setTimeout(resolve, 10 * msPerMinute));
    expect((await getDeployment(codeDeploy, deploymentId)).status).toBe('InProgress');
    const answer = await codeDeploy.send(
      new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: false }),
    );
    expect(answer.status).toBe('Succeeded');
    expect((await getDeployment(codeDeploy, deploymentId)).status).toBe('Stopped');
  });
});
