/**
 * The main step: inputs → plan (nothing changed yet) → register → deploy → report. The one place that
 * decides the step failed.
 */
import * as core from '@actions/core';
import * as log from './log.js';
import { randomUUID } from 'node:crypto';
import { createAwsClients } from './aws/clients.js';
import { proxyRequestHandler } from './aws/proxy.js';
import { createCodeDeployPort } from './aws/codedeploy.js';
import { createEcsPort } from './aws/ecs.js';
import { systemClock } from './clock.js';
import { CancelledBeforeChange, guardMutations, throwIfCancelled } from './deploy/cancel.js';
import { runCodeDeploy } from './deploy/codedeploy.js';
import { runEcsDeployment } from './deploy/ecs-service.js';
import { runOneOffTask } from './deploy/run-task.js';
import { isServiceDeploymentArn, runContinuation } from './deploy/continuation.js';
import { describeStrategy } from './watch/ecs-progress.js';
import type { DeployContext, DeployResult } from './deploy/context.js';
import { UserError } from './errors.js';
import { readSettings } from './inputs.js';
import { makePlan } from './plan.js';
import { formatProgressEvent } from './report/progress-lines.js';
import { buildJobSummary, type DeploymentReport } from './report/summary.js';
import { taskDefinitionUrl } from './report/console-urls.js';
import { cancelSignal } from './signals.js';
import { saveInFlight } from './state.js';
import type { ProgressEvent } from './watch/events.js';
import { USER_AGENT } from './version.js';

export async function run(): Promise<void> {
  core.saveState('isPost', 'true'); // the same bundle runs as the post step; see index.ts
  const startedAt = systemClock.now();
  const events: ProgressEvent[] = [];
  let report: DeploymentReport | undefined;
  const cancel = cancelSignal();
  try {
    const settings = readSettings();
    const aws = createAwsClients({
      maxRetries: settings.maxRetries,
      userAgent: USER_AGENT,
      requestHandler: await proxyRequestHandler(),
    });
    // Every change goes through guarded ports: none is made once the runner has cancelled the step.
    const ports = guardMutations(
      { ecs: createEcsPort(aws.ecs), codeDeploy: createCodeDeployPort(aws.codeDeploy, aws.codeDeployOnce) },
      cancel.signal,
    );
    const ctx: DeployContext = {
      settings,
      region: aws.region,
      ...ports,
      clock: systemClock,
      deadline: startedAt + settings.waitForMinutes * 60_000,
      requestToken: randomUUID().replaceAll('-', '').slice(0, 12),
      pollIntervalMs: pollIntervalFromEnv(),
      signal: cancel.signal,
      onEvent: (event) => {
        events.push(event);
        log.info(formatProgressEvent(event, startedAt));
      },
      info: (line) => log.info(line),
      warning: (line) => log.warning(line),
      setOutput: (name, value) => core.setOutput(name, value),
      rememberInFlight: saveInFlight,
    };
    report = {
      controller: 'NONE',
      region: ctx.region,
      cluster: settings.cluster,
      service: settings.service,
      waitUntil: settings.waitUntil,
      outcome: 'failure',
      status: 'not started',
      startedAt,
      endedAt: startedAt,
      events,
    };

    const continuation = settings.continuation;
    let result: DeployResult | undefined;
    if (continuation) {
      report.controller = isServiceDeploymentArn(continuation.target) ? 'ECS' : 'CODE_DEPLOY';
      const verb = continuation.action === 'promote' ? 'Promote' : 'Abort';
      result = await core.group(`${verb} ${continuation.target}`, () => runContinuation(ctx, continuation));
    } else {
      result = await release(ctx, report, cancel.signal);
    }
    if (!result) {
      report = { ...report, outcome: 'success', status: 'registered (no service given)' };
      ctx.setOutput('deployment-status', 'registered');
      return;
    }
    ctx.setOutput('deployment-status', result.deploymentStatus);
    report = {
      ...report,
      outcome: result.outcome,
      status: result.status,
      deploymentId: result.deploymentId,
      deploymentUrl: result.deploymentUrl,
      failure: result.failure,
    };
    if (result.failure) fail(result.failure.headline, result.failure.details);
    else log.info(`✅ ${result.status}`);
  } catch (error) {
    const { headline, details } = describeError(error);
    const cancelled = error instanceof CancelledBeforeChange;
    core.setOutput('deployment-status', cancelled ? 'cancelled' : 'failed');
    if (report)
      report = {
        ...report,
        outcome: 'failure',
        status: cancelled
          ? 'cancelled before deploying'
          : report.status === 'not started'
            ? 'failed before deploying'
            : report.status,
        failure: { headline, details },
      };
    fail(headline, details);
  } finally {
    cancel.dispose();
    if (report) await writeSummary({ ...report, endedAt: systemClock.now() });
  }
}

