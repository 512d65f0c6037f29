import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  ApplicationDoesNotExistException,
  CodeDeployClient,
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  DeploymentAlreadyCompletedException,
  DeploymentConfigDoesNotExistException,
  DeploymentDoesNotExistException,
  DeploymentGroupDoesNotExistException,
  DeploymentLimitExceededException,
  DeploymentNotStartedException,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  InvalidRevisionException,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
  ThrottlingException,
} from '@aws-sdk/client-codedeploy';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import {
  ACTIVE_DEPLOYMENT_STATUSES,
  DeploymentLimitExceededError,
  createCodeDeployPort,
  isDeploymentLimitExceeded,
} from '../../../src/aws/codedeploy.js';
import { isAwsErrorNamed, isTransient } from '../../../src/aws/errors.js';
import type { CodeDeployPort } from '../../../src/aws/ports.js';
import { UserError } from '../../../src/text/errors.js';

const $metadata = { httpStatusCode: 400, attempts: 1 };

beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

let client: CodeDeployClient;
let cd: AwsClientStub<CodeDeployClient>;
let port: CodeDeployPort;

beforeEach(() => {
  client = new CodeDeployClient({ region: 'us-west-2' });
  cd = mockClient(client);
  port = createCodeDeployPort(client);
});

function textOf(error: UserError): string {
  return [error.message, ...error.details].join('\n');
}

async function failureOf(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected the call to fail');
}

const appMissing = () =>
  new ApplicationDoesNotExistException({
    message: 'No application found for name: AppECS-prod-web',
    $metadata,
  });
const groupMissing = () =>
  new DeploymentGroupDoesNotExistException({
    message: 'No Deployment Group found for name: DgpECS-prod-web',
    $metadata,
  });
const configMissing = () =>
  new DeploymentConfigDoesNotExistException({
    message: 'No deployment configuration found for name: Custom',
    $metadata,
  });

describe('getDeploymentGroup', () => {
  it('sends GetDeploymentGroup and returns the group info', async () => {
    cd.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: { deploymentGroupName: 'DgpECS-prod-web', computePlatform: 'ECS' },
    });
    await expect(port.getDeploymentGroup('AppECS-prod-web', 'DgpECS-prod-web')).resolves.toEqual({
      deploymentGroupName: 'DgpECS-prod-web',
      computePlatform: 'ECS',
    });
    expect(cd.commandCalls(GetDeploymentGroupCommand)[0].args[0].input).toEqual({
      applicationName: 'AppECS-prod-web',
      deploymentGroupName: 'DgpECS-prod-web',
    });
  });

  it('missing application: names it, the region, and `codedeploy-application`', async () => {
    const original = appMissing();
    cd.on(GetDeploymentGroupCommand).rejects(original);
    const error = await failureOf(port.getDeploymentGroup('AppECS-prod-web', 'DgpECS-prod-web'));
    expect(error.message).toBe(
      'CodeDeploy application "AppECS-prod-web" does not exist in us-west-2. Create it (compute platform ECS) ' +
        'or set `codedeploy-application` to the application that deploys this service.',
    );
    expect(error.cause).toBe(original);
    expect(isAwsErrorNamed(error, 'ApplicationDoesNotExistException')).toBe(true);
  });

  it('missing deployment group: names application, group, region and `codedeploy-deployment-group`', async () => {
    cd.on(GetDeploymentGroupCommand).rejects(groupMissing());
    const error = await failureOf(port.getDeploymentGroup('AppECS-prod-web', 'DgpECS-prod-web'));
    expect(error.message).toBe(
      'CodeDeploy deployment group "DgpECS-prod-web" does not exist in application "AppECS-prod-web" (us-west-2). ' +
        'Create it for the service or set `codedeploy-deployment-group` to the group that deploys this service.',
    );
  });

  it('access denied: names codedeploy:GetDeploymentGroup', async () => {
    cd.on(GetDeploymentGroupCommand).rejects({
      name: 'AccessDeniedException',
      message: 'Access denied',
      $metadata,
    });
    const error = await failureOf(port.getDeploymentGroup('a', 'g'));
    expect(error.message).toBe(
      'CodeDeploy GetDeploymentGroup failed: Access denied (AccessDeniedException).',
    );
    expect(textOf(error)).toMatch(/codedeploy:GetDeploymentGroup.*IAM permissions/s);
  });
});

