/**
 * Scheduled tasks follow the release, through the bundle: EventBridge rule targets and Scheduler
 * schedules checked before any change, moved onto the new revision only after the release reached its
 * end (nothing else of them changed), left as they were after a failure.
 */
import { describe, expect, it } from '@jest/globals';
import { releaseScenario } from '../../sim/index.js';
import { mutatingCalls, runAction } from '../../sim/run-action.js';
import { annotation, errorAnnotation, requestsOf, simulate } from './setup.js';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:4f2a9c1';
const WEB_AND_WORKER = { cluster: 'prod', service: 'web\nworker', 'container-name': 'app', image: IMAGE };
const ARN = (revision: string) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${revision}`;

type Target = { Id?: string; EcsParameters?: { TaskDefinitionArn?: string } };
type Sim = Awaited<ReturnType<typeof simulate>>;
/** The task definition a schedule's ECS target runs now. */
const scheduled = (s: Sim, name: string, group?: string) =>
  (s.schedule(name, group)!.Target as Target).EcsParameters?.TaskDefinitionArn;

describe('scheduled-tasks', () => {
  it('releases web, worker and two schedules to one revision; the summary shows every one on it', async () => {
    const s = await simulate(releaseScenario());
    const nightlyBefore = s.ruleTargets('web-nightly') as Target[];
    const cleanupBefore = s.schedule('web-cleanup')!;
    const run = await runAction(s, {
      inputs: { ...WEB_AND_WORKER, 'scheduled-tasks': 'rule/web-nightly\nschedule/web-cleanup' },
    });
    expect(run.code).toBe(0);

    // After both services shifted: the changes come last.
    const calls = mutatingCalls(s);
    expect(calls.slice(-2)).toEqual(['PutTargets', 'UpdateSchedule']);
    expect(calls.filter((c) => c === 'RegisterTaskDefinition')).toHaveLength(1);

    // Only the task definition of the web target changed; the Lambda target was not sent.
    const nightly = s.ruleTargets('web-nightly') as Target[];
    const web = nightly.find((t) => t.EcsParameters)!;
    expect(web.EcsParameters!.TaskDefinitionArn).toBe(ARN('web:3'));
    const expected = nightlyBefore.map((t) =>
      t.Id === web.Id ? { ...t, EcsParameters: { ...t.EcsParameters, TaskDefinitionArn: ARN('web:3') } } : t,
    );
    expect(nightly).toEqual(expected);
    expect((requestsOf(s, 'PutTargets')[0]!.input as { Targets: Target[] }).Targets).toHaveLength(1);

    // The schedule keeps everything but its task definition (UpdateSchedule resets what is not sent).
    const cleanup = s.schedule('web-cleanup')!;
    expect(cleanup).toEqual({
      ...cleanupBefore,
      LastModificationDate: expect.anything(),
      Target: {
        ...cleanupBefore.Target,
        EcsParameters: { ...(cleanupBefore.Target as Target).EcsParameters, TaskDefinitionArn: ARN('web:3') },
      },
    });
    // A schedule not named is not touched.
    expect(s.ruleTargets('web-hourly')).toEqual(releaseHourly());

    expect(run.log).toMatch(/^Scheduled task rule\/web-nightly \(target [\w-]+\): web:1 → web:3$/m);
    expect(run.log).toMatch(/^Scheduled task schedule\/default\/web-cleanup: web:1 → web:3$/m);
    const headline = annotation(run.log, 'notice').split('\n');
    expect(headline).toContain(
      `   Scheduled tasks: rule/web-nightly (target ${web.Id}), schedule/default/web-cleanup on web:3.`,
    );
    expect(run.summary).toMatch(/\| \[web\].*\| 100% on web:3\. \|/);
    expect(run.summary).toMatch(/\| \[worker\].*\| all tasks on web:3\. \|/);
    expect(run.summary).toContain(`| rule/web-nightly (target ${web.Id}) | web:1 | web:3 | ✅ moved |`);
    expect(run.summary).toContain('| schedule/default/web-cleanup | web:1 | web:3 | ✅ moved |');
  });

  it('auto: every rule and schedule of the family in the cluster, not another family or a Lambda', async () => {
    const s = await simulate(releaseScenario());
    const run = await runAction(s, {
      inputs: { ...WEB_AND_WORKER, service: 'worker', 'scheduled-tasks': 'auto' },
    });
    expect(run.code).toBe(0);
    const moved = (name: string) =>
      (s.ruleTargets(name) as Target[]).filter((t) => t.EcsParameters?.TaskDefinitionArn === ARN('web:3'));
    expect(moved('web-nightly')).toHaveLength(1);
    expect(moved('web-hourly')).toHaveLength(1);
    expect(moved('reports-daily')).toHaveLength(0);
    expect(scheduled(s, 'web-cleanup')).toBe(ARN('web:3'));
    expect(scheduled(s, 'web-warmup', 'jobs')).toBe(ARN('web:3'));
    expect(scheduled(s, 'reports-weekly')).toBe(ARN('reports:1'));
    // A disabled schedule stays disabled.
    expect(s.schedule('web-warmup', 'jobs')!.State).toBe('DISABLED');
  });

  it('a failed release leaves the scheduled tasks as they were', async () => {
    const s = await simulate(
      releaseScenario({
        faults: [{ kind: 'hookFails', event: 'AfterAllowTraffic', message: 'smoke test failed' }],
      }),
    );
    const run = await runAction(s, {
      inputs: { ...WEB_AND_WORKER, 'scheduled-tasks': 'rule/web-nightly\nschedule/web-cleanup' },
    });
    expect(run.code).toBe(1);
    expect(mutatingCalls(s)).not.toContain('PutTargets');
    expect(mutatingCalls(s)).not.toContain('UpdateSchedule');
    expect(scheduled(s, 'web-cleanup')).toBe(ARN('web:1'));
    expect(run.log).toMatch(
      /^Scheduled tasks rule\/web-nightly \(target [\w-]+\), schedule\/default\/web-cleanup left on their revision: the release did not succeed\./m,
    );
  });

  it('a scheduled task that does not exist, or runs another family, stops the step before any change', async () => {
    const s = await simulate(releaseScenario());
    const run = await runAction(s, {
      inputs: { ...WEB_AND_WORKER, 'scheduled-tasks': 'rule/web-nighlty\nschedule/reports-weekly' },
    });
    expect(run.code).toBe(1);
    expect(mutatingCalls(s)).toEqual([]);
    const error = errorAnnotation(run.log);
    expect(error).toContain('web-nighlty');
    expect(error).toContain('reports-weekly');
    expect(error).toContain('Nothing was changed.');
  });

  it('without a service: registered, then the scheduled tasks moved at once', async () => {
    const s = await simulate(releaseScenario());
    const run = await runAction(s, {
      inputs: {
        cluster: 'prod',
        'task-definition-family': 'web',
        'container-name': 'app',
        image: IMAGE,
        'scheduled-tasks': 'rule/web-hourly',
      },
    });
    expect(run.code).toBe(0);
    expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'PutTargets']);
    expect((s.ruleTargets('web-hourly') as Target[])[0]!.EcsParameters!.TaskDefinitionArn).toBe(ARN('web:3'));
  });
});

function releaseHourly(): Target[] {
  // As releaseScenario() sets it up.
  return expect.arrayContaining([
    expect.objectContaining({ EcsParameters: expect.objectContaining({ TaskDefinitionArn: ARN('web:1') }) }),
  ]) as unknown as Target[];
}
