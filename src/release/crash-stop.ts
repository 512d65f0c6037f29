/**
 * The end of a deployment whose new tasks keep failing (release/crash-loop.ts found it): stop it
 * with rollback now rather than wait for the deadline, follow the rollback, and say why the tasks
 * stopped, with the app's own last log lines.
 */
import { describeStoppedTasks } from '../report/diagnosis.js';
import { taskDefinitionName } from '../report/console-urls.js';
import { formatDuration } from '../text/format.js';
import { appLogsOfStoppedTasks } from './app-logs.js';
import type { CrashLoop } from './crash-loop.js';
import { rollbackWords, stopWords } from './interrupted.js';
import type { DeployResult, Runtime, WaitPolicy } from './runtime.js';
import { endingOf, STOP_BUDGET_MS, type StopOutcome } from './stop.js';
import type { LiveDeployment } from './strategy.js';

export async function crashLoopResult(
  rt: Runtime,
  live: LiveDeployment,
  wait: Pick<WaitPolicy, 'until' | 'minutes' | 'maxTaskFailures'>,
  crashLoop: CrashLoop,
): Promise<Pick<DeployResult, 'outcome' | 'status' | 'deploymentStatus' | 'failure' | 'ending'>> {
  const watched = live.tasks!;
  const revision = taskDefinitionName(watched.taskDefinitionArn);
  const count = crashLoop.failed.length;
  const because = `${count} tasks of the new revision ${revision} stopped before they could serve (max-task-failures: ${crashLoop.threshold})`;
  // A crash loop is a failed release whatever on-timeout says: nothing is gained by leaving it.
  const stopper = live.stopper();
  const stop = await stopper.stopOrLeave('rollback', because, STOP_BUDGET_MS);
  const rollback = stop.kind === 'stopped' ? await stopper.confirmRollback() : undefined;
  const appLogs = await appLogsOfStoppedTasks(rt, crashLoop.failed, watched.taskDefinitionArn);
  const threshold =
    wait.maxTaskFailures === undefined
      ? `max-task-failures: auto, ${crashLoop.threshold} for ${watched.desiredCount} desired tasks`
      : `max-task-failures: ${crashLoop.threshold}`;
  return {
    outcome: 'failure',
    status: `tasks keep failing — ${stop.kind === 'stopped' ? rollbackWords(rollback) : stopWords(stop, rollback)}`,
    deploymentStatus: 'failed',
    ending: endingOf(stop, rollback),
    failure: {
      headline: `The new revision's tasks keep failing: ${count} of them stopped before ${live.subject} reached "${wait.until}". ${whatEcsShiftDid(stop.kind, formatDuration(wait.minutes * 60_000))}`,
      details: [
        ...(stop.kind === 'stop-failed' ? [stop.line, ...stop.details] : [stop.line]),
        ...(rollback ? [rollback.line] : []),
        ...describeStoppedTasks({
          stoppedTasks: crashLoop.failed,
          newTaskDefinitionArn: watched.taskDefinitionArn,
          region: rt.region,
          cluster: watched.cluster,
          appLogs,
        }),
        `Stopped early by ${threshold}; set max-task-failures: 0 to wait for the deadline instead.`,
      ],
    },
  };
}

function whatEcsShiftDid(stop: StopOutcome['kind'], deadline: string): string {
  switch (stop) {
    case 'stopped':
      return `ecs-shift stopped it with rollback instead of waiting up to ${deadline} for the deadline.`;
    case 'already-ended':
      return 'It had already ended when ecs-shift tried to stop it: see below for how.';
    case 'stop-failed':
      return 'ecs-shift could not stop it: IT IS STILL RUNNING (see below for how to stop it).';
    case 'left':
      return 'It was left running.';
  }
}
