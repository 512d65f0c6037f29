/**
 * The simulated account: ECS clusters, services, task sets, task definitions and stopped tasks, plus
 * the change log. CodeDeploy and ECS handlers both change it, so it lives in one place.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SimClock } from './clock.js';
import { SimError } from './errors.js';
import type { FaultBook } from './faults.js';
import type {
  ScenarioDeploymentConfiguration,
  ScenarioLoadBalancer,
  ScenarioService,
  ScenarioTaskDefinition,
  Timings,
} from './scenarios.js';

export interface RecordedChange {
  at: number;
  /** e.g. deployment id, service ARN, task definition ARN. */
  resource: string;
  /** Human-readable, e.g. 'lifecycle AllowTraffic Succeeded', 'traffic blue=90 green=10'. */
  what: string;
}

export type TaskDefinitionRecord = Record<string, unknown> & {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  containerDefinitions: ScenarioTaskDefinition['containerDefinitions'];
};

export interface RegisteredTaskDefinition {
  taskDefinition: TaskDefinitionRecord;
  tags: { key: string; value: string }[];
}

export interface SimTaskSet {
  id: string;
  taskSetArn: string;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING';
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  /** Production traffic weight, 0-100. */
  trafficWeight: number;
  targetGroupArn?: string;
  createdAt: number;
  updatedAt: number;
}

/** An entry of DescribeServices `deployments` (rolling and ECS-native). */
export interface SimServiceRollout {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  createdAt: number;
  updatedAt: number;
}

export interface SimService {
  name: string;
  arn: string;
  clusterName: string;
  clusterArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinition: string;
  deploymentController: 'CODE_DEPLOY' | 'ECS' | 'EXTERNAL';
  deploymentConfiguration: ScenarioDeploymentConfiguration;
  loadBalancers: ScenarioLoadBalancer[];
  networkConfiguration?: ScenarioService['networkConfiguration'];
  platformVersion?: string;
  launchType?: string;
  capacityProviderStrategy?: ScenarioService['capacityProviderStrategy'];
  roleArn?: string;
  createdAt: number;
  /** Newest first, as DescribeServices returns them. */
  events: { id: string; createdAt: number; message: string }[];
  /** CODE_DEPLOY / EXTERNAL services. */
  taskSets: SimTaskSet[];
  /** ECS-controller services. */
  rollouts: SimServiceRollout[];
}

export interface SimCluster {
  name: string;
  arn: string;
  services: Map<string, SimService>;
}

export interface SimTask {
  taskArn: string;
  clusterArn: string;
  serviceName: string;
  taskDefinitionArn: string;
  startedBy: string;
  group: string;
  lastStatus: 'RUNNING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  stoppingAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  launchType?: string;
  containers: { name: string; exitCode?: number; reason?: string; lastStatus: string }[];
}

export class World {
  readonly changes: RecordedChange[] = [];
  readonly clusters = new Map<string, SimCluster>();
  readonly taskDefinitions = new Map<string, RegisteredTaskDefinition>();
  readonly tasks: SimTask[] = [];
  /** Task definitions of the scenario itself: their tasks never fail (so rollbacks to them succeed). */
  readonly baselineTaskDefinitions = new Set<string>();
  private readonly latestRevision = new Map<string, number>();

  constructor(
    readonly region: string,
    readonly accountId: string,
    readonly clock: SimClock,
    readonly timings: Timings,
    readonly faults: FaultBook,
  ) {}

  record(resource: string, what: string): void {
    this.changes.push({ at: Date.now(), resource, what });
  }

  now(): number {
    return this.clock.nowSeconds();
  }

  arn(service: 'ecs', resource: string): string {
    return `arn:aws:${service}:${this.region}:${this.accountId}:${resource}`;
  }

