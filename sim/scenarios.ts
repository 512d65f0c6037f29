/**
 * What the simulator starts with: plain JSON-able data (so a scenario can live in a file), plus
 * ready-made builders for the shapes the tests, demo and benchmarks need.
 */

export type LifecycleEventName =
  | 'BeforeInstall'
  | 'Install'
  | 'AfterInstall'
  | 'AllowTestTraffic'
  | 'AfterAllowTestTraffic'
  | 'BeforeAllowTraffic'
  | 'AllowTraffic'
  | 'AfterAllowTraffic';

export type Fault =
  /** A lifecycle hook fails: a CodeDeploy event name (e.g. AfterAllowTestTraffic) or an ECS-native stage (e.g. POST_SCALE_UP). */
  | { kind: 'hookFails'; event: string; message?: string; logTail?: string }
  /** The first `count` calls of `operation` answer ThrottlingException (400, default), InternalFailure (500), or a credentials error (AccessDeniedException, ExpiredTokenException: 400). */
  | {
      kind: 'operationErrors';
      operation: string;
      count: number;
      error?: 'ThrottlingException' | 'InternalFailure' | 'AccessDeniedException' | 'ExpiredTokenException';
    }
  /** An earlier deployment keeps the group busy for `minutes` (present at start). Defaults to the first group. */
  | { kind: 'groupBusy'; minutes: number; applicationName?: string; deploymentGroupName?: string }
  /** A CodeDeploy deployment hangs in this lifecycle event forever (until stopped). */
  | { kind: 'neverFinishes'; event: LifecycleEventName }
  /**
   * Tasks of a new (non-baseline) task definition keep stopping. Without `count` it never ends by itself:
   * CodeDeploy's Install fails after `timings.installFailure`, an ECS circuit breaker trips at its
   * threshold, and without a breaker ECS keeps launching replacements until the deployment is stopped.
   * With `count`, only the first `count` tasks of each new revision stop (a flaky start), then they run.
   */
  | {
      kind: 'tasksKeepStopping';
      count?: number;
      /** Default EssentialContainerExited; TaskFailedToStart for e.g. a CannotPullContainerError (no startedAt, no logs). */
      stopCode?: 'EssentialContainerExited' | 'TaskFailedToStart';
      stoppedReason?: string;
      exitCode?: number;
      containerReason?: string;
      /** What the essential container printed (its awslogs stream); default: a Node app's crash. */
      logLines?: string[];
    }
  /** A one-off task (RunTask) exits with `exitCode` from `container` (default: its first container). */
  | {
      kind: 'oneOffTaskExits';
      container?: string;
      exitCode: number;
      reason?: string;
      /** What that container printed (its awslogs stream); default: a crash, or a clean run for exit code 0. */
      logLines?: string[];
    }
  /** The first `count` calls of `operation` (default CreateDeployment) take effect, then the connection is destroyed unanswered. */
  | { kind: 'responseLost'; operation?: string; count: number }
  /** Every call of `operation` takes effect at once, but its answer comes `ms` real milliseconds later. */
  | { kind: 'slowAnswer'; operation: string; ms: number }
  /** ListServiceDeployments lags behind UpdateService: its first `calls` calls list nothing (eventual consistency). */
  | { kind: 'serviceDeploymentsListedLate'; calls: number };

/** Durations in simulated minutes. */
export interface Timings {
  /** Created → InProgress. */
  start: number;
  /** The Install event: replacement tasks start one by one over this time. */
  install: number;
  /** Each hook event that names a Lambda in the AppSpec (events without one succeed at once). */
  hook: number;
  /** The AllowTestTraffic event. */
  testTraffic: number;
  /** Before the first production traffic step (AllAtOnce: the whole AllowTraffic event). */
  trafficShift: number;
  /** How long Install keeps trying when tasks keep stopping, before it fails. */
  installFailure: number;
  /** A CodeDeploy rollback deployment from start to Succeeded; an ECS rollback's pause before draining the failed revision. */
  rollback: number;
  /** ECS rolling / native: one task starting (or stopping) step. */
  taskStart: number;
  /** ECS-native blue/green: each lifecycle stage without anything else to wait for. */
  stage: number;
  /** A one-off task (RunTask) from start to exit. */
  oneOffTask: number;
}

