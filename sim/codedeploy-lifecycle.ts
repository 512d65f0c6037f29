/**
 * Runs a CodeDeploy ECS blue/green deployment through its lifecycle in scaled time: one async
 * function per deployment, cancelled through its AbortController (StopDeployment, shutdown).
 */
import { createHash } from 'node:crypto';
import { Latch } from './clock.js';
import {
  type CdDeployment,
  type CdGroup,
  type DeploymentStatus,
  type LifecycleEventState,
  greenTargetGroupArn,
  lifecycleEventNames,
  newDeploymentId,
} from './codedeploy-model.js';
import { Cancelled } from './errors.js';
import type { LifecycleEventName, ScenarioDeploymentConfig } from './scenarios.js';
import type { SimService, SimTaskSet, World } from './world.js';

const hookEvents = new Set<string>([
  'BeforeInstall',
  'AfterInstall',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
]);

/** A lifecycle event failed: carries what GetDeploymentTarget and GetDeployment then report. */
class LifecycleFailure extends Error {
  constructor(
    readonly diagnostics: NonNullable<LifecycleEventState['diagnostics']>,
    readonly errorInformation: { code: string; message: string },
  ) {
    super(errorInformation.message);
  }
}

export class CodeDeployLifecycle {
  constructor(
    private readonly world: World,
    private readonly deploymentConfig: (name: string) => ScenarioDeploymentConfig,
    private readonly register: (deployment: CdDeployment) => void,
  ) {}

  newDeployment(fields: {
    applicationName: string;
    group: CdGroup;
    service: SimService;
    deploymentConfigName: string;
    creator: CdDeployment['creator'];
    revision: unknown;
    description?: string;
    appSpec?: CdDeployment['appSpec'];
    autoRollbackConfiguration?: CdDeployment['autoRollbackConfiguration'];
  }): CdDeployment {
    const now = this.world.now();
    const deployment: CdDeployment = {
      ...fields,
      id: newDeploymentId(),
      status: 'Created',
      createTime: now,
      instanceTerminationWaitTimeStarted: false,
      autoRollbackConfiguration: fields.autoRollbackConfiguration ?? fields.group.autoRollbackConfiguration,
      target: {
        status: 'Pending',
        lastUpdatedAt: now,
        lifecycleEvents: lifecycleEventNames.map((name) => ({ lifecycleEventName: name, status: 'Pending' })),
      },
      abort: new AbortController(),
      readyWait: new Latch(),
      terminationWait: new Latch(),
    };
    this.register(deployment);
    this.world.record(deployment.id, `created by ${deployment.creator} (${deployment.deploymentConfigName})`);
    return deployment;
  }

  start(deployment: CdDeployment): void {
    this.guard(deployment, this.run(deployment));
  }

  /** The groupBusy fault: a deployment already past its traffic shift, holding the group for `minutes`. */
  startBusy(deployment: CdDeployment, minutes: number): void {
    const now = this.world.now();
    deployment.status = 'InProgress';
    deployment.startTime = now - 60;
    deployment.target.status = 'InProgress';
    for (const event of deployment.target.lifecycleEvents) {
      Object.assign(event, { status: 'Succeeded', startTime: now - 60, endTime: now - 30 });
    }
    deployment.instanceTerminationWaitTimeStarted = true;
    this.guard(
      deployment,
      (async () => {
        await this.world.clock.waitFor(deployment.terminationWait, minutes, deployment.abort.signal);
        this.finish(deployment, 'Succeeded');
      })(),
    );
  }

  private guard(deployment: CdDeployment, run: Promise<void>): void {
    run.catch((error: unknown) => {
      if (error instanceof Cancelled) return;
      this.world.record(deployment.id, `simulator error: ${(error as Error).stack ?? String(error)}`);
    });
  }

  private sleep(deployment: CdDeployment, minutes: number): Promise<void> {
    return this.world.clock.sleep(minutes, deployment.abort.signal);
  }

  private setStatus(deployment: CdDeployment, status: DeploymentStatus): void {
    deployment.status = status;
    this.world.record(deployment.id, `status ${status}`);
  }

  private async run(deployment: CdDeployment): Promise<void> {
    await this.sleep(deployment, this.world.timings.start);
    deployment.startTime = this.world.now();
    this.setTargetStatus(deployment, 'InProgress');
    this.setStatus(deployment, 'InProgress');
    try {
      for (const name of lifecycleEventNames) {
        if (name === 'BeforeAllowTraffic' && !(await this.readyForTraffic(deployment))) return;
        await this.runEvent(deployment, name);
      }
    } catch (error) {
      if (!(error instanceof LifecycleFailure)) throw error;
      this.fail(deployment, error);
      return;
    }
    await this.terminationWait(deployment);
  }

