/**
 * Why a task stops: the tasksKeepStopping fault, or what real ECS would run into launching it (an
 * image missing from a repository the scenario lists, an index without the task's platform, an
 * awslogs group that does not exist).
 */
import type { EcrRegistry } from './ecr-registry.js';
import { mediaTypes } from './ecr-images.js';
import type { LogStore } from './log-store.js';
import type { Fault, ScenarioTaskDefinition } from './scenarios.js';

export interface StopCause {
  stopCode: 'EssentialContainerExited' | 'TaskFailedToStart' | 'UserInitiated';
  stoppedReason: string;
  /** The container that failed; the others exit 0. Absent: every container gets `exitCode`. */
  container?: string;
  /** Not for TaskFailedToStart: its containers never ran. */
  exitCode?: number;
  containerReason?: string;
  /** What the failed container printed; default chosen by task-logs.ts. */
  logLines?: string[];
}

type ContainerDefinition = ScenarioTaskDefinition['containerDefinitions'][number];
type TaskDefinitionLike = Pick<ScenarioTaskDefinition, 'containerDefinitions'> & Record<string, unknown>;

export function essentialContainer(definition: TaskDefinitionLike): ContainerDefinition | undefined {
  return (
    definition.containerDefinitions.find((c) => c.essential !== false) ?? definition.containerDefinitions[0]
  );
}

export function cannotPull(image: string, detail: string): string {
  return `CannotPullContainerError: pull image manifest has been retried 7 time(s): ${detail.replaceAll('<image>', image)}`;
}

/** The tasksKeepStopping fault as a stop cause for a task of `definition`. */
export function faultStopCause(
  fault: Extract<Fault, { kind: 'tasksKeepStopping' }>,
  definition: TaskDefinitionLike,
): StopCause {
  const essential = essentialContainer(definition);
  if (fault.stopCode === 'TaskFailedToStart') {
    const reason =
      fault.stoppedReason ??
      cannotPull(essential?.image ?? '', 'failed to resolve ref <image>: <image>: not found');
    return {
      stopCode: 'TaskFailedToStart',
      stoppedReason: reason,
      container: essential?.name,
      containerReason: fault.containerReason ?? reason,
    };
  }
  return {
    stopCode: 'EssentialContainerExited',
    stoppedReason: fault.stoppedReason ?? 'Essential container in task exited',
    container: essential?.name,
    exitCode: fault.exitCode ?? 1,
    // An app's own exit leaves `reason` empty in ECS; OOM kills and the like set it.
    containerReason: fault.containerReason,
    logLines: fault.logLines,
  };
}

interface AwslogsOptions {
  'awslogs-group'?: string;
  'awslogs-region'?: string;
  'awslogs-stream-prefix'?: string;
  'awslogs-create-group'?: string;
}

/** The awslogs options of a container, if it logs with awslogs. */
export function awslogsOptions(container: ContainerDefinition): AwslogsOptions | undefined {
  const config = container.logConfiguration as { logDriver?: string; options?: AwslogsOptions } | undefined;
  return config?.logDriver === 'awslogs' ? (config.options ?? {}) : undefined;
}

const isIndex = (mediaType: string): boolean =>
  mediaType === mediaTypes.dockerManifestList || mediaType === mediaTypes.ociIndex;

const osArch = (platform: string): string => platform.split('/').slice(0, 2).join('/');

/** The image problems ECS meets pulling the task's images: not found, or no manifest for its platform. */
function imageProblem(definition: TaskDefinitionLike, registry: EcrRegistry): StopCause | undefined {
  const runtime = definition.runtimePlatform as { cpuArchitecture?: string } | undefined;
  const platform = `linux/${runtime?.cpuArchitecture === 'ARM64' ? 'arm64' : 'amd64'}`;
  for (const container of definition.containerDefinitions) {
    const resolved = registry.resolve(container.image);
    if (!resolved) continue;
    const { image } = resolved;
    if (!image) {
      const reason = cannotPull(container.image, 'failed to resolve ref <image>: <image>: not found');
      return {
        stopCode: 'TaskFailedToStart',
        stoppedReason: reason,
        container: container.name,
        containerReason: reason,
      };
    }
    if (image.platforms.some((p) => osArch(p) === platform)) continue;
    if (isIndex(image.manifestMediaType)) {
      const reason = cannotPull(
        container.image,
        `image Manifest does not contain descriptor matching platform '${platform}'`,
      );
      return {
        stopCode: 'TaskFailedToStart',
        stoppedReason: reason,
        container: container.name,
        containerReason: reason,
      };
    }
    // A single manifest names no platform: it pulls, and the binary cannot run on this CPU.
    if (container.essential !== false) {
      return {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        container: container.name,
        exitCode: 255,
        logLines: ['exec /usr/local/bin/docker-entrypoint.sh: exec format error'],
      };
    }
  }
  return undefined;
}

/** A missing awslogs group stops the task before it starts, unless awslogs-create-group creates it. */
function loggerProblem(
  definition: TaskDefinitionLike,
  logs: LogStore,
  region: string,
): StopCause | undefined {
  for (const container of definition.containerDefinitions) {
    const options = awslogsOptions(container);
    const groupName = options?.['awslogs-group'];
    if (!options || !groupName) continue;
    const groupRegion = options['awslogs-region'] ?? region;
    if (logs.group(groupRegion, groupName)) continue;
    if (options['awslogs-create-group'] === 'true') {
      logs.createGroup(groupRegion, groupName);
      continue;
    }
    return {
      stopCode: 'TaskFailedToStart',
      stoppedReason:
        'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.',
      container: container.name,
    };
  }
  return undefined;
}

/** What stops a task of `definition` at launch, in the order ECS meets it (pull, then logger); creates groups with awslogs-create-group. */
export function launchProblem(
  definition: TaskDefinitionLike,
  registry: EcrRegistry,
  logs: LogStore,
  region: string,
): StopCause | undefined {
  const pull = imageProblem(definition, registry);
  if (pull?.stopCode === 'TaskFailedToStart') return pull;
  return loggerProblem(definition, logs, region) ?? pull;
}
