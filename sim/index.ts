/**
 * A local simulator of the ECS and CodeDeploy endpoints the action uses. Real SDK v3 clients pointed
 * at it (AWS_ENDPOINT_URL) see the same wire protocol, fields and errors as from AWS; durations run
 * in scaled time so a whole blue/green deployment takes a second or two.
 */
import type { Server } from 'node:http';
import { SimClock } from './clock.js';
import { CodeDeploySimulator } from './codedeploy.js';
import { type SimDeploymentView, deploymentView } from './codedeploy-model.js';
import { EcsSimulator } from './ecs.js';
import { FaultBook } from './faults.js';
import { defaultTimings, type Scenario } from './scenarios.js';
import { listen, type RecordedRequest } from './server.js';
import { type RecordedChange, World } from './world.js';

export type { RecordedChange, RecordedRequest, Scenario, SimDeploymentView };
export * from './scenarios.js';

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
  /** Closes the server and cancels every timer. */
  stop(): Promise<void>;
}

export const defaultMsPerMinute = 100;

export async function startSimulator(scenario: Scenario, options: SimulatorOptions = {}): Promise<Simulator> {
  const region = scenario.region ?? 'us-east-1';
  const accountId = scenario.accountId ?? '123456789012';
  const clock = new SimClock(options.msPerMinute ?? defaultMsPerMinute);
  const faults = new FaultBook(scenario.faults ?? []);
  const world = new World(region, accountId, clock, { ...defaultTimings, ...scenario.timings }, faults);

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
  const { server, url } = await listen(
    { ecs: ecs.allHandlers(), codedeploy: codeDeploy.handlers },
    faults,
    requests,
    options.port,
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
      AWS_ENDPOINT_URL_ECS: url,
      AWS_ENDPOINT_URL_CODEDEPLOY: url,
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
