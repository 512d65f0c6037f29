/**
 * Drives ECS-controller service deployments in scaled time: rolling updates (tasks replaced one at a
 * time, circuit breaker) and ECS-native BLUE_GREEN / LINEAR / CANARY (lifecycle stages, traffic
 * shift, hooks, bake time), and their rollbacks.
 */
import { randomUUID } from 'node:crypto';
import { Latch } from './clock.js';
import {
  type HookRun,
  type LifecycleStage,
  type RevisionSide,
  type ServiceDeploymentStatus,
  type SimServiceDeployment,
  lifecycleStages,
} from './ecs-deployments-model.js';
import { Cancelled } from './errors.js';
import type { StopCause } from './task-stops.js';
import type { World } from './world.js';

/** Thrown inside a run when the deployment has to roll back (hook failure, circuit breaker, PAUSE → ROLLBACK). */
class RollbackNeeded extends Error {}

export class EcsRolloutRunner {
  constructor(private readonly world: World) {}

  run(deployment: SimServiceDeployment): void {
    this.guard(deployment, this.execute(deployment));
  }

  /** StopServiceDeployment: ROLLBACK returns to the source revision, ABORT leaves things where they are. */
  stop(deployment: SimServiceDeployment, stopType: 'ROLLBACK' | 'ABORT'): void {
    deployment.abort.abort();
    deployment.abort = new AbortController();
    if (stopType === 'ROLLBACK') {
      this.guard(
        deployment,
        this.rollBack(deployment, 'Service deployment rolled back because of a stop request.', true),
      );
      return;
    }
    this.setStatus(deployment, 'STOP_REQUESTED');
    this.guard(
      deployment,
      (async () => {
        await this.sleep(deployment, this.world.timings.stage);
        deployment.stoppedAt = this.world.now();
        this.finish(deployment, 'STOPPED', 'Service deployment stopped because of a stop request.');
      })(),
    );
  }

  /** Superseded by a newer UpdateService. */
  supersede(deployment: SimServiceDeployment): void {
    deployment.abort.abort();
    deployment.stoppedAt = this.world.now();
    this.finish(deployment, 'STOPPED', 'Service deployment superseded by a newer service deployment.');
  }

  private guard(deployment: SimServiceDeployment, run: Promise<void>): void {
    run.catch((error: unknown) => {
      if (error instanceof Cancelled) return;
      this.world.record(deployment.arn, `simulator error: ${(error as Error).stack ?? String(error)}`);
    });
  }

  private sleep(deployment: SimServiceDeployment, minutes: number): Promise<void> {
    return this.world.clock.sleep(minutes, deployment.abort.signal);
  }

  private setStatus(deployment: SimServiceDeployment, status: ServiceDeploymentStatus): void {
    deployment.status = status;
    deployment.updatedAt = this.world.now();
    this.world.record(deployment.arn, `status ${status}`);
  }

  private setStage(deployment: SimServiceDeployment, stage: LifecycleStage): void {
    deployment.lifecycleStage = stage;
    deployment.updatedAt = this.world.now();
    this.world.record(deployment.arn, `stage ${stage}`);
  }

  private event(deployment: SimServiceDeployment, message: string): void {
    this.world.addServiceEvent(deployment.service, `(service ${deployment.service.name}) ${message}`);
  }

  private async execute(deployment: SimServiceDeployment): Promise<void> {
    await this.sleep(deployment, this.world.timings.stage);
    deployment.startedAt = this.world.now();
    this.setStatus(deployment, 'IN_PROGRESS');
    try {
      if (deployment.strategy === 'ROLLING') await this.rolling(deployment);
      else await this.blueGreen(deployment);
    } catch (error) {
      if (!(error instanceof RollbackNeeded)) throw error;
      await this.rollBack(deployment, error.message, false);
      return;
    }
    this.complete(deployment);
  }

  private async rolling(deployment: SimServiceDeployment): Promise<void> {
    this.setStage(deployment, 'RECONCILE_SERVICE');
    this.setStage(deployment, 'SCALE_UP');
    await this.scaleUp(deployment, true);
    this.setStage(deployment, 'CLEAN_UP');
  }

