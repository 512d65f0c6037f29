/**
 * Verify before change: read-only checks of what the rendered task definition refers to, so a
 * release that cannot start fails before anything is registered. Each check answers passed, failed,
 * skipped (the credentials may not look: a notice naming the permission) or not checked (outside
 * what ecs-shift can see). A check never fails for want of permission or for an AWS hiccup.
 */
import { MissingPermission } from '../aws/errors.js';
import type { EcrImageRef, LookupPorts } from '../aws/ports.js';
import { logDestinations } from '../taskdef/log-destinations.js';
import { errorMessage } from '../text/errors.js';
import { imageName, parseEcrImageUri } from './image-uri.js';
import { configPlatform, offersPlatform, type Platform, platformName, taskPlatform } from './platforms.js';
import { parseSecretRef } from './secret-ref.js';
import { ECS_TASKS_PRINCIPAL, parseRoleRef, trustsEcsTasks } from './trust.js';

export type CheckState = 'passed' | 'failed' | 'skipped' | 'not-checked';

export interface CheckResult {
  state: CheckState;
  /** What was checked and what was found: `image web:2 exists (sha256:…), offers linux/arm64`. */
  line: string;
  /** For a failure: what to do. */
  fix?: string;
}

export interface VerifyInput {
  taskDefinition: Record<string, unknown>;
  /** The region the task runs in (the default for images, secrets and logs that name none). */
  region: string;
  /** The account the service is in, when known: roles and parameters of another account are not ours to see. */
  account?: string;
}

export async function verifyTaskDefinition(lookups: LookupPorts, input: VerifyInput): Promise<CheckResult[]> {
  const checks = [
    ...imageChecks(lookups, input),
    ...roleChecks(lookups, input),
    ...secretChecks(lookups, input),
    ...logGroupChecks(lookups, input),
  ];
  return Promise.all(checks);
}

type Container = {
  name?: string;
  image?: string;
  secrets?: { name?: string; valueFrom?: string }[];
};

function containersOf(taskDefinition: Record<string, unknown>): Container[] {
  return (
    Array.isArray(taskDefinition.containerDefinitions) ? taskDefinition.containerDefinitions : []
  ) as Container[];
}

/** Runs one look-up; a missing permission or an AWS error makes the check skipped / not checked. */
async function looking(subject: string, check: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof MissingPermission) {
      return { state: 'skipped', line: `${subject}: needs ${error.permission}` };
    }
    return { state: 'not-checked', line: `${subject}: ${errorMessage(error)}` };
  }
}

function imageChecks(lookups: LookupPorts, input: VerifyInput): Promise<CheckResult>[] {
  const platform = taskPlatform(input.taskDefinition);
  const images = [
    ...new Set(
      containersOf(input.taskDefinition)
        .map((c) => c.image)
        .filter(isText),
    ),
  ];
  return images.map((uri) => {
    const image = parseEcrImageUri(uri);
    if (!image)
      return Promise.resolve({ state: 'not-checked', line: `image ${uri}: not in a private ECR registry` });
    return looking(`image ${uri}`, () => checkImage(lookups, uri, image, platform));
  });
}

async function checkImage(
  lookups: LookupPorts,
  uri: string,
  image: EcrImageRef,
  platform: Platform | undefined,
): Promise<CheckResult> {
  const where = `registry ${image.registryId}, ${image.region}`;
  const found = await lookups.registry.findImage(image);
  if (!found.found && (await isPullThroughCache(lookups, image))) {
    return {
      state: 'not-checked',
      line: `image ${uri}: in a pull-through cache repository, which ECR fills from upstream on the first pull`,
    };
  }
  if (!found.found) {
    const what = image.digest ? `digest ${image.digest}` : `tag "${image.tag}"`;
    return found.missing === 'repository'
      ? {
          state: 'failed',
          line: `image ${uri}: repository "${image.repository}" does not exist (${where})`,
          fix: 'Check the image URI (account, region, repository name), or create the repository and push the image.',
        }
      : {
          state: 'failed',
          line: `image ${uri}: ${what} is not in repository "${image.repository}" (${where})`,
          fix: 'Push the image before deploying (did the build step run and succeed?), or fix the tag in the image input.',
        };
  }
  const exists = `image ${imageName(image)} exists${found.digest && !image.digest ? ` (${found.digest.slice(0, 19)}…)` : ''}`;
  if (!platform)
    return { state: 'passed', line: `${exists}; platform not checked (the EC2 instance decides)` };
  const wanted = platformName(platform);
  try {
    const manifest = await lookups.registry.imageManifest(image);
    if (!manifest)
      return { state: 'passed', line: `${exists}; platform not checked (ECR returned no manifest)` };
    const verdict = offersPlatform(manifest.manifest, platform);
    switch (verdict.kind) {
      case 'offered':
        return { state: 'passed', line: `${exists}, offers ${wanted}` };
      case 'unknown':
        return { state: 'passed', line: `${exists}; ${wanted} not checked (${verdict.why})` };
      case 'single':
        return await checkConfigPlatform(lookups, uri, image, verdict.configDigest, platform, exists);
      case 'not-offered':
        return {
          state: 'failed',
          line: `image ${uri} offers ${verdict.offered.join(', ') || 'no platform'}, not ${wanted}, which the task runs on`,
          fix: `Build and push the image for ${wanted} (docker buildx build --platform ${wanted}), or set the task definition's runtimePlatform to what the image offers.`,
        };
    }
  } catch (error) {
    if (error instanceof MissingPermission) {
      return { state: 'skipped', line: `${exists}; its platform: needs ${error.permission}` };
    }
    return { state: 'passed', line: `${exists}; platform not checked (${errorMessage(error)})` };
  }
}

