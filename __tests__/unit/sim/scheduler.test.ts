import {
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mutatingCalls } from '../../../sim/run-action.js';
import { releaseScenario, startSimulator, type Simulator } from '../../../sim/index.js';
import { clientsFor, msPerMinute } from './helpers.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator(releaseScenario(), { msPerMinute });
});
afterEach(() => sim.stop());

const web1 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';
const web2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';

describe('EventBridge Scheduler', () => {
  it('lists schedules of every group, filters by group, prefix and state, and pages', async () => {
    const { scheduler } = clientsFor(sim);
    const all = await scheduler.send(new ListSchedulesCommand({}));
    expect(all.Schedules!.map((s) => `${s.GroupName}/${s.Name}`)).toEqual([
      'default/ping',
      'default/reports-weekly',
      'default/web-cleanup',
      'jobs/web-warmup',
    ]);
    expect(all.Schedules![2]).toEqual({
      Arn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/web-cleanup',
      Name: 'web-cleanup',
      GroupName: 'default',
      State: 'ENABLED',
      CreationDate: expect.any(Date),
      LastModificationDate: expect.any(Date),
      Target: { Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod' },
    });
    const jobs = await scheduler.send(new ListSchedulesCommand({ GroupName: 'jobs' }));
    expect(jobs.Schedules!.map((s) => s.Name)).toEqual(['web-warmup']);
    const web = await scheduler.send(new ListSchedulesCommand({ NamePrefix: 'web-', State: 'ENABLED' }));
    expect(web.Schedules!.map((s) => s.Name)).toEqual(['web-cleanup']);
    const first = await scheduler.send(new ListSchedulesCommand({ MaxResults: 3 }));
    const rest = await scheduler.send(
      new ListSchedulesCommand({ MaxResults: 3, NextToken: first.NextToken }),
    );
    expect(rest.Schedules!.map((s) => s.Name)).toEqual(['web-warmup']);
    expect(rest.NextToken).toBeUndefined();
  });

  it('GetSchedule answers the whole schedule, in a named group too', async () => {
    const { scheduler } = clientsFor(sim);
    const schedule = await scheduler.send(new GetScheduleCommand({ Name: 'web-cleanup' }));
    expect(schedule).toMatchObject({
      Arn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/web-cleanup',
      Name: 'web-cleanup',
      GroupName: 'default',
      ScheduleExpression: 'cron(30 4 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Description: 'Deletes expired sessions',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      ActionAfterCompletion: 'NONE',
      CreationDate: expect.any(Date),
      Target: {
        Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
        RoleArn: 'arn:aws:iam::123456789012:role/ecsSchedulerRole',
        EcsParameters: expect.objectContaining({
          TaskDefinitionArn: web1,
          TaskCount: 1,
          LaunchType: 'FARGATE',
        }),
        Input: expect.stringContaining('cleanup'),
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:scheduler-dlq' },
      },
    });
    const warmup = await scheduler.send(new GetScheduleCommand({ Name: 'web-warmup', GroupName: 'jobs' }));
    expect(warmup.State).toBe('DISABLED');
  });

  it('a missing schedule (or the wrong group) is ResourceNotFoundException (404)', async () => {
    const { scheduler } = clientsFor(sim);
    await expect(scheduler.send(new GetScheduleCommand({ Name: 'web-warmup' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(
      scheduler.send(
        new UpdateScheduleCommand({
          Name: 'nope',
          ScheduleExpression: 'rate(1 day)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: {
            Arn: 'arn:aws:lambda:us-east-1:123456789012:function:x',
            RoleArn: 'arn:aws:iam::123456789012:role/r',
          },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('UpdateSchedule replaces the whole schedule: what was sent stays, the rest goes back to defaults', async () => {
    const { scheduler } = clientsFor(sim);
    const current = await scheduler.send(new GetScheduleCommand({ Name: 'web-cleanup' }));
    // A careful caller sends everything back, changing only the revision.
    const { ScheduleArn } = await scheduler.send(
      new UpdateScheduleCommand({
        Name: current.Name,
        GroupName: current.GroupName,
        ScheduleExpression: current.ScheduleExpression,
        ScheduleExpressionTimezone: current.ScheduleExpressionTimezone,
        Description: current.Description,
        State: current.State,
        FlexibleTimeWindow: current.FlexibleTimeWindow,
        ActionAfterCompletion: current.ActionAfterCompletion,
        Target: {
          ...current.Target!,
          EcsParameters: { ...current.Target!.EcsParameters!, TaskDefinitionArn: web2 },
        },
      }),
    );
    expect(ScheduleArn).toBe(current.Arn);
    const after = await scheduler.send(new GetScheduleCommand({ Name: 'web-cleanup' }));
    const { $metadata: _a, LastModificationDate: _l1, ...afterRest } = after;
    const { $metadata: _b, LastModificationDate: _l2, ...currentRest } = current;
    expect(afterRest).toEqual({
      ...currentRest,
      Target: {
        ...current.Target,
        EcsParameters: { ...current.Target!.EcsParameters, TaskDefinitionArn: web2 },
      },
    });
    // What was sent is recorded, for a check that nothing else of the target changed.
    const update = sim.requests.find((r) => r.operation === 'UpdateSchedule')!;
    expect(update).toMatchObject({ service: 'scheduler', status: 200 });
    expect((update.input as { Target: unknown }).Target).toEqual(sim.schedule('web-cleanup')!.Target);
    expect(mutatingCalls(sim)).toEqual(['UpdateSchedule']);
    expect(sim.changes.filter((c) => c.resource === current.Arn)).toHaveLength(1);
  });

  it('UpdateSchedule with only the required members resets the others (description, timezone, retry policy, state)', async () => {
    const { scheduler } = clientsFor(sim);
    await scheduler.send(
      new UpdateScheduleCommand({
        Name: 'web-warmup',
        GroupName: 'jobs',
        ScheduleExpression: 'rate(5 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
          RoleArn: 'arn:aws:iam::123456789012:role/ecsSchedulerRole',
        },
      }),
    );
    const after = sim.schedule('web-warmup', 'jobs')!;
    expect(after.State).toBe('ENABLED'); // was DISABLED: not sent means the default
    expect(after.Target).toEqual({
      Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
      RoleArn: 'arn:aws:iam::123456789012:role/ecsSchedulerRole',
      RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
    });
    const cleanup = sim.schedule('web-cleanup')!;
    expect(cleanup.Description).toBe('Deletes expired sessions'); // others untouched
  });

  it('UpdateSchedule without a Target is a ValidationException', async () => {
    const { scheduler } = clientsFor(sim);
    await expect(
      scheduler.send(
        new UpdateScheduleCommand({
          Name: 'web-cleanup',
          ScheduleExpression: 'rate(1 day)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', RoleArn: '' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  });

  it('sim.env() alone brings the Scheduler client here', async () => {
    const saved = { ...process.env };
    try {
      process.env.AWS_ENDPOINT_URL_SCHEDULER = 'http://127.0.0.1:9';
      Object.assign(process.env, sim.env());
      const { Schedules } = await new SchedulerClient({}).send(new ListSchedulesCommand({}));
      expect(Schedules).toHaveLength(4);
    } finally {
      process.env = saved;
    }
    expect(sim.requests.map((r) => [r.service, r.operation, r.status])).toEqual([
      ['scheduler', 'ListSchedules', 200],
    ]);
  });

  it('answers an injected AccessDeniedException naming scheduler:GetSchedule', async () => {
    await sim.stop();
    sim = await startSimulator(
      releaseScenario({
        faults: [
          { kind: 'operationErrors', operation: 'GetSchedule', count: 1, error: 'AccessDeniedException' },
        ],
      }),
      { msPerMinute },
    );
    const { scheduler } = clientsFor(sim);
    await expect(scheduler.send(new GetScheduleCommand({ Name: 'web-cleanup' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('scheduler:GetSchedule'),
      $metadata: { httpStatusCode: 403 },
    });
    await expect(scheduler.send(new GetScheduleCommand({ Name: 'web-cleanup' }))).resolves.toBeDefined();
    expect(sim.requests.map((r) => [r.service, r.operation, r.status])).toEqual([
      ['scheduler', 'GetSchedule', 403],
      ['scheduler', 'GetSchedule', 200],
    ]);
  });
});
