/**
 * The ECS-controller paths through the bundle: rolling updates and ECS-native blue/green. The same
 * step inputs as for CodeDeploy; the service's controller decides the path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { classicLoadBalancerScenario, ecsBlueGreenScenario, rollingScenario } from '../../sim/index.js';
import { mutatingCalls, runAction } from '../../sim/run-action.js';
import { requestsOf, simulate, until, errorAnnotation } from './setup.js';

const DEPLOY = { cluster: 'prod', service: 'web', 'container-name': 'app', image: 'repo/web:2' };
const NEW_TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';
describe('rolling update', () => {
  it('updates the service with only what was asked and succeeds once the rollout completes', async () => {
    const s = await simulate(rollingScenario());
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(0);
    expect(requestsOf(s, 'UpdateService').map((r) => r.input)).toEqual([
      { cluster: 'prod', service: 'web', taskDefinition: NEW_TD },
    ]);
    expect(run.outputs['deployment-status']).toBe('succeeded');
    expect(run.outputs['service-deployment-arn']).toMatch(/:service-deployment\/prod\/web\//);
    expect(run.log).toMatch(/status\s+COMPLETED/);
    expect(run.log).toMatch(/tasks new\s+2\/2 running/);
    expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(run.summary).toContain('ECS rolling update');
  });

  it('finishes a rollout behind a Classic Load Balancer, for which ECS reports no rolloutState', async () => {
    const s = await simulate(classicLoadBalancerScenario());
    // The rollout takes well under a simulated minute; a watch that waits for rolloutState would time out.
    const run = await runAction(s, { inputs: { ...DEPLOY, 'wait-for-minutes': '5' } });
    expect(run.code).toBe(0);
    expect(run.outputs['deployment-status']).toBe('succeeded');
    expect(requestsOf(s, 'DescribeServices').some((r) => r.status === 200)).toBe(true);
    expect(requestsOf(s, 'StopServiceDeployment')).toHaveLength(0);
    expect(run.log).toMatch(/tasks new\s+2\/2 running/);
  });

  it('passes desired-count, propagate-tags and enable-ecs-managed-tags when set', async () => {
    const s = await simulate(rollingScenario());
    const run = await runAction(s, {
      inputs: {
        ...DEPLOY,
        'desired-count': '3',
        'propagate-tags': 'SERVICE',
        'enable-ecs-managed-tags': 'true',
      },
    });
    expect(run.code).toBe(0);
    expect(requestsOf(s, 'UpdateService')[0].input).toEqual({
      cluster: 'prod',
      service: 'web',
      taskDefinition: NEW_TD,
      desiredCount: 3,
      propagateTags: 'SERVICE',
      enableECSManagedTags: true,
    });
  });

  it('registers the official render inputs (secrets, command, env files, labels, logs, roles, cpu, memory)', async () => {
    // What the inputs name exists, so verify before change passes.
    const s = await simulate(
      rollingScenario({
        iam: { roles: [{ name: 'web-execution' }] },
        secretsManager: { secrets: [{ name: 'db', arnSuffix: 'AbCdEf' }] },
      }),
    );
    const run = await runAction(s, {
      inputs: {
        ...DEPLOY,
        secrets: 'DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf',
        command: '["sh", "-c", "npm run migrate && npm start"]',
        'env-files': 'arn:aws:s3:::config-bucket/prod.env',
        'docker-labels': 'team=payments',
        'log-configuration-log-driver': 'awslogs',
        'log-configuration-options': 'awslogs-group=/ecs/web',
        'execution-role-arn': 'arn:aws:iam::123456789012:role/web-execution',
        cpu: '512',
        memory: '1 GB',
      },
    });
    expect(run.code).toBe(0);
    const registered = requestsOf(s, 'RegisterTaskDefinition')[0].input as {
      containerDefinitions: Record<string, unknown>[];
    };
    expect(registered).toMatchObject({
      executionRoleArn: 'arn:aws:iam::123456789012:role/web-execution',
      cpu: '512',
      memory: '1 GB',
    });
    expect(registered.containerDefinitions.find((c) => c.name === 'app')).toMatchObject({
      image: 'repo/web:2',
      command: ['sh', '-c', 'npm run migrate && npm start'],
      secrets: [
        { name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf' },
      ],
      environmentFiles: [{ value: 'arn:aws:s3:::config-bucket/prod.env', type: 's3' }],
      dockerLabels: { team: 'payments' },
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
    });
  });

  it('warns about an input it does not know, naming the one probably meant, and deploys', async () => {
    const s = await simulate(rollingScenario());
    const run = await runAction(s, {
      inputs: { ...DEPLOY, secret: 'DB_PASSWORD=arn:aws:ssm:us-east-1:123456789012:parameter/db' },
    });
    expect(run.code).toBe(0);
    expect(run.log).toContain(
      '::warning::Input "secret" is not an input of ecs-shift, so it has no effect; did you mean "secrets"?',
    );
  });

  it('deploys a registered revision as it is, registering nothing, when there is nothing to render', async () => {
    const s = await simulate(rollingScenario());
    const current = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';
    const run = await runAction(s, {
      inputs: {
        cluster: 'prod',
        service: 'web',
        'task-definition-arn': 'web:1',
        'force-new-deployment': 'true',
      },
    });
    expect(run.code).toBe(0);
    expect(run.log).toContain(
      `Deploying ${current} as it is: nothing to render, so no new revision is registered.`,
    );
    expect(run.outputs['task-definition-arn']).toBe(current);
    expect(requestsOf(s, 'UpdateService')[0].input).toMatchObject({ taskDefinition: current });
    expect(mutatingCalls(s)).toEqual(['UpdateService']);
  });

  it('reuses the latest revision instead of registering a copy when the render comes out the same', async () => {
    const s = await simulate(rollingScenario());
    const first = await runAction(s, { inputs: DEPLOY });
    expect(first.code).toBe(0);
    // The same image again (a re-run of the job): web:2 is what the render gives, so it is reused.
    const again = await runAction(s, { inputs: { ...DEPLOY, 'force-new-deployment': 'true' } });
    expect(again.code).toBe(0);
    expect(again.log).toContain(
      `The rendered task definition is the same as ${NEW_TD} (tags included): reusing it`,
    );
    expect(again.outputs['task-definition-arn']).toBe(NEW_TD);
    expect(requestsOf(s, 'RegisterTaskDefinition')).toHaveLength(1);
  });

  it('a render → render → deploy chain, each step shaped like the official actions, registers one revision', async () => {
    const s = await simulate(rollingScenario());
    // The steps of one job share RUNNER_TEMP, where a render step leaves its file for the next.
    const runnerTemp = mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-job-'));
    const file = JSON.stringify({
      family: 'web',
      containerDefinitions: [
        { name: 'app', image: 'repo/web:1', essential: true },
        { name: 'sidecar', image: 'repo/sidecar:1' },
      ],
    });
    // Like amazon-ecs-render-task-definition: an image to set, no service: the file only.
    const app = await runAction(s, {
      inputs: { 'task-definition': 'td.json', 'container-name': 'app', image: 'repo/web:2' },
      files: { 'td.json': file },
      runnerTemp,
    });
    expect(app.code).toBe(0);
    expect(app.outputs['deployment-status']).toBe('rendered');
    const sidecar = await runAction(s, {
      inputs: {
        'task-definition': app.outputs['task-definition'],
        'container-name': 'sidecar',
        image: 'repo/sidecar:2',
      },
      runnerTemp,
    });
    expect(sidecar.code).toBe(0);
    expect(s.requests).toHaveLength(0); // rendering a file calls no AWS
    // Like amazon-ecs-deploy-task-definition: the rendered file and a service.
    const deploy = await runAction(s, {
      inputs: { 'task-definition': sidecar.outputs['task-definition'], cluster: 'prod', service: 'web' },
      runnerTemp,
    });
    expect(deploy.code).toBe(0);
    const registered = requestsOf(s, 'RegisterTaskDefinition');
    expect(registered).toHaveLength(1);
    expect(
      (registered[0].input as { containerDefinitions: { image: string }[] }).containerDefinitions.map(
        (c) => c.image,
      ),
    ).toEqual(['repo/web:2', 'repo/sidecar:2']);
    rmSync(runnerTemp, { recursive: true, force: true });
  });

  it("runs GitHub's starter workflow 'Deploy to Amazon ECS' unchanged but for uses:", async () => {
    // actions/starter-workflows, deployments/aws.yml: the render step, then the deploy step fed its output.
    const s = await simulate(rollingScenario());
    const runnerTemp = mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-job-'));
    const taskDef = await runAction(s, {
      inputs: {
        'task-definition': '.aws/task-definition.json',
        'container-name': 'app',
        image: 'repo/web:2',
      },
      files: {
        '.aws/task-definition.json': JSON.stringify({
          family: 'web',
          containerDefinitions: [{ name: 'app', image: 'repo/web:1', essential: true }],
        }),
      },
      runnerTemp,
    });
    const deploy = await runAction(s, {
      inputs: {
        'task-definition': taskDef.outputs['task-definition'],
        service: 'web',
        cluster: 'prod',
        'wait-for-service-stability': 'true',
      },
      runnerTemp,
    });
    expect([taskDef.code, deploy.code]).toEqual([0, 0]);
    expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(deploy.outputs['deployment-status']).toBe('succeeded');
    rmSync(runnerTemp, { recursive: true, force: true });
  });

  it("fails with the circuit breaker's rollback, the stopped tasks' reasons and exit codes", async () => {
    const s = await simulate(
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
    );
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(1);
    expect(run.outputs['deployment-status']).toBe('failed');
    expect(errorAnnotation(run.log)).toMatch(/^ECS rolling update of service web (was rolled back|failed)/m);
    expect(run.log).toMatch(/app exit code 3 \(migration missing\)/);
    expect(run.log).toMatch(/Circuit breaker\s+triggered/);
    expect(requestsOf(s, 'StopServiceDeployment')).toHaveLength(0);
  });

  it('stops the rollout with rollback at the deadline', async () => {
    const s = await simulate(rollingScenario({ timings: { taskStart: 1_000 } }));
    const run = await runAction(s, { inputs: { ...DEPLOY, 'wait-for-minutes': '0.02' } });
    expect(run.code).toBe(1);
    expect(run.outputs['deployment-status']).toBe('timed-out');
    expect(requestsOf(s, 'StopServiceDeployment').map((r) => r.input)).toEqual([
      { serviceDeploymentArn: run.outputs['service-deployment-arn'], stopType: 'ROLLBACK' },
    ]);
    expect(run.log).toContain(
      'The rollback succeeded: production traffic is on web:1 (the previous revision).',
    );
    expect(run.summary).toContain('**Timed out — rolled back in');
    expect(run.summary).toContain('Production traffic: 100% back on web:1.');
  });

  it('stops the rollout with rollback on SIGINT', async () => {
    const s = await simulate(rollingScenario({ timings: { taskStart: 1_000 } }));
    const run = await runAction(s, {
      inputs: DEPLOY,
      onStart: (child) => void until(s, 'DescribeServices', 2).then(() => child.kill('SIGINT')),
    });
    expect(run.code).toBe(1);
    expect(run.outputs['deployment-status']).toBe('cancelled');
    expect(requestsOf(s, 'StopServiceDeployment')).toHaveLength(1);
    expect(run.state.inFlight).toBe('');
  });

  it('rejects wait-until: ready before changing anything (rolling updates have no test traffic)', async () => {
    const s = await simulate(rollingScenario());
    const run = await runAction(s, { inputs: { ...DEPLOY, 'wait-until': 'ready' } });
    expect(run.code).toBe(1);
    expect(errorAnnotation(run.log)).toMatch(/^wait-until: ready .* rolling updates/m);
    expect(mutatingCalls(s)).toEqual([]);
  });
});

/** Blue/green with a two-hour bake: a step that waits it out would be obvious. */
const longBake = () =>
  ecsBlueGreenScenario({
    deploymentConfiguration: {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 120,
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
  });

describe('ECS-native blue/green', () => {
  it('ends once production traffic is on the new revision, without waiting out the bake time', async () => {
    const s = await simulate(longBake());
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(0);
    expect(run.outputs['deployment-status']).toBe('shifted');
    const arn = run.outputs['service-deployment-arn'];
    expect(s.changes.some((c) => c.resource === arn && c.what === 'stage BAKE_TIME')).toBe(true);
    expect(s.changes.some((c) => c.resource === arn && c.what === 'stage CLEAN_UP')).toBe(false);
    expect(run.log).toContain('blue 0% │ green 100%');
    expect(run.log).toMatch(/PRODUCTION_TRAFFIC_SHIFT\s+succeeded/);
    expect(run.summary).toMatch(/\| POST_PRODUCTION_TRAFFIC_SHIFT \|/);
  });

  it.each([
    [
      'CANARY',
      { canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 } },
      'blue 90% │ green 10%',
      'canary: 10% for 5 minutes, then 100%; bake time 60 minutes',
    ],
    [
      'LINEAR',
      { linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 2 } },
      'blue 50% │ green 50%',
      'linear: 25% more every 2 minutes; bake time 60 minutes',
    ],
  ] as const)(
    '%s: shows each traffic step and ends at the full shift',
    async (strategy, steps, intermediate, config) => {
      const s = await simulate(
        ecsBlueGreenScenario({
          deploymentConfiguration: {
            strategy,
            bakeTimeInMinutes: 60,
            maximumPercent: 200,
            minimumHealthyPercent: 100,
            ...steps,
          },
        }),
      );
      const run = await runAction(s, { inputs: DEPLOY });
      expect(run.code).toBe(0);
      expect(run.outputs['deployment-status']).toBe('shifted');
      expect(run.log).toContain(intermediate);
      expect(run.log).toContain('blue 0% │ green 100%');
      // The config in words, and the picture: a milestone per traffic step.
      expect(run.summary).toContain(`- **Deployed with:** ECS blue/green (ECS-native), ${config}`);
      expect(run.summary).toContain('```mermaid\ngantt');
      expect(run.summary).toMatch(/^ {2}new at 100%: milestone, \d+, 0ms$/m);
    },
  );

  it('fails with the reason when a lifecycle hook fails and ECS rolls back', async () => {
    const s = await simulate(
      ecsBlueGreenScenario({
        faults: [
          {
            kind: 'hookFails',
            event: 'POST_TEST_TRAFFIC_SHIFT',
            message: 'smoke test: 3 of 5 checks failed',
          },
        ],
      }),
    );
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(1);
    expect(run.outputs['deployment-status']).toBe('failed');
    expect(errorAnnotation(run.log)).toMatch(
      /^ECS blue\/green deployment of service web was rolled back.*smoke test: 3 of 5 checks failed/m,
    );
    expect(requestsOf(s, 'StopServiceDeployment')).toHaveLength(0);
  });

  it('stops it with rollback when wait-until: complete outlasts the deadline', async () => {
    const s = await simulate(longBake());
    const run = await runAction(s, {
      inputs: { ...DEPLOY, 'wait-until': 'complete', 'wait-for-minutes': '0.05' },
    });
    expect(run.code).toBe(1);
    expect(run.outputs['deployment-status']).toBe('timed-out');
    expect(requestsOf(s, 'StopServiceDeployment').map((r) => r.input)).toEqual([
      { serviceDeploymentArn: run.outputs['service-deployment-arn'], stopType: 'ROLLBACK' },
    ]);
  });

  it('stops it with rollback on SIGINT, inside the grace window', async () => {
    const s = await simulate(longBake());
    let signalledAt = 0;
    const run = await runAction(s, {
      inputs: { ...DEPLOY, 'wait-until': 'complete' },
      onStart: (child) =>
        void until(s, 'DescribeServiceDeployments').then(() => {
          signalledAt = Date.now();
          child.kill('SIGINT');
        }),
    });
    expect(run.code).toBe(1);
    expect(run.outputs['deployment-status']).toBe('cancelled');
    const [stop] = requestsOf(s, 'StopServiceDeployment');
    expect(stop.input).toEqual({
      serviceDeploymentArn: run.outputs['service-deployment-arn'],
      stopType: 'ROLLBACK',
    });
    expect(stop.at - signalledAt).toBeLessThan(7_500);
  });

  it('the post step stops a service deployment a killed main step left behind', async () => {
    const s = await simulate(longBake());
    const main = await runAction(s, {
      inputs: { ...DEPLOY, 'wait-until': 'complete' },
      onStart: (child) => void until(s, 'DescribeServiceDeployments').then(() => child.kill('SIGKILL')),
    });
    expect(JSON.parse(main.state.inFlight)).toMatchObject({ kind: 'ecs', onCancel: 'rollback' });
    const post = await runAction(s, { inputs: DEPLOY, postState: main.state });
    expect(post.code).toBe(0);
    expect(requestsOf(s, 'StopServiceDeployment')).toHaveLength(1);
    expect(post.log).toMatch(
      /::warning::The main step did not finish, so the post step stopped service deployment/,
    );
  });
});

it('refuses a service with the EXTERNAL controller, changing nothing', async () => {
  const scenario = rollingScenario();
  scenario.clusters[0].services[0].deploymentController = 'EXTERNAL';
  const s = await simulate(scenario);
  const run = await runAction(s, { inputs: DEPLOY });
  expect(run.code).toBe(1);
  expect(errorAnnotation(run.log)).toMatch(/^Service "web" uses the EXTERNAL deployment controller/m);
  expect(mutatingCalls(s)).toEqual([]);
});
