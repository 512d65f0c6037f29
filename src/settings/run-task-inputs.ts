/**
 * The one-off task inputs, named as in aws-actions/amazon-ecs-deploy-task-definition (`run-task`,
 * `run-task-*`, `wait-for-task-stopped`) so a workflow switching over keeps them.
 */
import type { RunTaskSettings } from './settings.js';
import { parseManagedEbsVolume } from './ebs-inputs.js';
import type { InputReader } from './parse.js';

export const RUN_TASK_INPUTS = [
  'run-task',
  'wait-for-task-stopped',
  'run-task-started-by',
  'run-task-launch-type',
  'run-task-capacity-provider-strategy',
  'run-task-subnets',
  'run-task-security-groups',
  'run-task-assign-public-IP',
  'run-task-container-overrides',
  'run-task-tags',
  'run-task-managed-ebs-volume-name',
  'run-task-managed-ebs-volume',
] as const;
export type RunTaskInputName = (typeof RUN_TASK_INPUTS)[number];

const LAUNCH_TYPES = ['FARGATE', 'EC2', 'EXTERNAL'] as const;

export function parseRunTaskInputs(read: InputReader<RunTaskInputName>): RunTaskSettings | undefined {
  const { text: input, fail } = read;
  const enabled = read.boolean('run-task') ?? false;
  if (!enabled) {
    const stray = RUN_TASK_INPUTS.filter((name) => name !== 'run-task' && input(name) !== '');
    if (stray.length > 0) {
      fail(
        stray[0],
        `is set but run-task is not true, so no task would run. Set run-task: true, or remove ${stray.join(', ')}.`,
      );
    }
    return undefined;
  }
  const launchType = read.oneOf('run-task-launch-type', LAUNCH_TYPES);
  const capacityProviderStrategy = read.jsonObjects(
    'run-task-capacity-provider-strategy',
    '[{"capacityProvider": "FARGATE_SPOT", "weight": 1}]',
  );
  if (launchType && capacityProviderStrategy?.length) {
    fail(
      'run-task-launch-type',
      'cannot be set together with run-task-capacity-provider-strategy (ECS takes one or the other). Remove one of them.',
    );
  }
  return {
    startedBy: input('run-task-started-by') || 'GitHub-Actions',
    launchType,
    capacityProviderStrategy: capacityProviderStrategy as RunTaskSettings['capacityProviderStrategy'],
    subnets: read.list('run-task-subnets'),
    securityGroups: read.list('run-task-security-groups'),
    assignPublicIp: read.oneOf('run-task-assign-public-IP', ['DISABLED', 'ENABLED'] as const),
    containerOverrides: read.jsonObjects(
      'run-task-container-overrides',
      '[{"name": "app", "command": ["npm", "run", "migrate"]}]',
    ) as RunTaskSettings['containerOverrides'],
    tags: read.jsonObjects(
      'run-task-tags',
      '[{"key": "purpose", "value": "migration"}]',
    ) as RunTaskSettings['tags'],
    waitForStopped: read.boolean('wait-for-task-stopped'),
    managedEbsVolume: parseManagedEbsVolume(
      read,
      'run-task-managed-ebs-volume',
      'run-task-managed-ebs-volume-name',
    ),
  };
}
