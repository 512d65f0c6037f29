/**
 * A one-off task of the new revision (a migration, say), run after it is registered and before the
 * service is touched. When it is waited for, a non-zero exit of an essential container fails the step
 * with the exit codes, so the service keeps running the old revision.
 */
import type { RunTaskCommandInput } from '@aws-sdk/client-ecs';
import type { Service, Task } from '../aws/ports.js';
import { ecsTaskUrl, lastArnSegment } from '../report/console-urls.js';
import { formatDuration, oneLine } from '../text/format.js';
import type { RunTaskSettings } from '../settings/settings.js';
import { DEFAULT_POLL_INTERVAL_MS } from '../release/pace.js';
import { errorMessage, UserError } from '../text/errors.js';
import { readAppLogs } from '../release/app-logs.js';
import { awslogsStream, logDestinations } from '../taskdef/log-destinations.js';
import { describeAppLogs } from '../report/diagnosis.js';
import { stopTaskCommand } from '../report/commands.js';
import { PollErrors } from '../release/poll-errors.js';
import type { Runtime, WaitPolicy } from '../release/runtime.js';
import { retryStop, STOP_BUDGET_MS, STOP_BUDGET_ON_CANCEL_MS, stopFailed } from '../release/stop.js';

interface ContainerDefinitionLike {
  name?: string;
  essential?: boolean;
  logConfiguration?: { logDriver?: string; options?: Record<string, string> };
}

/** RunTask's input: the settings, filled in from the service where the user left them out. */
export function runTaskRequest(
  cluster: string,
  taskDefinitionArn: string,
  settings: RunTaskSettings,
  service: Service | undefined,
  enableEcsManagedTags: boolean | undefined,
): RunTaskCommandInput {
  const serviceNetwork = service?.networkConfiguration?.awsvpcConfiguration;
  const subnets = settings.subnets.length > 0 ? settings.subnets : serviceNetwork?.subnets;
  const securityGroups =
    settings.securityGroups.length > 0 ? settings.securityGroups : serviceNetwork?.securityGroups;
  const placement = settings.capacityProviderStrategy?.length
    ? { capacityProviderStrategy: settings.capacityProviderStrategy }
    : settings.launchType
      ? { launchType: settings.launchType }
      : service?.capacityProviderStrategy?.length
        ? { capacityProviderStrategy: service.capacityProviderStrategy }
        : { launchType: service?.launchType ?? 'FARGATE' };
  return {
    cluster,
    taskDefinition: taskDefinitionArn,
    count: 1,
    startedBy: settings.startedBy,
    ...placement,
    ...(subnets?.length
      ? {
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets,
              ...(securityGroups?.length ? { securityGroups } : {}),
              assignPublicIp: settings.assignPublicIp ?? serviceNetwork?.assignPublicIp ?? 'DISABLED',
            },
          },
        }
      : {}),
    ...(settings.containerOverrides?.length
      ? { overrides: { containerOverrides: settings.containerOverrides } }
      : {}),
    ...(settings.tags?.length ? { tags: settings.tags } : {}),
    ...(settings.managedEbsVolume ? { volumeConfigurations: [settings.managedEbsVolume as never] } : {}),
    ...(enableEcsManagedTags === undefined ? {} : { enableECSManagedTags: enableEcsManagedTags }),
  };
}

/** Stops the one-off task (the service is not updated after it) and fails the step with why. */
async function stopAndFail(
  rt: Runtime,
  cluster: string,
  taskArn: string,
  why: string,
  url: string,
  cause?: unknown,
): Promise<never> {
  const hints = cause instanceof UserError ? cause.details : [];
  const budget = rt.signal.aborted ? STOP_BUDGET_ON_CANCEL_MS : STOP_BUDGET_MS;
  try {
    await retryStop(rt, () => rt.ecs.stopTask(cluster, taskArn, `ecs-shift: ${why}`), budget);
  } catch (error) {
    const failed = stopFailed(`one-off task ${taskArn}`, error, stopTaskCommand(cluster, taskArn));
    throw new UserError(
      `One-off task ${lastArnSegment(taskArn)} did not finish because ${why}, and ecs-shift could not stop it; the service was not updated.`,
      [...hints, failed.line, ...failed.details, url],
    );
  }
  throw new UserError(
    `Stopped one-off task ${taskArn} because ${why} before it finished; the service was not updated.`,
    [...hints, url],
  );
}

/** Why a stopped task counts as failed (an essential container that did not exit 0), or undefined. */
export function taskFailure(task: Task, containers: ContainerDefinitionLike[]): string[] | undefined {
  const essential = new Set(containers.filter((c) => c.essential !== false).map((c) => c.name));
  const bad = (task.containers ?? []).filter((c) => essential.has(c.name) && c.exitCode !== 0);
  if (bad.length === 0) return undefined;
  return bad.map(
    (c) =>
      `container "${c.name}" ${typeof c.exitCode === 'number' ? `exited with code ${c.exitCode}` : 'has no exit code (it never ran)'}` +
      `${c.reason ? ` (${oneLine(c.reason)})` : ''}`,
  );
}

