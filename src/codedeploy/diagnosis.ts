/**
 * Explains a failed (or stopped) CodeDeploy deployment in one readable block: what failed, the hook's
 * own words and log tail, CodeDeploy's error, whether it rolled back, what ECS said about the service,
 * and why the new tasks stopped. Pure: the caller fetches everything and passes it in.
 */
import type { DeploymentInfo, DeploymentTarget, Task } from '../aws/ports.js';
import { codeDeployDeploymentUrl, ecsServiceUrl } from '../report/console-urls.js';
import {
  type Diagnosis,
  describeServiceEvents,
  type AppLogs,
  describeStoppedTasks,
  isStatus,
  labelled,
  LOG_TAIL_LINES,
  NESTED_LABEL_WIDTH,
  present,
  type RollbackSeen,
  type ServiceEvent,
  stoppedBy,
} from '../report/diagnosis.js';
import { formatDuration, formatUtcTime, oneLine } from '../text/format.js';

type LifecycleEvent = NonNullable<NonNullable<DeploymentTarget['ecsTarget']>['lifecycleEvents']>[number];

export interface CodeDeployFailureInput {
  deployment: DeploymentInfo;
  rollback?: RollbackSeen;
  target?: DeploymentTarget;
  stoppedTasks: Task[];
  /** The app's last log lines for representativeTasks (release/app-logs.ts). */
  appLogs?: AppLogs;
  serviceEvents: ServiceEvent[];
  newTaskDefinitionArn?: string;
  region: string;
  cluster: string;
  service: string;
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
