/**
 * The real EcsPort: the few ECS calls ecs-shift makes, with errors translated for the CI log.
 */
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopServiceDeploymentCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type RunTaskCommandInput,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { UserError } from '../text/errors.js';
import { awsUserError, callAws, isAwsErrorNamed } from './errors.js';
import type {
  EcsPort,
  Service,
  ServiceDeployment,
  ServiceDeploymentBrief,
  Tag,
  Task,
  TaskDefinition,
} from './ports.js';

/** DescribeTasks takes at most 100 task ARNs per call. */
const DESCRIBE_TASKS_BATCH = 100;
/** Stopped tasks stay listed for about an hour; a few pages are plenty for a diagnosis. */
const MAX_LIST_TASKS_PAGES = 5;

export function createEcsPort(client: ECSClient): EcsPort {
  const regionText = () => regionOf(client);

  return {
    async describeService(cluster: string, service: string): Promise<Service | undefined> {
      const output = await callAws(
        'ECS',
        'DescribeServices',
        () => client.send(new DescribeServicesCommand({ cluster, services: [service] })),
        async (error) =>
          isAwsErrorNamed(error, 'ClusterNotFoundException')
            ? clusterNotFound(cluster, await regionText())
            : undefined,
      );
      const found = output.services?.[0];
      if (found) return found;
      const failure = output.failures?.[0];
      if (!failure || failure.reason === 'MISSING') return undefined;
      throw new UserError(
        `ECS DescribeServices could not describe service "${service}" in cluster "${cluster}": ` +
          `${failure.reason ?? 'no reason given'}${failure.detail ? ` (${failure.detail})` : ''}.`,
      );
    },

    async describeTaskDefinition(ref: string): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }> {
      const output = await callAws(
        'ECS',
        'DescribeTaskDefinition',
        () => client.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ['TAGS'] })),
        async (error) =>
          isAwsErrorNamed(error, 'ClientException') &&
          /unable to describe task definition/i.test(error instanceof Error ? error.message : '')
            ? taskDefinitionNotFound(ref, await regionText())
            : undefined,
      );
      if (!output.taskDefinition) throw emptyAnswer('DescribeTaskDefinition', `task definition "${ref}"`);
      return { taskDefinition: output.taskDefinition, tags: output.tags ?? [] };
    },

    async registerTaskDefinition(input: RegisterTaskDefinitionCommandInput): Promise<TaskDefinition> {
      const output = await callAws(
        'ECS',
        'RegisterTaskDefinition',
        () => client.send(new RegisterTaskDefinitionCommand(input)),
        (error) => explainRegisterError(input, error),
      );
      if (!output.taskDefinition) throw emptyAnswer('RegisterTaskDefinition', `family "${input.family}"`);
      return output.taskDefinition;
    },

    async updateService(input: UpdateServiceCommandInput): Promise<Service> {
      const output = await callAws(
        'ECS',
        'UpdateService',
        () => client.send(new UpdateServiceCommand(input)),
        async (error) =>
          isAwsErrorNamed(error, 'ClusterNotFoundException')
            ? clusterNotFound(input.cluster ?? 'default', await regionText())
            : undefined,
      );
      if (!output.service)
        throw new UserError(`ECS UpdateService returned no service for "${input.service}".`);
      return output.service;
    },

    async listServiceDeployments(
      cluster: string,
      service: string,
      createdAfter: Date,
    ): Promise<ServiceDeploymentBrief[]> {
      const output = await callAws('ECS', 'ListServiceDeployments', () =>
        client.send(
          new ListServiceDeploymentsCommand({ cluster, service, createdAt: { after: createdAfter } }),
        ),
      );
      return output.serviceDeployments ?? [];
    },

    async describeServiceDeployment(arn: string): Promise<ServiceDeployment> {
      const output = await callAws('ECS', 'DescribeServiceDeployments', () =>
        client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })),
      );
      const found = output.serviceDeployments?.[0];
      if (found) return found;
      const failure = output.failures?.[0];
      throw new UserError(
        `ECS DescribeServiceDeployments could not describe service deployment ${arn}: ${failure?.reason ?? 'no answer'}${failure?.detail ? ` (${failure.detail})` : ''}.`,
      );
    },

    async stopServiceDeployment(arn: string): Promise<boolean> {
      return callAws('ECS', 'StopServiceDeployment', async () => {
        try {
          await client.send(
            new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }),
          );
          return true;
        } catch (error) {
          // It finished (or is already rolling back) in the meantime: nothing left to stop.
          if (isAwsErrorNamed(error, 'ConflictException')) return false;
          throw error;
        }
      });
    },

    async runTask(input: RunTaskCommandInput): Promise<Task> {
      const output = await callAws(
        'ECS',
        'RunTask',
        () => client.send(new RunTaskCommand(input)),
        async (error) =>
          isAwsErrorNamed(error, 'ClusterNotFoundException')
            ? clusterNotFound(input.cluster ?? 'default', await regionText())
            : undefined,
      );
      const task = output.tasks?.[0];
      if (task) return task;
      const failure = output.failures?.[0];
      throw new UserError(
        `ECS could not start the one-off task of ${input.taskDefinition}: ${failure?.reason ?? 'no reason given'}${failure?.detail ? ` (${failure.detail})` : ''}.`,
        [
          'Check the cluster has capacity for it (or the capacity provider strategy), and the run-task-* inputs.',
        ],
      );
    },

    async describeTask(cluster: string, taskArn: string): Promise<Task> {
      const output = await callAws('ECS', 'DescribeTasks', () =>
        client.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] })),
      );
      const task = output.tasks?.[0];
      if (!task)
        throw new UserError(`ECS DescribeTasks does not know task ${taskArn} in cluster "${cluster}".`);
      return task;
    },

    async stopTask(cluster: string, taskArn: string, reason: string): Promise<void> {
      await callAws('ECS', 'StopTask', () =>
        client.send(new StopTaskCommand({ cluster, task: taskArn, reason })),
      );
    },

    async continueServiceDeployment(
      arn: string,
      hookId: string,
      action: 'CONTINUE' | 'ROLLBACK',
    ): Promise<void> {
      await callAws('ECS', 'ContinueServiceDeployment', () =>
        client.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action })),
      );
    },

    async listStoppedTasks(
      cluster: string,
      service: string,
      limit: number,
      exceptArns?: ReadonlySet<string>,
    ): Promise<Task[]> {
      if (limit <= 0) return [];
      const arns: string[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_LIST_TASKS_PAGES; page++) {
        const output = await callAws('ECS', 'ListTasks', () =>
          client.send(
            new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', nextToken }),
          ),
        );
        arns.push(...(output.taskArns ?? []).filter((arn) => !exceptArns?.has(arn)));
        nextToken = output.nextToken;
        if (!nextToken) break;
      }
      const tasks: Task[] = [];
      for (let start = 0; start < arns.length; start += DESCRIBE_TASKS_BATCH) {
        const batch = arns.slice(start, start + DESCRIBE_TASKS_BATCH);
        const output = await callAws('ECS', 'DescribeTasks', () =>
          client.send(new DescribeTasksCommand({ cluster, tasks: batch })),
        );
        tasks.push(...(output.tasks ?? []));
      }
      return tasks.sort((a, b) => timeOf(b.stoppedAt) - timeOf(a.stoppedAt)).slice(0, limit);
    },
  };
}

