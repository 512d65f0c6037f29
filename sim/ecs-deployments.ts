/** ECS-controller service deployments: their state, the operations over them, and UpdateService's start. */
import type { Handler } from './handler.js';
import {
  type RevisionSide,
  type SimServiceDeployment,
  briefServiceDeployment,
  describeServiceDeployment,
  finishedStatuses,
} from './ecs-deployments-model.js';
import { EcsRolloutRunner } from './ecs-rollout.js';
import { SimError } from './errors.js';
import type { SimService, SimServiceRollout, World } from './world.js';

export class EcsDeployments {
  private readonly all = new Map<string, SimServiceDeployment>();
  /** The revision each service runs now (created lazily for scenario services). */
  private readonly currentRevision = new Map<string, string>();
  private readonly runner: EcsRolloutRunner;

  constructor(private readonly world: World) {
    this.runner = new EcsRolloutRunner(world);
  }

  readonly handlers: Record<string, Handler> = {
    ListServiceDeployments: (input) => {
      const service = this.world.service(input.cluster, String(input.service ?? ''));
      if (this.world.faults.hidesServiceDeployments()) return { serviceDeployments: [] };
      const statuses: string[] | undefined = input.status;
      const after: number | undefined = input.createdAt?.after;
      const before: number | undefined = input.createdAt?.before;
      const found = [...this.all.values()]
        .filter((d) => d.service === service)
        .filter((d) => !statuses?.length || statuses.includes(d.status))
        .filter(
          (d) =>
            (after === undefined || d.createdAt >= after) && (before === undefined || d.createdAt <= before),
        )
        .reverse();
      return { serviceDeployments: found.slice(0, input.maxResults ?? 20).map(briefServiceDeployment) };
    },
    DescribeServiceDeployments: (input) => {
      const arns: string[] = input.serviceDeploymentArns ?? [];
      if (arns.length === 0 || arns.length > 20) {
        throw new SimError(
          'InvalidParameterException',
          'serviceDeploymentArns must contain between 1 and 20 ARNs.',
        );
      }
      const serviceDeployments: unknown[] = [];
      const failures: unknown[] = [];
      for (const arn of arns) {
        const deployment = this.all.get(arn);
        if (deployment) serviceDeployments.push(describeServiceDeployment(deployment));
        else failures.push({ arn, reason: 'MISSING' });
      }
      return { serviceDeployments, failures };
    },
    StopServiceDeployment: (input) => {
      const deployment = this.find(input.serviceDeploymentArn);
      if (finishedStatuses.includes(deployment.status) || deployment.status.startsWith('ROLLBACK')) {
        throw new SimError(
          'ConflictException',
          `The service deployment is in status ${deployment.status} and cannot be stopped.`,
        );
      }
      this.runner.stop(deployment, input.stopType === 'ABORT' ? 'ABORT' : 'ROLLBACK');
      return { serviceDeploymentArn: deployment.arn };
    },
    ContinueServiceDeployment: (input) => {
      const deployment = this.find(input.serviceDeploymentArn);
      const hook = deployment.hooks.find((h) => h.hookId === input.hookId && h.status === 'AWAITING_ACTION');
      if (!hook)
        throw new SimError(
          'InvalidParameterException',
          `No lifecycle hook ${input.hookId} is awaiting action.`,
        );
      hook.action = input.action === 'ROLLBACK' ? 'ROLLBACK' : 'CONTINUE';
      this.world.record(deployment.arn, `continued hook ${hook.hookId} (${hook.action})`);
      hook.decision.release();
      return { serviceDeploymentArn: deployment.arn };
    },
  };

  private find(arn: string | undefined): SimServiceDeployment {
    const deployment = arn ? this.all.get(arn) : undefined;
    if (!deployment)
      throw new SimError(
        'ServiceDeploymentNotFoundException',
        `The service deployment ${arn} does not exist.`,
      );
    return deployment;
  }

  private newRevisionArn(service: SimService): string {
    const digits = this.world.newEcsServiceId().slice('ecs-svc/'.length);
    return this.world.arn('ecs', `service-revision/${service.clusterName}/${service.name}/${digits}`);
  }

  private revisionOf(service: SimService): string {
    let arn = this.currentRevision.get(service.arn);
    if (!arn) this.currentRevision.set(service.arn, (arn = this.newRevisionArn(service)));
    return arn;
  }

