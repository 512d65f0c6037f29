/**
 * Which scheduled tasks follow the release, checked before anything changes: every rule and schedule
 * `scheduled-tasks` names exists and runs this family, or (`auto`) every one in the release's
 * clusters whose ECS target runs a revision of it. Reads only; schedules/update.ts makes the change.
 */
import { MissingPermission } from '../aws/errors.js';
import type { EventBridgeTarget, ScheduleDetail, SchedulePorts } from '../aws/ports.js';
import type { ScheduledTaskRef, ScheduledTasksSetting } from '../settings/scheduled-task-inputs.js';
import { UserError } from '../text/errors.js';
import {
  type EcsTarget,
  inClusters,
  quoted,
  ruleEcsTargets,
  runsFamilyIn,
  scheduledTargetName,
  scheduleEcsTarget,
  shortTaskDefinition,
  targetCluster,
} from './targets.js';

interface TargetBase {
  name: string;
  /** EcsParameters.TaskDefinitionArn as the target has it now. */
  taskDefinition: string;
  /** Its revision; undefined when it names the family alone (the latest ACTIVE revision). */
  revision?: number;
  /** The cluster's name. */
  cluster: string;
}

/** One ECS target of the family, with what its update needs (the whole rule target list, or the whole schedule). */
export type ScheduledTaskTarget =
  | (TargetBase & { kind: 'rule'; targetId: string; ruleTargets: EventBridgeTarget[] })
  | (TargetBase & { kind: 'schedule'; group: string; schedule: ScheduleDetail });

export interface ScheduledTasksPlan {
  family: string;
  /** Targets pinned to a revision of the family: each is set to the new revision. */
  tasks: ScheduledTaskTarget[];
  /** Targets on the family alone (its latest ACTIVE revision): they follow by themselves, left as they are. */
  followingLatest: ScheduledTaskTarget[];
}

export interface ScheduledTasksRequest {
  setting: ScheduledTasksSetting;
  family: string;
  /** The release's clusters, names or ARNs (auto looks only there). */
  clusters: string[];
}

/** Calls at once while scanning: EventBridge and Scheduler throttle their control APIs at a few per second. */
const CONCURRENCY = 4;

export async function planScheduledTasks(
  ports: SchedulePorts,
  request: ScheduledTasksRequest,
  log: { info(line: string): void },
): Promise<ScheduledTasksPlan> {
  const { setting, family, clusters } = request;
  const found =
    setting.kind === 'auto'
      ? await withPermissionContext('auto', () => findFamilyTargets(ports, family, clusters))
      : await namedTargets(ports, setting.refs, family);
  const plan: ScheduledTasksPlan = {
    family,
    tasks: found.filter((target) => target.revision !== undefined),
    followingLatest: found.filter((target) => target.revision === undefined),
  };
  for (const target of plan.followingLatest) {
    log.info(
      `Scheduled task ${scheduledTargetName(target)} runs ${family}, the family's latest ACTIVE revision: ` +
        'it follows the release by itself and is left as it is.',
    );
  }
  if (plan.tasks.length > 0) {
    log.info(
      `Scheduled tasks to move onto the new revision: ` +
        plan.tasks
          .map((target) => `${scheduledTargetName(target)} on ${shortTaskDefinition(target.taskDefinition)}`)
          .join(', ') +
        '.',
    );
  } else if (setting.kind === 'auto' && found.length === 0) {
    log.info(
      `scheduled-tasks: auto found no EventBridge rule or Scheduler schedule running family ${family} in ` +
        `${clusterList(clusters)}; nothing to move.`,
    );
  }
  return plan;
}

/**
 * Every ECS target of `family` in `clusters` (names or ARNs; 'any cluster' for all): of every rule on
 * the default event bus, and of every schedule (all groups) whose target is one of the clusters. Every
 * revision, the family's latest too: the revision clean-up keeps the ones scheduled tasks run, in any
 * cluster. A missing permission throws MissingPermission.
 */