describe('getDeploymentConfig', () => {
  it('sends GetDeploymentConfig and returns the config info', async () => {
    cd.on(GetDeploymentConfigCommand).resolves({
      deploymentConfigInfo: { deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce' },
    });
    await expect(port.getDeploymentConfig('CodeDeployDefault.ECSAllAtOnce')).resolves.toEqual({
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
    });
    expect(cd.commandCalls(GetDeploymentConfigCommand)[0].args[0].input).toEqual({
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
    });
  });

  it('missing config: names it, the region and `codedeploy-deployment-config`', async () => {
    cd.on(GetDeploymentConfigCommand).rejects(configMissing());
    const error = await failureOf(port.getDeploymentConfig('Custom'));
    expect(error.message).toMatch(/^CodeDeploy deployment config "Custom" does not exist in us-west-2\. /);
    expect(error.message).toMatch(/`codedeploy-deployment-config`/);
    expect(textOf(error)).toMatch(/CodeDeployDefault\.ECSAllAtOnce/);
  });
});

describe('listActiveDeployments', () => {
  it('asks only for active statuses and follows nextToken', async () => {
    cd.on(ListDeploymentsCommand)
      .resolvesOnce({ deployments: ['d-1', 'd-2'], nextToken: 'n1' })
      .resolvesOnce({ deployments: ['d-3'] });
    await expect(port.listActiveDeployments('app', 'group')).resolves.toEqual(['d-1', 'd-2', 'd-3']);
    expect(cd.commandCalls(ListDeploymentsCommand).map((c) => c.args[0].input)).toEqual([
      {
        applicationName: 'app',
        deploymentGroupName: 'group',
        includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'],
      },
      {
        applicationName: 'app',
        deploymentGroupName: 'group',
        includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'],
        nextToken: 'n1',
      },
    ]);
    expect(ACTIVE_DEPLOYMENT_STATUSES).toEqual(['Created', 'Queued', 'InProgress', 'Baking', 'Ready']);
  });

  it('missing group: the same message as getDeploymentGroup', async () => {
    cd.on(ListDeploymentsCommand).rejects(groupMissing());
    const error = await failureOf(port.listActiveDeployments('app', 'group'));
    expect(error.message).toMatch(/^CodeDeploy deployment group "group" does not exist in application "app"/);
  });
});

describe('createDeployment', () => {
  const revision = {
    revisionType: 'AppSpecContent' as const,
    appSpecContent: { content: 'version: 0.0', sha256: 'abc' },
  };
  const request = {
    applicationName: 'app',
    deploymentGroupName: 'group',
    revision,
    deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
    description: 'owner/repo@abc',
  };

  it('sends the revision as given with the optional fields, and returns the deployment id', async () => {
    cd.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEW' });
    await expect(port.createDeployment(request)).resolves.toBe('d-NEW');
    expect(cd.commandCalls(CreateDeploymentCommand)[0].args[0].input).toStrictEqual(request);
  });

  it('leaves out the optional fields that are not given', async () => {
    cd.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-NEW' });
    await port.createDeployment({ applicationName: 'app', deploymentGroupName: 'group', revision });
    expect(cd.commandCalls(CreateDeploymentCommand)[0].args[0].input).toStrictEqual({
      applicationName: 'app',
      deploymentGroupName: 'group',
      revision,
    });
  });

  it('DeploymentLimitExceeded: a DeploymentLimitExceededError with the active deployment id', async () => {
    const original = new DeploymentLimitExceededException({
      message: "The Deployment Group 'group' already has an active Deployment 'd-ABCDEF123'",
      $metadata,
    });
    cd.on(CreateDeploymentCommand).rejects(original);
    const error = await failureOf(port.createDeployment(request));
    expect(error).toBeInstanceOf(DeploymentLimitExceededError);
    expect(isDeploymentLimitExceeded(error)).toBe(true);
    const limit = error as DeploymentLimitExceededError;
    expect(limit.code).toBe('DeploymentLimitExceeded');
    expect(limit.activeDeploymentId).toBe('d-ABCDEF123');
    expect(limit.cause).toBe(original);
    expect(isAwsErrorNamed(limit, 'DeploymentLimitExceededException')).toBe(true);
    expect(limit.message).toBe(
      'CodeDeploy deployment group "group" of application "app" already has an active deployment d-ABCDEF123, ' +
        'so a new one cannot start (DeploymentLimitExceededException).',
    );
    expect(textOf(limit)).toMatch(/`on-conflict: wait`/);
  });

  it('DeploymentLimitExceeded without an id in the message still surfaces the class', async () => {
    cd.on(CreateDeploymentCommand).rejects(
      new DeploymentLimitExceededException({ message: 'limit', $metadata }),
    );
    const error = await failureOf(port.createDeployment(request));
    expect(isDeploymentLimitExceeded(error)).toBe(true);
    expect((error as DeploymentLimitExceededError).activeDeploymentId).toBeUndefined();
  });

  it.each([
    ['application', appMissing, /^CodeDeploy application "app" does not exist in us-west-2/],
    [
      'deployment group',
      groupMissing,
      /^CodeDeploy deployment group "group" does not exist in application "app"/,
    ],
    [
      'deployment config',
      configMissing,
      /^CodeDeploy deployment config "CodeDeployDefault.ECSAllAtOnce" does not exist/,
    ],
  ])('missing %s: the same explanation as the preflight gets', async (_what, make, expected) => {
    cd.on(CreateDeploymentCommand).rejects(make());
    const error = await failureOf(port.createDeployment(request));
    expect(error.message).toMatch(expected);
  });

  it('other errors: operation, AWS message and error name', async () => {
    cd.on(CreateDeploymentCommand).rejects(
      new InvalidRevisionException({ message: 'The AppSpec file is invalid.', $metadata }),
    );
    const error = await failureOf(port.createDeployment(request));
    expect(error.message).toBe(
      'CodeDeploy CreateDeployment failed: The AppSpec file is invalid (InvalidRevisionException).',
    );
  });
});

describe('getDeployment', () => {
  it('sends GetDeployment and returns the deployment info', async () => {
    cd.on(GetDeploymentCommand).resolves({ deploymentInfo: { deploymentId: 'd-1', status: 'InProgress' } });
    await expect(port.getDeployment('d-1')).resolves.toEqual({ deploymentId: 'd-1', status: 'InProgress' });
    expect(cd.commandCalls(GetDeploymentCommand)[0].args[0].input).toEqual({ deploymentId: 'd-1' });
  });

  it('a throttled poll is a transient UserError naming the retries', async () => {
    cd.on(GetDeploymentCommand).rejects(
      new ThrottlingException({ message: 'Rate exceeded', $metadata: { ...$metadata, attempts: 3 } }),
    );
    const error = await failureOf(port.getDeployment('d-1'));
    expect(error.message).toBe('CodeDeploy GetDeployment failed: Rate exceeded (ThrottlingException).');
    expect(textOf(error)).toMatch(/retried 2 times.*max-retries/s);
    expect(isTransient(error)).toBe(true);
  });

  it('an unknown deployment keeps AWS wording with the operation', async () => {
    cd.on(GetDeploymentCommand).rejects(
      new DeploymentDoesNotExistException({ message: 'The deployment d-9 could not be found', $metadata }),
    );
    const error = await failureOf(port.getDeployment('d-9'));
    expect(error.message).toBe(
      'CodeDeploy GetDeployment failed: The deployment d-9 could not be found (DeploymentDoesNotExistException).',
    );
  });
});

describe('listDeploymentTargets', () => {
  it('follows nextToken', async () => {
    cd.on(ListDeploymentTargetsCommand)
      .resolvesOnce({ targetIds: ['prod:web'], nextToken: 'n1' })
      .resolvesOnce({ targetIds: ['prod:api'] });
    await expect(port.listDeploymentTargets('d-1')).resolves.toEqual(['prod:web', 'prod:api']);
    expect(cd.commandCalls(ListDeploymentTargetsCommand).map((c) => c.args[0].input)).toEqual([
      { deploymentId: 'd-1' },
      { deploymentId: 'd-1', nextToken: 'n1' },
    ]);
  });

  it('a deployment that has not started yet has no targets (not an error)', async () => {
    cd.on(ListDeploymentTargetsCommand).rejects(
      new DeploymentNotStartedException({ message: 'The specified deployment has not started.', $metadata }),
    );
    await expect(port.listDeploymentTargets('d-1')).resolves.toEqual([]);
  });
});

describe('getDeploymentTarget', () => {
  it('sends GetDeploymentTarget and returns the target', async () => {
    cd.on(GetDeploymentTargetCommand).resolves({
      deploymentTarget: {
        deploymentTargetType: 'ECSTarget',
        ecsTarget: { targetId: 'prod:web', status: 'InProgress' },
      },
    });
    await expect(port.getDeploymentTarget('d-1', 'prod:web')).resolves.toEqual({
      deploymentTargetType: 'ECSTarget',
      ecsTarget: { targetId: 'prod:web', status: 'InProgress' },
    });
    expect(cd.commandCalls(GetDeploymentTargetCommand)[0].args[0].input).toEqual({
      deploymentId: 'd-1',
      targetId: 'prod:web',
    });
  });
});

describe('stopDeployment', () => {
  it('sends StopDeployment with the rollback flag and returns the stop status', async () => {
    cd.on(StopDeploymentCommand).resolves({ status: 'Pending', statusMessage: 'Stopping' });
    await expect(port.stopDeployment('d-1', true)).resolves.toEqual({
      status: 'Pending',
      statusMessage: 'Stopping',
    });
    expect(cd.commandCalls(StopDeploymentCommand)[0].args[0].input).toEqual({
      deploymentId: 'd-1',
      autoRollbackEnabled: true,
    });
  });

  it('an already completed deployment is not an error: returns undefined', async () => {
    cd.on(StopDeploymentCommand).rejects(
      new DeploymentAlreadyCompletedException({ message: 'Deployment d-1 is already completed.', $metadata }),
    );
    await expect(port.stopDeployment('d-1', false)).resolves.toBeUndefined();
  });

  it('other failures name StopDeployment', async () => {
    cd.on(StopDeploymentCommand).rejects(
      new DeploymentDoesNotExistException({ message: 'The deployment d-1 could not be found', $metadata }),
    );
    const error = await failureOf(port.stopDeployment('d-1', true));
    expect(error.message).toMatch(/^CodeDeploy StopDeployment failed: /);
  });
});

describe('continueDeployment', () => {
  it.each(['READY_WAIT', 'TERMINATION_WAIT'] as const)(
    'sends ContinueDeployment with %s',
    async (waitType) => {
      cd.on(ContinueDeploymentCommand).resolves({});
      await port.continueDeployment('d-1', waitType);
      expect(cd.commandCalls(ContinueDeploymentCommand)[0].args[0].input).toEqual({
        deploymentId: 'd-1',
        deploymentWaitType: waitType,
      });
    },
  );

  it('skipping the termination wait of a finished deployment is a no-op', async () => {
    cd.on(ContinueDeploymentCommand).rejects(
      new DeploymentAlreadyCompletedException({ message: 'done', $metadata }),
    );
    await expect(port.continueDeployment('d-1', 'TERMINATION_WAIT')).resolves.toBeUndefined();
  });

  it('rerouting a finished deployment (READY_WAIT) is reported', async () => {
    cd.on(ContinueDeploymentCommand).rejects(
      new DeploymentAlreadyCompletedException({ message: 'done', $metadata }),
    );
    const error = await failureOf(port.continueDeployment('d-1', 'READY_WAIT'));
    expect(error.message).toBe(
      'CodeDeploy ContinueDeployment failed: done (DeploymentAlreadyCompletedException).',
    );
  });
});
