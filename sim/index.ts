/**
 * A local simulator of the AWS endpoints the action uses: ECS and CodeDeploy, for verification
 * and logs ECR, IAM, SSM, Secrets Manager and CloudWatch Logs, and for scheduled tasks EventBridge
 * rules and EventBridge Scheduler. Real SDK v3 clients pointed at it
 * (AWS_ENDPOINT_URL) see the same wire protocol, fields and errors as from AWS; durations run in
 * scaled time so a whole blue/green deployment takes a second or two.
 */
import type { Server } from 'node:http';
import { SimClock } from './clock.js';
import { CodeDeploySimulator } from './codedeploy.js';
import { type SimDeploymentView, deploymentView } from './codedeploy-model.js';
import { BLOB_PATH, EcrSimulator } from './ecr.js';
import { EcrRegistry } from './ecr-registry.js';
import { EcsSimulator } from './ecs.js';
import { EventBridgeSimulator } from './eventbridge.js';
import { FaultBook } from './faults.js';
import { IamSimulator } from './iam.js';
import { LogStore } from './log-store.js';
import { LogsSimulator } from './logs.js';
import { defaultTimings, type Scenario } from './scenarios.js';
import { SecretsManagerSimulator } from './secrets-manager.js';
import { listen, type RecordedRequest } from './server.js';
import { SchedulerSimulator, type SimSchedule } from './scheduler.js';
import { SsmSimulator } from './ssm.js';
import { type RecordedChange, World } from './world.js';

export type { RecordedChange, RecordedRequest, Scenario, SimDeploymentView, SimSchedule };
export * from './scenarios.js';
export { imageDigest } from './ecr-images.js';
export { secretArn } from './secrets-manager.js';

export interface SimulatorOptions {
  /** Real milliseconds per simulated minute; default 100. */
  msPerMinute?: number;
  /** Default 0: a free port. */
  port?: number;
}

export interface Simulator {
  readonly url: string;
  readonly region: string;
  readonly accountId: string;
  /** Env for a child process / SDK pointed here: endpoint, region, fake credentials, no IMDS, no profile. */
  env(): Record<string, string>;
  /** Every request, in order. */
  readonly requests: RecordedRequest[];
  /** Every state change, in order. */
  readonly changes: RecordedChange[];
  /** Current state of a CodeDeploy deployment (a detached snapshot), or undefined. */
  deployment(id: string): SimDeploymentView | undefined;
  deployments(): SimDeploymentView[];
  /** An EventBridge rule's targets now (a detached snapshot), or undefined for a missing rule. */
  ruleTargets(rule: string, eventBusName?: string): Record<string, unknown>[] | undefined;
  /** The task definition ARN a service runs now (its primary deployment's). */
  serviceTaskDefinition(cluster: string, service: string): string;
  /** A Scheduler schedule now, as GetSchedule answers it (dates in epoch seconds), or undefined. */
  schedule(name: string, groupName?: string): SimSchedule | undefined;
  /** Closes the server and cancels every timer. */
  stop(): Promise<void>;
}

export const defaultMsPerMinute = 100;

