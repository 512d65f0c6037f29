/**
 * Where the task definition (and the CodeDeploy AppSpec) come from, and promote / abort: the inputs
 * that pick what a step starts from, parsed for settings/inputs.ts.
 */
import { describeValue } from '../text/errors.js';
import { CONTAINER_INPUTS, TASK_LEVEL_INPUTS } from './container-inputs.js';
import type { InputName } from './inputs.js';
import type { AppSpecSource, Continuation, TaskDefinitionSource } from './settings.js';

/** AppSpec files looked for in the workspace when codedeploy-appspec is not set, in this order. */
export const DEFAULT_APPSPEC_FILES = ['appspec.yaml', 'appspec.yml', 'appspec.json'];

const FAMILY = /^[A-Za-z0-9_-]{1,255}(:[1-9]\d*)?$/;
const FAMILY_REVISION = /^[A-Za-z0-9_-]{1,255}:[1-9]\d*$/;
const TASK_DEFINITION_ARN =
  /^arn:[\w-]+:ecs:[\w-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}(:[1-9]\d*)?$/;
const CODEDEPLOY_ID = /^d-[A-Z0-9]{9}$/;
const SERVICE_DEPLOYMENT_ARN = /^arn:[\w-]+:ecs:[\w-]+:\d{12}:service-deployment\/[\w-]+\/[\w-]+\/[\w-]+$/;
/** Inputs that describe a new release, which promote/abort (acting on an existing one) cannot use. */
export const RELEASE_INPUTS: InputName[] = [
  'task-definition',
  'task-definition-family',
  'task-definition-arn',
  'image',
  'images',
  'environment-variables',
  'task-definition-revision',
  ...CONTAINER_INPUTS,
  ...TASK_LEVEL_INPUTS,
];

/** `promote` / `abort`: a CodeDeploy deployment id or an ECS service deployment ARN, never both inputs. */
export function parseContinuation(input: Input, fail: Fail): Continuation | undefined {
  const promote = input('promote');
  const abort = input('abort');
  if (promote && abort) {
    return fail(
      'abort',
      'cannot be set together with promote. Use promote in one step and abort in another.',
    );
  }
  const name: InputName | undefined = promote ? 'promote' : abort ? 'abort' : undefined;
  if (!name) return undefined;
  const target = promote || abort;
  if (!CODEDEPLOY_ID.test(target) && !SERVICE_DEPLOYMENT_ARN.test(target)) {
    return fail(
      name,
      `${describeValue(target)} is neither a CodeDeploy deployment id nor an ECS service deployment ARN. ` +
        `Pass the deploy step's output, e.g. ${name}: \${{ steps.deploy.outputs.codedeploy-deployment-id }} or \${{ steps.deploy.outputs.service-deployment-arn }}.`,
    );
  }
  const clashing = RELEASE_INPUTS.filter((other) => input(other) !== '');
  if (clashing.length > 0) {
    return fail(
      name,
      `continues a deployment that already has its task definition, so ${clashing.join(', ')} cannot be set in the same step. Remove ${clashing.length === 1 ? 'it' : 'them'}.`,
    );
  }
  return { action: name, target };
}

export type Input = (name: InputName) => string;
export type Fail = (name: InputName, message: string) => undefined;

