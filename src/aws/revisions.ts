/**
 * The real RevisionsPort: what `deregister-old-revisions` reads before it deregisters anything (the
 * family's ACTIVE revisions, what the cluster's services and running tasks reference), and the one
 * change it makes. Errors are translated as ecs.ts does: a UserError naming the call and what to do.
 */
import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import { UserError } from '../text/errors.js';
import { awsUserError, callAws, isAwsErrorNamed, type ExplainAwsError } from './errors.js';
import type { RevisionReference, RevisionsPort, ServiceRevisions } from './ports.js';

/** ListServices, ListTasks and ListTaskDefinitions answer at most 100 items a page. */
const PAGE_SIZE = 100;
/** DescribeServices takes at most 10 services per call. */
const DESCRIBE_SERVICES_BATCH = 10;
/** DescribeTasks takes at most 100 task ARNs per call. */
const DESCRIBE_TASKS_BATCH = 100;
/** 2,000 running tasks of the family per cluster; beyond that the scan is reported incomplete. */
export const MAX_TASK_PAGES = 20;
/** 10,000 services, twice ECS's default quota per cluster: more means something is off, so stop. */
const MAX_SERVICE_PAGES = 100;
/** A family with more ACTIVE revisions than this is read in part (newest first), which is safe: only listed ones are touched. */
const MAX_REVISION_PAGES = 100;

/** Every call this port makes, for the access-denied hint. */
const NEEDED_ACTIONS =
  'ecs:ListTaskDefinitions, ecs:ListServices, ecs:DescribeServices, ecs:ListTasks, ecs:DescribeTasks and ecs:DeregisterTaskDefinition';

export function createRevisionsPort(client: ECSClient): RevisionsPort {
  const regionText = () => regionOf(client);

  return {
    async activeRevisions(family: string): Promise<string[]> {
      const arns: string[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_REVISION_PAGES; page++) {
        const output = await callAws(
          'ECS',
          'ListTaskDefinitions',
          () =>
            client.send(
              // Despite its name, familyPrefix is the full family name (ECS API reference).
              new ListTaskDefinitionsCommand({
                familyPrefix: family,
                status: 'ACTIVE',
                sort: 'DESC',
                maxResults: PAGE_SIZE,
                nextToken,
              }),
            ),
          withNeededActions('ListTaskDefinitions'),
        );
        arns.push(...(output.taskDefinitionArns ?? []));
        nextToken = output.nextToken;
        if (!nextToken) break;
      }
      return arns;
    },

    async servicesUsing(cluster: string): Promise<ServiceRevisions[]> {
      const explain = forCluster(cluster, regionText);
      const serviceArns: string[] = [];
      let nextToken: string | undefined;
      for (let page = 0; ; page++) {
        if (page === MAX_SERVICE_PAGES) {
          throw new UserError(
            `ECS ListServices kept answering more pages for cluster "${cluster}" (over ${MAX_SERVICE_PAGES * PAGE_SIZE} services); ` +
              'could not read every service.',
          );
        }
        const output = await callAws(
          'ECS',
          'ListServices',
          () => client.send(new ListServicesCommand({ cluster, maxResults: PAGE_SIZE, nextToken })),
          explain('ListServices'),
        );
        serviceArns.push(...(output.serviceArns ?? []));
        nextToken = output.nextToken;
        if (!nextToken) break;
      }
      const found: ServiceRevisions[] = [];
      for (let start = 0; start < serviceArns.length; start += DESCRIBE_SERVICES_BATCH) {
        const batch = serviceArns.slice(start, start + DESCRIBE_SERVICES_BATCH);
        const output = await callAws(
          'ECS',
          'DescribeServices',
          () => client.send(new DescribeServicesCommand({ cluster, services: batch })),
          explain('DescribeServices'),
        );
        // A service deleted between the two calls runs nothing.
        throwOnUnread('DescribeServices', 'a service', cluster, output.failures);
        for (const service of output.services ?? []) {
          // A deleted service (INACTIVE) runs nothing and cannot be updated or scaled again.
          if (service.status === 'INACTIVE') continue;
          found.push(revisionsOf(service));
        }
      }
      return found;
    },

    async runningTaskRevisions(
      cluster: string,
      family: string,
    ): Promise<{ taskDefinitions: string[]; complete: boolean }> {
      const explain = forCluster(cluster, regionText);
      const taskArns: string[] = [];
      let nextToken: string | undefined;
      let complete = false;
      for (let page = 0; page < MAX_TASK_PAGES; page++) {
        const output = await callAws(
          'ECS',
          'ListTasks',
          () =>
            client.send(
              // desiredStatus RUNNING: tasks running and those still on their way (lastStatus PENDING…).
              new ListTasksCommand({
                cluster,
                family,
                desiredStatus: 'RUNNING',
                maxResults: PAGE_SIZE,
                nextToken,
              }),
            ),
          explain('ListTasks'),
        );
        taskArns.push(...(output.taskArns ?? []));
        nextToken = output.nextToken;
        if (!nextToken) {
          complete = true;
          break;
        }
      }
      const taskDefinitions: string[] = [];
      for (let start = 0; start < taskArns.length; start += DESCRIBE_TASKS_BATCH) {
        const batch = taskArns.slice(start, start + DESCRIBE_TASKS_BATCH);
        const output = await callAws(
          'ECS',
          'DescribeTasks',
          () => client.send(new DescribeTasksCommand({ cluster, tasks: batch })),
          explain('DescribeTasks'),
        );
        // A task that stopped and was forgotten in between runs nothing.
        throwOnUnread('DescribeTasks', 'a task', cluster, output.failures);
        for (const task of output.tasks ?? []) {
          if (task.taskDefinitionArn) taskDefinitions.push(task.taskDefinitionArn);
        }
      }
      return { taskDefinitions, complete };
    },

    async deregister(taskDefinitionArn: string): Promise<void> {
      await callAws(
        'ECS',
        'DeregisterTaskDefinition',
        () => client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: taskDefinitionArn })),
        withNeededActions('DeregisterTaskDefinition', (error) =>
          isAwsErrorNamed(error, 'ClientException') &&
          /does not exist/i.test(error instanceof Error ? error.message : '')
            ? new UserError(
                `ECS DeregisterTaskDefinition: task definition ${taskDefinitionArn} does not exist (any more).`,
              )
            : undefined,
        ),
      );
    },
  };
}

