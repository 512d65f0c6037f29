/**
 * deploy → test on the test listener → promote (or abort), as three workflow steps through the
 * bundle: the deploy step stops at `wait-until: ready`, a later step continues or rolls back.
 */
import { describe, expect, it } from '@jest/globals';
import { codeDeployScenario, ecsBlueGreenScenario } from '../../sim/index.js';
import { mutatingCalls, runAction } from '../../sim/run-action.js';
import { requestsOf, simulate, errorAnnotation } from './setup.js';

const DEPLOY = { cluster: 'prod', service: 'web', 'container-name': 'app', image: 'repo/web:2' };
const waitsForReroute = () =>
  codeDeployScenario({
    deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 600 },
  });

const pausesAfterTestTraffic = () =>
  ecsBlueGreenScenario({
    deploymentConfiguration: {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 60,
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
    },
  });

describe('CodeDeploy', () => {
  it('stops at Ready with test traffic on the new revision, then a promote step shifts production', async () => {
    const s = await simulate(waitsForReroute());
    const deploy = await runAction(s, { inputs: { ...DEPLOY, 'wait-until': 'ready' } });
    expect(deploy.code).toBe(0);
    expect(deploy.outputs['deployment-status']).toBe('ready');
    const id = deploy.outputs['codedeploy-deployment-id'];
    expect(s.deployment(id)?.status).toBe('Ready');
    expect(deploy.state.inFlight).toBe(''); // waiting at Ready is the goal, not something to clean up

    const promote = await runAction(s, { inputs: { promote: id } });
    expect(promote.code).toBe(0);
    expect(requestsOf(s, 'ContinueDeployment').map((r) => r.input)).toEqual([
      { deploymentId: id, deploymentWaitType: 'READY_WAIT' },
    ]);
    expect(promote.outputs).toMatchObject({ 'codedeploy-deployment-id': id, 'deployment-status': 'shifted' });
    expect(promote.log).toContain('blue 0% │ green 100%');
    expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'CreateDeployment', 'ContinueDeployment']);
  });

  it('an abort step rolls the waiting deployment back', async () => {
    const s = await simulate(waitsForReroute());
    const deploy = await runAction(s, { inputs: { ...DEPLOY, 'wait-until': 'ready' } });
    const id = deploy.outputs['codedeploy-deployment-id'];
    const abort = await runAction(s, { inputs: { abort: id } });
    expect(abort.code).toBe(0);
    expect(requestsOf(s, 'StopDeployment').map((r) => r.input)).toEqual([
      { deploymentId: id, autoRollbackEnabled: true },
    ]);
    expect(abort.outputs['deployment-status']).toBe('stopped');
    // "rolled back" only once CodeDeploy's rollback deployment succeeded.
    expect(abort.log).toMatch(/Rollback d-\w+ succeeded/);
    expect(abort.summary).toContain('**Aborted — rolled back in');
    expect(abort.summary).toContain('Production traffic: 100% back on the previous revision.');
  });

  it('refuses to promote a deployment that is not waiting, changing nothing', async () => {
    const s = await simulate(codeDeployScenario());
    const deploy = await runAction(s, { inputs: DEPLOY });
    const promote = await runAction(s, { inputs: { promote: deploy.outputs['codedeploy-deployment-id'] } });
    expect(promote.code).toBe(1);
    expect(errorAnnotation(promote.log)).toMatch(
      /^promote needs CodeDeploy deployment d-\w+ to be waiting for approval, but it is not/m,
    );
    expect(requestsOf(s, 'ContinueDeployment')).toHaveLength(0);
  });
});

describe('ECS-native blue/green', () => {
  it('stops at the PAUSE hook after test traffic, then a promote step continues it to the shift', async () => {
    const s = await simulate(pausesAfterTestTraffic());
    const deploy = await runAction(s, { inputs: { ...DEPLOY, 'wait-until': 'ready' } });
    expect(deploy.code).toBe(0);
    expect(deploy.outputs['deployment-status']).toBe('ready');
    const arn = deploy.outputs['service-deployment-arn'];

    const promote = await runAction(s, { inputs: { promote: arn } });
    expect(promote.code).toBe(0);
    const [continued] = requestsOf(s, 'ContinueServiceDeployment');
    expect(continued.input).toMatchObject({ serviceDeploymentArn: arn, action: 'CONTINUE' });
    expect(promote.outputs).toMatchObject({ 'service-deployment-arn': arn, 'deployment-status': 'shifted' });
    expect(s.changes.some((c) => c.resource === arn && c.what === 'stage BAKE_TIME')).toBe(true);
  });

  it('an abort step rolls it back at the hook', async () => {
    const s = await simulate(pausesAfterTestTraffic());
    const deploy = await runAction(s, { inputs: { ...DEPLOY, 'wait-until': 'ready' } });
    const arn = deploy.outputs['service-deployment-arn'];
    const abort = await runAction(s, { inputs: { abort: arn } });
    expect(abort.code).toBe(0);
    expect(requestsOf(s, 'ContinueServiceDeployment')[0].input).toMatchObject({
      serviceDeploymentArn: arn,
      action: 'ROLLBACK',
    });
    expect(abort.outputs['deployment-status']).toBe('stopped');
    expect(abort.log).toContain('The rollback succeeded: production traffic is on web:1.');
    expect(abort.summary).toContain('**Aborted — rolled back in');
    expect(abort.summary).toContain('Production traffic: 100% back on the previous revision.');
  });
});
