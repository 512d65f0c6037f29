/**
 * Following a live deployment to the wait target, the same for every path: the path's watch says
 * reached, failed, deadline or cancelled; this turns that into the result, clears the in-flight state
 * once nothing is left running, and hands the deadline, a cancel and a watch that cannot go on to
 * interrupted.ts, which stops (or leaves) the deployment as on-timeout / on-cancel say.
 */
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
    end = await live.watch(wait.until, wait.deadline);
  } catch (error) {
    const interrupted = { kind: 'unwatchable', error } as const;
    return {
      ...base,
      ...(await interruptedResult(live.subject, wait, interrupted, live.stopper(), rt.words)),
    };
  }
  switch (end.kind) {
    case 'reached':
      rt.rememberInFlight(undefined);
      return { ...base, ...end.result };
    case 'failed':
      rt.rememberInFlight(undefined);
      return { ...base, ...(await end.describe()) };
    case 'deadline':
    case 'cancelled':
      return { ...base, ...(await interruptedResult(live.subject, wait, end, live.stopper(), rt.words)) };
  }
}
