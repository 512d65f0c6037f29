/** Plain fake scheduled-task ports for the schedules/ tests: a small world of rules and schedules, every call recorded. */
import type {
  EventBridgeTarget,
  FailedTarget,
  ScheduleDetail,
  SchedulePorts,
} from '../../../src/aws/ports.js';

export const ACCOUNT = '123456789012';
export const cluster = (name: string) => `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/${name}`;
export const taskDef = (familyRevision: string) =>
  `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${familyRevision}`;
export const lambda = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:notify`;
export const eventsRole = `arn:aws:iam::${ACCOUNT}:role/ecsEventsRole`;
export const schedulerRole = `arn:aws:iam::${ACCOUNT}:role/ecsSchedulerRole`;

export function ecsRuleTarget(
  id: string,
  taskDefinition: string,
  extra: Partial<EventBridgeTarget> = {},
): EventBridgeTarget {
  return {
    Id: id,
    Arn: cluster('prod'),
    RoleArn: eventsRole,
    Input: '{"containerOverrides":[{"name":"app","command":["npm","run","batch"]}]}',
    EcsParameters: {
      TaskDefinitionArn: taskDefinition,
      TaskCount: 2,
      LaunchType: 'FARGATE',
      NetworkConfiguration: { awsvpcConfiguration: { Subnets: ['subnet-1'], AssignPublicIp: 'DISABLED' } },
      PlatformVersion: 'LATEST',
      Tags: [{ Key: 'team', Value: 'web' }],
    },
    RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
    ...extra,
  };
}

export function ecsSchedule(
  name: string,
  taskDefinition: string,
  extra: Partial<ScheduleDetail> = {},
): ScheduleDetail {
  const group = extra.GroupName ?? 'default';
  return {
    Arn: `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/${group}/${name}`,
    Name: name,
    GroupName: group,
    ScheduleExpression: 'cron(30 4 * * ? *)',
    ScheduleExpressionTimezone: 'Europe/Berlin',
    StartDate: new Date('2024-01-01T00:00:00Z'),
    EndDate: new Date('2030-01-01T00:00:00Z'),
    Description: 'Deletes expired sessions',
    State: 'ENABLED',
    KmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`,
    FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
    ActionAfterCompletion: 'NONE',
    CreationDate: new Date('2024-01-01T00:00:00Z'),
    LastModificationDate: new Date('2024-02-01T00:00:00Z'),
    Target: {
      Arn: cluster('prod'),
      RoleArn: schedulerRole,
      Input: '{"containerOverrides":[{"name":"app","command":["npm","run","cleanup"]}]}',
      RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 },
      DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq` },
      EcsParameters: {
        TaskDefinitionArn: taskDefinition,
        TaskCount: 1,
        LaunchType: 'FARGATE',
        EnableECSManagedTags: true,
        Tags: [{ team: 'web' }],
      },
    },
    ...extra,
  };
}

export interface Call {
  op: 'listRules' | 'listTargets' | 'putTargets' | 'listSchedules' | 'getSchedule' | 'updateSchedule';
  args: unknown[];
}

export interface FakeWorld {
  rules?: Record<string, EventBridgeTarget[]>;
  schedules?: ScheduleDetail[];
}

export interface FakeOptions {
  /** An error to throw from an operation (for a given rule or schedule name, or any). */
  fail?: { op: Call['op']; name?: string; error: unknown }[];
  /** PutTargets' FailedEntries for these target Ids. */
  refuse?: Record<string, string>;
}

export function fakePorts(world: FakeWorld, options: FakeOptions = {}) {
  const rules = structuredClone(world.rules ?? {});
  const schedules = structuredClone(world.schedules ?? []);
  const calls: Call[] = [];
  const record = (op: Call['op'], name: string | undefined, ...args: unknown[]) => {
    calls.push({ op, args: structuredClone(args) });
    const failure = options.fail?.find((f) => f.op === op && (f.name === undefined || f.name === name));
    if (failure) throw failure.error;
  };
  const find = (name: string, group = 'default') =>
    schedules.find((s) => s.Name === name && (s.GroupName ?? 'default') === group);
  const ports: SchedulePorts = {
    eventBridge: {
      async listRules() {
        record('listRules', undefined);
        return Object.keys(rules).map((name) => ({ name, state: 'ENABLED' }));
      },
      async listTargets(rule) {
        record('listTargets', rule, rule);
        return rules[rule] && structuredClone(rules[rule]);
      },
      async putTargets(rule, targets): Promise<FailedTarget[]> {
        record('putTargets', rule, rule, targets);
        const failed: FailedTarget[] = [];
        for (const target of targets) {
          const refused = options.refuse?.[target.Id!];
          if (refused) {
            failed.push({ targetId: target.Id!, errorCode: 'ValidationException', errorMessage: refused });
            continue;
          }
          const list = rules[rule];
          const index = list.findIndex((t) => t.Id === target.Id);
          if (index >= 0) list[index] = structuredClone(target);
          else list.push(structuredClone(target));
        }
        return failed;
      },
    },
    scheduler: {
      async listSchedules() {
        record('listSchedules', undefined);
        return schedules.map((s) => ({
          name: s.Name!,
          group: s.GroupName ?? 'default',
          targetArn: s.Target?.Arn,
          state: s.State,
        }));
      },
      async getSchedule(name, group) {
        record('getSchedule', name, name, group);
        const found = find(name, group);
        return found && structuredClone(found);
      },
      async updateSchedule(detail) {
        record('updateSchedule', detail.Name, detail);
        const index = schedules.findIndex((s) => s === find(detail.Name!, detail.GroupName));
        schedules[index] = structuredClone(detail);
      },
    },
  };
  return { ports, calls, rules, schedules };
}

export function logger() {
  const lines: string[] = [];
  return { lines, info: (line: string) => void lines.push(line) };
}
