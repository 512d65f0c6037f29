import { describe, expect, it } from '@jest/globals';
import type { Stopper } from '../../../src/release/interrupted.js';
import type { ServicePlan } from '../../../src/release/plan.js';
import type { Runtime } from '../../../src/release/runtime.js';
import {
  combinedStatus,
  type ServiceRun,
  severalResult,
  severalServices,
} from '../../../src/release/several.js';
import type { LiveDeployment, PlannedDeployment, WatchEnd } from '../../../src/release/strategy.js';
import { UserError } from '../../../src/text/errors.js';
import { testContext } from '../../helpers/context.js';

const TASK_DEFINITION = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3';

/** A live deployment whose watch ends as `end` says, and whose stopper notes what it saw. */
function live(id: string, end: () => Promise<WatchEnd>, seen: string[], rt: () => Runtime): LiveDeployment {
  const stopper: Stopper = {
    stopOrLeave: async (setting, because) => {
      seen.push(`${id} ${setting}: ${because}`);
      return { kind: 'stopped', line: `Stopped ${id}.` };
    },
    confirmRollback: async () => {
      // A rollback followed to its end: only a real cancel may cut it short.
      seen.push(`${id} confirms the rollback, signal ${rt().signal.aborted ? 'aborted' : 'live'}`);
      return { state: 'succeeded', line: 'Rollback succeeded.' };
    },
  };
  return {
    id,
    url: `https://console/${id}`,
    subject: `deployment ${id}`,
    inFlight: (onCancel) => ({ kind: 'codedeploy', deploymentId: id, onCancel }),
    stopper: () => stopper,
    watch: end,
  };
}

function plan(label: string, start: PlannedDeployment['start']): ServicePlan {
  return {
    target: { cluster: 'prod', service: label },
    label,
    service: { serviceName: label, taskDefinition: 'web:2' },
    deployment: {
      controller: 'CODE_DEPLOY',
      deploymentConfig: 'all at once',
      title: `Deploy ${label}`,
      start,
    },
  } as unknown as ServicePlan;
}

const failed: WatchEnd = {
  kind: 'failed',
  describe: async () => ({
    outcome: 'failure',
    status: 'failed',
    deploymentStatus: 'failed',
    failure: { headline: 'The AfterAllowTraffic hook failed.', details: [] },
  }),
};
const reached: WatchEnd = {
  kind: 'reached',
  result: { outcome: 'success', status: 'shifted', deploymentStatus: 'shifted' },
};

/** Resolves once `signal` aborts. */
const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

/** Two at a time, stop-others, and web's deployment failing as soon as it is watched. */
function webFails() {
  const t = testContext();
  const several = severalServices(t.ctx, { maxParallel: 2, onServiceFailure: 'stop-others' });
  const seen: string[] = [];
  const web = plan('web', async () =>
    live(
      'd-1',
      async () => failed,
      seen,
      () => several.runtimeFor('web'),
    ),
  );
  return { t, several, seen, web };
}

