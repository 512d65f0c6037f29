/**
 * One run of the engine, whatever the front end: a new release (plan → register → one-off task →
 * deploy with the service's controller) or a promote/abort, turned into one result: the report for the
 * summary, the failure to show, and how it ended (for the step's failure or the CLI's exit code).
 * The front end hands in a runtime (AWS ports, clock, cancel signal, sinks) and prints what it says.
 */
import { randomUUID } from 'node:crypto';
import { runOneOffTask } from '../run-task/run-task.js';
import { describeError, UserError } from '../text/errors.js';
import { taskDefinitionName, taskDefinitionUrl } from '../report/console-urls.js';
import { changeLines, imageChanges } from '../report/changes.js';
import { diffTaskDefinitions } from '../taskdef/diff.js';
import type { DeploymentReport } from '../report/summary.js';
import type { Settings } from '../settings/settings.js';
import type { ProgressEvent } from '../report/events.js';
import { CancelledBeforeChange, throwIfCancelled } from './cancel.js';
import { runContinuation, waitAfterPromote } from './continuation.js';
import { followDeployment } from './follow.js';
import { makePlan, type Plan, type PlanFindings } from './plan.js';
import { rendersOnly } from './reuse.js';
import { type ServiceRun, type SeveralServices, severalResult, severalServices } from './several.js';
import { followUps } from './follow-ups.js';
import { serviceLabels } from './services.js';
import { type DeployResult, type Runtime, waitPolicy } from './runtime.js';
import { type RunDecisions, strategyForDeployment } from './strategies.js';

/** What the engine is handed: the narrow runtime, plus log groups. */
export type StepRuntime = Runtime & {
  /** Runs `body` as one titled phase (a log group in the action, a heading in a terminal). */
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
  /** When the front end started (its log counts elapsed time from it): the summary counts from it too. */
  startedAt?: number;
};

/** How a run ended: the action fails the step on anything but success/started; the CLI maps exit codes. */
export type StepEnd = 'success' | 'started' | 'failed' | 'bad-input' | 'timed-out' | 'cancelled';

export interface StepResult {
  end: StepEnd;
  report: DeploymentReport;
  failure?: { headline: string; details: string[] };
}

export async function runStep(settings: Settings, runtime: StepRuntime): Promise<StepResult> {
  const startedAt = runtime.startedAt ?? runtime.clock.now();
  const events: ProgressEvent[] = [];
  const rt: StepRuntime = {
    ...runtime,
    maxPollDelayMs:
      settings.wait.maxDelaySeconds === undefined ? undefined : settings.wait.maxDelaySeconds * 1000,
    appLogs: settings.checks.appLogs,
    onEvent: (event) => {
      events.push(event);
      runtime.onEvent(event);
    },
  };
  // Decided once for the whole step: one deadline from its start, one token for what it creates.
  const run: RunDecisions = {
    wait: waitPolicy(settings.wait, startedAt, settings.checks.maxTaskFailures),
    requestToken: randomUUID().replaceAll('-', '').slice(0, 12),
  };
  const report: DeploymentReport = {
    controller: 'NONE',
    region: rt.region,
    cluster: settings.target.cluster,
    service: settings.target.service,
    waitUntil: settings.wait.until,
    outcome: 'failure',
    status: 'not started',
    startedAt,
    endedAt: startedAt,
    events,
  };
  const ended = (end: StepEnd, failure?: StepResult['failure']): StepResult => {
    // A release that reached its end, but left scheduled tasks behind, is not a success.
    const left = report.followUps?.failure;
    if (left && !failure && (end === 'success' || end === 'started')) {
      Object.assign(report, { outcome: 'failure', status: `${report.status}; ${left.status}` });
      return ended('failed', left);
    }
    return { end, report: { ...report, endedAt: runtime.clock.now(), failure }, failure };
  };
  try {
    const result = settings.continuation
      ? await continueDeployment(rt, settings, run, report)
      : await release(rt, settings, run, report);
    if (result === 'dry-run') {
      Object.assign(report, { outcome: 'success', status: 'dry run: nothing changed', dryRun: true });
      rt.setOutput('deployment-status', 'dry-run');
      return ended('success');
    }
    if (!result) {
      const rendered = rendersOnly(settings);
      const status = rendered
        ? 'rendered (no service given)'
        : report.reused
          ? 'nothing new to register (no service given)'
          : 'registered (no service given)';
      Object.assign(report, { outcome: 'success', status });
      rt.setOutput('deployment-status', rendered ? 'rendered' : 'registered');
      return ended('success');
    }
    rt.setOutput('deployment-status', result.deploymentStatus);
    Object.assign(report, {
      outcome: result.outcome,
      status: result.status,
      deploymentId: result.deploymentId,
      deploymentUrl: result.deploymentUrl,
      ending: result.ending,
      deploymentStatus: result.deploymentStatus,
      deploymentConfig: report.deploymentConfig ?? result.deploymentConfig,
    });
    if (!result.failure) return ended(result.outcome === 'started' ? 'started' : 'success');
    const end =
      result.deploymentStatus === 'timed-out' || result.deploymentStatus === 'cancelled'
        ? result.deploymentStatus
        : 'failed';
    return ended(end, result.failure);
  } catch (error) {
    const cancelled = error instanceof CancelledBeforeChange;
    rt.setOutput('deployment-status', cancelled ? 'cancelled' : 'failed');
    const nothingChanged = report.status === 'not started' && report.taskDefinitionArn === undefined;
    report.status = cancelled
      ? 'cancelled before deploying'
      : report.status === 'not started'
        ? nothingChanged
          ? 'failed before any change'
          : 'failed before deploying'
        : report.status;
    const end: StepEnd = cancelled
      ? 'cancelled'
      : nothingChanged && error instanceof UserError
        ? 'bad-input'
        : 'failed';
    return ended(end, describeError(error));
  }
}

