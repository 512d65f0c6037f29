/**
 * The real SchedulerPort: schedules of every group, one schedule whole, and UpdateSchedule. AWS
 * documents UpdateSchedule as a full replacement (a member not sent goes back to its default), so the
 * update is built from GetSchedule's answer with every settable member copied.
 */
import {
  GetScheduleCommand,
  ListSchedulesCommand,
  UpdateScheduleCommand,
  type SchedulerClient,
  type UpdateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { UserError } from '../text/errors.js';
import { isAwsErrorNamed } from './errors.js';
import type { ScheduleDetail, ScheduleSummary, SchedulerPort } from './ports.js';
import { callScheduleApi } from './schedules.js';

/** 100 a page (ListSchedules' most); the cap only guards against a token that never ends. */
const PAGE_SIZE = 100;
const MAX_PAGES = 100;

export function createSchedulerPort(client: SchedulerClient): SchedulerPort {
  return {
    async listSchedules(): Promise<ScheduleSummary[]> {
      const schedules: ScheduleSummary[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        // No GroupName: every group's schedules.
        const output = await callScheduleApi({ service: 'Scheduler', operation: 'ListSchedules' }, () =>
          client.send(new ListSchedulesCommand({ MaxResults: PAGE_SIZE, NextToken: nextToken })),
        );
        for (const schedule of output.Schedules ?? []) {
          if (!schedule.Name) continue;
          schedules.push({
            name: schedule.Name,
            group: schedule.GroupName ?? 'default',
            targetArn: schedule.Target?.Arn,
            state: schedule.State,
          });
        }
        nextToken = output.NextToken;
        if (!nextToken) break;
      }
      return schedules;
    },

    async getSchedule(name: string, group?: string): Promise<ScheduleDetail | undefined> {
      try {
        const { $metadata: _metadata, ...detail } = await callScheduleApi(
          { service: 'Scheduler', operation: 'GetSchedule', subject: scheduleSubject(name, group) },
          () => client.send(new GetScheduleCommand({ Name: name, GroupName: group })),
        );
        return detail;
      } catch (error) {
        if (isAwsErrorNamed(error, 'ResourceNotFoundException')) return undefined;
        throw error;
      }
    },

    async updateSchedule(detail: ScheduleDetail): Promise<void> {
      const input = updateScheduleInput(detail);
      await callScheduleApi(
        {
          service: 'Scheduler',
          operation: 'UpdateSchedule',
          subject: scheduleSubject(input.Name ?? '', input.GroupName),
          mutating: true,
        },
        () => client.send(new UpdateScheduleCommand(input)),
      );
    },
  };
}

/**
 * UpdateSchedule's input from GetSchedule's answer: every member UpdateSchedule takes, copied as read
 * (`satisfies` fails the build when the SDK adds one that is not copied here). Left out: Arn and the
 * two dates AWS keeps itself; ClientToken, which the SDK fills in (one per call, kept across retries).
 */
export function updateScheduleInput(detail: ScheduleDetail): UpdateScheduleCommandInput {
  const { Name, ScheduleExpression, Target, FlexibleTimeWindow } = detail;
  if (!Name || !ScheduleExpression || !Target || !FlexibleTimeWindow) {
    // GetSchedule always answers these for a schedule that exists; without one the update would reset it.
    throw new UserError(
      `Scheduler GetSchedule answered schedule ${JSON.stringify(Name ?? '')} without its ` +
        'name, expression, target or flexible time window, so it was not updated (UpdateSchedule replaces the whole schedule).',
    );
  }
  const input = {
    Name,
    GroupName: detail.GroupName,
    ScheduleExpression,
    ScheduleExpressionTimezone: detail.ScheduleExpressionTimezone,
    StartDate: detail.StartDate,
    EndDate: detail.EndDate,
    Description: detail.Description,
    State: detail.State,
    KmsKeyArn: detail.KmsKeyArn,
    Target,
    FlexibleTimeWindow,
    ActionAfterCompletion: detail.ActionAfterCompletion,
  } satisfies Record<Exclude<keyof UpdateScheduleCommandInput, 'ClientToken'>, unknown>;
  return input;
}

function scheduleSubject(name: string, group: string | undefined): string {
  return `schedule ${JSON.stringify(`${group ?? 'default'}/${name}`)}`;
}
