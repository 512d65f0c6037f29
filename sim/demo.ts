/**
 * `npm run demo`: a whole CodeDeploy blue/green release on this machine, no AWS account. Starts the
 * simulator with a canary deployment group, runs the committed bundle exactly as the GitHub runner
 * would (INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), streams its log, then prints the outputs and
 * the job summary. Exits with the step's exit code.
 *
 *   npm run demo -- [--config CodeDeployDefault.ECSLinear10PercentEvery1Minutes] [--ms-per-minute 1000]
 *   npm run demo -- --path ecs-canary     # ECS-native canary (no CodeDeploy), or --path rolling
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  codeDeployScenario,
  ecsBlueGreenScenario,
  rollingScenario,
  type Scenario,
  startSimulator,
} from './index.js';
import { BUNDLE, runAction } from './run-action.js';

const { values } = parseArgs({
  options: {
    path: { type: 'string', default: 'codedeploy' },
    config: { type: 'string', default: 'CodeDeployDefault.ECSCanary10Percent5Minutes' },
    'ms-per-minute': { type: 'string', default: '1000' },
  },
});

if (!existsSync(BUNDLE)) {
  console.error(`${BUNDLE} is missing: run "npm run bundle" first.`);
  process.exit(1);
}

const msPerMinute = Number(values['ms-per-minute']);
const paths: Record<string, { scenario: () => Scenario; story: string }> = {
  codedeploy: {
    scenario: () =>
      codeDeployScenario({ deploymentConfigName: values.config, terminationWaitTimeInMinutes: 60 }),
    story: `service web (CODE_DEPLOY), group DgpECS-prod-web, ${values.config}, blue termination wait 60 minutes, smoke-test hook after test traffic.`,
  },
  'ecs-canary': {
    scenario: () =>
      ecsBlueGreenScenario({
        deploymentConfiguration: {
          strategy: 'CANARY',
          canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 },
          bakeTimeInMinutes: 30,
          maximumPercent: 200,
          minimumHealthyPercent: 100,
        },
      }),
    story: 'service web (ECS controller, CANARY 10% for 3 minutes, bake time 30 minutes), no CodeDeploy.',
  },
  rolling: {
    scenario: () => rollingScenario({ desiredCount: 4 }),
    story: 'service web (ECS controller, rolling update, circuit breaker with rollback), 4 tasks.',
  },
};
const path = paths[values.path ?? ''];
if (!path) {
  console.error(`Unknown --path ${values.path}: use one of ${Object.keys(paths).join(', ')}.`);
  process.exit(1);
}
const sim = await startSimulator(path.scenario(), { msPerMinute });

// The workflow step this run stands for.
const inputs = {
  cluster: 'prod',
  service: 'web',
  'container-name': 'app',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:4f2a9c1',
  'environment-variables': 'RELEASE=4f2a9c1',
};
const appSpec = `version: 0.0
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

const heading = (text: string): void =>
  console.log(`\n\x1b[1m── ${text} ${'─'.repeat(Math.max(0, 70 - text.length))}\x1b[0m`);
heading(`simulated AWS on ${sim.url} (1 simulated minute = ${msPerMinute} ms)`);
console.log(`cluster prod, ${path.story}`);
console.log('The step:');
for (const [name, value] of Object.entries(inputs)) console.log(`  ${name}: ${value}`);
if (values.path === 'codedeploy')
  console.log('  (appspec.yaml in the workspace adds the AfterAllowTestTraffic hook)');
heading('step log (node dist/index.js, as the runner runs it)');

const run = await runAction(sim, {
  inputs,
  files: { 'appspec.yaml': appSpec },
  // Scaled time: the real default (5 s) would be several simulated minutes between polls.
  pollSeconds: msPerMinute / 1000,
  onOutput: (chunk) => process.stdout.write(chunk),
});
await sim.stop();

heading(`outputs (exit code ${run.code})`);
for (const [name, value] of Object.entries(run.outputs)) console.log(`  ${name} = ${value}`);
heading('job summary (GITHUB_STEP_SUMMARY, Markdown)');
console.log(run.summary.trim());
const calls = sim.requests.length;
heading(`done in ${((run.endedAt - run.startedAt) / 1000).toFixed(1)} s, ${calls} AWS requests`);
process.exit(run.code ?? 1);
