/** The real LogsPort: does an awslogs group exist, and the newest lines of a container's stream. */
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { callAws, deniedAs, isAwsErrorNamed } from './errors.js';
import type { LogEvent, LogsPort } from './ports.js';

export function createLogsPort(clientFor: (region: string) => CloudWatchLogsClient): LogsPort {
  return {
    async logGroupExists(region: string, logGroupName: string): Promise<boolean> {
      const output = await callAws(
        'CloudWatchLogs',
        'DescribeLogGroups',
        () =>
          clientFor(region).send(
            new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName, limit: 50 }),
          ),
        deniedAs('CloudWatchLogs', 'DescribeLogGroups'),
      );
      // A prefix search: only the exact name counts.
      return (output.logGroups ?? []).some((group) => group.logGroupName === logGroupName);
    },

    async lastLogEvents(region, logGroupName, logStreamName, limit): Promise<LogEvent[] | undefined> {
      try {
        const output = await callAws(
          'CloudWatchLogs',
          'GetLogEvents',
          () =>
            clientFor(region).send(
              new GetLogEventsCommand({ logGroupName, logStreamName, limit, startFromHead: false }),
            ),
          deniedAs('CloudWatchLogs', 'GetLogEvents'),
        );
        return (output.events ?? []).map((event) => ({ timestamp: event.timestamp, message: event.message }));
      } catch (error) {
        if (isAwsErrorNamed(error, 'ResourceNotFoundException')) return undefined;
        throw error;
      }
    },
  };
}