export const defaultTimings: Timings = {
  start: 0.1,
  install: 1,
  hook: 0.5,
  testTraffic: 0.2,
  trafficShift: 0.2,
  installFailure: 2,
  rollback: 0.5,
  taskStart: 0.25,
  stage: 0.1,
  oneOffTask: 0.5,
};

export interface ScenarioLoadBalancer {
  /** An ALB/NLB target group; a Classic Load Balancer has `loadBalancerName` instead. */
  targetGroupArn?: string;
  loadBalancerName?: string;
  containerName: string;
  containerPort: number;
}

export interface ScenarioDeploymentConfiguration {
  strategy?: 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
  bakeTimeInMinutes?: number;
  maximumPercent?: number;
  minimumHealthyPercent?: number;
  deploymentCircuitBreaker?: { enable: boolean; rollback: boolean };
  linearConfiguration?: { stepPercent?: number; stepBakeTimeInMinutes?: number };
  canaryConfiguration?: { canaryPercent?: number; canaryBakeTimeInMinutes?: number };
  lifecycleHooks?: {
    targetType?: 'AWS_LAMBDA' | 'PAUSE';
    hookTargetArn?: string;
    roleArn?: string;
    lifecycleStages: string[];
    timeoutConfiguration?: { timeoutInMinutes?: number; timeoutAction?: 'CONTINUE' | 'ROLLBACK' };
  }[];
  alarms?: { alarmNames: string[]; enable: boolean; rollback: boolean };
}

export interface ScenarioService {
  name: string;
  /** family:revision, family, or ARN of a task definition in `taskDefinitions`. */
  taskDefinition: string;
  desiredCount?: number;
  deploymentController?: 'CODE_DEPLOY' | 'ECS' | 'EXTERNAL';
  deploymentConfiguration?: ScenarioDeploymentConfiguration;
  loadBalancers?: ScenarioLoadBalancer[];
  networkConfiguration?: {
    awsvpcConfiguration: {
      subnets: string[];
      securityGroups?: string[];
      assignPublicIp?: 'ENABLED' | 'DISABLED';
    };
  };
  platformVersion?: string;
  launchType?: 'FARGATE' | 'EC2' | 'EXTERNAL';
  capacityProviderStrategy?: { capacityProvider: string; weight?: number; base?: number }[];
  status?: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  roleArn?: string;
  /** Service events present at start, oldest first. */
  events?: string[];
}

export interface ScenarioCluster {
  name: string;
  services: ScenarioService[];
}

/** A RegisterTaskDefinition input (family and containerDefinitions required), plus its tags. */
export interface ScenarioTaskDefinition {
  family: string;
  containerDefinitions: {
    name: string;
    image: string;
    portMappings?: { containerPort: number; hostPort?: number; protocol?: string }[];
    essential?: boolean;
    [key: string]: unknown;
  }[];
  tags?: { key: string; value: string }[];
  [key: string]: unknown;
}

export interface ScenarioDeploymentGroup {
  name: string;
  ecsServices: { clusterName: string; serviceName: string }[];
  deploymentConfigName?: string;
  terminationWaitTimeInMinutes?: number;
  deploymentReadyOption?: {
    actionOnTimeout: 'CONTINUE_DEPLOYMENT' | 'STOP_DEPLOYMENT';
    waitTimeInMinutes?: number;
  };
  autoRollbackConfiguration?: {
    enabled: boolean;
    events?: ('DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM' | 'DEPLOYMENT_STOP_ON_REQUEST')[];
  };
  loadBalancerInfo?: {
    targetGroupPairInfoList: {
      targetGroups: { name: string }[];
      prodTrafficRoute: { listenerArns: string[] };
      testTrafficRoute?: { listenerArns: string[] };
    }[];
  };
  serviceRoleArn?: string;
}

export interface ScenarioApplication {
  name: string;
  deploymentGroups: ScenarioDeploymentGroup[];
}

