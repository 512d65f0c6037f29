/**
 * The job summaries to look at: a success and a failure for each deployment path, plus an input error.
 * Each one is set up the way the e2e tests produce it (sim/scenarios.ts builders and faults), so a
 * screenshot shows what a user of that path would see.
 */
import {
  codeDeployScenario,
  ecsBlueGreenScenario,
  rollingScenario,
  type Scenario,
  type ScenarioDeploymentConfiguration,
} from '../../sim/index.js';

export interface SummaryScenario {
  name: string;
  /** One line: what happens, for the report. */
  story: string;
  scenario: () => Scenario;
  inputs: Record<string, string>;
  files?: Record<string, string>;
  /** The step's exit code this scenario is built to end with; anything else means the set-up is off. */
  expectedCode: 0 | 1;
}

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
// The demo's step: a commit-tagged image and one environment variable, so the summary has a diff to show.
const DEPLOY = {
  cluster: 'prod',
  service: 'web',
  'container-name': 'app',
  image: `${ECR}/web:4f2a9c1`,
  'environment-variables': 'RELEASE=4f2a9c1',
};

// The demo's AppSpec: a smoke-test Lambda after test traffic, so the hook shows up in the summary.
const APPSPEC = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: app
          ContainerPort: 8080
Hooks:
  - AfterAllowTestTraffic: arn:aws:lambda:us-east-1:123456789012:function:web-smoke-test
`;

const SMOKE_TEST_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:web-smoke-test';
const HOOK_ROLE_ARN = 'arn:aws:iam::123456789012:role/ecsLifecycleHookRole';

/** ECS-native blue/green with a long bake, so the step ends at the shift as it would for a real service. */
const ecsNative = (config: ScenarioDeploymentConfiguration): ScenarioDeploymentConfiguration => ({
  bakeTimeInMinutes: 30,
  maximumPercent: 200,
  minimumHealthyPercent: 100,
  deploymentCircuitBreaker: { enable: true, rollback: true },
  ...config,
});

export const scenarios: SummaryScenario[] = [
  {
    name: 'codedeploy-success',
    story: 'CodeDeploy canary (ECSCanary10Percent5Minutes), smoke-test hook passes, traffic shifted',
    scenario: () =>
      codeDeployScenario({
        deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
        terminationWaitTimeInMinutes: 60,
      }),
    inputs: DEPLOY,
    files: { 'appspec.yaml': APPSPEC },
    expectedCode: 0,
  },
  {
    name: 'codedeploy-failure',
    story: 'CodeDeploy canary, the AfterAllowTestTraffic smoke test fails, CodeDeploy rolls back',
    scenario: () =>
      codeDeployScenario({
        deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
        terminationWaitTimeInMinutes: 60,
        faults: [
          {
            kind: 'hookFails',
            event: 'AfterAllowTestTraffic',
            message: 'smoke test failed: GET /health returned 503',
            logTail: 'curl: (22) The requested URL returned error: 503',
          },
        ],
      }),
    inputs: DEPLOY,
    files: { 'appspec.yaml': APPSPEC },
    expectedCode: 1,
  },
  {
    name: 'ecs-canary-success',
    story: 'ECS-native CANARY 10% for 3 minutes, then 100%',
    scenario: () =>
      ecsBlueGreenScenario({
        deploymentConfiguration: ecsNative({
          strategy: 'CANARY',
          canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 },
        }),
      }),
    inputs: DEPLOY,
    expectedCode: 0,
  },
  {
    name: 'ecs-canary-failure',
    // The hook after the production shift, so the summary has the canary step and the way back.
    story: 'ECS-native CANARY 10%, then 100%; the post-traffic smoke-test hook fails, ECS rolls back',
    scenario: () =>
      ecsBlueGreenScenario({
        deploymentConfiguration: ecsNative({
          strategy: 'CANARY',
          canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 },
          lifecycleHooks: [
            {
              targetType: 'AWS_LAMBDA',
              hookTargetArn: SMOKE_TEST_ARN,
              roleArn: HOOK_ROLE_ARN,
              lifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'],
            },
          ],
        }),
        faults: [
          {
            kind: 'hookFails',
            event: 'POST_PRODUCTION_TRAFFIC_SHIFT',
            message: 'smoke test: 3 of 5 checks failed',
          },
        ],
        // The hook takes 2 minutes (polls come every minute), so the 100% step before the way back is seen.
        timings: { hook: 2 },
      }),
    inputs: DEPLOY,
    expectedCode: 1,
  },
  {
    name: 'ecs-linear-success',
    story: 'ECS-native LINEAR 25% a step, 2 minutes each, then 100%',
    scenario: () =>
      ecsBlueGreenScenario({
        deploymentConfiguration: ecsNative({
          strategy: 'LINEAR',
          // Each step outlasts a poll (one simulated minute), so every step is seen.
          linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 2 },
        }),
      }),
    inputs: DEPLOY,
    expectedCode: 0,
  },
  {
    name: 'rolling-success',
    story: 'ECS rolling update of 4 tasks, circuit breaker on',
    scenario: () => rollingScenario({ desiredCount: 4 }),
    inputs: DEPLOY,
    expectedCode: 0,
  },
  {
    name: 'rolling-failure',
    story: 'ECS rolling update, the new tasks crash at start (exit 3), the circuit breaker rolls back',
    scenario: () =>
      rollingScenario({
        faults: [
          {
            kind: 'tasksKeepStopping',
            stoppedReason: 'Essential container in task exited',
            exitCode: 3,
            containerReason: 'migration missing',
          },
        ],
      }),
    inputs: DEPLOY,
    expectedCode: 1,
  },
  {
    name: 'input-error',
    story: 'A typo in container-name ("ap"): rejected before anything changes',
    scenario: () => codeDeployScenario(),
    inputs: { ...DEPLOY, 'container-name': 'ap' },
    expectedCode: 1,
  },
];
