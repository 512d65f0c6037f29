/**
 * The narrow interfaces through which ecs-shift reaches AWS: only the calls it makes. The real
 * implementations (ecs.ts, codedeploy.ts) translate every SDK error into a UserError that names the
 * operation and what to do; tests hand in fakes.
 */
import type {
  ContainerDefinition,
  RegisterTaskDefinitionCommandInput,
  Service,
  ServiceDeployment,
  ServiceDeploymentBrief,
  Tag,
  Task,
  TaskDefinition,
  RunTaskCommandInput,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import type {
  DeploymentConfigInfo,
  DeploymentGroupInfo,
  DeploymentInfo,
  DeploymentTarget,
  RevisionLocation,
  StopStatus,
} from '@aws-sdk/client-codedeploy';

export type {
  ContainerDefinition,
  Service,
  ServiceDeployment,
  ServiceDeploymentBrief,
  Tag,
  Task,
  TaskDefinition,
};
export type { DeploymentConfigInfo, DeploymentGroupInfo, DeploymentInfo, DeploymentTarget };

export interface EcsPort {
  /** The service, or undefined when ECS reports it missing. */
  describeService(cluster: string, service: string): Promise<Service | undefined>;
  /** A registered revision (family, family:revision or ARN), with its tags. */
  describeTaskDefinition(ref: string): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }>;
  registerTaskDefinition(input: RegisterTaskDefinitionCommandInput): Promise<TaskDefinition>;
  /**
   * Recently stopped tasks of a service, newest first, at most `limit`; tasks in `exceptArns` (seen
   * before) are not described again.
   */
  listStoppedTasks(
    cluster: string,
    service: string,
    limit: number,
    exceptArns?: ReadonlySet<string>,
  ): Promise<Task[]>;
  updateService(input: UpdateServiceCommandInput): Promise<Service>;
  /** The service's deployments created after `createdAfter`, newest first. */
  listServiceDeployments(
    cluster: string,
    service: string,
    createdAfter: Date,
  ): Promise<ServiceDeploymentBrief[]>;
  describeServiceDeployment(arn: string): Promise<ServiceDeployment>;
  /** StopServiceDeployment with ROLLBACK; false when it had already finished (nothing to stop). */
  stopServiceDeployment(arn: string): Promise<boolean>;
  /** Starts one task; throws a UserError with ECS's reason when it could not be placed. */
  runTask(input: RunTaskCommandInput): Promise<Task>;
  describeTask(cluster: string, taskArn: string): Promise<Task>;
  stopTask(cluster: string, taskArn: string, reason: string): Promise<void>;
  /** Answers a PAUSE lifecycle hook waiting for approval. */
  continueServiceDeployment(arn: string, hookId: string, action: 'CONTINUE' | 'ROLLBACK'): Promise<void>;
}

export interface CreateDeploymentRequest {
  applicationName: string;
  deploymentGroupName: string;
  revision: RevisionLocation;
  deploymentConfigName?: string;
  description?: string;
}

export interface CodeDeployPort {
  /** Throws UserError naming the application/group when either is missing. */
  getDeploymentGroup(applicationName: string, deploymentGroupName: string): Promise<DeploymentGroupInfo>;
  getDeploymentConfig(deploymentConfigName: string): Promise<DeploymentConfigInfo>;
  /** Ids of deployments in the group that are still active (Created, Queued, InProgress, Baking, Ready). */
  listActiveDeployments(applicationName: string, deploymentGroupName: string): Promise<string[]>;
  /** One attempt, no SDK retry (CreateDeployment is not idempotent; see codedeploy/create-once.ts). */
  createDeployment(request: CreateDeploymentRequest): Promise<string>;
  /** Ids of the group's deployments (any status) created since `since`, newest first. */
  listDeploymentsSince(applicationName: string, deploymentGroupName: string, since: Date): Promise<string[]>;
  getDeployment(deploymentId: string): Promise<DeploymentInfo>;
  listDeploymentTargets(deploymentId: string): Promise<string[]>;
  getDeploymentTarget(deploymentId: string, targetId: string): Promise<DeploymentTarget>;
  /** Returns CodeDeploy's stop status; an already-finished deployment is not an error (returns undefined). */
  stopDeployment(
    deploymentId: string,
    autoRollbackEnabled: boolean,
  ): Promise<{ status?: StopStatus; statusMessage?: string } | undefined>;
  continueDeployment(deploymentId: string, waitType: 'READY_WAIT' | 'TERMINATION_WAIT'): Promise<void>;
}

/*
 * Read-only look-ups that only some runs need (verify before change, the app's logs after a failure).
 * Their SDK clients are loaded on first use (aws/lookups.ts), so a run that never calls them does not
 * pay for them. A missing permission throws MissingPermission (aws/errors.ts): the caller turns it into
 * a notice, never a failure.
 */

