/**
 * One revision, several services: each planned deployment is started and followed with its own
 * controller, at most `max-parallel` at once, each with its own labelled log lines. A failure stops the
 * deployments still in flight with rollback and starts no more (on-service-failure: stop-others), or
 * lets them go on (continue). The in-flight state holds every deployment still running, so a cancel
 * (each follow sees it) and the post step cover all of them.
 */
import { describeError } from '../text/errors.js';
import { CancelledBeforeChange } from './cancel.js';
import { followDeployment } from './follow.js';
import type { ServicePlan } from './plan.js';
import type {
  DeployResult,
  InFlightDeployment,
  OutputName,
  Runtime,
  SingleInFlight,
  WaitPolicy,
} from './runtime.js';
import { labelledRuntime } from './services.js';
import type { TargetSettings } from '../settings/settings.js';
import type { ReportController } from './strategy.js';

/** How one service's deployment went: its result, or why it was never started. */
export interface ServiceRun {
  plan: ServicePlan;
  controller: ReportController;
  /** The deployment was asked for (it may have failed to start). */
  requested: boolean;
  result?: DeployResult;
  /** Not started: another service failed first (stop-others), the run was cancelled, or the deadline passed. */
  skipped?: string;
  skippedBy?: 'stop-others' | 'cancel' | 'deadline';
  /** The outputs its strategy set (ids, URL), kept apart: with several, only `deployments` has them. */
  outputs: Partial<Record<OutputName, string>>;
  startedAt?: number;
  endedAt?: number;
}

/** One entry of the `deployments` output. */
export interface DeploymentsEntry {
  cluster: string;
  service: string;
  controller: ReportController;
  deploymentId?: string;
  status: string;
  url?: string;
}

/** The services of one step: each one's runtime (for its plan and deployment), then the deploy. */
export interface SeveralServices {
  /** The runtime a service's strategy is planned (and so started and followed) with. */
  runtimeFor(label: string): Runtime;
  deploy(plans: ServicePlan[], taskDefinitionArn: string, wait: WaitPolicy): Promise<ServiceRun[]>;
}

