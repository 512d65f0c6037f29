/**
 * Explains a failed (or stopped) deployment in one readable block. CodeDeploy: what failed, the hook's
 * own words and log tail, CodeDeploy's error, whether it rolled back, what ECS said about the service,
 * and why the new tasks stopped. ECS rolling and ECS-native: the deployment's status and reason, the
 * circuit breaker, alarms and hooks, the rollback, service events and stopped tasks. Pure: the caller
 * fetches everything and passes it in.
 */
import type { DeploymentInfo, DeploymentTarget, ServiceDeployment, Task } from '../aws/ports.js';
import {
  codeDeployDeploymentUrl,
  ecsServiceUrl,
  ecsTaskUrl,
  lastArnSegment,
  serviceDeploymentUrl,
  taskDefinitionName,
} from './console-urls.js';
import { describeStrategy } from '../ecs/progress.js';
import { formatDuration, formatUtcTime, oneLine } from '../text/format.js';

type LifecycleEvent = NonNullable<NonNullable<DeploymentTarget['ecsTarget']>['lifecycleEvents']>[number];
type Container = NonNullable<Task['containers']>[number];

/** Where a rollback stood when the step ended, once it was followed (deploy/stop.ts). */
export interface RollbackSeen {
  /** `unknown`: it could not be read (access denied, …); `none`: the deployment ended without one. */
  state: 'succeeded' | 'failed' | 'running' | 'none' | 'unknown';
  line: string;
}

export interface CodeDeployFailureInput {
  deployment: DeploymentInfo;
  rollback?: RollbackSeen;
  target?: DeploymentTarget;
  stoppedTasks: Task[];
  serviceEvents: { createdAt?: Date; message?: string }[];
  newTaskDefinitionArn?: string;
  region: string;
  cluster: string;
  service: string;
}

export interface Diagnosis {
  headline: string;
  details: string[];
}

const LOG_TAIL_LINES = 20;
const SERVICE_EVENTS = 5;
const LABEL_WIDTH = 18;
const NESTED_LABEL_WIDTH = 16;

function present(value: string | undefined | null): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function labelled(label: string, value: string, width = LABEL_WIDTH, indent = ''): string[] {
  const [first = '', ...rest] = value.split(/\r?\n/).map((line) => line.trimEnd());
  const head = `${indent}${label.padEnd(width - 1)} ${first}`.trimEnd();
  const continuation = ' '.repeat(indent.length + width);
  return [head, ...rest.filter((line) => line.trim() !== '').map((line) => continuation + line.trim())];
}

function isStatus(value: string | undefined, wanted: string): boolean {
  return (value ?? '').toLowerCase() === wanted.toLowerCase();
}

export function diagnoseCodeDeployFailure(input: CodeDeployFailureInput): Diagnosis {
  const { deployment, region, cluster, service } = input;
  const id = present(deployment.deploymentId) ? deployment.deploymentId : undefined;
  const lifecycleEvents = input.target?.ecsTarget?.lifecycleEvents ?? [];
  const failedEvent = lifecycleEvents.find((event) => isStatus(event.status, 'Failed'));
  const activeEvent = [...lifecycleEvents].reverse().find((event) => isStatus(event.status, 'InProgress'));
  const error = deployment.errorInformation;

  const details: string[] = [];
  details.push(...describeLifecycle(input.target, failedEvent, activeEvent));
  if (present(error?.code) || present(error?.message)) {
    // CodeDeploy often repeats the failed hook's message here: say it once.
    const repeated =
      present(error?.message) && oneLine(error.message) === oneLine(failedEvent?.diagnostics?.message ?? '');
    const message = repeated ? undefined : error?.message;
    const text = [error?.code, message].filter(present).map(oneLine).join(': ');
    details.push(...labelled('CodeDeploy error', text));
  }
  if (isStatus(deployment.status, 'Stopped')) details.push(...labelled('Stopped by', stoppedBy(error?.code)));
  details.push(...labelled('Rollback', input.rollback?.line ?? describeRollback(deployment)));
  details.push(...describeServiceEvents(input.serviceEvents));
  details.push(...describeStoppedTasks(input));
  if (id) details.push(...labelled('Deployment', codeDeployDeploymentUrl(region, id)));
  if (present(service)) details.push(...labelled('Service', ecsServiceUrl(region, cluster, service)));

  return { headline: headline(deployment, id, failedEvent, activeEvent), details };
}

