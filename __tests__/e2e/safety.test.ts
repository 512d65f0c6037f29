/**
 * Issue 4 through the bundle: cancel, the post step as a backstop, a busy group, a lost
 * CreateDeployment answer, and the diagnosis of tasks that keep stopping.
 */
import { describe, expect, it } from '@jest/globals';
import { codeDeployScenario } from '../../sim/index.js';
import { mutatingCalls, runAction } from '../../sim/run-action.js';
import { requestsOf, simulate as start, until, errorAnnotation } from './setup.js';

const DEPLOY = { cluster: 'prod', service: 'web', 'container-name': 'app', image: 'repo/web:2' };

const simulate = (options: Parameters<typeof codeDeployScenario>[0] = {}, msPerMinute = 100) =>
  start(codeDeployScenario(options), msPerMinute);
describe('cancellation', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s mid-deployment stops it with rollback inside the grace window and fails the step',
    async (signal) => {
      const s = await simulate({ faults: [{ kind: 'neverFinishes', event: 'AfterInstall' }] });
      let signalledAt = 0;
      const run = await runAction(s, {
        inputs: DEPLOY,
        onStart: (child) => {
          void until(s, 'GetDeploymentTarget').then(() => {
            signalledAt = Date.now();
            child.kill(signal);
          });
        },
      });
      expect(run.code).toBe(1);
      const stops = requestsOf(s, 'StopDeployment');
      expect(stops).toHaveLength(1);
      const id = run.outputs['codedeploy-deployment-id'];
      expect(stops[0].input).toEqual({ deploymentId: id, autoRollbackEnabled: true });
      // The runner sends SIGTERM 7.5 s after SIGINT: the stop must be out well before that.
      expect(stops[0].at - signalledAt).toBeLessThan(7_500);
      expect(run.outputs['deployment-status']).toBe('cancelled');
      expect(run.log).toContain(`Received ${signal}: cancelling.`);
      expect(run.log).toMatch(/Stopped deployment d-\w+ with rollback because the workflow was cancelled/);
      // Nothing left for the post step.
      expect(run.state.inFlight).toBe('');
    },
  );

  it('on-cancel: leave leaves it running and says how to follow it', async () => {
    const s = await simulate({ faults: [{ kind: 'neverFinishes', event: 'AfterInstall' }] });
    const run = await runAction(s, {
      inputs: { ...DEPLOY, 'on-cancel': 'leave' },
      onStart: (child) => void until(s, 'GetDeploymentTarget').then(() => child.kill('SIGINT')),
    });
    expect(run.code).toBe(1);
    expect(requestsOf(s, 'StopDeployment')).toHaveLength(0);
    expect(run.log).toMatch(/Left deployment d-\w+ running as asked \(the workflow was cancelled\)/);
    expect(run.log).toContain('aws deploy get-deployment --deployment-id');
  });
});

describe('the post step', () => {
  it('stops the deployment a killed main step left behind', async () => {
    const s = await simulate({ faults: [{ kind: 'neverFinishes', event: 'AfterInstall' }] });
    // SIGKILL: the main step gets no chance to clean up, as when the runner's grace window runs out.
    const main = await runAction(s, {
      inputs: DEPLOY,
      onStart: (child) => void until(s, 'GetDeploymentTarget').then(() => child.kill('SIGKILL')),
    });
    expect(main.signal).toBe('SIGKILL');
    const inFlight = JSON.parse(main.state.inFlight);
    expect(inFlight).toMatchObject({ kind: 'codedeploy', onCancel: 'rollback' });
    expect(requestsOf(s, 'StopDeployment')).toHaveLength(0);

    const post = await runAction(s, { inputs: DEPLOY, postState: main.state });
    expect(post.code).toBe(0);
    const stops = requestsOf(s, 'StopDeployment');
    expect(stops.map((r) => r.input)).toEqual([
      { deploymentId: inFlight.deploymentId, autoRollbackEnabled: true },
    ]);
    expect(post.log).toMatch(
      /::warning::The main step did not finish, so the post step stopped deployment d-\w+/,
    );
  });

  it('does nothing after a main step that finished', async () => {
    const s = await simulate();
    const main = await runAction(s, { inputs: DEPLOY });
    expect(main.code).toBe(0);
    const post = await runAction(s, { inputs: DEPLOY, postState: main.state });
    expect(post.code).toBe(0);
    expect(requestsOf(s, 'StopDeployment')).toHaveLength(0);
    expect(post.log.trim()).toBe('');
  });
});

