/**
 * The parts of a failure explanation every path shares: the layout (labelled, indented lines), what ECS
 * said about the service, and why the new tasks stopped. Each path's own diagnosis (codedeploy/
 * diagnosis.ts, ecs/diagnosis.ts) builds on these. Pure: the caller fetches everything and passes it in.
 */
import type { Task } from '../aws/ports.js';
import { ecsTaskUrl, taskDefinitionName } from './console-urls.js';
import { formatUtcTime, oneLine } from '../text/format.js';

type Container = NonNullable<Task['containers']>[number];
export type ServiceEvent = { createdAt?: Date; message?: string };

/** Where a rollback stood when the step ended, once it was followed (release/stop.ts). */
export interface RollbackSeen {
  /** `unknown`: it could not be read (access denied, …); `none`: the deployment ended without one. */
  state: 'succeeded' | 'failed' | 'running' | 'none' | 'unknown';
  line: string;
}

export interface Diagnosis {
  headline: string;
  details: string[];
}

export const LOG_TAIL_LINES = 20;
export const SERVICE_EVENTS = 5;
export const LABEL_WIDTH = 18;
export const NESTED_LABEL_WIDTH = 16;

export function present(value: string | undefined | null): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

export function labelled(label: string, value: string, width = LABEL_WIDTH, indent = ''): string[] {
  const [first = '', ...rest] = value.split(/\r?\n/).map((line) => line.trimEnd());
  const head = `${indent}${label.padEnd(width - 1)} ${first}`.trimEnd();
  const continuation = ' '.repeat(indent.length + width);
  return [head, ...rest.filter((line) => line.trim() !== '').map((line) => continuation + line.trim())];
}

export function isStatus(value: string | undefined, wanted: string): boolean {
  return (value ?? '').toLowerCase() === wanted.toLowerCase();
}

export function stoppedBy(code: string | undefined): string {
  switch (code) {
    case 'MANUAL_STOP':
      return 'a StopDeployment request (console, CLI, API or another pipeline)';
    case 'ALARM_ACTIVE':
      return 'a CloudWatch alarm configured on the deployment group';
    case 'TIMEOUT':
      return 'CodeDeploy: a wait timed out (the ready wait or a lifecycle hook)';
    default:
      return present(code) ? `CodeDeploy (${code})` : 'CodeDeploy';
  }
}

export function describeServiceEvents(events: ServiceEvent[]): string[] {
  const withMessage = events.filter((event) => present(event.message));
  if (withMessage.length === 0) return [];
  // ECS lists service events newest first; dates, when all present, decide.
  const dated = withMessage.every((event) => event.createdAt instanceof Date);
  const chronological = dated
    ? [...withMessage].sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0))
    : [...withMessage].reverse();
  const recent = chronological.slice(-SERVICE_EVENTS);
  return [
    ...labelled('Service events', `last ${recent.length}, oldest first`),
    ...recent.map((event) => {
      const time = event.createdAt instanceof Date ? formatUtcTime(event.createdAt.getTime()) : ' '.repeat(8);
      return `  ${time}  ${oneLine(event.message ?? '')}`;
    }),
  ];
}

function describeContainer(container: Container): string | undefined {
  const hasExit = typeof container.exitCode === 'number';
  const reason = present(container.reason) ? oneLine(container.reason) : undefined;
  if (!reason && (!hasExit || container.exitCode === 0)) return undefined;
  const name = present(container.name) ? container.name : 'container';
  const exit = hasExit ? ` exit code ${container.exitCode}` : '';
  return `${name}${exit}${reason ? ` (${reason})` : ''}`;
}

function describeTask(task: Task): string {
  const code = present(task.stopCode) ? ` [${task.stopCode}]` : '';
  const reason = present(task.stoppedReason) ? oneLine(task.stoppedReason) : 'no reason given';
  const containers = (task.containers ?? []).map(describeContainer).filter(present);
  return `${code}: ${reason}${containers.length > 0 ? ` — ${containers.join('; ')}` : ''}`;
}

