/**
 * The CODE_DEPLOY strategy: check the application and deployment group fit the service (before any
 * change), then create the blue/green deployment once, follow it, and stop it with rollback when it
 * must not be left running; promote or abort a deployment waiting at Ready.
 */
import { codeDeployConfigWords } from '../report/deployment-config.js';
import path from 'node:path';
import type {
  DeploymentConfigInfo,
  DeploymentGroupInfo,
  DeploymentInfo,
  TaskDefinition,
} from '../aws/ports.js';
import { isDeploymentLimitExceeded } from '../aws/codedeploy.js';
import type { CreateDeploymentRequest } from '../aws/ports.js';
import { DEFAULT_POLL_INTERVAL_MS } from '../release/pace.js';
import type { Runtime, WaitPolicy } from '../release/runtime.js';
import type {
  LiveDeployment,
  PlanInput,
  PlannedDeployment,
  ResultFields,
  Strategy,
} from '../release/strategy.js';
import { endingOf, followRollback, STOP_BUDGET_MS } from '../release/stop.js';
import type { WatchedTasks } from '../release/crash-loop.js';
import { appLogsOfStoppedTasks } from '../release/app-logs.js';
import { rollbackWords } from '../release/interrupted.js';
import { notWaiting } from '../release/waiting.js';
import { clusterName, codeDeployDeploymentUrl } from '../report/console-urls.js';
import { diagnoseCodeDeployFailure } from './diagnosis.js';
import type { CodeDeploySettings, RunContext, TargetSettings, WaitUntil } from '../settings/settings.js';
import { UserError } from '../text/errors.js';
import { readInputFile } from '../text/input-file.js';
import {
  type AppSpec,
  appSpecRevision,
  checkAppSpecAgainstTaskDefinition,
  generateAppSpec,
  parseAppSpec,
  withTaskDefinitionArn,
} from './appspec.js';
import { clearTheWay, refuseIfBusy } from './conflicts.js';
import { createDeploymentOnce, MAX_DESCRIPTION_LENGTH, withRequestToken } from './create-once.js';
import { trafficStepMs } from './pace.js';
import { codeDeployStopper, readRollback } from './stop.js';
import { type CodeDeployWatchOutcome, watchCodeDeployment } from './watch.js';

/** What this strategy is handed of the settings. */
export interface CodeDeploySlice {
  codeDeploy: CodeDeploySettings;
  target: TargetSettings;
  wait: WaitPolicy;
  run: RunContext;
  workspace: string;
  maxRetries?: number;
  /** Unique to this run; tags our CreateDeployment so a retry can find it (create-once.ts). */
  requestToken: string;
}

export function codeDeployStrategy(slice: CodeDeploySlice): Strategy {
  return {
    async plan(rt, input) {
      const plan = await planCodeDeploy(rt, slice, input);
      return plannedDeployment(rt, slice, plan);
    },
    openWaiting: (rt, { action, target: id }) => openWaiting(rt, slice, action, id),
  };
}

export interface CodeDeployPlan {
  application: string;
  deploymentGroup: string;
  /** The config this deployment will use: the input, or the group's own. */
  deploymentConfig: string;
  appSpec: AppSpec;
  group: DeploymentGroupInfo;
  /** Time between canary/linear traffic steps, from the deployment config. */
  trafficStepMs?: number;
  /** How the config moves traffic, for the report. */
  trafficRouting?: DeploymentConfigInfo['trafficRoutingConfig'];
  /** The service's desired count, to scale the crash-loop threshold. */
  desiredCount: number;
}

