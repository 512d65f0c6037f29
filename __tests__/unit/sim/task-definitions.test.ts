import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mutatingCalls } from '../../../sim/run-action.js';
import { releaseScenario, startSimulator, webTaskDefinition, type Simulator } from '../../../sim/index.js';
import { clientsFor, msPerMinute } from './helpers.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator(releaseScenario(), { msPerMinute });
});
afterEach(() => sim.stop());

const arn = (ref: string) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${ref}`;

describe('ECS task definition revisions', () => {
  it('ListTaskDefinitions filters by family prefix and status, sorts, and pages', async () => {
    const { ecs } = clientsFor(sim);
    const all = await ecs.send(new ListTaskDefinitionsCommand({}));
    expect(all.taskDefinitionArns).toEqual([arn('reports:1'), arn('web:1'), arn('web:2')]);
    const web = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web', sort: 'DESC' }));
    expect(web.taskDefinitionArns).toEqual([arn('web:2'), arn('web:1')]);
    const first = await ecs.send(new ListTaskDefinitionsCommand({ maxResults: 2 }));
    expect(first.taskDefinitionArns).toHaveLength(2);
    const rest = await ecs.send(
      new ListTaskDefinitionsCommand({ maxResults: 2, nextToken: first.nextToken }),
    );
    expect(rest.taskDefinitionArns).toEqual([arn('web:2')]);
    expect(rest.nextToken).toBeUndefined();
  });

  it('familyPrefix is the full family name, as ECS documents: web leaves webhooks out', async () => {
    await sim.stop();
    sim = await startSimulator(
      releaseScenario({ taskDefinitions: [{ ...webTaskDefinition(), family: 'webhooks' }] }),
      {
        msPerMinute,
      },
    );
    const { ecs } = clientsFor(sim);
    const web = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web' }));
    expect(web.taskDefinitionArns).toEqual([arn('web:1'), arn('web:2')]);
    const all = await ecs.send(new ListTaskDefinitionsCommand({}));
    expect(all.taskDefinitionArns).toContain(arn('webhooks:1'));
  });

  it('DeregisterTaskDefinition makes a revision INACTIVE: still described, no longer listed ACTIVE', async () => {
    const { ecs } = clientsFor(sim);
    const { taskDefinition } = await ecs.send(
      new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:1' }),
    );
    expect(taskDefinition).toMatchObject({ taskDefinitionArn: arn('web:1'), status: 'INACTIVE' });
    expect(taskDefinition!.deregisteredAt).toBeInstanceOf(Date);
    const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn('web:1') }));
    expect(described.taskDefinition!.status).toBe('INACTIVE');
    const active = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web', status: 'ACTIVE' }));
    expect(active.taskDefinitionArns).toEqual([arn('web:2')]);
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns).toEqual([arn('web:1')]);
    expect(mutatingCalls(sim)).toEqual(['DeregisterTaskDefinition']);
    expect(sim.changes.map((c) => c.what)).toContain(`deregistered ${arn('web:1')}`);
  });

  it('a family alone names its latest ACTIVE revision; a service keeps running an INACTIVE one', async () => {
    const { ecs } = clientsFor(sim);
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn('web:2') }));
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    expect(latest.taskDefinition!.taskDefinitionArn).toBe(arn('web:1'));
    const { services } = await ecs.send(
      new DescribeServicesCommand({ cluster: 'prod', services: ['worker'] }),
    );
    expect(services![0]).toMatchObject({ status: 'ACTIVE', taskDefinition: arn('web:2'), runningCount: 2 });
  });

  it('an INACTIVE revision cannot be moved onto or run as a new task (ClientException)', async () => {
    const { ecs } = clientsFor(sim);
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:1' }));
    await expect(
      ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'worker', taskDefinition: 'web:1' })),
    ).rejects.toMatchObject({ name: 'ClientException', message: 'TaskDefinition is inactive' });
    await expect(
      ecs.send(
        new RunTaskCommand({
          cluster: 'prod',
          taskDefinition: 'web:1',
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'] } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ClientException' });
  });

  it('deregistering needs a revision that exists (ClientException)', async () => {
    const { ecs } = clientsFor(sim);
    for (const taskDefinition of ['web', 'web:9']) {
      await expect(ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition }))).rejects.toMatchObject({
        name: 'ClientException',
      });
    }
  });
});
