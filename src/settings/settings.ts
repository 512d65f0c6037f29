/**
 * Everything the step was asked to do, parsed and validated by settings/inputs.ts from either front
 * end's inputs, grouped by concern. The rest of the code receives its part and never sees raw inputs.
 */

import type { ScheduledTasksSetting } from './scheduled-task-inputs.js';

/** How far the watch goes before the step succeeds (`wait-until` in the README). */
export type WaitUntil = 'shifted' | 'ready' | 'complete';
/** What to do with an in-flight deployment at the deadline or on cancel. */
export type OnStop = 'rollback' | 'leave';
/** What to do when an earlier deployment is still active in the group. */
export type OnConflict = 'wait' | 'stop' | 'fail';

/** A one-off task of the new revision (migrations), run before the service is updated. */
export interface RunTaskSettings {
  startedBy: string;
  launchType?: 'FARGATE' | 'EC2' | 'EXTERNAL';
  capacityProviderStrategy?: { capacityProvider: string; weight?: number; base?: number }[];
  /** Empty: the service's own network configuration, if there is a service. */
  subnets: string[];
  securityGroups: string[];
  assignPublicIp?: 'ENABLED' | 'DISABLED';
  containerOverrides?: {
    name?: string;
    command?: string[];
    environment?: { name: string; value: string }[];
  }[];
  tags?: { key: string; value: string }[];
  /** Unset: wait when a service is to be updated after it (a failed task must stop the release). */
  waitForStopped?: boolean;
  /** `run-task-managed-ebs-volume(-name)`. */
  managedEbsVolume?: ManagedEbsVolume;
}

/** Continue (promote) or roll back (abort) a deployment waiting at `ready`. */
export interface Continuation {
  action: 'promote' | 'abort';
  /** A CodeDeploy deployment id (d-XXXXXXXXX) or an ECS service deployment ARN. */
  target: string;
}

export type TaskDefinitionSource =
  | { kind: 'file'; path: string } // absolute path, resolved against the workspace
  | { kind: 'family'; family: string }
  | { kind: 'arn'; arn: string }
  | { kind: 'service' }; // the revision the service runs now (requires `service`)

/** Where the CodeDeploy AppSpec comes from. */
export type AppSpecSource =
  | { kind: 'file'; path: string } // absolute path
  | { kind: 'inline'; content: string }
  | { kind: 'generate' }; // no input and no appspec.yaml in the workspace

export interface ContainerImage {
  container: string;
  image: string;
}

export interface EnvironmentVariable {
  name: string;
  value: string;
}

/** Facts about the workflow run, for the deployment description and the summary. */
export interface RunContext {
  repository?: string; // owner/name
  sha?: string;
  ref?: string;
  serverUrl: string; // https://github.com
  runId?: string;
  runAttempt?: string;
  workflow?: string;
  actor?: string;
}

/** Where the task definition comes from (`task-definition`, `-family`, `-arn`, or the service's). */
export interface SourceSettings {
  taskDefinition: TaskDefinitionSource;
}

/** What is set on each of container-name's containers (the official render action's inputs). */
export interface ContainerSettings {
  /** `command`: replaces the container's command. */
  command?: string[];
  /** `secrets`: upserted by name. */
  secrets: { name: string; valueFrom: string }[];
  /** `env-files`: S3 object ARNs; replace the container's environmentFiles. */
  environmentFiles: string[];
  /** `docker-labels`: upserted into dockerLabels. */
  dockerLabels: { key: string; value: string }[];
  /** `log-configuration-log-driver` and `-options`: upserted into logConfiguration. */
  logDriver?: string;
  logOptions: { key: string; value: string }[];
}

/** Task-level fields set on the task definition. */
export interface TaskLevelSettings {
  taskRoleArn?: string;
  executionRoleArn?: string;
  cpu?: string;
  memory?: string;
}

/** How the task definition is changed before it is registered. */
export interface RenderSettings {
  container: ContainerSettings;
  taskLevel: TaskLevelSettings;
  /** From `container-name` + `image` and `images`; a container appears at most once. */
  containerImages: ContainerImage[];
  /** `environment-variables`, upserted into `environmentContainers` (the `container-name` list). */
  environmentVariables: EnvironmentVariable[];
  environmentContainers: string[];
  /** `keep-null-value-keys`: keys whose null/empty values survive cleaning. */
  keepNullValueKeys: string[];
}

/** One service the release goes to, with its cluster (`cluster`, or the one its `service` line names). */
export interface ServiceTarget {
  cluster: string;
  service: string;
}

/** `on-service-failure`: what one service's failed deployment does to the others of the step. */
export type OnServiceFailure = 'stop-others' | 'continue';