  private async blueGreen(deployment: SimServiceDeployment): Promise<void> {
    const { stage: stageTime } = this.world.timings;
    for (const stage of lifecycleStages) {
      this.setStage(deployment, stage);
      if (stage === 'RECONCILE_SERVICE') await this.sleep(deployment, stageTime);
      if (stage === 'SCALE_UP') await this.scaleUp(deployment, false);
      if (stage === 'TEST_TRAFFIC_SHIFT') {
        await this.sleep(deployment, stageTime);
        deployment.target.testWeight = 100;
        if (deployment.source) deployment.source.testWeight = 0;
        this.world.record(deployment.arn, 'test traffic blue=0 green=100');
      }
      if (stage === 'PRODUCTION_TRAFFIC_SHIFT') await this.shiftTraffic(deployment);
      if (stage === 'BAKE_TIME')
        await this.sleep(deployment, deployment.configuration.bakeTimeInMinutes ?? 0);
      if (stage === 'CLEAN_UP') await this.sleep(deployment, stageTime);
      await this.runHooks(deployment, stage);
    }
  }

  /** Starts the target's tasks one by one; a rolling update stops as many of the source's. */
  private async scaleUp(deployment: SimServiceDeployment, replaceSource: boolean): Promise<void> {
    const { target, source, service } = deployment;
    const desired = service.desiredCount;
    target.rollout.desiredCount = desired;
    target.rollout.pendingCount = Math.min(1, desired);
    while (
      target.rollout.runningCount < desired ||
      (replaceSource && (source?.rollout.runningCount ?? 0) > 0)
    ) {
      await this.sleep(deployment, this.world.timings.taskStart);
      if (target.rollout.runningCount < desired) {
        const cause = this.world.nextTaskStop(target.rollout.taskDefinition);
        if (cause) {
          this.failTask(deployment, cause);
          continue;
        }
        // ECS: once a deployment has a running task, its failed task count resets to zero.
        target.rollout.failedTasks = 0;
        target.rollout.runningCount += 1;
        target.rollout.pendingCount = target.rollout.runningCount < desired ? 1 : 0;
        target.rollout.updatedAt = this.world.now();
        this.event(deployment, `has started 1 tasks: (task ${this.world.newHexId()}).`);
      }
      if (replaceSource && source && source.rollout.runningCount > 0) {
        source.rollout.runningCount -= 1;
        source.rollout.desiredCount = source.rollout.runningCount;
        source.rollout.updatedAt = this.world.now();
        this.event(deployment, `has stopped 1 running tasks: (task ${this.world.newHexId()}).`);
      }
      this.world.record(
        service.arn,
        `tasks new=${target.rollout.runningCount}/${desired} old=${source?.rollout.runningCount ?? 0}`,
      );
    }
  }

  /**
   * A task of the new revision started (or failed to) and stopped. Until one of its tasks runs, ECS
   * counts it in failedTasks and the circuit breaker weighs it; without a breaker ECS just launches
   * another, for as long as the deployment lasts.
   */
  private failTask(deployment: SimServiceDeployment, cause: StopCause): void {
    const { rollout } = deployment.target;
    const task = this.world.addStoppedTask(deployment.service, rollout.taskDefinition, rollout.id, cause);
    this.event(deployment, `has started 1 tasks: (task ${task.taskArn.split('/').pop()}).`);
    if (rollout.runningCount > 0) return;
    rollout.failedTasks += 1;
    rollout.updatedAt = this.world.now();
    const breaker = deployment.circuitBreaker;
    if (breaker.status === 'DISABLED') return;
    breaker.failureCount += 1;
    if (breaker.failureCount < breaker.threshold) return;
    breaker.status = 'TRIGGERED';
    rollout.rolloutState = 'FAILED';
    rollout.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
    rollout.pendingCount = 0;
    this.event(deployment, `deployment ${rollout.id} deployment failed: tasks failed to start.`);
    this.world.record(deployment.service.arn, `rollout ${rollout.id} FAILED (circuit breaker)`);
    if (deployment.configuration.deploymentCircuitBreaker?.rollback) {
      throw new RollbackNeeded(
        'Service deployment rolled back because the circuit breaker threshold was exceeded.',
      );
    }
    this.finish(
      deployment,
      'STOPPED',
      'Service deployment stopped because the circuit breaker threshold was exceeded.',
    );
    throw new Cancelled();
  }