/** Only asked once an image is missing; a look-up that fails counts as "not a cache". */
async function isPullThroughCache(lookups: LookupPorts, image: EcrImageRef): Promise<boolean> {
  try {
    const prefixes = await lookups.registry.pullThroughCachePrefixes(image.registryId, image.region);
    return prefixes.some((prefix) => image.repository.startsWith(`${prefix}/`));
  } catch {
    return false;
  }
}

/** Outside the account we know, or any account when we know none: GetRole / DescribeParameters look only in our own. */
function otherAccount(named: string | undefined, ours: string | undefined): boolean {
  return named !== undefined && named !== ours;
}

/** A single-platform image: its config blob says what it runs on. */
async function checkConfigPlatform(
  lookups: LookupPorts,
  uri: string,
  image: EcrImageRef,
  configDigest: string,
  platform: Platform,
  exists: string,
): Promise<CheckResult> {
  const wanted = platformName(platform);
  const config = await lookups.registry.imageConfig(image, configDigest);
  const offered = config === undefined ? undefined : configPlatform(config);
  if (!offered)
    return { state: 'passed', line: `${exists}; ${wanted} not checked (its config could not be read)` };
  if (offered.os === platform.os && offered.architecture === platform.architecture) {
    return { state: 'passed', line: `${exists}, built for ${wanted}` };
  }
  return {
    state: 'failed',
    line: `image ${uri} is built for ${platformName(offered)}, not ${wanted}, which the task runs on`,
    fix: `Build and push the image for ${wanted} (docker buildx build --platform ${wanted}), or set the task definition's runtimePlatform to ${platformName(offered)}.`,
  };
}

function roleChecks(lookups: LookupPorts, input: VerifyInput): Promise<CheckResult>[] {
  const roles = new Map<string, string[]>();
  for (const key of ['taskRoleArn', 'executionRoleArn'] as const) {
    const ref = input.taskDefinition[key];
    if (!isText(ref)) continue;
    roles.set(ref, [...(roles.get(ref) ?? []), key === 'taskRoleArn' ? 'task role' : 'execution role']);
  }
  return [...roles].map(([ref, kinds]) => {
    const subject = `${kinds.join(' and ')} ${ref}`;
    const { roleName, account } = parseRoleRef(ref);
    if (otherAccount(account, input.account)) {
      return Promise.resolve({
        state: 'not-checked',
        line: `${subject}: ${input.account ? `in account ${account}, not this one` : "the service's account is not known (no service)"}`,
      });
    }
    return looking(subject, async () => {
      const policy = await lookups.iam.roleTrustPolicy(roleName);
      if (policy === undefined) {
        return {
          state: 'failed',
          line: `${subject}: no such role`,
          fix: `Create the role, or fix ${kinds.length > 1 ? 'taskRoleArn / executionRoleArn' : kinds[0] === 'task role' ? 'taskRoleArn (input task-role-arn)' : 'executionRoleArn (input execution-role-arn)'}.`,
        };
      }
      if (!trustsEcsTasks(policy)) {
        return {
          state: 'failed',
          line: `${subject}: its trust policy does not let ${ECS_TASKS_PRINCIPAL} assume it`,
          fix: `Add a statement to the role's trust policy: {"Effect": "Allow", "Principal": {"Service": "${ECS_TASKS_PRINCIPAL}"}, "Action": "sts:AssumeRole"}.`,
        };
      }
      return { state: 'passed', line: `${subject} exists and trusts ${ECS_TASKS_PRINCIPAL}` };
    });
  });
}

function secretChecks(lookups: LookupPorts, input: VerifyInput): Promise<CheckResult>[] {
  const seen = new Set<string>();
  const checks: Promise<CheckResult>[] = [];
  for (const container of containersOf(input.taskDefinition)) {
    for (const secret of container.secrets ?? []) {
      if (!isText(secret.valueFrom) || seen.has(secret.valueFrom)) continue;
      seen.add(secret.valueFrom);
      const subject = `secret ${secret.name ?? '?'} (${secret.valueFrom})`;
      checks.push(checkSecret(lookups, input, subject, secret.valueFrom));
    }
  }
  return checks;
}

