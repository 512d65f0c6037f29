/**
 * run() end to end with mocked AWS clients and the real @actions/core writing to temp files, as the
 * runner would see it: outputs, the failure message, and which AWS calls were (not) made.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  DeploymentGroupDoesNotExistException,
  ApplicationDoesNotExistException,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVICE, TASK_DEFINITION } from '../../helpers/context.js';
import { succeededThrough, target } from '../../helpers/codedeploy-fake.js';
import { parseFileCommand } from '../../../sim/file-commands.js';
import { captureStdout, FAKE_AWS_ENV } from '../../helpers/runner.js';

const { run } = await import('../../../src/action/main.js');

const ecs = mockClient(ECSClient);
const codeDeploy = mockClient(CodeDeployClient);
const NEW_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';

let dir: string;
let stdout: { text(): string };
const savedEnv = { ...process.env };

function inputs(values: Record<string, string>) {
  const defaults = {
    cluster: 'prod',
    'wait-for-minutes': '30',
    'wait-until': 'shifted',
    'on-timeout': 'rollback',
    'on-cancel': 'rollback',
    'on-conflict': 'wait',
    'wait-for-service-stability': 'true',
    'force-new-deployment': 'false',
  };
  for (const [name, value] of Object.entries({ ...defaults, ...values }))
    process.env[`INPUT_${name.toUpperCase()}`] = value;
}

function happyAws() {
  ecs.on(DescribeServicesCommand).resolves({ services: [SERVICE], failures: [] });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: { ...TASK_DEFINITION, taskDefinitionArn: SERVICE.taskDefinition },
    tags: [],
  });
  ecs
    .on(RegisterTaskDefinitionCommand)
    .resolves({ taskDefinition: { ...TASK_DEFINITION, taskDefinitionArn: NEW_ARN } });
  codeDeploy.on(GetDeploymentGroupCommand).resolves({
    deploymentGroupInfo: {
      ecsServices: [{ clusterName: 'prod', serviceName: 'web' }],
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
    },
  });
  codeDeploy.on(GetDeploymentConfigCommand).resolves({
    deploymentConfigInfo: {
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      computePlatform: 'ECS',
      trafficRoutingConfig: { type: 'AllAtOnce' },
    },
  });
  codeDeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
  codeDeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-MAIN00001' });
  codeDeploy
    .on(GetDeploymentCommand)
    .resolves({ deploymentInfo: { deploymentId: 'd-MAIN00001', status: 'InProgress' } });
  codeDeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['prod:web'] });
  codeDeploy.on(GetDeploymentTargetCommand).resolves({
    deploymentTarget: target({
      status: 'InProgress',
      events: succeededThrough('AfterAllowTraffic'),
      green: 100,
      blue: 0,
    }),
  });
}

function mutatingCalls(): string[] {
  return [
    ...ecs.commandCalls(RegisterTaskDefinitionCommand).map(() => 'RegisterTaskDefinition'),
    ...codeDeploy.commandCalls(CreateDeploymentCommand).map(() => 'CreateDeployment'),
  ];
}

function outputs() {
  return parseFileCommand(readFileSync(path.join(dir, 'output'), 'utf8'));
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-main-'));
  mkdirSync(path.join(dir, 'workspace'));
  for (const file of ['output', 'state', 'summary']) writeFileSync(path.join(dir, file), '');
  Object.assign(process.env, {
    ...FAKE_AWS_ENV,
    GITHUB_WORKSPACE: path.join(dir, 'workspace'),
    RUNNER_TEMP: path.join(dir, 'tmp'),
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
  });
  ecs.reset();
  codeDeploy.reset();
  stdout = captureStdout();
});

afterEach(() => {
  jest.restoreAllMocks();
  process.env = { ...savedEnv };
  process.exitCode = undefined;
});

describe('run', () => {
  it('deploys and sets every output as the runner would read it', async () => {
    happyAws();
    inputs({ service: 'web', 'container-name': 'app', image: 'repo/web:3' });
    await run();
    expect(process.exitCode).toBeUndefined();
    const registered = ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input;
    expect(registered.containerDefinitions?.find((c) => c.name === 'app')?.image).toBe('repo/web:3');
    expect(registered).not.toHaveProperty('taskDefinitionArn');
    expect(outputs()).toMatchObject({
      'task-definition-arn': NEW_ARN,
      'codedeploy-deployment-id': 'd-MAIN00001',
      'deployment-status': 'shifted',
      'deployment-url': expect.stringContaining('d-MAIN00001'),
    });
    expect(readFileSync(outputs()['task-definition'], 'utf8')).toContain('repo/web:3');
    expect(readFileSync(path.join(dir, 'summary'), 'utf8')).toContain('d-MAIN00001');
  });

  it('without a service, only renders, as the official render action does: no AWS call for a file', async () => {
    happyAws();
    writeFileSync(path.join(dir, 'workspace', 'td.json'), JSON.stringify(TASK_DEFINITION));
    inputs({ 'task-definition': 'td.json', 'container-name': 'app', image: 'repo/web:3' });
    await run();
    expect(process.exitCode).toBeUndefined();
    expect(ecs.calls()).toHaveLength(0);
    expect(outputs()['deployment-status']).toBe('rendered');
    const rendered = JSON.parse(readFileSync(outputs()['task-definition'], 'utf8'));
    expect(rendered.containerDefinitions[0].image).toBe('repo/web:3');
  });

  it('renders and registers without a service with register: true', async () => {
    happyAws();
    writeFileSync(path.join(dir, 'workspace', 'td.json'), JSON.stringify(TASK_DEFINITION));
    inputs({ 'task-definition': 'td.json', 'container-name': 'app', image: 'repo/web:3', register: 'true' });
    await run();
    expect(process.exitCode).toBeUndefined();
    expect(mutatingCalls()).toEqual(['RegisterTaskDefinition']);
    expect(outputs()['deployment-status']).toBe('registered');
  });

  const appSpecWithContainer = (name: string) =>
    `version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: x\n        LoadBalancerInfo:\n          ContainerName: ${name}\n          ContainerPort: 8080\n`;

  it.each<[string, Record<string, string>, () => void, RegExp]>([
    [
      'a container that is not in the task definition',
      { 'container-name': 'api', image: 'repo/web:3' },
      () => undefined,
      /no container named "api".*app, sidecar/s,
    ],
    ['a bad input value', { 'wait-until': 'soon' }, () => undefined, /wait-until/],
    [
      'a task definition file that does not exist',
      { 'task-definition': 'nope.json' },
      () => undefined,
      /nope\.json/,
    ],
    [
      'a missing service',
      {},
      () =>
        ecs
          .on(DescribeServicesCommand)
          .resolves({ services: [], failures: [{ arn: 'x', reason: 'MISSING' }] }),
      /Service "web" was not found in cluster "prod"/,
    ],
    [
      'a draining service',
      {},
      () => ecs.on(DescribeServicesCommand).resolves({ services: [{ ...SERVICE, status: 'DRAINING' }] }),
      /is DRAINING, not ACTIVE/,
    ],
    [
      'a service with another controller',
      {},
      () =>
        ecs
          .on(DescribeServicesCommand)
          .resolves({ services: [{ ...SERVICE, deploymentController: { type: 'EXTERNAL' } }] }),
      /EXTERNAL deployment controller/,
    ],
    [
      'a missing application',
      {},
      () =>
        codeDeploy.on(GetDeploymentGroupCommand).rejects(
          new ApplicationDoesNotExistException({
            message: 'No application found for name: AppECS-prod-web',
            $metadata: {},
          }),
        ),
      /application "AppECS-prod-web" does not exist/,
    ],
    [
      'a missing deployment group',
      {},
      () =>
        codeDeploy.on(GetDeploymentGroupCommand).rejects(
          new DeploymentGroupDoesNotExistException({
            message: 'No Deployment Group found for name: DgpECS-prod-web',
            $metadata: {},
          }),
        ),
      /DgpECS-prod-web/,
    ],
    [
      'a group bound to another service',
      {},
      () =>
        codeDeploy
          .on(GetDeploymentGroupCommand)
          .resolves({ deploymentGroupInfo: { ecsServices: [{ clusterName: 'prod', serviceName: 'api' }] } }),
      /deploys prod\/api, not prod\/web/,
    ],
    [
      'an AppSpec whose container is not in the task definition',
      { 'codedeploy-appspec': appSpecWithContainer('api') },
      () => undefined,
      /api/,
    ],
  ])('fails on %s, naming it, and changes nothing', async (_name, extraInputs, arrange, message) => {
    happyAws();
    arrange();
    inputs({ service: 'web', ...extraInputs });
    await run();
    expect(process.exitCode).toBe(1);
    expect(stdout.text()).toMatch(/::error::/);
    expect(stdout.text()).toMatch(message);
    expect(mutatingCalls()).toEqual([]);
    expect(stdout.text()).not.toMatch(/\$metadata|"__type"/);
  });
});