function headline(
  deployment: DeploymentInfo,
  id: string | undefined,
  failedEvent: LifecycleEvent | undefined,
  activeEvent: LifecycleEvent | undefined,
): string {
  const subject = id ? `CodeDeploy deployment ${id}` : 'The CodeDeploy deployment';
  const reason = [failedEvent?.diagnostics?.message, deployment.errorInformation?.message].find(present);
  const because = reason ? `: ${oneLine(reason)}` : '';
  const eventName = (event: LifecycleEvent | undefined) =>
    present(event?.lifecycleEventName) ? event.lifecycleEventName : undefined;

  if (isStatus(deployment.status, 'Stopped')) {
    const during = eventName(failedEvent) ?? eventName(activeEvent);
    return `${subject} was stopped${during ? ` during ${during}` : ''}${because}`;
  }
  const failedAt = eventName(failedEvent);
  if (failedAt) return `${subject} failed at ${failedAt}${because}`;
  if (isStatus(deployment.status, 'Failed') || !present(deployment.status))
    return `${subject} failed${because}`;
  const during = eventName(activeEvent);
  return `${subject} is ${deployment.status}${during ? ` (at ${during})` : ''}${because}`;
}

function describeLifecycle(
  target: DeploymentTarget | undefined,
  failed: LifecycleEvent | undefined,
  active: LifecycleEvent | undefined,
): string[] {
  if (!target?.ecsTarget) {
    return labelled(
      'Lifecycle events',
      'none: CodeDeploy reported no target (ECS service) for this deployment',
    );
  }
  const event = failed ?? active;
  if (!event || !present(event.lifecycleEventName)) return [];

  const verb = failed ? 'failed' : 'was in progress';
  const took =
    event.startTime && event.endTime
      ? ` after ${formatDuration(event.endTime.getTime() - event.startTime.getTime())}`
      : event.startTime && !failed
        ? ` since ${formatUtcTime(event.startTime.getTime())} UTC`
        : '';
  const lines = labelled('Lifecycle event', `${event.lifecycleEventName} ${verb}${took}`);

  const diagnostics = event.diagnostics;
  const nested = (label: string, value: string | undefined) =>
    present(value) ? labelled(label, value, NESTED_LABEL_WIDTH, '  ') : [];
  if (diagnostics?.errorCode !== 'Success') lines.push(...nested('error code', diagnostics?.errorCode));
  lines.push(...nested('script', diagnostics?.scriptName));
  lines.push(...nested('message', diagnostics?.message));
  lines.push(...logTail(diagnostics?.logTail));
  return lines;
}

function logTail(raw: string | undefined): string[] {
  if (!present(raw)) return [];
  const all = raw.split(/\r?\n/).map((line) => line.trimEnd());
  while (all.length > 0 && all[0]?.trim() === '') all.shift();
  while (all.length > 0 && all[all.length - 1]?.trim() === '') all.pop();
  const tail = all.slice(-LOG_TAIL_LINES);
  const title = all.length > tail.length ? `last ${tail.length} of ${all.length} lines` : 'last lines';
  return [...labelled('log tail', title, NESTED_LABEL_WIDTH, '  '), ...tail.map((line) => `    ${line}`)];
}

