import type { EcsPort, LookupPorts, RevisionsPort, SchedulePorts, Service } from '../../src/aws/ports.js';
import {
  type InFlightDeployment,
  type OutputName,
  type Runtime,
  waitPolicy,
} from '../../src/release/runtime.js';
import { type RunDecisions, strategyForService } from '../../src/release/strategies.js';
import { followDeployment } from '../../src/release/follow.js';
import { ACTION_WORDS } from '../../src/action/words.js';
import type { Settings } from '../../src/settings/settings.js';
import type { ProgressEvent } from '../../src/report/events.js';
import { scriptedCodeDeploy } from './codedeploy-fake.js';
import { fakeClock } from './fake-clock.js';

export const SERVICE: Service = {
  serviceName: 'web',
  serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
  status: 'ACTIVE',
  deploymentController: { type: 'CODE_DEPLOY' },
  taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
  loadBalancers: [
    {
      targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/1',
      containerName: 'app',
      containerPort: 8080,
    },
  ],
  networkConfiguration: {
    awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' },
  },
  platformVersion: 'LATEST',
  events: [
    {
      id: 'e1',
      createdAt: new Date('2026-11-23T12:00:00Z'),
      message: '(service web) has reached a steady state.',
    },
  ],
};

export const TASK_DEFINITION = {
  family: 'web',
  containerDefinitions: [
    { name: 'app', image: 'repo/web:2', portMappings: [{ containerPort: 8080 }], essential: true },
    { name: 'sidecar', image: 'repo/sidecar:1' },
  ],
};

/** Partial settings, merged one group deep: `{ wait: { until: 'ready' } }` keeps the other wait fields. */
export type SettingsOverrides = {
  [Group in keyof Settings]?: Settings[Group] extends object | undefined
    ? Partial<NonNullable<Settings[Group]>>
    : Settings[Group];
};

export function settings(overrides: SettingsOverrides = {}): Settings {
  const base: Settings = {
    source: { taskDefinition: { kind: 'service' } },
    render: {
      containerImages: [],
      environmentVariables: [],
      environmentContainers: [],
      keepNullValueKeys: [],
      container: { secrets: [], environmentFiles: [], dockerLabels: [], logOptions: [] },
      taskLevel: {},
    },
    target: {
      cluster: 'prod',
      service: 'web',
      services: [],
      maxParallel: 4,
      onServiceFailure: 'stop-others',
      register: false,
      dryRun: false,
    },
    codeDeploy: {
      appSpec: { kind: 'generate' },
      application: 'AppECS-prod-web',
      deploymentGroup: 'DgpECS-prod-web',
      onConflict: 'wait',
    },
    wait: { follow: true, minutes: 30, until: 'shifted', onTimeout: 'rollback', onCancel: 'rollback' },
    checks: { verify: 'strict', appLogs: true },
    serviceUpdate: { forceNewDeployment: false },
    afterRelease: {},
    runner: {
      workspace: '/workspace',
      runnerTemp: '/tmp',
      run: { serverUrl: 'https://github.com', repository: 'acme/web', sha: '0123456789abcdef', runId: '42' },
      givenInputs: [],
    },
  };
  const merged: Record<string, unknown> = { ...base };
  for (const [group, value] of Object.entries(overrides)) {
    const current = merged[group];
    merged[group] =
      current && typeof current === 'object' && value && typeof value === 'object' && !Array.isArray(value)
        ? { ...current, ...value }
        : value;
  }
  // One service unless a test names several: the one `service` and `cluster` say.
  const target = merged.target as Settings['target'];
  if (!overrides.target?.services) {
    merged.target = {
      ...target,
      services: target.service ? [{ cluster: target.cluster, service: target.service }] : [],
    };
  }
  return merged as unknown as Settings;
}

/**
 * Look-ups that find everything (images, roles trusting ECS tasks, parameters, secrets, log groups)
 * and no log lines; `calls` records each as `Operation target`.
 */
export function fakeLookups(
  overrides: Partial<{ [K in keyof LookupPorts]: Partial<LookupPorts[K]> }> = {},
): LookupPorts & {
  calls: string[];
} {
  const calls: string[] = [];
  const trust = JSON.stringify({
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  });
  return {
    calls,
    registry: {
      findImage: async (image) => {
        calls.push(`DescribeImages ${image.repository}:${image.tag ?? image.digest}`);
        return { found: true, digest: `sha256:${'0'.repeat(64)}` };
      },
      pullThroughCachePrefixes: async () => {
        calls.push('DescribePullThroughCacheRules');
        return [];
      },
      imageConfig: async (image) => {
        calls.push(`GetDownloadUrlForLayer ${image.repository}`);
        return undefined;
      },
      imageManifest: async (image) => {
        calls.push(`BatchGetImage ${image.repository}`);
        return undefined;
      },
      ...overrides.registry,
    },
    iam: {
      roleTrustPolicy: async (name) => {
        calls.push(`GetRole ${name}`);
        return trust;
      },
      ...overrides.iam,
    },
    parameters: {
      parameterExists: async (_region, names) => {
        calls.push(`DescribeParameters ${names.join(',')}`);
        return true;
      },
      ...overrides.parameters,
    },
    secrets: {
      describeSecret: async (_region, id) => {
        calls.push(`DescribeSecret ${id}`);
        return { versionStages: { v1: ['AWSCURRENT'] }, deleted: false };
      },
      ...overrides.secrets,
    },
    logs: {
      logGroupExists: async (_region, name) => {
        calls.push(`DescribeLogGroups ${name}`);
        return true;
      },
      lastLogEvents: async (_region, group, stream) => {
        calls.push(`GetLogEvents ${group} ${stream}`);
        return undefined;
      },
      ...overrides.logs,
    },
  };
}

