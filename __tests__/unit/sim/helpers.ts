/** Shared set-up for the simulator's tests: real SDK clients pointed at a running simulator. */
import { createHash } from 'node:crypto';
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Simulator } from '../../../sim/index.js';

export const msPerMinute = 20;

/** Real SDK clients pointed at the simulator; `region` is the one they sign for (default the scenario's). */
export function clientsFor(sim: Simulator, region = sim.region) {
  const config = {
    endpoint: sim.url,
    region,
    credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test-secret' },
  };
  return {
    ecs: new ECSClient(config),
    codeDeploy: new CodeDeployClient(config),
    ecr: new ECRClient(config),
    iam: new IAMClient(config),
    ssm: new SSMClient(config),
    secretsManager: new SecretsManagerClient(config),
    logs: new CloudWatchLogsClient(config),
    eventBridge: new EventBridgeClient(config),
    scheduler: new SchedulerClient(config),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every few milliseconds until it returns something truthy (or fails after `timeoutMs`). */
export async function eventually<T>(probe: () => T | Promise<T>, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/** Registers web:<n> with a new image, as the action does. */
export async function registerNewRevision(ecs: ECSClient, image = 'web:2'): Promise<string> {
  const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
  const {
    family,
    containerDefinitions,
    networkMode,
    requiresCompatibilities,
    cpu,
    memory,
    executionRoleArn,
  } = taskDefinition!;
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode,
      requiresCompatibilities,
      cpu,
      memory,
      executionRoleArn,
      containerDefinitions: containerDefinitions!.map((c) => (c.name === 'app' ? { ...c, image } : c)),
    }),
  );
  return registered.taskDefinition!.taskDefinitionArn!;
}

export function appSpecYaml(
  taskDefinitionArn: string,
  options: { containerName?: string; hooks?: string } = {},
) {
  return [
    'version: 0.0',
    'Resources:',
    '  - TargetService:',
    '      Type: AWS::ECS::Service',
    '      Properties:',
    `        TaskDefinition: "${taskDefinitionArn}"`,
    '        LoadBalancerInfo:',
    `          ContainerName: "${options.containerName ?? 'app'}"`,
    '          ContainerPort: 8080',
    '        PlatformVersion: "LATEST"',
    ...(options.hooks ? ['Hooks:', options.hooks] : []),
  ].join('\n');
}

export async function createDeployment(
  codeDeploy: CodeDeployClient,
  content: string,
  extra: { deploymentConfigName?: string } = {},
): Promise<string> {
  const { deploymentId } = await codeDeploy.send(
    new CreateDeploymentCommand({
      applicationName: 'AppECS-prod-web',
      deploymentGroupName: 'DgpECS-prod-web',
      revision: {
        revisionType: 'AppSpecContent',
        appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') },
      },
      ...extra,
    }),
  );
  return deploymentId!;
}

export async function getDeployment(
  codeDeploy: CodeDeployClient,
  deploymentId: string,
): Promise<DeploymentInfo> {
  return (await codeDeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!;
}

export async function waitForStatus(
  codeDeploy: CodeDeployClient,
  deploymentId: string,
  statuses: string[],
  timeoutMs = 5000,
): Promise<DeploymentInfo> {
  return eventually(async () => {
    const info = await getDeployment(codeDeploy, deploymentId);
    return statuses.includes(info.status!) ? info : undefined;
  }, timeoutMs);
}

/** The `what` of every change recorded for `resource`, in order. */
export function changesOf(sim: Simulator, resource: string): string[] {
  return sim.changes.filter((change) => change.resource === resource).map((change) => change.what);
}