function stoppedBy(code: string | undefined): string {
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

function describeRollback(deployment: DeploymentInfo): string {
  const info = deployment.rollbackInfo;
  const message = present(info?.rollbackMessage) ? oneLine(info.rollbackMessage) : undefined;
  if (present(info?.rollbackDeploymentId)) {
    return `rollback deployment ${info.rollbackDeploymentId} started${message ? `: ${message}` : ''}`;
  }
  if (message) return message;
  const auto = deployment.autoRollbackConfiguration;
  if (auto?.enabled) {
    const on = (auto.events ?? []).join(', ');
    return `none reported yet (automatic rollback is enabled${on ? ` on ${on}` : ''})`;
  }
  return 'no automatic rollback is configured for this deployment group: the new task set may still be running';
}

function describeServiceEvents(events: CodeDeployFailureInput['serviceEvents']): string[] {
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

function describeStoppedTasks(
  input: Pick<CodeDeployFailureInput, 'stoppedTasks' | 'newTaskDefinitionArn' | 'region' | 'cluster'>,
): string[] {
  const wanted = present(input.newTaskDefinitionArn) ? input.newTaskDefinitionArn : undefined;
  const tasks = wanted
    ? input.stoppedTasks.filter((task) => task.taskDefinitionArn === wanted)
    : input.stoppedTasks;
  const revision = wanted ? `of the new revision ${taskDefinitionName(wanted)}` : 'of the service';
  if (tasks.length === 0) {
    return wanted ? labelled('Stopped tasks', `none ${revision}`) : [];
  }

  const groups = new Map<string, { count: number; first: Task }>();
  for (const task of tasks) {
    const key = describeTask(task);
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { count: 1, first: task });
  }
  const ordered = [...groups.entries()].sort((a, b) => b[1].count - a[1].count);

  const lines = labelled('Stopped tasks', revision);
  for (const [description, { count, first }] of ordered) {
    lines.push(`  ${count} ${count === 1 ? 'task' : 'tasks'} stopped${description}`);
    const hint = hintFor(first);
    if (hint) lines.push(`    ${hint}`);
    if (present(first.taskArn)) lines.push(`    ${ecsTaskUrl(input.region, input.cluster, first.taskArn)}`);
  }
  return lines;
}

export interface EcsFailureInput {
  strategy: 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
  deployment?: ServiceDeployment;
  rollback?: RollbackSeen;
  /** Our rollout's entry in DescribeServices `deployments` (rolling updates). */
  rollout?: { rolloutState?: string; rolloutStateReason?: string; failedTasks?: number };
  stoppedTasks: Task[];
  serviceEvents: { createdAt?: Date; message?: string }[];
  newTaskDefinitionArn: string;
  region: string;
  cluster: string;
  service: string;
}

/** The failure of a rolling update or an ECS-native blue/green/linear/canary deployment, explained. */
export function diagnoseEcsFailure(input: EcsFailureInput): Diagnosis {
  const { deployment, rollout } = input;
  const kind = describeStrategy(input.strategy);
  const status = deployment?.status ?? '';
  const rolledBack = status.startsWith('ROLLBACK') || deployment?.rollback !== undefined;
  const reason = [deployment?.rollback?.reason, rollout?.rolloutStateReason, deployment?.statusReason].find(
    present,
  );
  const stage = present(deployment?.lifecycleStage) ? ` at ${deployment.lifecycleStage}` : '';
  const what = rolledBack
    ? `was rolled back${input.strategy === 'ROLLING' ? '' : stage}`
    : status === 'STOPPED' || status === 'STOP_REQUESTED'
      ? `was stopped${stage}`
      : 'failed';
  const headline = `ECS ${kind} of service ${input.service} ${what}${reason ? `: ${oneLine(reason)}` : ''}`;

  const details: string[] = [];
  if (present(status))
    details.push(
      ...labelled(
        'Deployment',
        `${status}${present(deployment?.statusReason) ? `: ${oneLine(deployment.statusReason)}` : ''}`,
      ),
    );
  if (rollout && present(rollout.rolloutState)) {
    details.push(
      ...labelled(
        'Rollout',
        `${rollout.rolloutState}${present(rollout.rolloutStateReason) ? `: ${oneLine(rollout.rolloutStateReason)}` : ''}`,
      ),
    );
  }
  const breaker = deployment?.deploymentCircuitBreaker;
  if (breaker?.status === 'TRIGGERED') {
    details.push(
      ...labelled(
        'Circuit breaker',
        `triggered after ${breaker.failureCount ?? '?'} failed tasks (threshold ${breaker.threshold ?? '?'})`,
      ),
    );
  }
  const alarms = deployment?.alarms;
  if (alarms?.status === 'TRIGGERED') {
    details.push(
      ...labelled('Alarms', `triggered: ${(alarms.triggeredAlarmNames ?? []).join(', ') || 'unnamed'}`),
    );
  }
  for (const hook of deployment?.lifecycleHookDetails ?? []) {
    if (hook.status === 'FAILED' || hook.status === 'TIMED_OUT') {
      details.push(
        ...labelled(
          'Lifecycle hook',
          `${hook.targetArn ?? hook.hookId ?? 'hook'} ${hook.status.toLowerCase().replace('_', ' ')}`,
        ),
      );
    }
  }
  if (rolledBack) {
    const to = deployment?.rollback?.serviceRevisionArn;
    details.push(
      ...labelled(
        'Rollback',
        input.rollback?.line ??
          `ECS is returning the service to the previous revision${present(to) ? ` (${lastArnSegment(to)})` : ''}`,
      ),
    );
  }
  details.push(...describeServiceEvents(input.serviceEvents));
  details.push(...describeStoppedTasks(input));
  if (present(deployment?.serviceDeploymentArn)) {
    details.push(
      ...labelled(
        'Deployment',
        serviceDeploymentUrl(input.region, input.cluster, input.service, deployment.serviceDeploymentArn),
      ),
    );
  }
  details.push(...labelled('Service', ecsServiceUrl(input.region, input.cluster, input.service)));
  return { headline, details };
}