  private async runEvent(deployment: CdDeployment, name: LifecycleEventName): Promise<void> {
    const event = this.event(deployment, name);
    this.setEvent(deployment, event, 'InProgress');
    try {
      if (this.world.faults.hangsIn(name)) await this.world.clock.hang(deployment.abort.signal);
      if (hookEvents.has(name)) await this.runHook(deployment, name);
      else if (name === 'Install') await this.install(deployment);
      else if (name === 'AllowTestTraffic') await this.sleep(deployment, this.world.timings.testTraffic);
      else if (name === 'AllowTraffic') await this.shiftTraffic(deployment);
    } catch (error) {
      if (error instanceof LifecycleFailure) {
        event.diagnostics = error.diagnostics;
        this.setEvent(deployment, event, 'Failed');
      }
      throw error;
    }
    this.setEvent(deployment, event, 'Succeeded');
  }

  private async runHook(deployment: CdDeployment, name: LifecycleEventName): Promise<void> {
    const lambda = deployment.appSpec?.hooks[name];
    const failure = this.world.faults.hookFailure(name);
    if (lambda || failure) await this.sleep(deployment, this.world.timings.hook);
    if (!failure) return;
    const scriptName = lambda ?? `${name}Hook`;
    const message =
      failure.message ?? `The Lambda function ${scriptName} reported the lifecycle event as Failed.`;
    throw new LifecycleFailure(
      { errorCode: 'ScriptFailed', scriptName, message, logTail: failure.logTail ?? '' },
      {
        code: 'HOOK_EXECUTION_FAILURE',
        message: `The deployment failed because one or more of the lifecycle event hooks failed. Lifecycle event ${name}: ${message}`,
      },
    );
  }

  /** Creates the Green task set; its tasks start one by one (or keep stopping under the fault). */
  private async install(deployment: CdDeployment): Promise<void> {
    const { service } = deployment;
    const blue = service.taskSets.find((taskSet) => taskSet.status === 'PRIMARY');
    const desired = blue?.desiredCount ?? service.desiredCount;
    const now = this.world.now();
    const id = this.world.newEcsServiceId();
    const green: SimTaskSet = {
      id,
      taskSetArn: this.world.taskSetArn(service, id),
      status: 'ACTIVE',
      taskDefinition: deployment.appSpec!.taskDefinitionArn,
      desiredCount: desired,
      runningCount: 0,
      pendingCount: desired,
      trafficWeight: 0,
      targetGroupArn: greenTargetGroupArn(deployment.group, blue?.targetGroupArn),
      createdAt: now,
      updatedAt: now,
    };
    deployment.blueTaskSetId = blue?.id;
    deployment.greenTaskSetId = green.id;
    service.taskSets.push(green);
    this.world.record(service.arn, `task set ${green.id} created (Green, ${green.taskDefinition})`);

    // Tasks start one by one; one that stops is replaced, until Install gives up after installFailure.
    const step = this.world.timings.install / Math.max(1, desired);
    if (desired === 0) await this.sleep(deployment, this.world.timings.install);
    let elapsed = 0;
    while (green.runningCount < desired) {
      await this.sleep(deployment, step);
      elapsed += step;
      const cause = this.world.nextTaskStop(green.taskDefinition);
      if (cause) {
        const task = this.world.addStoppedTask(service, green.taskDefinition, green.id, cause);
        this.world.addServiceEvent(
          service,
          `(service ${service.name}, taskSet ${green.id}) has stopped 1 running tasks: (task ${task.taskArn.split('/').pop()}).`,
        );
        if (elapsed < this.world.timings.installFailure) continue;
        const message = `The ECS deployment failed: the replacement task set ${green.id} did not reach a steady state because its tasks keep stopping (${cause.stoppedReason}).`;
        throw new LifecycleFailure(
          { errorCode: 'UnknownError', scriptName: '', message, logTail: '' },
          { code: 'ECS_UPDATE_ERROR', message },
        );
      }
      green.runningCount += 1;
      green.pendingCount -= 1;
      green.updatedAt = this.world.now();
      this.world.addServiceEvent(
        service,
        `(service ${service.name}, taskSet ${green.id}) has started 1 tasks: (task ${this.world.newHexId()}).`,
        false,
      );
      this.world.record(deployment.id, `task set Green running=${green.runningCount}/${desired}`);
    }
  }

