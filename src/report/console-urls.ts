/**
 * Links into the AWS console for the resources a deployment touches. Pure: the region decides the
 * partition, and with it the console host (commercial, China, GovCloud).
 */

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

const CONSOLE_HOSTS: Record<Partition, string> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/** The partition a region belongs to, from its prefix (cn-north-1 → aws-cn, us-gov-west-1 → aws-us-gov). */
export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** `https://<console host>` for the region's partition. */
export function consoleOrigin(region: string): string {
  return `https://${CONSOLE_HOSTS[partitionOf(region)]}`;
}

/**
 * The name part of an ECS ARN or the value itself: `arn:aws:ecs:…:cluster/prod` → `prod`,
 * `arn:aws:ecs:…:task/prod/0a1b…` → `0a1b…`.
 */
export function lastArnSegment(value: string): string {
  if (!value.startsWith('arn:')) return value;
  const resource = value.split(':').slice(5).join(':');
  const parts = resource.split('/');
  return parts[parts.length - 1] ?? resource;
}

/** A cluster given by name or by ARN, as the name the console uses. */
export function clusterName(cluster: string): string {
  return lastArnSegment(cluster);
}

/** `family:revision` of a task definition ARN (or the value as given when it is not an ARN). */
export function taskDefinitionName(taskDefinitionArn: string): string {
  const marker = ':task-definition/';
  const at = taskDefinitionArn.indexOf(marker);
  return at === -1 ? taskDefinitionArn : taskDefinitionArn.slice(at + marker.length);
}

function url(region: string, path: string): string {
  return `${consoleOrigin(region)}/${path}?region=${encodeURIComponent(region)}`;
}

const seg = encodeURIComponent;

/** The CodeDeploy deployment page (lifecycle events, traffic shift, stop/rollback buttons). */
export function codeDeployDeploymentUrl(region: string, deploymentId: string): string {
  return url(region, `codesuite/codedeploy/deployments/${seg(deploymentId)}`);
}

/** The ECS service page. `cluster` may be a name or an ARN. */
export function ecsServiceUrl(region: string, cluster: string, service: string): string {
  return url(
    region,
    `ecs/v2/clusters/${seg(clusterName(cluster))}/services/${seg(lastArnSegment(service))}/health`,
  );
}

/** One task's page (containers, exit codes, stopped reason). `taskArn` may also be the bare task id. */
export function ecsTaskUrl(region: string, cluster: string, taskArn: string): string {
  return url(
    region,
    `ecs/v2/clusters/${seg(clusterName(cluster))}/tasks/${seg(lastArnSegment(taskArn))}/configuration`,
  );
}

/** A task definition revision's page. Accepts an ARN or `family:revision`. */
export function taskDefinitionUrl(region: string, taskDefinitionArn: string): string {
  const name = taskDefinitionName(taskDefinitionArn);
  const colon = name.lastIndexOf(':');
  if (colon === -1) return url(region, `ecs/v2/task-definitions/${seg(name)}`);
  const family = name.slice(0, colon);
  const revision = name.slice(colon + 1);
  return url(region, `ecs/v2/task-definitions/${seg(family)}/${seg(revision)}/containers`);
}

/** An ECS-native service deployment's page (blue/green, linear, canary or rolling). */
export function serviceDeploymentUrl(
  region: string,
  cluster: string,
  service: string,
  serviceDeploymentArn: string,
): string {
  return url(
    region,
    `ecs/v2/clusters/${seg(clusterName(cluster))}/services/${seg(lastArnSegment(service))}/deployments/${seg(
      lastArnSegment(serviceDeploymentArn),
    )}`,
  );
}