  private async shiftTraffic(deployment: SimServiceDeployment): Promise<void> {
    const { configuration, strategy } = deployment;
    await this.sleep(deployment, this.world.timings.stage);
    if (strategy === 'CANARY') {
      this.setProductionWeight(deployment, configuration.canaryConfiguration?.canaryPercent ?? 5);
      await this.sleep(deployment, configuration.canaryConfiguration?.canaryBakeTimeInMinutes ?? 10);
    } else if (strategy === 'LINEAR') {
      const step = configuration.linearConfiguration?.stepPercent ?? 10;
      for (let weight = step; weight < 100; weight += step) {
        this.setProductionWeight(deployment, weight);
        await this.sleep(deployment, configuration.linearConfiguration?.stepBakeTimeInMinutes ?? 6);
      }
    }
    this.setProductionWeight(deployment, 100);
  }

  private setProductionWeight(deployment: SimServiceDeployment, weight: number): void {
    deployment.target.productionWeight = weight;
    if (deployment.source) deployment.source.productionWeight = 100 - weight;
    deployment.updatedAt = this.world.now();
    this.world.record(deployment.arn, `traffic blue=${100 - weight} green=${weight}`);
  }

  /** The stage's lifecycle hooks: Lambdas take the hook time, PAUSE hooks wait for ContinueServiceDeployment. */
  private async runHooks(deployment: SimServiceDeployment, stage: LifecycleStage): Promise<void> {
    const configured = (deployment.configuration.lifecycleHooks ?? []).filter((hook) =>
      hook.lifecycleStages.includes(stage),
    );
    const failure = this.world.faults.hookFailure(stage);
    const hooks =
      configured.length > 0 || !failure
        ? configured
        : [{ targetType: 'AWS_LAMBDA' as const, lifecycleStages: [stage] }];
    for (const hook of hooks) {
      const timeoutInMinutes = hook.timeoutConfiguration?.timeoutInMinutes ?? 60;
      const run: HookRun = {
        hookId: randomUUID(),
        targetType: hook.targetType ?? 'AWS_LAMBDA',
        targetArn: hook.hookTargetArn,
        status: hook.targetType === 'PAUSE' ? 'AWAITING_ACTION' : 'IN_PROGRESS',
        expiresAt: this.world.now() + (timeoutInMinutes * this.world.clock.msPerMinute) / 1000,
        timeoutAction: hook.timeoutConfiguration?.timeoutAction ?? 'ROLLBACK',
        decision: new Latch(),
      };
      deployment.hooks.push(run);
      this.setHook(deployment, run, run.status);
      if (run.targetType === 'PAUSE') {
        const decided = await this.world.clock.waitFor(
          run.decision,
          timeoutInMinutes,
          deployment.abort.signal,
        );
        const action = decided ? (run.action ?? 'CONTINUE') : run.timeoutAction;
        if (!decided) this.setHook(deployment, run, 'TIMED_OUT');
        else this.setHook(deployment, run, action === 'CONTINUE' ? 'SUCCEEDED' : 'FAILED');
        if (action === 'ROLLBACK')
          throw new RollbackNeeded(`Service deployment rolled back by lifecycle hook ${run.hookId}.`);
        continue;
      }
      await this.sleep(deployment, this.world.timings.hook);
      if (failure) {
        this.setHook(deployment, run, 'FAILED');
        throw new RollbackNeeded(
          `Service deployment rolled back because lifecycle hook ${hook.hookTargetArn ?? run.hookId} failed at ${stage}: ${failure.message ?? 'the hook returned FAILED'}`,
        );
      }
      this.setHook(deployment, run, 'SUCCEEDED');
    }
  }