async function continueDeployment(
  rt: StepRuntime,
  settings: Settings,
  run: RunDecisions,
  report: DeploymentReport,
): Promise<DeployResult> {
  const continuation = settings.continuation!;
  const { strategy, controller } = strategyForDeployment(continuation.target, settings, run);
  report.controller = controller;
  report.deploymentRequested = true;
  report.continuation = continuation.action;
  // A promote from `ready` is followed on to the shift: that is what it waits for.
  if (continuation.action === 'promote') report.waitUntil = waitAfterPromote(settings.wait.until);
  const verb = continuation.action === 'promote' ? 'Promote' : 'Abort';
  return rt.group(`${verb} ${continuation.target}`, () =>
    runContinuation(rt, strategy, continuation, run.wait),
  );
}

/**
 * A new release: render and check, register, then deploy with the service's strategy. Returns
 * undefined when there is no service to deploy to (register only).
 */
async function release(
  rt: StepRuntime,
  settings: Settings,
  run: RunDecisions,
  report: DeploymentReport,
): Promise<DeployResult | 'dry-run' | undefined> {
  const findings: PlanFindings = {};
  const targets = settings.target.services;
  // Several services: the report has one part per service from the start, "unchanged" until deployed.
  const untouched = (previous: (string | undefined)[] = []) =>
    serviceLabels(targets).map((label, index): DeploymentReport => ({
      ...report,
      services: undefined,
      controller: 'NONE',
      cluster: targets[index]!.cluster,
      service: targets[index]!.service,
      label,
      previousTaskDefinitionArn: previous[index],
      dryRun: settings.target.dryRun || undefined,
      events: [],
    }));
  if (targets.length > 1) report.services = untouched();
  const several = severalServices(rt, settings.target);
  const plan = await rt
    .group('Render and check (no changes yet)', () =>
      makePlan(rt, settings, run, findings, several.runtimeFor),
    )
    .finally(() => {
      report.previousTaskDefinitionArn = findings.service?.taskDefinition;
      if (targets.length > 1) report.services = untouched(findings.services?.map((s) => s.taskDefinition));
    });
  if (rendersOnly(settings)) {
    // Shaped like the official render action: a later step deploys (or registers) the file.
    rt.info('Rendered only (no service, nothing registered): set register: true to register it as well.');
    return undefined;
  }
  await showChanges(rt, plan, report);
  if (settings.target.dryRun) {
    report.dryRunReuses = plan.reuse?.arn;
    // Each service checked and ready to deploy: a success of the dry run, not a service left behind.
    report.services = report.services?.map((part, index) => ({
      ...part,
      controller: plan.deployments[index]?.deployment.controller ?? part.controller,
      outcome: 'success',
      status: 'dry run: nothing changed',
    }));
    rt.info('Dry run (dry-run: true): rendered, checked and compared; nothing was registered or deployed.');
    return 'dry-run';
  }
  throwIfCancelled(rt, 'the task definition was registered');

  const { reuse } = plan;
  const taskDefinitionArn = await rt.group('Register task definition', async () => {
    if (reuse) {
      rt.setOutput('task-definition-arn', reuse.arn);
      rt.info(`${reuse.line} ${taskDefinitionUrl(rt.region, reuse.arn)}`);
      return reuse.arn;
    }
    const registered = await rt.ecs.registerTaskDefinition(plan.taskDefinition as never);
    const arn = registered.taskDefinitionArn ?? '';
    rt.setOutput('task-definition-arn', arn);
    rt.info(`Registered ${arn}: ${taskDefinitionUrl(rt.region, arn)}`);
    return arn;
  });
  report.taskDefinitionArn = taskDefinitionArn;
  report.reused = reuse !== undefined;
  const unused = reuse ? [] : [`Registered ${taskDefinitionArn}, which nothing runs yet.`];

  const { runTask } = settings;
  if (runTask) {
    throwIfCancelled(rt, 'the one-off task was started', unused);
    const slice = {
      runTask,
      cluster: settings.target.cluster,
      enableEcsManagedTags: settings.serviceUpdate.enableEcsManagedTags,
      wait: run.wait,
    };
    await rt.group('Run one-off task', () =>
      runOneOffTask(rt, slice, plan.taskDefinition, taskDefinitionArn, plan.service),
    );
  }
  const result = await deployAll(rt, settings, run, plan, taskDefinitionArn, report, several, unused);
  // Scheduled tasks and old revisions follow only a release that reached its end.
  report.followUps = await followUps(
    rt,
    settings.afterRelease,
    plan,
    { taskDefinitionArn, cluster: settings.target.cluster },
    result,
  );
  return result;
}

