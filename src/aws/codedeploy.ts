/**
 * The real CodeDeployPort: the CodeDeploy calls ecs-shift makes, with errors translated for the CI
 * log. Missing application / deployment group / deployment config errors name the input to change.
 */
import {
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
  type CodeDeployClient,
  type ListDeploymentTargetsCommandOutput,
  type DeploymentStatus,
  type StopStatus,
} from '@aws-sdk/client-codedeploy';
import { UserError } from '../text/errors.js';
import { awsUserError, callAws, isAwsErrorNamed, type ExplainAwsError } from './errors.js';
import type {
  CodeDeployPort,
  CreateDeploymentRequest,
  DeploymentConfigInfo,
  DeploymentGroupInfo,
  DeploymentInfo,
  DeploymentTarget,
} from './ports.js';

/** The statuses of a deployment that still holds the group (`on-conflict` in the README). */
export const ACTIVE_DEPLOYMENT_STATUSES: DeploymentStatus[] = [
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Ready',
];

/**
 * CreateDeployment refused because the group already has an active deployment. Callers that
 * queue behind it or stop it (`on-conflict`) catch this class; `activeDeploymentId` is parsed from
 * CodeDeploy's message ("… already has an active Deployment 'd-…'") and is undefined if it has none.
 */
export class DeploymentLimitExceededError extends UserError {
  override name = 'DeploymentLimitExceededError';
  readonly code = 'DeploymentLimitExceeded';
  constructor(
    message: string,
    details: string[],
    readonly activeDeploymentId: string | undefined,
  ) {
    super(message, details);
  }
}

export function isDeploymentLimitExceeded(error: unknown): error is DeploymentLimitExceededError {
  return error instanceof DeploymentLimitExceededError;
}

/** `onceClient`: a client without SDK retries, for CreateDeployment (see AwsClients.codeDeployOnce). */
export function createCodeDeployPort(
  client: CodeDeployClient,
  onceClient: CodeDeployClient = client,
): CodeDeployPort {
  const regionText = () => regionOf(client);

  /** Explains the "does not exist" errors of an application / deployment group / config. */
  const missing =
    (names: { application?: string; group?: string; config?: string }): ExplainAwsError =>
    async (error) => {
      if (names.application !== undefined && isAwsErrorNamed(error, 'ApplicationDoesNotExistException')) {
        return applicationNotFound(names.application, await regionText());
      }
      if (
        names.application !== undefined &&
        names.group !== undefined &&
        isAwsErrorNamed(error, 'DeploymentGroupDoesNotExistException')
      ) {
        return deploymentGroupNotFound(names.application, names.group, await regionText());
      }
      if (names.config !== undefined && isAwsErrorNamed(error, 'DeploymentConfigDoesNotExistException')) {
        return deploymentConfigNotFound(names.config, await regionText());
      }
      return undefined;
    };

  return {
    async getDeploymentGroup(
      applicationName: string,
      deploymentGroupName: string,
    ): Promise<DeploymentGroupInfo> {
      const output = await callAws(
        'CodeDeploy',
        'GetDeploymentGroup',
        () => client.send(new GetDeploymentGroupCommand({ applicationName, deploymentGroupName })),
        missing({ application: applicationName, group: deploymentGroupName }),
      );
      return required(
        output.deploymentGroupInfo,
        'GetDeploymentGroup',
        `deployment group "${deploymentGroupName}"`,
      );
    },

    async getDeploymentConfig(deploymentConfigName: string): Promise<DeploymentConfigInfo> {
      const output = await callAws(
        'CodeDeploy',
        'GetDeploymentConfig',
        () => client.send(new GetDeploymentConfigCommand({ deploymentConfigName })),
        missing({ config: deploymentConfigName }),
      );
      return required(
        output.deploymentConfigInfo,
        'GetDeploymentConfig',
        `deployment config "${deploymentConfigName}"`,
      );
    },

    async listActiveDeployments(applicationName: string, deploymentGroupName: string): Promise<string[]> {
      const ids: string[] = [];
      let nextToken: string | undefined;
      do {
        const output = await callAws(
          'CodeDeploy',
          'ListDeployments',
          () =>
            client.send(
              new ListDeploymentsCommand({
                applicationName,
                deploymentGroupName,
                includeOnlyStatuses: ACTIVE_DEPLOYMENT_STATUSES,
                nextToken,
              }),
            ),
          missing({ application: applicationName, group: deploymentGroupName }),
        );
        ids.push(...(output.deployments ?? []));
        nextToken = output.nextToken;
      } while (nextToken);
      return ids;
    },

    async listDeploymentsSince(
      applicationName: string,
      deploymentGroupName: string,
      since: Date,
    ): Promise<string[]> {
      const output = await callAws(
        'CodeDeploy',
        'ListDeployments',
        () =>
          client.send(
            new ListDeploymentsCommand({
              applicationName,
              deploymentGroupName,
              createTimeRange: { start: since },
            }),
          ),
        missing({ application: applicationName, group: deploymentGroupName }),
      );
      return output.deployments ?? [];
    },

    async createDeployment(request: CreateDeploymentRequest): Promise<string> {
      const output = await callAws(
        'CodeDeploy',
        'CreateDeployment',
        () =>
          onceClient.send(
            new CreateDeploymentCommand({
              applicationName: request.applicationName,
              deploymentGroupName: request.deploymentGroupName,
              revision: request.revision,
              ...(request.deploymentConfigName === undefined
                ? {}
                : { deploymentConfigName: request.deploymentConfigName }),
              ...(request.description === undefined ? {} : { description: request.description }),
            }),
          ),
        async (error) =>
          isAwsErrorNamed(error, 'DeploymentLimitExceededException')
            ? deploymentLimitExceeded(request, error)
            : missing({
                application: request.applicationName,
                group: request.deploymentGroupName,
                config: request.deploymentConfigName,
              })(error),
      );
      return required(output.deploymentId, 'CreateDeployment', 'the new deployment (no deployment id)');
    },

    async getDeployment(deploymentId: string): Promise<DeploymentInfo> {
      const output = await callAws('CodeDeploy', 'GetDeployment', () =>
        client.send(new GetDeploymentCommand({ deploymentId })),
      );
      return required(output.deploymentInfo, 'GetDeployment', `deployment ${deploymentId}`);
    },

    async listDeploymentTargets(deploymentId: string): Promise<string[]> {
      const ids: string[] = [];
      let nextToken: string | undefined;
      do {
        const output = await callAws(
          'CodeDeploy',
          'ListDeploymentTargets',
          async (): Promise<Partial<ListDeploymentTargetsCommandOutput>> => {
            try {
              return await client.send(new ListDeploymentTargetsCommand({ deploymentId, nextToken }));
            } catch (error) {
              // A Created/Queued deployment has no targets yet: that is an answer, not a failure.
              if (isAwsErrorNamed(error, 'DeploymentNotStartedException')) return { targetIds: [] };
              throw error;
            }
          },
        );
        ids.push(...(output.targetIds ?? []));
        nextToken = output.nextToken;
      } while (nextToken);
      return ids;
    },

    async getDeploymentTarget(deploymentId: string, targetId: string): Promise<DeploymentTarget> {
      const output = await callAws('CodeDeploy', 'GetDeploymentTarget', () =>
        client.send(new GetDeploymentTargetCommand({ deploymentId, targetId })),
      );
      return required(
        output.deploymentTarget,
        'GetDeploymentTarget',
        `target ${targetId} of deployment ${deploymentId}`,
      );
    },

    async stopDeployment(
      deploymentId: string,
      autoRollbackEnabled: boolean,
    ): Promise<{ status?: StopStatus; statusMessage?: string } | undefined> {
      return callAws('CodeDeploy', 'StopDeployment', async () => {
        try {
          const output = await client.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled }));
          return { status: output.status, statusMessage: output.statusMessage };
        } catch (error) {
          // Nothing left to stop: it succeeded, failed or was stopped in the meantime.
          if (isAwsErrorNamed(error, 'DeploymentAlreadyCompletedException')) return undefined;
          throw error;
        }
      });
    },

    async continueDeployment(
      deploymentId: string,
      waitType: 'READY_WAIT' | 'TERMINATION_WAIT',
    ): Promise<void> {
      await callAws('CodeDeploy', 'ContinueDeployment', async () => {
        try {
          await client.send(new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: waitType }));
        } catch (error) {
          // Skipping the termination wait of a deployment that has already finished is a no-op.
          if (
            waitType === 'TERMINATION_WAIT' &&
            isAwsErrorNamed(error, 'DeploymentAlreadyCompletedException')
          )
            return;
          throw error;
        }
      });
    },
  };
}

