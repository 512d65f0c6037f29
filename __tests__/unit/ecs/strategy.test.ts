import { describe, expect, it } from '@jest/globals';
import type { ServiceDeploymentBrief } from '../../../src/aws/ports.js';
import { planEcsDeployment } from '../../../src/ecs/strategy.js';
import { SERVICE, fakeEcs, planRelease, testContext } from '../../helpers/context.js';

const NEW_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';
const DEPLOYMENT = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc';
const ROLLING_SERVICE = { ...SERVICE, deploymentController: { type: 'ECS' as const } };

/** An ECS port whose ListServiceDeployments is empty `misses` times before listing ours. */
function ecsListingAfter(misses: number) {
  let calls = 0;
  const updates: unknown[] = [];
  const ecs = fakeEcs({
    updateService: async (input) => {
      updates.push(input);
      return ROLLING_SERVICE;
    },
    listServiceDeployments: async (): Promise<ServiceDeploymentBrief[]> =>
      calls++ < misses
        ? []
        : [
            { serviceDeploymentArn: 'arn:older', createdAt: new Date(Date.UTC(2026, 10, 23, 11, 59)) },
            { serviceDeploymentArn: DEPLOYMENT, createdAt: new Date(Date.UTC(2026, 10, 23, 12, 0)) },
          ],
  });
  return { ecs, updates };
}

describe('ECS strategy: start and follow', () => {
  it('sends only the fields the user set, then finds and outputs the newest service deployment', async () => {
    const { ecs, updates } = ecsListingAfter(2);
    const t = testContext({ ecs, settings: { wait: { follow: false }, serviceUpdate: { desiredCount: 4 } } });
    const result = await (await planRelease(t, ROLLING_SERVICE)).release(NEW_ARN);
    expect(updates).toEqual([{ cluster: 'prod', service: 'web', taskDefinition: NEW_ARN, desiredCount: 4 }]);
    expect(t.outputs['service-deployment-arn']).toBe(DEPLOYMENT);
    expect(t.clock.slept).toHaveLength(2); // waited for ListServiceDeployments to catch up
    expect(result).toMatchObject({
      outcome: 'started',
      deploymentStatus: 'started',
      deploymentId: DEPLOYMENT,
    });
    // Asked not to wait: nothing is left for the post step to stop.
    expect(t.inFlight.at(-1)).toBeUndefined();
  });

  it('says what happened when ECS lists no deployment for the update', async () => {
    const { ecs } = ecsListingAfter(99);
    const t = testContext({ ecs });
    await expect((await planRelease(t, ROLLING_SERVICE)).release(NEW_ARN)).rejects.toThrow(
      /was updated to the new task definition, but ECS listed no service deployment for it/,
    );
  });
});

describe('planEcsDeployment', () => {
  it('reads the strategy from the service, rolling when none is set', () => {
    expect(planEcsDeployment('shifted', ROLLING_SERVICE)).toBe('ROLLING');
    const canary = { ...ROLLING_SERVICE, deploymentConfiguration: { strategy: 'CANARY' as const } };
    expect(planEcsDeployment('shifted', canary)).toBe('CANARY');
  });
});

describe('planEcsDeployment: wait-until ready on ECS-native blue/green', () => {
  const blueGreen = (lifecycleHooks: object[]) => ({
    ...ROLLING_SERVICE,
    deploymentConfiguration: { strategy: 'BLUE_GREEN' as const, lifecycleHooks: lifecycleHooks as never },
  });

  it('refuses a service without a PAUSE hook before production traffic (it would shift on its own)', () => {
    expect(() => planEcsDeployment('ready', blueGreen([]))).toThrow(
      /has no PAUSE lifecycle hook before PRODUCTION_TRAFFIC_SHIFT, so its blue\/green deployment would shift production traffic on its own\. Nothing was changed\./,
    );
    const lambdaOnly = blueGreen([
      { targetType: 'AWS_LAMBDA', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] },
    ]);
    expect(() => planEcsDeployment('ready', lambdaOnly)).toThrow(/no PAUSE lifecycle hook/);
  });

  it('accepts one with a PAUSE hook after test traffic', () => {
    const paused = blueGreen([{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }]);
    expect(planEcsDeployment('ready', paused)).toBe('BLUE_GREEN');
  });
});
