import { describe, expect, it } from '@jest/globals';
import { headlineLines, headlineOf, trafficNow } from '../../../src/report/headline.js';
import type { DeploymentReport } from '../../../src/report/summary.js';

const start = Date.UTC(2026, 11, 2, 3, 0, 0);
const OLD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:41';
const NEW = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:42';
const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web';

function report(overrides: Partial<DeploymentReport> = {}): DeploymentReport {
  return {
    controller: 'CODE_DEPLOY',
    region: 'us-east-1',
    cluster: 'prod',
    service: 'web',
    taskDefinitionArn: NEW,
    previousTaskDefinitionArn: OLD,
    imageChanges: [{ container: 'app', before: `${REPO}:41`, after: `${REPO}:42` }],
    deploymentId: 'd-ABC123XYZ',
    deploymentRequested: true,
    waitUntil: 'shifted',
    outcome: 'success',
    status: 'traffic shifted',
    startedAt: start,
    endedAt: start + 182_000,
    events: [],
    ...overrides,
  };
}

describe('the headline', () => {
  it('says which revision and image replaced which, how it ended, how long it took and where traffic is', () => {
    expect(headlineLines(headlineOf(report()))).toEqual([
      '✅ web on prod: web:41 → web:42 — Traffic shifted in 3m02s.',
      '   Production traffic: 100% on web:42.',
      `   app: ${REPO}:41 → ${REPO}:42`,
    ]);
  });

  it('after a rollback, names the old revision as the one serving', () => {
    const lines = headlineLines(
      headlineOf(report({ outcome: 'failure', status: 'failed — rolled back', ending: 'rolled-back' })),
    );
    expect(lines.slice(0, 2)).toEqual([
      '❌ web on prod: web:41 → web:42 — Failed — rolled back in 3m02s.',
      '   Production traffic: 100% back on web:41.',
    ]);
  });

  it('a failure with no confirmed rollback says the split the step last saw', () => {
    const events = [{ type: 'traffic' as const, at: start + 60_000, blue: 90, green: 10 }];
    expect(trafficNow(report({ outcome: 'failure', status: 'timed out — left running', events }))).toBe(
      '90% on web:41, 10% on web:42, when the step ended.',
    );
    expect(trafficNow(report({ outcome: 'failure', status: 'failed', events: [] }))).toBe(
      'not known: see the deployment in the console.',
    );
  });

  it('never says traffic settled while the deployment may still move it, or back before a rollback ended', () => {
    const events = [{ type: 'traffic' as const, at: start + 60_000, blue: 100, green: 0 }];
    const failed = { outcome: 'failure' as const, events };
    expect(
      trafficNow(report({ ...failed, status: 'timed out — left running', ending: 'still-running' })),
    ).toBe(
      '100% on web:41 when the step ended (web:42 took none); the deployment is still running and may move it.',
    );
    expect(
      trafficNow(
        report({ ...failed, status: 'cancelled — rollback started', ending: 'rollback-unconfirmed' }),
      ),
    ).toBe('going back to web:41: the rollback was not seen to its end when the step ended.');
    expect(
      trafficNow(report({ ...failed, status: 'failed — rollback failed', ending: 'rollback-failed' })),
    ).toBe('not known: the rollback failed; see the deployment in the console.');
  });

  it('an abort: back on the previous revision once its rollback was seen, not the new one otherwise', () => {
    const abort = {
      continuation: 'abort' as const,
      service: undefined,
      taskDefinitionArn: undefined,
      previousTaskDefinitionArn: undefined,
      status: 'aborted — rollback still running',
    };
    expect(trafficNow(report({ ...abort, ending: 'rolled-back' }))).toBe(
      '100% back on the previous revision.',
    );
    expect(trafficNow(report({ ...abort, ending: 'rollback-unconfirmed' }))).toBe(
      'going back to the previous revision: the rollback was not seen to its end when the step ended.',
    );
    // Refused (the deployment was not waiting): nothing moved.
    expect(trafficNow(report({ ...abort, deploymentId: undefined, outcome: 'failure' }))).toBe(
      'unchanged, on the previous revision.',
    );
  });

  it('ready: production traffic still on the old revision, test traffic on the new', () => {
    expect(
      trafficNow(
        report({
          waitUntil: 'ready',
          deploymentStatus: 'ready',
          status: 'ready for promotion (test traffic on the new revision)',
        }),
      ),
    ).toBe('still on web:41; test traffic on web:42, waiting for a promote.');
  });

  it('rolling: tasks, not a traffic split', () => {
    expect(trafficNow(report({ controller: 'ROLLING', status: 'succeeded' }))).toBe('all tasks on web:42.');
    const events = [
      { type: 'tasks' as const, at: start, label: 'new', running: 1, pending: 1, desired: 4 },
      { type: 'tasks' as const, at: start, label: 'old', running: 3, pending: 0, desired: 3 },
    ];
    expect(trafficNow(report({ controller: 'ROLLING', outcome: 'failure', status: 'failed', events }))).toBe(
      '1 tasks of web:42 and 3 of web:41 running when the step ended.',
    );
  });

  it('claims no change that did not happen: a failed check, a dry run, a deployment that never started', () => {
    const nothing = report({
      taskDefinitionArn: undefined,
      deploymentId: undefined,
      deploymentRequested: undefined,
    });
    expect(headlineOf({ ...nothing, outcome: 'failure', status: 'failed before any change' }).title).toBe(
      'web on prod: web:41 (unchanged)',
    );
    expect(trafficNow({ ...nothing, outcome: 'failure' })).toBe('unchanged, on web:41.');
    expect(headlineOf({ ...nothing, dryRun: true }).title).toBe(
      'web on prod: web:41 → new revision (dry run)',
    );
    expect(trafficNow({ ...nothing, dryRun: true })).toBe('unchanged, on web:41 (dry run).');
    // A dry run whose release would reuse a registered revision names it.
    expect(headlineOf({ ...nothing, dryRun: true, dryRunReuses: NEW }).title).toBe(
      'web on prod: web:41 → web:42, already registered (dry run)',
    );
    // Registered, then the one-off task failed: the service was never touched.
    expect(
      trafficNow(report({ deploymentId: undefined, deploymentRequested: undefined, outcome: 'failure' })),
    ).toBe('unchanged, on web:41.');
    // Asked for, but no deployment id came back: say so rather than guess.
    expect(
      trafficNow(report({ deploymentId: undefined, outcome: 'failure', status: 'failed while deploying' })),
    ).toBe('not known: see the deployment in the console.');
  });

  it('names a new or removed container', () => {
    const lines = headlineLines(
      headlineOf(
        report({
          imageChanges: [
            { container: 'worker', after: `${REPO}-worker:42` },
            { container: 'proxy', before: 'envoy:1.29' },
          ],
        }),
      ),
    );
    expect(lines.slice(2)).toEqual([
      `   worker (new container): ${REPO}-worker:42`,
      '   proxy (removed): was envoy:1.29',
    ]);
  });
});