function clusterNotFound(cluster: string, region: string): UserError {
  return new UserError(`ECS cluster "${cluster}" was not found in ${region}.`, [
    'Set the `cluster` input to the name or ARN of the cluster that runs the service (it defaults to "default"), ' +
      'and check that the credentials are for the right account and region.',
  ]);
}

function taskDefinitionNotFound(ref: string, region: string): UserError {
  return new UserError(`ECS task definition "${ref}" was not found in ${region} (DescribeTaskDefinition).`, [
    'Give a registered family, family:revision or full ARN in `task-definition-family` / `task-definition-arn`, ' +
      'or a file in `task-definition`; check that the credentials are for the right account and region.',
  ]);
}

/** ECS's ClientException messages say what is wrong with the task definition: keep them in front. */
function explainRegisterError(
  input: RegisterTaskDefinitionCommandInput,
  error: unknown,
): UserError | undefined {
  if (!isAwsErrorNamed(error, 'ClientException')) return undefined;
  const generic = awsUserError('ECS', 'RegisterTaskDefinition', error);
  const message = error instanceof Error ? error.message : '';
  // A missing iam:PassRole also arrives as a ClientException: the generic IAM hint fits it better.
  if (/not authorized to perform/i.test(message)) return undefined;
  if (/too many concurrent attempts/i.test(message)) {
    return new UserError(generic.message, [
      `Another job is registering a revision of family "${input.family}" at the same moment. Run this job again.`,
    ]);
  }
  return new UserError(
    generic.message.replace(
      'ECS RegisterTaskDefinition failed:',
      `ECS rejected task definition family "${input.family}" (RegisterTaskDefinition):`,
    ),
    [
      'Fix the task definition file (or the inputs that override it: image, environment-variables, …) and run again; ' +
        'nothing was registered.',
    ],
  );
}

function emptyAnswer(operation: string, what: string): UserError {
  return new UserError(`ECS ${operation} returned no task definition for ${what}; nothing to work with.`);
}

async function regionOf(client: ECSClient): Promise<string> {
  try {
    return (await client.config.region()) || 'this region';
  } catch {
    return 'this region';
  }
}

function timeOf(date: Date | undefined): number {
  return date ? new Date(date).getTime() : 0;
}