describe('severalServices: deploy', () => {
  it('starts no service whose turn comes after the deadline (max-parallel)', async () => {
    const t = testContext({ settings: { wait: { minutes: 10 } } });
    const several = severalServices(t.ctx, { maxParallel: 1, onServiceFailure: 'stop-others' });
    const seen: string[] = [];
    const started: string[] = [];
    const first = plan('web', async () => {
      started.push('web');
      return live(
        'd-1',
        async () => {
          t.clock.advance(11 * 60_000); // the first one takes the whole wait
          return reached;
        },
        seen,
        () => several.runtimeFor('web'),
      );
    });
    const second = plan('worker', async () => {
      started.push('worker');
      throw new Error('never started');
    });
    const runs = await several.deploy([first, second], TASK_DEFINITION, t.wait);
    expect(started).toEqual(['web']);
    expect(runs[1]).toMatchObject({
      requested: false,
      skipped: 'the wait-for-minutes deadline (10 min) passed before its turn (max-parallel)',
    });
    expect(combinedStatus(runs, t.wait)).toBe('timed-out');
    expect(JSON.parse(t.outputs.deployments!)[1].status).toBe('not-started');
  });

  it("a service stopped while it waits to start is not started, in the failed service's words", async () => {
    const { t, several, web } = webFails();
    let message = '';
    const worker = plan('worker', async () => {
      // As the wait for a busy deployment group does: it ends when the signal aborts.
      const rt = several.runtimeFor('worker');
      await aborted(rt.signal);
      message = `${rt.words.cancelled} while waiting for d-0; no deployment was created.`;
      throw new UserError(message);
    });
    const runs = await several.deploy([web, worker], TASK_DEFINITION, t.wait);
    expect(message).toBe(
      'service "web" failed (on-service-failure: stop-others) while waiting for d-0; no deployment was created.',
    );
    expect(runs[1]).toMatchObject({
      requested: false,
      skipped: 'service "web" failed (on-service-failure: stop-others)',
    });
    expect(runs[1]!.result).toBeUndefined();
  });

  it("sees another service's own rollback to its end when stop-others halts meanwhile", async () => {
    const { t, several, seen, web } = webFails();
    // worker hits its own deadline just as web's failure halts the others.
    const worker = plan('worker', async () =>
      live(
        'd-2',
        async () => {
          await aborted(several.runtimeFor('worker').signal);
          return { kind: 'deadline' };
        },
        seen,
        () => several.runtimeFor('worker'),
      ),
    );
    const runs = await several.deploy([web, worker], TASK_DEFINITION, t.wait);
    expect(seen).toEqual([
      expect.stringMatching(/^d-2 rollback: /),
      'd-2 confirms the rollback, signal live',
    ]);
    expect(runs[1]!.result?.ending).toBe('rolled-back');
  });
});

describe('combinedStatus and severalResult', () => {
  const run = (label: string, fields: Partial<ServiceRun>): ServiceRun =>
    ({
      plan: plan(label, async () => undefined as never),
      controller: 'ECS',
      requested: true,
      outputs: {},
      ...fields,
    }) as ServiceRun;

  it('is cancelled when a cancel came before any service started', () => {
    const runs = ['web', 'worker'].map((label) =>
      run(label, { requested: false, skipped: 'the workflow was cancelled first', skippedBy: 'cancel' }),
    );
    expect(combinedStatus(runs, { until: 'shifted' })).toBe('cancelled');
    expect(severalResult(runs, { until: 'shifted', follow: true }).deploymentStatus).toBe('cancelled');
  });

  it('not waiting: started deployments are what was asked for; one that failed to start fails the step', () => {
    const started = {
      outcome: 'started',
      status: 'started (not waiting)',
      deploymentStatus: 'started',
    } as const;
    const runs = [
      run('web', { result: started }),
      run('worker', {
        result: {
          outcome: 'failure',
          status: 'failed to start',
          deploymentStatus: 'failed',
          failure: { headline: 'UpdateService was refused.', details: [] },
        },
      }),
    ];
    const result = severalResult(runs, { until: 'shifted', follow: false });
    expect(result.status).toBe('1 of 2 deployments started (not waiting)');
    expect(result.failure?.headline).toBe('1 of 2 deployments were not started: worker failed to start.');
    expect(result.failure?.details.at(-1)).toBe(
      'web was started and goes on (wait-for-service-stability: false): follow it in the console.',
    );
    expect(severalResult([runs[0]!], { until: 'shifted', follow: false }).outcome).toBe('started');
  });

  it('wait-until ready: the others wait for a promote, production still on the earlier revision', () => {
    const runs = [
      run('web', { result: { outcome: 'success', status: 'ready', deploymentStatus: 'ready' } }),
      run('worker', { result: { outcome: 'failure', status: 'failed', deploymentStatus: 'failed' } }),
    ];
    expect(severalResult(runs, { until: 'ready', follow: true }).failure?.details.at(-1)).toBe(
      'web is ready on the new revision with production traffic still on the earlier one: promote or abort it.',
    );
  });
});
