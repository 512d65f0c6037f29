/**
 * A cancel at any moment of the release, with the runner's real signal sequence (SIGINT, SIGTERM
 * 7.5 s later, SIGKILL 2.5 s after that), then the post step as the runner runs it: either nothing was
 * created, or the deployment was stopped with rollback (by the main step or the post step), and a log
 * line says which.
 */
import { describe, expect, it } from '@jest/globals';
import { codeDeployScenario, type Fault, rollingScenario, type Scenario } from '../../sim/index.js';
import { type ActionRun, cancelLikeTheRunner, mutatingCalls, runAction } from '../../sim/run-action.js';
import { requestsOf, simulate, until, errorAnnotation } from './setup.js';

const DEPLOY = { cluster: 'prod', service: 'web', 'container-name': 'app', image: 'repo/web:2' };

/** Runs the main step, cancels it when the simulator receives `operation`, then runs the post step. */
async function cancelAt(scenario: Scenario, operation: string, times = 1) {
  const s = await simulate(scenario);
  let signals: Promise<NodeJS.Signals[]> = Promise.resolve([]);
  const main = await runAction(s, {
    inputs: DEPLOY,
    onStart: (child) => {
      signals = until(s, operation, times).then(() => cancelLikeTheRunner(child));
    },
  });
  const post: ActionRun = await runAction(s, { inputs: DEPLOY, postState: main.state });
  return { s, main, post, signals: await signals };
}

const slow = (operation: string, ms = 1_000): Fault => ({ kind: 'slowAnswer', operation, ms });
const codeDeploy = (...faults: Fault[]) =>
  codeDeployScenario({ faults: [{ kind: 'neverFinishes', event: 'AfterInstall' }, ...faults] });
const rolling = (...faults: Fault[]) => rollingScenario({ timings: { taskStart: 1_000 }, faults });

describe('a cancel at each moment of a CodeDeploy release', () => {
  it('before register: nothing is registered or created', async () => {
    const { s, main, post } = await cancelAt(codeDeploy(slow('DescribeServices')), 'DescribeServices');
    expect(main.code).toBe(1);
    expect(errorAnnotation(main.log)).toMatch(
      /^The workflow was cancelled before the task definition was registered; nothing further was changed/m,
    );
    expect(mutatingCalls(s)).toEqual([]);
    expect(post.log.trim()).toBe('');
  });

  it('during register: the revision is registered, no deployment is created', async () => {
    const { s, main, post } = await cancelAt(
      codeDeploy(slow('RegisterTaskDefinition')),
      'RegisterTaskDefinition',
    );
    expect(main.code).toBe(1);
    expect(main.log).toMatch(/cancelled before the deployment was started; nothing further was changed/);
    expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition']);
    expect(main.outputs['deployment-status']).toBe('cancelled');
    expect(main.summary).toContain('**Cancelled before deploying in');
    expect(main.summary).toContain('Production traffic: unchanged, on web:1.');
    expect(post.log.trim()).toBe('');
  });

  it('between register and create: no deployment is created', async () => {
    const { s, main } = await cancelAt(codeDeploy(slow('ListDeployments')), 'ListDeployments');
    expect(main.code).toBe(1);
    expect(main.log).toMatch(
      /cancelled before the CodeDeploy deployment was created; nothing further was changed/,
    );
    expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition']);
  });

  it('while CreateDeployment is unanswered: the runner kills the step, the post step finds it by its token and stops it', async () => {
    const { s, main, post, signals } = await cancelAt(
      codeDeploy(slow('CreateDeployment', 30_000)),
      'CreateDeployment',
    );
    expect(signals).toEqual(['SIGINT', 'SIGTERM', 'SIGKILL']);
    expect(main.signal).toBe('SIGKILL');
    expect(JSON.parse(main.state.inFlight)).toMatchObject({
      kind: 'codedeploy-requested',
      onCancel: 'rollback',
    });
    const [created] = s.deployments();
    expect(requestsOf(s, 'StopDeployment').map((r) => r.input)).toEqual([
      { deploymentId: created.deploymentId, autoRollbackEnabled: true },
    ]);
    expect(post.log).toMatch(
      new RegExp(
        `::warning::The main step did not finish, so the post step stopped deployment ${created.deploymentId}`,
      ),
    );
  }, 30_000);

  it('mid-watch: the main step stops it with rollback inside the grace window', async () => {
    const { s, main, post, signals } = await cancelAt(codeDeploy(), 'GetDeploymentTarget');
    expect(signals).toEqual(['SIGINT']);
    expect(main.log).toMatch(/Stopped deployment d-\w+ with rollback because the workflow was cancelled/);
    expect(requestsOf(s, 'StopDeployment')).toHaveLength(1);
    expect(post.log.trim()).toBe('');
  });
});

describe('a cancel at each moment of a rolling update', () => {
  it('while UpdateService is unanswered: the post step finds the service deployment it started and stops it', async () => {
    const { s, main, post, signals } = await cancelAt(
      rolling(slow('UpdateService', 30_000)),
      'UpdateService',
    );
    expect(signals).toEqual(['SIGINT', 'SIGTERM', 'SIGKILL']);
    expect(JSON.parse(main.state.inFlight)).toMatchObject({ kind: 'ecs-requested', onCancel: 'rollback' });
    const stops = requestsOf(s, 'StopServiceDeployment');
    expect(stops).toHaveLength(1);
    expect(stops[0].input).toMatchObject({ stopType: 'ROLLBACK' });
    expect(post.log).toMatch(
      /::warning::The main step did not finish, so the post step stopped service deployment arn:/,
    );
  }, 30_000);

  it('during the search for the service deployment: the search goes on and the main step stops it', async () => {
    const { s, main, post, signals } = await cancelAt(
      rolling({ kind: 'serviceDeploymentsListedLate', calls: 3 }),
      'ListServiceDeployments',
    );
    expect(signals).toEqual(['SIGINT']);
    expect(main.log).toMatch(
      /Stopped service deployment arn:\S+ with rollback because the workflow was cancelled/,
    );
    expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'UpdateService', 'StopServiceDeployment']);
    expect(main.state.inFlight).toBe('');
    expect(post.log.trim()).toBe('');
  });
});
