/** ECS service deployments (rolling and ECS-native blue/green): state and wire shapes. */
import type { Latch } from './clock.js';
import type { ScenarioDeploymentConfiguration } from './scenarios.js';
import type { SimService, SimServiceRollout } from './world.js';

export const lifecycleStages = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;
export type LifecycleStage = (typeof lifecycleStages)[number];

export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

export const finishedStatuses: ServiceDeploymentStatus[] = [
  'SUCCESSFUL',
  'STOPPED',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
];

/** One side of a deployment: the revision, its rollout entry in DescribeServices, its traffic. */
export interface RevisionSide {
  revisionArn: string;
  rollout: SimServiceRollout;
  productionWeight: number;
  testWeight: number;
}

export interface HookRun {
  hookId: string;
  targetType: 'AWS_LAMBDA' | 'PAUSE';
  targetArn?: string;
  status: 'AWAITING_ACTION' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  expiresAt?: number;
  timeoutAction: 'CONTINUE' | 'ROLLBACK';
  /** Released by ContinueServiceDeployment with the chosen action. */
  decision: Latch;
  action?: 'CONTINUE' | 'ROLLBACK';
}

export interface SimServiceDeployment {
  arn: string;
  service: SimService;
  strategy: 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
  configuration: ScenarioDeploymentConfiguration;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  lifecycleStage?: LifecycleStage;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  stoppedAt?: number;
  updatedAt: number;
  target: RevisionSide;
  source?: RevisionSide;
  hooks: HookRun[];
  rollback?: { reason: string; startedAt: number; serviceRevisionArn?: string };
  circuitBreaker: {
    status: 'DISABLED' | 'MONITORING' | 'TRIGGERED' | 'MONITORING_COMPLETE';
    failureCount: number;
    threshold: number;
  };
  abort: AbortController;
}

function revisionSummary(side: RevisionSide | undefined) {
  return (
    side && {
      arn: side.revisionArn,
      requestedTaskCount: side.rollout.desiredCount,
      runningTaskCount: side.rollout.runningCount,
      pendingTaskCount: side.rollout.pendingCount,
      requestedProductionTrafficWeight: side.productionWeight,
      requestedTestTrafficWeight: side.testWeight,
    }
  );
}

export function describeServiceDeployment(deployment: SimServiceDeployment) {
  return {
    serviceDeploymentArn: deployment.arn,
    serviceArn: deployment.service.arn,
    clusterArn: deployment.service.clusterArn,
    createdAt: deployment.createdAt,
    startedAt: deployment.startedAt,
    finishedAt: deployment.finishedAt,
    stoppedAt: deployment.stoppedAt,
    updatedAt: deployment.updatedAt,
    sourceServiceRevisions: deployment.source ? [revisionSummary(deployment.source)] : [],
    targetServiceRevision: revisionSummary(deployment.target),
    status: deployment.status,
    statusReason: deployment.statusReason,
    lifecycleStage: deployment.lifecycleStage,
    lifecycleHookDetails: deployment.hooks.map((hook) => ({
      hookId: hook.hookId,
      targetType: hook.targetType,
      targetArn: hook.targetArn,
      status: hook.status,
      expiresAt: hook.expiresAt,
      timeoutAction: hook.timeoutAction,
    })),
    deploymentConfiguration: deployment.configuration,
    rollback: deployment.rollback,
    deploymentCircuitBreaker: deployment.circuitBreaker,
    alarms: { status: 'DISABLED' },
  };
}

export function briefServiceDeployment(deployment: SimServiceDeployment) {
  return {
    serviceDeploymentArn: deployment.arn,
    serviceArn: deployment.service.arn,
    clusterArn: deployment.service.clusterArn,
    startedAt: deployment.startedAt,
    createdAt: deployment.createdAt,
    finishedAt: deployment.finishedAt,
    targetServiceRevisionArn: deployment.target.revisionArn,
    status: deployment.status,
    statusReason: deployment.statusReason,
  };
}
