/**
 * The stories `npm run demo` plays: each one a simulator scenario (built from sim/scenarios.ts), the
 * workflow step that runs against it, what to watch for, and what the run must show for the story to
 * have played out as designed. Plain data and pure checks, so the table is tested without a simulator.
 */
import {
  codeDeployScenario,
  ecsBlueGreenScenario,
  type Fault,
  releaseScenario,
  rollingScenario,
  type Scenario,
} from './scenarios.js';

/** Options of the demo that shape a story. */
export interface StoryOptions {
  /** Real milliseconds per simulated minute. */
  msPerMinute: number;
  /** The CodeDeploy deployment config of the stories that deploy with CodeDeploy. */
  config: string;
}

/** What a story sets up: the simulator's world and the workflow step. */
export interface StorySetup {
  scenario: Scenario;
  /** The step's `with:` (action.yml defaults are added by sim/run-action.ts). */
  inputs: Record<string, string>;
  /** Files in the workspace (name → content). */
  files: Record<string, string>;
  /** One line: what the simulated account holds. */
  world: string;
}

/** What the run must show. */
export interface Expectation {
  exitCode: 0 | 1;
  /** The `deployment-status` output. */
  status?: string;
  /** Operations that change something, which must all have been called. */
  calls?: string[];
  /** Operations that change something, which must not have been called; `'any'`: none at all. */
  noCalls?: string[] | 'any';
  /** The revision (`family:revision`) each service of cluster prod must run at the end. */
  runs?: Record<string, string>;
  /** Text the step's log must contain. */
  logs?: (string | RegExp)[];
}

export interface Story {
  name: string;
  kind: 'success' | 'failure';
  /** One line for --help. */
  summary: string;
  /** Printed before the run: what will happen (or go wrong) and what to watch for in the log. */
  before: string[];
  /** Printed after the run, when it played out as designed: what the action did. */
  after: string[];
  /** Whether --config applies. */
  usesConfig: boolean;
  setup(options: StoryOptions): StorySetup;
  expect: Expectation;
}

export const DEFAULT_CONFIG = 'CodeDeployDefault.ECSCanary10Percent5Minutes';
export const DEFAULT_SCENARIO = 'codedeploy';
export const DEFAULT_MS_PER_MINUTE = 1000;

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:4f2a9c1';
const STEP = {
  cluster: 'prod',
  service: 'web',
  'container-name': 'app',
  image: IMAGE,
  'environment-variables': 'RELEASE=4f2a9c1',
};
const SMOKE_TEST = 'arn:aws:lambda:us-east-1:123456789012:function:web-smoke-test';

/** An appspec.yaml for service web (container app:8080) with these hooks. */
export function appSpec(hooks: Record<string, string>): string {
  return [
    'version: 0.0',
    'Resources:',
    '  - TargetService:',
    '      Type: AWS::ECS::Service',
    '      Properties:',
    '        TaskDefinition: <TASK_DEFINITION>',
    '        LoadBalancerInfo:',
    '          ContainerName: app',
    '          ContainerPort: 8080',
    'Hooks:',
    ...Object.entries(hooks).map(([event, lambda]) => `  - ${event}: ${lambda}`),
    '',
  ].join('\n');
}

/**
 * `wait-for-minutes` (real minutes) for a deadline of `simulatedMinutes` at this speed, at least 2 real
 * seconds so the step has time to start the deployment before its deadline.
 */
export function scaledWaitMinutes(simulatedMinutes: number, msPerMinute: number): string {
  const seconds = Math.max(2, (simulatedMinutes * msPerMinute) / 1000);
  return String(Math.round((seconds / 60) * 1000) / 1000);
}

const codeDeployWorld = (config: string, extra = '') =>
  `cluster prod, service web (CODE_DEPLOY) on web:1, group DgpECS-prod-web with ${config}${extra}.`;

/** The app exits with code 1; its log (the simulator's stock crash) ends in ECONNREFUSED to its database. */
const crashLoop: Fault = { kind: 'tasksKeepStopping', exitCode: 1 };

