import { describe, expect, it } from '@jest/globals';
import { MissingPermission } from '../../../src/aws/errors.js';
import type { ScheduledTaskRef } from '../../../src/settings/scheduled-task-inputs.js';
import { findFamilyTargets, planScheduledTasks } from '../../../src/schedules/plan.js';
import { UserError } from '../../../src/text/errors.js';
import {
  cluster,
  ecsRuleTarget,
  ecsSchedule,
  fakePorts,
  lambda,
  logger,
  taskDef,
  type FakeOptions,
  type FakeWorld,
} from './fakes.js';

const world = (): FakeWorld => ({
  rules: {
    'web-nightly': [ecsRuleTarget('web-batch', taskDef('web:1')), { Id: 'notify', Arn: lambda }],
    'web-hourly': [ecsRuleTarget('web-sync', taskDef('web:2'))],
    'web-latest': [ecsRuleTarget('follows', taskDef('web'))],
    'reports-daily': [ecsRuleTarget('reports', taskDef('reports:1'))],
    'staging-web': [ecsRuleTarget('staging', taskDef('web:1'), { Arn: cluster('staging') })],
    audit: [{ Id: 'sns', Arn: 'arn:aws:sns:us-east-1:123456789012:audit' }],
  },
  schedules: [
    ecsSchedule('web-cleanup', taskDef('web:1')),
    ecsSchedule('web-warmup', 'web:2', { GroupName: 'jobs', State: 'DISABLED' }),
    ecsSchedule('reports-weekly', taskDef('reports:1')),
    ecsSchedule('staging-cleanup', taskDef('web:1'), {
      Target: { ...ecsSchedule('x', taskDef('web:1')).Target!, Arn: cluster('staging') },
    }),
    {
      ...ecsSchedule('ping', ''),
      Target: { Arn: lambda, RoleArn: 'arn:aws:iam::123456789012:role/r', Input: '{}' },
    },
  ],
});

const named = (...refs: ScheduledTaskRef[]) => ({ kind: 'named' as const, refs });

async function plan(refs: ScheduledTaskRef[] | 'auto', options: FakeOptions = {}, w = world()) {
  const fake = fakePorts(w, options);
  const log = logger();
  const result = await planScheduledTasks(
    fake.ports,
    { setting: refs === 'auto' ? { kind: 'auto' } : named(...refs), family: 'web', clusters: ['prod'] },
    log,
  );
  return { result, ...fake, lines: log.lines };
}