/** Where the awslogs driver sends a container's output, as text a user can paste into the console. */
export function logLocation(
  container: ContainerDefinitionLike | undefined,
  taskArn: string,
): string | undefined {
  if (!container) return undefined;
  const [destination] = logDestinations({ containerDefinitions: [container] }, '');
  if (destination?.kind !== 'awslogs' || !destination.group) return undefined;
  const stream = awslogsStream(destination, taskArn);
  return `CloudWatch Logs group ${destination.group}${stream ? `, stream ${stream}` : ''}`;
}

/** What the one-off task is handed of the settings. */
export interface RunTaskSlice {
  runTask: RunTaskSettings;
  cluster: string;
  enableEcsManagedTags?: boolean;
  wait: Pick<WaitPolicy, 'deadline' | 'minutes'>;
}

export async function runOneOffTask(
  rt: Runtime,
  slice: RunTaskSlice,
  taskDefinition: { containerDefinitions?: ContainerDefinitionLike[] },
  taskDefinitionArn: string,
  service: Service | undefined,
): Promise<void> {
  const { ecs, clock } = rt;
  const { runTask, cluster } = slice;
  const request = runTaskRequest(cluster, taskDefinitionArn, runTask, service, slice.enableEcsManagedTags);
  const task = await ecs.runTask(request);
  const taskArn = task.taskArn ?? '';
  const url = ecsTaskUrl(rt.region, cluster, taskArn);
  // A JSON array, as the official deploy action writes it: workflows read it with fromJSON(…)[0].
  rt.setOutput('run-task-arn', JSON.stringify([taskArn]));
  rt.info(`Started one-off task ${taskArn}: ${url}`);
  // With a service to update next, the task must have succeeded first (unless told not to wait).
  const wait = runTask.waitForStopped ?? service !== undefined;
  if (!wait) return;

  const { deadline } = slice.wait;
  const interval = Math.min(rt.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, rt.maxPollDelayMs ?? Infinity);
  const pollErrors = new PollErrors(rt.onEvent, `task ${lastArnSegment(taskArn)}`);
  let last = task;
  while (last.lastStatus !== 'STOPPED') {
    const why = rt.signal.aborted
      ? rt.words.cancelled
      : clock.now() >= deadline
        ? `the ${formatDuration(slice.wait.minutes * 60_000)} deadline passed`
        : undefined;
    if (why) await stopAndFail(rt, cluster, taskArn, why, url);
    await clock.sleep(Math.max(0, Math.min(interval, deadline - clock.now())), rt.signal);
    let next = last;
    try {
      next = await ecs.describeTask(cluster, taskArn);
      pollErrors.succeeded(clock.now());
    } catch (error) {
      try {
        pollErrors.failed(error, clock.now());
      } catch {
        // It cannot be watched (access denied, expired session): don't update the service after it.
        await stopAndFail(rt, cluster, taskArn, `it could not be read (${errorMessage(error)})`, url, error);
      }
    }
    if (next.lastStatus !== last.lastStatus) {
      rt.onEvent({
        type: 'status',
        at: clock.now(),
        status: `task ${next.lastStatus}`,
        previous: last.lastStatus,
      });
    }
    last = next;
  }

  const containers = taskDefinition.containerDefinitions ?? [];
  const failed = taskFailure(last, containers);
  if (!failed) {
    rt.info(`One-off task ${lastArnSegment(taskArn)} finished: every essential container exited 0.`);
    return;
  }
  const firstBad = (last.containers ?? []).find((c) => c.exitCode !== 0);
  const logs = logLocation(
    containers.find((c) => c.name === firstBad?.name),
    taskArn,
  );
  const tails = (await readAppLogs(rt, [last], taskDefinition as Record<string, unknown>)).get(taskArn) ?? [];
  const lastWords = describeAppLogs(tails.filter((tail) => 'lines' in tail));
  throw new UserError(
    `One-off task ${lastArnSegment(taskArn)} failed: ${failed.join('; ')}. ${service ? 'The service was not updated.' : ''}`.trim(),
    [
      ...(last.stoppedReason
        ? [`Stopped reason: ${oneLine(last.stoppedReason)}${last.stopCode ? ` [${last.stopCode}]` : ''}`]
        : []),
      ...(lastWords.length > 0
        ? lastWords.map((line) => line.slice(2))
        : logs
          ? [`Its output: ${logs}`]
          : []),
      url,
    ],
  );
}