export const stories: Story[] = [
  {
    name: 'codedeploy',
    kind: 'success',
    summary: 'CodeDeploy blue/green, 10% canary by default; ends once shifted.',
    before: [
      'Through CodeDeploy: green tasks start, a smoke test runs on test traffic, then production shifts',
      'as --config says (by default 10%, then the rest). Watch the "traffic" lines and the step ending',
      "right after 100% — it does not sit through the blue task set's 60-minute termination wait.",
    ],
    after: [
      'The action rendered and checked the task definition, registered web:2, created one CodeDeploy',
      'deployment and followed it until all production traffic was on web:2.',
    ],
    usesConfig: true,
    setup: ({ config }) => ({
      scenario: codeDeployScenario({ deploymentConfigName: config, terminationWaitTimeInMinutes: 60 }),
      inputs: STEP,
      files: { 'appspec.yaml': appSpec({ AfterAllowTestTraffic: SMOKE_TEST }) },
      world: codeDeployWorld(config, ', blue termination wait 60 minutes'),
    }),
    expect: {
      exitCode: 0,
      status: 'shifted',
      calls: ['RegisterTaskDefinition', 'CreateDeployment'],
      noCalls: ['StopDeployment'],
    },
  },
  {
    name: 'ecs-bluegreen',
    kind: 'success',
    summary: 'ECS-native blue/green (no CodeDeploy), 30-minute bake time.',
    before: [
      "The service's own ECS controller runs the blue/green deployment. Watch the lifecycle stages and",
      'the step ending once production traffic is on the new revision, not after the 30-minute bake.',
    ],
    after: [
      'The action registered web:2, started the deployment with UpdateService and followed the service',
      'deployment until production traffic had shifted.',
    ],
    usesConfig: false,
    setup: () => ({
      scenario: ecsBlueGreenScenario({
        deploymentConfiguration: {
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: 30,
          maximumPercent: 200,
          minimumHealthyPercent: 100,
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      }),
      inputs: STEP,
      files: {},
      world:
        'cluster prod, service web (ECS controller, strategy BLUE_GREEN, bake time 30 minutes) on web:1.',
    }),
    expect: {
      exitCode: 0,
      status: 'shifted',
      calls: ['RegisterTaskDefinition', 'UpdateService'],
      noCalls: ['StopServiceDeployment'],
    },
  },
  {
    name: 'ecs-canary',
    kind: 'success',
    summary: 'ECS-native canary: 10% for 3 minutes, then the rest.',
    before: [
      'The ECS controller shifts 10% of production traffic, bakes it for 3 simulated minutes, then moves',
      'the rest. Watch the traffic lines go 90/10, then 0/100.',
    ],
    after: [
      'The action registered web:2, started the canary with UpdateService and followed it until all',
      'production traffic was on the new revision.',
    ],
    usesConfig: false,
    setup: () => ({
      scenario: ecsBlueGreenScenario({
        deploymentConfiguration: {
          strategy: 'CANARY',
          canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 },
          bakeTimeInMinutes: 30,
          maximumPercent: 200,
          minimumHealthyPercent: 100,
        },
      }),
      inputs: STEP,
      files: {},
      world:
        'cluster prod, service web (ECS controller, CANARY 10% for 3 minutes, bake time 30 minutes) on web:1.',
    }),
    expect: { exitCode: 0, status: 'shifted', calls: ['RegisterTaskDefinition', 'UpdateService'] },
  },
  {
    name: 'rolling',
    kind: 'success',
    summary: 'ECS rolling update of 4 tasks, circuit breaker on.',
    before: [
      'The ECS controller replaces the 4 tasks a few at a time. Watch the task counts: old tasks stop only',
      'as new ones become healthy, so the service never drops below its desired count.',
    ],
    after: [
      'The action registered web:2, started the rollout with UpdateService and followed it until every',
      'task ran the new revision.',
    ],
    usesConfig: false,
    setup: () => ({
      scenario: rollingScenario({ desiredCount: 4 }),
      inputs: STEP,
      files: {},
      world:
        'cluster prod, service web (ECS controller, rolling update, circuit breaker with rollback), 4 tasks on web:1.',
    }),
    expect: {
      exitCode: 0,
      status: 'succeeded',
      calls: ['RegisterTaskDefinition', 'UpdateService'],
      noCalls: ['StopServiceDeployment'],
      runs: { web: 'web:2' },
    },
  },
  {
    name: 'several',
    kind: 'success',
    summary: 'One step, three services: CodeDeploy, rolling, ECS blue/green.',
    before: [
      'One revision is registered once and deployed to web (CodeDeploy), worker (rolling) and admin',
      '(ECS blue/green) side by side. Each log line names its service; the summary has one row per service.',
    ],
    after: [
      'The action registered one revision and deployed it to the three services, each with its own',
      'controller, following all three until each was done.',
    ],
    usesConfig: true,
    setup: ({ config }) => ({
      scenario: releaseScenario({ deploymentConfigName: config }),
      inputs: { ...STEP, service: 'web\nworker\nadmin' },
      files: {},
      world: `cluster prod: web (CODE_DEPLOY, ${config}), worker (rolling), admin (ECS blue/green), all on web:2.`,
    }),
    expect: {
      exitCode: 0,
      status: 'shifted',
      calls: ['RegisterTaskDefinition', 'CreateDeployment', 'UpdateService'],
      runs: { worker: 'web:3', admin: 'web:3' },
    },
  },
  {
    name: 'hook-fails',
    kind: 'failure',
    summary: 'The AfterAllowTraffic smoke test fails; CodeDeploy rolls back.',
    before: [
      'What goes wrong: the smoke test that runs after production traffic moved (AfterAllowTraffic)',
      "returns 503. Watch for the failed hook, CodeDeploy's rollback, and the hook's own message in the error.",
    ],
    after: [
      "CodeDeploy's automatic rollback put production traffic back on web:1; the action followed the",
      "rollback to its end, then failed the step naming the hook, its message and the Lambda's last log line.",
    ],
    usesConfig: true,
    setup: ({ config }) => ({
      scenario: codeDeployScenario({
        deploymentConfigName: config,
        faults: [
          {
            kind: 'hookFails',
            event: 'AfterAllowTraffic',
            message: 'smoke test failed: GET /health returned 503',
            logTail: 'curl: (22) The requested URL returned error: 503',
          },
        ],
      }),
      inputs: STEP,
      files: { 'appspec.yaml': appSpec({ AfterAllowTraffic: SMOKE_TEST }) },
      world: codeDeployWorld(config, ', rollback on failure'),
    }),
    expect: {
      exitCode: 1,
      status: 'failed',
      calls: ['RegisterTaskDefinition', 'CreateDeployment'],
      noCalls: ['StopDeployment'],
      logs: ['smoke test failed: GET /health returned 503'],
    },
  },
  {
    name: 'crash-loop',
    kind: 'failure',
    summary: 'New tasks keep crashing; the action stops it early, rolls back.',
    before: [
      "What goes wrong: the new revision's app exits at start-up (it cannot reach its database).",
      "Watch the stopped tasks pile up, the action stopping the deployment with rollback, and the app's last log lines.",
    ],
    after: [
      'Once more tasks of the new revision had stopped than max-task-failures allows (3 here), the action',
      'stopped the deployment with rollback — CodeDeploy alone would have retried for an hour — confirmed',
      "production traffic was back on web:1, and showed the stopped tasks' exit code and the app's last lines.",
    ],
    usesConfig: true,
    setup: ({ config }) => ({
      // CodeDeploy itself would give up only after an hour of Install (installFailure: 60 minutes).
      scenario: codeDeployScenario({
        deploymentConfigName: config,
        faults: [crashLoop],
        timings: { installFailure: 60, install: 4 },
      }),
      inputs: STEP,
      files: {},
      world: codeDeployWorld(config, '; the new image exits with code 1 at start-up'),
    }),
    expect: {
      exitCode: 1,
      status: 'failed',
      calls: ['RegisterTaskDefinition', 'CreateDeployment', 'StopDeployment'],
      logs: ['ECONNREFUSED'],
    },
  },
  {
    name: 'timeout',
    kind: 'failure',
    summary: 'The deployment never ends; stopped with rollback at the deadline.',
    before: [
      'What goes wrong: the AfterInstall hook never answers, so the deployment would hang for an hour.',
      'Watch for the deadline (wait-for-minutes, scaled to this speed), the stop with rollback, and where traffic ends up.',
    ],
    after: [
      'At the deadline the action stopped the deployment with rollback (on-timeout: rollback) and waited',
      'until the rollback had put production traffic back on web:1 before failing the step.',
    ],
    usesConfig: true,
    setup: ({ config, msPerMinute }) => ({
      scenario: codeDeployScenario({
        deploymentConfigName: config,
        faults: [{ kind: 'neverFinishes', event: 'AfterInstall' }],
      }),
      inputs: { ...STEP, 'wait-for-minutes': scaledWaitMinutes(5, msPerMinute) },
      files: {
        'appspec.yaml': appSpec({
          AfterInstall: 'arn:aws:lambda:us-east-1:123456789012:function:web-migrate',
        }),
      },
      world: codeDeployWorld(config, '; its AfterInstall hook never reports back'),
    }),
    expect: {
      exitCode: 1,
      status: 'timed-out',
      calls: ['RegisterTaskDefinition', 'CreateDeployment', 'StopDeployment'],
    },
  },
  {
    name: 'circuit-breaker',
    kind: 'failure',
    summary: "New tasks keep failing; ECS's circuit breaker rolls back.",
    before: [
      'What goes wrong: the new tasks exit with code 3 (a missing migration). The service has the ECS',
      'deployment circuit breaker on, so the action leaves the rollback to it. Watch for "Circuit breaker".',
    ],
    after: [
      "ECS's circuit breaker tripped and rolled the service back to web:1 by itself; the action followed",
      "it and failed the step with the stopped tasks' reasons and exit codes.",
    ],
    usesConfig: false,
    setup: () => ({
      scenario: rollingScenario({
        faults: [
          {
            kind: 'tasksKeepStopping',
            stoppedReason: 'Essential container in task exited',
            exitCode: 3,
            containerReason: 'migration missing',
          },
        ],
      }),
      inputs: STEP,
      files: {},
      world:
        'cluster prod, service web (ECS controller, rolling, circuit breaker with rollback) on web:1; the new image exits with code 3.',
    }),
    expect: {
      exitCode: 1,
      status: 'failed',
      calls: ['RegisterTaskDefinition', 'UpdateService'],
      noCalls: ['StopServiceDeployment'],
      runs: { web: 'web:1' },
      logs: [/Circuit breaker\s+triggered/],
    },
  },
  {
    name: 'container-typo',
    kind: 'failure',
    summary: 'container-name typo (ap for app); refused before any change.',
    before: [
      'What goes wrong: the step names container "ap", which is not in the task definition (it has app and',
      'sidecar). Watch the error name the input and the containers there are, and no change reach AWS.',
    ],
    after: [
      'The action refused the input while rendering: nothing was registered and no deployment was created,',
      'so the service kept running web:1 untouched.',
    ],
    usesConfig: true,
    setup: ({ config }) => ({
      scenario: codeDeployScenario({ deploymentConfigName: config }),
      inputs: { ...STEP, 'container-name': 'ap' },
      files: {},
      world: codeDeployWorld(config),
    }),
    expect: { exitCode: 1, status: 'failed', noCalls: 'any', runs: { web: 'web:1' }, logs: ['"ap"'] },
  },
];