export async function findFamilyTargets(
  ports: SchedulePorts,
  family: string,
  clusters: readonly string[] | 'any cluster',
): Promise<ScheduledTaskTarget[]> {
  const [fromRules, fromSchedules] = await Promise.all([
    (async () => {
      const rules = await ports.eventBridge.listRules();
      const perRule = await mapLimit(rules, CONCURRENCY, async (rule) => {
        const targets = await ports.eventBridge.listTargets(rule.name);
        // A rule deleted since the listing has nothing to move.
        if (!targets) return [];
        return ruleTargetsOf(rule.name, targets).filter((t) => runsFamilyIn(t.ecs, family, clusters));
      });
      return perRule.flat().map(({ target }) => target);
    })(),
    (async () => {
      const summaries = await ports.scheduler.listSchedules();
      // ListSchedules gives the target's ARN, an ECS target's cluster: only those in the clusters are read.
      const candidates = summaries.filter((summary) => {
        const cluster = targetCluster(summary.targetArn);
        return cluster !== undefined && inClusters(cluster, clusters);
      });
      const details = await mapLimit(candidates, CONCURRENCY, async (summary) => {
        const schedule = await ports.scheduler.getSchedule(summary.name, summary.group);
        if (!schedule) return undefined;
        const found = scheduleTargetOf(summary.name, summary.group, schedule);
        return found && runsFamilyIn(found.ecs, family, clusters) ? found.target : undefined;
      });
      return details.filter((target) => target !== undefined);
    })(),
  ]);
  return [...fromRules, ...fromSchedules];
}

/** The named rules and schedules, each checked; every problem at once, before anything changes. */
async function namedTargets(
  ports: SchedulePorts,
  refs: readonly ScheduledTaskRef[],
  family: string,
): Promise<ScheduledTaskTarget[]> {
  const problems: string[] = [];
  const targets: ScheduledTaskTarget[] = [];
  const resolved = await mapLimit(refs, CONCURRENCY, (ref) =>
    withPermissionContext(describeRef(ref), () => resolve(ports, ref)),
  );
  for (const [index, found] of resolved.entries()) {
    const ref = refs[index];
    if (found.kind === 'problem') {
      problems.push(found.problem);
      continue;
    }
    const all =
      found.kind === 'rule'
        ? ruleTargetsOf(found.name, found.targets)
        : [scheduleTargetOf(found.name, found.group, found.schedule)].filter((t) => t !== undefined);
    const ofFamily = all.filter(({ ecs }) => ecs.ref?.family === family);
    if (ofFamily.length === 0) {
      problems.push(noTargetOfFamily(ref, found, family));
      continue;
    }
    targets.push(...ofFamily.map(({ target }) => target));
  }
  if (problems.length === 1) throw new UserError(`${problems[0]} Nothing was changed.`);
  if (problems.length > 1) {
    throw new UserError(
      `scheduled-tasks: ${problems.length} of the rules and schedules named cannot follow the release. Nothing was changed.`,
      problems,
    );
  }
  return targets;
}

type Resolved =
  | { kind: 'rule'; name: string; targets: EventBridgeTarget[] }
  | { kind: 'schedule'; name: string; group: string; schedule: ScheduleDetail }
  | { kind: 'problem'; problem: string };

async function resolve(ports: SchedulePorts, ref: ScheduledTaskRef): Promise<Resolved> {
  const name = ref.name;
  if (ref.kind === 'rule') {
    const targets = await ports.eventBridge.listTargets(name);
    return targets
      ? { kind: 'rule', name, targets }
      : {
          kind: 'problem',
          problem: `scheduled-tasks: no EventBridge rule named ${JSON.stringify(name)} on the default event bus. Check the name and the region.`,
        };
  }
  if (ref.kind === 'schedule') {
    const group = ref.group ?? 'default';
    const schedule = await ports.scheduler.getSchedule(name, ref.group);
    return schedule
      ? { kind: 'schedule', name, group, schedule }
      : {
          kind: 'problem',
          problem:
            `scheduled-tasks: no Scheduler schedule named ${JSON.stringify(name)} in group ${JSON.stringify(group)}. ` +
            'Check the name, the group (schedule/GROUP/NAME) and the region.',
        };
  }
  const [rule, scheduled] = await Promise.allSettled([
    ports.eventBridge.listTargets(name),
    ports.scheduler.getSchedule(name),
  ]);
  const targets = settled(rule, scheduled);
  const schedule = settled(scheduled, rule);
  if (targets && schedule) {
    return {
      kind: 'problem',
      problem:
        `scheduled-tasks: ${JSON.stringify(name)} names both an EventBridge rule and a Scheduler schedule. ` +
        `Write rule/${name} or schedule/${name}.`,
    };
  }
  if (targets) return { kind: 'rule', name, targets };
  if (schedule) return { kind: 'schedule', name, group: 'default', schedule };
  return {
    kind: 'problem',
    problem:
      `scheduled-tasks: no EventBridge rule or Scheduler schedule named ${JSON.stringify(name)} ` +
      '(rules on the default event bus, schedules in the default group). ' +
      'Check the name and the region; a schedule in another group is schedule/GROUP/NAME.',
  };
}