async function planError(refs: ScheduledTaskRef[] | 'auto', options: FakeOptions = {}, w = world()) {
  const error = await plan(refs, options, w).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('planScheduledTasks: named', () => {
  it('a rule: its targets of the family, with the whole target list for the update; other targets ignored', async () => {
    const { result, calls } = await plan([{ kind: 'rule', name: 'web-nightly' }]);
    expect(result.family).toBe('web');
    expect(result.tasks).toEqual([
      {
        kind: 'rule',
        name: 'web-nightly',
        targetId: 'web-batch',
        taskDefinition: taskDef('web:1'),
        revision: 1,
        cluster: 'prod',
        ruleTargets: world().rules!['web-nightly'],
      },
    ]);
    expect(result.followingLatest).toEqual([]);
    expect(calls).toEqual([{ op: 'listTargets', args: ['web-nightly'] }]);
  });

  it('a schedule in a group, its target named family:revision; the whole schedule kept for the update', async () => {
    const { result, calls } = await plan([{ kind: 'schedule', name: 'web-warmup', group: 'jobs' }]);
    expect(result.tasks).toEqual([
      expect.objectContaining({
        kind: 'schedule',
        name: 'web-warmup',
        group: 'jobs',
        taskDefinition: 'web:2',
        revision: 2,
        schedule: world().schedules![1],
      }),
    ]);
    expect(calls).toEqual([{ op: 'getSchedule', args: ['web-warmup', 'jobs'] }]);
  });

  it('a bare name is the rule or the default-group schedule that exists', async () => {
    const rule = await plan([{ kind: 'either', name: 'web-hourly' }]);
    expect(rule.result.tasks.map((t) => [t.kind, t.name])).toEqual([['rule', 'web-hourly']]);
    expect(rule.calls.map((c) => c.op).sort()).toEqual(['getSchedule', 'listTargets']);
    const schedule = await plan([{ kind: 'either', name: 'web-cleanup' }]);
    expect(schedule.result.tasks).toEqual([
      expect.objectContaining({ kind: 'schedule', name: 'web-cleanup', group: 'default' }),
    ]);
  });

  it('a bare name resolves with rights to only one side, when that side has it', async () => {
    const denied = { op: 'getSchedule' as const, error: new MissingPermission('scheduler:GetSchedule') };
    const { result } = await plan([{ kind: 'either', name: 'web-hourly' }], { fail: [denied] });
    expect(result.tasks.map((t) => t.name)).toEqual(['web-hourly']);
    const error = await planError([{ kind: 'either', name: 'nowhere' }], { fail: [denied] });
    expect(error.message).toMatch(
      /not allowed to call scheduler:GetSchedule, so nowhere could not be checked/,
    );
  });

  it('a bare name that is both a rule and a schedule asks for a prefix', async () => {
    const w = world();
    w.rules!['web-cleanup'] = [ecsRuleTarget('t', taskDef('web:1'))];
    const error = await planError([{ kind: 'either', name: 'web-cleanup' }], {}, w);
    expect(error.message).toBe(
      'scheduled-tasks: "web-cleanup" names both an EventBridge rule and a Scheduler schedule. ' +
        'Write rule/web-cleanup or schedule/web-cleanup. Nothing was changed.',
    );
  });

  it('a name that exists nowhere fails before anything changes, saying where it was looked for', async () => {
    const error = await planError([{ kind: 'either', name: 'x' }]);
    expect(error.message).toBe(
      'scheduled-tasks: no EventBridge rule or Scheduler schedule named "x" (rules on the default event bus, ' +
        'schedules in the default group). Check the name and the region; a schedule in another group is ' +
        'schedule/GROUP/NAME. Nothing was changed.',
    );
    expect((await planError([{ kind: 'rule', name: 'x' }])).message).toBe(
      'scheduled-tasks: no EventBridge rule named "x" on the default event bus. Check the name and the region. Nothing was changed.',
    );
    expect((await planError([{ kind: 'schedule', name: 'web-warmup' }])).message).toMatch(
      /^scheduled-tasks: no Scheduler schedule named "web-warmup" in group "default"\. Check the name, the group/,
    );
  });

  it('a rule or schedule that runs no task of the family says what it runs instead', async () => {
    const error = await planError([{ kind: 'rule', name: 'reports-daily' }]);
    expect(error.message).toBe(
      'scheduled-tasks: rule/reports-daily runs no ECS task of family web: it targets the ECS task reports:1 ' +
        'in cluster "prod". Name only rules and schedules whose ECS target runs web, or use auto. Nothing was changed.',
    );
    expect((await planError([{ kind: 'rule', name: 'audit' }])).message).toContain(
      'it targets "arn:aws:sns:us-east-1:123456789012:audit"',
    );
    expect((await planError([{ kind: 'schedule', name: 'ping' }])).message).toContain(
      `schedule/default/ping runs no ECS task of family web: it targets "${lambda}"`,
    );
  });

  it('every problem at once, each on a line of its own', async () => {
    const error = await planError([
      { kind: 'rule', name: 'web-nightly' },
      { kind: 'rule', name: 'gone' },
      { kind: 'schedule', name: 'reports-weekly' },
    ]);
    expect(error.message).toBe(
      'scheduled-tasks: 2 of the rules and schedules named cannot follow the release. Nothing was changed.',
    );
    expect(error.details).toEqual([
      expect.stringMatching(/^scheduled-tasks: no EventBridge rule named "gone"/),
      expect.stringMatching(
        /^scheduled-tasks: schedule\/default\/reports-weekly runs no ECS task of family web/,
      ),
    ]);
  });

  it('a target on the family alone (latest ACTIVE) is noted and left; it is not an error', async () => {
    const { result, lines } = await plan([
      { kind: 'rule', name: 'web-latest' },
      { kind: 'rule', name: 'web-hourly' },
    ]);
    expect(result.tasks.map((t) => t.name)).toEqual(['web-hourly']);
    expect(result.followingLatest).toEqual([
      expect.objectContaining({ kind: 'rule', name: 'web-latest', targetId: 'follows', revision: undefined }),
    ]);
    expect(lines).toEqual([
      "Scheduled task rule/web-latest (target follows) runs web, the family's latest ACTIVE revision: it follows the release by itself and is left as it is.",
      'Scheduled tasks to move onto the new revision: rule/web-hourly (target web-sync) on web:2.',
    ]);
  });

  it('a named rule in another cluster still follows: it was asked for', async () => {
    const { result } = await plan([{ kind: 'rule', name: 'staging-web' }]);
    expect(result.tasks).toEqual([expect.objectContaining({ name: 'staging-web', cluster: 'staging' })]);
  });

  it('a denied read says which permission, for which rule, and what to do', async () => {
    const error = await planError([{ kind: 'rule', name: 'web-nightly' }], {
      fail: [{ op: 'listTargets', error: new MissingPermission('events:ListTargetsByRule') }],
    });
    expect(error.message).toBe(
      'scheduled-tasks: the AWS credentials in use are not allowed to call events:ListTargetsByRule, so ' +
        'rule/web-nightly could not be checked. Nothing was changed.',
    );
    expect(error.details).toEqual([
      'Grant events:ListTargetsByRule to the role or user (see "IAM permissions" in the ecs-shift README), or remove scheduled-tasks.',
    ]);
  });

  it('other errors pass through as the port wrote them', async () => {
    const failure = new UserError('EventBridge ListTargetsByRule of rule "web-nightly" failed: boom.');
    const error = await planError([{ kind: 'rule', name: 'web-nightly' }], {
      fail: [{ op: 'listTargets', error: failure }],
    });
    expect(error).toBe(failure);
  });

  it('text from AWS in a message is one line, without control characters or workflow commands', async () => {
    const w = world();
    w.rules!.odd = [{ Id: 'x', Arn: 'arn:aws:lambda:us-east-1:1:function:f\u001b[31m\n::set-env name=X::1' }];
    const error = await planError([{ kind: 'rule', name: 'odd' }], {}, w);
    expect(error.message).not.toContain('\u001b');
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain('function:f');
  });
});

describe('planScheduledTasks: auto', () => {
  it('every rule and schedule in the cluster running the family, every pinned revision; the rest ignored', async () => {
    const { result, lines } = await plan('auto');
    expect(result.tasks.map((t) => [t.kind, t.name, t.kind === 'rule' ? t.targetId : t.group])).toEqual([
      ['rule', 'web-nightly', 'web-batch'],
      ['rule', 'web-hourly', 'web-sync'],
      ['schedule', 'web-cleanup', 'default'],
      ['schedule', 'web-warmup', 'jobs'],
    ]);
    expect(result.followingLatest.map((t) => t.name)).toEqual(['web-latest']);
    expect(lines).toEqual([
      expect.stringMatching(
        /^Scheduled task rule\/web-latest \(target follows\) runs web, the family's latest/,
      ),
      'Scheduled tasks to move onto the new revision: rule/web-nightly (target web-batch) on web:1, ' +
        'rule/web-hourly (target web-sync) on web:2, schedule/default/web-cleanup on web:1, schedule/jobs/web-warmup on web:2.',
    ]);
  });

  it('reads each rule’s targets, but only the schedules whose target is one of the clusters', async () => {
    const { calls } = await plan('auto');
    expect(calls.filter((c) => c.op === 'listTargets').map((c) => c.args[0])).toEqual(
      Object.keys(world().rules!),
    );
    expect(calls.filter((c) => c.op === 'getSchedule').map((c) => c.args)).toEqual([
      ['web-cleanup', 'default'],
      ['web-warmup', 'jobs'],
      ['reports-weekly', 'default'],
    ]);
    expect(calls.some((c) => c.op === 'putTargets' || c.op === 'updateSchedule')).toBe(false);
  });

  it('clusters given as ARNs, and several of them', async () => {
    const fake = fakePorts(world());
    const found = await planScheduledTasks(
      fake.ports,
      { setting: { kind: 'auto' }, family: 'web', clusters: [cluster('prod'), 'staging'] },
      logger(),
    );
    expect(found.tasks.map((t) => t.name)).toEqual([
      'web-nightly',
      'web-hourly',
      'staging-web',
      'web-cleanup',
      'web-warmup',
      'staging-cleanup',
    ]);
  });

  it('finding nothing is not an error: one line says so', async () => {
    const fake = fakePorts(world());
    const log = logger();
    const result = await planScheduledTasks(
      fake.ports,
      { setting: { kind: 'auto' }, family: 'api', clusters: ['prod'] },
      log,
    );
    expect(result).toEqual({ family: 'api', tasks: [], followingLatest: [] });
    expect(log.lines).toEqual([
      'scheduled-tasks: auto found no EventBridge rule or Scheduler schedule running family api in cluster "prod"; nothing to move.',
    ]);
  });

  it('a rule deleted between the listing and its targets is skipped', async () => {
    const fake = fakePorts(world());
    const listRules = fake.ports.eventBridge.listRules;
    fake.ports.eventBridge.listRules = async () => [...(await listRules()), { name: 'deleted' }];
    const found = await findFamilyTargets(fake.ports, 'web', ['prod']);
    expect(found.map((t) => t.name)).toContain('web-nightly');
  });

  it('a denied listing names the permission and what auto could not do', async () => {
    const error = await planError('auto', {
      fail: [{ op: 'listSchedules', error: new MissingPermission('scheduler:ListSchedules') }],
    });
    expect(error.message).toBe(
      'scheduled-tasks: the AWS credentials in use are not allowed to call scheduler:ListSchedules, so auto ' +
        'could not look for the rules and schedules. Nothing was changed.',
    );
    expect(error.cause).toBeInstanceOf(MissingPermission);
  });
});

describe('findFamilyTargets', () => {
  it('every target of the family in the clusters, on the latest too (the revision clean-up keeps those)', async () => {
    const fake = fakePorts(world());
    const found = await findFamilyTargets(fake.ports, 'web', ['prod']);
    expect(found.map((t) => [t.name, t.taskDefinition, t.revision])).toEqual([
      ['web-nightly', taskDef('web:1'), 1],
      ['web-hourly', taskDef('web:2'), 2],
      ['web-latest', taskDef('web'), undefined],
      ['web-cleanup', taskDef('web:1'), 1],
      ['web-warmup', 'web:2', 2],
    ]);
  });

  it('a missing permission is MissingPermission, for the caller to decide', async () => {
    const fake = fakePorts(world(), {
      fail: [{ op: 'listRules', error: new MissingPermission('events:ListRules') }],
    });
    await expect(findFamilyTargets(fake.ports, 'web', ['prod'])).rejects.toBeInstanceOf(MissingPermission);
  });
});