  private async shiftTraffic(deployment: CdDeployment): Promise<void> {
    const routing = this.deploymentConfig(deployment.deploymentConfigName).trafficRoutingConfig;
    await this.sleep(deployment, this.world.timings.trafficShift);
    if (routing.type === 'TimeBasedCanary' && routing.timeBasedCanary) {
      this.setGreenWeight(deployment, routing.timeBasedCanary.canaryPercentage);
      await this.sleep(deployment, routing.timeBasedCanary.canaryInterval);
    } else if (routing.type === 'TimeBasedLinear' && routing.timeBasedLinear) {
      const { linearPercentage, linearInterval } = routing.timeBasedLinear;
      for (let weight = linearPercentage; weight < 100; weight += linearPercentage) {
        this.setGreenWeight(deployment, weight);
        await this.sleep(deployment, linearInterval);
      }
    }
    this.setGreenWeight(deployment, 100);
    this.promote(deployment, deployment.greenTaskSetId, deployment.blueTaskSetId);
  }

  private setGreenWeight(deployment: CdDeployment, weight: number): void {
    const blue = this.taskSet(deployment, deployment.blueTaskSetId);
    const green = this.taskSet(deployment, deployment.greenTaskSetId);
    if (green) green.trafficWeight = weight;
    if (blue) blue.trafficWeight = 100 - weight;
    // The ECS target's lastUpdatedAt moves with every change CodeDeploy makes to it, a reroute included.
    deployment.target.lastUpdatedAt = this.world.now();
    this.world.record(deployment.id, `traffic blue=${100 - weight} green=${weight}`);
  }

  /** Makes `primaryId` the service's PRIMARY task set: the service now runs its task definition. */
  private promote(
    deployment: CdDeployment,
    primaryId: string | undefined,
    otherId: string | undefined,
  ): void {
    const primary = this.taskSet(deployment, primaryId);
    const other = this.taskSet(deployment, otherId);
    if (!primary) return;
    primary.status = 'PRIMARY';
    if (other) other.status = 'ACTIVE';
    const { service } = deployment;
    if (service.taskDefinition !== primary.taskDefinition) {
      service.taskDefinition = primary.taskDefinition;
      this.world.record(service.arn, `taskDefinition ${primary.taskDefinition}`);
    }
  }

  private taskSet(deployment: CdDeployment, id: string | undefined): SimTaskSet | undefined {
    return deployment.service.taskSets.find((taskSet) => taskSet.id === id);
  }

  private removeTaskSet(deployment: CdDeployment, id: string | undefined, label: string): void {
    const { service } = deployment;
    const index = service.taskSets.findIndex((taskSet) => taskSet.id === id);
    if (index < 0) return;
    service.taskSets.splice(index, 1);
    this.world.record(service.arn, `task set ${id} removed (${label})`);
  }

  /** The deploymentReadyOption STOP_DEPLOYMENT wait; false when it ran out and the deployment stopped. */
  private async readyForTraffic(deployment: CdDeployment): Promise<boolean> {
    const option = deployment.group.deploymentReadyOption;
    if (option?.actionOnTimeout !== 'STOP_DEPLOYMENT') return true;
    this.setTargetStatus(deployment, 'Ready');
    this.setStatus(deployment, 'Ready');
    const continued = await this.world.clock.waitFor(
      deployment.readyWait,
      option.waitTimeInMinutes ?? 0,
      deployment.abort.signal,
    );
    if (continued) {
      this.setTargetStatus(deployment, 'InProgress');
      this.setStatus(deployment, 'InProgress');
      return true;
    }
    this.removeTaskSet(deployment, deployment.greenTaskSetId, 'Green');
    deployment.errorInformation = {
      code: 'TIMEOUT',
      message: `The deployment was stopped because traffic was not rerouted to the replacement task set within the ${option.waitTimeInMinutes ?? 0} minutes wait time.`,
    };
    this.finish(deployment, 'Stopped');
    return false;
  }

  private async terminationWait(deployment: CdDeployment): Promise<void> {
    const minutes = deployment.group.terminationWaitTimeInMinutes ?? 0;
    deployment.instanceTerminationWaitTimeStarted = true;
    this.world.record(deployment.id, `termination wait started (${minutes} min)`);
    await this.world.clock.waitFor(deployment.terminationWait, minutes, deployment.abort.signal);
    this.removeTaskSet(deployment, deployment.blueTaskSetId, 'Blue');
    this.world.addServiceEvent(
      deployment.service,
      `(service ${deployment.service.name}) has reached a steady state.`,
    );
    this.finish(deployment, 'Succeeded');
  }

  private finish(deployment: CdDeployment, status: 'Succeeded' | 'Failed' | 'Stopped'): void {
    deployment.completeTime = this.world.now();
    for (const event of deployment.target.lifecycleEvents) {
      if (event.status === 'Pending' || event.status === 'InProgress')
        this.setEvent(deployment, event, 'Skipped');
    }
    this.setTargetStatus(deployment, status === 'Succeeded' ? 'Succeeded' : 'Failed');
    this.setStatus(deployment, status);
  }

