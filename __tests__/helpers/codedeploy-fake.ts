import type { CodeDeployPort, DeploymentInfo, DeploymentTarget } from '../../src/aws/ports.js';

export type Phase = {
  status: string;
  events?: Record<string, string>;
  blue?: number;
  green?: number;
  greenRunning?: number;
};

const EVENT_ORDER = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
];

/** Builds a DeploymentTarget as GetDeploymentTarget returns it. */
export function target(phase: Phase): DeploymentTarget {
  return {
    deploymentTargetType: 'ECSTarget',
    ecsTarget: {
      targetId: 'prod:web',
      status:
        phase.status === 'Succeeded' || phase.status === 'Failed' || phase.status === 'Ready'
          ? phase.status
          : 'InProgress',
      lifecycleEvents: EVENT_ORDER.map((name) => ({
        lifecycleEventName: name,
        status: (phase.events?.[name] ?? 'Pending') as never,
      })),
      taskSetsInfo:
        phase.green === undefined
          ? [
              {
                identifer: 'ecs-svc/1',
                taskSetLabel: 'Blue',
                trafficWeight: 100,
                desiredCount: 2,
                runningCount: 2,
                pendingCount: 0,
              },
            ]
          : [
              {
                identifer: 'ecs-svc/1',
                taskSetLabel: 'Blue',
                trafficWeight: phase.blue ?? 0,
                desiredCount: 2,
                runningCount: 2,
                pendingCount: 0,
              },
              {
                identifer: 'ecs-svc/2',
                taskSetLabel: 'Green',
                trafficWeight: phase.green,
                desiredCount: 2,
                runningCount: phase.greenRunning ?? 2,
                pendingCount: 0,
              },
            ],
    },
  };
}

/** All events up to and including `last` succeeded. */
export function succeededThrough(
  last: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const events: Record<string, string> = {};
  for (const name of EVENT_ORDER.slice(0, EVENT_ORDER.indexOf(last) + 1)) events[name] = 'Succeeded';
  return { ...events, ...overrides };
}

/**
 * A CodeDeploy port that replays `phases`, one per GetDeploymentTarget call (the last repeats), and
 * records every call. GetDeployment answers the status of the phase last served.
 */
export function scriptedCodeDeploy(phases: Phase[], extra: Partial<DeploymentInfo> = {}) {
  const calls: string[] = [];
  let index = 0;
  const current = () => phases[Math.min(index, phases.length - 1)];
  const lastServed = () => phases[Math.min(Math.max(index - 1, 0), phases.length - 1)];
  const port: CodeDeployPort & { calls: string[]; stopped: { id: string; rollback: boolean }[] } = {
    calls,
    stopped: [],
    getDeploymentGroup: async () => {
      calls.push('GetDeploymentGroup');
      return {};
    },
    getDeploymentConfig: async () => {
      calls.push('GetDeploymentConfig');
      return {};
    },
    listActiveDeployments: async () => {
      calls.push('ListDeployments');
      return [];
    },
    createDeployment: async () => {
      calls.push('CreateDeployment');
      return 'd-TEST12345';
    },
    listDeploymentsSince: async () => {
      calls.push('ListDeployments');
      return [];
    },
    getDeployment: async (id) => {
      calls.push('GetDeployment');
      return { deploymentId: id, status: lastServed().status as never, ...extra };
    },
    listDeploymentTargets: async () => {
      calls.push('ListDeploymentTargets');
      return ['prod:web'];
    },
    getDeploymentTarget: async () => {
      calls.push('GetDeploymentTarget');
      const served = target(current());
      index += 1;
      return served;
    },
    stopDeployment: async (id, rollback) => {
      calls.push('StopDeployment');
      port.stopped.push({ id, rollback });
      return { status: 'Pending', statusMessage: 'Stop requested' };
    },
    continueDeployment: async () => {
      calls.push('ContinueDeployment');
    },
  };
  return port;
}
