/**
 * One step, several services, through the bundle: one revision registered once, each service deployed
 * with its own controller (CodeDeploy, ECS blue/green, rolling) and followed with its own log lines;
 * a failure of one stopping the others with rollback (stop-others) or not (continue); max-parallel; a
 * cancel and the post step covering every deployment in flight.
 */
import { describe, expect, it } from '@jest/globals';
import { type Fault, releaseScenario, type Scenario } from '../../sim/index.js';
import { mutatingCalls, runAction } from '../../sim/run-action.js';
import { annotation, errorAnnotation, requestsOf, simulate, until } from './setup.js';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:4f2a9c1';
const RELEASE = {
  cluster: 'prod',
  service: 'web\nworker\nadmin',
  'container-name': 'app',
  image: IMAGE,
};

/** web (CodeDeploy), worker (rolling), admin (ECS blue/green, `bake` minutes of bake time), all on web:2. */
function app(options: { bake?: number; faults?: Fault[]; timings?: Scenario['timings'] } = {}): Scenario {
  return releaseScenario({
    faults: options.faults,
    timings: options.timings,
    services: [
      { name: 'worker', deploymentController: 'ECS', taskDefinition: 'web:2' },
      {
        name: 'admin',
        deploymentController: 'ECS',
        taskDefinition: 'web:2',
        deploymentConfiguration: {
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: options.bake ?? 2,
          maximumPercent: 200,
          minimumHealthyPercent: 100,
        },
      },
    ],
  });
}

const serviceRevision = (s: Awaited<ReturnType<typeof simulate>>, name: string) =>
  s.serviceTaskDefinition('prod', name).split('/').pop();

