import { describe, expect, it } from '@jest/globals';
import { runContinuation } from '../../../src/release/continuation.js';
import { scriptedCodeDeploy, succeededThrough } from '../../helpers/codedeploy-fake.js';
import { UserError } from '../../../src/text/errors.js';
import { fakeEcs, SERVICE, type TestContext, testContext } from '../../helpers/context.js';
import { strategyForDeployment } from '../../../src/release/strategies.js';
import type { Continuation } from '../../../src/settings/settings.js';

/** promote / abort as the engine runs it: the strategy chosen from the id, the step's wait policy. */
function continueWith(t: TestContext, continuation: Continuation) {
  const { strategy } = strategyForDeployment(continuation.target, t.settings, t.run);
  return runContinuation(t.ctx, strategy, continuation, t.wait);
}

describe('runContinuation (CodeDeploy)', () => {
  it('refuses to promote a deployment that is not waiting, changing nothing', async () => {
    const port = scriptedCodeDeploy([{ status: 'InProgress' }]);
    const t = testContext({ codeDeploy: port });
    await expect(continueWith(t, { action: 'promote', target: 'd-ABCDEFGHI' })).rejects.toThrow(
      'promote needs CodeDeploy deployment d-ABCDEFGHI to be waiting for approval, but it is not (status InProgress). Nothing was changed.',
    );
    expect(port.calls).not.toContain('ContinueDeployment');
  });

  it('saves the deployment for the post step before promoting it, then follows it to the shift', async () => {
    const port = scriptedCodeDeploy([
      { status: 'Ready' },
      { status: 'InProgress', events: succeededThrough('AfterAllowTraffic'), blue: 0, green: 100 },
    ]);
    const order: string[] = [];
    const t = testContext({ codeDeploy: port });
    t.ctx.rememberInFlight = (d) => order.push(d ? `save ${d.kind}` : 'clear');
    const continueDeployment = port.continueDeployment;
    port.continueDeployment = async (id, wait) => {
      order.push(`continue ${wait}`);
      return continueDeployment(id, wait);
    };
    const result = await continueWith(t, { action: 'promote', target: 'd-ABCDEFGHI' });
    expect(order).toEqual(['save codedeploy', 'continue READY_WAIT', 'clear']);
    expect(result.outcome).toBe('success');
  });

  it('aborts with rollback and says "rolled back" only once the rollback succeeded', async () => {
    const port = scriptedCodeDeploy([{ status: 'Ready' }]);
    let stopped = false;
    port.stopDeployment = async () => {
      stopped = true;
      return { status: 'Pending' };
    };
    port.getDeployment = async (id) =>
      id === 'd-RB0000001'
        ? { deploymentId: id, status: 'Succeeded' }
        : {
            deploymentId: id,
            status: stopped ? 'Stopped' : 'Ready',
            rollbackInfo: stopped ? { rollbackDeploymentId: 'd-RB0000001' } : undefined,
          };
    const t = testContext({ codeDeploy: port });
    const result = await continueWith(t, { action: 'abort', target: 'd-ABCDEFGHI' });
    expect(result).toMatchObject({
      outcome: 'success',
      status: 'aborted — rolled back',
      deploymentStatus: 'stopped',
    });
    expect(t.lines).toContainEqual(expect.stringMatching(/^Rollback d-RB0000001 succeeded: /));
  });
});

describe('runContinuation (CodeDeploy): once promoted, traffic moves', () => {
  it('keeps the deployment saved for the post step when reading its config fails after the promote', async () => {
    const port = scriptedCodeDeploy([{ status: 'Ready' }]);
    port.getDeploymentConfig = async () => {
      throw new UserError('CodeDeploy GetDeploymentConfig failed: not authorized');
    };
    const t = testContext({ codeDeploy: port });
    await expect(continueWith(t, { action: 'promote', target: 'd-ABCDEFGHI' })).rejects.toThrow(
      'GetDeploymentConfig failed',
    );
    expect(port.calls).toContain('ContinueDeployment');
    expect(t.inFlight.at(-1)).toEqual({
      kind: 'codedeploy',
      deploymentId: 'd-ABCDEFGHI',
      onCancel: 'rollback',
    });
    expect(t.lines).toContainEqual(
      expect.stringMatching(/^Promoted deployment d-ABCDEFGHI: production traffic moves/),
    );
  });

  it('says it stopped the deployment before following the rollback (which may take minutes)', async () => {
    const port = scriptedCodeDeploy([{ status: 'Ready' }]);
    let stopped = false;
    const linesWhenRollbackRead: string[][] = [];
    port.stopDeployment = async () => {
      stopped = true;
      return { status: 'Pending' };
    };
    const t = testContext({ codeDeploy: port });
    port.getDeployment = async (id) => {
      if (stopped) linesWhenRollbackRead.push([...t.lines]);
      return { deploymentId: id, status: stopped ? 'Stopped' : 'Ready' };
    };
    await continueWith(t, { action: 'abort', target: 'd-ABCDEFGHI' });
    expect(linesWhenRollbackRead[0]).toContainEqual(
      expect.stringMatching(/^Stopped deployment d-ABCDEFGHI with rollback/),
    );
  });
});

