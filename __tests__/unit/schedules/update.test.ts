import { describe, expect, it } from '@jest/globals';
import type { SchedulePorts } from '../../../src/aws/ports.js';
import { planScheduledTasks } from '../../../src/schedules/plan.js';
import { updateScheduledTasks } from '../../../src/schedules/update.js';
import { UserError } from '../../../src/text/errors.js';
import {
  ecsRuleTarget,
  ecsSchedule,
  fakePorts,
  lambda,
  logger,
  taskDef,
  type FakeOptions,
  type FakeWorld,
} from './fakes.js';

const web3 = taskDef('web:3');

const world = (): FakeWorld => ({
  rules: {
    'web-nightly': [
      ecsRuleTarget('batch', taskDef('web:1')),
      { Id: 'notify', Arn: lambda, Input: '{"a":1}' },
      ecsRuleTarget('report', 'web:2', { Input: undefined, InputPath: '$.detail' }),
    ],
    'web-hourly': [ecsRuleTarget('sync', taskDef('web:1'))],
  },
  schedules: [
    ecsSchedule('web-cleanup', taskDef('web:1')),
    ecsSchedule('web-warmup', taskDef('web:2'), { GroupName: 'jobs', State: 'DISABLED' }),
  ],
});

/** Plans auto for family web in prod, then lets `between` change the world (a release's duration), then updates. */
async function release(
  options: FakeOptions = {},
  w = world(),
  between?: (fake: ReturnType<typeof fakePorts>) => void,
) {
  const fake = fakePorts(w, options);
  const plan = await planScheduledTasks(
    fake.ports,
    { setting: { kind: 'auto' }, family: 'web', clusters: ['prod'] },
    logger(),
  );
  between?.(fake);
  fake.calls.length = 0;
  const log = logger();
  const updates = await updateScheduledTasks(fake.ports, plan, web3, log);
  return { updates, lines: log.lines, ...fake };
}