export interface ScenarioDeploymentConfig {
  name: string;
  trafficRoutingConfig: {
    type: 'AllAtOnce' | 'TimeBasedCanary' | 'TimeBasedLinear';
    timeBasedCanary?: { canaryPercentage: number; canaryInterval: number };
    timeBasedLinear?: { linearPercentage: number; linearInterval: number };
  };
}

/** An image pushed to ECR. */
export interface ScenarioEcrImage {
  /** A later image naming a tag an earlier one holds takes the tag over, as a push does. */
  tags: string[];
  /** Default `imageDigest(repository, tags[0])`. */
  digest?: string;
  /** `os/architecture[/variant]`; default ['linux/amd64']. One platform and no `index`: a single manifest. */
  platforms?: string[];
  /** Push as a manifest list (docker, the default for several platforms) or an OCI image index (oci). */
  index?: 'docker' | 'oci';
  /** An OCI index also lists a provenance attestation per platform (platform unknown/unknown), as buildx pushes it; default true. */
  attestations?: boolean;
}

export interface ScenarioEcrRepository {
  name: string;
  /** The registry (account id); default the scenario's account. */
  registryId?: string;
  /** Default the scenario's region. */
  region?: string;
  images: ScenarioEcrImage[];
}

export interface ScenarioIamRole {
  name: string;
  /** Service principals allowed to assume the role; default ['ecs-tasks.amazonaws.com']. */
  trustedServices?: string[];
  /** The whole trust policy instead (wins over trustedServices). */
  assumeRolePolicyDocument?: unknown;
}

export interface ScenarioSsmParameter {
  /** With or without a leading '/', exactly as SSM stores it. */
  name: string;
  type?: 'String' | 'SecureString' | 'StringList';
}

export interface ScenarioSecret {
  name: string;
  /** The 6 characters Secrets Manager appends to the ARN (`…:secret:<name>-<suffix>`); default derived from the name. */
  arnSuffix?: string;
}

/** Resources outside ECS the task definition refers to (all in the scenario's account and region unless said). */
export interface ScenarioAccountResources {
  ecr?: {
    repositories: ScenarioEcrRepository[];
    /** Pull-through cache rules' repository prefixes (e.g. `docker-hub`): ECR creates those repositories on first pull. */
    pullThroughCachePrefixes?: string[];
  };
  iam?: { roles: ScenarioIamRole[] };
  ssm?: { parameters: ScenarioSsmParameter[] };
  secretsManager?: { secrets: ScenarioSecret[] };
  /** CloudWatch Logs group names. */
  logs?: { groups: string[] };
}

/** An EventBridge rule target in the PutTargets wire shape (`Id`, `Arn`, `RoleArn`, `EcsParameters`, `Input`, …). */
export type ScenarioRuleTarget = Record<string, unknown> & { Id: string; Arn: string };

export interface ScenarioRule {
  name: string;
  /** Default `default`. */
  eventBusName?: string;
  /** `rate(…)` / `cron(…)`; a rule has this, an event pattern, or both. */
  scheduleExpression?: string;
  eventPattern?: string;
  /** Default ENABLED. */
  state?: 'ENABLED' | 'DISABLED';
  description?: string;
  targets: ScenarioRuleTarget[];
}

/** An EventBridge Scheduler schedule; `target` and `flexibleTimeWindow` in the wire shape (`Arn`, `RoleArn`, `EcsParameters`, …). */
export interface ScenarioSchedule {
  name: string;
  /** Default `default`. */
  groupName?: string;
  scheduleExpression: string;
  scheduleExpressionTimezone?: string;
  /** Default ENABLED. */
  state?: 'ENABLED' | 'DISABLED';
  description?: string;
  /** Default `{ Mode: 'OFF' }`. */
  flexibleTimeWindow?: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  target: Record<string, unknown> & { Arn: string; RoleArn: string };
}

/** Scheduled work that runs the app: EventBridge rules and Scheduler schedules. */
export interface ScenarioSchedules {
  eventBridge?: { rules: ScenarioRule[] };
  scheduler?: { schedules: ScenarioSchedule[] };
}