/** Deploys the registered revision to every service (undefined: no service, register only). */
async function deployAll(
  rt: StepRuntime,
  settings: Settings,
  run: RunDecisions,
  plan: Plan,
  taskDefinitionArn: string,
  report: DeploymentReport,
  several: SeveralServices,
  unused: string[],
): Promise<DeployResult | undefined> {
  const { deployments } = plan;
  if (deployments.length === 0) return undefined;
  throwIfCancelled(rt, 'the deployment was started', unused);
  report.status = 'failed while deploying'; // unless the strategy returns a result of its own
  report.deploymentRequested = true;
  const [first] = deployments;
  report.controller = first!.deployment.controller;
  if (deployments.length > 1) {
    return rt.group(`Deploy ${deployments.length} services`, async () => {
      const runs = await several.deploy(deployments, taskDefinitionArn, run.wait);
      report.services = serviceReports(runs, report, rt.clock.now());
      return severalResult(runs, run.wait);
    });
  }
  const { deployment } = first!;
  report.deploymentConfig = deployment.deploymentConfig;
  return rt.group(deployment.title, async () =>
    followDeployment(rt, await deployment.start(taskDefinitionArn), run.wait),
  );
}

/** Each service's part of the report, shaped as a one-service report (its events, its ending). */
function serviceReports(runs: ServiceRun[], report: DeploymentReport, now: number): DeploymentReport[] {
  return runs.map((one) => ({
    controller: one.controller,
    region: report.region,
    cluster: one.plan.target.cluster,
    service: one.plan.target.service,
    label: one.plan.label,
    taskDefinitionArn: report.taskDefinitionArn,
    previousTaskDefinitionArn: one.plan.service.taskDefinition,
    deploymentRequested: one.requested,
    deploymentId: one.result?.deploymentId,
    deploymentUrl: one.result?.deploymentUrl,
    deploymentConfig: one.result?.deploymentConfig ?? one.plan.deployment.deploymentConfig,
    waitUntil: report.waitUntil,
    outcome: one.result?.outcome ?? 'failure',
    status: one.skipped ? `not started: ${one.skipped}` : (one.result?.status ?? 'not started'),
    ending: one.result?.ending,
    deploymentStatus: one.result?.deploymentStatus,
    startedAt: one.startedAt ?? report.startedAt,
    endedAt: one.endedAt ?? now,
    events: report.events.filter((event) => event.service === one.plan.label),
    failure: one.result?.failure,
  }));
}

/** "What changed" from the revision the service ran (or the family's latest), as a log group. */
async function showChanges(rt: StepRuntime, plan: Plan, report: DeploymentReport): Promise<void> {
  const { previous } = plan;
  if (!previous) return;
  report.previousTaskDefinitionArn ??= previous.arn;
  const diff = diffTaskDefinitions(previous.taskDefinition, plan.taskDefinition);
  const before = taskDefinitionName(previous.arn);
  const after = plan.reuse ? taskDefinitionName(plan.reuse.arn) : 'the new revision';
  report.changes = { diff, comparedWith: previous.arn };
  report.imageChanges = imageChanges(diff);
  await rt.group(`What changed: ${before} → ${after}`, async () => {
    for (const line of changeLines(diff, { before, after })) rt.info(line);
  });
}
