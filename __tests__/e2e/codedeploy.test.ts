/**
 * The bundle (dist/index.js) run as the GitHub runner runs it, against the simulator. Assertions read
 * the simulator's record of requests and state changes, not only the log.
 */
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { codeDeployScenario } from '../../sim/index.js';
import type { Fault } from '../../sim/scenarios.js';
import { mutatingCalls, runAction } from '../../sim/run-action.js';
import { requestsOf, simulate as start, errorAnnotation } from './setup.js';

const DEPLOY = { cluster: 'prod', service: 'web', 'container-name': 'app', image: 'repo/web:2' };

const simulate = (options: Parameters<typeof codeDeployScenario>[0] = {}, msPerMinute = 100) =>
  start(codeDeployScenario(options), msPerMinute);
describe('CodeDeploy blue/green through the bundle', () => {
  it('ends right after the canary shift, long before the blue task set termination wait ends', async () => {
    const s = await simulate({
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      terminationWaitTimeInMinutes: 120,
    });
    const run = await runAction(s, { inputs: DEPLOY });

    expect(run.code).toBe(0);
    const id = run.outputs['codedeploy-deployment-id'];
    expect(run.outputs).toMatchObject({
      'task-definition-arn': 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
      'deployment-status': 'shifted',
      'deployment-url': `https://console.aws.amazon.com/codesuite/codedeploy/deployments/${id}?region=us-east-1`,
    });
    // The step ended while CodeDeploy was still in the termination wait: traffic moved, nothing left to watch.
    const shiftedAt = s.changes.find(
      (c) => c.resource === id && c.what === 'lifecycle AfterAllowTraffic Succeeded',
    )?.at;
    expect(shiftedAt).toBeDefined();
    expect(
      s.changes.some((c) => c.resource === id && c.what === 'status Succeeded' && c.at <= run.endedAt),
    ).toBe(false);
    expect(s.deployment(id)?.status).toBe('InProgress');
    // Progress a user can follow: the canary step and the final split.
    expect(run.log).toContain('blue 90% │ green 10%');
    expect(run.log).toContain('blue 0% │ green 100%');
    expect(run.summary).toContain(`[${id}]`);
    expect(run.summary).toContain('CodeDeployDefault.ECSCanary10Percent5Minutes');
    expect(run.summary).toMatch(/\| AfterAllowTraffic \|.*succeeded/);
  });

  it('generates the AppSpec from the service and sends it with the new ARN and its sha256', async () => {
    const s = await simulate();
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(0);
    const [create] = requestsOf(s, 'CreateDeployment');
    const input = create.input as { revision: { appSpecContent: { content: string; sha256: string } } };
    const { content, sha256 } = input.revision.appSpecContent;
    expect(createHash('sha256').update(content).digest('hex')).toBe(sha256);
    const properties = JSON.parse(content).Resources[0].TargetService.Properties;
    expect(properties).toMatchObject({
      TaskDefinition: run.outputs['task-definition-arn'],
      LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
      NetworkConfiguration: {
        AwsvpcConfiguration: { Subnets: expect.any(Array), SecurityGroups: expect.any(Array) },
      },
    });
  });

  it('uses appspec.yaml from the workspace, keeping its hooks', async () => {
    const s = await simulate();
    const appSpec = [
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
      '  - AfterAllowTestTraffic: smoke-test',
    ].join('\n');
    const run = await runAction(s, { inputs: DEPLOY, files: { 'appspec.yaml': appSpec } });
    expect(run.code).toBe(0);
    const content = (
      requestsOf(s, 'CreateDeployment')[0].input as { revision: { appSpecContent: { content: string } } }
    ).revision.appSpecContent.content;
    expect(JSON.parse(content).Hooks).toEqual([{ AfterAllowTestTraffic: 'smoke-test' }]);
  });

  it('fails with the hook diagnostic when AfterAllowTraffic fails, and reports the rollback', async () => {
    const s = await simulate({
      faults: [
        {
          kind: 'hookFails',
          event: 'AfterAllowTraffic',
          message: 'smoke test failed: GET /health returned 503',
          logTail: 'curl: (22) The requested URL returned error: 503',
        },
      ],
    });
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(1);
    expect(run.outputs['deployment-status']).toBe('failed');
    expect(errorAnnotation(run.log)).toMatch(
      /^.*failed at AfterAllowTraffic: smoke test failed: GET \/health returned 503/m,
    );
    expect(run.log).toContain('curl: (22) The requested URL returned error: 503');
    // Followed to its end before the step says "rolled back": where production traffic ended up.
    expect(run.log).toMatch(
      /Rollback\s+Rollback d-\w+ succeeded: production traffic is on web:1 \(the previous revision\)/,
    );
    expect(run.summary).toContain('Failed — rolled back');
    expect(run.summary).toContain('smoke test failed');
    expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'CreateDeployment']);
  });

  it('warns about inputs that do nothing for a CodeDeploy service, and deploys anyway', async () => {
    const s = await simulate();
    const run = await runAction(s, {
      inputs: { ...DEPLOY, 'desired-count': '3', 'propagate-tags': 'SERVICE' },
    });
    expect(run.code).toBe(0);
    expect(run.log).toMatch(
      /::warning::desired-count, propagate-tags have no effect here: service "web" is deployed by CodeDeploy/,
    );
    expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'CreateDeployment']);
  });

  it('stops the deployment with rollback at the deadline', async () => {
    const s = await simulate({ faults: [{ kind: 'neverFinishes', event: 'AfterInstall' }] });
    const run = await runAction(s, { inputs: { ...DEPLOY, 'wait-for-minutes': '0.03' } });
    expect(run.code).toBe(1);
    const stops = requestsOf(s, 'StopDeployment');
    expect(stops).toHaveLength(1);
    expect(stops[0].input).toEqual({
      deploymentId: run.outputs['codedeploy-deployment-id'],
      autoRollbackEnabled: true,
    });
    expect(run.outputs['deployment-status']).toBe('timed-out');
    expect(run.log).toMatch(/did not reach "shifted" within wait-for-minutes/);
    expect(run.log).toMatch(/Stopped deployment d-\w+ with rollback because the 2s deadline/);
    expect(run.log).toMatch(
      /Rollback d-\w+ succeeded: production traffic is on web:1 \(the previous revision\)/,
    );
    expect(run.summary).toContain('**Timed out — rolled back in');
    expect(run.summary).toContain('Production traffic: 100% back on web:1.');
  });

  it('leaves the deployment running at the deadline with on-timeout: leave', async () => {
    const s = await simulate({ faults: [{ kind: 'neverFinishes', event: 'AfterInstall' }] });
    const run = await runAction(s, {
      inputs: { ...DEPLOY, 'wait-for-minutes': '0.02', 'on-timeout': 'leave' },
    });
    expect(run.code).toBe(1);
    expect(requestsOf(s, 'StopDeployment')).toHaveLength(0);
    expect(run.log).toContain('Left deployment');
  });

  it('survives throttling and 500s on every operation it uses, creating exactly one deployment', async () => {
    const operations = [
      'DescribeServices',
      'DescribeTaskDefinition',
      'RegisterTaskDefinition',
      'GetDeploymentGroup',
      'ListDeployments',
      'CreateDeployment',
      'GetDeployment',
      'ListDeploymentTargets',
      'GetDeploymentTarget',
    ];
    const faults: Fault[] = operations.map((operation, i) => ({
      kind: 'operationErrors',
      operation,
      count: 2,
      error: i % 2 === 0 ? 'ThrottlingException' : 'InternalFailure',
    }));
    const s = await simulate({ faults });
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(0);
    for (const operation of operations) {
      expect(requestsOf(s, operation).filter((r) => r.status >= 400).length).toBeGreaterThan(0);
    }
    expect(requestsOf(s, 'CreateDeployment').filter((r) => r.status === 200)).toHaveLength(1);
    expect(s.deployments()).toHaveLength(1);
  });

  it('returns right after creating the deployment with wait-for-service-stability: false', async () => {
    const s = await simulate();
    const run = await runAction(s, { inputs: { ...DEPLOY, 'wait-for-service-stability': 'false' } });
    expect(run.code).toBe(0);
    expect(run.outputs['deployment-status']).toBe('started');
    expect(requestsOf(s, 'GetDeploymentTarget')).toHaveLength(0);
  });
});