export interface Scenario extends ScenarioAccountResources, ScenarioSchedules {
  region?: string;
  accountId?: string;
  /** Registered in order at start; revisions count up per family. */
  taskDefinitions: ScenarioTaskDefinition[];
  clusters: ScenarioCluster[];
  codeDeploy?: {
    applications: ScenarioApplication[];
    deploymentConfigs?: ScenarioDeploymentConfig[];
  };
  timings?: Partial<Timings>;
  faults?: Fault[];
}

const region = 'us-east-1';
const accountId = '123456789012';
const targetGroupArn = (name: string): string =>
  `arn:aws:elasticloadbalancing:${region}:${accountId}:targetgroup/${name}/0123456789abcdef`;
const listenerArn = (port: number): string =>
  `arn:aws:elasticloadbalancing:${region}:${accountId}:listener/app/web-alb/0123456789abcdef/${port}`;

/**
 * Task definition family `web` revision 1: container `app` on 8080 (image web:1 in the account's ECR,
 * logs to `/ecs/web` with prefix `ecs`) plus a port-less `sidecar`; execution role `ecsTaskExecutionRole`.
 */
export function webTaskDefinition(): ScenarioTaskDefinition {
  return {
    family: 'web',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    executionRoleArn: `arn:aws:iam::${accountId}:role/ecsTaskExecutionRole`,
    containerDefinitions: [
      {
        name: 'app',
        image: `${accountId}.dkr.ecr.${region}.amazonaws.com/web:1`,
        essential: true,
        portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
        environment: [{ name: 'STAGE', value: 'prod' }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': '/ecs/web',
            'awslogs-region': region,
            'awslogs-stream-prefix': 'ecs',
          },
        },
      },
      {
        name: 'sidecar',
        image: 'public.ecr.aws/aws-observability/aws-otel-collector:latest',
        essential: false,
      },
    ],
    tags: [{ key: 'team', value: 'web' }],
  };
}

/** The tags of ECR repository `web` (123456789012, us-east-1) in every builder's scenario: one linux/amd64 image each. */
export const webImageTags = ['1', '2', '1.2.3', 'abc123', '4f2a9c1'];

/** What webTaskDefinition() refers to, so that verifying the stock scenario passes. */
function webResources(): Required<ScenarioAccountResources> {
  return {
    ecr: {
      repositories: [
        {
          name: 'web',
          registryId: accountId,
          region,
          images: webImageTags.map((tag) => ({ tags: [tag], platforms: ['linux/amd64'] })),
        },
      ],
    },
    iam: { roles: [{ name: 'ecsTaskExecutionRole', trustedServices: ['ecs-tasks.amazonaws.com'] }] },
    ssm: { parameters: [] },
    secretsManager: { secrets: [] },
    logs: { groups: ['/ecs/web'] },
  };
}

const sameRepository = (a: ScenarioEcrRepository, b: ScenarioEcrRepository): boolean =>
  a.name === b.name &&
  (a.registryId ?? accountId) === (b.registryId ?? accountId) &&
  (a.region ?? region) === (b.region ?? region);

/** Later entries win by name (a repository's images are pushed after the ones it has). */
function byName<T extends { name: string }>(base: T[], extra: T[] = []): T[] {
  return [...base.filter((item) => !extra.some((other) => other.name === item.name)), ...extra];
}

/** The builders' resources plus the options' own: repositories gain images, roles/parameters/secrets of the same name are replaced. */
function withResources(
  base: Required<ScenarioAccountResources>,
  extra: ScenarioAccountResources,
): Required<ScenarioAccountResources> {
  const repositories = structuredClone(base.ecr.repositories);
  for (const repository of structuredClone(extra.ecr?.repositories ?? [])) {
    const same = repositories.find((existing) => sameRepository(existing, repository));
    if (same) same.images.push(...repository.images);
    else repositories.push(repository);
  }
  return {
    ecr: { repositories },
    iam: { roles: byName(base.iam.roles, structuredClone(extra.iam?.roles)) },
    ssm: { parameters: byName(base.ssm.parameters, structuredClone(extra.ssm?.parameters)) },
    secretsManager: {
      secrets: byName(base.secretsManager.secrets, structuredClone(extra.secretsManager?.secrets)),
    },
    logs: { groups: [...new Set([...base.logs.groups, ...(extra.logs?.groups ?? [])])] },
  };
}