export async function startSimulator(scenario: Scenario, options: SimulatorOptions = {}): Promise<Simulator> {
  const region = scenario.region ?? 'us-east-1';
  const accountId = scenario.accountId ?? '123456789012';
  const clock = new SimClock(options.msPerMinute ?? defaultMsPerMinute);
  const faults = new FaultBook(scenario.faults ?? []);
  const startedAt = clock.nowSeconds();
  const registry = new EcrRegistry(scenario.ecr?.repositories ?? [], accountId, region, startedAt);
  const logs = new LogStore(accountId);
  // Groups that were there before the simulator started.
  for (const group of scenario.logs?.groups ?? [])
    logs.createGroup(region, group, (startedAt - 30 * 86_400) * 1000);
  const timings = { ...defaultTimings, ...scenario.timings };
  const world = new World(region, accountId, clock, timings, faults, registry, logs);

  for (const taskDefinition of scenario.taskDefinitions) {
    const registered = world.registerTaskDefinition(taskDefinition, `arn:aws:iam::${accountId}:root`);
    world.baselineTaskDefinitions.add(registered.taskDefinition.taskDefinitionArn);
  }
  for (const clusterInput of scenario.clusters) {
    const cluster = world.addCluster(clusterInput.name);
    for (const service of clusterInput.services) world.addService(cluster, service);
  }
  const ecs = new EcsSimulator(world);
  const codeDeploy = new CodeDeploySimulator(world, scenario);
  const requests: RecordedRequest[] = [];
  const record = (resource: string, what: string) => world.record(resource, what);
  const eventBridge = new EventBridgeSimulator(scenario.eventBridge?.rules ?? [], region, accountId, record);
  const scheduler = new SchedulerSimulator(
    scenario.scheduler?.schedules ?? [],
    region,
    accountId,
    startedAt - 7 * 86_400,
    () => clock.nowSeconds(),
    record,
  );
  const resourcesCreatedAt = startedAt - 7 * 86_400;
  const { server, url } = await listen(
    {
      ecs: ecs.allHandlers(),
      codedeploy: codeDeploy.handlers,
      ecr: new EcrSimulator(registry, scenario.ecr?.pullThroughCachePrefixes ?? []).handlers,
      iam: new IamSimulator(scenario.iam?.roles ?? [], accountId).handlers,
      ssm: new SsmSimulator(scenario.ssm?.parameters ?? [], region, accountId, resourcesCreatedAt).handlers,
      secretsmanager: new SecretsManagerSimulator(
        scenario.secretsManager?.secrets ?? [],
        region,
        accountId,
        resourcesCreatedAt,
      ).handlers,
      logs: new LogsSimulator(logs).handlers,
      events: eventBridge.handlers,
      scheduler: scheduler.handlers,
    },
    faults,
    requests,
    region,
    options.port,
    (urlPath) => (urlPath.startsWith(BLOB_PATH) ? registry.blob(urlPath.slice(BLOB_PATH.length)) : undefined),
  );

  return {
    url,
    region,
    accountId,
    requests,
    changes: world.changes,
    env: () => ({
      AWS_ENDPOINT_URL: url,
      // The per-service variables win over AWS_ENDPOINT_URL, so an inherited one must not point elsewhere.
      // Each is AWS_ENDPOINT_URL_ + the client's serviceId, upper-cased, spaces as underscores.
      AWS_ENDPOINT_URL_ECS: url,
      AWS_ENDPOINT_URL_CODEDEPLOY: url,
      AWS_ENDPOINT_URL_ECR: url,
      AWS_ENDPOINT_URL_IAM: url,
      AWS_ENDPOINT_URL_SSM: url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: url,
      AWS_ENDPOINT_URL_SCHEDULER: url,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'AKIASIMULATOR0000000',
      AWS_SECRET_ACCESS_KEY: 'simulator-secret-access-key',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PROFILE: '',
    }),
    deployment: (id) => {
      const deployment = codeDeploy.deployments.get(id);
      return deployment && deploymentView(deployment);
    },
    deployments: () => [...codeDeploy.deployments.values()].map(deploymentView),
    ruleTargets: (rule, eventBusName) => eventBridge.targets(rule, eventBusName),
    serviceTaskDefinition: (cluster, service) => world.service(cluster, service).taskDefinition,
    schedule: (name, groupName) => scheduler.schedule(name, groupName),
    stop: () =>
      stopServer(server, () => {
        codeDeploy.stopAll();
        ecs.deployments.stopAll();
        ecs.oneOffTasks.stopAll();
        clock.stop();
      }),
  };
}

function stopServer(server: Server, cancelTimers: () => void): Promise<void> {
  cancelTimers();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
