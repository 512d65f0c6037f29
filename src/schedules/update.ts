/**
 * After a successful release: each planned scheduled task is set to the new revision, nothing else of
 * it changed. One PutTargets per rule (its targets of the family, each sent whole: PutTargets replaces a
 * target by Id), one UpdateSchedule per schedule (the whole schedule: UpdateSchedule replaces it all).
 * Each rule and schedule is read again right before its change, so an edit made during the release is
 * not undone. One failure never stops the others, and never throws: each outcome is reported.
 */
import type { EventBridgeTarget, SchedulePorts } from '../aws/ports.js';
import { describeError } from '../text/errors.js';
import { safeText } from '../text/sanitise.js';
import type { ScheduledTasksPlan, ScheduledTaskTarget } from './plan.js';
import {
  parseTaskDefinitionRef,
  ruleEcsTargets,
  scheduledTargetName,
  scheduleEcsTarget,
  shortTaskDefinition,
} from './targets.js';

export interface ScheduledTaskUpdate {
  kind: 'rule' | 'schedule';
  name: string;
  /** A schedule's group. */
  group?: string;
  /** A rule target's Id. */
  targetId?: string;
  /** The task definition the target ran (as it named it), and the new revision's ARN. */
  from: string;
  to: string;
  outcome: 'updated' | 'unchanged' | 'failed';
  /** Why it failed, for the log and summary (bounded, sanitised). */
  error?: string;
}

type RuleTask = Extract<ScheduledTaskTarget, { kind: 'rule' }>;
type ScheduleTask = Extract<ScheduledTaskTarget, { kind: 'schedule' }>;

export async function updateScheduledTasks(
  ports: SchedulePorts,
  plan: ScheduledTasksPlan,
  newTaskDefinitionArn: string,
  log: { info(line: string): void },
): Promise<ScheduledTaskUpdate[]> {
  const updates: ScheduledTaskUpdate[] = [];
  const report = (
    task: ScheduledTaskTarget,
    from: string,
    outcome: ScheduledTaskUpdate['outcome'],
    error?: string,
  ) => {
    const update: ScheduledTaskUpdate = {
      kind: task.kind,
      name: task.name,
      ...(task.kind === 'schedule' ? { group: task.group } : { targetId: task.targetId }),
      from,
      to: newTaskDefinitionArn,
      outcome,
      ...(error === undefined ? {} : { error }),
    };
    updates.push(update);
    log.info(logLine(update));
  };

  for (const tasks of byRule(plan.tasks))
    await updateRule(ports, tasks, plan.family, newTaskDefinitionArn, report);
  for (const task of plan.tasks) {
    if (task.kind === 'schedule')
      await updateSchedule(ports, task, plan.family, newTaskDefinitionArn, report);
  }
  return updates;
}

type Report = (
  task: ScheduledTaskTarget,
  from: string,
  outcome: ScheduledTaskUpdate['outcome'],
  error?: string,
) => void;

async function updateRule(
  ports: SchedulePorts,
  tasks: RuleTask[],
  family: string,
  to: string,
  report: Report,
): Promise<void> {
  const rule = tasks[0].name;
  let current: EventBridgeTarget[] | undefined;
  try {
    current = await ports.eventBridge.listTargets(rule);
  } catch (error) {
    for (const task of tasks) report(task, task.taskDefinition, 'failed', reason(error));
    return;
  }
  const changes: { task: RuleTask; from: string; target: EventBridgeTarget }[] = [];
  for (const task of tasks) {
    const target = current?.find((candidate) => candidate.Id === task.targetId);
    const [ecs] = target ? ruleEcsTargets([target]) : [];
    if (!current) {
      report(task, task.taskDefinition, 'failed', `the rule no longer exists (deleted during the release)`);
    } else if (!target || !ecs || ecs.ref?.family !== family) {
      report(
        task,
        task.taskDefinition,
        'failed',
        `the target no longer runs family ${family} (changed during the release); left as it is`,
      );
    } else if (sameRevision(ecs.taskDefinition, to)) {
      report(task, ecs.taskDefinition, 'unchanged');
    } else {
      changes.push({ task, from: ecs.taskDefinition, target: withTaskDefinition(target, to) });
    }
  }
  if (changes.length === 0) return;
  try {
    const failed = await ports.eventBridge.putTargets(
      rule,
      changes.map((change) => change.target),
    );
    for (const { task, from } of changes) {
      const entry = failed.find((f) => f.targetId === task.targetId);
      if (!entry) report(task, from, 'updated');
      else
        report(
          task,
          from,
          'failed',
          bounded(
            `PutTargets refused it: ${entry.errorMessage ?? 'no reason given'}${entry.errorCode ? ` (${entry.errorCode})` : ''}`,
          ),
        );
    }
  } catch (error) {
    for (const { task, from } of changes) report(task, from, 'failed', reason(error));
  }
}

