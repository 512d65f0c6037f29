/**
 * The one-off task inputs, named as in aws-actions/amazon-ecs-deploy-task-definition (`run-task`,
 * `run-task-*`, `wait-for-task-stopped`) so a workflow switching over keeps them.
 */
import { describeValue } from '../text/errors.js';
import type { RunTaskSettings } from './settings.js';
import { findJsonSyntaxError, lineAndColumn } from '../taskdef/read.js';

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
] as const;
export type RunTaskInputName = (typeof RUN_TASK_INPUTS)[number];

const LAUNCH_TYPES = ['FARGATE', 'EC2', 'EXTERNAL'] as const;

export function parseRunTaskInputs(
  input: (name: RunTaskInputName) => string,
  fail: (name: RunTaskInputName, message: string) => undefined,
  booleanOf: (name: RunTaskInputName) => boolean | undefined,
): RunTaskSettings | undefined {
  const enabled = booleanOf('run-task') ?? false;
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
  const list = (name: RunTaskInputName) =>
    input(name)
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  const launchTypeText = input('run-task-launch-type');
  const launchType = launchTypeText
    ? LAUNCH_TYPES.find((type) => type === launchTypeText.toUpperCase())
    : undefined;
  if (launchTypeText && !launchType) {
    fail(
      'run-task-launch-type',
      `${describeValue(launchTypeText)} is not one of ${LAUNCH_TYPES.join(', ')}. Expected one of them, e.g. run-task-launch-type: FARGATE.`,
    );
  }
  const capacityProviderStrategy = jsonArray(
    input,
    fail,
    'run-task-capacity-provider-strategy',
    '[{"capacityProvider": "FARGATE_SPOT", "weight": 1}]',
  );
  if (launchType && capacityProviderStrategy?.length) {
    fail(
      'run-task-launch-type',
      'cannot be set together with run-task-capacity-provider-strategy (ECS takes one or the other). Remove one of them.',
    );
  }
  const publicIp = input('run-task-assign-public-IP');
  const assignPublicIp = publicIp
    ? (['ENABLED', 'DISABLED'] as const).find((v) => v === publicIp.toUpperCase())
    : undefined;
  if (publicIp && !assignPublicIp) {
    fail(
      'run-task-assign-public-IP',
      `${describeValue(publicIp)} is not ENABLED or DISABLED. Expected one of them, e.g. run-task-assign-public-IP: DISABLED.`,
    );
  }
  return {
    startedBy: input('run-task-started-by') || 'GitHub-Actions',
    launchType,
    capacityProviderStrategy: capacityProviderStrategy as RunTaskSettings['capacityProviderStrategy'],
    subnets: list('run-task-subnets'),
    securityGroups: list('run-task-security-groups'),
    assignPublicIp,
    containerOverrides: jsonArray(
      input,
      fail,
      'run-task-container-overrides',
      '[{"name": "app", "command": ["npm", "run", "migrate"]}]',
    ) as RunTaskSettings['containerOverrides'],
    tags: jsonArray(
      input,
      fail,
      'run-task-tags',
      '[{"key": "purpose", "value": "migration"}]',
    ) as RunTaskSettings['tags'],
    waitForStopped: booleanOf('wait-for-task-stopped'),
  };
}

/** A JSON array input; malformed text is an error with its line and column. */
function jsonArray(
  input: (name: RunTaskInputName) => string,
  fail: (name: RunTaskInputName, message: string) => undefined,
  name: RunTaskInputName,
  example: string,
): Record<string, unknown>[] | undefined {
  const text = input(name);
  if (text === '') return undefined;
  const expected = `Expected a JSON array of objects, e.g. ${name}: '${example}'.`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const found = findJsonSyntaxError(text);
    const at = found ? lineAndColumn(text, found.position) : undefined;
    return fail(
      name,
      `is not valid JSON${at ? ` at line ${at.line}, column ${at.column}` : ''}. ${expected}`,
    );
  }
  if (
    !Array.isArray(value) ||
    !value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))
  ) {
    return fail(name, `is not an array of objects. ${expected}`);
  }
  return value as Record<string, unknown>[];
}
