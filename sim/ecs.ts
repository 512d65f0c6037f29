/** The ECS operations the action uses: services, task definitions, stopped tasks, service deployments. */
import { SimError } from './errors.js';
import { EcsDeployments } from './ecs-deployments.js';
import { pageOf } from './paging.js';
import { describeTask, EcsTasks } from './ecs-tasks.js';
import type { Handler } from './handler.js';
import type { ScenarioTaskDefinition } from './scenarios.js';
import type { SimService, World } from './world.js';

export class EcsSimulator {
  readonly deployments: EcsDeployments;
  readonly oneOffTasks: EcsTasks;

  constructor(private readonly world: World) {
    this.deployments = new EcsDeployments(world);
    this.oneOffTasks = new EcsTasks(world);
  }

  readonly handlers: Record<string, Handler> = {
    DescribeServices: (input) => {
      const cluster = this.world.cluster(input.cluster);
      // "You may specify up to 10 services to describe in a single operation" (ECS API reference); the
      // error for more is the simulator's choice.
      if (((input.services ?? []) as string[]).length > 10) {
        throw new SimError('InvalidParameterException', 'services can have at most 10 items.');
      }
      const services: unknown[] = [];
      const failures: unknown[] = [];
      for (const ref of (input.services ?? []) as string[]) {
        const service = this.world.findService(cluster, ref);
        if (service) services.push(this.describeService(service));
        else
          failures.push({
            arn: ref.startsWith('arn:') ? ref : this.world.arn('ecs', `service/${cluster.name}/${ref}`),
            reason: 'MISSING',
          });
      }
      return { services, failures };
    },
    ListServices: (input) => {
      const cluster = this.world.cluster(input.cluster);
      // Up to 10 a page unless maxResults (1-100) says otherwise (ECS API reference).
      const maxResults = input.maxResults ?? 10;
      if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
        throw new SimError('InvalidParameterException', 'maxResults must be between 1 and 100.');
      }
      const services = [...cluster.services.values()].filter(
        (service) =>
          // A deleted service is described (INACTIVE) but no longer listed: the simulator's reading.
          service.status !== 'INACTIVE' &&
          (!input.launchType || service.launchType === input.launchType) &&
          // Every simulated service is REPLICA (DescribeServices says so).
          (!input.schedulingStrategy || input.schedulingStrategy === 'REPLICA'),
      );
      const { items, nextToken } = pageOf(services, input.nextToken, maxResults);
      return { serviceArns: items.map((service) => service.arn), nextToken };
    },
    DescribeTaskDefinition: (input) => {
      const registered = this.world.findTaskDefinition(String(input.taskDefinition ?? ''));
      if (!registered) throw new SimError('ClientException', 'Unable to describe task definition.');
      const includeTags = ((input.include ?? []) as string[]).includes('TAGS');
      return { taskDefinition: registered.taskDefinition, ...(includeTags ? { tags: registered.tags } : {}) };
    },
    RegisterTaskDefinition: (input) => {
      if (!input.family) throw new SimError('ClientException', 'Family is required.');
      if (!Array.isArray(input.containerDefinitions) || input.containerDefinitions.length === 0) {
        throw new SimError('ClientException', 'Container.name should not be null or empty.');
      }
      for (const container of input.containerDefinitions) {
        if (!container.name)
          throw new SimError('ClientException', 'Container.name should not be null or empty.');
        if (!container.image)
          throw new SimError('ClientException', 'Container.image should not be null or empty.');
      }
      const registered = this.world.registerTaskDefinition(
        input as ScenarioTaskDefinition,
        `arn:aws:sts::${this.world.accountId}:assumed-role/deploy/ecs-shift`,
      );
      return { taskDefinition: registered.taskDefinition, tags: registered.tags };
    },
    DeregisterTaskDefinition: (input) => {
      const ref = String(input.taskDefinition ?? '');
      // A revision is required: family:revision or the full ARN.
      const registered = /:\d+$/.test(ref) ? this.world.findTaskDefinition(ref) : undefined;
      if (!registered) {
        throw new SimError('ClientException', 'The specified task definition does not exist.');
      }
      this.world.deregisterTaskDefinition(registered);
      return { taskDefinition: registered.taskDefinition };
    },
    ListTaskDefinitions: (input) => {
      const status = input.status ?? 'ACTIVE';
      if (!['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'].includes(status)) {
        throw new SimError('InvalidParameterException', `Invalid status: ${status}`);
      }
      const sort = input.sort ?? 'ASC';
      const maxResults = input.maxResults ?? 100;
      if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
        throw new SimError('InvalidParameterException', 'maxResults must be between 1 and 100.');
      }
      const definitions = [...this.world.taskDefinitions.values()]
        .map((registered) => registered.taskDefinition)
        .filter(
          (definition) =>
            definition.status === status &&
            // Despite its name, familyPrefix is the full family name (ECS API reference).
            (!input.familyPrefix || definition.family === input.familyPrefix),
        )
        // By family, then revision, as ECS lists them.
        .sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision);
      if (sort === 'DESC') definitions.reverse();
      const { items, nextToken } = pageOf(definitions, input.nextToken, maxResults);
      return { taskDefinitionArns: items.map((definition) => definition.taskDefinitionArn), nextToken };
    },
    ListTasks: (input) => {
      const cluster = this.world.cluster(input.cluster);
      const desiredStatus = input.desiredStatus ?? 'RUNNING';
      const tasks = this.world.tasks.filter(
        (task) =>
          task.clusterArn === cluster.arn &&
          task.desiredStatus === desiredStatus &&
          (!input.serviceName ||
            task.serviceName === this.world.findService(cluster, input.serviceName)?.name) &&
          (!input.startedBy || task.startedBy === input.startedBy) &&
          (!input.family || task.taskDefinitionArn.includes(`:task-definition/${input.family}:`)),
      );
      if (input.serviceName && !this.world.findService(cluster, input.serviceName)) {
        throw new SimError('ServiceNotFoundException', 'Service not found.');
      }
      // Newest first; a crash loop can leave more stopped tasks than one page holds.
      const { items, nextToken } = pageOf(tasks, input.nextToken, input.maxResults ?? 100);
      return { taskArns: items.map((task) => task.taskArn), nextToken };
    },
    DescribeTasks: (input) => {
      const cluster = this.world.cluster(input.cluster);
      const tasks: unknown[] = [];
      const failures: unknown[] = [];
      for (const ref of (input.tasks ?? []) as string[]) {
        const task = this.world.tasks.find(
          (t) => t.clusterArn === cluster.arn && (t.taskArn === ref || t.taskArn.endsWith(`/${ref}`)),
        );
        if (task) tasks.push(describeTask(task));
        else failures.push({ arn: ref, reason: 'MISSING' });
      }
      return { tasks, failures };
    },
    UpdateService: (input) => {
      const service = this.world.service(input.cluster, String(input.service ?? ''));
      if (service.status !== 'ACTIVE')
        throw new SimError('ServiceNotActiveException', 'Service was not ACTIVE.');
      let taskDefinitionArn: string | undefined;
      if (input.taskDefinition) {
        const registered = this.world.findTaskDefinition(input.taskDefinition);
        if (!registered) {
          throw new SimError('InvalidParameterException', `TaskDefinition not found.`);
        }
        taskDefinitionArn = registered.taskDefinition.taskDefinitionArn;
        // A service already on an INACTIVE revision keeps it; moving one onto it is refused.
        if (registered.taskDefinition.status === 'INACTIVE' && taskDefinitionArn !== service.taskDefinition) {
          throw new SimError('ClientException', 'TaskDefinition is inactive');
        }
      }
      if (
        service.deploymentController !== 'ECS' &&
        taskDefinitionArn &&
        taskDefinitionArn !== service.taskDefinition
      ) {
        throw new SimError(
          'InvalidParameterException',
          service.deploymentController === 'CODE_DEPLOY'
            ? 'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.'
            : 'Unable to update task definition on services with a EXTERNAL deployment controller.',
        );
      }
      if (input.deploymentConfiguration) {
        service.deploymentConfiguration = {
          ...service.deploymentConfiguration,
          ...input.deploymentConfiguration,
        };
      }
      if (typeof input.desiredCount === 'number' && input.desiredCount !== service.desiredCount) {
        service.desiredCount = input.desiredCount;
        this.world.record(service.arn, `desiredCount ${input.desiredCount}`);
      }
      if (
        service.deploymentController === 'ECS' &&
        ((taskDefinitionArn && taskDefinitionArn !== service.taskDefinition) || input.forceNewDeployment)
      ) {
        this.deployments.start(service, taskDefinitionArn ?? service.taskDefinition);
      }
      return { service: this.describeService(service) };
    },
  };

  /** Service deployment operations live with the deployments they drive. */
  allHandlers(): Record<string, Handler> {
    return { ...this.handlers, ...this.deployments.handlers, ...this.oneOffTasks.handlers };
  }

  describeService(service: SimService) {
    const counts = this.deployments.counts(service);
    return {
      serviceArn: service.arn,
      serviceName: service.name,
      clusterArn: service.clusterArn,
      loadBalancers: service.loadBalancers,
      serviceRegistries: [],
      status: service.status,
      desiredCount: service.desiredCount,
      runningCount: counts.runningCount,
      pendingCount: counts.pendingCount,
      launchType: service.launchType,
      capacityProviderStrategy: service.capacityProviderStrategy,
      platformVersion: service.platformVersion,
      platformFamily: 'Linux',
      taskDefinition: service.taskDefinition,
      deploymentConfiguration: service.deploymentConfiguration,
      taskSets: service.taskSets.map((taskSet) => ({
        id: taskSet.id,
        taskSetArn: taskSet.taskSetArn,
        serviceArn: service.arn,
        clusterArn: service.clusterArn,
        startedBy: service.deploymentController === 'CODE_DEPLOY' ? 'CodeDeploy' : undefined,
        externalId: taskSet.id,
        status: taskSet.status,
        taskDefinition: taskSet.taskDefinition,
        computedDesiredCount: taskSet.desiredCount,
        pendingCount: taskSet.pendingCount,
        runningCount: taskSet.runningCount,
        createdAt: taskSet.createdAt,
        updatedAt: taskSet.updatedAt,
        launchType: service.launchType,
        platformVersion: service.platformVersion,
        networkConfiguration: service.networkConfiguration,
        loadBalancers: service.loadBalancers.map((lb) => ({
          ...lb,
          targetGroupArn: taskSet.targetGroupArn ?? lb.targetGroupArn,
        })),
        scale: { value: 100, unit: 'PERCENT' },
        stabilityStatus: taskSet.runningCount === taskSet.desiredCount ? 'STEADY_STATE' : 'STABILIZING',
        stabilityStatusAt: taskSet.updatedAt,
      })),
      deployments: this.deployments.describeRollouts(service),
      roleArn: service.roleArn,
      events: service.events.slice(0, 100),
      createdAt: service.createdAt,
      placementConstraints: [],
      placementStrategy: [],
      networkConfiguration: service.networkConfiguration,
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: service.deploymentController },
      createdBy: `arn:aws:iam::${this.world.accountId}:role/admin`,
      enableECSManagedTags: false,
      propagateTags: 'NONE',
      enableExecuteCommand: false,
    };
  }
}