  /** `ecs-svc/` + 19 digits, the id shape of ECS deployments and task sets. */
  newEcsServiceId(): string {
    let digits = String(1 + (randomBytes(1)[0] % 9));
    while (digits.length < 19) digits += String(randomBytes(1)[0] % 10);
    return `ecs-svc/${digits}`;
  }

  newHexId(): string {
    return randomUUID().replace(/-/g, '');
  }

  // --- task definitions -------------------------------------------------------------------------

  registerTaskDefinition(input: ScenarioTaskDefinition, registeredBy: string): RegisteredTaskDefinition {
    const { tags, ...definition } = input;
    const revision = (this.latestRevision.get(input.family) ?? 0) + 1;
    this.latestRevision.set(input.family, revision);
    const taskDefinitionArn = this.arn('ecs', `task-definition/${input.family}:${revision}`);
    const taskDefinition: TaskDefinitionRecord = {
      ...structuredClone(definition),
      taskDefinitionArn,
      family: input.family,
      revision,
      status: 'ACTIVE',
      containerDefinitions: structuredClone(input.containerDefinitions),
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
      compatibilities: ['EC2', 'FARGATE'],
      registeredAt: this.now(),
      registeredBy,
    };
    const registered = { taskDefinition, tags: structuredClone(tags ?? []) };
    this.taskDefinitions.set(taskDefinitionArn, registered);
    this.record(taskDefinitionArn, `registered ${taskDefinitionArn}`);
    return registered;
  }

  /** A task definition by ARN, family:revision or family (latest ACTIVE revision); undefined if unknown. */
  findTaskDefinition(ref: string): RegisteredTaskDefinition | undefined {
    if (ref.startsWith('arn:')) return this.taskDefinitions.get(ref);
    const [family, revision] = ref.split(':');
    const wanted = revision ?? String(this.latestRevision.get(family) ?? 0);
    return this.taskDefinitions.get(this.arn('ecs', `task-definition/${family}:${wanted}`));
  }

  // --- clusters and services --------------------------------------------------------------------

  addCluster(name: string): SimCluster {
    const cluster = { name, arn: this.arn('ecs', `cluster/${name}`), services: new Map() };
    this.clusters.set(name, cluster);
    return cluster;
  }