describe('runContinuation (ECS-native)', () => {
  const ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc';
  const waiting = {
    serviceDeploymentArn: ARN,
    status: 'IN_PROGRESS',
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    deploymentConfiguration: { strategy: 'BLUE_GREEN' },
    lifecycleHookDetails: [{ hookId: 'approve', status: 'AWAITING_ACTION' }],
  } as never;

  /** A service deployment that waits at its PAUSE hook until answered, then moves as told. */
  function pausedDeployment() {
    const answers: string[] = [];
    const order: string[] = [];
    const ecs = fakeEcs({
      describeServiceDeployment: async () => {
        const answer = answers.at(-1);
        if (answer === 'CONTINUE') {
          return { serviceDeploymentArn: ARN, status: 'SUCCESSFUL', lifecycleStage: 'BAKE_TIME' } as never;
        }
        if (answer === 'ROLLBACK')
          return { serviceDeploymentArn: ARN, status: 'ROLLBACK_SUCCESSFUL' } as never;
        return waiting;
      },
      continueServiceDeployment: async (_arn, hookId, action) => {
        order.push(`continue ${hookId} ${action}`);
        answers.push(action);
      },
      describeService: async () => {
        order.push('read where the service is');
        return SERVICE;
      },
    });
    return { ecs, answers, order };
  }

  it('promotes through the waiting hook, saved for the post step first, and follows it to the shift', async () => {
    const { ecs, order } = pausedDeployment();
    const t = testContext({ ecs });
    t.ctx.rememberInFlight = (d) => order.push(d ? `save ${d.kind}` : 'clear');
    const result = await continueWith(t, { action: 'promote', target: ARN });
    expect(order.filter((step) => !step.startsWith('read'))).toEqual([
      'save ecs',
      'continue approve CONTINUE',
      'clear',
    ]);
    expect(result).toMatchObject({ outcome: 'success', deploymentStatus: 'succeeded', deploymentId: ARN });
    expect(t.outputs['service-deployment-arn']).toBe(ARN);
    expect(t.lines).toContainEqual(
      expect.stringMatching(
        /^Promoted service deployment arn:\S+: production traffic moves to the new revision\./,
      ),
    );
  });

  it('aborts by answering the hook with ROLLBACK and reports where the service ended up', async () => {
    const { ecs, order } = pausedDeployment();
    const t = testContext({ ecs });
    t.ctx.info = (line) => order.push(`log ${line.slice(0, 30)}`);
    const result = await continueWith(t, { action: 'abort', target: ARN });
    expect(order).toEqual([
      'continue approve ROLLBACK',
      'log Asked ECS to roll back service',
      'read where the service is',
      'log The rollback succeeded: the se',
    ]);
    expect(result).toMatchObject({ outcome: 'success', status: 'aborted — rolled back' });
  });

  it('refuses one that is not waiting at a hook, changing nothing', async () => {
    const ecs = fakeEcs({
      describeServiceDeployment: async () => ({ serviceDeploymentArn: ARN, status: 'IN_PROGRESS' }) as never,
    });
    const t = testContext({ ecs });
    await expect(continueWith(t, { action: 'promote', target: ARN })).rejects.toThrow(
      `promote needs ECS service deployment ${ARN} to be waiting for approval, but it is not (status IN_PROGRESS). Nothing was changed.`,
    );
    expect(ecs.calls).not.toContain('ContinueServiceDeployment');
  });
});