  /** UpdateService with a new task definition (or forceNewDeployment) on an ECS-controller service. */
  start(service: SimService, taskDefinitionArn: string): SimServiceDeployment {
    for (const running of this.all.values()) {
      if (running.service === service && !finishedStatuses.includes(running.status))
        this.runner.supersede(running);
    }
    const now = this.world.now();
    const sourceRollout = service.rollouts.find((rollout) => rollout.status === 'PRIMARY');
    const sourceRevision = this.revisionOf(service);
    if (sourceRollout) sourceRollout.status = 'ACTIVE';
    const rollout: SimServiceRollout = {
      id: this.world.newEcsServiceId(),
      status: 'PRIMARY',
      taskDefinition: taskDefinitionArn,
      desiredCount: service.desiredCount,
      runningCount: 0,
      pendingCount: 0,
      failedTasks: 0,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: '',
      createdAt: now,
      updatedAt: now,
    };
    rollout.rolloutStateReason = `ECS deployment ${rollout.id} in progress.`;
    service.rollouts.unshift(rollout);
    if (service.taskDefinition !== taskDefinitionArn) {
      service.taskDefinition = taskDefinitionArn;
      this.world.record(service.arn, `taskDefinition ${taskDefinitionArn}`);
    }
    const target: RevisionSide = {
      revisionArn: this.newRevisionArn(service),
      rollout,
      productionWeight: 0,
      testWeight: 0,
    };
    this.currentRevision.set(service.arn, target.revisionArn);
    const source: RevisionSide | undefined = sourceRollout && {
      revisionArn: sourceRevision,
      rollout: sourceRollout,
      productionWeight: 100,
      testWeight: 100,
    };
    const configuration = structuredClone(service.deploymentConfiguration);
    const breakerEnabled = configuration.deploymentCircuitBreaker?.enable === true;
    const deployment: SimServiceDeployment = {
      arn: this.world.arn(
        'ecs',
        `service-deployment/${service.clusterName}/${service.name}/${this.world.newHexId().slice(0, 22)}`,
      ),
      service,
      strategy: configuration.strategy ?? 'ROLLING',
      configuration,
      status: 'PENDING',
      createdAt: now,
      updatedAt: now,
      target,
      source,
      hooks: [],
      circuitBreaker: {
        status: breakerEnabled ? 'MONITORING' : 'DISABLED',
        failureCount: 0,
        threshold: Math.min(200, Math.max(3, Math.ceil(service.desiredCount / 2))),
      },
      abort: new AbortController(),
    };
    this.all.set(deployment.arn, deployment);
    this.world.record(deployment.arn, `created (${deployment.strategy}, ${taskDefinitionArn})`);
    this.runner.run(deployment);
    return deployment;
  }

  counts(service: SimService): { runningCount: number; pendingCount: number } {
    const parts: { runningCount: number; pendingCount: number }[] =
      service.taskSets.length > 0 ? service.taskSets : service.rollouts;
    return {
      runningCount: parts.reduce((sum, part) => sum + part.runningCount, 0),
      pendingCount: parts.reduce((sum, part) => sum + part.pendingCount, 0),
    };
  }

  /** DescribeServices `deployments`: the rollouts, or for task-set services one entry per task set. */
  describeRollouts(service: SimService): unknown[] {
    const common = {
      launchType: service.launchType,
      capacityProviderStrategy: service.capacityProviderStrategy,
      platformVersion: service.platformVersion,
      platformFamily: 'Linux',
      networkConfiguration: service.networkConfiguration,
    };
    if (service.taskSets.length > 0) {
      return service.taskSets.map((taskSet) => ({
        id: taskSet.id,
        status: taskSet.status === 'PRIMARY' ? 'PRIMARY' : 'ACTIVE',
        taskDefinition: taskSet.taskDefinition,
        desiredCount: taskSet.desiredCount,
        pendingCount: taskSet.pendingCount,
        runningCount: taskSet.runningCount,
        failedTasks: 0,
        createdAt: taskSet.createdAt,
        updatedAt: taskSet.updatedAt,
        ...common,
      }));
    }
    // ECS returns rolloutState only for rolling services not behind a Classic Load Balancer.
    const classic = service.loadBalancers.some((lb) => lb.loadBalancerName && !lb.targetGroupArn);
    return service.rollouts.map((rollout) => {
      const described: Partial<typeof rollout> = { ...rollout };
      if (classic) {
        delete described.rolloutState;
        delete described.rolloutStateReason;
      }
      return { ...described, ...common };
    });
  }

  stopAll(): void {
    for (const deployment of this.all.values()) deployment.abort.abort();
  }
}
