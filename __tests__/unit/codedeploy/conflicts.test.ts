import { describe, expect, it } from '@jest/globals';
import { DeploymentLimitExceededError } from '../../../src/aws/codedeploy.js';

import type { OnConflict } from '../../../src/settings/settings.js';
import { scriptedCodeDeploy, succeededThrough } from '../../helpers/codedeploy-fake.js';
import { planRelease, testContext } from '../../helpers/context.js';

const NEW_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';

/** A group where d-OLD stays active for `busyRounds` ListDeployments calls. */
function busyGroup(busyRounds: number) {
  const port = scriptedCodeDeploy([
    { status: 'InProgress', events: succeededThrough('AfterAllowTraffic'), green: 100, blue: 0 },
  ]);
  port.getDeploymentGroup = async () => ({ ecsServices: [{ clusterName: 'prod', serviceName: 'web' }] });
  let rounds = 0;
  port.listActiveDeployments = async () => {
    port.calls.push('ListDeployments');
    return rounds++ < busyRounds ? ['d-OLD'] : [];
  };
  return port;
}

async function deploy(
  port: ReturnType<typeof scriptedCodeDeploy>,
  onConflict: OnConflict,
  waitForMinutes = 30,
) {
  const t = testContext({
    codeDeploy: port,
    settings: { codeDeploy: { onConflict }, wait: { minutes: waitForMinutes } },
  });
  const plan = await planRelease(t);
  return { ...t, result: plan.release(NEW_ARN) };
}

describe('on-conflict', () => {
  it('wait: names the deployment ahead, waits for it, then creates exactly one deployment', async () => {
    const port = busyGroup(3);
    const { result, events } = await deploy(port, 'wait');
    expect((await result).outcome).toBe('success');
    const notes = events.filter((e) => e.type === 'note');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ message: expect.stringContaining('Waiting for deployment d-OLD') });
    expect(port.calls.filter((c) => c === 'ListDeployments')).toHaveLength(4);
    expect(port.calls.filter((c) => c === 'CreateDeployment')).toHaveLength(1);
    expect(port.calls.indexOf('CreateDeployment')).toBeGreaterThan(port.calls.lastIndexOf('ListDeployments'));
  });

  it('stop: stops the earlier deployment with rollback before creating ours', async () => {
    const port = busyGroup(2);
    const { result } = await deploy(port, 'stop');
    await result;
    expect(port.stopped[0]).toEqual({ id: 'd-OLD', rollback: true });
    expect(port.calls.indexOf('StopDeployment')).toBeLessThan(port.calls.indexOf('CreateDeployment'));
  });

  it('fail: fails while planning (before anything is registered), naming the active deployment', async () => {
    const port = busyGroup(99);
    const t = testContext({ codeDeploy: port, settings: { codeDeploy: { onConflict: 'fail' } } });
    await expect(planRelease(t)).rejects.toThrow(
      /already has an active deployment: d-OLD .*on-conflict is "fail", so nothing was changed/,
    );
    expect(port.calls).not.toContain('CreateDeployment');
  });

  it('fail: also refuses a deployment that slipped in between planning and creating', async () => {
    const port = busyGroup(99);
    let planning = true;
    const list = port.listActiveDeployments;
    port.listActiveDeployments = async (...args) => (planning ? [] : list(...args));
    const t = testContext({ codeDeploy: port, settings: { codeDeploy: { onConflict: 'fail' } } });
    const plan = await planRelease(t);
    planning = false;
    await expect(plan.release(NEW_ARN)).rejects.toThrow(/already has an active deployment: d-OLD/);
    expect(port.calls).not.toContain('CreateDeployment');
  });

  it('wait: gives up at the deadline without creating a deployment', async () => {
    const port = busyGroup(Number.POSITIVE_INFINITY);
    const { result } = await deploy(port, 'wait', 1);
    await expect(result).rejects.toThrow(
      /still busy with d-OLD .* at the wait-for-minutes deadline; no deployment was created/,
    );
    expect(port.calls).not.toContain('CreateDeployment');
  });

  it('queues again when a deployment slips in between the check and CreateDeployment', async () => {
    const port = busyGroup(0);
    const create = port.createDeployment;
    let first = true;
    port.createDeployment = async (request) => {
      if (first) {
        first = false;
        port.calls.push('CreateDeployment(refused)');
        throw new DeploymentLimitExceededError("already has an active Deployment 'd-RACE'", [], 'd-RACE');
      }
      return create(request);
    };
    const { result, lines } = await deploy(port, 'wait');
    expect((await result).deploymentId).toBe('d-TEST12345');
    expect(lines).toContain('Another deployment (d-RACE) started in the group just before ours.');
  });
});
