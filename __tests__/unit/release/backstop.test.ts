import { describe, expect, it } from '@jest/globals';
import { awsUserError } from '../../../src/aws/errors.js';
import type { Service } from '../../../src/aws/ports.js';
import { type BackstopHost, stopWhatWasLeft } from '../../../src/release/backstop.js';
import type { InFlightDeployment } from '../../../src/release/runtime.js';
import { scriptedCodeDeploy } from '../../helpers/codedeploy-fake.js';
import { fakeEcs, SERVICE } from '../../helpers/context.js';
import { fakeClock } from '../../helpers/fake-clock.js';

const NEW_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';
const SD_ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc';

function host(overrides: Partial<BackstopHost> = {}) {
  const logged: { info: string[]; warning: string[]; error: string[] } = { info: [], warning: [], error: [] };
  const h: BackstopHost = {
    ecs: fakeEcs(),
    codeDeploy: scriptedCodeDeploy([{ status: 'InProgress' }]),
    region: 'us-east-1',
    clock: fakeClock(),
    info: (line) => logged.info.push(line),
    warning: (line) => logged.warning.push(line),
    error: (line) => logged.error.push(line),
    ...overrides,
  };
  return { h, logged };
}

const requested: InFlightDeployment = {
  kind: 'codedeploy-requested',
  application: 'AppECS-prod-web',
  deploymentGroup: 'DgpECS-prod-web',
  token: 'tok123',
  requestedAt: Date.UTC(2026, 10, 23, 12, 0, 0),
  onCancel: 'rollback',
};