async function updateSchedule(
  ports: SchedulePorts,
  task: ScheduleTask,
  family: string,
  to: string,
  report: Report,
): Promise<void> {
  try {
    const current = await ports.scheduler.getSchedule(task.name, task.group);
    const ecs = current && scheduleEcsTarget(current);
    if (!current)
      return report(
        task,
        task.taskDefinition,
        'failed',
        'the schedule no longer exists (deleted during the release)',
      );
    if (!ecs || ecs.ref?.family !== family || !current.Target?.EcsParameters) {
      return report(
        task,
        task.taskDefinition,
        'failed',
        `the schedule no longer runs family ${family} (changed during the release); left as it is`,
      );
    }
    if (sameRevision(ecs.taskDefinition, to)) return report(task, ecs.taskDefinition, 'unchanged');
    // The whole schedule as read, with only the task definition changed (UpdateSchedule resets what is not sent).
    const changed = structuredClone(current);
    changed.Target!.EcsParameters!.TaskDefinitionArn = to;
    await ports.scheduler.updateSchedule(changed);
    report(task, ecs.taskDefinition, 'updated');
  } catch (error) {
    report(task, task.taskDefinition, 'failed', reason(error));
  }
}

/** The target as read, whole, with only EcsParameters.TaskDefinitionArn changed. */
function withTaskDefinition(target: EventBridgeTarget, taskDefinitionArn: string): EventBridgeTarget {
  const copy = structuredClone(target);
  copy.EcsParameters = { ...copy.EcsParameters, TaskDefinitionArn: taskDefinitionArn };
  return copy;
}

/** The same family and revision, however each names it (ARN or family:revision). */
function sameRevision(a: string, b: string): boolean {
  if (a === b) return true;
  const [left, right] = [parseTaskDefinitionRef(a), parseTaskDefinitionRef(b)];
  return (
    !!left &&
    !!right &&
    left.revision !== undefined &&
    left.family === right.family &&
    left.revision === right.revision
  );
}

/** The rule tasks grouped by rule, in the plan's order. */
function byRule(tasks: readonly ScheduledTaskTarget[]): RuleTask[][] {
  const groups = new Map<string, RuleTask[]>();
  for (const task of tasks) {
    if (task.kind !== 'rule') continue;
    const group = groups.get(task.name) ?? [];
    group.push(task);
    groups.set(task.name, group);
  }
  return [...groups.values()];
}

function logLine(update: ScheduledTaskUpdate): string {
  const name = `Scheduled task ${scheduledTargetName(update)}`;
  const move = `${shortTaskDefinition(update.from)} → ${shortTaskDefinition(update.to)}`;
  switch (update.outcome) {
    case 'updated':
      return `${name}: ${move}`;
    case 'unchanged':
      return `${name}: already on ${shortTaskDefinition(update.to)}`;
    case 'failed':
      return `${name}: ${move} failed: ${update.error ?? 'no reason given'}`;
  }
}

function reason(error: unknown): string {
  const { headline, details } = describeError(error);
  return bounded([headline, ...details.slice(0, 1)].join(' '));
}

function bounded(text: string): string {
  return safeText(text.replace(/\s+/g, ' '), 600);
}
