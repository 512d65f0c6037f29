/** CloudWatch Logs state: groups per region, their streams and events (written by stopping tasks). */

export interface LogEvent {
  /** Epoch milliseconds. */
  timestamp: number;
  message: string;
  ingestionTime: number;
}

export interface LogStream {
  name: string;
  creationTime: number;
  /** Oldest first. */
  events: LogEvent[];
}

export interface LogGroup {
  name: string;
  region: string;
  /** Epoch milliseconds. */
  creationTime: number;
  streams: Map<string, LogStream>;
}

export class LogStore {
  private readonly groups = new Map<string, LogGroup>();

  constructor(readonly accountId: string) {}

  createGroup(region: string, name: string, creationTime = Date.now()): LogGroup {
    const key = `${region} ${name}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { name, region, creationTime, streams: new Map() };
      this.groups.set(key, group);
    }
    return group;
  }

  group(region: string, name: string): LogGroup | undefined {
    return this.groups.get(`${region} ${name}`);
  }

  /** The region's groups, sorted by name as DescribeLogGroups lists them. */
  groupsIn(region: string): LogGroup[] {
    return [...this.groups.values()]
      .filter((group) => group.region === region)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** `arn:aws:logs:<region>:<account>:log-group:<name>` (DescribeLogGroups' `arn` adds `:*`). */
  groupArn(group: LogGroup): string {
    return `arn:aws:logs:${group.region}:${this.accountId}:log-group:${group.name}`;
  }

  storedBytes(group: LogGroup): number {
    let bytes = 0;
    for (const stream of group.streams.values())
      for (const event of stream.events) bytes += Buffer.byteLength(event.message);
    return bytes;
  }

  /** Appends to the stream (created on first write, as the awslogs driver creates it). */
  write(group: LogGroup, streamName: string, events: LogEvent[]): void {
    let stream = group.streams.get(streamName);
    if (!stream) {
      stream = { name: streamName, creationTime: events[0]?.timestamp ?? Date.now(), events: [] };
      group.streams.set(streamName, stream);
    }
    stream.events.push(...events);
    stream.events.sort((a, b) => a.timestamp - b.timestamp);
  }
}