function webService(overrides: Partial<ScenarioService>): ScenarioService {
  const name = overrides.name ?? 'web';
  return {
    name,
    taskDefinition: 'web:1',
    desiredCount: 2,
    loadBalancers: [
      { targetGroupArn: targetGroupArn(`${name}-blue`), containerName: 'app', containerPort: 8080 },
    ],
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
        securityGroups: ['sg-0123abcd'],
        assignPublicIp: 'DISABLED',
      },
    },
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    status: 'ACTIVE',
    events: [`(service ${name}) has reached a steady state.`],
    ...overrides,
  };
}

/** One more service in cluster `prod`, shaped like `web` (ALB target group `<name>-blue`, awsvpc, FARGATE). */
export interface ExtraServiceOptions {
  name: string;
  deploymentController: 'CODE_DEPLOY' | 'ECS';
  /** ECS controller: default rolling with the circuit breaker; `{ strategy: 'BLUE_GREEN', … }` for ECS-native blue/green. */
  deploymentConfiguration?: ScenarioDeploymentConfiguration;
  /** Default the builder's `web:1`. */
  taskDefinition?: string;
  desiredCount?: number;
}

/** What every builder takes besides its own options. */
export interface CommonScenarioOptions extends ScenarioAccountResources, ScenarioSchedules {
  /** More services in cluster `prod`; a CODE_DEPLOY one gets application `AppECS-prod-<name>`, group `DgpECS-prod-<name>`. */
  services?: ExtraServiceOptions[];
  /** More task definitions, registered after `web:1` in order. */
  taskDefinitions?: ScenarioTaskDefinition[];
}

const rollingConfiguration = (): ScenarioDeploymentConfiguration => ({
  strategy: 'ROLLING',
  maximumPercent: 200,
  minimumHealthyPercent: 100,
  deploymentCircuitBreaker: { enable: true, rollback: true },
});

function extraService(options: ExtraServiceOptions): ScenarioService {
  return webService({
    name: options.name,
    deploymentController: options.deploymentController,
    desiredCount: options.desiredCount ?? 2,
    taskDefinition: options.taskDefinition ?? 'web:1',
    ...(options.deploymentController === 'ECS'
      ? { deploymentConfiguration: options.deploymentConfiguration ?? rollingConfiguration() }
      : {}),
  });
}

/** A CodeDeploy application and deployment group for a CODE_DEPLOY service (`<name>-blue`/`<name>-green`). */
function codeDeployApplication(
  service: string,
  group: Partial<ScenarioDeploymentGroup> = {},
): ScenarioApplication {
  return {
    name: `AppECS-prod-${service}`,
    deploymentGroups: [
      {
        name: `DgpECS-prod-${service}`,
        ecsServices: [{ clusterName: 'prod', serviceName: service }],
        deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
        terminationWaitTimeInMinutes: 5,
        deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
        loadBalancerInfo: {
          targetGroupPairInfoList: [
            {
              targetGroups: [{ name: `${service}-blue` }, { name: `${service}-green` }],
              prodTrafficRoute: { listenerArns: [listenerArn(443)] },
              testTrafficRoute: { listenerArns: [listenerArn(8443)] },
            },
          ],
        },
        serviceRoleArn: `arn:aws:iam::${accountId}:role/ecsCodeDeployRole`,
        ...group,
      },
    ],
  };
}