describe('several services in one step', () => {
  it('registers one revision and deploys it to three services with three controllers', async () => {
    const s = await simulate(app());
    const run = await runAction(s, { inputs: RELEASE });
    expect(run.code).toBe(0);
    expect(mutatingCalls(s)).toEqual(
      expect.arrayContaining([
        'RegisterTaskDefinition',
        'CreateDeployment',
        'UpdateService',
        'UpdateService',
      ]),
    );
    expect(requestsOf(s, 'RegisterTaskDefinition')).toHaveLength(1);
    expect(requestsOf(s, 'CreateDeployment')).toHaveLength(1);
    expect(requestsOf(s, 'UpdateService').map((r) => (r.input as { service?: string }).service)).toEqual(
      expect.arrayContaining(['worker', 'admin']),
    );
    for (const name of ['web', 'worker', 'admin']) expect(serviceRevision(s, name)).toBe('web:3');

    // Each service's lines say whose they are.
    expect(run.log).toMatch(/^\[web\] Created CodeDeploy deployment d-\w+/m);
    expect(run.log).toMatch(/^\[worker\] Started ECS rolling update arn:/m);
    expect(run.log).toMatch(/^\[admin\] \+\d+m\d+s {2}traffic {14}blue 0% │ green 100%$/m);
    expect(annotation(run.log, 'notice').split('\n').slice(0, 4)).toEqual([
      expect.stringMatching(
        /^✅ web, worker and admin on prod: web:2 → web:3 — 3 of 3 services reached "shifted" in/,
      ),
      '   ✅ web: 100% on web:3.',
      '   ✅ worker: all tasks on web:3.',
      '   ✅ admin: 100% on web:3.',
    ]);

    // The single-service outputs that name one deployment are left to `deployments`.
    expect(run.outputs['task-definition-arn']).toMatch(/:task-definition\/web:3$/);
    expect(run.outputs['deployment-status']).toBe('shifted');
    expect(run.outputs['codedeploy-deployment-id']).toBeUndefined();
    const deployments = JSON.parse(run.outputs.deployments!);
    expect(deployments).toEqual([
      {
        cluster: 'prod',
        service: 'web',
        controller: 'CODE_DEPLOY',
        deploymentId: expect.stringMatching(/^d-/),
        status: 'shifted',
        url: expect.stringContaining('codedeploy'),
      },
      {
        cluster: 'prod',
        service: 'worker',
        controller: 'ROLLING',
        deploymentId: expect.stringContaining(':service-deployment/prod/worker/'),
        status: expect.any(String),
        url: expect.stringContaining('/services/worker/deployments/'),
      },
      {
        cluster: 'prod',
        service: 'admin',
        controller: 'ECS',
        deploymentId: expect.stringContaining(':service-deployment/prod/admin/'),
        status: 'shifted',
        url: expect.stringContaining('/services/admin/deployments/'),
      },
    ]);

    // One row per service in the summary, each on the new revision.
    const rows = run.summary.split('\n').filter((line) => /^\| \[(web|worker|admin)\]/.test(line));
    expect(rows).toEqual([
      expect.stringMatching(/^\| \[web\].*\| CodeDeploy blue\/green .*\| ✅ .*\| 100% on web:3\. \|$/),
      expect.stringMatching(/^\| \[worker\].*\| rolling update .*\| ✅ .*\| all tasks on web:3\. \|$/),
      expect.stringMatching(/^\| \[admin\].*\| ECS blue\/green .*\| ✅ .*\| 100% on web:3\. \|$/),
    ]);
    expect(run.summary).toContain('### ✅ worker');
  });

  it('stop-others: a failed CodeDeploy hook stops the ECS blue/green deployment with rollback; the rolling one that finished stays', async () => {
    const s = await simulate(
      app({
        bake: 60,
        faults: [{ kind: 'hookFails', event: 'AfterAllowTraffic', message: 'smoke test failed: 503' }],
      }),
    );
    const run = await runAction(s, { inputs: { ...RELEASE, 'wait-until': 'complete' } });
    expect(run.code).toBe(1);
    expect(run.outputs['deployment-status']).toBe('failed');
    const [admin] = requestsOf(s, 'StopServiceDeployment');
    expect(admin?.input).toMatchObject({
      serviceDeploymentArn: expect.stringContaining(':service-deployment/prod/admin/'),
      stopType: 'ROLLBACK',
    });
    expect(requestsOf(s, 'StopServiceDeployment')).toHaveLength(1);
    expect(run.log).toMatch(
      /^\[admin\] Stopping service deployment arn:\S+ with rollback because service "web" failed \(on-service-failure: stop-others\)/m,
    );
    expect(serviceRevision(s, 'web')).toBe('web:2');
    expect(serviceRevision(s, 'admin')).toBe('web:2');
    expect(serviceRevision(s, 'worker')).toBe('web:3');

    const error = errorAnnotation(run.log).split('\n');
    expect(error.slice(0, 4)).toEqual([
      expect.stringMatching(
        /^❌ web, worker and admin on prod: web:2 → web:3 — 1 of 3 services reached "complete"/,
      ),
      '   ❌ web: 100% back on web:2.',
      '   ✅ worker: all tasks on web:3.',
      '   ❌ admin: 100% back on web:2.',
    ]);
    expect(error).toContain('worker reached "complete" and stays on the new revision.');
    const deployments = JSON.parse(run.outputs.deployments!);
    expect(deployments.map((d: { status: string }) => d.status)).toEqual([
      'failed',
      expect.any(String),
      'stopped',
    ]);
    expect(run.summary).toMatch(/\| \[admin\].*\| ❌ Stopped — rolled back \| 100% back on web:2\. \|/);
  });

  it('continue: the others go on to the end when one fails', async () => {
    const s = await simulate(
      app({ faults: [{ kind: 'hookFails', event: 'AfterAllowTraffic', message: 'smoke test failed' }] }),
    );
    const run = await runAction(s, {
      inputs: { ...RELEASE, 'on-service-failure': 'continue' },
    });
    expect(run.code).toBe(1);
    expect(requestsOf(s, 'StopServiceDeployment')).toHaveLength(0);
    expect(serviceRevision(s, 'admin')).toBe('web:3');
    expect(serviceRevision(s, 'worker')).toBe('web:3');
    expect(errorAnnotation(run.log)).toMatch(/^❌ .* — 2 of 3 services reached "shifted"/);
  });

  it('max-parallel 1: one service after the other, and after a failure the rest are not started', async () => {
    const s = await simulate(
      app({ faults: [{ kind: 'hookFails', event: 'AfterAllowTraffic', message: 'smoke test failed' }] }),
    );
    const run = await runAction(s, { inputs: { ...RELEASE, 'max-parallel': '1' } });
    expect(run.code).toBe(1);
    expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'CreateDeployment']);
    expect(errorAnnotation(run.log)).toContain(
      '[worker] Not started: service "web" failed (on-service-failure: stop-others); it still runs its earlier revision.',
    );
    expect(JSON.parse(run.outputs.deployments!).map((d: { status: string }) => d.status)).toEqual([
      'failed',
      'not-started',
      'not-started',
    ]);
  });

  it('refuses, before any change, a service that runs another family', async () => {
    const s = await simulate(
      releaseScenario({
        services: [{ name: 'reports', deploymentController: 'ECS', taskDefinition: 'reports:1' }],
      }),
    );
    const run = await runAction(s, { inputs: { ...RELEASE, service: 'web\nreports' } });
    expect(run.code).toBe(1);
    expect(mutatingCalls(s)).toEqual([]);
    expect(errorAnnotation(run.log)).toContain(
      'service: the step registers one revision of family "web" for every service, but reports runs family "reports". Nothing was changed.',
    );
  });

  it('refuses, before asking ECS, a service ARN of another region', async () => {
    const s = await simulate(app());
    const run = await runAction(s, {
      inputs: { ...RELEASE, service: 'web\narn:aws:ecs:eu-west-1:123456789012:service/prod/worker' },
    });
    expect(run.code).toBe(1);
    expect(mutatingCalls(s)).toEqual([]);
    expect(requestsOf(s, 'DescribeServices')).toHaveLength(1); // web's only
    expect(errorAnnotation(run.log)).toContain(
      'cluster: arn:aws:ecs:eu-west-1:123456789012:cluster/prod does not match the AWS credentials in use: its region is eu-west-1, but ecs-shift runs against us-east-1. Nothing was changed.',
    );
  });

  it('a dry run shows every service checked and unchanged, none as failed', async () => {
    const s = await simulate(app());
    const run = await runAction(s, { inputs: { ...RELEASE, 'dry-run': 'true' } });
    expect(run.code).toBe(0);
    expect(mutatingCalls(s)).toEqual([]);
    expect(run.outputs['deployment-status']).toBe('dry-run');
    expect(annotation(run.log, 'notice').split('\n').slice(1, 4)).toEqual([
      '   ✅ web: unchanged, on web:2 (dry run).',
      '   ✅ worker: unchanged, on web:2 (dry run).',
      '   ✅ admin: unchanged, on web:2 (dry run).',
    ]);
    expect(run.summary).not.toContain('❌');
  });

  it('the post step stops every deployment a killed main step left in flight', async () => {
    const s = await simulate(
      app({
        bake: 60,
        faults: [{ kind: 'neverFinishes', event: 'AfterInstall' }],
        timings: { taskStart: 1_000 },
      }),
    );
    const main = await runAction(s, {
      inputs: RELEASE,
      onStart: (child) => {
        // Killed outright once all three deployments exist: the main step cannot stop any of them.
        void until(s, 'UpdateService', 2)
          .then(() => until(s, 'CreateDeployment'))
          .then(() => until(s, 'DescribeServiceDeployments', 2))
          .then(() => child.kill('SIGKILL'));
      },
    });
    expect(main.signal).toBe('SIGKILL');
    const saved = JSON.parse(main.state.inFlight!);
    expect(saved.kind).toBe('several');
    expect(saved.deployments).toHaveLength(3);
    const post = await runAction(s, { inputs: RELEASE, postState: main.state });
    expect(requestsOf(s, 'StopDeployment')).toHaveLength(1);
    expect(
      requestsOf(s, 'StopServiceDeployment').map(
        (r) => (r.input as { serviceDeploymentArn?: string }).serviceDeploymentArn,
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/prod/worker/'),
        expect.stringContaining('/prod/admin/'),
      ]),
    );
    expect(post.log.match(/the post step stopped/g)).toHaveLength(3);
  });
});