describe('stopWhatWasLeft (the post step)', () => {
  it('finds the deployment an unanswered CreateDeployment started, by its token, and stops it with rollback', async () => {
    const codeDeploy = scriptedCodeDeploy([{ status: 'InProgress' }]);
    codeDeploy.listDeploymentsSince = async () => ['d-OURS00000', 'd-OTHER0000'];
    codeDeploy.getDeployment = async (id) => ({
      deploymentId: id,
      status: 'InProgress',
      description: id === 'd-OURS00000' ? 'Deployed by ecs-shift [ecs-shift:tok123]' : 'someone else',
    });
    const { h, logged } = host({ codeDeploy });
    await stopWhatWasLeft(h, requested);
    expect(codeDeploy.stopped).toEqual([{ id: 'd-OURS00000', rollback: true }]);
    expect(logged.warning[0]).toMatch(
      /^The main step did not finish, so the post step stopped deployment d-OURS00000 \(InProgress\) with rollback/,
    );
  });

  it('says nothing was started when no deployment carries the token', async () => {
    const codeDeploy = scriptedCodeDeploy([{ status: 'InProgress' }]);
    codeDeploy.listDeploymentsSince = async () => ['d-OTHER0000'];
    const { h, logged } = host({ codeDeploy });
    await stopWhatWasLeft(h, requested);
    expect(codeDeploy.stopped).toEqual([]);
    expect(logged.info).toEqual([
      'The main step was stopped while its CreateDeployment request was unanswered; no deployment carrying [ecs-shift:tok123] is in deployment group "DgpECS-prod-web": nothing to stop.',
    ]);
  });

  it('finds the service deployment an unanswered UpdateService started and stops it', async () => {
    const withOurs: Service = { ...SERVICE, deployments: [{ taskDefinition: NEW_ARN, status: 'PRIMARY' }] };
    const ecs = fakeEcs({
      describeService: async () => withOurs,
      listServiceDeployments: async () => [
        { serviceDeploymentArn: SD_ARN, status: 'IN_PROGRESS', createdAt: new Date() },
      ],
      describeServiceDeployment: async () => ({ serviceDeploymentArn: SD_ARN, status: 'IN_PROGRESS' }),
    });
    const { h, logged } = host({ ecs });
    await stopWhatWasLeft(h, {
      kind: 'ecs-requested',
      cluster: 'prod',
      service: 'web',
      taskDefinitionArn: NEW_ARN,
      requestedAt: Date.now(),
      onCancel: 'rollback',
    });
    expect(ecs.calls).toContain('StopServiceDeployment');
    expect(logged.warning[0]).toContain(`stopped service deployment ${SD_ARN} (IN_PROGRESS) with rollback`);
  });

  it('stops nothing when the UpdateService never took effect', async () => {
    const ecs = fakeEcs();
    const { h, logged } = host({ ecs });
    await stopWhatWasLeft(h, {
      kind: 'ecs-requested',
      cluster: 'prod',
      service: 'web',
      taskDefinitionArn: NEW_ARN,
      requestedAt: Date.now(),
      onCancel: 'rollback',
    });
    expect(ecs.calls).not.toContain('StopServiceDeployment');
    expect(logged.info[0]).toContain(`service "web" has no active deployment of ${NEW_ARN}: nothing to stop`);
  });

  it('says loudly that the deployment is still running, with the command, when the stop fails', async () => {
    const codeDeploy = scriptedCodeDeploy([{ status: 'InProgress' }]);
    codeDeploy.stopDeployment = async () => {
      throw awsUserError(
        'CodeDeploy',
        'StopDeployment',
        Object.assign(new Error('User is not authorized to perform: codedeploy:StopDeployment'), {
          name: 'AccessDeniedException',
        }),
      );
    };
    const { h, logged } = host({ codeDeploy });
    await stopWhatWasLeft(h, { kind: 'codedeploy', deploymentId: 'd-LIVE00000', onCancel: 'rollback' });
    expect(logged.error).toHaveLength(1);
    expect(logged.error[0]).toMatch(
      /^Deployment d-LIVE00000 IS STILL RUNNING: ecs-shift could not stop it .*\nThe AWS credentials in use are not allowed to call codedeploy:StopDeployment/,
    );
    expect(logged.error[0]).toContain(
      'Stop it now: aws deploy stop-deployment --deployment-id d-LIVE00000 --auto-rollback-enabled',
    );
    expect(logged.error[0]).not.toMatch(/re-run/i);
  });

  it('leaves it running with on-cancel: leave, and says how to follow it', async () => {
    const codeDeploy = scriptedCodeDeploy([{ status: 'InProgress' }]);
    const { h, logged } = host({ codeDeploy });
    await stopWhatWasLeft(h, { kind: 'codedeploy', deploymentId: 'd-LIVE00000', onCancel: 'leave' });
    expect(codeDeploy.stopped).toEqual([]);
    expect(logged.info[0]).toContain('aws deploy get-deployment --deployment-id d-LIVE00000');
  });

  it('says the deployment may be running when the UpdateService took but ECS never lists its deployment', async () => {
    const withOurs: Service = { ...SERVICE, deployments: [{ taskDefinition: NEW_ARN, status: 'PRIMARY' }] };
    const ecs = fakeEcs({ describeService: async () => withOurs, listServiceDeployments: async () => [] });
    const { h, logged } = host({ ecs });
    await stopWhatWasLeft(h, {
      kind: 'ecs-requested',
      cluster: 'prod',
      service: 'web',
      taskDefinitionArn: NEW_ARN,
      requestedAt: Date.now(),
      onCancel: 'rollback',
    });
    expect(logged.info).toEqual([]);
    expect(logged.error[0]).toMatch(
      /UpdateService took effect, but ECS listed no service deployment .* it may be running/,
    );
    expect(logged.error[0]).toContain('aws ecs list-service-deployments --cluster prod --service web');
  });

  it('does not claim a stop when the deployment ended just before it', async () => {
    const codeDeploy = scriptedCodeDeploy([{ status: 'InProgress' }]);
    codeDeploy.stopDeployment = async () => undefined;
    const { h, logged } = host({ codeDeploy });
    await stopWhatWasLeft(h, { kind: 'codedeploy', deploymentId: 'd-LIVE00000', onCancel: 'rollback' });
    expect(logged.warning).toEqual([]);
    expect(logged.info).toEqual([
      'Deployment d-LIVE00000 ended before the post step could stop it; nothing to stop.',
    ]);
  });
});