describe('bad inputs through the bundle change nothing', () => {
  const mismatchedAppSpec =
    'version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: x\n        LoadBalancerInfo:\n          ContainerName: app\n          ContainerPort: 9090\n';
  it.each<[string, Record<string, string>, Record<string, string>, RegExp]>([
    ['a container not in the task definition', { 'container-name': 'api' }, {}, /no container named "api"/],
    [
      'a service that does not exist',
      { service: 'nope' },
      {},
      /Service "nope" was not found in cluster "prod"/,
    ],
    ['a missing deployment group', { 'codedeploy-deployment-group': 'nope' }, {}, /"nope"/],
    ['an AppSpec port the container does not expose', {}, { 'appspec.yaml': mismatchedAppSpec }, /9090/],
    [
      'malformed task definition JSON',
      { 'task-definition': 'td.json' },
      { 'td.json': '{"family": "web",\n  "containerDefinitions": [}\n' },
      /td\.json.*line 2/,
    ],
    ['an unknown wait-until', { 'wait-until': 'eventually' }, {}, /wait-until/],
  ])('%s', async (_name, inputs, files, message) => {
    const s = await simulate();
    const run = await runAction(s, { inputs: { ...DEPLOY, ...inputs }, files });
    expect(run.code).toBe(1);
    expect(run.log).toMatch(message);
    expect(run.log).toMatch(/::error::/);
    expect(run.log).not.toMatch(/\$metadata|"__type"/);
    expect(mutatingCalls(s)).toEqual([]);
    // The summary claims nothing: an input error changed nothing, wherever it was found.
    expect(run.summary).toMatch(/^## ❌ /);
    expect(run.summary).toMatch(
      /Nothing changed: the step stopped before its release began|nothing was registered or deployed/,
    );
    expect(run.summary).not.toMatch(/registered only|Wait target/);
  });
});
