/** One-off tasks: RunTask starts a task of a registered revision, it runs for a while and exits; StopTask stops it. */
import type { Handler } from './handler.js';
import { Cancelled, SimError } from './errors.js';
import type { StopCause } from './task-stops.js';
import type { SimTask, World } from './world.js';

export class EcsTasks {
  private readonly runs = new Map<string, AbortController>();
  /** RunTask answers by cluster + clientToken (ECS keeps them 24 hours; the simulator, for its life). */
  private readonly byClientToken = new Map<string, { request: string; answer: unknown }>();

  constructor(private readonly world: World) {}

  /** Starts one task of a registered revision; it runs for a while and exits. */
  private start(cluster: ReturnType<World['cluster']>, input: Parameters<Handler>[0]): unknown {
    const registered = input.taskDefinition ? this.world.findTaskDefinition(input.taskDefinition) : undefined;
    if (!registered) throw new SimError('ClientException', 'TaskDefinition not found.');
    if (registered.taskDefinition.status === 'INACTIVE')
      throw new SimError('ClientException', 'TaskDefinition is inactive');
    if (input.launchType && input.capacityProviderStrategy?.length) {
      throw new SimError(
        'InvalidParameterException',
        'Specifying both a launch type and capacity provider strategy is not supported.',
      );
    }
    const definition = registered.taskDefinition;
    if (
      definition.networkMode === 'awsvpc' &&
      !input.networkConfiguration?.awsvpcConfiguration?.subnets?.length
    ) {
      throw new SimError(
        'InvalidParameterException',
        "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
      );
    }
    const now = this.world.now();
    const taskArn = this.world.newTaskArn(cluster.name);
    const launchType = input.launchType ?? (input.capacityProviderStrategy?.length ? undefined : 'EC2');
    // A task ECS cannot launch (missing image or log group) stays PROVISIONING, then stops unstarted.
    const problem = this.world.launchProblem(definition);
    const unstartable = problem?.stopCode === 'TaskFailedToStart' ? problem : undefined;
    const task: SimTask = {
      taskArn,
      clusterArn: cluster.arn,
      serviceName: '',
      taskDefinitionArn: definition.taskDefinitionArn,
      startedBy: input.startedBy ?? '',
      group: `family:${definition.family}`,
      lastStatus: unstartable ? 'PROVISIONING' : 'RUNNING',
      desiredStatus: 'RUNNING',
      createdAt: now,
      ...(unstartable ? {} : { startedAt: now }),
      launchType,
      containers: unstartable
        ? definition.containerDefinitions.map((c) => ({ name: c.name, lastStatus: 'PENDING' }))
        : this.world.runningContainers(definition, taskArn, launchType ?? 'FARGATE'),
    };
    this.world.tasks.unshift(task);
    this.world.record(task.taskArn, `task started (${definition.taskDefinitionArn})`);
    const abort = new AbortController();
    this.runs.set(task.taskArn, abort);
    const runFor = unstartable ? this.world.timings.taskStart : this.world.timings.oneOffTask;
    this.world.clock.sleep(runFor, abort.signal).then(
      () =>
        this.world.stopTask(
          task,
          unstartable ?? this.exitCause(problem, definition.containerDefinitions[0].name),
        ),
      (error: unknown) => {
        if (!(error instanceof Cancelled)) throw error;
      },
    );
    return { tasks: [describeTask(task)], failures: [] };
  }

  readonly handlers: Record<string, Handler> = {
    RunTask: (input) => {
      const cluster = this.world.cluster(input.cluster);
      // Idempotency (ECS API reference, "Ensuring idempotency"): the same token and parameters get the
      // original answer and start nothing; the same token with other parameters is a ConflictException.
      const { clientToken, ...parameters } = input;
      if (clientToken !== undefined) {
        const seen = this.byClientToken.get(`${cluster.arn} ${clientToken}`);
        if (seen && seen.request === JSON.stringify(parameters)) return seen.answer;
        if (seen) {
          throw new SimError(
            'ConflictException',
            'The specified client token has already been used in another request with different parameters.',
          );
        }
      }
      const answer = this.start(cluster, input);
      if (clientToken !== undefined) {
        this.byClientToken.set(`${cluster.arn} ${clientToken}`, {
          request: JSON.stringify(parameters),
          answer,
        });
      }
      return answer;
    },

    StopTask: (input) => {
      const cluster = this.world.cluster(input.cluster);
      const task = this.world.tasks.find(
        (t) =>
          t.clusterArn === cluster.arn && (t.taskArn === input.task || t.taskArn.endsWith(`/${input.task}`)),
      );
      if (!task) throw new SimError('InvalidParameterException', 'The referenced task was not found.');
      if (task.lastStatus !== 'STOPPED') {
        this.runs.get(task.taskArn)?.abort();
        this.world.stopTask(task, {
          stopCode: 'UserInitiated',
          stoppedReason: input.reason ?? 'Task stopped by user',
          exitCode: 137,
        });
      }
      return { task: describeTask(task) };
    },
  };

  /** The task's command finished: the oneOffTaskExits fault's exit code (default container: the first), a crash it met at launch, or 0. */
  private exitCause(problem: StopCause | undefined, firstContainer: string): StopCause {
    const fault = this.world.faults.oneOffTaskExit();
    if (!fault && problem) return problem;
    return {
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      container: fault ? (fault.container ?? firstContainer) : undefined,
      exitCode: fault?.exitCode ?? 0,
      containerReason: fault?.reason,
      logLines: fault?.logLines,
    };
  }

  stopAll(): void {
    for (const abort of this.runs.values()) abort.abort();
  }
}

/** A task as DescribeTasks, RunTask and StopTask return it. */
export function describeTask(task: SimTask) {
  return {
    taskArn: task.taskArn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    startedBy: task.startedBy,
    group: task.group,
    launchType: task.launchType,
    createdAt: task.createdAt,
    startedAt: task.startedAt,
    stoppingAt: task.stoppingAt,
    stoppedAt: task.stoppedAt,
    stoppedReason: task.stoppedReason,
    stopCode: task.stopCode,
    containers: task.containers.map((container) => ({
      containerArn: `${task.taskArn.replace(':task/', ':container/')}/${container.name}`,
      taskArn: task.taskArn,
      name: container.name,
      lastStatus: container.lastStatus,
      runtimeId: container.runtimeId,
      exitCode: container.exitCode,
      reason: container.reason,
    })),
  };
}