function checkSecret(
  lookups: LookupPorts,
  input: VerifyInput,
  subject: string,
  valueFrom: string,
): Promise<CheckResult> {
  const ref = parseSecretRef(valueFrom, input.region);
  if (ref.kind === 'invalid') {
    return Promise.resolve({
      state: 'failed',
      line: `${subject}: ${ref.why}`,
      fix: 'Set valueFrom to an SSM parameter name or ARN, or a Secrets Manager secret ARN.',
    });
  }
  if (ref.kind === 'ssm') {
    if (otherAccount(ref.account, input.account)) {
      return Promise.resolve({
        state: 'not-checked',
        line: `${subject}: a parameter of account ${ref.account}`,
      });
    }
    // Public and Secrets Manager reference parameters resolve, but DescribeParameters never lists them.
    if (ref.names.some((name) => /^\/?aws\//.test(name))) {
      return Promise.resolve({
        state: 'not-checked',
        line: `${subject}: an /aws/ parameter, which SSM does not list`,
      });
    }
    return looking(subject, async () =>
      (await lookups.parameters.parameterExists(ref.region, ref.names))
        ? { state: 'passed', line: `${subject} exists` }
        : {
            state: 'failed',
            line: `${subject}: no such SSM parameter in ${ref.region}`,
            fix: 'Create the parameter, or fix the name (SSM names are case-sensitive; hierarchical ones start with "/").',
          },
    );
  }
  return looking(subject, async () => {
    const described = await lookups.secrets.describeSecret(ref.region, ref.secretId);
    if (!described) {
      return {
        state: 'failed',
        line: `${subject}: no such secret in Secrets Manager (${ref.region})`,
        fix: 'Create the secret, or fix the ARN (a full ARN ends in the secret name plus "-" and six random characters).',
      };
    }
    if (described.deleted) {
      return {
        state: 'failed',
        line: `${subject}: the secret is scheduled for deletion, so ECS cannot read it`,
        fix: 'Restore the secret (aws secretsmanager restore-secret), or point valueFrom at another one.',
      };
    }
    const stages = Object.values(described.versionStages).flat();
    if (ref.versionStage && !stages.includes(ref.versionStage)) {
      return {
        state: 'failed',
        line: `${subject}: the secret has no version labelled "${ref.versionStage}"`,
        fix: `Use one of its labels (${[...new Set(stages)].join(', ') || 'none'}), or drop the version stage from valueFrom.`,
      };
    }
    if (ref.versionId && !(ref.versionId in described.versionStages)) {
      // DescribeSecret lists only labelled versions; an unlabelled one can still be read.
      return {
        state: 'not-checked',
        line: `${subject}: version ${ref.versionId} has no label, so it is not listed`,
      };
    }
    // The JSON key is inside the value, which ecs-shift never reads.
    return {
      state: 'passed',
      line: `${subject} exists${ref.jsonKey ? ` (JSON key "${ref.jsonKey}" not checked)` : ''}`,
    };
  });
}

function logGroupChecks(lookups: LookupPorts, input: VerifyInput): Promise<CheckResult>[] {
  const groups = new Map<
    string,
    { group?: string; region: string; containers: string[]; createGroup: boolean }
  >();
  for (const destination of logDestinations(input.taskDefinition, input.region)) {
    if (destination.kind !== 'awslogs') continue;
    const key = `${destination.region} ${destination.group ?? ''}`;
    const entry = groups.get(key) ?? { ...destination, containers: [] };
    entry.containers.push(destination.container);
    entry.createGroup &&= destination.createGroup;
    groups.set(key, entry);
  }
  return [...groups.values()].map(({ group, region, containers, createGroup }) => {
    const of = `container${containers.length > 1 ? 's' : ''} ${containers.join(', ')}`;
    if (!group) {
      return Promise.resolve({
        state: 'failed' as const,
        line: `log configuration of ${of}: awslogs without an awslogs-group option`,
        fix: 'Set logConfiguration.options["awslogs-group"] (input log-configuration-options: awslogs-group=/ecs/<name>).',
      });
    }
    const subject = `log group ${group} (${region})`;
    if (createGroup)
      return Promise.resolve({
        state: 'not-checked',
        line: `${subject}: created by ECS (awslogs-create-group)`,
      });
    return looking(subject, async () =>
      (await lookups.logs.logGroupExists(region, group))
        ? { state: 'passed', line: `${subject} exists` }
        : {
            state: 'failed',
            line: `${subject}: does not exist, so tasks of ${of} cannot start (ResourceInitializationError)`,
            fix: 'Create the log group, or add awslogs-create-group=true to the log options (the execution role then needs logs:CreateLogGroup).',
          },
    );
  });
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
