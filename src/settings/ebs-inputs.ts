/**
 * The official deploy action's managed EBS volume inputs: `service-managed-ebs-volume(-name)` for
 * UpdateService and `run-task-managed-ebs-volume(-name)` for the one-off task. Each pair becomes one
 * `volumeConfigurations` entry. Where that action warns and drops the volume (a name without its
 * configuration) or silently drops keys (a typo, throughput on a non-gp3 volume), these fail first.
 */
import { describeValue } from '../text/errors.js';
import type { InputReader } from './parse.js';
import type { ManagedEbsVolume } from './settings.js';

const SERVICE_VOLUME_KEYS = [
  'roleArn',
  'encrypted',
  'kmsKeyId',
  'volumeType',
  'sizeInGiB',
  'snapshotId',
  'volumeInitializationRate',
  'iops',
  'throughput',
  'tagSpecifications',
  'filesystemType',
];
/** A task's volume may also say what happens to it when the task stops. */
const TASK_VOLUME_KEYS = [...SERVICE_VOLUME_KEYS, 'terminationPolicy'];
const WHOLE_NUMBERS = ['sizeInGiB', 'volumeInitializationRate', 'iops', 'throughput'];
const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/.+$/;
const EXAMPLE =
  '\'{"roleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole", "sizeInGiB": 20, "volumeType": "gp3"}\'';

type Pair = 'service-managed-ebs-volume' | 'run-task-managed-ebs-volume';

export function parseManagedEbsVolume<Name extends string>(
  read: InputReader<Name>,
  volume: Pair & Name,
  nameInput: `${Pair}-name` & Name,
): ManagedEbsVolume | undefined {
  const { text: input, fail } = read;
  const name = input(nameInput);
  const configuration = input(volume);
  if (name === '' && configuration === '') return undefined;
  if (name === '') {
    return fail(
      volume,
      `is set but ${nameInput} is not. Set ${nameInput} to the task definition volume that is configuredAtLaunch, e.g. ${nameInput}: data.`,
    );
  }
  if (configuration === '') {
    return fail(
      nameInput,
      `is set but ${volume} is not, so the volume would have no configuration. Set ${volume} too, e.g. ${volume}: ${EXAMPLE}.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(configuration);
  } catch {
    return fail(volume, `is not valid JSON. Expected a JSON object, e.g. ${volume}: ${EXAMPLE}.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return fail(volume, `is not a JSON object. Expected one, e.g. ${volume}: ${EXAMPLE}.`);
  }
  const settings = parsed as Record<string, unknown>;
  const allowed = volume === 'service-managed-ebs-volume' ? SERVICE_VOLUME_KEYS : TASK_VOLUME_KEYS;
  const unknown = Object.keys(settings).filter((key) => !allowed.includes(key));
  const problems: string[] = [];
  if (unknown.length > 0) {
    problems.push(
      `has ${unknown.map((key) => describeValue(key)).join(', ')}, which ${unknown.length === 1 ? 'is' : 'are'} not a managed EBS volume setting (${allowed.join(', ')})`,
    );
  }
  if (typeof settings.roleArn !== 'string' || !ROLE_ARN.test(settings.roleArn)) {
    problems.push(
      'needs "roleArn", the IAM role ECS uses to manage the volume (e.g. arn:aws:iam::123456789012:role/ecsInfrastructureRole)',
    );
  }
  for (const key of WHOLE_NUMBERS) {
    const value = settings[key];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) > 0)) {
      problems.push(`has "${key}" ${describeValue(String(value))}, which is not a whole number above 0`);
    }
  }
  if (settings.encrypted !== undefined && typeof settings.encrypted !== 'boolean') {
    problems.push('has "encrypted" that is not true or false');
  }
  if (settings.throughput !== undefined && settings.volumeType !== 'gp3') {
    problems.push('has "throughput", which only a "volumeType": "gp3" volume takes');
  }
  if (problems.length > 0)
    return fail(volume, `${problems.join('; ')}. Expected e.g. ${volume}: ${EXAMPLE}.`);
  return { name, managedEBSVolume: settings };
}
