/**
 * One run of the engine, whatever the front end: a new release (plan → register → one-off task →
 * deploy with the service's controller) or a promote/abort, turned into one result: the report for the
 * summary, the failure to show, and how it ended (for the step's failure or the CLI's exit code).
 * The front end hands in a runtime (AWS ports, clock, cancel signal, sinks) and prints what it says.
 */
import { randomUUID } from 'node:crypto';
import { CancelledBeforeChange, throwIfCancelled } from './cancel.js';
import { runCodeDeploy } from '../codedeploy/deploy.js';
import type { DeployContext, DeployResult } from './runtime.js';
import { isServiceDeploymentArn, runContinuation } from './continuation.js';
import { runEcsDeployment } from '../ecs/deploy.js';
import { runOneOffTask } from '../run-task/run-task.js';
import { describeError, UserError } from '../text/errors.js';
import { makePlan } from './plan.js';
import { taskDefinitionUrl } from '../report/console-urls.js';
import type { DeploymentReport } from '../report/summary.js';
import type { Settings } from '../settings/settings.js';
import { describeStrategy } from '../ecs/progress.js';
import type { ProgressEvent } from '../report/events.js';

/** What the engine is handed: the context minus what it derives itself, plus log groups. */
export type StepRuntime = Omit<DeployContext, 'settings' | 'deadline' | 'requestToken'> & {
  /** Runs `body` as one titled phase (a log group in the action, a heading in a terminal). */
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
};

/** How a run ended: the action fails the step on anything but success/started; the CLI maps exit codes. */
export type StepEnd = 'success' | 'started' | 'failed' | 'bad-input' | 'timed-out' | 'cancelled';

export interface StepResult {
  end: StepEnd;
  report: DeploymentReport;
  failure?: { headline: string; details: string[] };
}

export async function runStep(settings: Settings, runtime: StepRuntime): Promise<StepResult> {
  const startedAt = runtime.clock.now();
  const events: ProgressEvent[] = [];
  const ctx: DeployContext = {
    ...runtime,
    settings,
    deadline: startedAt + settings.wait.minutes * 60_000,
    requestToken: randomUUID().replaceAll('-', '').slice(0, 12),
    onEvent: (event) => {
      events.push(event);
      runtime.onEvent(event);
    },
  };
  const report: DeploymentReport = {
    controller: 'NONE',
    region: ctx.region,
    cluster: settings.target.cluster,
    service: settings.target.service,
    waitUntil: settings.wait.until,
    outcome: 'failure',
    status: 'not started',
    startedAt,
    endedAt: startedAt,
    events,
  };
  const ended = (end: StepEnd, failure?: StepResult['failure']): StepResult => ({
    end,
    report: { ...report, endedAt: runtime.clock.now(), failure },
    failure,
  });
  try {
    const result = settings.continuation
      ? await continueDeployment(ctx, runtime, report)
      : await release(ctx, runtime, report);
    if (!result) {
      Object.assign(report, { outcome: 'success', status: 'registered (no service given)' });
      ctx.setOutput('deployment-status', 'registered');
      return ended('success');
    }
    ctx.setOutput('deployment-status', result.deploymentStatus);
    Object.assign(report, {
      outcome: result.outcome,
      status: result.status,
      deploymentId: result.deploymentId,
      deploymentUrl: result.deploymentUrl,
    });
    if (!result.failure) return ended(result.outcome === 'started' ? 'started' : 'success');
    const end =
      result.deploymentStatus === 'timed-out' || result.deploymentStatus === 'cancelled'
        ? result.deploymentStatus
        : 'failed';
    return ended(end, result.failure);
  } catch (error) {
    const cancelled = error instanceof CancelledBeforeChange;
    ctx.setOutput('deployment-status', cancelled ? 'cancelled' : 'failed');
    const nothingChanged = report.status === 'not started' && report.taskDefinitionArn === undefined;
    report.status = cancelled
      ? 'cancelled before deploying'
      : report.status === 'not started'
        ? 'failed before deploying'
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
  ctx: DeployContext,
  runtime: StepRuntime,
  report: DeploymentReport,
): Promise<DeployResult> {
  const continuation = ctx.settings.continuation!;
  report.controller = isServiceDeploymentArn(continuation.target) ? 'ECS' : 'CODE_DEPLOY';
  const verb = continuation.action === 'promote' ? 'Promote' : 'Abort';
  return runtime.group(`${verb} ${continuation.target}`, () => runContinuation(ctx, continuation));
}

/**
 * A new release: render and check, register, then deploy with the service's controller. Returns
 * undefined when there is no service to deploy to (register only).
 */
async function release(
  ctx: DeployContext,
  runtime: StepRuntime,
  report: DeploymentReport,
): Promise<DeployResult | undefined> {
  const { signal } = ctx;
  const plan = await runtime.group('Render and check (no changes yet)', () => makePlan(ctx));
  throwIfCancelled(signal, 'the task definition was registered');

  const taskDefinitionArn = await runtime.group('Register task definition', async () => {
    const registered = await ctx.ecs.registerTaskDefinition(plan.taskDefinition as never);
    const arn = registered.taskDefinitionArn ?? '';
    ctx.setOutput('task-definition-arn', arn);
    ctx.info(`Registered ${arn}: ${taskDefinitionUrl(ctx.region, arn)}`);
    return arn;
  });
  report.taskDefinitionArn = taskDefinitionArn;
  const unused = [`Registered ${taskDefinitionArn}, which nothing runs yet.`];

  if (ctx.settings.runTask) {
    throwIfCancelled(signal, 'the one-off task was started', unused);
    await runtime.group('Run one-off task', () =>
      runOneOffTask(ctx, plan.taskDefinition, taskDefinitionArn, plan.service),
    );
  }
  if (!plan.service || (!plan.codeDeploy && !plan.ecs)) return undefined;
  throwIfCancelled(signal, 'the deployment was started', unused);
  report.status = 'failed while deploying'; // unless the path returns a result of its own
  // The path was chosen by the plan, from the service's deployment controller.
  if (plan.codeDeploy) {
    const codeDeployPlan = plan.codeDeploy;
    report.controller = 'CODE_DEPLOY';
    report.deploymentConfig = codeDeployPlan.deploymentConfig;
    return runtime.group('Deploy with CodeDeploy blue/green', () =>
      runCodeDeploy(ctx, codeDeployPlan, taskDefinitionArn),
    );
  }
  const ecsPlan = plan.ecs!;
  const service = plan.service;
  report.controller = ecsPlan.strategy === 'ROLLING' ? 'ROLLING' : 'ECS';
  report.deploymentConfig = ecsPlan.strategy;
  return runtime.group(`Deploy with an ECS ${describeStrategy(ecsPlan.strategy)}`, () =>
    runEcsDeployment(ctx, ecsPlan, service, taskDefinitionArn),
  );
}