  private fail(deployment: CdDeployment, failure: LifecycleFailure): void {
    deployment.errorInformation = failure.errorInformation;
    this.finish(deployment, 'Failed');
    const rollback = deployment.autoRollbackConfiguration;
    if (rollback?.enabled && (rollback.events ?? []).includes('DEPLOYMENT_FAILURE'))
      this.rollBack(deployment);
  }

  /** StopDeployment: cancels the run; with rollback, a new deployment moves traffic back to Blue. */
  stop(deployment: CdDeployment, withRollback: boolean): void {
    deployment.abort.abort();
    deployment.errorInformation = { code: 'MANUAL_STOP', message: 'The deployment was stopped manually.' };
    this.finish(deployment, 'Stopped');
    if (withRollback) this.rollBack(deployment);
  }

  private rollBack(original: CdDeployment): void {
    const blue = this.taskSet(original, original.blueTaskSetId);
    const taskDefinitionArn = blue?.taskDefinition ?? original.service.taskDefinition;
    const content = rollbackAppSpec(taskDefinitionArn, original);
    const rollback = this.newDeployment({
      applicationName: original.applicationName,
      group: original.group,
      service: original.service,
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      creator: 'autoRollback',
      description: `Rollback of deployment ${original.id}`,
      revision: {
        revisionType: 'AppSpecContent',
        appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') },
      },
    });
    rollback.rollbackInfo = { rollbackTriggeringDeploymentId: original.id };
    // Seen from the rollback, the original's Blue is the one to keep and its Green the one to remove.
    rollback.blueTaskSetId = original.greenTaskSetId;
    rollback.greenTaskSetId = original.blueTaskSetId;
    original.rollbackInfo = {
      rollbackDeploymentId: rollback.id,
      rollbackMessage: `Deployment ${original.id} was rolled back by deployment ${rollback.id}.`,
    };
    this.world.record(original.id, `rollback ${rollback.id} started`);
    this.guard(rollback, this.runRollback(rollback));
  }

  /** A quick run: traffic back to the original task set, the replacement removed. */
  private async runRollback(rollback: CdDeployment): Promise<void> {
    const step = this.world.timings.rollback / 4;
    await this.sleep(rollback, step);
    rollback.startTime = this.world.now();
    this.setTargetStatus(rollback, 'InProgress');
    this.setStatus(rollback, 'InProgress');
    for (const event of rollback.target.lifecycleEvents) {
      this.setEvent(rollback, event, 'InProgress');
      if (event.lifecycleEventName === 'Install') await this.sleep(rollback, step);
      if (event.lifecycleEventName === 'AllowTraffic') {
        await this.sleep(rollback, step);
        const keep = this.taskSet(rollback, rollback.greenTaskSetId);
        if (keep) keep.trafficWeight = 100;
        const drop = this.taskSet(rollback, rollback.blueTaskSetId);
        if (drop) drop.trafficWeight = 0;
        this.world.record(rollback.id, 'traffic blue=100 green=0');
        this.promote(rollback, rollback.greenTaskSetId, rollback.blueTaskSetId);
      }
      this.setEvent(rollback, event, 'Succeeded');
    }
    await this.sleep(rollback, step);
    this.removeTaskSet(rollback, rollback.blueTaskSetId, 'replacement, rolled back');
    this.finish(rollback, 'Succeeded');
  }

  private event(deployment: CdDeployment, name: LifecycleEventName): LifecycleEventState {
    return deployment.target.lifecycleEvents.find((event) => event.lifecycleEventName === name)!;
  }

  private setEvent(
    deployment: CdDeployment,
    event: LifecycleEventState,
    status: LifecycleEventState['status'],
  ): void {
    const now = this.world.now();
    if (status === 'InProgress') event.startTime = now;
    else if (event.startTime !== undefined || status !== 'Skipped') {
      event.startTime ??= now;
      event.endTime = now;
    }
    event.status = status;
    deployment.target.lastUpdatedAt = now;
    this.world.record(deployment.id, `lifecycle ${event.lifecycleEventName} ${status}`);
  }

  private setTargetStatus(deployment: CdDeployment, status: CdDeployment['target']['status']): void {
    deployment.target.status = status;
    deployment.target.lastUpdatedAt = this.world.now();
  }
}

function rollbackAppSpec(taskDefinitionArn: string, original: CdDeployment): string {
  const containerName =
    original.appSpec?.containerName ?? original.service.loadBalancers[0]?.containerName ?? '';
  const containerPort =
    original.appSpec?.containerPort ?? original.service.loadBalancers[0]?.containerPort ?? 0;
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: taskDefinitionArn,
            LoadBalancerInfo: { ContainerName: containerName, ContainerPort: containerPort },
          },
        },
      },
    ],
  });
}