  addService(cluster: SimCluster, input: ScenarioService): SimService {
    const taskDefinition = this.findTaskDefinition(input.taskDefinition);
    if (!taskDefinition)
      throw new Error(`scenario: service ${input.name} uses unknown ${input.taskDefinition}`);
    const now = this.now();
    const service: SimService = {
      name: input.name,
      arn: this.arn('ecs', `service/${cluster.name}/${input.name}`),
      clusterName: cluster.name,
      clusterArn: cluster.arn,
      status: input.status ?? 'ACTIVE',
      desiredCount: input.desiredCount ?? 2,
      taskDefinition: taskDefinition.taskDefinition.taskDefinitionArn,
      deploymentController: input.deploymentController ?? 'ECS',
      deploymentConfiguration: structuredClone(
        input.deploymentConfiguration ?? defaultDeploymentConfiguration(),
      ),
      loadBalancers: structuredClone(input.loadBalancers ?? []),
      networkConfiguration: structuredClone(input.networkConfiguration),
      platformVersion: input.platformVersion,
      launchType: input.capacityProviderStrategy ? undefined : (input.launchType ?? 'FARGATE'),
      capacityProviderStrategy: structuredClone(input.capacityProviderStrategy),
      roleArn:
        input.roleArn ??
        `arn:aws:iam::${this.accountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
      createdAt: now,
      events: [],
      taskSets: [],
      rollouts: [],
    };
    for (const message of input.events ?? []) this.addServiceEvent(service, message, false);
    if (service.deploymentController === 'ECS') {
      service.rollouts.push({
        id: this.newEcsServiceId(),
        status: 'PRIMARY',
        taskDefinition: service.taskDefinition,
        desiredCount: service.desiredCount,
        runningCount: service.desiredCount,
        pendingCount: 0,
        failedTasks: 0,
        rolloutState: 'COMPLETED',
        rolloutStateReason: 'ECS deployment completed.',
        createdAt: now,
        updatedAt: now,
      });
    } else {
      service.taskSets.push({
        id: this.newEcsServiceId(),
        taskSetArn: '',
        status: 'PRIMARY',
        taskDefinition: service.taskDefinition,
        desiredCount: service.desiredCount,
        runningCount: service.desiredCount,
        pendingCount: 0,
        trafficWeight: 100,
        targetGroupArn: service.loadBalancers[0]?.targetGroupArn,
        createdAt: now,
        updatedAt: now,
      });
      service.taskSets[0].taskSetArn = this.taskSetArn(service, service.taskSets[0].id);
    }
    cluster.services.set(service.name, service);
    return service;
  }

  taskSetArn(service: SimService, taskSetId: string): string {
    return this.arn('ecs', `task-set/${service.clusterName}/${service.name}/${taskSetId}`);
  }

  /** By name or ARN; ClusterNotFoundException otherwise. */
  cluster(ref: string | undefined): SimCluster {
    const name = (ref ?? 'default').replace(/^arn:aws[^:]*:ecs:[^:]*:[^:]*:cluster\//, '');
    const cluster = this.clusters.get(name);
    if (!cluster) throw new SimError('ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

  /** By name or ARN within a cluster; undefined if missing. */
  findService(cluster: SimCluster, ref: string): SimService | undefined {
    const name = ref.startsWith('arn:') ? ref.split('/').pop()! : ref;
    return cluster.services.get(name);
  }

  service(clusterRef: string | undefined, serviceRef: string): SimService {
    const service = this.findService(this.cluster(clusterRef), serviceRef);
    if (!service) throw new SimError('ServiceNotFoundException', 'Service not found.');
    return service;
  }

  addServiceEvent(service: SimService, message: string, record = true): void {
    service.events.unshift({ id: randomUUID(), createdAt: this.now(), message });
    if (record) this.record(service.arn, `event ${message}`);
  }

  /** Records a task of `taskDefinitionArn` that started and stopped (the tasksKeepStopping fault). */
  addStoppedTask(service: SimService, taskDefinitionArn: string, startedBy: string): SimTask {
    const fault = this.faults.tasksKeepStopping();
    const registered = this.taskDefinitions.get(taskDefinitionArn);
    const essential = registered?.taskDefinition.containerDefinitions.find((c) => c.essential !== false);
    const now = this.now();
    const task: SimTask = {
      taskArn: this.arn('ecs', `task/${service.clusterName}/${this.newHexId()}`),
      clusterArn: service.clusterArn,
      serviceName: service.name,
      taskDefinitionArn,
      startedBy,
      group: `service:${service.name}`,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      createdAt: now - 20,
      startedAt: now - 15,
      stoppingAt: now - 1,
      stoppedAt: now,
      stoppedReason: fault?.stoppedReason ?? 'Essential container in task exited',
      stopCode: 'EssentialContainerExited',
      launchType: service.launchType,
      containers: (registered?.taskDefinition.containerDefinitions ?? []).map((container) =>
        container === essential
          ? {
              name: container.name,
              lastStatus: 'STOPPED',
              exitCode: fault?.exitCode ?? 1,
              reason: fault?.containerReason ?? 'Error: listen EADDRINUSE: address already in use :::8080',
            }
          : { name: container.name, lastStatus: 'STOPPED', exitCode: 0 },
      ),
    };
    this.tasks.unshift(task);
    this.record(task.taskArn, `task stopped (${task.stoppedReason}) of ${taskDefinitionArn}`);
    return task;
  }
}

function defaultDeploymentConfiguration(): ScenarioDeploymentConfiguration {
  return {
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    deploymentCircuitBreaker: { enable: false, rollback: false },
  };
}