export function severalServices(
  rt: Runtime,
  policy: Pick<TargetSettings, 'maxParallel' | 'onServiceFailure'>,
): SeveralServices {
  const runs = new Map<string, ServiceRun>();
  const outputs = new Map<string, ServiceRun['outputs']>();
  const halt = new AbortController();
  let haltReason: string | undefined;
  const inFlight = new Map<string, SingleInFlight>();
  const publish = () => rt.setOutput('deployments', JSON.stringify([...runs.values()].map(deploymentsEntry)));
  const remember = (label: string, deployment: InFlightDeployment | undefined) => {
    if (deployment && deployment.kind !== 'several') inFlight.set(label, deployment);
    else inFlight.delete(label);
    const all = [...inFlight.values()];
    rt.rememberInFlight(all.length > 0 ? { kind: 'several', deployments: all } : undefined);
  };
  const outputsOf = (label: string) => {
    let found = outputs.get(label);
    if (!found) outputs.set(label, (found = {}));
    return found;
  };

  const skip = (one: ServiceRun, wait: WaitPolicy): boolean => {
    if (rt.signal.aborted)
      Object.assign(one, { skipped: `${rt.words.cancelled} first`, skippedBy: 'cancel' });
    else if (haltReason) Object.assign(one, { skipped: haltReason, skippedBy: 'stop-others' });
    // Its turn came too late: started now, it would be stopped (or left) at once.
    else if (wait.follow && rt.clock.now() >= wait.deadline) {
      Object.assign(one, {
        skipped: `the wait-for-minutes deadline (${wait.minutes} min) passed before its turn (max-parallel)`,
        skippedBy: 'deadline',
      });
    }
    return one.skipped !== undefined;
  };

  const deployOne = async (one: ServiceRun, taskDefinitionArn: string, wait: WaitPolicy) => {
    const { plan } = one;
    if (skip(one, wait)) return;
    const srt = runtimeFor(plan.label);
    one.requested = true;
    one.startedAt = rt.clock.now();
    srt.info(`${plan.deployment.title}.`);
    try {
      const live = await plan.deployment.start(taskDefinitionArn);
      one.result = await followDeployment(srt, live, wait);
    } catch (error) {
      // Stopped before anything of it was started (a cancel, or another service's failure during a
      // wait for the group): not started, rather than failed. Once a request may have gone out, the
      // in-flight entry stays and the error stands.
      const stoppedFirst = (rt.signal.aborted || haltReason !== undefined) && !inFlight.has(plan.label);
      if (error instanceof CancelledBeforeChange || stoppedFirst) {
        one.requested = false;
        skip(one, wait);
      } else {
        one.result = {
          outcome: 'failure',
          status: 'failed to start',
          deploymentStatus: 'failed',
          failure: describeError(error),
        };
      }
    }
    one.endedAt = rt.clock.now();
    publish();
    const failed = one.result?.outcome === 'failure';
    if (failed && policy.onServiceFailure === 'stop-others' && !haltReason && !rt.signal.aborted) {
      haltReason = `service "${plan.label}" failed (on-service-failure: stop-others)`;
      halt.abort();
    }
  };

  const runtimes = new Map<string, Runtime>();
  const runtimeFor = (label: string): Runtime => {
    let found = runtimes.get(label);
    if (!found) {
      found = serviceRuntime(rt, label, halt.signal, () => haltReason, {
        setOutput: (name, value) => {
          outputsOf(label)[name] = value;
          if (name === 'codedeploy-deployment-id' || name === 'service-deployment-arn') publish();
        },
        rememberInFlight: (deployment) => remember(label, deployment),
      });
      runtimes.set(label, found);
    }
    return found;
  };

  return {
    runtimeFor,
    async deploy(plans, taskDefinitionArn, wait) {
      for (const plan of plans) {
        runs.set(plan.label, {
          plan,
          controller: plan.deployment.controller,
          requested: false,
          outputs: outputsOf(plan.label),
        });
      }
      publish();
      await boundedAll([...runs.values()], policy.maxParallel, (one) =>
        deployOne(one, taskDefinitionArn, wait),
      );
      publish(); // the services never started, too
      return [...runs.values()];
    },
  };
}

/**
 * The runtime one service's deployment sees: its label on every line and event, its own outputs and
 * in-flight entry, and a signal that also aborts when another service's failure stops this one.
 */
function serviceRuntime(
  rt: Runtime,
  label: string,
  halted: AbortSignal,
  haltReason: () => string | undefined,
  sink: Pick<Runtime, 'setOutput' | 'rememberInFlight'>,
): Runtime {
  const watching = AbortSignal.any([rt.signal, halted]);
  let stopping = false;
  const srt: Runtime = {
    ...labelledRuntime(rt, label),
    ...sink,
    halt: {
      reason: () => (rt.signal.aborted ? undefined : haltReason()),
      stopping: () => {
        stopping = true;
      },
    },
  };
  // Read at each use: once stopping, the stop and its rollback follow-up see only a real cancel.
  Object.defineProperty(srt, 'signal', { get: () => (stopping ? rt.signal : watching) });
  // What interrupted a wait is named as it was: "service "web" failed (…)", not "the workflow was cancelled".
  Object.defineProperty(srt, 'words', {
    get: () => {
      const because = srt.halt!.reason();
      return because && halted.aborted ? { ...rt.words, cancelled: because } : rt.words;
    },
  });
  return srt;
}

export function deploymentsEntry(one: ServiceRun): DeploymentsEntry {
  const { target } = one.plan;
  const id = one.outputs['codedeploy-deployment-id'] ?? one.outputs['service-deployment-arn'];
  return {
    cluster: target.cluster,
    service: target.service,
    controller: one.controller,
    ...(id ? { deploymentId: id } : {}),
    status: one.skipped
      ? 'not-started'
      : (one.result?.deploymentStatus ?? (one.requested ? 'in-progress' : 'pending')),
    ...(one.outputs['deployment-url'] ? { url: one.outputs['deployment-url'] } : {}),
  };
}

