/**
 * The render inputs of aws-actions/amazon-ecs-render-task-definition beyond image and environment,
 * with its names and meaning: `command`, `secrets`, `env-files`, `docker-labels`, the log configuration
 * (each for `container-name`'s containers), `task-role-arn` and `execution-role-arn`; and the task-level
 * `cpu` and `memory` its users ask for. Where that action is loose, these are stricter before anything
 * changes (an S3 ARN that is not one, a label without `=`), and they keep values it cuts (a log option
 * or label whose value holds `=`; a command argument with spaces, given as a JSON array).
 */
import { describeValue } from '../text/errors.js';
import type { InputReader } from './parse.js';
import type { ContainerSettings, TaskLevelSettings } from './settings.js';

export const CONTAINER_INPUTS = [
  'command',
  'secrets',
  'env-files',
  'docker-labels',
  'log-configuration-log-driver',
  'log-configuration-options',
] as const;
export const TASK_LEVEL_INPUTS = ['task-role-arn', 'execution-role-arn', 'cpu', 'memory'] as const;

type ContainerInputName = (typeof CONTAINER_INPUTS)[number];
type TaskLevelInputName = (typeof TASK_LEVEL_INPUTS)[number];

/** The drivers the official render action accepts (ECS LogConfiguration.logDriver). */
export const LOG_DRIVERS = [
  'json-file',
  'syslog',
  'journald',
  'logentries',
  'gelf',
  'fluentd',
  'awslogs',
  'splunk',
  'awsfirelens',
] as const;

const ROLE_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f)?:iam::\d{12}:role\/.+$/;
const S3_OBJECT_ARN = /^arn:aws[\w-]*:s3:::[^/\s]+\/\S+$/;
/** Task-level cpu: CPU units (256) or vCPUs ("1 vCPU", ".5 vcpu"), as RegisterTaskDefinition takes it. */
const CPU = /^(\d+|(\d+(\.\d+)?|\.\d+) ?vCPU)$/i;
/** Task-level memory: MiB (512) or GB ("1 GB", "0.5GB"). */
const MEMORY = /^(\d+|(\d+(\.\d+)?|\.\d+) ?GB)$/i;

export function parseContainerInputs(read: InputReader<ContainerInputName>): ContainerSettings {
  const { text: input, fail } = read;
  const pairs = (name: ContainerInputName, what: string, example: string) =>
    read.lines(name).flatMap(({ text, line }) => {
      const separator = text.indexOf('=');
      const key = separator < 0 ? '' : text.slice(0, separator).trim();
      if (key === '' || /\s/.test(key)) {
        fail(
          name,
          `line ${line} (${describeValue(text)}) is not ${what}. Expected one per line, e.g. ${name}: ${example}.`,
        );
        return [];
      }
      return [{ key, value: text.slice(separator + 1).trim(), line }];
    });

  const secrets = pairs(
    'secrets',
    'NAME=valueFrom',
    'DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf',
  ).flatMap(({ key, value, line }) => {
    if (value === '') {
      fail(
        'secrets',
        `line ${line}: ${key} has no valueFrom. Expected NAME=valueFrom, the ARN (or name) of a Secrets Manager secret or an SSM parameter.`,
      );
      return [];
    }
    return [{ name: key, valueFrom: value }];
  });

  const environmentFiles = read.lines('env-files').flatMap(({ text, line }) => {
    if (S3_OBJECT_ARN.test(text)) return [text];
    fail(
      'env-files',
      `line ${line} (${describeValue(text)}) is not an S3 object ARN. Expected one per line, e.g. env-files: arn:aws:s3:::my-bucket/prod.env.`,
    );
    return [];
  });

  const commandText = input('command');
  let command: string[] | undefined;
  if (commandText.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(commandText);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) command = parsed;
    } catch {
      // reported below
    }
    if (!command) {
      fail(
        'command',
        `starts with "[" but is not a JSON array of strings. Expected words separated by spaces, e.g. command: npm run start, or a JSON array for arguments with spaces, e.g. command: '["sh", "-c", "npm run migrate && npm start"]'.`,
      );
    }
  } else if (commandText !== '') {
    command = commandText.split(/\s+/);
  }

  const logDriverText = input('log-configuration-log-driver');
  const logDriver = LOG_DRIVERS.find((driver) => driver === logDriverText);
  if (logDriverText !== '' && !logDriver) {
    fail(
      'log-configuration-log-driver',
      `${describeValue(logDriverText)} is not one of ${LOG_DRIVERS.join(', ')}. Expected one of them, e.g. log-configuration-log-driver: awslogs.`,
    );
  }

  return {
    command,
    secrets,
    environmentFiles,
    dockerLabels: pairs('docker-labels', 'key=value', 'team=payments').map(({ key, value }) => ({
      key,
      value,
    })),
    logDriver,
    logOptions: pairs('log-configuration-options', 'key=value', 'awslogs-group=/ecs/web').map(
      ({ key, value }) => ({ key, value }),
    ),
  };
}

export function parseTaskLevelInputs(read: InputReader<TaskLevelInputName>): TaskLevelSettings {
  const { text: input, fail } = read;
  const role = (name: 'task-role-arn' | 'execution-role-arn') => {
    const value = input(name);
    if (value === '' || ROLE_ARN.test(value)) return value || undefined;
    return fail(
      name,
      `${describeValue(value)} is not an IAM role ARN. Expected arn:aws:iam::<account-id>:role/<role-name>, e.g. ${name}: arn:aws:iam::123456789012:role/web-task.`,
    );
  };
  const sized = (name: 'cpu' | 'memory', pattern: RegExp, expected: string) => {
    const value = input(name);
    if (value === '' || pattern.test(value)) return value || undefined;
    return fail(name, `${describeValue(value)} is not ${expected}.`);
  };
  return {
    taskRoleArn: role('task-role-arn'),
    executionRoleArn: role('execution-role-arn'),
    cpu: sized('cpu', CPU, 'a task CPU size. Expected CPU units or vCPUs, e.g. cpu: 512 or cpu: 1 vCPU'),
    memory: sized(
      'memory',
      MEMORY,
      'a task memory size. Expected MiB or GB, e.g. memory: 1024 or memory: 2 GB',
    ),
  };
}

/** Whether any input that acts on container-name's containers is set. */
export function anyContainerInput(container: ContainerSettings): boolean {
  return (
    container.command !== undefined ||
    container.secrets.length > 0 ||
    container.environmentFiles.length > 0 ||
    container.dockerLabels.length > 0 ||
    container.logDriver !== undefined ||
    container.logOptions.length > 0
  );
}
