/** CodeDeploy's state (applications, groups, configs, deployments) and its wire shapes. */
import type { Latch } from './clock.js';
import type { ParsedAppSpec } from './appspec.js';
import type { LifecycleEventName, ScenarioDeploymentConfig, ScenarioDeploymentGroup } from './scenarios.js';
import type { SimService, SimTaskSet } from './world.js';

export const lifecycleEventNames: LifecycleEventName[] = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
];

export type DeploymentStatus =
  'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Ready' | 'Succeeded' | 'Failed' | 'Stopped';
export const activeStatuses: DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];
export type TargetStatus =
  'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown' | 'Ready';

export interface LifecycleEventState {
  lifecycleEventName: LifecycleEventName;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown';
  startTime?: number;
  endTime?: number;
  diagnostics?: { errorCode: string; scriptName: string; message: string; logTail: string };
}

export interface CdGroup extends ScenarioDeploymentGroup {
  applicationName: string;
  deploymentGroupId: string;
}

export interface CdApplication {
  name: string;
  applicationId: string;
  createTime: number;
  groups: Map<string, CdGroup>;
}

export interface CdDeployment {
  id: string;
  applicationName: string;
  group: CdGroup;
  deploymentConfigName: string;
  description?: string;
  creator: 'user' | 'autoRollback';
  status: DeploymentStatus;
  createTime: number;
  startTime?: number;
  completeTime?: number;
  errorInformation?: { code: string; message: string };
  rollbackInfo?: {
    rollbackDeploymentId?: string;
    rollbackTriggeringDeploymentId?: string;
    rollbackMessage?: string;
  };
  autoRollbackConfiguration?: ScenarioDeploymentGroup['autoRollbackConfiguration'];
  instanceTerminationWaitTimeStarted: boolean;
  revision: unknown;
  /** Undefined for deployments that did not come from CreateDeployment (the groupBusy fault). */
  appSpec?: ParsedAppSpec;
  service: SimService;
  target: { status: TargetStatus; lastUpdatedAt: number; lifecycleEvents: LifecycleEventState[] };
  blueTaskSetId?: string;
  greenTaskSetId?: string;
  /** Aborted by StopDeployment and Simulator.stop(): cancels the deployment's pending steps. */
  abort: AbortController;
  readyWait: Latch;
  terminationWait: Latch;
}

export const predefinedDeploymentConfigs: ScenarioDeploymentConfig[] = [
  { name: 'CodeDeployDefault.ECSAllAtOnce', trafficRoutingConfig: { type: 'AllAtOnce' } },
  ...[1, 3].map((minutes): ScenarioDeploymentConfig => ({
    name: `CodeDeployDefault.ECSLinear10PercentEvery${minutes}Minutes`,
    trafficRoutingConfig: {
      type: 'TimeBasedLinear',
      timeBasedLinear: { linearPercentage: 10, linearInterval: minutes },
    },
  })),
  ...[5, 15].map((minutes): ScenarioDeploymentConfig => ({
    name: `CodeDeployDefault.ECSCanary10Percent${minutes}Minutes`,
    trafficRoutingConfig: {
      type: 'TimeBasedCanary',
      timeBasedCanary: { canaryPercentage: 10, canaryInterval: minutes },
    },
  })),
];

export function isFinished(deployment: CdDeployment): boolean {
  return !activeStatuses.includes(deployment.status);
}

export function targetId(deployment: CdDeployment): string {
  return `${deployment.service.clusterName}:${deployment.service.name}`;
}

export function targetGroupName(targetGroupArn: string | undefined): string | undefined {
  return targetGroupArn?.split(':').pop()?.split('/')[1];
}

export function taskSetsOf(deployment: CdDeployment): { label: 'Blue' | 'Green'; taskSet: SimTaskSet }[] {
  const found: { label: 'Blue' | 'Green'; taskSet: SimTaskSet }[] = [];
  for (const [label, id] of [
    ['Blue', deployment.blueTaskSetId],
    ['Green', deployment.greenTaskSetId],
  ] as const) {
    const taskSet = deployment.service.taskSets.find((candidate) => candidate.id === id);
    if (taskSet) found.push({ label, taskSet });
  }
  return found;
}