/** The step's deployment-status with several services: theirs when they agree, else the wait target or `failed`. */
export function combinedStatus(runs: ServiceRun[], wait: Pick<WaitPolicy, 'until'>): string {
  // A service not started because of a cancel or the deadline counts as cancelled or timed out.
  const SKIPPED = { cancel: 'cancelled', deadline: 'timed-out', 'stop-others': 'not-started' } as const;
  const statuses = new Set(
    runs.map((one) => (one.skippedBy ? SKIPPED[one.skippedBy] : deploymentsEntry(one).status)),
  );
  if (statuses.size === 1) return [...statuses][0]!;
  const allSucceeded = runs.every((one) => one.result && one.result.outcome !== 'failure');
  if (allSucceeded) return wait.until === 'complete' ? 'succeeded' : wait.until;
  if (statuses.has('cancelled')) return 'cancelled';
  if (statuses.has('timed-out') && !statuses.has('failed')) return 'timed-out';
  return 'failed';
}

/** The step's result over every service: success only when each reached the wait target. */
export function severalResult(runs: ServiceRun[], wait: Pick<WaitPolicy, 'until' | 'follow'>): DeployResult {
  const total = runs.length;
  // Not following (wait-for-service-stability: false), a started deployment is what was asked for.
  const good = wait.follow ? 'success' : 'started';
  const bad = runs.filter((one) => one.skipped !== undefined || one.result?.outcome !== good);
  const deploymentStatus = combinedStatus(runs, wait);
  if (!wait.follow && bad.length === 0) {
    return { outcome: 'started', status: `${total} deployments started (not waiting)`, deploymentStatus };
  }
  const reached = wait.follow
    ? `${total - bad.length} of ${total} services reached "${wait.until}"`
    : `${total - bad.length} of ${total} deployments started (not waiting)`;
  if (bad.length === 0) return { outcome: 'success', status: reached, deploymentStatus };
  const what = bad.map((one) => `${one.plan.label} ${one.skipped ? 'not started' : one.result?.status}`);
  const details = bad.flatMap((one) =>
    one.skipped
      ? [`[${one.plan.label}] Not started: ${one.skipped}; it still runs its earlier revision.`]
      : [
          `[${one.plan.label}] ${one.result?.failure?.headline ?? one.result?.status}`,
          ...(one.result?.failure?.details ?? []).map((line) => `  ${line}`),
        ],
  );
  const stayed = runs.filter((one) => !bad.includes(one)).map((one) => one.plan.label);
  if (stayed.length > 0) details.push(whereTheOthersAre(stayed, wait));
  const didNot = wait.follow ? `services did not reach "${wait.until}"` : 'deployments were not started';
  return {
    outcome: 'failure',
    status: reached,
    deploymentStatus,
    failure: { headline: `${bad.length} of ${total} ${didNot}: ${what.join('; ')}.`, details },
  };
}

/** What the services that did reach the wait target run now: they are not rolled back. */
function whereTheOthersAre(labels: string[], wait: Pick<WaitPolicy, 'until' | 'follow'>): string {
  const names = labels.join(', ');
  const one = labels.length === 1;
  if (!wait.follow) {
    return `${names} ${one ? 'was' : 'were'} started and ${one ? 'goes' : 'go'} on (wait-for-service-stability: false): follow ${one ? 'it' : 'them'} in the console.`;
  }
  if (wait.until === 'ready') {
    return `${names} ${one ? 'is' : 'are'} ready on the new revision with production traffic still on the earlier one: promote or abort ${one ? 'it' : 'each'}.`;
  }
  return `${names} reached "${wait.until}" and stay${one ? 's' : ''} on the new revision.`;
}

/** Runs `work` on every item, at most `limit` at once, in order of the list. */
async function boundedAll<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