describe('a busy deployment group', () => {
  it('wait: names the earlier deployment, waits for it, then creates exactly one deployment', async () => {
    const s = await simulate({ faults: [{ kind: 'groupBusy', minutes: 15 }] });
    const [earlier] = s.deployments();
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(0);
    expect(run.log).toContain(`Waiting for deployment ${earlier.deploymentId}`);
    expect(requestsOf(s, 'CreateDeployment').filter((r) => r.status === 200)).toHaveLength(1);
    expect(s.deployments()).toHaveLength(2);
    // Ours was created only after the earlier one had ended.
    const earlierEnded = s.changes.find(
      (c) => c.resource === earlier.deploymentId && c.what === 'status Succeeded',
    );
    expect(earlierEnded).toBeDefined();
    expect(requestsOf(s, 'CreateDeployment')[0].at).toBeGreaterThanOrEqual(earlierEnded!.at);
    expect(requestsOf(s, 'StopDeployment')).toHaveLength(0);
  });

  it('stop: stops the earlier deployment with rollback, then creates exactly one deployment', async () => {
    const s = await simulate({ faults: [{ kind: 'groupBusy', minutes: 60 }] });
    const [earlier] = s.deployments();
    const run = await runAction(s, { inputs: { ...DEPLOY, 'on-conflict': 'stop' } });
    expect(run.code).toBe(0);
    expect(requestsOf(s, 'StopDeployment').map((r) => r.input)).toEqual([
      { deploymentId: earlier.deploymentId, autoRollbackEnabled: true },
    ]);
    expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'StopDeployment', 'CreateDeployment']);
    // The group now holds the earlier deployment, CodeDeploy's rollback of it, and exactly one of ours.
    const ours = s.deployments().filter((d) => d.description?.includes('[ecs-shift:'));
    expect(ours.map((d) => d.deploymentId)).toEqual([run.outputs['codedeploy-deployment-id']]);
    expect(
      s
        .deployments()
        .map((d) => d.creator)
        .sort(),
    ).toEqual(['autoRollback', 'user', 'user']);
  });

  it('fail: fails at once naming the earlier deployment, registering and creating nothing', async () => {
    const s = await simulate({ faults: [{ kind: 'groupBusy', minutes: 60 }] });
    const [earlier] = s.deployments();
    const run = await runAction(s, { inputs: { ...DEPLOY, 'on-conflict': 'fail' } });
    expect(run.code).toBe(1);
    expect(run.log).toMatch(new RegExp(`already has an active deployment: ${earlier.deploymentId}`));
    // Checked before registering: no unused revision is left behind.
    expect(mutatingCalls(s)).toEqual([]);
  });
});

describe('a lost CreateDeployment answer', () => {
  it('finds the deployment it started and follows it, never creating a second one', async () => {
    const s = await simulate({ faults: [{ kind: 'responseLost', count: 1 }] });
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(0);
    expect(requestsOf(s, 'CreateDeployment')).toHaveLength(1);
    expect(s.deployments()).toHaveLength(1);
    const [ours] = s.deployments();
    expect(run.outputs['codedeploy-deployment-id']).toBe(ours.deploymentId);
    expect(run.log).toContain(`it had started deployment ${ours.deploymentId}`);
  });
});