/** Adds the common options to a builder's scenario: extra services (and their CodeDeploy groups), task definitions, schedules. */
function withCommon(scenario: Scenario, options: CommonScenarioOptions): Scenario {
  scenario.taskDefinitions.push(...structuredClone(options.taskDefinitions ?? []));
  const extras = options.services ?? [];
  scenario.clusters[0].services.push(...extras.map(extraService));
  const codeDeployed = extras.filter((service) => service.deploymentController === 'CODE_DEPLOY');
  if (codeDeployed.length) {
    scenario.codeDeploy ??= { applications: [], deploymentConfigs: [] };
    scenario.codeDeploy.applications.push(
      ...codeDeployed.map((service) => codeDeployApplication(service.name)),
    );
    if (!scenario.iam?.roles.some((role) => role.name === 'ecsCodeDeployRole')) {
      scenario.iam?.roles.push({ name: 'ecsCodeDeployRole', trustedServices: ['codedeploy.amazonaws.com'] });
    }
  }
  if (options.eventBridge) scenario.eventBridge = structuredClone(options.eventBridge);
  if (options.scheduler) scenario.scheduler = structuredClone(options.scheduler);
  return scenario;
}

/** Every builder option also takes ScenarioAccountResources, added to the builder's own. */
export interface CodeDeployScenarioOptions extends CommonScenarioOptions {
  deploymentConfigName?: string;
  terminationWaitTimeInMinutes?: number;
  deploymentReadyOption?: ScenarioDeploymentGroup['deploymentReadyOption'];
  autoRollbackConfiguration?: ScenarioDeploymentGroup['autoRollbackConfiguration'];
  deploymentConfigs?: ScenarioDeploymentConfig[];
  desiredCount?: number;
  faults?: Fault[];
  timings?: Partial<Timings>;
}

/**
 * Cluster `prod`, service `web` (CODE_DEPLOY, ALB, container `app`:8080, awsvpc, FARGATE LATEST) on
 * task definition `web:1`; application `AppECS-prod-web`, group `DgpECS-prod-web`,
 * `CodeDeployDefault.ECSAllAtOnce`, termination wait 5 minutes, rollback on failure. Also ECR `web`
 * (webImageTags), roles `ecsTaskExecutionRole` and `ecsCodeDeployRole`, log group `/ecs/web`.
 */
export function codeDeployScenario(options: CodeDeployScenarioOptions = {}): Scenario {
  const resources = webResources();
  resources.iam.roles.push({ name: 'ecsCodeDeployRole', trustedServices: ['codedeploy.amazonaws.com'] });
  return withCommon(
    {
      region,
      accountId,
      ...withResources(resources, options),
      taskDefinitions: [webTaskDefinition()],
      clusters: [
        {
          name: 'prod',
          services: [
            webService({ deploymentController: 'CODE_DEPLOY', desiredCount: options.desiredCount ?? 2 }),
          ],
        },
      ],
      codeDeploy: {
        applications: [
          codeDeployApplication('web', {
            deploymentConfigName: options.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce',
            terminationWaitTimeInMinutes: options.terminationWaitTimeInMinutes ?? 5,
            deploymentReadyOption: options.deploymentReadyOption ?? {
              actionOnTimeout: 'CONTINUE_DEPLOYMENT',
              waitTimeInMinutes: 0,
            },
            autoRollbackConfiguration: options.autoRollbackConfiguration ?? {
              enabled: true,
              events: ['DEPLOYMENT_FAILURE'],
            },
          }),
        ],
        deploymentConfigs: options.deploymentConfigs ?? [],
      },
      timings: options.timings ?? {},
      faults: options.faults ?? [],
    },
    options,
  );
}

export interface EcsScenarioOptions extends CommonScenarioOptions {
  deploymentConfiguration?: ScenarioDeploymentConfiguration;
  desiredCount?: number;
  faults?: Fault[];
  timings?: Partial<Timings>;
}

/**
 * Cluster `prod`, service `web` with the ECS controller, rolling updates and the circuit breaker with
 * rollback; ECR `web` (webImageTags), role `ecsTaskExecutionRole`, log group `/ecs/web`.
 */