/** Everything that can be checked before registering: group, binding, config, AppSpec. */
export async function planCodeDeploy(
  rt: Runtime,
  slice: CodeDeploySlice,
  { service, taskDefinition: renderedTaskDefinition }: PlanInput,
): Promise<CodeDeployPlan> {
  const { application, deploymentGroup } = slice.codeDeploy;
  const appSpecText = readAppSpec(slice);
  const group = await rt.codeDeploy.getDeploymentGroup(application, deploymentGroup);

  const cluster = clusterName(slice.target.cluster);
  const bound = (group.ecsServices ?? []).some(
    (s) => s.clusterName === cluster && s.serviceName === service.serviceName,
  );
  if (!bound) {
    const boundTo =
      (group.ecsServices ?? []).map((s) => `${s.clusterName}/${s.serviceName}`).join(', ') || 'no service';
    throw new UserError(
      `CodeDeploy deployment group "${deploymentGroup}" (application "${application}") deploys ${boundTo}, not ${cluster}/${service.serviceName}. ` +
        `Set codedeploy-application and codedeploy-deployment-group to the group of this service, or check cluster and service.`,
    );
  }
  if (
    slice.wait.until === 'ready' &&
    group.blueGreenDeploymentConfiguration?.deploymentReadyOption?.actionOnTimeout !== 'STOP_DEPLOYMENT'
  ) {
    throw new UserError(
      `wait-until: ready waits for the deployment to pause before production traffic moves, but deployment group "${deploymentGroup}" reroutes traffic immediately. ` +
        `Configure the group to "specify when to reroute traffic" (deploymentReadyOption.actionOnTimeout STOP_DEPLOYMENT), or use wait-until: shifted.`,
    );
  }

  // Checks an input config exists, and tells the watch how long each canary/linear step lasts.
  const deploymentConfig =
    slice.codeDeploy.deploymentConfig ?? group.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce';
  const configInfo = await rt.codeDeploy.getDeploymentConfig(deploymentConfig);

  // on-conflict: fail must not leave a freshly registered, unused revision behind.
  await refuseIfBusy(rt, { application, deploymentGroup }, slice.codeDeploy.onConflict);

  const appSpec = appSpecText
    ? parseAppSpec(appSpecText.text, appSpecText.origin, rt.info)
    : generateAppSpec(service);
  checkAppSpecAgainstTaskDefinition(
    appSpec,
    renderedTaskDefinition as TaskDefinition,
    appSpecText?.origin ?? 'the AppSpec generated from the service',
  );
  return {
    application,
    deploymentGroup,
    deploymentConfig,
    appSpec,
    group,
    trafficStepMs: trafficStepMs(configInfo),
    trafficRouting: configInfo.trafficRoutingConfig,
    desiredCount: service.desiredCount ?? 0,
  };
}

function plannedDeployment(rt: Runtime, slice: CodeDeploySlice, plan: CodeDeployPlan): PlannedDeployment {
  return {
    controller: 'CODE_DEPLOY',
    deploymentConfig: codeDeployConfigWords(plan.deploymentConfig, plan.trafficRouting),
    title: 'Deploy with CodeDeploy blue/green',
    async start(taskDefinitionArn) {
      const startedAt = rt.clock.now();
      const request: CreateDeploymentRequest = {
        applicationName: plan.application,
        deploymentGroupName: plan.deploymentGroup,
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: appSpecRevision(withTaskDefinitionArn(plan.appSpec, taskDefinitionArn)),
        },
        deploymentConfigName: slice.codeDeploy.deploymentConfig,
        // The token lets a retry find the deployment a lost CreateDeployment answer had started.
        description: withRequestToken(
          slice.codeDeploy.description ?? defaultDescription(slice.run),
          slice.requestToken,
        ),
      };
      const deploymentId = await createWhenGroupIsFree(rt, slice, plan, request);
      const live = liveCodeDeployment(rt, slice.target, {
        deploymentId,
        deploymentConfig: plan.deploymentConfig,
        trafficStepMs: plan.trafficStepMs,
        taskDefinitionArn,
        tasks: {
          cluster: slice.target.cluster,
          service: slice.target.service ?? '',
          taskDefinitionArn,
          desiredCount: plan.desiredCount,
          startedAt,
        },
      });
      rt.setOutput('codedeploy-deployment-id', deploymentId);
      rt.setOutput('deployment-url', live.url);
      rt.rememberInFlight(live.inFlight(slice.wait.onCancel));
      rt.info(`Created CodeDeploy deployment ${deploymentId} (${plan.deploymentConfig}): ${live.url}`);
      return live;
    },
  };
}

/**
 * A deployment (ours, or one being promoted) as the shared follow-up drives it: watched to the wait
 * target, stopped with rollback when it must not be left running, its failure explained.
 */
