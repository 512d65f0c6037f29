/**
 * Where each container's logs go, read from its logConfiguration: an awslogs group (and the stream a
 * given task writes to), or another driver, named so the report can say where to look. Pure.
 */

export type LogDestination =
  | {
      kind: 'awslogs';
      container: string;
      group?: string;
      region: string;
      streamPrefix?: string;
      createGroup: boolean;
    }
  | { kind: 'other'; container: string; driver: string; where: string }
  | { kind: 'none'; container: string };

interface ContainerLogs {
  name?: string;
  essential?: boolean;
  logConfiguration?: { logDriver?: string; options?: Record<string, string> };
  firelensConfiguration?: { type?: string };
}

export function logDestinations(
  taskDefinition: Record<string, unknown>,
  taskRegion: string,
): LogDestination[] {
  const containers = (
    Array.isArray(taskDefinition.containerDefinitions) ? taskDefinition.containerDefinitions : []
  ) as ContainerLogs[];
  return containers.map((container) => destinationOf(container, taskRegion));
}

/** The essential containers (those whose exit stops the task): the ones whose last words matter. */
export function essentialContainers(taskDefinition: Record<string, unknown>): string[] {
  const containers = (
    Array.isArray(taskDefinition.containerDefinitions) ? taskDefinition.containerDefinitions : []
  ) as ContainerLogs[];
  return containers.filter((c) => c.essential !== false && typeof c.name === 'string').map((c) => c.name!);
}

function destinationOf(container: ContainerLogs, taskRegion: string): LogDestination {
  const name = container.name ?? 'container';
  const driver = container.logConfiguration?.logDriver;
  const options = container.logConfiguration?.options ?? {};
  if (!driver) return { kind: 'none', container: name };
  if (driver === 'awslogs') {
    return {
      kind: 'awslogs',
      container: name,
      group: options['awslogs-group'] || undefined,
      region: options['awslogs-region'] || taskRegion,
      streamPrefix: options['awslogs-stream-prefix'] || undefined,
      // Docker parses the option as a boolean: true, True, TRUE, t, 1.
      createGroup: /^(1|t|true)$/i.test(options['awslogs-create-group'] ?? ''),
    };
  }
  return { kind: 'other', container: name, driver, where: whereLogsGo(driver, options) };
}

function whereLogsGo(driver: string, options: Record<string, string>): string {
  switch (driver) {
    case 'awsfirelens': {
      const output = options.Name ?? options.name;
      return `FireLens${output ? ` (output "${output}")` : ''}: see that output's destination`;
    }
    case 'splunk':
      return `Splunk${options['splunk-url'] ? ` at ${options['splunk-url']}` : ''}`;
    case 'fluentd':
      return `fluentd${options['fluentd-address'] ? ` at ${options['fluentd-address']}` : ''}`;
    case 'gelf':
      return `GELF${options['gelf-address'] ? ` at ${options['gelf-address']}` : ''}`;
    case 'syslog':
      return `syslog${options['syslog-address'] ? ` at ${options['syslog-address']}` : ''}`;
    case 'json-file':
    case 'journald':
      return `${driver} on the container instance`;
    default:
      return `the ${driver} log driver`;
  }
}

/**
 * The stream an awslogs container of a task writes to: `<prefix>/<container>/<task id>`; without a
 * prefix (EC2 only), the Docker container id, which DescribeTasks gives as the container's runtimeId.
 */
export function awslogsStream(
  destination: { streamPrefix?: string; container: string },
  taskArn: string,
  runtimeId?: string,
): string | undefined {
  if (destination.streamPrefix) {
    return `${destination.streamPrefix}/${destination.container}/${taskArn.split('/').pop()}`;
  }
  return runtimeId || undefined;
}
