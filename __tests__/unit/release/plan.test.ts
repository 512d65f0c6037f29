import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { makePlan } from '../../../src/release/plan.js';
import { scriptedCodeDeploy } from '../../helpers/codedeploy-fake.js';
import { fakeEcs, SERVICE, testContext } from '../../helpers/context.js';

let runnerTemp: string;
beforeEach(() => {
  runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-plan-'));
});
afterEach(() => fs.rmSync(runnerTemp, { recursive: true, force: true }));

const codeDeploy = () => {
  const port = scriptedCodeDeploy([{ status: 'InProgress' }]);
  port.getDeploymentGroup = async () => ({ ecsServices: [{ clusterName: 'prod', serviceName: 'web' }] });
  return port;
};

describe('makePlan', () => {
  it('plans a rolling update for an ECS-controller service, writing the rendered file for the runner only', async () => {
    const ecs = fakeEcs({
      describeService: async () => ({ ...SERVICE, deploymentController: { type: 'ECS' } }),
    });
    const t = testContext({ ecs, settings: { runner: { runnerTemp } } });
    const plan = await makePlan(t.ctx, t.settings, t.run);
    expect(plan.deployments[0]?.deployment).toMatchObject({ controller: 'ROLLING', deploymentConfig: '' });
    expect(t.outputs['task-definition']).toBe(plan.renderedPath);
    expect(fs.statSync(plan.renderedPath).mode & 0o777).toBe(0o600);
    expect(ecs.calls).not.toContain('RegisterTaskDefinition');
  });

  it('plans a CodeDeploy deployment, and warns about inputs that would do nothing for it', async () => {
    const t = testContext({
      codeDeploy: codeDeploy(),
      settings: {
        runner: { runnerTemp, givenInputs: ['service', 'desired-count'] },
        serviceUpdate: { desiredCount: 3 },
      },
    });
    const plan = await makePlan(t.ctx, t.settings, t.run);
    expect(plan.deployments[0]?.deployment).toMatchObject({
      controller: 'CODE_DEPLOY',
      title: 'Deploy with CodeDeploy blue/green',
    });
    expect(t.warnings).toEqual([
      expect.stringMatching(/^desired-count has no effect here: service "web" is deployed by CodeDeploy/),
    ]);
  });

  it('refuses a service with the EXTERNAL controller before anything changes', async () => {
    const ecs = fakeEcs({
      describeService: async () => ({ ...SERVICE, deploymentController: { type: 'EXTERNAL' } }),
    });
    const t = testContext({ ecs, settings: { runner: { runnerTemp } } });
    await expect(makePlan(t.ctx, t.settings, t.run)).rejects.toThrow(
      /uses the EXTERNAL deployment controller.*Nothing was changed\./,
    );
  });

  it('refuses a cluster ARN of another region before reading anything', async () => {
    const ecs = fakeEcs();
    const t = testContext({
      ecs,
      settings: {
        runner: { runnerTemp },
        target: { cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod' },
      },
    });
    await expect(makePlan(t.ctx, t.settings, t.run)).rejects.toThrow(
      /its region is eu-west-1, but ecs-shift runs against us-east-1/,
    );
    expect(ecs.calls).toEqual([]);
  });
});