function liveCodeDeployment(rt: Runtime, target: TargetSettings, ref: CodeDeploymentRef): LiveDeployment {
  const { deploymentId, taskDefinitionArn } = ref;
  return {
    id: deploymentId,
    url: codeDeployDeploymentUrl(rt.region, deploymentId),
    subject: `deployment ${deploymentId}`,
    deploymentConfig: ref.deploymentConfig,
    inFlight: (onCancel) => ({ kind: 'codedeploy', deploymentId, onCancel }),
    stopper: () => codeDeployStopper(rt, deploymentId, target, taskDefinitionArn),
    tasks: ref.tasks,
    async watch(until, deadline, crashCheck) {
      const outcome = await watchCodeDeployment({
        codeDeploy: rt.codeDeploy,
        deploymentId,
        waitUntil: until,
        deadline,
        clock: rt.clock,
        pollIntervalMs: rt.pollIntervalMs,
        maxPollDelayMs: rt.maxPollDelayMs,
        trafficStepMs: ref.trafficStepMs,
        signal: rt.signal,
        onEvent: rt.onEvent,
        crashCheck,
      });
      switch (outcome.kind) {
        case 'reached':
          return { kind: 'reached', result: reachedResult(until, outcome.deployment) };
        case 'failed':
          return {
            kind: 'failed',
            describe: () => describeFailure(rt, target, deploymentId, taskDefinitionArn, outcome),
          };
        case 'crash-loop':
          return { kind: 'crash-loop', crashLoop: outcome.crashLoop! };
        default:
          return { kind: outcome.kind };
      }
    },
  };
}

/** A CodeDeploy deployment to follow, and what its watch and diagnosis need to know of it. */
interface CodeDeploymentRef {
  deploymentId: string;
  deploymentConfig: string;
  trafficStepMs?: number;
  /** The new revision, to pick its stopped tasks out in a diagnosis. */
  taskDefinitionArn?: string;
  /** For the crash-loop check; unset for a deployment opened for promote. */
  tasks?: WatchedTasks;
}

/** Queues behind (or stops) an active deployment, also when one slips in just before ours. */
async function createWhenGroupIsFree(
  rt: Runtime,
  slice: CodeDeploySlice,
  plan: CodeDeployPlan,
  request: CreateDeploymentRequest,
): Promise<string> {
  const { deadline } = slice.wait;
  for (;;) {
    await clearTheWay(rt, plan, { onConflict: slice.codeDeploy.onConflict, deadline });
    try {
      return await createDeploymentOnce(rt, request, {
        token: slice.requestToken,
        deadline,
        maxRetries: slice.maxRetries,
        onCancel: slice.wait.onCancel,
      });
    } catch (error) {
      if (!isDeploymentLimitExceeded(error)) throw error;
      rt.info(
        `Another deployment${error.activeDeploymentId ? ` (${error.activeDeploymentId})` : ''} started in the group just before ours.`,
      );
      await rt.clock.sleep(rt.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, rt.signal);
    }
  }
}

function reachedResult(waitUntil: WaitUntil, deployment: DeploymentInfo | undefined): ResultFields {
  const succeeded = deployment?.status === 'Succeeded';
  return {
    outcome: 'success',
    status: succeeded
      ? 'succeeded'
      : waitUntil === 'ready'
        ? 'ready for promotion (test traffic on the new revision)'
        : 'traffic shifted (the old task set is kept for the termination wait)',
    deploymentStatus: waitUntil === 'complete' || succeeded ? 'succeeded' : waitUntil,
  };
}

