/**
 * The app's own last words: for stopped tasks of the new revision (and a failed one-off task), the
 * newest lines of each essential container's awslogs stream, read with GetLogEvents from the stream
 * its log options name. Other log drivers get a line saying where the logs went. Best effort: a
 * missing stream, permission or answer becomes a note, never a failure.
 */
import { MissingPermission } from '../aws/errors.js';
import type { Task } from '../aws/ports.js';
import type { AppLogs, ContainerLogTail } from '../report/diagnosis.js';
import { LOG_TAIL_LINES, representativeTasks } from '../report/diagnosis.js';
import { awslogsStream, essentialContainers, logDestinations } from '../taskdef/log-destinations.js';
import { errorMessage } from '../text/errors.js';
import type { Runtime } from './runtime.js';

/** A log line longer than this is cut: a stack trace's one-line JSON can run to megabytes. */
const MAX_LOG_LINE = 500;

/** The app logs of a failure's stopped tasks: those report/diagnosis.ts shows, of the new revision. */
export function appLogsOfStoppedTasks(
  rt: Pick<Runtime, 'ecs' | 'lookups' | 'region' | 'appLogs'>,
  stoppedTasks: Task[],
  taskDefinitionArn: string | undefined,
): Promise<AppLogs> {
  return readAppLogs(rt, representativeTasks(stoppedTasks, taskDefinitionArn), taskDefinitionArn ?? '');
}

export async function readAppLogs(
  rt: Pick<Runtime, 'ecs' | 'lookups' | 'region' | 'appLogs'>,
  tasks: Task[],
  /** The revision the tasks ran: its ARN (read from ECS), or the task definition itself. */
  revision: string | Record<string, unknown>,
): Promise<AppLogs> {
  const logs: AppLogs = new Map();
  if (tasks.length === 0 || !revision || rt.appLogs === false) return logs;
  let taskDefinition: Record<string, unknown>;
  try {
    taskDefinition =
      typeof revision === 'string'
        ? ((await rt.ecs.describeTaskDefinition(revision)).taskDefinition as Record<string, unknown>)
        : revision;
  } catch {
    return logs;
  }
  const essential = new Set(essentialContainers(taskDefinition));
  const destinations = logDestinations(taskDefinition, rt.region).filter((d) => essential.has(d.container));
  await Promise.all(
    tasks.map(async (task) => {
      if (!task.taskArn) return;
      const tails = await Promise.all(destinations.map((d) => tailOf(rt, task, d)));
      logs.set(task.taskArn, tails);
    }),
  );
  return logs;
}

async function tailOf(
  rt: Pick<Runtime, 'lookups'>,
  task: Task,
  destination: ReturnType<typeof logDestinations>[number],
): Promise<ContainerLogTail> {
  const { container } = destination;
  if (destination.kind === 'none') {
    return { container, note: 'no logConfiguration, so its output was not kept' };
  }
  if (destination.kind === 'other') return { container, note: `its logs go to ${destination.where}` };
  if (!destination.group) return { container, note: 'awslogs without an awslogs-group option' };
  const runtimeId = task.containers?.find((c) => c.name === container)?.runtimeId;
  const stream = awslogsStream(destination, task.taskArn ?? '', runtimeId);
  const source = `${destination.group}${stream ? `, stream ${stream}` : ''}`;
  if (!stream) return { container, note: `no stream name known in log group ${destination.group}` };
  try {
    const events = await rt.lookups.logs.lastLogEvents(
      destination.region,
      destination.group,
      stream,
      LOG_TAIL_LINES,
    );
    if (events === undefined) {
      return {
        container,
        note: `no log stream ${stream} in ${destination.group} (the container may not have started)`,
      };
    }
    const lines = events
      .flatMap((event) => (event.message ?? '').split(/\r?\n/))
      .map((line) => line.trimEnd())
      .filter((line) => line !== '')
      .slice(-LOG_TAIL_LINES)
      .map((line) => (line.length > MAX_LOG_LINE ? `${line.slice(0, MAX_LOG_LINE)}…` : line));
    return lines.length > 0
      ? { container, source, lines }
      : { container, note: `nothing logged to ${source}` };
  } catch (error) {
    if (error instanceof MissingPermission)
      return { container, note: `its logs (${source}): needs ${error.permission}` };
    return { container, note: `its logs (${source}) could not be read: ${errorMessage(error)}` };
  }
}