/**
 * A new release: render and check, register, then deploy with the service's controller. Returns
 * undefined when there is no service to deploy to (register only).
 */
async function release(
  ctx: DeployContext,
  report: DeploymentReport,
  signal: AbortSignal,
): Promise<DeployResult | undefined> {
  const plan = await core.group('Render and check (no changes yet)', () => makePlan(ctx));
  throwIfCancelled(signal, 'the task definition was registered');

  const taskDefinitionArn = await core.group('Register task definition', async () => {
    const registered = await ctx.ecs.registerTaskDefinition(plan.taskDefinition as never);
    const arn = registered.taskDefinitionArn ?? '';
    ctx.setOutput('task-definition-arn', arn);
    log.info(`Registered ${arn}: ${taskDefinitionUrl(ctx.region, arn)}`);
    return arn;
  });
  report.taskDefinitionArn = taskDefinitionArn;

  if (ctx.settings.runTask) {
    throwIfCancelled(signal, 'the one-off task was started', [
      `Registered ${taskDefinitionArn}, which nothing runs yet.`,
    ]);
    await core.group('Run one-off task', () =>
      runOneOffTask(ctx, plan.taskDefinition, taskDefinitionArn, plan.service),
    );
  }
  if (!plan.service || (!plan.codeDeploy && !plan.ecs)) return undefined;
  throwIfCancelled(signal, 'the deployment was started', [
    `Registered ${taskDefinitionArn}, which nothing runs yet.`,
  ]);
  if (plan.codeDeploy) {
    report.controller = 'CODE_DEPLOY';
    report.status = 'failed while deploying'; // unless the path returns a result of its own
    report.deploymentConfig = plan.codeDeploy.deploymentConfig;
    const codeDeployPlan = plan.codeDeploy;
    return core.group('Deploy with CodeDeploy blue/green', () =>
      runCodeDeploy(ctx, codeDeployPlan, taskDefinitionArn),
    );
  } else {
    const ecsPlan = plan.ecs!;
    const service = plan.service;
    report.controller = ecsPlan.strategy === 'ROLLING' ? 'ROLLING' : 'ECS';
    report.status = 'failed while deploying'; // unless the path returns a result of its own
    report.deploymentConfig = ecsPlan.strategy;
    return core.group(`Deploy with an ECS ${describeStrategy(ecsPlan.strategy)}`, () =>
      runEcsDeployment(ctx, ecsPlan, service, taskDefinitionArn),
    );
  }
}

function fail(headline: string, details: string[]): void {
  log.setFailed([headline, ...details].join('\n'));
}

function describeError(error: unknown): { headline: string; details: string[] } {
  if (error instanceof UserError) return { headline: error.message, details: error.details };
  // Not a UserError: a bug in ecs-shift. Show the stack so the report is actionable.
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    headline: `ecs-shift hit an unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    details: ['This is a bug in ecs-shift; please report it with this log.', stack],
  };
}

async function writeSummary(report: DeploymentReport): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(buildJobSummary(report)).write();
  } catch (error) {
    log.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** ECS_SHIFT_POLL_SECONDS: poll interval override (default 5 s); the simulator's tests use it. */
function pollIntervalFromEnv(): number | undefined {
  const value = Number(process.env.ECS_SHIFT_POLL_SECONDS);
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}
