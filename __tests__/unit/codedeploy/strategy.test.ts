import { describe, expect, it } from '@jest/globals';
import { defaultDescription, planCodeDeploy } from '../../../src/codedeploy/strategy.js';
import { codeDeploySlice } from '../../../src/release/strategies.js';
import { awsUserError } from '../../../src/aws/errors.js';
import { UserError } from '../../../src/text/errors.js';
import { type Phase, scriptedCodeDeploy, succeededThrough } from '../../helpers/codedeploy-fake.js';
import {
  SERVICE,
  type SettingsOverrides,
  TASK_DEFINITION,
  fakeEcs,
  planRelease,
  testContext,
} from '../../helpers/context.js';

const NEW_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';
const GROUP = {
  ecsServices: [{ clusterName: 'prod', serviceName: 'web' }],
  deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
};

function groupPort(group: object = GROUP, phases: Phase[] = [{ status: 'InProgress' }]) {
  const port = scriptedCodeDeploy(phases);
  port.getDeploymentGroup = async () => group;
  return port;
}

/** The CodeDeploy plan, through the slice the engine hands the strategy. */
function planIn(t: ReturnType<typeof testContext>) {
  return planCodeDeploy(t.ctx, codeDeploySlice(t.settings, t.run), {
    service: SERVICE,
    taskDefinition: TASK_DEFINITION,
  });
}