/** GetDeployment's deploymentInfo. */
export function deploymentInfo(deployment: CdDeployment) {
  const overview = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
  const targetStatus = deployment.target.status;
  if (targetStatus in overview) overview[targetStatus as keyof typeof overview] = 1;
  const group = deployment.group;
  return {
    applicationName: deployment.applicationName,
    deploymentGroupName: group.name,
    deploymentConfigName: deployment.deploymentConfigName,
    deploymentId: deployment.id,
    revision: deployment.revision,
    status: deployment.status,
    errorInformation: deployment.errorInformation,
    createTime: deployment.createTime,
    startTime: deployment.startTime,
    completeTime: deployment.completeTime,
    deploymentOverview: overview,
    description: deployment.description,
    creator: deployment.creator,
    ignoreApplicationStopFailures: false,
    autoRollbackConfiguration: deployment.autoRollbackConfiguration ?? { enabled: false },
    updateOutdatedInstancesOnly: false,
    rollbackInfo: deployment.rollbackInfo,
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    instanceTerminationWaitTimeStarted: deployment.instanceTerminationWaitTimeStarted,
    blueGreenDeploymentConfiguration: blueGreenConfiguration(group),
    loadBalancerInfo: group.loadBalancerInfo,
    deploymentStatusMessages: [],
    computePlatform: 'ECS',
  };
}

export function blueGreenConfiguration(group: CdGroup) {
  return {
    terminateBlueInstancesOnDeploymentSuccess: {
      action: 'TERMINATE',
      terminationWaitTimeInMinutes: group.terminationWaitTimeInMinutes ?? 0,
    },
    deploymentReadyOption: group.deploymentReadyOption ?? {
      actionOnTimeout: 'CONTINUE_DEPLOYMENT',
      waitTimeInMinutes: 0,
    },
  };
}

/** GetDeploymentTarget's deploymentTarget. */
export function deploymentTarget(deployment: CdDeployment) {
  return {
    deploymentTargetType: 'ECSTarget',
    ecsTarget: {
      deploymentId: deployment.id,
      targetId: targetId(deployment),
      targetArn: deployment.service.arn,
      lastUpdatedAt: deployment.target.lastUpdatedAt,
      lifecycleEvents: deployment.target.lifecycleEvents,
      status: deployment.target.status,
      taskSetsInfo: taskSetsOf(deployment).map(({ label, taskSet }) => ({
        identifer: taskSet.id, // sic: the API's own spelling
        desiredCount: taskSet.desiredCount,
        pendingCount: taskSet.pendingCount,
        runningCount: taskSet.runningCount,
        status: taskSet.status,
        trafficWeight: taskSet.trafficWeight,
        targetGroup: { name: targetGroupName(taskSet.targetGroupArn) },
        taskSetLabel: label,
      })),
    },
  };
}

export type SimDeploymentView = ReturnType<typeof deploymentInfo> & {
  target: ReturnType<typeof deploymentTarget>['ecsTarget'];
};

/** A detached snapshot for test assertions. */
export function deploymentView(deployment: CdDeployment): SimDeploymentView {
  return structuredClone({ ...deploymentInfo(deployment), target: deploymentTarget(deployment).ecsTarget });
}

export function newDeploymentId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let id = 'd-';
  for (let i = 0; i < 9; i++) id += alphabet[Math.floor(Math.random() * alphabet.length)];
  return id;
}

/** The group's other target group (the one Blue is not on), as an ARN shaped like Blue's. */
export function greenTargetGroupArn(group: CdGroup, blueArn: string | undefined): string | undefined {
  const names = group.loadBalancerInfo?.targetGroupPairInfoList[0]?.targetGroups.map((tg) => tg.name) ?? [];
  const blueName = targetGroupName(blueArn);
  const greenName = names.find((name) => name !== blueName);
  if (!blueArn || !blueName || !greenName) return blueArn;
  return blueArn.replace(`targetgroup/${blueName}/`, `targetgroup/${greenName}/`);
}
