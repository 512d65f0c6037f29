/**
 * Pure reading of scheduled-task targets: which targets of a rule (or a schedule's one target) run an
 * ECS task, the task definition they name, the cluster they run in, and the short names the log uses.
 */
import type { EventBridgeTarget, ScheduleDetail } from '../aws/ports.js';
import { safeText } from '../text/sanitise.js';

/** A task definition as a target names it. */
export interface TaskDefinitionRef {
  family: string;
  /** Unset: the family's latest ACTIVE revision (an ARN or name without `:REV`, as RunTask takes it). */
  revision?: number;
}

/** One ECS target: of a rule (with its Id) or of a schedule. */
export interface EcsTarget {
  /** The rule target's Id; unset for a schedule (it has one target). */
  targetId?: string;
  /** EcsParameters.TaskDefinitionArn, as the target has it. */
  taskDefinition: string;
  /** Parsed; undefined when it is not a task definition ARN or `family[:revision]`. */
  ref?: TaskDefinitionRef;
  /** The cluster's name (the target's Arn is the cluster's ARN). */
  cluster: string;
}

/** ECS family names: letters, digits, hyphens and underscores, at most 255 (RegisterTaskDefinition). */
const FAMILY = '[A-Za-z0-9_-]{1,255}';
const ARN = new RegExp(`^arn:[a-z0-9-]+:ecs:[a-z0-9-]*:[0-9]*:task-definition/(${FAMILY})(?::([0-9]+))?$`);
const SHORT = new RegExp(`^(${FAMILY})(?::([0-9]+))?$`);

/** `arn:…:task-definition/web:3`, `arn:…:task-definition/web` (latest), `web:3` or `web`. */
export function parseTaskDefinitionRef(text: string): TaskDefinitionRef | undefined {
  const match = ARN.exec(text) ?? SHORT.exec(text);
  if (!match) return undefined;
  return match[2] === undefined ? { family: match[1] } : { family: match[1], revision: Number(match[2]) };
}

/** The name in a cluster ARN (`arn:…:cluster/prod` → `prod`), or the value itself when it is a name. */
export function clusterName(nameOrArn: string): string {
  const at = nameOrArn.indexOf(':cluster/');
  return nameOrArn.startsWith('arn:') && at >= 0 ? nameOrArn.slice(at + ':cluster/'.length) : nameOrArn;
}

/** The cluster an ECS target runs in (its Arn is the cluster's ARN); undefined for Lambda, SNS and the like. */
export function targetCluster(arn: string | undefined): string | undefined {
  return arn !== undefined && /^arn:[a-z0-9-]+:ecs:[^:]*:[^:]*:cluster\/./.test(arn)
    ? clusterName(arn)
    : undefined;
}

/** True when `cluster` (a name) is one of `clusters` (names or ARNs, compared by name). */
export function inClusters(cluster: string, clusters: readonly string[] | 'any cluster'): boolean {
  return clusters === 'any cluster' || clusters.some((candidate) => clusterName(candidate) === cluster);
}

/** The ECS targets of a rule, in its order. */
export function ruleEcsTargets(targets: readonly EventBridgeTarget[]): EcsTarget[] {
  return targets.flatMap((target) => {
    const taskDefinition = target.EcsParameters?.TaskDefinitionArn;
    const cluster = targetCluster(target.Arn);
    if (cluster === undefined || !taskDefinition) return [];
    return [{ targetId: target.Id, taskDefinition, ref: parseTaskDefinitionRef(taskDefinition), cluster }];
  });
}

/** A schedule's target when it runs an ECS task (the templated ECS target), else undefined. */
export function scheduleEcsTarget(schedule: ScheduleDetail): EcsTarget | undefined {
  const taskDefinition = schedule.Target?.EcsParameters?.TaskDefinitionArn;
  const cluster = targetCluster(schedule.Target?.Arn);
  if (cluster === undefined || !taskDefinition) return undefined;
  return { taskDefinition, ref: parseTaskDefinitionRef(taskDefinition), cluster };
}

/** True when the target runs `family` in one of `clusters` (names or ARNs, compared by name). */
export function runsFamilyIn(
  target: EcsTarget,
  family: string,
  clusters: readonly string[] | 'any cluster',
): boolean {
  return target.ref?.family === family && inClusters(target.cluster, clusters);
}

/** `web:3`, or `web` for the latest; a text that is no task definition, bounded and quoted. */
export function shortTaskDefinition(text: string): string {
  const ref = parseTaskDefinitionRef(text);
  if (!ref) return quoted(text);
  return ref.revision === undefined ? ref.family : `${ref.family}:${ref.revision}`;
}

/** How the log names a rule or schedule: `rule/NAME`, `schedule/GROUP/NAME`. */
export function scheduledTaskName(task: { kind: 'rule' | 'schedule'; name: string; group?: string }): string {
  return task.kind === 'rule' ? `rule/${task.name}` : `schedule/${task.group ?? 'default'}/${task.name}`;
}

/** A rule's target names its Id: `rule/web-nightly (target web-batch)`. */
export function scheduledTargetName(task: {
  kind: 'rule' | 'schedule';
  name: string;
  group?: string;
  targetId?: string;
}): string {
  const name = scheduledTaskName(task);
  return task.kind === 'rule' && task.targetId !== undefined ? `${name} (target ${task.targetId})` : name;
}

/** Text from AWS in a message: one line, control characters gone, at most `max` characters, quoted. */
export function quoted(text: string, max = 120): string {
  return JSON.stringify(safeText(text.replace(/\s+/g, ' '), max));
}
