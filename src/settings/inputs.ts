/**
 * The inputs, whichever front end read them (action/inputs.ts: core.getInput; cli/inputs.ts: flags and
 * --config), turned into one typed Settings object, or a failure listing every input problem at once
 * (one line each, naming the input, the expected form and an example) before anything is read from or
 * changed in AWS.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { describeValue, UserError } from '../text/errors.js';
import { parseCheckInputs } from './check-inputs.js';
import { parseManagedEbsVolume } from './ebs-inputs.js';
import { inputReader } from './parse.js';
import {
  anyContainerInput,
  CONTAINER_INPUTS,
  parseContainerInputs,
  parseTaskLevelInputs,
  TASK_LEVEL_INPUTS,
} from './container-inputs.js';
import { parseRunTaskInputs, RUN_TASK_INPUTS } from './run-task-inputs.js';
import { parseAfterReleaseInputs } from './after-release-inputs.js';
import { parseServiceInputs } from './service-inputs.js';
import { parseAppSpecSource, parseContinuation, parseTaskDefinitionSource } from './source-inputs.js';

export { DEFAULT_APPSPEC_FILES, RELEASE_INPUTS } from './source-inputs.js';
import type {
  ContainerImage,
  EnvironmentVariable,
  OnConflict,
  OnStop,
  RunContext,
  Settings,
  TaskDefinitionSource,
  WaitUntil,
} from './settings.js';

/** GitHub cancels a job after 6 hours (360 minutes): waiting longer can never succeed. */
export const MAX_WAIT_MINUTES = 360;
export const DEFAULT_WAIT_MINUTES = 30;
/** More retries of one AWS call than this only hold a failing step for many minutes. */
export const MAX_RETRIES = 10;

/** Where the task definition comes from and how it is changed (what the CLI's `render` takes). */
export const SOURCE_AND_RENDER_INPUTS = [
  'task-definition',
  'task-definition-family',
  'task-definition-arn',
  'task-definition-revision',
  'container-name',
  'image',
  'images',
  'environment-variables',
  ...CONTAINER_INPUTS,
  ...TASK_LEVEL_INPUTS,
] as const;

/** Every input of action.yml, in the order they are documented. */
export const INPUT_NAMES = [
  ...SOURCE_AND_RENDER_INPUTS,
  'cluster',
  'service',
  'max-parallel',
  'on-service-failure',
  'scheduled-tasks',
  'deregister-old-revisions',
  'register',
  'dry-run',
  'codedeploy-appspec',
  'codedeploy-application',
  'codedeploy-deployment-group',
  'codedeploy-deployment-config',
  'codedeploy-deployment-description',
  'wait-for-service-stability',
  'wait-for-minutes',
  'wait-until',
  'wait-max-delay-seconds',
  'on-timeout',
  'on-cancel',
  'on-conflict',
  'verify',
  'max-task-failures',
  'app-logs',
  'desired-count',
  'force-new-deployment',
  'enable-ecs-managed-tags',
  'propagate-tags',
  'service-managed-ebs-volume-name',
  'service-managed-ebs-volume',
  'keep-null-value-keys',
  'max-retries',
  'promote',
  'abort',
  ...RUN_TASK_INPUTS,
] as const;

export type InputName = (typeof INPUT_NAMES)[number];

const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CLUSTER_ARN = /^arn:[\w-]+:ecs:[\w-]+:\d{12}:cluster\/([A-Za-z0-9_-]{1,255})$/;

/**
 * A malformed environment-variables line may be a piece of a secret (a multi-line value spilled over
 * several lines): quote it only when it is short, like a name; a base64 or PEM line is longer.
 */
function quoteUnlessSecretLike(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= 32) return describeValue(text);
  return `${trimmed.length} characters, not shown in case it is part of a secret`;
}

const MULTI_LINE_HINT =
  " A value cannot span lines: pass multi-line values and secrets through the task definition's `secrets` (Secrets Manager or SSM Parameter Store).";

/**
 * Parses and checks the inputs. `getInput` returns '' for an input that is not set; `fileExists`
 * answers whether a regular file is at an absolute path; `isDirectory` whether a directory is (only
 * used to explain a path that is not a file).
 */