/** Where the release goes. Without a service the step renders only, or registers (release/reuse.ts). */
export interface TargetSettings {
  /** The first service's cluster (or `cluster` without a service). */
  cluster: string;
  /** The first service (the only one, unless `service` names several). */
  service?: string;
  /** Every service `service` names, in its order; one revision is deployed to each. */
  services: ServiceTarget[];
  /** `max-parallel`: deployments followed at once. */
  maxParallel: number;
  onServiceFailure: OnServiceFailure;
  /**
   * `register: true`: without a service, register the rendered task definition. Unset, a step with
   * something to render and no service only renders, as the official render action does.
   */
  register: boolean;
  /** `dry-run: true`: render, check and say what would change; register and deploy nothing. */
  dryRun: boolean;
}

/** The CODE_DEPLOY path's own inputs. */
export interface CodeDeploySettings {
  appSpec: AppSpecSource;
  application: string; // default AppECS-<cluster>-<service>
  deploymentGroup: string; // default DgpECS-<cluster>-<service>
  /** codedeploy-application / -deployment-group as given (unset: the defaults, per service). */
  given?: { application?: string; deploymentGroup?: string };
  deploymentConfig?: string;
  description?: string; // unset: built from RunContext
  /** What to do when an earlier deployment is still active in the group. */
  onConflict: OnConflict;
}

/** How far to follow the deployment, for how long, and what to do when that is cut short. */
export interface WaitSettings {
  /** `wait-for-service-stability: false`: start the deployment and end the step. */
  follow: boolean;
  minutes: number;
  until: WaitUntil;
  onTimeout: OnStop;
  onCancel: OnStop;
  /** `wait-max-delay-seconds`: the longest pause between two polls. */
  maxDelaySeconds?: number;
}

/** `verify`: what a failed check before change does (strict: fails the step; warn: a warning). */
export type VerifyMode = 'strict' | 'warn' | 'off';

/** The checks that catch a costly failure early: before any change, and while the new tasks start. */
export interface CheckSettings {
  verify: VerifyMode;
  /**
   * `max-task-failures`: tasks of the new revision that may fail to start before the step stops the
   * deployment with rollback. Unset: scaled with the desired count (release/crash-loop.ts); 0: never.
   */
  maxTaskFailures?: number;
  /** `app-logs`: show the app's last log lines in failure reports (they are the app's output, secrets and all). */
  appLogs: boolean;
}

/** One `volumeConfigurations` entry: a task definition volume that is configuredAtLaunch, and its EBS settings. */
export interface ManagedEbsVolume {
  name: string;
  managedEBSVolume: Record<string, unknown>;
}

/** UpdateService fields the user set (anything unset keeps the service's own value). */
export interface ServiceUpdateSettings {
  desiredCount?: number;
  forceNewDeployment: boolean;
  enableEcsManagedTags?: boolean;
  propagateTags?: 'TASK_DEFINITION' | 'SERVICE' | 'NONE';
  /** `service-managed-ebs-volume(-name)`. */
  managedEbsVolume?: ManagedEbsVolume;
}

/** Where the step runs: paths, the run it belongs to, retries, which inputs were given. */
export interface RunnerSettings {
  /** $GITHUB_WORKSPACE (or cwd) and $RUNNER_TEMP (or the OS temp dir). */
  workspace: string;
  runnerTemp: string;
  run: RunContext;
  maxRetries?: number;
  /** The inputs that were set (non-empty, action.yml defaults included): to warn about ones with no effect. */
  givenInputs: readonly string[];
}

/** What follows a successful release: the scheduled tasks moved onto it, old revisions deregistered. */
export interface AfterReleaseSettings {
  /** `scheduled-tasks`: EventBridge rules and Scheduler schedules to point at the new revision. */
  scheduledTasks?: ScheduledTasksSetting;
  /** `deregister-old-revisions`: the newest N ACTIVE revisions of the family are kept. */
  keepRevisions?: number;
}

/** Everything the step was asked to do, grouped by concern; each part of the engine takes its slice. */
export interface Settings {
  source: SourceSettings;
  render: RenderSettings;
  target: TargetSettings;
  codeDeploy: CodeDeploySettings;
  wait: WaitSettings;
  checks: CheckSettings;
  serviceUpdate: ServiceUpdateSettings;
  /** `run-task: true`: a one-off task of the new revision before the service update. */
  runTask?: RunTaskSettings;
  /** `promote` / `abort`: act on an existing deployment instead of releasing a new revision. */
  continuation?: Continuation;
  afterRelease: AfterReleaseSettings;
  runner: RunnerSettings;
}