describe('failure diagnosis', () => {
  it("explains a deployment whose new tasks keep stopping: the event, the tasks' reasons and exit codes", async () => {
    const s = await simulate({
      faults: [
        {
          kind: 'tasksKeepStopping',
          stoppedReason: 'Essential container in task exited',
          exitCode: 137,
          containerReason: 'OutOfMemoryError: Container killed due to memory usage',
        },
      ],
    });
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(1);
    expect(run.outputs['deployment-status']).toBe('failed');
    expect(errorAnnotation(run.log)).toMatch(/^.*failed at Install/m);
    expect(run.log).toContain('Essential container in task exited');
    expect(run.log).toMatch(/app.*exit code 137.*OutOfMemoryError/);
    expect(run.summary).toContain('exit code 137');
    expect(requestsOf(s, 'DescribeTasks').length).toBeGreaterThan(0);
    // The app's own last words, from its awslogs stream (the app logs JSON; AWS's own JSON never shows).
    expect(run.log).toMatch(/app's last \d+ log lines \(\/ecs\/web, stream ecs\/app\/[0-9a-f]+\)/);
    expect(run.summary).toContain('Error: connect ECONNREFUSED 10.0.3.12:5432');
    expect(run.log).not.toMatch(/\$metadata|"__type"|"httpStatusCode"/);
  });
});

describe('credentials', () => {
  it('names the missing permission and points at the README policy, changing nothing else', async () => {
    const s = await simulate({
      faults: [
        {
          kind: 'operationErrors',
          operation: 'RegisterTaskDefinition',
          count: 1,
          error: 'AccessDeniedException',
        },
      ],
    });
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(1);
    expect(errorAnnotation(run.log)).toMatch(/^.*ECS RegisterTaskDefinition failed/m);
    expect(run.log).toContain('not allowed to call ecs:RegisterTaskDefinition');
    expect(run.log).toContain('"IAM permissions" in the ecs-shift README');
    expect(requestsOf(s, 'CreateDeployment')).toHaveLength(0);
    // Not retried: an access error does not go away by asking again.
    expect(requestsOf(s, 'RegisterTaskDefinition')).toHaveLength(1);
  });

  it('says the session expired when credentials run out mid-wait, and does not leave the deployment unwatched', async () => {
    const s = await simulate({
      faults: [
        { kind: 'neverFinishes', event: 'AfterInstall' },
        {
          kind: 'operationErrors',
          operation: 'GetDeploymentTarget',
          count: 3,
          error: 'ExpiredTokenException',
        },
      ],
    });
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(1);
    expect(run.log).toContain('The AWS session expired');
    expect(run.log).toContain('role-duration-seconds');
    expect(requestsOf(s, 'StopDeployment').map((r) => r.input)).toEqual([
      { deploymentId: run.outputs['codedeploy-deployment-id'], autoRollbackEnabled: true },
    ]);
    expect(run.log).not.toMatch(/\$metadata|"__type"/);
  });
});

describe('files are read as data, never echoed', () => {
  it.each([
    ['task-definition', { 'task-definition': '.aws/td.json' }, '.aws/td.json'],
    ['codedeploy-appspec', { 'codedeploy-appspec': 'appspec.yaml' }, 'appspec.yaml'],
  ])(
    'a committed %s symlink to /proc/self/environ is refused without printing it',
    async (input, inputs, file) => {
      const s = await simulate();
      const run = await runAction(s, {
        inputs: { ...DEPLOY, ...inputs },
        files: { [file]: '<symlink:/proc/self/environ>' },
        env: { ECS_SHIFT_CANARY_SECRET: 'do-not-print-me-7f3a' },
      });
      expect(run.code).toBe(1);
      expect(errorAnnotation(run.log)).toMatch(
        new RegExp(`^${input}: ${file.replace('.', '\\.')} is a symbolic link to /proc/`, 'm'),
      );
      expect(run.log).not.toContain('do-not-print-me-7f3a');
      expect(run.summary).not.toContain('do-not-print-me-7f3a');
      expect(mutatingCalls(s)).toEqual([]);
    },
  );
});

describe('a stop that fails', () => {
  it('keeps the headline, sets deployment-status, says the deployment is still running and how to stop it', async () => {
    const s = await simulate({
      faults: [
        { kind: 'neverFinishes', event: 'AfterInstall' },
        { kind: 'operationErrors', operation: 'StopDeployment', count: 1, error: 'AccessDeniedException' },
      ],
    });
    const main = await runAction(s, { inputs: { ...DEPLOY, 'wait-for-minutes': '0.03' } });
    const id = main.outputs['codedeploy-deployment-id'];
    expect(main.code).toBe(1);
    expect(main.outputs['deployment-status']).toBe('timed-out');
    expect(errorAnnotation(main.log)).toMatch(
      /^Deployment d-\w+ did not reach "shifted" within wait-for-minutes/m,
    );
    expect(main.log).toContain(`Deployment ${id} IS STILL RUNNING: ecs-shift could not stop it`);
    expect(main.log).toContain(
      `Stop it now: aws deploy stop-deployment --deployment-id ${id} --auto-rollback-enabled`,
    );
    expect(main.log).not.toMatch(/re-run the job/i);
    expect(main.summary).toContain('**Timed out — STILL RUNNING (the stop failed) in');
    expect(main.summary).toContain('IS STILL RUNNING');
    // The post step tries again (the permission came back, say) and stops it.
    expect(JSON.parse(main.state.inFlight)).toEqual({
      kind: 'codedeploy',
      deploymentId: id,
      onCancel: 'rollback',
    });
    const post = await runAction(s, { inputs: DEPLOY, postState: main.state });
    expect(post.log).toMatch(
      new RegExp(`::warning::The main step did not finish, so the post step stopped deployment ${id}`),
    );
    expect(requestsOf(s, 'StopDeployment').filter((r) => r.status === 200)).toHaveLength(1);
  });
});
