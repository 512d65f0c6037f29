/**
 * The real scheduled-task ports (aws/eventbridge.ts, aws/scheduler.ts behind aws/schedules.ts) against
 * the simulator, reached through sim.env() alone as in a run: listing, the plan, and the update end to end.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { MissingPermission } from '../../../src/aws/errors.js';
import { createSchedulePorts } from '../../../src/aws/schedules.js';
import { createEventBridgePort } from '../../../src/aws/eventbridge.js';
import { createSchedulerPort, updateScheduleInput } from '../../../src/aws/scheduler.js';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { planScheduledTasks } from '../../../src/schedules/plan.js';
import { updateScheduledTasks } from '../../../src/schedules/update.js';
import { UserError } from '../../../src/text/errors.js';
import { mutatingCalls } from '../../../sim/run-action.js';
import { releaseScenario, startSimulator, type Scenario, type Simulator } from '../../../sim/index.js';
import { msPerMinute } from '../sim/helpers.js';

const web1 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';
const web2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';
const cluster = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod';

let sim: Simulator;
let savedEnv: NodeJS.ProcessEnv;

async function start(scenario: Scenario = releaseScenario()) {
  sim = await startSimulator(scenario, { msPerMinute });
  Object.assign(process.env, sim.env());
  return createSchedulePorts({ userAgent: 'ecs-shift/test', maxRetries: 0 }, sim.region);
}

beforeEach(() => {
  savedEnv = { ...process.env };
});
afterEach(async () => {
  process.env = savedEnv;
  const running = sim as Simulator | undefined;
  sim = undefined as unknown as Simulator;
  await running?.stop();
});

const quiet = { info: () => {} };

describe('scheduled-task ports against the simulator', () => {
  it('list rules, targets and schedules of every group; a missing rule or schedule is undefined', async () => {
    const ports = await start();
    const rules = await ports.eventBridge.listRules();
    expect(rules.map((rule) => rule.name)).toEqual(['audit', 'reports-daily', 'web-hourly', 'web-nightly']);
    expect(rules[2]).toEqual({
      name: 'web-hourly',
      arn: 'arn:aws:events:us-east-1:123456789012:rule/web-hourly',
      state: 'ENABLED',
      scheduleExpression: 'rate(1 hour)',
    });
    const targets = await ports.eventBridge.listTargets('web-nightly');
    expect(targets?.map((target) => target.Id)).toEqual(['web-batch', 'notify']);
    expect(await ports.eventBridge.listTargets('nope')).toBeUndefined();

    const schedules = await ports.scheduler.listSchedules();
    expect(schedules).toContainEqual({
      name: 'web-warmup',
      group: 'jobs',
      targetArn: cluster,
      state: 'DISABLED',
    });
    expect(schedules.map((s) => `${s.group}/${s.name}`)).toEqual([
      'default/ping',
      'default/reports-weekly',
      'default/web-cleanup',
      'jobs/web-warmup',
    ]);
    const warmup = await ports.scheduler.getSchedule('web-warmup', 'jobs');
    expect(warmup).toMatchObject({ Name: 'web-warmup', GroupName: 'jobs', State: 'DISABLED' });
    expect(warmup).not.toHaveProperty('$metadata');
    expect(await ports.scheduler.getSchedule('web-warmup')).toBeUndefined(); // not in the default group
    expect(mutatingCalls(sim)).toEqual([]);
  });

  it('auto: plans every web target in cluster prod, then moves each onto the new revision, nothing else changed', async () => {
    const ports = await start();
    const before = {
      nightly: sim.ruleTargets('web-nightly')!,
      hourly: sim.ruleTargets('web-hourly')!,
      reports: sim.ruleTargets('reports-daily')!,
      cleanup: sim.schedule('web-cleanup')!,
      warmup: sim.schedule('web-warmup', 'jobs')!,
      reportsWeekly: sim.schedule('reports-weekly')!,
    };
    const lines: string[] = [];
    const plan = await planScheduledTasks(
      ports,
      { setting: { kind: 'auto' }, family: 'web', clusters: ['prod'] },
      { info: (line) => lines.push(line) },
    );
    expect(plan.tasks.map((t) => [t.kind, t.name, t.kind === 'rule' ? t.targetId : t.group])).toEqual([
      ['rule', 'web-hourly', 'web-sync'],
      ['rule', 'web-nightly', 'web-batch'],
      ['schedule', 'web-cleanup', 'default'],
      ['schedule', 'web-warmup', 'jobs'],
    ]);
    // Only the schedules whose target is the cluster were read whole.
    expect(
      sim.requests
        .filter((r) => r.operation === 'GetSchedule')
        .map((r) => (r.input as { Name: string }).Name),
    ).toEqual(expect.arrayContaining(['web-cleanup', 'web-warmup', 'reports-weekly']));
    expect(
      sim.requests.some(
        (r) => r.operation === 'GetSchedule' && (r.input as { Name: string }).Name === 'ping',
      ),
    ).toBe(false);
    expect(mutatingCalls(sim)).toEqual([]);

    const updates = await updateScheduledTasks(ports, plan, web2, { info: (line) => lines.push(line) });
    expect(updates.map((u) => [u.kind, u.name, u.from, u.to, u.outcome])).toEqual([
      ['rule', 'web-hourly', web1, web2, 'updated'],
      ['rule', 'web-nightly', web1, web2, 'updated'],
      ['schedule', 'web-cleanup', web1, web2, 'updated'],
      ['schedule', 'web-warmup', web1, web2, 'updated'],
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        'Scheduled task rule/web-nightly (target web-batch): web:1 → web:2',
        'Scheduled task schedule/jobs/web-warmup: web:1 → web:2',
      ]),
    );
    expect(mutatingCalls(sim)).toEqual(['PutTargets', 'PutTargets', 'UpdateSchedule', 'UpdateSchedule']);

    const moved = <T extends Record<string, unknown>>(target: T) => ({
      ...target,
      EcsParameters: { ...(target.EcsParameters as object), TaskDefinitionArn: web2 },
    });
    expect(sim.ruleTargets('web-nightly')).toEqual([moved(before.nightly[0]), before.nightly[1]]);
    expect(sim.ruleTargets('web-hourly')).toEqual([moved(before.hourly[0])]);
    expect(sim.ruleTargets('reports-daily')).toEqual(before.reports);
    for (const [name, group, was] of [
      ['web-cleanup', 'default', before.cleanup],
      ['web-warmup', 'jobs', before.warmup],
    ] as const) {
      const { LastModificationDate: _now, ...after } = sim.schedule(name, group)!;
      const { LastModificationDate: _then, ...expected } = was;
      expect(after).toEqual({ ...expected, Target: moved(was.Target) });
    }
    expect(sim.schedule('reports-weekly')).toEqual(before.reportsWeekly);
    // DISABLED stays DISABLED: UpdateSchedule got the state back, as every other member.
    expect(sim.schedule('web-warmup', 'jobs')!.State).toBe('DISABLED');
  });

  it('UpdateSchedule sends every member GetSchedule answered (a full replacement), the task definition changed', async () => {
    const ports = await start();
    const plan = await planScheduledTasks(
      ports,
      {
        setting: { kind: 'named', refs: [{ kind: 'schedule', name: 'web-cleanup' }] },
        family: 'web',
        clusters: ['prod'],
      },
      quiet,
    );
    await updateScheduledTasks(ports, plan, web2, quiet);
    const sent = sim.requests.find((r) => r.operation === 'UpdateSchedule')!.input as Record<string, unknown>;
    expect(sent).toMatchObject({
      Name: 'web-cleanup',
      GroupName: 'default',
      ScheduleExpression: 'cron(30 4 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Description: 'Deletes expired sessions',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      ActionAfterCompletion: 'NONE',
      Target: {
        Arn: cluster,
        RoleArn: 'arn:aws:iam::123456789012:role/ecsSchedulerRole',
        Input: expect.stringContaining('cleanup'),
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:scheduler-dlq' },
        EcsParameters: expect.objectContaining({
          TaskDefinitionArn: web2,
          EnableECSManagedTags: true,
          Tags: [{ team: 'web' }],
        }),
      },
    });
    expect(sent).not.toHaveProperty('Arn');
    expect(sent).not.toHaveProperty('CreationDate');
  });

  it('updateScheduleInput copies every settable member and leaves out what AWS keeps itself', () => {
    const detail = {
      Arn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/g/n',
      Name: 'n',
      GroupName: 'g',
      ScheduleExpression: 'rate(1 day)',
      ScheduleExpressionTimezone: 'UTC',
      StartDate: new Date('2030-01-01T00:00:00Z'),
      EndDate: new Date('2031-01-01T00:00:00Z'),
      Description: 'd',
      State: 'DISABLED' as const,
      KmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k',
      Target: { Arn: cluster, RoleArn: 'arn:aws:iam::123456789012:role/r' },
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      ActionAfterCompletion: 'DELETE' as const,
      CreationDate: new Date(),
      LastModificationDate: new Date(),
    };
    const { Arn: _arn, CreationDate: _c, LastModificationDate: _l, ...settable } = detail;
    expect(updateScheduleInput(detail)).toEqual(settable);
    expect(() => updateScheduleInput({ Name: 'n' })).toThrow(UserError);
  });

  it('PutTargets returns the entries EventBridge refused; the others are put', async () => {
    const ports = await start();
    const [sync] = (await ports.eventBridge.listTargets('web-hourly'))!;
    const failed = await ports.eventBridge.putTargets('web-hourly', [
      { ...sync, EcsParameters: { ...sync.EcsParameters!, TaskDefinitionArn: web2 } },
      { Id: 'no-role', Arn: cluster, EcsParameters: { TaskDefinitionArn: web2 } },
    ]);
    expect(failed).toEqual([
      {
        targetId: 'no-role',
        errorCode: 'ValidationException',
        errorMessage: expect.stringContaining('RoleArn'),
      },
    ]);
    expect(sim.ruleTargets('web-hourly')!.map((t) => t.Id)).toEqual(['web-sync']);
  });

  it('a denied read is MissingPermission naming the action; the plan says what to grant', async () => {
    const ports = await start(
      releaseScenario({
        faults: [
          { kind: 'operationErrors', operation: 'ListRules', count: 2, error: 'AccessDeniedException' },
        ],
      }),
    );
    await expect(ports.eventBridge.listRules()).rejects.toBeInstanceOf(MissingPermission);
    const error = await planScheduledTasks(
      ports,
      { setting: { kind: 'auto' }, family: 'web', clusters: ['prod'] },
      quiet,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(
      /^scheduled-tasks: the AWS credentials in use are not allowed to call events:ListRules, so auto could not look/,
    );
    expect((error as UserError).details.join(' ')).toContain('Grant events:ListRules');
  });

  it('a denied change is a UserError naming the rule and what to grant, not MissingPermission', async () => {
    const ports = await start(
      releaseScenario({
        faults: [
          { kind: 'operationErrors', operation: 'PutTargets', count: 1, error: 'AccessDeniedException' },
        ],
      }),
    );
    const plan = await planScheduledTasks(
      ports,
      {
        setting: { kind: 'named', refs: [{ kind: 'either', name: 'web-hourly' }] },
        family: 'web',
        clusters: ['prod'],
      },
      quiet,
    );
    const [update] = await updateScheduledTasks(ports, plan, web2, quiet);
    expect(update).toMatchObject({ outcome: 'failed', from: web1 });
    expect(update.error).toMatch(
      /^EventBridge PutTargets of rule "web-hourly" was denied: .*events:PutTargets/,
    );
    expect(update.error).toContain('iam:PassRole');
    expect(sim.ruleTargets('web-hourly')![0]).toMatchObject({ EcsParameters: { TaskDefinitionArn: web1 } });
  });

  it('other errors name the service, the operation and the rule or schedule', async () => {
    const ports = await start(
      releaseScenario({
        faults: [{ kind: 'operationErrors', operation: 'GetSchedule', count: 1, error: 'InternalFailure' }],
      }),
    );
    const error = await ports.scheduler.getSchedule('web-cleanup').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(
      /^Scheduler GetSchedule of schedule "default\/web-cleanup" failed/,
    );
    expect((error as UserError).details.join(' ')).toMatch(/server-side error/);
  });
});

describe('error translation without AWS', () => {
  const refused = () =>
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  const failing = <C>(error: () => unknown) =>
    ({ send: async () => Promise.reject(error()) }) as unknown as C;

  it('a network error names the endpoint variable of the service', async () => {
    delete process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
    delete process.env.AWS_ENDPOINT_URL;
    const port = createEventBridgePort(failing<EventBridgeClient>(refused));
    const error = (await port.listRules().catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      'EventBridge ListRules failed: connect ECONNREFUSED 127.0.0.1:9 (ECONNREFUSED).',
    );
    expect(error.details.join(' ')).toContain('set AWS_ENDPOINT_URL_EVENTBRIDGE or AWS_ENDPOINT_URL');
    expect(error.details.join(' ')).not.toContain('undefined');

    process.env.AWS_ENDPOINT_URL_SCHEDULER = 'http://127.0.0.1:9';
    const scheduler = createSchedulerPort(failing<SchedulerClient>(refused));
    const other = (await scheduler.listSchedules().catch((e: unknown) => e)) as UserError;
    expect(other.details).toContain(
      'AWS_ENDPOINT_URL_SCHEDULER is set to http://127.0.0.1:9: check that it is the intended endpoint and that it is up.',
    );
  });

  it('access denied without the action in the message still names it', async () => {
    const denied = () => Object.assign(new Error('Access denied'), { name: 'AccessDeniedException' });
    const port = createSchedulerPort(failing<SchedulerClient>(denied));
    await expect(port.listSchedules()).rejects.toMatchObject({ permission: 'scheduler:ListSchedules' });
    const update = await port
      .updateSchedule({
        Name: 'n',
        GroupName: 'jobs',
        ScheduleExpression: 'rate(1 day)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: cluster, RoleArn: 'arn:aws:iam::123456789012:role/r' },
      })
      .catch((e: unknown) => e);
    expect(update).not.toBeInstanceOf(MissingPermission);
    expect((update as UserError).message).toBe(
      'Scheduler UpdateSchedule of schedule "jobs/n" was denied: the AWS credentials in use are not allowed to call scheduler:UpdateSchedule.',
    );
  });
});