async function describeFailure(
  rt: Runtime,
  target: TargetSettings,
  deploymentId: string,
  newTaskDefinitionArn: string | undefined,
  outcome: CodeDeployWatchOutcome,
): Promise<ResultFields> {
  const { ecs, codeDeploy } = rt;
  const { cluster } = target;
  const service = target.service ?? '';
  // Diagnosis is best effort: a failure to gather it must not hide the deployment's own failure.
  const deployment = outcome.deployment ?? (await codeDeploy.getDeployment(deploymentId));
  const stoppedTasks = await ecs.listStoppedTasks(cluster, service, 20).catch(() => []);
  const appLogs = await appLogsOfStoppedTasks(rt, stoppedTasks, newTaskDefinitionArn);
  const serviceEvents = (await ecs.describeService(cluster, service).catch(() => undefined))?.events ?? [];
  // CodeDeploy started a rollback: follow it, so the report says where traffic ended up.
  const rollback = deployment.rollbackInfo?.rollbackDeploymentId
    ? await followRollback(rt, () => readRollback(rt, deploymentId, target, newTaskDefinitionArn))
    : undefined;
  const failure = diagnoseCodeDeployFailure({
    deployment,
    rollback,
    target: outcome.snapshot.target,
    stoppedTasks,
    appLogs,
    serviceEvents,
    newTaskDefinitionArn,
    region: rt.region,
    cluster,
    service,
  });
  const status = deployment.status === 'Stopped' ? 'Stopped' : 'Failed';
  return {
    outcome: 'failure',
    status: rollback ? `${status.toLowerCase()} — ${rollbackWords(rollback)}` : status.toLowerCase(),
    deploymentStatus: status.toLowerCase(),
    ending: endingOf(undefined, rollback),
    failure,
  };
}

/** promote / abort: the deployment must be Ready (waiting for its traffic to be rerouted). */
async function openWaiting(rt: Runtime, slice: CodeDeploySlice, action: 'promote' | 'abort', id: string) {
  const info = await rt.codeDeploy.getDeployment(id);
  const url = codeDeployDeploymentUrl(rt.region, id);
  rt.setOutput('codedeploy-deployment-id', id);
  rt.setOutput('deployment-url', url);
  if (info.status !== 'Ready')
    throw notWaiting(action, `CodeDeploy deployment ${id}`, `status ${info.status}`, url);
  const configName = info.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce';
  const ref: CodeDeploymentRef = { deploymentId: id, deploymentConfig: configName };
  return {
    live: { ...liveCodeDeployment(rt, slice.target, ref), deploymentConfig: info.deploymentConfigName },
    promote: () => rt.codeDeploy.continueDeployment(id, 'READY_WAIT'),
    // After the promote: the canary/linear step time paces the watch that follows it.
    followed: async () =>
      liveCodeDeployment(rt, slice.target, {
        ...ref,
        trafficStepMs: trafficStepMs(await rt.codeDeploy.getDeploymentConfig(configName)),
      }),
    async abort() {
      const stopper = codeDeployStopper(rt, id, slice.target, undefined);
      const stop = await stopper.stopOrLeave('rollback', 'abort was asked', STOP_BUDGET_MS);
      if (stop.kind === 'stop-failed') return stop;
      return {
        kind: 'rolling-back' as const,
        line: stop.line,
        rollback: stop.kind === 'stopped' ? () => stopper.confirmRollback() : undefined,
      };
    },
  };
}

function readAppSpec(slice: CodeDeploySlice): { text: string; origin: string } | undefined {
  const source = slice.codeDeploy.appSpec;
  if (source.kind === 'inline') return { text: source.content, origin: 'codedeploy-appspec (inline)' };
  if (source.kind === 'generate') return undefined;
  const origin = `codedeploy-appspec: ${path.relative(slice.workspace, source.path) || source.path}`;
  const text = readInputFile({
    absPath: source.path,
    subject: origin,
    workspace: slice.workspace,
    expected: 'an AppSpec YAML or JSON file, e.g. codedeploy-appspec: appspec.yaml',
  });
  return { text, origin };
}

/** "Deployed by ecs-shift from owner/repo@abc1234, run https://…" within CodeDeploy's limit. */
export function defaultDescription(run: RunContext): string {
  const parts = ['Deployed by ecs-shift'];
  if (run.repository) parts.push(`from ${run.repository}${run.sha ? `@${run.sha.slice(0, 7)}` : ''}`);
  if (run.repository && run.runId)
    parts.push(`run ${run.serverUrl}/${run.repository}/actions/runs/${run.runId}`);
  return parts.join(' ').slice(0, MAX_DESCRIPTION_LENGTH);
}
