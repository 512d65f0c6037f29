/** Parses and checks a CodeDeploy ECS AppSpec the way CreateDeployment does. */
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { SimError } from './errors.js';
import type { World } from './world.js';

export interface ParsedAppSpec {
  taskDefinitionArn: string;
  containerName: string;
  containerPort: number;
  /** Lifecycle event → Lambda function name, from `Hooks`. */
  hooks: Record<string, string>;
}

function invalid(message: string): SimError {
  return new SimError('InvalidRevisionException', message);
}

type Untyped = Record<string, unknown>;

export function parseAppSpec(content: string, sha256: string | undefined, world: World): ParsedAppSpec {
  if (sha256) {
    const actual = createHash('sha256').update(content, 'utf8').digest('hex');
    if (actual !== sha256.toLowerCase()) {
      throw invalid('The AppSpec content does not match the provided SHA-256 hash.');
    }
  }
  let document: Untyped;
  try {
    document = parse(content) as Untyped; // YAML is a superset of JSON
  } catch (error) {
    throw invalid(`The AppSpec file could not be parsed: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!document || typeof document !== 'object') throw invalid('The AppSpec file is empty or not a mapping.');
  const resources = document.Resources;
  if (!Array.isArray(resources) || resources.length === 0) {
    throw invalid(
      'The AppSpec file must specify exactly one resource of type AWS::ECS::Service under Resources.',
    );
  }
  const resource = Object.values(resources[0] as Untyped)[0] as Untyped | undefined;
  if (resource?.Type !== 'AWS::ECS::Service') {
    throw invalid('The AppSpec file must specify a resource of type AWS::ECS::Service.');
  }
  const properties = (resource.Properties ?? {}) as Untyped;
  const taskDefinitionArn = properties.TaskDefinition;
  if (typeof taskDefinitionArn !== 'string' || taskDefinitionArn === '') {
    throw invalid('The AppSpec file does not specify a TaskDefinition for the AWS::ECS::Service resource.');
  }
  const registered = world.taskDefinitions.get(taskDefinitionArn);
  if (!registered || registered.taskDefinition.status !== 'ACTIVE') {
    throw invalid(
      `The ECS task definition ${taskDefinitionArn} in the AppSpec file is not valid or does not exist.`,
    );
  }
  const loadBalancerInfo = (properties.LoadBalancerInfo ?? {}) as Untyped;
  const containerName = loadBalancerInfo.ContainerName;
  const containerPort = Number(loadBalancerInfo.ContainerPort);
  if (typeof containerName !== 'string' || !Number.isInteger(containerPort)) {
    throw invalid('The AppSpec file must specify LoadBalancerInfo with ContainerName and ContainerPort.');
  }
  const container = registered.taskDefinition.containerDefinitions.find((c) => c.name === containerName);
  if (!container) {
    throw invalid(
      `The container name ${containerName} in the AppSpec file does not match any container in the task definition ${taskDefinitionArn}.`,
    );
  }
  if (!(container.portMappings ?? []).some((mapping) => mapping.containerPort === containerPort)) {
    throw invalid(
      `The container port ${containerPort} in the AppSpec file is not a port mapping of container ${containerName} in the task definition ${taskDefinitionArn}.`,
    );
  }
  const hooks: Record<string, string> = {};
  for (const entry of (document.Hooks ?? []) as Untyped[]) {
    for (const [event, lambda] of Object.entries(entry ?? {})) hooks[event] = String(lambda);
  }
  return { taskDefinitionArn, containerName, containerPort, hooks };
}