/**
 * A describe's failures: MISSING (deleted or forgotten in between) runs nothing; any other leaves
 * something unread, and then no revision may be taken as unused.
 */
function throwOnUnread(
  operation: string,
  what: string,
  cluster: string,
  failures: { arn?: string; reason?: string; detail?: string }[] | undefined,
): void {
  const failure = (failures ?? []).find((f) => f.reason !== 'MISSING');
  if (!failure) return;
  throw new UserError(
    `ECS ${operation} could not describe ${failure.arn ?? what} in cluster "${cluster}": ` +
      `${failure.reason ?? 'no reason given'}${failure.detail ? ` (${failure.detail})` : ''}.`,
  );
}

function revisionsOf(service: Service): ServiceRevisions {
  const references = (items: { taskDefinition?: string; status?: string }[] | undefined) =>
    (items ?? []).flatMap((item): RevisionReference[] =>
      item.taskDefinition ? [{ taskDefinition: item.taskDefinition, status: item.status }] : [],
    );
  return {
    service: service.serviceName ?? service.serviceArn?.split('/').pop() ?? 'unnamed',
    taskDefinition: service.taskDefinition,
    // An INACTIVE deployment has been replaced whole; a task of it still running is found by the task scan.
    deployments: references(service.deployments).filter((d) => d.status !== 'INACTIVE'),
    taskSets: references(service.taskSets),
  };
}

/** The cluster-not-found explanation, and the access-denied hint naming every action the cleanup needs. */
function forCluster(
  cluster: string,
  regionText: () => Promise<string>,
): (operation: string) => ExplainAwsError {
  return (operation) =>
    withNeededActions(operation, async (error) =>
      isAwsErrorNamed(error, 'ClusterNotFoundException')
        ? new UserError(`ECS cluster "${cluster}" was not found in ${await regionText()} (${operation}).`, [
            "Check the cluster names given to deregister-old-revisions (the release's `cluster` input), " +
              'and that the credentials are for the right account and region.',
          ])
        : undefined,
    );
}

/** Access denied: the generic error (it names the IAM action), plus every action deregister-old-revisions needs. */
function withNeededActions(operation: string, explain?: ExplainAwsError): ExplainAwsError {
  return async (error) => {
    const explained = explain ? await explain(error) : undefined;
    if (explained) return explained;
    if (!isAccessDenied(error)) return undefined;
    const generic = awsUserError('ECS', operation, error);
    return new UserError(generic.message, [
      ...generic.details,
      `deregister-old-revisions needs ${NEEDED_ACTIONS}.`,
    ]);
  };
}

function isAccessDenied(error: unknown): boolean {
  return (
    isAwsErrorNamed(error, 'AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation') ||
    (error instanceof Error && /not authorized to perform/i.test(error.message))
  );
}

async function regionOf(client: ECSClient): Promise<string> {
  try {
    return (await client.config.region()) || 'this region';
  } catch {
    return 'this region';
  }
}
