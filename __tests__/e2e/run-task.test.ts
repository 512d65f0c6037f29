/**
 * One-off tasks (run-task) through the bundle: a migration of the new revision runs before the
 * service is touched; a failing one stops the release.
 */
import { expect, it } from '@jest/globals';
import { codeDeployScenario, rollingScenario } from '../../sim/index.js';
import { mutatingCalls, runAction } from '../../sim/run-action.js';
import { requestsOf, simulate, errorAnnotation } from './setup.js';

const DEPLOY = {
  cluster: 'prod',
  service: 'web',
  'container-name': 'app',
  image: 'repo/web:2',
  'run-task': 'true',
};
const NEW_TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';
const MIGRATE = '[{"name": "app", "command": ["npm", "run", "migrate"]}]';
it('runs the migration like the service (its network and launch type), waits for it, then deploys', async () => {
  const s = await simulate(rollingScenario());
  const run = await runAction(s, { inputs: { ...DEPLOY, 'run-task-container-overrides': MIGRATE } });
  expect(run.code).toBe(0);
  const [runTask] = requestsOf(s, 'RunTask');
  expect(runTask.input).toEqual({
    // The SDK's idempotency token: a retried RunTask does not start a second task.
    clientToken: expect.any(String),
    cluster: 'prod',
    taskDefinition: NEW_TD,
    count: 1,
    startedBy: 'GitHub-Actions',
    launchType: 'FARGATE',
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
        securityGroups: ['sg-0123abcd'],
        assignPublicIp: 'DISABLED',
      },
    },
    overrides: { containerOverrides: [{ name: 'app', command: ['npm', 'run', 'migrate'] }] },
  });
  // A JSON array of ARNs, as the official deploy action writes it.
  const [taskArn] = JSON.parse(run.outputs['run-task-arn']) as string[];
  expect(taskArn).toMatch(/:task\/prod\//);
  // The service was updated only after the task had stopped.
  const stoppedAt = s.changes.find((c) => c.resource === taskArn && c.what.startsWith('task stopped'))!.at;
  expect(requestsOf(s, 'UpdateService')[0].at).toBeGreaterThan(stoppedAt);
  expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'RunTask', 'UpdateService']);
});

it('fails before the service is touched when the migration exits non-zero, showing the exit code', async () => {
  const s = await simulate(
    codeDeployScenario({
      faults: [{ kind: 'oneOffTaskExits', exitCode: 3, reason: 'relation "users" already exists' }],
    }),
  );
  const run = await runAction(s, { inputs: DEPLOY });
  expect(run.code).toBe(1);
  expect(JSON.parse(run.outputs['run-task-arn'])).toEqual([expect.stringMatching(/:task\/prod\//)]);
  expect(errorAnnotation(run.log)).toMatch(
    /^One-off task \w+ failed: container "app" exited with code 3 \(relation "users" already exists\)\. The service was not updated\./m,
  );
  expect(run.log).toContain('https://console.aws.amazon.com/ecs/v2/clusters/prod/tasks/');
  expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'RunTask']);
});

it('stops the task at the deadline and deploys nothing', async () => {
  const scenario = codeDeployScenario({ timings: { oneOffTask: 1_000 } });
  const s = await simulate(scenario);
  const run = await runAction(s, { inputs: { ...DEPLOY, 'wait-for-minutes': '0.02' } });
  expect(run.code).toBe(1);
  expect(requestsOf(s, 'StopTask').map((r) => r.input)).toEqual([
    {
      cluster: 'prod',
      task: JSON.parse(run.outputs['run-task-arn'])[0],
      reason: expect.stringMatching(/^ecs-shift: the .* deadline passed$/),
    },
  ]);
  expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'RunTask', 'StopTask']);
});

it('without a service, starts the task and returns (as the official action does by default)', async () => {
  const s = await simulate(rollingScenario());
  const run = await runAction(s, {
    inputs: {
      cluster: 'prod',
      'task-definition-family': 'web',
      'run-task': 'true',
      'run-task-subnets': 'subnet-9',
      'run-task-launch-type': 'EC2',
    },
  });
  expect(run.code).toBe(0);
  expect(requestsOf(s, 'RunTask')[0].input).toMatchObject({
    launchType: 'EC2',
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-9'], assignPublicIp: 'DISABLED' } },
  });
  expect(requestsOf(s, 'DescribeTasks')).toHaveLength(0);
  expect(run.outputs['deployment-status']).toBe('registered');
});

it('gives up waiting when the task cannot be read (access denied), with that cause, and stops it', async () => {
  const s = await simulate(
    rollingScenario({
      faults: [
        { kind: 'operationErrors', operation: 'DescribeTasks', count: 1_000, error: 'AccessDeniedException' },
      ],
    }),
  );
  const run = await runAction(s, { inputs: DEPLOY });
  expect(run.code).toBe(1);
  expect(errorAnnotation(run.log)).toMatch(
    /^Stopped one-off task \S+ because it could not be read \(ECS DescribeTasks failed: .*not authorized/m,
  );
  expect(run.log).not.toMatch(/deadline passed/);
  // The error once, its repeats folded: not a note per poll.
  expect(run.log.match(/Could not read task/g)).toHaveLength(1);
  expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'RunTask', 'StopTask']);
});

it('gives the one-off task and the service their managed EBS volumes, checked against the task definition first', async () => {
  const taskDefinition = JSON.stringify({
    family: 'web',
    containerDefinitions: [{ name: 'app', image: 'repo/web:1', essential: true }],
    volumes: [{ name: 'data', configuredAtLaunch: true }],
  });
  const role = 'arn:aws:iam::123456789012:role/ecsInfrastructureRole';
  const ebs = {
    'task-definition': 'td.json',
    'service-managed-ebs-volume-name': 'data',
    'service-managed-ebs-volume': `{"roleArn": "${role}", "sizeInGiB": 20, "volumeType": "gp3", "throughput": 250}`,
    'run-task-managed-ebs-volume-name': 'data',
    'run-task-managed-ebs-volume': `{"roleArn": "${role}", "sizeInGiB": 5, "terminationPolicy": {"deleteOnTermination": true}}`,
  };
  const s = await simulate(rollingScenario());
  const run = await runAction(s, { inputs: { ...DEPLOY, ...ebs }, files: { 'td.json': taskDefinition } });
  expect(run.code).toBe(0);
  expect(requestsOf(s, 'RunTask')[0].input).toMatchObject({
    volumeConfigurations: [
      {
        name: 'data',
        managedEBSVolume: { roleArn: role, sizeInGiB: 5, terminationPolicy: { deleteOnTermination: true } },
      },
    ],
  });
  expect(requestsOf(s, 'UpdateService')[0].input).toMatchObject({
    volumeConfigurations: [
      {
        name: 'data',
        managedEBSVolume: { roleArn: role, sizeInGiB: 20, volumeType: 'gp3', throughput: 250 },
      },
    ],
  });

  // A volume the task definition does not configure at launch: refused before anything is registered.
  await s.stop(); // simulate() stops only the latest simulator after the test
  const refused = await simulate(rollingScenario());
  const bad = await runAction(refused, {
    inputs: { ...DEPLOY, ...ebs, 'service-managed-ebs-volume-name': 'logs' },
    files: { 'td.json': taskDefinition },
  });
  expect(bad.code).toBe(1);
  expect(bad.log).toMatch(
    /service-managed-ebs-volume-name: the task definition \(td\.json\) has no volume "logs", so ECS cannot attach an EBS volume to it\. Nothing was changed\./,
  );
  expect(mutatingCalls(refused)).toEqual([]);
});