export function rollingScenario(options: EcsScenarioOptions = {}): Scenario {
  return withCommon(
    {
      region,
      accountId,
      ...withResources(webResources(), options),
      taskDefinitions: [webTaskDefinition()],
      clusters: [
        {
          name: 'prod',
          services: [
            webService({
              deploymentController: 'ECS',
              desiredCount: options.desiredCount ?? 2,
              deploymentConfiguration: options.deploymentConfiguration ?? rollingConfiguration(),
            }),
          ],
        },
      ],
      timings: options.timings ?? {},
      faults: options.faults ?? [],
    },
    options,
  );
}

/**
 * Like rollingScenario, but behind a Classic Load Balancer: ECS then returns no `rolloutState` for the
 * service's deployments (ECS API reference, Deployment), and the circuit breaker is not available.
 */
export function classicLoadBalancerScenario(options: EcsScenarioOptions = {}): Scenario {
  const scenario = rollingScenario({
    ...options,
    deploymentConfiguration: options.deploymentConfiguration ?? {
      strategy: 'ROLLING',
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
  });
  scenario.clusters[0].services[0].loadBalancers = [
    { loadBalancerName: 'web-classic', containerName: 'app', containerPort: 8080 },
  ];
  return scenario;
}

/** Like rollingScenario, but ECS-native blue/green (strategy BLUE_GREEN, 2 minutes bake) unless overridden. */
export function ecsBlueGreenScenario(options: EcsScenarioOptions = {}): Scenario {
  return rollingScenario({
    ...options,
    deploymentConfiguration: options.deploymentConfiguration ?? {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 2,
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
  });
}

const webSubnets = {
  awsvpcConfiguration: {
    Subnets: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
    SecurityGroups: ['sg-0123abcd'],
    AssignPublicIp: 'DISABLED',
  },
};
const clusterArn = `arn:aws:ecs:${region}:${accountId}:cluster/prod`;
const taskDefinitionArn = (ref: string): string =>
  `arn:aws:ecs:${region}:${accountId}:task-definition/${ref}`;
const eventsRoleArn = `arn:aws:iam::${accountId}:role/ecsEventsRole`;
const schedulerRoleArn = `arn:aws:iam::${accountId}:role/ecsSchedulerRole`;

/**
 * The scheduled work of releaseScenario(): EventBridge rules `web-nightly` (cron, ECS target `web:1`,
 * plus a Lambda target), `web-hourly` (rate, `web:1`), `reports-daily` (family `reports`), `audit` (SNS
 * only); Scheduler schedules `web-cleanup` (`web:1`, default group), `web-warmup` (`web:1`, group
 * `jobs`, DISABLED), `reports-weekly` (family `reports`), `ping` (a Lambda).
 */
export function scheduledWork(): Required<ScenarioSchedules> {
  const ecsTarget = (
    id: string,
    revision: string,
    extra: Record<string, unknown> = {},
  ): ScenarioRuleTarget => ({
    Id: id,
    Arn: clusterArn,
    RoleArn: eventsRoleArn,
    EcsParameters: {
      TaskDefinitionArn: taskDefinitionArn(revision),
      TaskCount: 1,
      LaunchType: 'FARGATE',
      NetworkConfiguration: webSubnets,
      PlatformVersion: 'LATEST',
    },
    ...extra,
  });
  const lambda = `arn:aws:lambda:${region}:${accountId}:function:notify`;
  const ecsScheduleTarget = (revision: string, extra: Record<string, unknown> = {}) => ({
    Arn: clusterArn,
    RoleArn: schedulerRoleArn,
    EcsParameters: {
      TaskDefinitionArn: taskDefinitionArn(revision),
      TaskCount: 1,
      LaunchType: 'FARGATE',
      NetworkConfiguration: webSubnets,
      PlatformVersion: 'LATEST',
      EnableECSManagedTags: true,
      Tags: [{ team: 'web' }],
    },
    RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 },
    ...extra,
  });
  return {
    eventBridge: {
      rules: [
        {
          name: 'web-nightly',
          scheduleExpression: 'cron(0 3 * * ? *)',
          description: 'Nightly batch of the web app',
          targets: [
            ecsTarget('web-batch', 'web:1', {
              Input: JSON.stringify({
                containerOverrides: [{ name: 'app', command: ['npm', 'run', 'batch'] }],
              }),
            }),
            { Id: 'notify', Arn: lambda },
          ],
        },
        { name: 'web-hourly', scheduleExpression: 'rate(1 hour)', targets: [ecsTarget('web-sync', 'web:1')] },
        {
          name: 'reports-daily',
          scheduleExpression: 'rate(1 day)',
          targets: [ecsTarget('reports', 'reports:1')],
        },
        {
          name: 'audit',
          eventPattern: JSON.stringify({ source: ['aws.ecs'] }),
          targets: [{ Id: 'sns', Arn: `arn:aws:sns:${region}:${accountId}:audit` }],
        },
      ],
    },
    scheduler: {
      schedules: [
        {
          name: 'web-cleanup',
          scheduleExpression: 'cron(30 4 * * ? *)',
          scheduleExpressionTimezone: 'Europe/Berlin',
          description: 'Deletes expired sessions',
          flexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
          target: ecsScheduleTarget('web:1', {
            Input: JSON.stringify({
              containerOverrides: [{ name: 'app', command: ['npm', 'run', 'cleanup'] }],
            }),
            DeadLetterConfig: { Arn: `arn:aws:sqs:${region}:${accountId}:scheduler-dlq` },
          }),
        },
        {
          name: 'web-warmup',
          groupName: 'jobs',
          scheduleExpression: 'rate(5 minutes)',
          state: 'DISABLED',
          target: ecsScheduleTarget('web:1'),
        },
        {
          name: 'reports-weekly',
          scheduleExpression: 'rate(7 days)',
          target: ecsScheduleTarget('reports:1'),
        },
        {
          name: 'ping',
          scheduleExpression: 'rate(1 minute)',
          target: { Arn: lambda, RoleArn: schedulerRoleArn, Input: '{}' },
        },
      ],
    },
  };
}

/** Family `reports` revision 1: one container `report` (image web:1), logs to `/ecs/web`. */
export function reportsTaskDefinition(): ScenarioTaskDefinition {
  const web = webTaskDefinition();
  return {
    ...web,
    family: 'reports',
    containerDefinitions: [{ ...web.containerDefinitions[0], name: 'report', portMappings: [] }],
    tags: [{ key: 'team', value: 'reports' }],
  };
}

/**
 * One family, several services and its scheduled work: task definitions `web:1`, `web:2` (image web:2)
 * and `reports:1`; in cluster `prod` services `web` (CODE_DEPLOY, group `DgpECS-prod-web`), `worker`
 * (rolling) and `admin` (ECS-native blue/green), all on `web:2`; the rules and schedules of
 * scheduledWork() (whose web targets still run `web:1`).
 */
export function releaseScenario(options: CodeDeployScenarioOptions = {}): Scenario {
  const web2 = webTaskDefinition();
  web2.containerDefinitions[0].image = `${accountId}.dkr.ecr.${region}.amazonaws.com/web:2`;
  const scenario = codeDeployScenario({
    ...scheduledWork(),
    ...options,
    taskDefinitions: [web2, reportsTaskDefinition(), ...(options.taskDefinitions ?? [])],
    services: options.services ?? [
      { name: 'worker', deploymentController: 'ECS', taskDefinition: 'web:2' },
      {
        name: 'admin',
        deploymentController: 'ECS',
        taskDefinition: 'web:2',
        deploymentConfiguration: {
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: 2,
          maximumPercent: 200,
          minimumHealthyPercent: 100,
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      },
    ],
  });
  scenario.clusters[0].services[0].taskDefinition = 'web:2';
  scenario.iam?.roles.push(
    { name: 'ecsEventsRole', trustedServices: ['events.amazonaws.com'] },
    { name: 'ecsSchedulerRole', trustedServices: ['scheduler.amazonaws.com'] },
  );
  return scenario;
}

/** Builders by name, for sim/main.ts. */
export const scenarioBuilders: Record<string, () => Scenario> = {
  codedeploy: () => codeDeployScenario(),
  rolling: () => rollingScenario(),
  'ecs-bluegreen': () => ecsBlueGreenScenario(),
  release: () => releaseScenario(),
};
