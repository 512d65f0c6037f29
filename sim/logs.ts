/** CloudWatch Logs DescribeLogGroups and GetLogEvents over the log store. */
import { SimError } from './errors.js';
import type { Handler } from './handler.js';
import type { LogGroup, LogStore } from './log-store.js';
import { pageOf } from './paging.js';

/** Opaque to clients; AWS's look like `f/3874…` and `b/3874…` (position in the stream). */
const token = (direction: 'f' | 'b', position: number): string =>
  `${direction}/${String(position).padStart(56, '0')}`;

function position(text: string | undefined): { direction: 'f' | 'b'; at: number } | undefined {
  if (text === undefined) return undefined;
  const match = /^([fb])\/(\d{56})$/.exec(text);
  if (!match) throw new SimError('InvalidParameterException', 'The specified nextToken is invalid.');
  return { direction: match[1] as 'f' | 'b', at: Number(match[2]) };
}

export class LogsSimulator {
  constructor(private readonly store: LogStore) {}

  private describe(group: LogGroup) {
    const arn = this.store.groupArn(group);
    return {
      logGroupName: group.name,
      creationTime: group.creationTime,
      metricFilterCount: 0,
      arn: `${arn}:*`,
      storedBytes: this.store.storedBytes(group),
      logGroupClass: 'STANDARD',
      logGroupArn: arn,
    };
  }

  /** A name, or an ARN (with or without `:*`). */
  private groupNamed(identifier: string, region: string): LogGroup | undefined {
    const name = identifier.startsWith('arn:')
      ? identifier.replace(/^arn:aws[^:]*:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, '')
      : identifier;
    return this.store.group(region, name);
  }

  readonly handlers: Record<string, Handler> = {
    DescribeLogGroups: (input, request) => {
      if (input.logGroupNamePrefix !== undefined && input.logGroupIdentifiers !== undefined) {
        throw new SimError(
          'InvalidParameterException',
          'LogGroupIdentifiers and LogGroupNamePrefix are mutually exclusive parameters.',
        );
      }
      const limit: number = input.limit ?? 50;
      if (limit < 1 || limit > 50) {
        throw new SimError(
          'InvalidParameterException',
          `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50`,
        );
      }
      const identifiers: string[] | undefined = input.logGroupIdentifiers;
      const prefix: string = input.logGroupNamePrefix ?? '';
      const all = identifiers
        ? identifiers
            .map((identifier) => this.groupNamed(identifier, request.region))
            .filter((group): group is LogGroup => group !== undefined)
        : this.store.groupsIn(request.region).filter((group) => group.name.startsWith(prefix));
      const { items, nextToken } = pageOf(all, input.nextToken, limit);
      return { logGroups: items.map((group) => this.describe(group)), nextToken };
    },

    GetLogEvents: (input, request) => {
      const identifier: string | undefined = input.logGroupIdentifier ?? input.logGroupName;
      const group = identifier ? this.groupNamed(identifier, request.region) : undefined;
      if (!group) throw new SimError('ResourceNotFoundException', 'The specified log group does not exist.');
      const stream = group.streams.get(String(input.logStreamName ?? ''));
      if (!stream)
        throw new SimError('ResourceNotFoundException', 'The specified log stream does not exist.');
      const events = stream.events.filter(
        (event) =>
          (input.startTime === undefined || event.timestamp >= input.startTime) &&
          (input.endTime === undefined || event.timestamp < input.endTime),
      );
      const limit: number = input.limit ?? 10_000;
      const requested = position(input.nextToken);
      const from = requested && { ...requested, at: Math.min(requested.at, events.length) };
      // Without a token: the oldest events with startFromHead, else the newest (oldest first within the page).
      let start: number;
      let end: number;
      if (from?.direction === 'f') [start, end] = [from.at, Math.min(from.at + limit, events.length)];
      else if (from?.direction === 'b') [start, end] = [Math.max(0, from.at - limit), from.at];
      else if (input.startFromHead === true) [start, end] = [0, Math.min(limit, events.length)];
      else [start, end] = [Math.max(0, events.length - limit), events.length];
      return {
        events: events
          .slice(start, end)
          .map(({ timestamp, message, ingestionTime }) => ({ timestamp, message, ingestionTime })),
        nextForwardToken: token('f', end),
        nextBackwardToken: token('b', start),
      };
    },
  };
}
