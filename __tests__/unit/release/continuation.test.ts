import { describe, expect, it } from '@jest/globals';
import { runContinuation } from '../../../src/release/continuation.js';
import { scriptedCodeDeploy, succeededThrough } from '../../helpers/codedeploy-fake.js';
import { type TestContext, testContext } from '../../helpers/context.js';
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