function hintFor(task: Task): string | undefined {
  const text = [task.stoppedReason, ...(task.containers ?? []).map((c) => c.reason)]
    .filter(present)
    .join(' ');
  if (/OutOfMemory/i.test(text)) {
    return 'hint: out of memory; raise the container or task memory, or fix the leak';
  }
  if (/CannotPullContainerError/i.test(text)) {
    return 'hint: the image could not be pulled; check the image URI and the execution role';
  }
  if (/ResourceInitializationError/i.test(text)) {
    return 'hint: the task could not start; check secrets, log configuration and network access';
  }
  if (/health checks/i.test(text)) {
    return 'hint: the load balancer marked the task unhealthy; check the health check path and port';
  }
  return undefined;
}

/** The newest of each kind of stop, most frequent first: the tasks whose app logs are worth reading. */
export function representativeTasks(stoppedTasks: Task[], newTaskDefinitionArn?: string): Task[] {
  return groupStops(stoppedTasks, newTaskDefinitionArn)
    .slice(0, MAX_TASKS_WITH_LOGS)
    .map(([, group]) => group.first);
}

/** Tasks whose app logs are shown, at most. */
const MAX_TASKS_WITH_LOGS = 2;

/** A container's last log lines (`source`: group and stream), or a note saying why there are none. */
export type ContainerLogTail =
  { container: string; source: string; lines: string[] } | { container: string; note: string };
/** By task ARN. */
export type AppLogs = Map<string, ContainerLogTail[]>;

function groupStops(
  stoppedTasks: Task[],
  newTaskDefinitionArn?: string,
): [string, { count: number; first: Task }][] {
  const wanted = present(newTaskDefinitionArn) ? newTaskDefinitionArn : undefined;
  const tasks = wanted ? stoppedTasks.filter((task) => task.taskDefinitionArn === wanted) : stoppedTasks;
  const groups = new Map<string, { count: number; first: Task }>();
  for (const task of tasks) {
    const key = describeTask(task);
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { count: 1, first: task });
  }
  return [...groups.entries()].sort((a, b) => b[1].count - a[1].count);
}

/** A task's app log tails, indented under it. */
export function describeAppLogs(tails: ContainerLogTail[] | undefined): string[] {
  const lines: string[] = [];
  for (const tail of tails ?? []) {
    if ('note' in tail) {
      lines.push(`    ${tail.container}'s logs: ${oneLine(tail.note)}`);
      continue;
    }
    const count = tail.lines.length;
    lines.push(
      `    ${tail.container}'s last ${count} log line${count === 1 ? '' : 's'} (${oneLine(tail.source)}):`,
    );
    for (const line of tail.lines) lines.push(`      | ${line}`);
  }
  return lines;
}

export function describeStoppedTasks(input: {
  stoppedTasks: Task[];
  /** The new revision, to pick its tasks out; unset: every stopped task of the service. */
  newTaskDefinitionArn?: string;
  region: string;
  cluster: string;
  /** The app's last log lines, for the tasks representativeTasks picked. */
  appLogs?: AppLogs;
}): string[] {
  const wanted = present(input.newTaskDefinitionArn) ? input.newTaskDefinitionArn : undefined;
  const revision = wanted ? `of the new revision ${taskDefinitionName(wanted)}` : 'of the service';
  const ordered = groupStops(input.stoppedTasks, wanted);
  if (ordered.length === 0) {
    return wanted ? labelled('Stopped tasks', `none ${revision}`) : [];
  }

  const lines = labelled('Stopped tasks', revision);
  for (const [description, { count, first }] of ordered) {
    lines.push(`  ${count} ${count === 1 ? 'task' : 'tasks'} stopped${description}`);
    const hint = hintFor(first);
    if (hint) lines.push(`    ${hint}`);
    if (present(first.taskArn)) {
      lines.push(`    ${ecsTaskUrl(input.region, input.cluster, first.taskArn)}`);
      lines.push(...describeAppLogs(input.appLogs?.get(first.taskArn)));
    }
  }
  return lines;
}