export function parseTaskDefinitionSource(
  input: Input,
  fail: Fail,
  resolve: (file: string) => string,
  service: string | undefined,
): TaskDefinitionSource | undefined {
  const file = input('task-definition');
  const familyText = input('task-definition-family');
  const arn = input('task-definition-arn');
  // The official render action's `task-definition-revision`: with a family, that revision of it.
  const revision = input('task-definition-revision');
  if (revision !== '') {
    if (!/^[1-9]\d*$/.test(revision)) {
      return fail(
        'task-definition-revision',
        `${describeValue(revision)} is not a revision number. Expected a whole number from 1, e.g. task-definition-revision: 42 (with task-definition-family: web).`,
      );
    }
    if (familyText === '' || familyText.includes(':')) {
      return fail(
        'task-definition-revision',
        familyText === ''
          ? 'is set but task-definition-family is not, so it is unclear which family it is a revision of. Set task-definition-family too, e.g. task-definition-family: web.'
          : `is set, but task-definition-family (${describeValue(familyText)}) names a revision already. Keep one of them.`,
      );
    }
  }
  const family = revision !== '' ? `${familyText}:${revision}` : familyText;
  const given = (
    [
      ['task-definition', file],
      ['task-definition-family', family],
      ['task-definition-arn', arn],
    ] as const
  ).filter(([, value]) => value !== '');
  if (given.length > 1) {
    return fail(
      given[0][0],
      `only one of task-definition, task-definition-family and task-definition-arn may be set, but ` +
        `${given.map(([name]) => name).join(' and ')} are. Keep the one to start from, e.g. task-definition: .aws/task-definition.json.`,
    );
  }
  if (file !== '') {
    if (file.startsWith('arn:')) {
      return fail(
        'task-definition',
        `${describeValue(file)} is an ARN, but task-definition is a file path. To start from a registered revision ` +
          `use task-definition-arn: ${file}, or give a file, e.g. task-definition: .aws/task-definition.json.`,
      );
    }
    return { kind: 'file', path: resolve(file) };
  }
  if (family !== '') {
    if (!FAMILY.test(family)) {
      return fail(
        'task-definition-family',
        `${describeValue(family)} is not a task definition family. Expected a family name, optionally with a revision ` +
          '(letters, digits, - and _), e.g. task-definition-family: web or task-definition-family: web:42' +
          (family.startsWith('arn:') ? '; for an ARN use task-definition-arn.' : '.'),
      );
    }
    return { kind: 'family', family };
  }
  if (arn !== '') {
    // The full ARN, or family:revision, which DescribeTaskDefinition takes as well.
    if (!TASK_DEFINITION_ARN.test(arn) && !FAMILY_REVISION.test(arn)) {
      return fail(
        'task-definition-arn',
        `${describeValue(arn)} is not a task definition ARN. Expected the full ARN or family:revision, e.g. task-definition-arn: ` +
          'arn:aws:ecs:us-east-1:123456789012:task-definition/web:42 or task-definition-arn: web:42; for a family name use task-definition-family.',
      );
    }
    return { kind: 'arn', arn };
  }
  if (!service) {
    return fail(
      'task-definition',
      'is not set, and neither is task-definition-family, task-definition-arn or service, so there is no task ' +
        'definition to start from. Set task-definition to a JSON or YAML file, e.g. task-definition: .aws/task-definition.json ' +
        '(or set service to start from the revision it runs).',
    );
  }
  return { kind: 'service' };
}

export function parseAppSpecSource(
  input: Input,
  fail: Fail,
  resolve: (file: string) => string,
  fileExists: (path: string) => boolean,
  isDirectory: (path: string) => boolean,
): AppSpecSource | undefined {
  const value = input('codedeploy-appspec');
  if (value.trim() === '') {
    for (const name of DEFAULT_APPSPEC_FILES) {
      const candidate = resolve(name);
      if (fileExists(candidate)) return { kind: 'file', path: candidate };
    }
    return { kind: 'generate' };
  }
  const trimmed = value.trim();
  if (trimmed.includes('\n') || trimmed.startsWith('{') || /^version\b/.test(trimmed)) {
    return { kind: 'inline', content: trimmed };
  }
  const file = resolve(trimmed);
  if (fileExists(file)) return { kind: 'file', path: file };
  const why = isDirectory(file) ? `is a directory (${file})` : `does not exist (looked for ${file})`;
  return fail(
    'codedeploy-appspec',
    `${trimmed} ${why}. Expected a YAML or JSON AppSpec file relative to the workspace, e.g. codedeploy-appspec: ` +
      'appspec.yaml, or the AppSpec itself inline (starting with "version:" or "{").',
  );
}