export function fakeEcs(overrides: Partial<EcsPort> = {}): EcsPort & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    describeService: async () => {
      calls.push('DescribeServices');
      return SERVICE;
    },
    describeTaskDefinition: async () => {
      calls.push('DescribeTaskDefinition');
      return {
        taskDefinition: { ...TASK_DEFINITION, taskDefinitionArn: SERVICE.taskDefinition, revision: 1 },
        tags: [],
      };
    },
    registerTaskDefinition: async () => {
      calls.push('RegisterTaskDefinition');
      return {
        ...TASK_DEFINITION,
        taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
      };
    },
    listStoppedTasks: async () => {
      calls.push('ListTasks');
      return [];
    },
    updateService: async () => {
      calls.push('UpdateService');
      return SERVICE;
    },
    listServiceDeployments: async () => {
      calls.push('ListServiceDeployments');
      return [];
    },
    describeServiceDeployment: async () => {
      throw new Error('describeServiceDeployment is not scripted in this test');
    },
    stopServiceDeployment: async () => {
      calls.push('StopServiceDeployment');
      return true;
    },
    continueServiceDeployment: async () => {
      calls.push('ContinueServiceDeployment');
    },
    runTask: async () => {
      throw new Error('runTask is not scripted in this test');
    },
    describeTask: async () => {
      throw new Error('describeTask is not scripted in this test');
    },
    stopTask: async () => {
      calls.push('StopTask');
    },
    ...overrides,
  };
}

/** Scheduled-task ports a test that names none must never call. */
export function noSchedules(): SchedulePorts {
  const unexpected = (call: string) => () => Promise.reject(new Error(`unexpected ${call}`));
  return {
    eventBridge: {
      listRules: unexpected('ListRules'),
      listTargets: unexpected('ListTargetsByRule'),
      putTargets: unexpected('PutTargets'),
    },
    scheduler: {
      listSchedules: unexpected('ListSchedules'),
      getSchedule: unexpected('GetSchedule'),
      updateSchedule: unexpected('UpdateSchedule'),
    },
  };
}

/** A revisions port a test without deregister-old-revisions must never call. */
export function noRevisions(): RevisionsPort {
  const unexpected = (call: string) => () => Promise.reject(new Error(`unexpected ${call}`));
  return {
    activeRevisions: unexpected('ListTaskDefinitions'),
    servicesUsing: unexpected('ListServices'),
    runningTaskRevisions: unexpected('ListTasks'),
    deregister: unexpected('DeregisterTaskDefinition'),
  };
}

/** A Runtime whose sink is arrays, for asserting what a user would see; with the settings and decisions. */
export function testContext(
  options: {
    settings?: SettingsOverrides;
    codeDeploy?: ReturnType<typeof scriptedCodeDeploy>;
    ecs?: EcsPort;
    lookups?: LookupPorts;
    schedules?: SchedulePorts;
    revisions?: RevisionsPort;
    signal?: AbortSignal;
  } = {},
) {
  const outputs: Partial<Record<OutputName, string>> = {};
  const outputOrder: OutputName[] = [];
  const lines: string[] = [];
  const warnings: string[] = [];
  const notices: string[] = [];
  const events: ProgressEvent[] = [];
  const inFlight: (InFlightDeployment | undefined)[] = [];
  const clock = fakeClock();
  const merged = settings(options.settings);
  const wait = waitPolicy(merged.wait, clock.now());
  const run: RunDecisions = { wait, requestToken: 'tok123' };
  const ctx: Runtime = {
    words: ACTION_WORDS,
    region: 'us-east-1',
    ecs: options.ecs ?? fakeEcs(),
    codeDeploy: options.codeDeploy ?? scriptedCodeDeploy([{ status: 'InProgress' }]),
    lookups: options.lookups ?? fakeLookups(),
    schedules: options.schedules ?? noSchedules(),
    revisions: options.revisions ?? noRevisions(),
    clock,
    signal: options.signal ?? new AbortController().signal,
    onEvent: (e) => events.push(e),
    info: (line) => lines.push(line),
    warning: (line) => warnings.push(line),
    notice: (line) => notices.push(line),
    setOutput: (name, value) => {
      outputs[name] = value;
      outputOrder.push(name);
    },
    rememberInFlight: (d) => inFlight.push(d),
  };
  return {
    ctx,
    settings: merged,
    wait,
    run,
    outputs,
    outputOrder,
    lines,
    warnings,
    notices,
    events,
    inFlight,
    clock,
  };
}

export type TestContext = ReturnType<typeof testContext>;

/**
 * The deployment the engine would plan for `service` (the strategy chosen from its controller), with
 * `release(arn)`: start it and follow it as the engine does.
 */
export async function planRelease(
  t: TestContext,
  service: Service = SERVICE,
  taskDefinition: Record<string, unknown> = TASK_DEFINITION,
) {
  const planned = await strategyForService(service, t.settings, t.run).plan(t.ctx, {
    service,
    taskDefinition,
  });
  return Object.assign(planned, {
    release: async (taskDefinitionArn: string) =>
      followDeployment(t.ctx, await planned.start(taskDefinitionArn), t.wait),
  });
}
