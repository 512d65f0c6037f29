import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  codeDeployScenario,
  releaseScenario,
  rollingScenario,
  startSimulator,
  type Simulator,
} from '../../../sim/index.js';
import { mutatingCalls } from '../../../sim/run-action.js';
import {
  appSpecYaml,
  clientsFor,
  createDeployment,
  eventually,
  msPerMinute,
  waitForStatus,
} from './helpers.js';
import { CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { createHash } from 'node:crypto';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const arn = (ref: string) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${ref}`;

describe('several services in one cluster', () => {
  it('releaseScenario: web (CODE_DEPLOY), worker (rolling), admin (ECS blue/green) all on web:2', async () => {
    sim = await startSimulator(releaseScenario(), { msPerMinute });
    const { ecs } = clientsFor(sim);
    const { services, failures } = await ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['web', 'worker', 'admin'] }),
    );
    expect(failures).toEqual([]);
    expect(
      services!.map((s) => [
        s.serviceName,
        s.deploymentController!.type,
        s.deploymentConfiguration!.strategy,
        s.taskDefinition,
      ]),
    ).toEqual([
      ['web', 'CODE_DEPLOY', undefined, arn('web:2')],
      ['worker', 'ECS', 'ROLLING', arn('web:2')],
      ['admin', 'ECS', 'BLUE_GREEN', arn('web:2')],
    ]);
    expect(services![1].loadBalancers![0].targetGroupArn).toMatch(/targetgroup\/worker-blue\//);
  });

  it('each service deploys on its own: UpdateService for worker and admin, CreateDeployment for web', async () => {
    sim = await startSimulator(releaseScenario(), { msPerMinute });
    const { ecs, codeDeploy } = clientsFor(sim);
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'worker', taskDefinition: 'web:1' }));
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'admin', taskDefinition: 'web:1' }));
    const deploymentId = await createDeployment(codeDeploy, appSpecYaml(arn('web:1')));
    await waitForStatus(codeDeploy, deploymentId, ['Succeeded'], 10_000);
    await eventually(async () => {
      const { services } = await ecs.send(
        new DescribeServicesCommand({ cluster: 'prod', services: ['worker', 'admin'] }),
      );
      return services!.every(
        (s) =>
          s.taskDefinition === arn('web:1') &&
          s.deployments!.find((d) => d.status === 'PRIMARY')?.rolloutState === 'COMPLETED',
      );
    }, 10_000);
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    expect(services![0].taskSets!.find((t) => t.status === 'PRIMARY')!.taskDefinition).toBe(arn('web:1'));
    expect(mutatingCalls(sim)).toEqual(['UpdateService', 'UpdateService', 'CreateDeployment']);
  });

  it('an extra CODE_DEPLOY service gets its own application and group, and web is untouched by it', async () => {
    sim = await startSimulator(
      rollingScenario({ services: [{ name: 'api', deploymentController: 'CODE_DEPLOY' }] }),
      { msPerMinute },
    );
    const { codeDeploy, ecs } = clientsFor(sim);
    const content = appSpecYaml(arn('web:1'));
    const { deploymentId } = await codeDeploy.send(
      new CreateDeploymentCommand({
        applicationName: 'AppECS-prod-api',
        deploymentGroupName: 'DgpECS-prod-api',
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') },
        },
      }),
    );
    await waitForStatus(codeDeploy, deploymentId!, ['Succeeded'], 10_000);
    const { services } = await ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['web', 'api'] }),
    );
    expect(services!.map((s) => [s.serviceName, s.deploymentController!.type])).toEqual([
      ['web', 'ECS'],
      ['api', 'CODE_DEPLOY'],
    ]);
  });

  it('builders without services options keep one service', () => {
    expect(codeDeployScenario().clusters[0].services.map((s) => s.name)).toEqual(['web']);
    expect(codeDeployScenario().codeDeploy!.applications.map((a) => a.name)).toEqual(['AppECS-prod-web']);
    expect(rollingScenario().eventBridge).toBeUndefined();
  });
});
