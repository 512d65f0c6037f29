/**
 * EventBridge Scheduler: ListSchedules, GetSchedule, UpdateSchedule. UpdateSchedule replaces the whole
 * schedule, as AWS documents: every optional member not sent goes back to its default.
 */
import { SimError } from './errors.js';
import type { Handler } from './handler.js';
import { pageOf } from './paging.js';
import type { ScenarioSchedule } from './scenarios.js';

/** GetSchedule's answer, in the wire shape (dates as epoch seconds). */
export type SimSchedule = Record<string, unknown> & {
  Arn: string;
  Name: string;
  GroupName: string;
  State: 'ENABLED' | 'DISABLED';
  Target: Record<string, unknown> & { Arn: string; RoleArn: string };
  CreationDate: number;
  LastModificationDate: number;
};

/** Scheduler's defaults for members a create or update leaves out. */
const defaultRetryPolicy = { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 };

const replaceable = [
  'Description',
  'ScheduleExpressionTimezone',
  'StartDate',
  'EndDate',
  'KmsKeyArn',
] as const;

function validation(message: string): SimError {
  return new SimError('ValidationException', message);
}

export class SchedulerSimulator {
  /** By group, then name. */
  private readonly schedules: SimSchedule[];

  constructor(
    schedules: ScenarioSchedule[],
    private readonly region: string,
    private readonly accountId: string,
    createdAt: number,
    private readonly now: () => number,
    private readonly record: (resource: string, what: string) => void,
  ) {
    this.schedules = schedules
      .map((schedule) => {
        const groupName = schedule.groupName ?? 'default';
        return {
          Arn: `arn:aws:scheduler:${region}:${accountId}:schedule/${groupName}/${schedule.name}`,
          Name: schedule.name,
          GroupName: groupName,
          ScheduleExpression: schedule.scheduleExpression,
          ...(schedule.scheduleExpressionTimezone
            ? { ScheduleExpressionTimezone: schedule.scheduleExpressionTimezone }
            : {}),
          ...(schedule.description ? { Description: schedule.description } : {}),
          State: schedule.state ?? 'ENABLED',
          FlexibleTimeWindow: structuredClone(schedule.flexibleTimeWindow ?? { Mode: 'OFF' }),
          Target: { RetryPolicy: defaultRetryPolicy, ...structuredClone(schedule.target) },
          ActionAfterCompletion: 'NONE',
          CreationDate: createdAt,
          LastModificationDate: createdAt,
        };
      })
      .sort((a, b) => a.GroupName.localeCompare(b.GroupName) || a.Name.localeCompare(b.Name));
  }

  /** A snapshot of one schedule as GetSchedule would answer it, for tests. */
  schedule(name: string, groupName = 'default'): SimSchedule | undefined {
    const found = this.schedules.find((s) => s.Name === name && s.GroupName === groupName);
    return found && structuredClone(found);
  }

  private find(name: unknown, groupName: unknown, regionAsked: string): SimSchedule {
    const group = String(groupName ?? 'default');
    const found =
      regionAsked === this.region
        ? this.schedules.find((s) => s.Name === name && s.GroupName === group)
        : undefined;
    if (!found) throw new SimError('ResourceNotFoundException', `Schedule ${String(name)} does not exist.`);
    return found;
  }

  readonly handlers: Record<string, Handler> = {
    ListSchedules: (input, request) => {
      const maxResults = input.MaxResults ?? 100;
      if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
        throw validation(
          `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100`,
        );
      }
      if (input.State !== undefined && input.State !== 'ENABLED' && input.State !== 'DISABLED') {
        throw validation(
          `1 validation error detected: Value '${String(input.State)}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`,
        );
      }
      const all =
        request.region === this.region
          ? this.schedules.filter(
              (s) =>
                (input.GroupName === undefined || s.GroupName === input.GroupName) &&
                (input.NamePrefix === undefined || s.Name.startsWith(input.NamePrefix)) &&
                (input.State === undefined || s.State === input.State),
            )
          : [];
      const { items, nextToken } = pageOf(all, input.NextToken, maxResults, 'ValidationException');
      return {
        Schedules: items.map((s) => ({
          Arn: s.Arn,
          Name: s.Name,
          GroupName: s.GroupName,
          State: s.State,
          CreationDate: s.CreationDate,
          LastModificationDate: s.LastModificationDate,
          Target: { Arn: s.Target.Arn },
        })),
        NextToken: nextToken,
      };
    },
    GetSchedule: (input, request) => structuredClone(this.find(input.Name, input.GroupName, request.region)),
    UpdateSchedule: (input, request) => {
      if (!input.ScheduleExpression) throw validation('ScheduleExpression is required.');
      if (!input.FlexibleTimeWindow?.Mode) throw validation('FlexibleTimeWindow.Mode is required.');
      if (!input.Target?.Arn || !input.Target?.RoleArn)
        throw validation('Target.Arn and Target.RoleArn are required.');
      if (input.State !== undefined && input.State !== 'ENABLED' && input.State !== 'DISABLED') {
        throw validation(`Value '${String(input.State)}' at 'state' must be ENABLED or DISABLED.`);
      }
      const schedule = this.find(input.Name, input.GroupName, request.region);
      for (const member of replaceable) {
        if (input[member] === undefined) delete schedule[member];
        else schedule[member] = input[member];
      }
      schedule.ScheduleExpression = input.ScheduleExpression;
      schedule.FlexibleTimeWindow = structuredClone(input.FlexibleTimeWindow);
      schedule.State = input.State ?? 'ENABLED';
      schedule.ActionAfterCompletion = input.ActionAfterCompletion ?? 'NONE';
      schedule.Target = { RetryPolicy: defaultRetryPolicy, ...structuredClone(input.Target) };
      schedule.LastModificationDate = this.now();
      const { ClientToken: _token, ...sent } = input;
      this.record(schedule.Arn, `updated ${JSON.stringify(sent)}`);
      return { ScheduleArn: schedule.Arn };
    },
  };
}
