import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../../../src/text/errors.js';
import { INPUT_NAMES, parseSettings } from '../../../src/settings/inputs.js';

const WORKSPACE = '/ws';
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.2.3';

function settingsFrom(
  inputs: Record<string, string>,
  {
    env = {},
    files = [],
    dirs = [],
  }: { env?: Record<string, string>; files?: string[]; dirs?: string[] } = {},
) {
  for (const name of Object.keys(inputs)) expect(INPUT_NAMES).toContain(name);
  return parseSettings(
    (name) => inputs[name] ?? '',
    { GITHUB_WORKSPACE: WORKSPACE, RUNNER_TEMP: '/tmp/runner', ...env },
    (file) => files.includes(file),
    (file) => dirs.includes(file),
  );
}

function errorFrom(inputs: Record<string, string>, options?: Parameters<typeof settingsFrom>[1]): UserError {
  try {
    settingsFrom(inputs, options);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

const base = { 'task-definition': '.aws/td.json', 'container-name': 'app', image: IMAGE, service: 'web' };

describe('parseSettings: defaults', () => {
  it('fills in the documented defaults', () => {
    const settings = settingsFrom(base, {
      env: {
        GITHUB_REPOSITORY: 'acme/web',
        GITHUB_SHA: 'abc123',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_RUN_ID: '42',
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_WORKFLOW: 'deploy',
        GITHUB_ACTOR: 'octocat',
      },
    });
    expect(settings).toEqual({
      source: { taskDefinition: { kind: 'file', path: '/ws/.aws/td.json' } },
      render: {
        containerImages: [{ container: 'app', image: IMAGE }],
        environmentVariables: [],
        environmentContainers: ['app'],
        keepNullValueKeys: [],
        container: {
          command: undefined,
          secrets: [],
          environmentFiles: [],
          dockerLabels: [],
          logDriver: undefined,
          logOptions: [],
        },
        taskLevel: { taskRoleArn: undefined, executionRoleArn: undefined, cpu: undefined, memory: undefined },
      },
      target: {
        cluster: 'default',
        service: 'web',
        services: [{ cluster: 'default', service: 'web' }],
        maxParallel: 4,
        onServiceFailure: 'stop-others',
        register: false,
        dryRun: false,
      },
      codeDeploy: {
        appSpec: { kind: 'generate' },
        application: 'AppECS-default-web',
        deploymentGroup: 'DgpECS-default-web',
        deploymentConfig: undefined,
        description: undefined,
        given: {},
        onConflict: 'wait',
      },
      afterRelease: {},
      wait: {
        follow: true,
        minutes: 30,
        until: 'shifted',
        onTimeout: 'rollback',
        onCancel: 'rollback',
        maxDelaySeconds: undefined,
      },
      checks: { verify: 'strict', maxTaskFailures: undefined, appLogs: true },
      serviceUpdate: {
        desiredCount: undefined,
        forceNewDeployment: false,
        enableEcsManagedTags: undefined,
        propagateTags: undefined,
      },
      runTask: undefined,
      continuation: undefined,
      runner: {
        workspace: '/ws',
        runnerTemp: '/tmp/runner',
        maxRetries: undefined,
        givenInputs: ['task-definition', 'container-name', 'image', 'service'],
        run: {
          repository: 'acme/web',
          sha: 'abc123',
          ref: 'refs/heads/main',
          serverUrl: 'https://github.com',
          runId: '42',
          runAttempt: '1',
          workflow: 'deploy',
          actor: 'octocat',
        },
      },
    });
  });

  it('falls back to the working directory and the OS temp dir', () => {
    const settings = parseSettings(
      (name) => ({ 'task-definition': 'td.json' })[name] ?? '',
      { GITHUB_SERVER_URL: 'https://ghe.example.com' },
      () => false,
    );
    expect(settings.runner.workspace).toBe(process.cwd());
    expect(settings.source.taskDefinition).toEqual({
      kind: 'file',
      path: path.join(process.cwd(), 'td.json'),
    });
    expect(settings.runner.runnerTemp).toBe(os.tmpdir());
    expect(settings.runner.run.serverUrl).toBe('https://ghe.example.com');
  });

  it('names the CodeDeploy application and group after the cluster name when given an ARN', () => {
    const settings = settingsFrom({ ...base, cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod' });
    expect(settings.target.cluster).toBe('arn:aws:ecs:us-east-1:123456789012:cluster/prod');
    expect(settings.codeDeploy.application).toBe('AppECS-prod-web');
    expect(settings.codeDeploy.deploymentGroup).toBe('DgpECS-prod-web');
  });

  it("keeps a service ARN's cluster as a cluster ARN, so that its region and account are checked", () => {
    const settings = settingsFrom({
      ...base,
      cluster: 'prod',
      service: 'arn:aws:ecs:eu-west-1:210987654321:service/batch/jobs\nweb',
    });
    expect(settings.target.services).toEqual([
      { cluster: 'arn:aws:ecs:eu-west-1:210987654321:cluster/batch', service: 'jobs' },
      { cluster: 'prod', service: 'web' },
    ]);
  });

  it('keeps explicit CodeDeploy names, config and description', () => {
    const settings = settingsFrom({
      ...base,
      'codedeploy-application': 'app',
      'codedeploy-deployment-group': 'group',
      'codedeploy-deployment-config': 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      'codedeploy-deployment-description': 'release 1.2.3',
    });
    expect(settings.codeDeploy).toMatchObject({
      application: 'app',
      deploymentGroup: 'group',
      deploymentConfig: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      description: 'release 1.2.3',
    });
  });

  it('parses every option', () => {
    const settings = settingsFrom({
      ...base,
      'wait-for-service-stability': 'FALSE',
      'wait-for-minutes': '0.5',
      'wait-until': 'complete',
      'on-timeout': 'leave',
      'on-cancel': 'leave',
      'on-conflict': 'stop',
      'desired-count': '0',
      'force-new-deployment': 'True',
      'enable-ecs-managed-tags': 'true',
      'propagate-tags': 'service',
      'keep-null-value-keys': 'tag, options,,',
      'max-retries': '5',
    });
    expect(settings).toMatchObject({
      wait: { follow: false, minutes: 0.5, until: 'complete', onTimeout: 'leave', onCancel: 'leave' },
      codeDeploy: { onConflict: 'stop' },
      serviceUpdate: {
        desiredCount: 0,
        forceNewDeployment: true,
        enableEcsManagedTags: true,
        propagateTags: 'SERVICE',
      },
      render: { keepNullValueKeys: ['tag', 'options'] },
      runner: { maxRetries: 5 },
    });
  });

  it('reads verify and max-task-failures (auto: scaled later; 0: never stop early)', () => {
    expect(settingsFrom({ ...base, verify: 'WARN', 'max-task-failures': '0' }).checks).toEqual({
      verify: 'warn',
      maxTaskFailures: 0,
      appLogs: true,
    });
    expect(
      settingsFrom({ ...base, verify: 'off', 'max-task-failures': 'auto', 'app-logs': 'false' }).checks,
    ).toEqual({
      verify: 'off',
      maxTaskFailures: undefined,
      appLogs: false,
    });
    expect(settingsFrom({ ...base, 'max-task-failures': '7' }).checks.maxTaskFailures).toBe(7);
  });

  it('accepts wait-for-minutes up to 360', () => {
    expect(settingsFrom({ ...base, 'wait-for-minutes': '360' }).wait.minutes).toBe(360);
  });
});

describe('parseSettings: task definition source', () => {
  it('keeps an absolute path', () => {
    expect(settingsFrom({ ...base, 'task-definition': '/abs/td.yaml' }).source.taskDefinition).toEqual({
      kind: 'file',
      path: '/abs/td.yaml',
    });
  });

  it('starts from a family or an ARN', () => {
    expect(
      settingsFrom({ ...base, 'task-definition': '', 'task-definition-family': 'web:3' }).source
        .taskDefinition,
    ).toEqual({
      kind: 'family',
      family: 'web:3',
    });
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3';
    expect(
      settingsFrom({ ...base, 'task-definition': '', 'task-definition-arn': arn }).source.taskDefinition,
    ).toEqual({
      kind: 'arn',
      arn,
    });
  });

  it("starts from the service's revision when none is given", () => {
    expect(settingsFrom({ ...base, 'task-definition': '' }).source.taskDefinition).toEqual({
      kind: 'service',
    });
  });
});

describe('parseSettings: images and environment', () => {
  it('sets the same image on each comma-separated container', () => {
    expect(settingsFrom({ ...base, 'container-name': 'app, worker' }).render.containerImages).toEqual([
      { container: 'app', image: IMAGE },
      { container: 'worker', image: IMAGE },
    ]);
  });

  it('reads images one container=image per line, ignoring blank lines, comments and spaces', () => {
    const settings = settingsFrom({
      'task-definition': 'td.json',
      images: `\n  app = ${IMAGE}\n\n# the sidecar\nenvoy=public.ecr.aws/appmesh/envoy:v1\n`,
    });
    expect(settings.render.containerImages).toEqual([
      { container: 'app', image: IMAGE },
      { container: 'envoy', image: 'public.ecr.aws/appmesh/envoy:v1' },
    ]);
  });

  it('combines container-name/image with images', () => {
    const settings = settingsFrom({ ...base, images: 'envoy=envoy:2' });
    expect(settings.render.containerImages).toEqual([
      { container: 'app', image: IMAGE },
      { container: 'envoy', image: 'envoy:2' },
    ]);
    expect(settings.render.environmentContainers).toEqual(['app']);
  });

  it('reads environment variables, values may contain = and be empty', () => {
    const settings = settingsFrom({
      ...base,
      'environment-variables': 'LOG_LEVEL=debug\nDATABASE_URL=postgres://u:p@db/x?a=b\n\nEMPTY=',
    });
    expect(settings.render.environmentVariables).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'DATABASE_URL', value: 'postgres://u:p@db/x?a=b' },
      { name: 'EMPTY', value: '' },
    ]);
  });

  it('allows container-name without image when it only receives environment variables', () => {
    const settings = settingsFrom({
      'task-definition': 'td.json',
      'container-name': 'app',
      'environment-variables': 'A=1',
    });
    expect(settings.render.containerImages).toEqual([]);
    expect(settings.render.environmentContainers).toEqual(['app']);
  });
});

describe('parseSettings: AppSpec source', () => {
  it('takes inline content', () => {
    const yaml = 'version: 0.0\nResources: []';
    expect(settingsFrom({ ...base, 'codedeploy-appspec': yaml }).codeDeploy.appSpec).toEqual({
      kind: 'inline',
      content: yaml,
    });
    expect(settingsFrom({ ...base, 'codedeploy-appspec': '{"version": 0}' }).codeDeploy.appSpec).toEqual({
      kind: 'inline',
      content: '{"version": 0}',
    });
  });

  it('takes a path that exists', () => {
    expect(
      settingsFrom(
        { ...base, 'codedeploy-appspec': 'deploy/appspec.yaml' },
        { files: ['/ws/deploy/appspec.yaml'] },
      ).codeDeploy.appSpec,
    ).toEqual({
      kind: 'file',
      path: '/ws/deploy/appspec.yaml',
    });
  });

  it('finds appspec.yaml, .yml or .json in the workspace when not set', () => {
    expect(settingsFrom(base, { files: ['/ws/appspec.yml', '/ws/appspec.json'] }).codeDeploy.appSpec).toEqual(
      {
        kind: 'file',
        path: '/ws/appspec.yml',
      },
    );
  });
});

describe('parseSettings: bad inputs', () => {
  const IMAGES_EXPECTED = `Expected one container=image per line, e.g. images: app=${IMAGE}.`;
  const ENV_EXPECTED = 'Expected NAME=value per line, e.g. environment-variables: LOG_LEVEL=info.';
  const MULTI_LINE =
    " A value cannot span lines: pass multi-line values and secrets through the task definition's `secrets` (Secrets Manager or SSM Parameter Store).";
  const MINUTES_EXPECTED =
    "Expected a number of minutes greater than 0 and at most 360 (GitHub's job time limit), decimals allowed, e.g. wait-for-minutes: 30 or wait-for-minutes: 0.5.";

  const cases: [string, Record<string, string>, string][] = [
    [
      'no task definition and no service',
      { 'container-name': 'app', image: IMAGE },
      'task-definition: is not set, and neither is task-definition-family, task-definition-arn or service, so there is no task definition to start from. Set task-definition to a JSON or YAML file, e.g. task-definition: .aws/task-definition.json (or set service to start from the revision it runs).',
    ],
    [
      'two task definition sources',
      { ...base, 'task-definition-family': 'web' },
      'task-definition: only one of task-definition, task-definition-family and task-definition-arn may be set, but task-definition and task-definition-family are. Keep the one to start from, e.g. task-definition: .aws/task-definition.json.',
    ],
    [
      'an ARN as task-definition',
      { ...base, 'task-definition': 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3' },
      'task-definition: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3" is an ARN, but task-definition is a file path. To start from a registered revision use task-definition-arn: arn:aws:ecs:us-east-1:123456789012:task-definition/web:3, or give a file, e.g. task-definition: .aws/task-definition.json.',
    ],
    [
      'a malformed family',
      { ...base, 'task-definition': '', 'task-definition-family': 'web app' },
      'task-definition-family: "web app" is not a task definition family. Expected a family name, optionally with a revision (letters, digits, - and _), e.g. task-definition-family: web or task-definition-family: web:42.',
    ],
    [
      'a malformed ARN',
      { ...base, 'task-definition': '', 'task-definition-arn': 'web/3' },
      'task-definition-arn: "web/3" is not a task definition ARN. Expected the full ARN or family:revision, e.g. task-definition-arn: arn:aws:ecs:us-east-1:123456789012:task-definition/web:42 or task-definition-arn: web:42; for a family name use task-definition-family.',
    ],
    [
      'image without container-name',
      { 'task-definition': 'td.json', image: IMAGE },
      `image: is set but container-name is not, so it is unclear which container gets the image. Set container-name too, e.g. container-name: app, or use images with one container=image per line, e.g. images: app=${IMAGE}.`,
    ],
    [
      'container-name without image',
      { 'task-definition': 'td.json', 'container-name': 'app' },
      `container-name: is set (app) but image is not, so nothing would change in that container. Set image too, e.g. image: ${IMAGE}, or environment-variables for that container; to set the images of several containers use images alone.`,
    ],
    [
      'an image with whitespace',
      { ...base, image: `${IMAGE} --latest` },
      `image: "${IMAGE} --latest" contains whitespace. Expected one image URI, e.g. image: ${IMAGE}.`,
    ],
    [
      'a bad container name',
      { ...base, 'container-name': 'app;rm' },
      'container-name: "app;rm" is not a container name. Expected the name of a container in the task definition (letters, digits, - and _), or several separated by commas, e.g. container-name: app or container-name: app,worker.',
    ],
    [
      'a container named twice in container-name',
      { ...base, 'container-name': 'app,app' },
      'container-name: names container "app" twice. Name each container once, e.g. container-name: app,worker.',
    ],
    [
      'images naming a container twice',
      { 'task-definition': 'td.json', images: 'app=a:1\nworker=w:1\napp=a:2' },
      `images: line 3 names container "app" again (images line 1 already sets its image). Give each container one image, e.g. images: app=${IMAGE}.`,
    ],
    [
      'images naming the container of container-name',
      { ...base, images: 'app=a:2' },
      `images: line 1 names container "app" again (container-name already sets its image). Give each container one image, e.g. images: app=${IMAGE}.`,
    ],
    [
      'an images line without =',
      { 'task-definition': 'td.json', images: 'app' },
      `images: line 1 ("app") is not container=image. ${IMAGES_EXPECTED}`,
    ],
    [
      'an images line without an image',
      { 'task-definition': 'td.json', images: 'app=' },
      `images: line 1 ("app=") is not container=image. ${IMAGES_EXPECTED}`,
    ],
    [
      'an image with whitespace in images',
      { 'task-definition': 'td.json', images: 'app=web:1 web:2' },
      `images: line 1: the image for "app" contains whitespace ("web:1 web:2"). ${IMAGES_EXPECTED}`,
    ],
    [
      'a bad container name in images',
      { 'task-definition': 'td.json', images: 'my app=web:1' },
      `images: line 1: "my app" is not a container name (letters, digits, - and _). ${IMAGES_EXPECTED}`,
    ],
    [
      'an environment line without =',
      { ...base, 'environment-variables': 'LOG_LEVEL' },
      `environment-variables: line 1 ("LOG_LEVEL") has no "=". ${ENV_EXPECTED}${MULTI_LINE}`,
    ],
    [
      'a multi-line secret spilled over several lines (not echoed)',
      {
        ...base,
        'environment-variables':
          'KEY=-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ',
      },
      `environment-variables: line 2 (50 characters, not shown in case it is part of a secret) has no "=". ${ENV_EXPECTED}${MULTI_LINE}`,
    ],
    [
      'a bad variable name',
      { ...base, 'environment-variables': 'A=1\n1FOO=bar' },
      `environment-variables: line 2: "1FOO" is not a variable name (letters, digits and _, not starting with a digit). ${ENV_EXPECTED}${MULTI_LINE}`,
    ],
    [
      'a variable set twice',
      { ...base, 'environment-variables': 'A=1\nA=2' },
      `environment-variables: sets A twice (lines 1 and 2). Keep one of them. ${ENV_EXPECTED}`,
    ],
    [
      'environment variables without container-name',
      { 'task-definition': 'td.json', 'environment-variables': 'A=1' },
      'environment-variables: are set but container-name is not, so it is unclear which container gets them. Set container-name, e.g. container-name: app.',
    ],
    [
      'a malformed cluster ARN',
      { ...base, cluster: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web' },
      'cluster: "arn:aws:ecs:us-east-1:123456789012:service/prod/web" is not a cluster ARN. Expected a cluster name or ARN, e.g. cluster: prod or cluster: arn:aws:ecs:us-east-1:123456789012:cluster/prod.',
    ],
    [
      'a missing AppSpec file',
      { ...base, 'codedeploy-appspec': 'deploy/appspec.yaml' },
      'codedeploy-appspec: deploy/appspec.yaml does not exist (looked for /ws/deploy/appspec.yaml). Expected a YAML or JSON AppSpec file relative to the workspace, e.g. codedeploy-appspec: appspec.yaml, or the AppSpec itself inline (starting with "version:" or "{").',
    ],
    ...(['wait-for-service-stability', 'force-new-deployment', 'enable-ecs-managed-tags'] as const).map(
      (name): [string, Record<string, string>, string] => [
        `a non-boolean ${name}`,
        { ...base, [name]: 'yes' },
        `${name}: "yes" is not a boolean. Expected true or false, e.g. ${name}: true.`,
      ],
    ),
    [
      'a non-numeric wait-for-minutes',
      { ...base, 'wait-for-minutes': '30m' },
      `wait-for-minutes: "30m" is not a number of minutes. ${MINUTES_EXPECTED}`,
    ],
    [
      'a negative wait-for-minutes',
      { ...base, 'wait-for-minutes': '-5' },
      `wait-for-minutes: "-5" is not a number of minutes. ${MINUTES_EXPECTED}`,
    ],
    [
      'a zero wait-for-minutes',
      { ...base, 'wait-for-minutes': '0' },
      `wait-for-minutes: "0" is not greater than 0. ${MINUTES_EXPECTED}`,
    ],
    [
      'a too long wait-for-minutes',
      { ...base, 'wait-for-minutes': '361' },
      `wait-for-minutes: "361" is more than 360. ${MINUTES_EXPECTED}`,
    ],
    [
      'a run-task that is not a boolean',
      { ...base, 'run-task': 'maybe' },
      'run-task: "maybe" is not a boolean. Expected true or false, e.g. run-task: true.',
    ],
    [
      'a wait-for-task-stopped that is not a boolean',
      { ...base, 'run-task': 'true', 'wait-for-task-stopped': 'yes' },
      'wait-for-task-stopped: "yes" is not a boolean. Expected true or false, e.g. wait-for-task-stopped: true.',
    ],
    [
      'run-task-started-by without run-task',
      { ...base, 'run-task-started-by': 'me' },
      'run-task-started-by: is set but run-task is not true, so no task would run. Set run-task: true, or remove run-task-started-by.',
    ],
    [
      'run-task-subnets and run-task-security-groups without run-task',
      { ...base, 'run-task-subnets': 'subnet-1', 'run-task-security-groups': 'sg-1' },
      'run-task-subnets: is set but run-task is not true, so no task would run. Set run-task: true, or remove run-task-subnets, run-task-security-groups.',
    ],
    [
      'run-task-security-groups without run-task',
      { ...base, 'run-task-security-groups': 'sg-1' },
      'run-task-security-groups: is set but run-task is not true, so no task would run. Set run-task: true, or remove run-task-security-groups.',
    ],
    [
      'an unknown run-task-launch-type',
      { ...base, 'run-task': 'true', 'run-task-launch-type': 'LAMBDA' },
      'run-task-launch-type: "LAMBDA" is not one of FARGATE, EC2, EXTERNAL. Expected one of them, e.g. run-task-launch-type: FARGATE.',
    ],
    [
      'malformed run-task-capacity-provider-strategy JSON',
      { ...base, 'run-task': 'true', 'run-task-capacity-provider-strategy': '[{' },
      'run-task-capacity-provider-strategy: is not valid JSON at line 1, column 3. Expected a JSON array of objects, e.g. run-task-capacity-provider-strategy: \'[{"capacityProvider": "FARGATE_SPOT", "weight": 1}]\'.',
    ],
    [
      'an unknown run-task-assign-public-IP',
      { ...base, 'run-task': 'true', 'run-task-assign-public-IP': 'yes' },
      'run-task-assign-public-IP: "yes" is not one of DISABLED, ENABLED. Expected one of them, e.g. run-task-assign-public-IP: DISABLED.',
    ],
    [
      'run-task-container-overrides that is not an array',
      { ...base, 'run-task': 'true', 'run-task-container-overrides': '{"name": "app"}' },
      'run-task-container-overrides: is not an array of objects. Expected a JSON array of objects, e.g. run-task-container-overrides: \'[{"name": "app", "command": ["npm", "run", "migrate"]}]\'.',
    ],
    [
      'malformed run-task-tags JSON',
      { ...base, 'run-task': 'true', 'run-task-tags': '[{"key": "a", "value": }]' },
      'run-task-tags: is not valid JSON at line 1, column 24. Expected a JSON array of objects, e.g. run-task-tags: \'[{"key": "purpose", "value": "migration"}]\'.',
    ],
    [
      'a promote target that is no deployment id or ARN',
      { service: 'web', promote: 'latest' },
      'promote: "latest" is neither a CodeDeploy deployment id nor an ECS service deployment ARN. ' +
        "Pass the deploy step's output, e.g. promote: ${{ steps.deploy.outputs.codedeploy-deployment-id }} or ${{ steps.deploy.outputs.service-deployment-arn }}.",
    ],
    [
      'promote together with abort',
      { promote: 'd-ABCDEF123', abort: 'd-ABCDEF123' },
      'abort: cannot be set together with promote. Use promote in one step and abort in another.',
    ],
    [
      'abort together with a new image',
      { abort: 'd-ABCDEF123', 'container-name': 'app', image: IMAGE },
      'abort: continues a deployment that already has its task definition, so image cannot be set in the same step. Remove it.',
    ],
    [
      'an unknown wait-until',
      { ...base, 'wait-until': 'stable' },
      'wait-until: "stable" is not one of shifted, ready, complete. Expected one of them, e.g. wait-until: shifted.',
    ],
    [
      'an unknown on-timeout',
      { ...base, 'on-timeout': 'abort' },
      'on-timeout: "abort" is not one of rollback, leave. Expected one of them, e.g. on-timeout: rollback.',
    ],
    [
      'an unknown on-cancel',
      { ...base, 'on-cancel': 'ignore' },
      'on-cancel: "ignore" is not one of rollback, leave. Expected one of them, e.g. on-cancel: rollback.',
    ],
    [
      'an unknown on-conflict',
      { ...base, 'on-conflict': 'queue' },
      'on-conflict: "queue" is not one of wait, stop, fail. Expected one of them, e.g. on-conflict: wait.',
    ],
    [
      'an unknown verify',
      { ...base, verify: 'yes' },
      'verify: "yes" is not one of strict, warn, off. Expected one of them, e.g. verify: strict.',
    ],
    [
      'a max-task-failures that is not a number',
      { ...base, 'max-task-failures': 'few' },
      'max-task-failures: "few" is not a whole number. Expected 0 or more, e.g. max-task-failures: 5 (0: never stop early; auto: scaled with the desired count).',
    ],
    [
      'an app-logs that is not a boolean',
      { ...base, 'app-logs': 'no' },
      'app-logs: "no" is not a boolean. Expected true or false, e.g. app-logs: true.',
    ],
    [
      'an unknown propagate-tags',
      { ...base, 'propagate-tags': 'TASK' },
      'propagate-tags: "TASK" is not one of TASK_DEFINITION, SERVICE, NONE. Expected one of them, e.g. propagate-tags: TASK_DEFINITION.',
    ],
    [
      'a negative desired-count',
      { ...base, 'desired-count': '-1' },
      'desired-count: "-1" is not a whole number. Expected 0 or more, e.g. desired-count: 2.',
    ],
    [
      'a decimal max-retries',
      { ...base, 'max-retries': '2.5' },
      'max-retries: "2.5" is not a whole number. Expected 0 or more, e.g. max-retries: 5.',
    ],
    [
      'a max-retries past the cap',
      { ...base, 'max-retries': '50' },
      'max-retries: 50 is more than 10. Each retry waits longer (up to 20 s), so more would hold a failing step for many minutes; expected 0 to 10, e.g. max-retries: 5.',
    ],
    [
      'a register that is not a boolean',
      { ...base, register: 'yes' },
      'register: "yes" is not a boolean. Expected true or false, e.g. register: true.',
    ],
    [
      'a dry-run that is not a boolean',
      { ...base, 'dry-run': 'maybe' },
      'dry-run: "maybe" is not a boolean. Expected true or false, e.g. dry-run: true.',
    ],
    [
      'a dry run of a promote',
      { promote: 'd-ABCDEFGHI', 'dry-run': 'true' },
      'dry-run: cannot be used with promote or abort: they act on a deployment already running. Remove it.',
    ],
    [
      'a wait-max-delay-seconds of 0',
      { ...base, 'wait-max-delay-seconds': '0' },
      'wait-max-delay-seconds: 0 would poll AWS without pause. Expected a number of seconds from 1, e.g. wait-max-delay-seconds: 15.',
    ],
    [
      'a service EBS volume name without its configuration',
      { ...base, 'service-managed-ebs-volume-name': 'data' },
      `service-managed-ebs-volume-name: is set but service-managed-ebs-volume is not, so the volume would have no configuration. Set service-managed-ebs-volume too, e.g. service-managed-ebs-volume: '{"roleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole", "sizeInGiB": 20, "volumeType": "gp3"}'.`,
    ],
    [
      'a service EBS volume with a typo, no role and throughput on gp2',
      {
        ...base,
        'service-managed-ebs-volume-name': 'data',
        'service-managed-ebs-volume': '{"sizeInGib": 20, "volumeType": "gp2", "throughput": 125}',
      },
      `service-managed-ebs-volume: has "sizeInGib", which is not a managed EBS volume setting (roleArn, encrypted, kmsKeyId, volumeType, sizeInGiB, snapshotId, volumeInitializationRate, iops, throughput, tagSpecifications, filesystemType); needs "roleArn", the IAM role ECS uses to manage the volume (e.g. arn:aws:iam::123456789012:role/ecsInfrastructureRole); has "throughput", which only a "volumeType": "gp3" volume takes. Expected e.g. service-managed-ebs-volume: '{"roleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole", "sizeInGiB": 20, "volumeType": "gp3"}'.`,
    ],
    [
      'a run-task EBS volume configuration without its name',
      {
        ...base,
        'run-task': 'true',
        'run-task-managed-ebs-volume': '{"roleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole"}',
      },
      'run-task-managed-ebs-volume: is set but run-task-managed-ebs-volume-name is not. Set run-task-managed-ebs-volume-name to the task definition volume that is configuredAtLaunch, e.g. run-task-managed-ebs-volume-name: data.',
    ],
    [
      'a run-task EBS volume name without its configuration',
      { ...base, 'run-task': 'true', 'run-task-managed-ebs-volume-name': 'scratch' },
      `run-task-managed-ebs-volume-name: is set but run-task-managed-ebs-volume is not, so the volume would have no configuration. Set run-task-managed-ebs-volume too, e.g. run-task-managed-ebs-volume: '{"roleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole", "sizeInGiB": 20, "volumeType": "gp3"}'.`,
    ],
    [
      'a task-definition-revision that is not a number',
      {
        ...base,
        'task-definition': '',
        'task-definition-family': 'web',
        'task-definition-revision': 'latest',
      },
      'task-definition-revision: "latest" is not a revision number. Expected a whole number from 1, e.g. task-definition-revision: 42 (with task-definition-family: web).',
    ],
    [
      'a task-definition-revision without a family',
      { ...base, 'task-definition-revision': '3' },
      'task-definition-revision: is set but task-definition-family is not, so it is unclear which family it is a revision of. Set task-definition-family too, e.g. task-definition-family: web.',
    ],
    [
      'a secret without valueFrom',
      { ...base, secrets: 'DB_PASSWORD' },
      'secrets: line 1 ("DB_PASSWORD") is not NAME=valueFrom. Expected one per line, e.g. secrets: DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf.',
    ],
    [
      'a command that looks like JSON but is not',
      { ...base, command: '["npm", "start"' },
      `command: starts with "[" but is not a JSON array of strings. Expected words separated by spaces, e.g. command: npm run start, or a JSON array for arguments with spaces, e.g. command: '["sh", "-c", "npm run migrate && npm start"]'.`,
    ],
    [
      'an env file that is not an S3 object ARN',
      { ...base, 'env-files': 's3://bucket/prod.env' },
      'env-files: line 1 ("s3://bucket/prod.env") is not an S3 object ARN. Expected one per line, e.g. env-files: arn:aws:s3:::my-bucket/prod.env.',
    ],
    [
      'a docker label without =',
      { ...base, 'docker-labels': 'team' },
      'docker-labels: line 1 ("team") is not key=value. Expected one per line, e.g. docker-labels: team=payments.',
    ],
    [
      'an unknown log driver',
      { ...base, 'log-configuration-log-driver': 'cloudwatch' },
      'log-configuration-log-driver: "cloudwatch" is not one of json-file, syslog, journald, logentries, gelf, fluentd, awslogs, splunk, awsfirelens. Expected one of them, e.g. log-configuration-log-driver: awslogs.',
    ],
    [
      'a log option without =',
      { ...base, 'log-configuration-options': 'awslogs-group' },
      'log-configuration-options: line 1 ("awslogs-group") is not key=value. Expected one per line, e.g. log-configuration-options: awslogs-group=/ecs/web.',
    ],
    [
      'a task role that is not a role ARN',
      { ...base, 'task-role-arn': 'web-task' },
      'task-role-arn: "web-task" is not an IAM role ARN. Expected arn:aws:iam::<account-id>:role/<role-name>, e.g. task-role-arn: arn:aws:iam::123456789012:role/web-task.',
    ],
    [
      'an execution role that is a user ARN',
      { ...base, 'execution-role-arn': 'arn:aws:iam::123456789012:user/ci' },
      'execution-role-arn: "arn:aws:iam::123456789012:user/ci" is not an IAM role ARN. Expected arn:aws:iam::<account-id>:role/<role-name>, e.g. execution-role-arn: arn:aws:iam::123456789012:role/web-task.',
    ],
    [
      'a cpu size in the wrong unit',
      { ...base, cpu: '2 cores' },
      'cpu: "2 cores" is not a task CPU size. Expected CPU units or vCPUs, e.g. cpu: 512 or cpu: 1 vCPU.',
    ],
    [
      'a memory size in MB',
      { ...base, memory: '512 MB' },
      'memory: "512 MB" is not a task memory size. Expected MiB or GB, e.g. memory: 1024 or memory: 2 GB.',
    ],
    [
      'a container input without container-name',
      {
        'task-definition': 'td.json',
        secrets: 'A=arn:aws:ssm:us-east-1:123456789012:parameter/a',
        command: 'npm start',
      },
      'command: (and secrets) are set but container-name is not, so it is unclear which container gets them. Set container-name, e.g. container-name: app.',
    ],
    [
      'a service line with a space in it',
      { ...base, service: 'web\nmy worker' },
      'service: line 2 ("my worker") is not a service. Expected a service name, cluster/service or a service ARN, e.g. service: web, or several, one per line: web, worker, prod/admin.',
    ],
    [
      'the same service twice',
      { ...base, cluster: 'prod', service: 'web\nprod/web' },
      'service: names web in cluster prod twice (line 2). Name each service once.',
    ],
    [
      'several services with promote',
      { service: 'web\nworker', promote: 'd-ABCDEFGHI' },
      'service: names several services, but promote and abort act on one deployment. Give the one service it belongs to.',
    ],
    [
      'max-parallel 0',
      { ...base, 'max-parallel': '0' },
      'max-parallel: 0 is out of range. Expected 1 (one service after the other) to 10, e.g. max-parallel: 2.',
    ],
    [
      'an unknown on-service-failure',
      { ...base, 'on-service-failure': 'stop' },
      'on-service-failure: "stop" is not one of stop-others, continue. Expected one of them, e.g. on-service-failure: stop-others.',
    ],
    [
      'auto with a named scheduled task',
      { ...base, 'scheduled-tasks': 'auto\nrule/web-nightly' },
      'scheduled-tasks: auto finds every rule and schedule by itself, so it must be alone; got 2 values. Remove auto to name them (e.g. scheduled-tasks: rule/web-nightly), or keep only auto.',
    ],
    [
      'deregister-old-revisions that is not a number',
      { ...base, 'deregister-old-revisions': 'five' },
      'deregister-old-revisions: "five" is not a whole number. Expected how many of the newest ACTIVE revisions to keep, 1 or more, e.g. deregister-old-revisions: 5.',
    ],
    [
      'deregister-old-revisions 0',
      { ...base, 'deregister-old-revisions': '0' },
      'deregister-old-revisions: 0 would deregister the revision just released too. Expected how many of the newest ACTIVE revisions to keep, 1 or more, e.g. deregister-old-revisions: 5.',
    ],
    [
      'a key with spaces in keep-null-value-keys',
      { ...base, 'keep-null-value-keys': 'tag options' },
      'keep-null-value-keys: "tag options" is not a key name. Expected task definition key names separated by commas, e.g. keep-null-value-keys: tag,options.',
    ],
  ];

  it.each(cases)('rejects %s', (_, inputs, message) => {
    expect(errorFrom(inputs).message).toBe(message);
  });

  it('covers every input that has a form to get wrong', () => {
    const named = new Set(cases.map(([, , message]) => message.split(':')[0]));
    const freeForm = [
      'codedeploy-application',
      'codedeploy-deployment-group',
      'codedeploy-deployment-config',
      'codedeploy-deployment-description',
    ];
    expect(INPUT_NAMES.filter((name) => !named.has(name) && !freeForm.includes(name))).toEqual([]);
  });

  it('says when the AppSpec path is a directory', () => {
    expect(errorFrom({ ...base, 'codedeploy-appspec': 'deploy' }, { dirs: ['/ws/deploy'] }).message).toBe(
      'codedeploy-appspec: deploy is a directory (/ws/deploy). Expected a YAML or JSON AppSpec file relative to the workspace, e.g. codedeploy-appspec: appspec.yaml, or the AppSpec itself inline (starting with "version:" or "{").',
    );
  });

  it('reports every bad input at once, one line each', () => {
    const error = errorFrom({ ...base, 'wait-until': 'never', 'max-retries': 'many' });
    expect(error.message.split('\n')).toEqual([
      'wait-until: "never" is not one of shifted, ready, complete. Expected one of them, e.g. wait-until: shifted.',
      'max-retries: "many" is not a whole number. Expected 0 or more, e.g. max-retries: 5.',
    ]);
  });
});

describe('readSettings', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-inputs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads INPUT_ variables and finds files and directories on disk', async () => {
    const { readSettings } = await import('../../../src/action/inputs.js');
    fs.writeFileSync(path.join(dir, 'appspec.yaml'), 'version: 0.0\n');
    fs.mkdirSync(path.join(dir, 'specs'));
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        GITHUB_WORKSPACE: dir,
        'INPUT_TASK-DEFINITION': 'td.json',
        INPUT_SERVICE: 'web',
        'INPUT_CODEDEPLOY-APPSPEC': '',
      });
      expect(readSettings().codeDeploy.appSpec).toEqual({
        kind: 'file',
        path: path.join(dir, 'appspec.yaml'),
      });
      process.env['INPUT_CODEDEPLOY-APPSPEC'] = 'specs';
      expect(() => readSettings()).toThrow(
        `codedeploy-appspec: specs is a directory (${path.join(dir, 'specs')}).`,
      );
    } finally {
      process.env = saved;
    }
  });
});