/**
 * A bare name's look-up. Credentials allowed to read only rules (or only schedules) still resolve a
 * name the other side has: a denied look-up counts as "not there" when the other one found it.
 */
function settled<T>(
  mine: PromiseSettledResult<T | undefined>,
  other: PromiseSettledResult<unknown>,
): T | undefined {
  if (mine.status === 'fulfilled') return mine.value;
  const otherFound = other.status === 'fulfilled' && other.value !== undefined;
  if (otherFound && mine.reason instanceof MissingPermission) return undefined;
  throw mine.reason;
}

function ruleTargetsOf(
  name: string,
  targets: EventBridgeTarget[],
): { ecs: EcsTarget; target: ScheduledTaskTarget }[] {
  return ruleEcsTargets(targets).map((ecs) => ({
    ecs,
    target: {
      kind: 'rule',
      name,
      targetId: ecs.targetId ?? '',
      ruleTargets: targets,
      taskDefinition: ecs.taskDefinition,
      revision: ecs.ref?.revision,
      cluster: ecs.cluster,
    },
  }));
}

function scheduleTargetOf(
  name: string,
  group: string,
  schedule: ScheduleDetail,
): { ecs: EcsTarget; target: ScheduledTaskTarget } | undefined {
  const ecs = scheduleEcsTarget(schedule);
  if (!ecs) return undefined;
  return {
    ecs,
    target: {
      kind: 'schedule',
      name,
      group,
      schedule,
      taskDefinition: ecs.taskDefinition,
      revision: ecs.ref?.revision,
      cluster: ecs.cluster,
    },
  };
}

/** Why a named rule or schedule cannot follow: what it runs instead. */
function noTargetOfFamily(ref: ScheduledTaskRef, found: Resolved, family: string): string {
  const label =
    found.kind === 'rule'
      ? `rule/${found.name}`
      : found.kind === 'schedule'
        ? `schedule/${found.group}/${found.name}`
        : ref.name;
  const what =
    found.kind === 'rule'
      ? found.targets.map(describeRuleTarget)
      : found.kind === 'schedule'
        ? [describeScheduleTarget(found.schedule)]
        : [];
  const runs = what.length === 0 ? 'it has no targets' : `it targets ${what.slice(0, 5).join(', ')}`;
  return (
    `scheduled-tasks: ${label} runs no ECS task of family ${family}: ${runs}. ` +
    `Name only rules and schedules whose ECS target runs ${family}, or use auto.`
  );
}

function describeRuleTarget(target: EventBridgeTarget): string {
  const [ecs] = ruleEcsTargets([target]);
  return ecs ? describeEcs(ecs) : quoted(target.Arn ?? '(no ARN)', 100);
}

function describeScheduleTarget(schedule: ScheduleDetail): string {
  const ecs = scheduleEcsTarget(schedule);
  return ecs ? describeEcs(ecs) : quoted(schedule.Target?.Arn ?? '(no ARN)', 100);
}

function describeEcs(ecs: EcsTarget): string {
  return `the ECS task ${shortTaskDefinition(ecs.taskDefinition)} in cluster ${quoted(ecs.cluster, 80)}`;
}

function describeRef(ref: ScheduledTaskRef): string {
  if (ref.kind === 'rule') return `rule/${ref.name}`;
  if (ref.kind === 'schedule') return `schedule/${ref.group ?? 'default'}/${ref.name}`;
  return ref.name;
}

/** A read the credentials may not make: say which input needs it, and what to do. */
async function withPermissionContext<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof MissingPermission)) throw error;
    const checked =
      what === 'auto' ? 'auto could not look for the rules and schedules' : `${what} could not be checked`;
    const wrapped = new UserError(
      `scheduled-tasks: the AWS credentials in use are not allowed to call ${error.permission}, so ${checked}. Nothing was changed.`,
      [
        `Grant ${error.permission} to the role or user (see "IAM permissions" in the ecs-shift README), ` +
          'or remove scheduled-tasks.',
      ],
    );
    Object.defineProperty(wrapped, 'cause', { value: error, configurable: true, writable: true });
    throw wrapped;
  }
}

function clusterList(clusters: readonly string[]): string {
  const names = clusters.map((cluster) => quoted(cluster, 80));
  return names.length === 1 ? `cluster ${names[0]}` : `clusters ${names.join(', ')}`;
}

/** `fn` over `items`, at most `limit` at a time, results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