  private setHook(deployment: SimServiceDeployment, run: HookRun, status: HookRun['status']): void {
    run.status = status;
    deployment.updatedAt = this.world.now();
    this.world.record(deployment.arn, `hook ${run.targetType} ${run.hookId} ${status}`);
  }

  private complete(deployment: SimServiceDeployment): void {
    const { service, target } = deployment;
    service.rollouts = service.rollouts.filter((rollout) => rollout === target.rollout);
    target.rollout.rolloutState = 'COMPLETED';
    target.rollout.rolloutStateReason = `ECS deployment ${target.rollout.id} completed.`;
    target.rollout.pendingCount = 0;
    if (deployment.circuitBreaker.status === 'MONITORING')
      deployment.circuitBreaker.status = 'MONITORING_COMPLETE';
    this.event(deployment, `deployment ${target.rollout.id} deployment completed.`);
    this.event(deployment, 'has reached a steady state.');
    this.finish(deployment, 'SUCCESSFUL', undefined);
  }

  /** Back to the source revision: traffic, task definition, tasks; the target's rollout is removed. */
  private async rollBack(
    deployment: SimServiceDeployment,
    reason: string,
    requested: boolean,
  ): Promise<void> {
    const { service, target, source } = deployment;
    if (requested) {
      this.setStatus(deployment, 'ROLLBACK_REQUESTED');
      await this.sleep(deployment, this.world.timings.stage);
    }
    deployment.statusReason = reason;
    deployment.rollback = { reason, startedAt: this.world.now(), serviceRevisionArn: source?.revisionArn };
    this.setStatus(deployment, 'ROLLBACK_IN_PROGRESS');
    if (!source) {
      this.finish(deployment, 'ROLLBACK_FAILED', 'There is no previous service revision to roll back to.');
      return;
    }
    target.rollout.status = 'ACTIVE';
    if (target.rollout.rolloutState === 'IN_PROGRESS') {
      target.rollout.rolloutState = 'FAILED';
      target.rollout.rolloutStateReason = reason;
    }
    Object.assign(source.rollout, {
      status: 'PRIMARY',
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment ${source.rollout.id} in progress.`,
      desiredCount: service.desiredCount,
    });
    service.taskDefinition = source.rollout.taskDefinition;
    this.world.record(service.arn, `taskDefinition ${service.taskDefinition} (rollback)`);
    this.event(deployment, `rolling back to deployment ${source.rollout.id}.`);
    if (deployment.strategy !== 'ROLLING') this.restoreTraffic(deployment, target, source);
    // The failed rollout stays visible for a while, as in ECS, before its tasks are drained.
    await this.sleep(deployment, this.world.timings.rollback);
    while (source.rollout.runningCount < service.desiredCount || target.rollout.runningCount > 0) {
      await this.sleep(deployment, this.world.timings.taskStart);
      if (source.rollout.runningCount < service.desiredCount) source.rollout.runningCount += 1;
      if (target.rollout.runningCount > 0) target.rollout.runningCount -= 1;
    }
    service.rollouts = service.rollouts.filter((rollout) => rollout === source.rollout);
    source.rollout.rolloutState = 'COMPLETED';
    source.rollout.rolloutStateReason = `ECS deployment ${source.rollout.id} completed.`;
    this.event(deployment, 'has reached a steady state.');
    this.finish(deployment, 'ROLLBACK_SUCCESSFUL', reason);
  }

  private restoreTraffic(deployment: SimServiceDeployment, target: RevisionSide, source: RevisionSide): void {
    target.productionWeight = 0;
    target.testWeight = 0;
    source.productionWeight = 100;
    source.testWeight = 100;
    this.world.record(deployment.arn, 'traffic blue=100 green=0');
  }

  private finish(
    deployment: SimServiceDeployment,
    status: ServiceDeploymentStatus,
    reason: string | undefined,
  ): void {
    deployment.finishedAt = this.world.now();
    if (reason) deployment.statusReason = reason;
    this.setStatus(deployment, status);
  }
}
