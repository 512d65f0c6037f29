import { describe, expect, it } from '@jest/globals';
import { followDeployment } from '../../../src/release/follow.js';
import type { Stopper } from '../../../src/release/interrupted.js';
import type { LiveDeployment, WatchEnd } from '../../../src/release/strategy.js';
import { UserError } from '../../../src/text/errors.js';
import { testContext } from '../../helpers/context.js';

/** A live deployment whose watch ends as told (or throws), recording what the follow-up asks of it. */
function live(end: WatchEnd | Error) {
  const asked: string[] = [];
  const stopper: Stopper = {
    stopOrLeave: async (setting, because) => {
      asked.push(`${setting}: ${because}`);
      return { kind: 'stopped', line: `Stopped deployment d-1 because ${because}.` };
    },
    confirmRollback: async () => ({ state: 'succeeded', line: 'Rollback succeeded.' }),
  };
  const deployment: LiveDeployment = {
    id: 'd-1',
    url: 'https://console/d-1',
    subject: 'deployment d-1',
    deploymentConfig: 'CodeDeployDefault.ECSAllAtOnce',
    inFlight: (onCancel) => ({ kind: 'codedeploy', deploymentId: 'd-1', onCancel }),
    stopper: () => stopper,
    watch: async (until, deadline) => {
      asked.push(`watch to ${until} by ${deadline}`);
      if (end instanceof Error) throw end;
      return end;
    },
  };
  return { deployment, asked };
}

describe('followDeployment', () => {
  it('with wait-for-service-stability false: does not watch, forgets the in-flight state, says started', async () => {
    const t = testContext({ settings: { wait: { follow: false } } });
    const { deployment, asked } = live({ kind: 'deadline' });
    const result = await followDeployment(t.ctx, deployment, t.wait);
    expect(asked).toEqual([]);
    expect(t.inFlight).toEqual([undefined]);
    expect(result).toEqual({
      deploymentId: 'd-1',
      deploymentUrl: 'https://console/d-1',
      deploymentConfig: 'CodeDeployDefault.ECSAllAtOnce',
      outcome: 'started',
      status: 'started (not waiting)',
      deploymentStatus: 'started',
    });
  });

  it('watches to the wait target by the one deadline; reached: the path result, nothing left in flight', async () => {
    const t = testContext({ settings: { wait: { until: 'ready' } } });
    const reached = { outcome: 'success', status: 'ready', deploymentStatus: 'ready' } as const;
    const { deployment, asked } = live({ kind: 'reached', result: reached });
    const result = await followDeployment(t.ctx, deployment, t.wait);
    expect(asked).toEqual([`watch to ready by ${t.wait.deadline}`]);
    expect(result).toMatchObject({ deploymentId: 'd-1', ...reached });
    expect(t.inFlight).toEqual([undefined]);
  });

  it('failed: the path describes it (its rollback already followed), nothing left in flight', async () => {
    const t = testContext();
    const failure = { headline: 'Deployment d-1 failed at AfterAllowTraffic', details: [] };
    const { deployment } = live({
      kind: 'failed',
      describe: async () => ({ outcome: 'failure', status: 'Failed', deploymentStatus: 'failed', failure }),
    });
    const result = await followDeployment(t.ctx, deployment, t.wait);
    expect(result).toMatchObject({ deploymentStatus: 'failed', failure });
    expect(t.inFlight).toEqual([undefined]);
  });

  it('a watch that cannot go on: stops it as on-timeout says and keeps the reason and its hint', async () => {
    const t = testContext();
    const error = new UserError('CodeDeploy GetDeploymentTarget failed: expired', ['Refresh the session.']);
    const { deployment, asked } = live(error);
    const result = await followDeployment(t.ctx, deployment, t.wait);
    expect(asked.at(-1)).toBe('rollback: the watch could not continue');
    expect(result).toMatchObject({ status: 'watch failed — rollback started', deploymentStatus: 'failed' });
    expect(result.failure?.headline).toBe(
      'Stopped following deployment d-1: CodeDeploy GetDeploymentTarget failed: expired',
    );
    expect(result.failure?.details[0]).toBe('Refresh the session.');
  });

  it("a cancel: stops it in the front end's words", async () => {
    const t = testContext();
    const { deployment, asked } = live({ kind: 'cancelled' });
    const result = await followDeployment(t.ctx, deployment, t.wait);
    expect(asked.at(-1)).toBe('rollback: the workflow was cancelled');
    expect(result.failure?.headline).toBe('The workflow was cancelled while deployment d-1 was in progress.');
  });
});
