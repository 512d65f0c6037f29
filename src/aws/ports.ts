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