/** An image in a private ECR registry, as its URI names it (verify/image-uri.ts). */
export interface EcrImageRef {
  registryId: string;
  region: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export type EcrImageLookup =
  { found: true; digest?: string; mediaType?: string } | { found: false; missing: 'repository' | 'image' };

export interface RegistryPort {
  /** DescribeImages: is the tag or digest there. */
  findImage(image: EcrImageRef): Promise<EcrImageLookup>;
  /** DescribePullThroughCacheRules: the registry's cache prefixes (ECR creates those repositories, and fetches their tags, on pull). */
  pullThroughCachePrefixes(registryId: string, region: string): Promise<string[]>;
  /**
   * GetDownloadUrlForLayer + the download: an image's config blob (small JSON naming its platform);
   * undefined when ECR has no such layer.
   */
  imageConfig(image: EcrImageRef, configDigest: string): Promise<string | undefined>;
  /** BatchGetImage: the manifest (a JSON string) and its media type; undefined when ECR has none. */
  imageManifest(image: EcrImageRef): Promise<{ manifest: string; mediaType?: string } | undefined>;
}

export interface IamPort {
  /** GetRole: the role's trust policy (decoded JSON text); undefined when there is no such role. */
  roleTrustPolicy(roleName: string): Promise<string | undefined>;
}

export interface ParameterPort {
  /** DescribeParameters (never GetParameters: it returns values): does one of these names exist. */
  parameterExists(region: string, names: string[]): Promise<boolean>;
}

export interface SecretPort {
  /** DescribeSecret (no value): the secret's version ids and their stages; undefined when missing. */
  describeSecret(
    region: string,
    secretId: string,
  ): Promise<{ versionStages: Record<string, string[]>; deleted: boolean } | undefined>;
}

export interface LogEvent {
  timestamp?: number;
  message?: string;
}

export interface LogsPort {
  /** DescribeLogGroups: does this exact group exist. */
  logGroupExists(region: string, logGroupName: string): Promise<boolean>;
  /** GetLogEvents: the newest `limit` events, oldest first; undefined when the group or stream is missing. */
  lastLogEvents(
    region: string,
    logGroupName: string,
    logStreamName: string,
    limit: number,
  ): Promise<LogEvent[] | undefined>;
}

export interface LookupPorts {
  registry: RegistryPort;
  iam: IamPort;
  parameters: ParameterPort;
  secrets: SecretPort;
  logs: LogsPort;
}

/*
 * Scheduled tasks: the EventBridge rules and Scheduler schedules whose ECS targets run this family,
 * moved onto the new revision after a release (schedules/). Their SDK clients are loaded on first use
 * (aws/schedules.ts). A read the credentials may not make throws MissingPermission (aws/errors.ts).
 */
import type { Target as EventBridgeTarget } from '@aws-sdk/client-eventbridge';
import type { GetScheduleOutput } from '@aws-sdk/client-scheduler';

export type { EventBridgeTarget };
/** A schedule as GetSchedule answers it: UpdateSchedule replaces the whole schedule, so all of it is kept. */
export type ScheduleDetail = GetScheduleOutput;

export interface RuleSummary {
  name: string;
  arn?: string;
  state?: string;
  scheduleExpression?: string;
}

/** A target PutTargets did not put (its FailedEntries), with EventBridge's reason. */
export interface FailedTarget {
  targetId: string;
  errorCode?: string;
  errorMessage?: string;
}

export interface EventBridgePort {
  /** ListRules on the default event bus, every page. */
  listRules(): Promise<RuleSummary[]>;
  /** ListTargetsByRule, every page, each target whole as AWS returns it; undefined when the rule does not exist. */
  listTargets(rule: string): Promise<EventBridgeTarget[] | undefined>;
  /**
   * PutTargets: each target replaces the rule's target of the same Id, whole. Returns the ones that
   * failed (FailedEntries; the others were put); an error of the whole call throws a UserError.
   */
  putTargets(rule: string, targets: EventBridgeTarget[]): Promise<FailedTarget[]>;
}

export interface ScheduleSummary {
  name: string;
  group: string;
  /** The target's ARN: for an ECS target, its cluster. */
  targetArn?: string;
  state?: string;
}

export interface SchedulerPort {
  /** ListSchedules of every group, every page. */
  listSchedules(): Promise<ScheduleSummary[]>;
  /** GetSchedule (group unset: the default group); undefined when the schedule does not exist. */
  getSchedule(name: string, group?: string): Promise<ScheduleDetail | undefined>;
  /** UpdateSchedule with every settable member of `detail` sent as it is (members not sent would be reset). */
  updateSchedule(detail: ScheduleDetail): Promise<void>;
}

export interface SchedulePorts {
  eventBridge: EventBridgePort;
  scheduler: SchedulerPort;
}

/*
 * Old revisions: after a successful release, `deregister-old-revisions` deregisters the family's older
 * ACTIVE revisions that nothing uses (cleanup/). Before any deregistration, every cluster given is
 * scanned for what references a revision. The real port is aws/revisions.ts.
 */

/** A task definition a service references, with the status of what references it. */
export interface RevisionReference {
  taskDefinition: string;
  /** The deployment's or task set's status (PRIMARY, ACTIVE, DRAINING). */
  status?: string;
}

/** What one service references: its own task definition, its deployments' and its task sets'. */
export interface ServiceRevisions {
  service: string;
  /** The service's task definition (ARN, as DescribeServices gives it). */
  taskDefinition?: string;
  /** Its deployments that are not INACTIVE: PRIMARY, and ACTIVE (older ones still in flight or draining). */
  deployments: RevisionReference[];
  /** Its task sets (CodeDeploy blue/green, EXTERNAL), whatever their status. */
  taskSets: RevisionReference[];
}

export interface RevisionsPort {
  /** ListTaskDefinitions (familyPrefix = the family, status ACTIVE, sort DESC), every page: ARNs, newest first. */
  activeRevisions(family: string): Promise<string[]>;
  /** ListServices (every page) + DescribeServices (10 at a time): what each service of the cluster references. */
  servicesUsing(cluster: string): Promise<ServiceRevisions[]>;
  /**
   * ListTasks (family, desiredStatus RUNNING: running and pending tasks) + DescribeTasks (100 at a
   * time): one task definition ARN per task. At most a few thousand tasks are read; `complete` is
   * false when the cluster had more.
   */
  runningTaskRevisions(
    cluster: string,
    family: string,
  ): Promise<{ taskDefinitions: string[]; complete: boolean }>;
  /** DeregisterTaskDefinition: the revision becomes INACTIVE. */
  deregister(taskDefinitionArn: string): Promise<void>;
}