export function parseSettings(
  getInput: (name: string) => string,
  env: Record<string, string | undefined>,
  fileExists: (path: string) => boolean,
  isDirectory: (path: string) => boolean = () => false,
): Settings {
  const read = inputReader<InputName>(getInput);
  const { text: input, fail } = read;

  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const resolve = (file: string): string => path.resolve(workspace, file);

  // --- promote / abort: act on an existing deployment, render nothing ------------------------------
  const continuation = parseContinuation(input, fail);

  // --- where the task definition comes from -------------------------------------------------------
  const releaseTo = parseServiceInputs(read, input('cluster') || 'default');
  const service = releaseTo.services[0]?.service;
  // Also when promote/abort is malformed: its own error says what to fix, nothing else applies.
  const continuing = input('promote') !== '' || input('abort') !== '';
  const taskDefinition: TaskDefinitionSource | undefined = continuing
    ? { kind: 'service' }
    : parseTaskDefinitionSource(input, fail, resolve, service);

  // --- images and environment ---------------------------------------------------------------------
  const containerNames = read.list('container-name');
  containerNames.forEach((name, index) => {
    if (containerNames.indexOf(name) !== index) {
      fail(
        'container-name',
        `names container "${name}" twice. Name each container once, e.g. container-name: app,worker.`,
      );
    } else if (!CONTAINER_NAME.test(name)) {
      fail(
        'container-name',
        `${describeValue(name)} is not a container name. Expected the name of a container in the task definition ` +
          '(letters, digits, - and _), or several separated by commas, e.g. container-name: app or container-name: app,worker.',
      );
    }
  });
  const image = input('image');
  const environmentText = input('environment-variables');
  const container = parseContainerInputs(read);
  const taskLevel = parseTaskLevelInputs(read);
  const containerInputsGiven = CONTAINER_INPUTS.filter((name) => input(name) !== '');
  if (containerInputsGiven.length > 0 && containerNames.length === 0) {
    const more = containerInputsGiven.slice(1);
    fail(
      containerInputsGiven[0],
      `${more.length === 0 ? 'is' : `(and ${more.join(', ')}) are`} set but container-name is not, so it is unclear which container gets ${more.length === 0 ? 'it' : 'them'}. Set container-name, e.g. container-name: app.`,
    );
  }
  const containerImages: ContainerImage[] = [];
  const namedBy = new Map<string, string>(); // container → where it got its image, for the "twice" message

  if (image !== '') {
    if (/\s/.test(image)) {
      fail(
        'image',
        `${describeValue(image)} contains whitespace. Expected one image URI, e.g. image: ${EXAMPLE_IMAGE}.`,
      );
    } else if (containerNames.length === 0) {
      fail(
        'image',
        'is set but container-name is not, so it is unclear which container gets the image. ' +
          `Set container-name too, e.g. container-name: app, or use images with one container=image per line, e.g. images: app=${EXAMPLE_IMAGE}.`,
      );
    }
    for (const container of new Set(containerNames)) {
      namedBy.set(container, 'container-name');
      containerImages.push({ container, image });
    }
  } else if (containerNames.length > 0 && environmentText === '' && !anyContainerInput(container)) {
    fail(
      'container-name',
      `is set (${containerNames.join(', ')}) but image is not, so nothing would change in that container. ` +
        `Set image too, e.g. image: ${EXAMPLE_IMAGE}, or environment-variables for that container; ` +
        'to set the images of several containers use images alone.',
    );
  }

  read.lines('images').forEach(({ text, line }) => {
    const separator = text.indexOf('=');
    const container = separator < 0 ? '' : text.slice(0, separator).trim();
    const containerImage = separator < 0 ? '' : text.slice(separator + 1).trim();
    const expected = `Expected one container=image per line, e.g. images: app=${EXAMPLE_IMAGE}.`;
    if (separator < 0 || container === '' || containerImage === '') {
      fail('images', `line ${line} (${describeValue(text)}) is not container=image. ${expected}`);
      return;
    }
    if (!CONTAINER_NAME.test(container)) {
      fail(
        'images',
        `line ${line}: ${describeValue(container)} is not a container name (letters, digits, - and _). ${expected}`,
      );
      return;
    }
    if (/\s/.test(containerImage)) {
      fail(
        'images',
        `line ${line}: the image for "${container}" contains whitespace (${describeValue(containerImage)}). ${expected}`,
      );
      return;
    }
    const earlier = namedBy.get(container);
    if (earlier !== undefined) {
      fail(
        'images',
        `line ${line} names container "${container}" again (${earlier} already sets its image). ` +
          `Give each container one image, e.g. images: app=${EXAMPLE_IMAGE}.`,
      );
      return;
    }
    namedBy.set(container, `images line ${line}`);
    containerImages.push({ container, image: containerImage });
  });

  const environmentVariables: EnvironmentVariable[] = [];
  const variableLines = new Map<string, number>();
  read.lines('environment-variables').forEach(({ text, line }) => {
    const separator = text.indexOf('=');
    const name = separator < 0 ? text.trim() : text.slice(0, separator).trim();
    const expected = 'Expected NAME=value per line, e.g. environment-variables: LOG_LEVEL=info.';
    if (separator < 0) {
      fail(
        'environment-variables',
        `line ${line} (${quoteUnlessSecretLike(text)}) has no "=". ${expected}${MULTI_LINE_HINT}`,
      );
      return;
    }
    if (!VARIABLE_NAME.test(name)) {
      fail(
        'environment-variables',
        `line ${line}: ${quoteUnlessSecretLike(name)} is not a variable name (letters, digits and _, not starting with a digit). ${expected}${MULTI_LINE_HINT}`,
      );
      return;
    }
    const earlier = variableLines.get(name);
    if (earlier !== undefined) {
      fail(
        'environment-variables',
        `sets ${name} twice (lines ${earlier} and ${line}). Keep one of them. ${expected}`,
      );
      return;
    }
    variableLines.set(name, line);
    environmentVariables.push({ name, value: text.slice(separator + 1) });
  });
  if (environmentVariables.length > 0 && containerNames.length === 0) {
    fail(
      'environment-variables',
      'are set but container-name is not, so it is unclear which container gets them. Set container-name, e.g. container-name: app.',
    );
  }

  // --- where and how to deploy ----------------------------------------------------------------------
  const cluster = releaseTo.services[0]?.cluster ?? (input('cluster') || 'default');
  let clusterShortName = cluster;
  if (cluster.startsWith('arn:')) {
    const match = CLUSTER_ARN.exec(cluster);
    if (match) clusterShortName = match[1];
    else {
      fail(
        'cluster',
        `${describeValue(cluster)} is not a cluster ARN. Expected a cluster name or ARN, e.g. cluster: prod or ` +
          'cluster: arn:aws:ecs:us-east-1:123456789012:cluster/prod.',
      );
    }
  }
  const serviceShortName = service ?? '';
  const several = releaseTo.services.length > 1;
  if (several && continuing) {
    fail(
      'service',
      'names several services, but promote and abort act on one deployment. Give the one service it belongs to.',
    );
  }
  const afterRelease = parseAfterReleaseInputs(read, { continuing });

  const appSpec = parseAppSpecSource(input, fail, resolve, fileExists, isDirectory);

  const waitForServiceStability = read.boolean('wait-for-service-stability') ?? true;
  const waitForMinutes = read.minutes('wait-for-minutes', {
    minutes: MAX_WAIT_MINUTES,
    why: "GitHub's job time limit",
    example: 'wait-for-minutes: 30 or wait-for-minutes: 0.5',
  });
  const waitUntil = read.oneOf<WaitUntil>('wait-until', ['shifted', 'ready', 'complete']) ?? 'shifted';
  const serviceEbsVolume = parseManagedEbsVolume(
    read,
    'service-managed-ebs-volume',
    'service-managed-ebs-volume-name',
  );
  const maxDelaySeconds = read.count('wait-max-delay-seconds', 'wait-max-delay-seconds: 15');
  if (maxDelaySeconds === 0) {
    fail(
      'wait-max-delay-seconds',
      '0 would poll AWS without pause. Expected a number of seconds from 1, e.g. wait-max-delay-seconds: 15.',
    );
  }
  const onTimeout = read.oneOf<OnStop>('on-timeout', ['rollback', 'leave']) ?? 'rollback';
  const onCancel = read.oneOf<OnStop>('on-cancel', ['rollback', 'leave']) ?? 'rollback';
  const onConflict = read.oneOf<OnConflict>('on-conflict', ['wait', 'stop', 'fail']) ?? 'wait';
  const checks = parseCheckInputs(read);
  const desiredCount = read.count('desired-count', 'desired-count: 2');
  const forceNewDeployment = read.boolean('force-new-deployment') ?? false;
  const enableEcsManagedTags = read.boolean('enable-ecs-managed-tags');
  const propagateTags = read.oneOf('propagate-tags', ['TASK_DEFINITION', 'SERVICE', 'NONE'] as const);
  const keepNullValueKeys = read.list('keep-null-value-keys');
  for (const key of keepNullValueKeys) {
    if (/\s/.test(key)) {
      fail(
        'keep-null-value-keys',
        `${describeValue(key)} is not a key name. Expected task definition key names separated by commas, e.g. keep-null-value-keys: tag,options.`,
      );
    }
  }
  const maxRetries = read.count('max-retries', 'max-retries: 5');
  if (maxRetries !== undefined && maxRetries > MAX_RETRIES) {
    fail(
      'max-retries',
      `${maxRetries} is more than ${MAX_RETRIES}. Each retry waits longer (up to 20 s), so more would hold a failing step for many minutes; expected 0 to ${MAX_RETRIES}, e.g. max-retries: 5.`,
    );
  }
  const runTask = parseRunTaskInputs(read);
  if (runTask && continuing)
    fail('run-task', 'cannot be used with promote or abort, which release nothing new. Remove it.');

  const register = read.boolean('register') ?? false;
  const dryRun = read.boolean('dry-run') ?? false;
  if (dryRun && continuing) {
    fail(
      'dry-run',
      'cannot be used with promote or abort: they act on a deployment already running. Remove it.',
    );
  }
  if (read.problems.length > 0) throw new UserError(read.problems.join('\n'));

  return {
    source: { taskDefinition: taskDefinition! },
    render: {
      containerImages,
      environmentVariables,
      environmentContainers: containerNames,
      keepNullValueKeys,
      container,
      taskLevel,
    },
    target: {
      cluster,
      service,
      services: releaseTo.services,
      maxParallel: releaseTo.maxParallel,
      onServiceFailure: releaseTo.onServiceFailure,
      register,
      dryRun,
    },
    codeDeploy: {
      appSpec: appSpec!,
      application: input('codedeploy-application') || `AppECS-${clusterShortName}-${serviceShortName}`,
      deploymentGroup:
        input('codedeploy-deployment-group') || `DgpECS-${clusterShortName}-${serviceShortName}`,
      given: {
        application: input('codedeploy-application') || undefined,
        deploymentGroup: input('codedeploy-deployment-group') || undefined,
      },
      deploymentConfig: input('codedeploy-deployment-config') || undefined,
      description: input('codedeploy-deployment-description') || undefined,
      onConflict,
    },
    wait: {
      follow: waitForServiceStability,
      minutes: waitForMinutes ?? DEFAULT_WAIT_MINUTES,
      until: waitUntil,
      onTimeout,
      onCancel,
      maxDelaySeconds,
    },
    checks,
    serviceUpdate: {
      desiredCount,
      forceNewDeployment,
      enableEcsManagedTags,
      propagateTags,
      managedEbsVolume: serviceEbsVolume,
    },
    runTask,
    continuation,
    afterRelease,
    runner: {
      workspace,
      runnerTemp: env.RUNNER_TEMP || os.tmpdir(),
      run: runContext(env),
      maxRetries,
      givenInputs: INPUT_NAMES.filter((name) => input(name) !== ''),
    },
  };
}

const EXAMPLE_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.2.3';

function runContext(env: Record<string, string | undefined>): RunContext {
  const optional = (name: string): string | undefined => env[name] || undefined;
  return {
    repository: optional('GITHUB_REPOSITORY'),
    sha: optional('GITHUB_SHA'),
    ref: optional('GITHUB_REF'),
    serverUrl: optional('GITHUB_SERVER_URL') ?? 'https://github.com',
    runId: optional('GITHUB_RUN_ID'),
    runAttempt: optional('GITHUB_RUN_ATTEMPT'),
    workflow: optional('GITHUB_WORKFLOW'),
    actor: optional('GITHUB_ACTOR'),
  };
}
