/**
 * Following a live deployment to the wait target, the same for every path: the path's watch says
 * reached, failed, deadline, cancelled or a crash loop of the new tasks; this turns that into the result, clears the in-flight state
 * once nothing is left running, and hands the deadline, a cancel and a watch that cannot go on to
 * interrupted.ts, which stops (or leaves) the deployment as on-timeout / on-cancel say.
 */
import { CRASH_CHECK_POLLS, type CrashCheck, crashLoopCheck, failureThreshold } from './crash-loop.js';
import { DEFAULT_POLL_INTERVAL_MS } from './pace.js';
import { crashLoopResult } from './crash-stop.js';
import { interruptedResult } from './interrupted.js';
import type { DeployResult, Runtime, WaitPolicy } from './runtime.js';
import type { LiveDeployment, WatchEnd } from './strategy.js';

export async function followDeployment(
  rt: Runtime,
  live: LiveDeployment,
  wait: WaitPolicy,
): Promise<DeployResult> {
  const base = { deploymentId: live.id, deploymentUrl: live.url, deploymentConfig: live.deploymentConfig };
  if (!wait.follow) {
    rt.rememberInFlight(undefined); // asked not to wait: the deployment is meant to go on without us
    return { ...base, outcome: 'started', status: 'started (not waiting)', deploymentStatus: 'started' };
  }
  let end: WatchEnd;
  try {
    end = await live.watch(wait.until, wait.deadline, crashCheckFor(rt, live, wait));
  } catch (error) {
    rt.halt?.stopping();
    const interrupted = { kind: 'unwatchable', error } as const;
    return {
      ...base,
      ...(await interruptedResult(live.subject, wait, interrupted, live.stopper(), rt.words)),
    };
  }
  // Another service's failure (stop-others) is read now; whatever follows (a stop, a rollback followed
  // to its end) is cut short only by a real cancel.
  const because = end.kind === 'cancelled' ? rt.halt?.reason() : undefined;
  rt.halt?.stopping();
  switch (end.kind) {
    case 'reached':
      rt.rememberInFlight(undefined);
      return { ...base, ...end.result };
    case 'failed':
      rt.rememberInFlight(undefined);
      return { ...base, ...(await end.describe()) };
    case 'crash-loop':
      return { ...base, ...(await crashLoopResult(rt, live, wait, end.crashLoop)) };
    case 'deadline':
      return { ...base, ...(await interruptedResult(live.subject, wait, end, live.stopper(), rt.words)) };
    case 'cancelled': {
      // Not a cancel, but another service's failure (on-service-failure: stop-others).
      const interruption = because ? ({ kind: 'stopped', because } as const) : end;
      return {
        ...base,
        ...(await interruptedResult(live.subject, wait, interruption, live.stopper(), rt.words)),
      };
    }
  }
}

/** The crash-loop check for this deployment, unless there is nothing to count or ECS's breaker acts. */
function crashCheckFor(rt: Runtime, live: LiveDeployment, wait: WaitPolicy): CrashCheck | undefined {
  const { tasks } = live;
  if (!tasks) return undefined;
  if (tasks.circuitBreaker) {
    rt.info(
      "The service's deployment circuit breaker is on: it stops the deployment if the new tasks keep failing, so ecs-shift leaves that to it.",
    );
    return undefined;
  }
  const threshold = failureThreshold(wait.maxTaskFailures, tasks.desiredCount);
  if (threshold === undefined) return undefined;
  rt.info(
    `If ${threshold} tasks of the new revision stop before "${wait.until}", ecs-shift stops the deployment with rollback (max-task-failures).`,
  );
  const pollMs = rt.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  return crashLoopCheck(rt.ecs, tasks, threshold, CRASH_CHECK_POLLS * pollMs);
}
