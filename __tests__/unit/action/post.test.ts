/**
 * runPost() with mocked AWS clients and the real @actions/core, as the runner runs the post step: the
 * state the main step saved (STATE_inFlight), the calls made, and what the log says.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CodeDeployClient, GetDeploymentCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import {
  DescribeServiceDeploymentsCommand,
  ECSClient,
  StopServiceDeploymentCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import type { InFlightDeployment } from '../../../src/release/runtime.js';
import { captureStdout, FAKE_AWS_ENV } from '../../helpers/runner.js';

const { runPost } = await import('../../../src/action/post.js');

const ecs = mockClient(ECSClient);
const codeDeploy = mockClient(CodeDeployClient);
const ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc';
const savedEnv = { ...process.env };
let stdout: { text(): string };

function leftInFlight(deployment: InFlightDeployment | undefined): void {
  process.env.STATE_inFlight = deployment ? JSON.stringify(deployment) : '';
}

beforeEach(() => {
  Object.assign(process.env, FAKE_AWS_ENV);
  ecs.reset();
  codeDeploy.reset();
  stdout = captureStdout();
});

afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...savedEnv };
});

describe('runPost', () => {
  it('does nothing, and calls no AWS, when the main step left nothing in flight', async () => {
    leftInFlight(undefined);
    await runPost();
    expect(ecs.calls()).toHaveLength(0);
    expect(codeDeploy.calls()).toHaveLength(0);
    expect(stdout.text()).toBe('');
  });

  it('stops a service deployment the main step left running, with rollback, and warns', async () => {
    leftInFlight({ kind: 'ecs', serviceDeploymentArn: ARN, onCancel: 'rollback' });
    ecs.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [{ serviceDeploymentArn: ARN, status: 'IN_PROGRESS' }],
    });
    ecs.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: ARN });
    await runPost();
    expect(ecs.commandCalls(StopServiceDeploymentCommand).map((c) => c.args[0].input)).toEqual([
      { serviceDeploymentArn: ARN, stopType: 'ROLLBACK' },
    ]);
    expect(stdout.text()).toMatch(
      /::warning::The main step did not finish, so the post step stopped service deployment \S+ \(IN_PROGRESS\) with rollback/,
    );
  });

  it('leaves a CodeDeploy deployment running with on-cancel: leave, and says how to follow it', async () => {
    leftInFlight({ kind: 'codedeploy', deploymentId: 'd-ABCDEFGHI', onCancel: 'leave' });
    await runPost();
    expect(codeDeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
    expect(stdout.text()).toContain('Deployment d-ABCDEFGHI was left running (on-cancel: leave).');
  });

  it('says the deployment may still be running, and how to stop it, when it cannot be read', async () => {
    leftInFlight({ kind: 'codedeploy', deploymentId: 'd-ABCDEFGHI', onCancel: 'rollback' });
    codeDeploy
      .on(GetDeploymentCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));
    await runPost();
    expect(codeDeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
    expect(stdout.text()).toMatch(
      /::error::The post step could not read deployment d-ABCDEFGHI .*it may still be running/,
    );
    expect(stdout.text()).toContain(
      'aws deploy stop-deployment --deployment-id d-ABCDEFGHI --auto-rollback-enabled',
    );
  });
});