export const storyNames = stories.map((story) => story.name);

export function storyNamed(name: string): Story | undefined {
  return stories.find((story) => story.name === name);
}

/** What a run showed, as the checks read it. */
export interface Outcome {
  exitCode: number | null;
  outputs: Record<string, string>;
  log: string;
  /** Names of the operations that changed something, in order. */
  mutatingCalls: string[];
  /** family:revision each service named in the expectation runs at the end. */
  runs: Record<string, string>;
}

/** Why the run did not play out as designed: an empty list when it did. */
export function problemsWith(expected: Expectation, outcome: Outcome): string[] {
  const problems: string[] = [];
  if (outcome.exitCode !== expected.exitCode) {
    problems.push(`the step exited with ${outcome.exitCode ?? 'a signal'}, not ${expected.exitCode}`);
  }
  const status = outcome.outputs['deployment-status'];
  if (expected.status !== undefined && status !== expected.status) {
    problems.push(
      `deployment-status is ${status === undefined ? 'not set' : `"${status}"`}, not "${expected.status}"`,
    );
  }
  const missing = (expected.calls ?? []).filter((call) => !outcome.mutatingCalls.includes(call));
  if (missing.length) problems.push(`the action never called ${missing.join(', ')}`);
  if (expected.noCalls === 'any' && outcome.mutatingCalls.length) {
    problems.push(`the action changed something: ${[...new Set(outcome.mutatingCalls)].join(', ')}`);
  } else if (Array.isArray(expected.noCalls)) {
    const unexpected = expected.noCalls.filter((call) => outcome.mutatingCalls.includes(call));
    if (unexpected.length) problems.push(`the action called ${unexpected.join(', ')}`);
  }
  for (const [service, revision] of Object.entries(expected.runs ?? {})) {
    const runs = outcome.runs[service];
    if (runs !== revision) problems.push(`service ${service} runs ${runs ?? 'nothing'}, not ${revision}`);
  }
  for (const text of expected.logs ?? []) {
    const found = typeof text === 'string' ? outcome.log.includes(text) : text.test(outcome.log);
    if (!found) problems.push(`the log does not show ${String(text)}`);
  }
  return problems;
}