describe('updateScheduledTasks', () => {
  it('one PutTargets per rule with its targets of the family, each whole with only the task definition changed', async () => {
    const { calls } = await release();
    const puts = calls.filter((c) => c.op === 'putTargets');
    expect(puts).toHaveLength(2);
    const [rule, targets] = puts[0].args as [string, unknown[]];
    expect(rule).toBe('web-nightly');
    const before = world().rules!['web-nightly'];
    // The Lambda target is not sent: PutTargets replaces by Id, so the others stay as they are.
    expect(targets).toEqual([
      { ...before[0], EcsParameters: { ...before[0].EcsParameters, TaskDefinitionArn: web3 } },
      { ...before[2], EcsParameters: { ...before[2].EcsParameters, TaskDefinitionArn: web3 } },
    ]);
    expect(puts[1].args).toEqual([
      'web-hourly',
      [
        {
          ...world().rules!['web-hourly'][0],
          EcsParameters: { ...world().rules!['web-hourly'][0].EcsParameters, TaskDefinitionArn: web3 },
        },
      ],
    ]);
  });

  it('one UpdateSchedule per schedule carrying every member of GetSchedule unchanged but the task definition', async () => {
    const { calls, schedules } = await release();
    const sent = calls.filter((c) => c.op === 'updateSchedule').map((c) => c.args[0]);
    const [cleanup, warmup] = world().schedules!;
    const moved = (schedule: typeof cleanup) => ({
      ...schedule,
      Target: {
        ...schedule.Target,
        EcsParameters: { ...schedule.Target!.EcsParameters, TaskDefinitionArn: web3 },
      },
    });
    expect(sent).toEqual([moved(cleanup), moved(warmup)]);
    expect(schedules[1].State).toBe('DISABLED');
  });

  it('reports each target old → new and logs one line each', async () => {
    const { updates, lines } = await release();
    expect(updates).toEqual([
      {
        kind: 'rule',
        name: 'web-nightly',
        targetId: 'batch',
        from: taskDef('web:1'),
        to: web3,
        outcome: 'updated',
      },
      { kind: 'rule', name: 'web-nightly', targetId: 'report', from: 'web:2', to: web3, outcome: 'updated' },
      {
        kind: 'rule',
        name: 'web-hourly',
        targetId: 'sync',
        from: taskDef('web:1'),
        to: web3,
        outcome: 'updated',
      },
      {
        kind: 'schedule',
        name: 'web-cleanup',
        group: 'default',
        from: taskDef('web:1'),
        to: web3,
        outcome: 'updated',
      },
      {
        kind: 'schedule',
        name: 'web-warmup',
        group: 'jobs',
        from: taskDef('web:2'),
        to: web3,
        outcome: 'updated',
      },
    ]);
    expect(lines).toEqual([
      'Scheduled task rule/web-nightly (target batch): web:1 → web:3',
      'Scheduled task rule/web-nightly (target report): web:2 → web:3',
      'Scheduled task rule/web-hourly (target sync): web:1 → web:3',
      'Scheduled task schedule/default/web-cleanup: web:1 → web:3',
      'Scheduled task schedule/jobs/web-warmup: web:2 → web:3',
    ]);
  });

  it('a target already on the new revision (however named) is left: no call', async () => {
    const w = world();
    w.rules!['web-hourly'] = [ecsRuleTarget('sync', 'web:3')];
    w.schedules![0] = ecsSchedule('web-cleanup', web3);
    const { updates, calls, lines } = await release({}, w);
    expect(updates.filter((u) => u.outcome === 'unchanged').map((u) => u.name)).toEqual([
      'web-hourly',
      'web-cleanup',
    ]);
    expect(calls.filter((c) => c.op === 'putTargets').map((c) => c.args[0])).toEqual(['web-nightly']);
    expect(calls.filter((c) => c.op === 'updateSchedule')).toHaveLength(1);
    expect(lines).toContain('Scheduled task rule/web-hourly (target sync): already on web:3');
  });

  it('a target on a newer revision follows the release too (e.g. back onto a reused revision)', async () => {
    const w = world();
    w.rules!['web-hourly'] = [ecsRuleTarget('sync', taskDef('web:5'))];
    const { updates } = await release({}, w);
    expect(updates.find((u) => u.name === 'web-hourly')).toMatchObject({
      from: taskDef('web:5'),
      to: web3,
      outcome: 'updated',
    });
  });

  it('reads each again right before the change: an edit made during the release is kept', async () => {
    const { calls, rules } = await release({}, world(), (fake) => {
      fake.rules['web-hourly'][0].EcsParameters!.TaskCount = 7;
      fake.schedules[0].Description = 'edited';
    });
    const put = calls.find((c) => c.op === 'putTargets' && c.args[0] === 'web-hourly')!;
    expect((put.args[1] as { EcsParameters: { TaskCount: number } }[])[0].EcsParameters.TaskCount).toBe(7);
    expect(rules['web-hourly'][0].EcsParameters).toMatchObject({ TaskCount: 7, TaskDefinitionArn: web3 });
    const update = calls.find(
      (c) => c.op === 'updateSchedule' && (c.args[0] as { Name: string }).Name === 'web-cleanup',
    )!;
    expect(update.args[0]).toMatchObject({ Description: 'edited' });
    expect(
      calls.filter((c) => c.op === 'listTargets' || c.op === 'getSchedule').map((c) => c.args[0]),
    ).toEqual(['web-nightly', 'web-hourly', 'web-cleanup', 'web-warmup']);
  });

  it('a target changed away from the family, or deleted, during the release is left and reported', async () => {
    const { updates, calls } = await release({}, world(), (fake) => {
      fake.rules['web-hourly'][0].EcsParameters!.TaskDefinitionArn = taskDef('reports:1');
      delete fake.rules['web-nightly'];
      fake.schedules.splice(0, 1);
    });
    expect(updates.map((u) => [u.name, u.targetId, u.outcome, u.error])).toEqual([
      ['web-nightly', 'batch', 'failed', 'the rule no longer exists (deleted during the release)'],
      ['web-nightly', 'report', 'failed', 'the rule no longer exists (deleted during the release)'],
      [
        'web-hourly',
        'sync',
        'failed',
        'the target no longer runs family web (changed during the release); left as it is',
      ],
      ['web-cleanup', undefined, 'failed', 'the schedule no longer exists (deleted during the release)'],
      ['web-warmup', undefined, 'updated', undefined],
    ]);
    expect(calls.filter((c) => c.op === 'putTargets')).toEqual([]);
  });

  it('one failure never stops the others, and never throws', async () => {
    const { updates, lines } = await release({
      fail: [
        {
          op: 'putTargets',
          name: 'web-nightly',
          error: new UserError(
            'EventBridge PutTargets of rule "web-nightly" failed: Rate exceeded (ThrottlingException).',
            ['AWS kept throttling the request.'],
          ),
        },
        { op: 'updateSchedule', name: 'web-cleanup', error: new Error('socket hang up') },
      ],
    });
    expect(updates.map((u) => [u.name, u.outcome])).toEqual([
      ['web-nightly', 'failed'],
      ['web-nightly', 'failed'],
      ['web-hourly', 'updated'],
      ['web-cleanup', 'failed'],
      ['web-warmup', 'updated'],
    ]);
    expect(updates[0].error).toBe(
      'EventBridge PutTargets of rule "web-nightly" failed: Rate exceeded (ThrottlingException). AWS kept throttling the request.',
    );
    expect(updates[3].error).toMatch(/^ecs-shift hit an unexpected error: socket hang up/);
    expect(lines[0]).toBe(
      'Scheduled task rule/web-nightly (target batch): web:1 → web:3 failed: EventBridge PutTargets of rule "web-nightly" failed: Rate exceeded (ThrottlingException). AWS kept throttling the request.',
    );
  });

  it('a target PutTargets refused (FailedEntries) fails alone; the rule’s others are updated', async () => {
    const { updates } = await release({ refuse: { report: 'RoleArn is required for target arn …' } });
    expect(
      updates.filter((u) => u.name === 'web-nightly').map((u) => [u.targetId, u.outcome, u.error]),
    ).toEqual([
      ['batch', 'updated', undefined],
      [
        'report',
        'failed',
        'PutTargets refused it: RoleArn is required for target arn … (ValidationException)',
      ],
    ]);
  });

  it('an error text from AWS is bounded and made safe for the log', async () => {
    const { updates } = await release({
      fail: [
        {
          op: 'updateSchedule',
          error: new UserError(`boom\u001b[31m\n::stop-commands::x ${'y'.repeat(2000)}`),
        },
      ],
    });
    const error = updates.find((u) => u.kind === 'schedule')!.error!;
    expect(error).not.toContain('\u001b');
    expect(error).not.toContain('\n');
    expect(error.length).toBeLessThanOrEqual(600);
  });

  it('an empty plan makes no call', async () => {
    const fake = fakePorts(world());
    const ports: SchedulePorts = fake.ports;
    expect(
      await updateScheduledTasks(ports, { family: 'web', tasks: [], followingLatest: [] }, web3, logger()),
    ).toEqual([]);
    expect(fake.calls).toEqual([]);
  });
});
