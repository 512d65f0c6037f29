/**
 * What follows a release that reached its end: the scheduled tasks moved onto the new revision
 * (`scheduled-tasks`), then the family's old revisions deregistered (`deregister-old-revisions`). A
 * release that failed, was stopped, is waiting at `ready` or was not followed leaves both as they are.
 */
import type { DeployResult } from './runtime.js';
import type { Plan } from './plan.js';
import type { StepRuntime } from './step.js';
import type { AfterReleaseSettings } from '../settings/settings.js';
import { scheduledTargetName, shortTaskDefinition } from '../schedules/targets.js';
import { type ScheduledTaskUpdate, updateScheduledTasks } from '../schedules/update.js';
import { findFamilyTargets } from '../schedules/plan.js';
import { type CleanupReport, deregisterOldRevisions } from '../cleanup/deregister.js';
import { UserError } from '../text/errors.js';

export interface FollowUps {
  scheduledTasks?: ScheduledTaskUpdate[];
  /** Why the planned scheduled tasks were left on their revision. */
  scheduledTasksLeft?: string;
  /** `deregister-old-revisions`: what was deregistered, kept because in use, or why nothing was. */
  revisions?: CleanupReport;
  /** A follow-up that failed: the release stands, the step fails. `status` is added to the step's. */
  failure?: { headline: string; details: string[]; status: string };
}

export async function followUps(
  rt: StepRuntime,
  settings: AfterReleaseSettings,
  plan: Plan,
  released: { taskDefinitionArn: string; cluster: string },
  result: DeployResult | undefined,
): Promise<FollowUps | undefined> {
  const { taskDefinitionArn } = released;
  const tasks = plan.scheduledTasks?.tasks ?? [];
  if (tasks.length === 0 && settings.keepRevisions === undefined) return undefined;
  const notReleased = whyNotReleased(result);
  if (notReleased) {
    if (tasks.length === 0) return undefined;
    const scheduledTasksLeft = `left on their revision: ${notReleased}`;
    rt.info(
      `Scheduled tasks ${tasks.map(scheduledTargetName).join(', ')} ${scheduledTasksLeft}. Re-run the release once it succeeds.`,
    );
    return { scheduledTasksLeft };
  }
  const followed: FollowUps = {};
  if (plan.scheduledTasks && tasks.length > 0) {
    const moved = await rt.group(`Move scheduled tasks to ${shortTaskDefinition(taskDefinitionArn)}`, () =>
      updateScheduledTasks(rt.schedules, plan.scheduledTasks!, taskDefinitionArn, rt),
    );
    followed.scheduledTasks = moved;
    const failed = moved.filter((update) => update.outcome === 'failed');
    if (failed.length > 0) followed.failure = scheduledTasksFailure(failed, taskDefinitionArn);
  }
  if (settings.keepRevisions !== undefined) {
    followed.revisions = followed.failure
      ? leftAll(
          'a scheduled task was not moved to the new revision, so the old ones may still be needed.',
          rt,
        )
      : await cleanUp(rt, settings.keepRevisions, plan, released);
  }
  return followed;
}

/**
 * Deregister what the newest `keep` revisions leave, never what is in use: the services' revisions,
 * deployments in flight and running tasks in their clusters (read by the clean-up), the revision each
 * service was on (its rollback target), and every rule or schedule running the family in any cluster.
 */
async function cleanUp(
  rt: StepRuntime,
  keep: number,
  plan: Plan,
  { taskDefinitionArn, cluster }: { taskDefinitionArn: string; cluster: string },
): Promise<CleanupReport> {
  const family = String(plan.taskDefinition.family);
  // Without a service, the `cluster` input's (the default cluster when unset).
  const clusters = plan.deployments.length > 0 ? plan.deployments.map((d) => d.target.cluster) : [cluster];
  const moreUsers = async () => {
    const rollbackTargets = plan.deployments.flatMap((d) =>
      d.service.taskDefinition
        ? [{ taskDefinition: d.service.taskDefinition, by: `rollback target of ${d.label}` }]
        : [],
    );
    const scheduled = await findFamilyTargets(rt.schedules, family, 'any cluster').catch((error: unknown) => {
      throw new UserError(
        `could not read which EventBridge rules and Scheduler schedules run ${family}, so none of its revisions is taken as unused. ` +
          `${error instanceof Error ? error.message : String(error)}`,
        [
          'deregister-old-revisions needs events:ListRules, events:ListTargetsByRule, scheduler:ListSchedules and scheduler:GetSchedule.',
        ],
      );
    });
    return [
      ...rollbackTargets,
      ...scheduled.map((target) => ({
        taskDefinition: target.taskDefinition,
        by: scheduledTargetName(target),
      })),
    ];
  };
  return rt.group(`Deregister old revisions of ${family}`, () =>
    deregisterOldRevisions(
      rt.revisions,
      { family, keep, clusters, newTaskDefinitionArn: taskDefinitionArn, moreUsers },
      rt,
    ),
  );
}

function leftAll(reason: string, rt: StepRuntime): CleanupReport {
  rt.info(`Deregistered no old revisions: ${reason}`);
  return { deregistered: [], keptInUse: [], failed: [], skipped: reason };
}

/** Undefined when the release reached its end; otherwise why the follow-ups wait for another run. */
function whyNotReleased(result: DeployResult | undefined): string | undefined {
  if (!result) return undefined; // register only: the revision is what there is to move to
  if (result.outcome === 'started') return 'the deployment was not followed to its end';
  if (result.outcome !== 'success') return 'the release did not succeed';
  if (result.deploymentStatus === 'ready') return 'the deployment waits for a promote';
  return undefined;
}

function scheduledTasksFailure(
  failed: ScheduledTaskUpdate[],
  taskDefinitionArn: string,
): NonNullable<FollowUps['failure']> {
  const revision = shortTaskDefinition(taskDefinitionArn);
  const count = failed.length === 1 ? '1 scheduled task was' : `${failed.length} scheduled tasks were`;
  return {
    status: `${count} not moved to ${revision}`,
    headline: `The release reached its end, but ${count} not moved to ${revision}: ${failed.length === 1 ? 'it still runs' : 'they still run'} the earlier revision.`,
    details: [
      ...failed.map(
        (update) =>
          `${scheduledTargetName(update)} (on ${shortTaskDefinition(update.from)}): ${update.error ?? 'failed'}`,
      ),
      'Fix the cause and run the step again: a revision that changes nothing is reused, not registered again.',
    ],
  };
}
