/**
 * The simulated account: ECS clusters, services, task sets, task definitions and tasks, plus the
 * change log. CodeDeploy and ECS handlers both change it, so it lives in one place. It also reaches
 * the ECR registry and the log store, because launching and stopping a task involves both.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SimClock } from './clock.js';
import type { EcrRegistry } from './ecr-registry.js';
import { SimError } from './errors.js';
import type { FaultBook } from './faults.js';
import type { LogStore } from './log-store.js';
import { writeLastWords } from './task-logs.js';
import { faultStopCause, launchProblem, type StopCause } from './task-stops.js';
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
  lastStatus: 'PROVISIONING' | 'RUNNING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  stoppingAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  launchType?: string;
  containers: SimContainer[];
}

export interface SimContainer {
  name: string;
  lastStatus: string;
  /** Set once the container was created (not for a task that failed to start). */
  runtimeId?: string;
  exitCode?: number;
  reason?: string;
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
    readonly registry: EcrRegistry,
    readonly logs: LogStore,
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
    if (revision !== undefined)
      return this.taskDefinitions.get(this.arn('ecs', `task-definition/${family}:${revision}`));
    let latest: RegisteredTaskDefinition | undefined;
    for (const registered of this.taskDefinitions.values()) {
      const { family: f, status, revision: r } = registered.taskDefinition;
      if (f === family && status === 'ACTIVE' && r > (latest?.taskDefinition.revision ?? 0))
        latest = registered;
    }
    return latest;
  }

  /** Marks a revision INACTIVE: still described, no longer listed as ACTIVE; services on it keep running. */
  deregisterTaskDefinition(registered: RegisteredTaskDefinition): void {
    if (registered.taskDefinition.status === 'INACTIVE') return;
    registered.taskDefinition.status = 'INACTIVE';
    registered.taskDefinition.deregisteredAt = this.now();
    this.record(
      registered.taskDefinition.taskDefinitionArn,
      `deregistered ${registered.taskDefinition.taskDefinitionArn}`,
    );
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

  // --- tasks -----------------------------------------------------------------------------------

  newTaskArn(clusterName: string): string {
    return this.arn('ecs', `task/${clusterName}/${this.newHexId()}`);
  }

  /** Containers as they run: Fargate runtime ids are `<task id>-<10 digits>`, EC2 ones Docker ids. */
  runningContainers(definition: TaskDefinitionRecord, taskArn: string, launchType?: string): SimContainer[] {
    const taskId = taskArn.split('/').pop()!;
    return definition.containerDefinitions.map((container) => ({
      name: container.name,
      lastStatus: 'RUNNING',
      runtimeId:
        launchType === 'EC2'
          ? randomBytes(32).toString('hex')
          : `${taskId}-${String(1_000_000_000 + (randomBytes(4).readUInt32BE(0) % 3_000_000_000))}`,
    }));
  }

  /** What real ECS would stop a task of this definition for at launch (image, platform, log group). */
  launchProblem(definition: TaskDefinitionRecord): StopCause | undefined {
    return launchProblem(definition, this.registry, this.logs, this.region);
  }

  /**
   * Why the next task of a service's revision stops, or undefined when it runs: a launch problem, else
   * the tasksKeepStopping fault (counted per revision). The scenario's own revisions always run, so
   * rollbacks to them succeed.
   */
  nextTaskStop(taskDefinitionArn: string): StopCause | undefined {
    const registered = this.taskDefinitions.get(taskDefinitionArn);
    if (!registered || this.baselineTaskDefinitions.has(taskDefinitionArn)) return undefined;
    const problem = this.launchProblem(registered.taskDefinition);
    if (problem) return problem;
    const fault = this.faults.stoppingTask(taskDefinitionArn);
    return fault && faultStopCause(fault, registered.taskDefinition);
  }

  /** Records a task of a service's `taskDefinitionArn` that started (or failed to) and stopped for `cause`. */
  addStoppedTask(
    service: SimService,
    taskDefinitionArn: string,
    startedBy: string,
    cause: StopCause,
  ): SimTask {
    const registered = this.taskDefinitions.get(taskDefinitionArn);
    const now = this.now();
    const taskArn = this.newTaskArn(service.clusterName);
    const task: SimTask = {
      taskArn,
      clusterArn: service.clusterArn,
      serviceName: service.name,
      taskDefinitionArn,
      startedBy,
      group: `service:${service.name}`,
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      createdAt: now - 20,
      startedAt: now - 15,
      stoppingAt: now - 1,
      launchType: service.launchType,
      containers: registered
        ? this.runningContainers(registered.taskDefinition, taskArn, service.launchType ?? 'FARGATE')
        : [],
    };
    this.tasks.unshift(task);
    this.stopTask(task, cause);
    return task;
  }

  /** Stops a task: exit codes and reasons per container, and its awslogs containers' last lines. */
  stopTask(task: SimTask, cause: StopCause): void {
    const now = this.now();
    const neverStarted = cause.stopCode === 'TaskFailedToStart' || task.startedAt === undefined;
    task.lastStatus = 'STOPPED';
    task.desiredStatus = 'STOPPED';
    task.stoppingAt ??= now;
    task.stoppedAt = now;
    task.stopCode = cause.stopCode;
    task.stoppedReason = cause.stoppedReason;
    // ECS leaves startedAt, runtime ids and exit codes out for a task that never started.
    if (cause.stopCode === 'TaskFailedToStart') delete task.startedAt;
    task.containers = task.containers.map((container) => {
      const failed = cause.container === undefined || cause.container === container.name;
      const reason = failed && cause.containerReason ? { reason: cause.containerReason } : {};
      if (neverStarted) return { name: container.name, lastStatus: 'STOPPED', ...reason };
      return { ...container, lastStatus: 'STOPPED', exitCode: failed ? (cause.exitCode ?? 1) : 0, ...reason };
    });
    const registered = this.taskDefinitions.get(task.taskDefinitionArn);
    if (registered && task.startedAt !== undefined) {
      writeLastWords(
        this.logs,
        { ...task, startedAt: task.startedAt, stoppedAt: now },
        registered.taskDefinition,
        cause,
        this.region,
      );
    }
    this.record(
      task.taskArn,
      `task stopped (${cause.stopCode}: ${cause.stoppedReason}) of ${task.taskDefinitionArn}`,
    );
  }
}

function defaultDeploymentConfiguration(): ScenarioDeploymentConfiguration {
  return {
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    deploymentCircuitBreaker: { enable: false, rollback: false },
  };
}