function applicationNotFound(application: string, region: string): UserError {
  return new UserError(
    `CodeDeploy application "${application}" does not exist in ${region}. ` +
      'Create it (compute platform ECS) or set `codedeploy-application` to the application that deploys this service.',
    [
      'Without the input, ecs-shift uses AppECS-<cluster>-<service>, the name the ECS console gives it; ' +
        'also check that the credentials are for the right account and region.',
    ],
  );
}

function deploymentGroupNotFound(application: string, group: string, region: string): UserError {
  return new UserError(
    `CodeDeploy deployment group "${group}" does not exist in application "${application}" (${region}). ` +
      'Create it for the service or set `codedeploy-deployment-group` to the group that deploys this service.',
    ['Without the input, ecs-shift uses DgpECS-<cluster>-<service>, the name the ECS console gives it.'],
  );
}

function deploymentConfigNotFound(config: string, region: string): UserError {
  return new UserError(
    `CodeDeploy deployment config "${config}" does not exist in ${region}. ` +
      "Set `codedeploy-deployment-config` to an existing config, or leave it unset to use the deployment group's.",
    [
      'Predefined configs for ECS: CodeDeployDefault.ECSAllAtOnce, CodeDeployDefault.ECSLinear10PercentEvery1Minutes, ' +
        'CodeDeployDefault.ECSLinear10PercentEvery3Minutes, CodeDeployDefault.ECSCanary10Percent5Minutes, ' +
        'CodeDeployDefault.ECSCanary10Percent15Minutes.',
    ],
  );
}

function deploymentLimitExceeded(
  request: CreateDeploymentRequest,
  error: unknown,
): DeploymentLimitExceededError {
  const message = error instanceof Error ? error.message : '';
  const activeId = /active deployment\s+'?(d-[A-Z0-9]+)'?/i.exec(message)?.[1];
  const generic = awsUserError('CodeDeploy', 'CreateDeployment', error);
  return new DeploymentLimitExceededError(
    `CodeDeploy deployment group "${request.deploymentGroupName}" of application "${request.applicationName}" ` +
      `already has an active deployment${activeId ? ` ${activeId}` : ''}, so a new one cannot start ` +
      '(DeploymentLimitExceededException).',
    [
      'Set `on-conflict: wait` to queue behind it, or `on-conflict: stop` to stop it with rollback first.',
      ...generic.details,
    ],
    activeId,
  );
}

function required<T>(value: T | undefined, operation: string, what: string): T {
  if (value === undefined || value === null) {
    throw new UserError(`CodeDeploy ${operation} returned nothing for ${what}.`);
  }
  return value;
}

async function regionOf(client: CodeDeployClient): Promise<string> {
  try {
    return (await client.config.region()) || 'this region';
  } catch {
    return 'this region';
  }
}