describe('CodeDeploy strategy: plan', () => {
  it('generates the AppSpec from the service and keeps the group config', async () => {
    const t = testContext({ codeDeploy: groupPort() });
    const plan = await planIn(t);
    expect(plan.deploymentConfig).toBe('CodeDeployDefault.ECSAllAtOnce');
    expect(JSON.stringify(plan.appSpec)).toContain('"ContainerName":"app"');
  });

  it('rejects a group bound to another service, naming both', async () => {
    const t = testContext({
      codeDeploy: groupPort({ ecsServices: [{ clusterName: 'prod', serviceName: 'api' }] }),
    });
    await expect(planIn(t)).rejects.toThrow(
      'CodeDeploy deployment group "DgpECS-prod-web" (application "AppECS-prod-web") deploys prod/api, not prod/web.',
    );
  });

  it('accepts a cluster given as an ARN', async () => {
    const t = testContext({
      codeDeploy: groupPort(),
      settings: { target: { cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod' } },
    });
    await expect(planIn(t)).resolves.toBeDefined();
  });

  it('refuses wait-until ready when the group reroutes traffic without waiting', async () => {
    const t = testContext({ codeDeploy: groupPort(), settings: { wait: { until: 'ready' } } });
    await expect(planIn(t)).rejects.toThrow(/wait-until: ready .* reroutes traffic immediately/);
  });

  it('checks an explicit deployment config exists before anything changes', async () => {
    const port = groupPort();
    port.getDeploymentConfig = async () => {
      throw new UserError('codedeploy-deployment-config: "Nope" does not exist.');
    };
    const t = testContext({ codeDeploy: port, settings: { codeDeploy: { deploymentConfig: 'Nope' } } });
    await expect(planIn(t)).rejects.toThrow('"Nope" does not exist');
    expect(port.calls).not.toContain('CreateDeployment');
  });

  it('rejects an AppSpec whose container is not in the task definition', async () => {
    const appSpec = [
      'version: 0.0',
      'Resources:',
      '  - TargetService:',
      '      Type: AWS::ECS::Service',
      '      Properties:',
      '        TaskDefinition: placeholder',
      '        LoadBalancerInfo:',
      '          ContainerName: api',
      '          ContainerPort: 8080',
    ].join('\n');
    await expect(
      planIn(
        testContext({
          codeDeploy: groupPort(),
          settings: { codeDeploy: { appSpec: { kind: 'inline', content: appSpec } } },
        }),
      ),
    ).rejects.toThrow(/api/);
  });
});

describe('CodeDeploy strategy: start and follow', () => {
  async function plan(port: ReturnType<typeof scriptedCodeDeploy>, settings: SettingsOverrides = {}) {
    const t = testContext({ codeDeploy: port, settings });
    return { ...t, plan: await planRelease(t) };
  }

  it('sends the AppSpec with the new ARN and its sha256, and sets outputs before watching', async () => {
    const port = groupPort(GROUP, [
      { status: 'InProgress', events: succeededThrough('AfterAllowTraffic'), green: 100, blue: 0 },
    ]);
    let request: Parameters<typeof port.createDeployment>[0] | undefined;
    const create = port.createDeployment;
    port.createDeployment = async (r) => {
      request = r;
      return create(r);
    };
    const { plan: p, outputs, outputOrder } = await plan(port);
    const result = await p.release(NEW_ARN);
    const content = request?.revision.appSpecContent?.content ?? '';
    expect(content).toContain(NEW_ARN);
    expect(request?.revision.appSpecContent?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(request?.description).toBe(
      'Deployed by ecs-shift from acme/web@0123456 run https://github.com/acme/web/actions/runs/42 [ecs-shift:tok123]',
    );
    expect(outputs['codedeploy-deployment-id']).toBe('d-TEST12345');
    expect(outputs['deployment-url']).toContain('d-TEST12345');
    expect(outputOrder.slice(0, 2)).toEqual(['codedeploy-deployment-id', 'deployment-url']);
    expect(result).toMatchObject({ outcome: 'success', deploymentStatus: 'shifted' });
  });

  it('returns at once with wait-for-service-stability false', async () => {
    const port = groupPort();
    const { plan: p } = await plan(port, { wait: { follow: false } });
    const result = await p.release(NEW_ARN);
    expect(result).toMatchObject({ outcome: 'started', deploymentStatus: 'started' });
    expect(port.calls).not.toContain('GetDeploymentTarget');
  });

  it('stops with rollback at the deadline and says so', async () => {
    const port = groupPort(GROUP, [
      {
        status: 'InProgress',
        events: succeededThrough('Install', { AfterInstall: 'InProgress' }),
        green: 0,
        blue: 100,
      },
    ]);
    const { plan: p } = await plan(port, { wait: { minutes: 2 } });
    const result = await p.release(NEW_ARN);
    expect(port.stopped).toEqual([{ id: 'd-TEST12345', rollback: true }]);
    expect(result).toMatchObject({ outcome: 'failure', deploymentStatus: 'timed-out' });
    expect(result.failure?.headline).toBe(
      'Deployment d-TEST12345 did not reach "shifted" within wait-for-minutes (2m00s).',
    );
    expect(result.failure?.details[0]).toMatch(
      /^Stopped deployment d-TEST12345 with rollback because the 2m00s deadline/,
    );
  });

  it('follows the rollback it started to its end, and says where production traffic is', async () => {
    const port = groupPort(GROUP, [{ status: 'InProgress' }]);
    let stopped = false;
    const stop = port.stopDeployment;
    port.stopDeployment = async (id, rollback) => {
      stopped = true;
      return stop(id, rollback);
    };
    port.getDeployment = async (id) =>
      id === 'd-RB0000001'
        ? { deploymentId: id, status: 'Succeeded' }
        : stopped
          ? { deploymentId: id, status: 'Stopped', rollbackInfo: { rollbackDeploymentId: 'd-RB0000001' } }
          : { deploymentId: id, status: 'InProgress' };
    const ecs = fakeEcs({
      describeService: async () => ({
        ...SERVICE,
        taskSets: [
          { status: 'PRIMARY', taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1' },
        ],
      }),
    });
    const t = testContext({ codeDeploy: port, ecs, settings: { wait: { minutes: 1 } } });
    const p = await planRelease(t);
    const result = await p.release(NEW_ARN);
    expect(result.status).toBe('timed out — rolled back');
    expect(result.failure?.details).toContain(
      'Rollback d-RB0000001 succeeded: production traffic is on web:1 (the previous revision).',
    );
  });

  it('says the deployment is still running, and how to stop it, when the stop keeps failing', async () => {
    const port = groupPort(GROUP, [{ status: 'InProgress' }]);
    port.stopDeployment = async () => {
      throw awsUserError(
        'CodeDeploy',
        'StopDeployment',
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
      );
    };
    const t = testContext({ codeDeploy: port, settings: { wait: { minutes: 1 } } });
    const p = await planRelease(t);
    const result = await p.release(NEW_ARN);
    expect(result).toMatchObject({
      outcome: 'failure',
      deploymentStatus: 'timed-out',
      status: 'timed out — STILL RUNNING (the stop failed)',
    });
    // The headline still says what happened; the details say what is live and what to run.
    expect(result.failure?.headline).toBe(
      'Deployment d-TEST12345 did not reach "shifted" within wait-for-minutes (1m00s).',
    );
    const details = result.failure?.details.join('\n') ?? '';
    expect(details).toMatch(
      /^Deployment d-TEST12345 IS STILL RUNNING: ecs-shift could not stop it \(CodeDeploy StopDeployment failed: Rate exceeded/,
    );
    expect(details).toContain(
      'Stop it now: aws deploy stop-deployment --deployment-id d-TEST12345 --auto-rollback-enabled',
    );
    expect(details).not.toMatch(/re-run/i);
    // Retried within its budget, then the saved state is kept for the post step.
    expect(t.lines.filter((l) => l.startsWith('The stop request failed')).length).toBeGreaterThan(1);
    expect(t.inFlight.at(-1)).toEqual({
      kind: 'codedeploy',
      deploymentId: 'd-TEST12345',
      onCancel: 'rollback',
    });
  });

  it('leaves the deployment running at the deadline with on-timeout leave', async () => {
    const port = groupPort(GROUP, [{ status: 'InProgress' }]);
    const { plan: p, inFlight } = await plan(port, { wait: { minutes: 1, onTimeout: 'leave' } });
    const result = await p.release(NEW_ARN);
    expect(port.stopped).toEqual([]);
    expect(result.failure?.details[0]).toContain('Left deployment d-TEST12345 running as asked');
    expect(inFlight.at(-1)).toBeUndefined();
  });

  it('stops with rollback when cancelled, and clears the in-flight state', async () => {
    const controller = new AbortController();
    const port = groupPort(GROUP, [{ status: 'InProgress' }]);
    const t = testContext({ codeDeploy: port, signal: controller.signal });
    const p = await planRelease(t);
    t.ctx.onEvent = () => controller.abort();
    const result = await p.release(NEW_ARN);
    expect(port.stopped).toEqual([{ id: 'd-TEST12345', rollback: true }]);
    expect(result.deploymentStatus).toBe('cancelled');
    // Saved before CreateDeployment (the token), then once its answer named the deployment.
    expect(t.inFlight[0]).toMatchObject({
      kind: 'codedeploy-requested',
      token: 'tok123',
      onCancel: 'rollback',
    });
    expect(t.inFlight[1]).toEqual({ kind: 'codedeploy', deploymentId: 'd-TEST12345', onCancel: 'rollback' });
    expect(t.inFlight.at(-1)).toBeUndefined();
  });

  it('explains a failed hook with its diagnostic and the stopped tasks', async () => {
    const port = groupPort(GROUP, [
      {
        status: 'Failed',
        events: succeededThrough('AllowTraffic', { AfterAllowTraffic: 'Failed' }),
        green: 100,
        blue: 0,
      },
    ]);
    const getTarget = port.getDeploymentTarget;
    port.getDeploymentTarget = async (...args) => {
      const t = await getTarget(...args);
      const event = t.ecsTarget?.lifecycleEvents?.find((e) => e.lifecycleEventName === 'AfterAllowTraffic');
      if (event)
        event.diagnostics = {
          errorCode: 'ScriptFailed',
          message: 'smoke test: GET /health returned 503',
          logTail: 'curl: 503',
        };
      return t;
    };
    const ecs = fakeEcs({
      listStoppedTasks: async () => [
        {
          taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc',
          taskDefinitionArn: NEW_ARN,
          stoppedReason: 'Essential container in task exited',
          stopCode: 'EssentialContainerExited',
          containers: [{ name: 'app', exitCode: 1, reason: 'boom' }],
        },
      ],
    });
    const t = testContext({ codeDeploy: port, ecs });
    const p = await planRelease(t);
    const result = await p.release(NEW_ARN);
    expect(result.outcome).toBe('failure');
    const text = [result.failure?.headline, ...(result.failure?.details ?? [])].join('\n');
    expect(text).toContain('AfterAllowTraffic');
    expect(text).toContain('smoke test: GET /health returned 503');
    expect(text).toContain('Essential container in task exited');
    expect(text).not.toMatch(/undefined|\[object Object\]/);
  });
});

describe('defaultDescription', () => {
  it("stays within CodeDeploy's limit", () => {
    expect(
      defaultDescription({
        serverUrl: 'https://github.com',
        repository: `acme/${'x'.repeat(600)}`,
        runId: '1',
      }).length,
    ).toBe(512);
  });
  it('says where the deployment came from even outside GitHub', () => {
    expect(defaultDescription({ serverUrl: 'https://github.com' })).toBe('Deployed by ecs-shift');
  });
});

describe('one deadline for the whole step', () => {
  it('a deployment gets what is left of wait-for-minutes, not the whole of it again', async () => {
    const port = groupPort(GROUP, [{ status: 'InProgress' }]);
    const t = testContext({ codeDeploy: port, settings: { wait: { minutes: 30 } } });
    const p = await planRelease(t);
    // A one-off task (or a wait for the group) used 29 of the 30 minutes before the deployment.
    t.clock.advance(29 * 60_000);
    let stoppedAt = 0;
    const stop = port.stopDeployment;
    port.stopDeployment = async (id, rollback) => {
      stoppedAt = t.clock.now();
      return stop(id, rollback);
    };
    const result = await p.release(NEW_ARN);
    expect(result.deploymentStatus).toBe('timed-out');
    expect(stoppedAt - t.wait.deadline).toBeLessThan(60_000);
    expect(stoppedAt).toBeGreaterThanOrEqual(t.wait.deadline);
  });
});
