import { MissingPermission } from '../../../src/aws/errors.js';
import { verifyBeforeChange } from '../../../src/release/verify.js';
import { verifyTaskDefinition } from '../../../src/verify/checks.js';
import { fakeLookups, SERVICE, testContext } from '../../helpers/context.js';

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf';

function taskDefinition(overrides: Record<string, unknown> = {}) {
  return {
    family: 'web',
    requiresCompatibilities: ['FARGATE'],
    runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    taskRoleArn: 'arn:aws:iam::123456789012:role/web-task',
    containerDefinitions: [
      {
        name: 'app',
        image: `${ECR}/web:2`,
        secrets: [
          { name: 'DB_PASSWORD', valueFrom: `${SECRET_ARN}:password::` },
          { name: 'API_KEY', valueFrom: '/prod/api-key' },
        ],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': '/ecs/web',
            'awslogs-region': 'us-east-1',
            'awslogs-stream-prefix': 'ecs',
          },
        },
      },
      { name: 'envoy', image: 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29' },
    ],
    ...overrides,
  };
}

const indexOf = (...platforms: string[]) =>
  JSON.stringify({
    manifests: platforms.map((p) => ({ platform: { os: p.split('/')[0], architecture: p.split('/')[1] } })),
  });

describe('verifyTaskDefinition', () => {
  it('checks each image, role, secret and log group once, and notes what it cannot check', async () => {
    const lookups = fakeLookups({
      registry: { imageManifest: async () => ({ manifest: indexOf('linux/amd64', 'linux/arm64') }) },
    });
    const results = await verifyTaskDefinition(lookups, {
      taskDefinition: taskDefinition(),
      region: 'us-east-1',
      account: '123456789012',
    });
    expect(results.map((r) => `${r.state}: ${r.line}`)).toEqual([
      `passed: image web:2 exists (sha256:000000000000…), offers linux/arm64`,
      'not-checked: image public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29: not in a private ECR registry',
      'passed: task role arn:aws:iam::123456789012:role/web-task exists and trusts ecs-tasks.amazonaws.com',
      'passed: execution role arn:aws:iam::123456789012:role/ecsTaskExecutionRole exists and trusts ecs-tasks.amazonaws.com',
      `passed: secret DB_PASSWORD (${SECRET_ARN}:password::) exists (JSON key "password" not checked)`,
      'passed: secret API_KEY (/prod/api-key) exists',
      'passed: log group /ecs/web (us-east-1) exists',
    ]);
    // Existence only: no call that could read a secret's value.
    expect(lookups.calls).toEqual(
      expect.arrayContaining([`DescribeSecret ${SECRET_ARN}`, 'DescribeParameters /prod/api-key']),
    );
  });

  it('fails a tag that is not in the repository, naming registry, region and what to do', async () => {
    const lookups = fakeLookups({
      registry: { findImage: async () => ({ found: false, missing: 'image' }) },
    });
    const [image] = await verifyTaskDefinition(lookups, {
      taskDefinition: taskDefinition(),
      region: 'us-east-1',
    });
    expect(image).toEqual({
      state: 'failed',
      line: `image ${ECR}/web:2: tag "2" is not in repository "web" (registry 123456789012, us-east-1)`,
      fix: 'Push the image before deploying (did the build step run and succeed?), or fix the tag in the image input.',
    });
  });

  it('fails an amd64-only image on an ARM64 task', async () => {
    const lookups = fakeLookups({
      registry: { imageManifest: async () => ({ manifest: indexOf('linux/amd64', 'unknown/unknown') }) },
    });
    const [image] = await verifyTaskDefinition(lookups, {
      taskDefinition: taskDefinition(),
      region: 'us-east-1',
    });
    expect(image.state).toBe('failed');
    expect(image.line).toBe(`image ${ECR}/web:2 offers linux/amd64, not linux/arm64, which the task runs on`);
    expect(image.fix).toContain('docker buildx build --platform linux/arm64');
  });

  it("fails a single-platform amd64 image on an ARM64 task, from the image's config", async () => {
    const configs: string[] = [];
    const lookups = fakeLookups({
      registry: {
        imageManifest: async () => ({
          manifest: JSON.stringify({ schemaVersion: 2, config: { digest: 'sha256:c0' } }),
        }),
        imageConfig: async (_image, digest) => {
          configs.push(digest);
          return JSON.stringify({ architecture: 'amd64', os: 'linux' });
        },
      },
    });
    const [image] = await verifyTaskDefinition(lookups, {
      taskDefinition: taskDefinition(),
      region: 'us-east-1',
    });
    expect(configs).toEqual(['sha256:c0']);
    expect(image).toMatchObject({
      state: 'failed',
      line: `image ${ECR}/web:2 is built for linux/amd64, not linux/arm64, which the task runs on`,
    });
  });

  it('skips the platform of a single-platform image when the layer download is not allowed', async () => {
    const lookups = fakeLookups({
      registry: {
        imageManifest: async () => ({
          manifest: JSON.stringify({ schemaVersion: 2, config: { digest: 'sha256:c0' } }),
        }),
        imageConfig: async () => {
          throw new MissingPermission('ecr:GetDownloadUrlForLayer');
        },
      },
    });
    const [image] = await verifyTaskDefinition(lookups, {
      taskDefinition: taskDefinition(),
      region: 'us-east-1',
    });
    expect(image).toEqual({
      state: 'skipped',
      line: 'image web:2 exists (sha256:000000000000…); its platform: needs ecr:GetDownloadUrlForLayer',
    });
  });

  it('skips a check the credentials may not make, naming the permission', async () => {
    const lookups = fakeLookups({
      registry: {
        findImage: async () => {
          throw new MissingPermission('ecr:DescribeImages');
        },
      },
      iam: {
        roleTrustPolicy: async () => {
          throw new MissingPermission('iam:GetRole');
        },
      },
    });
    const results = await verifyTaskDefinition(lookups, {
      taskDefinition: taskDefinition(),
      region: 'us-east-1',
      account: '123456789012',
    });
    expect(results.filter((r) => r.state === 'skipped').map((r) => r.line)).toEqual([
      `image ${ECR}/web:2: needs ecr:DescribeImages`,
      'task role arn:aws:iam::123456789012:role/web-task: needs iam:GetRole',
      'execution role arn:aws:iam::123456789012:role/ecsTaskExecutionRole: needs iam:GetRole',
    ]);
    expect(results.some((r) => r.state === 'failed')).toBe(false);
  });

  it('fails a missing role and one ECS tasks may not assume', async () => {
    const lookups = fakeLookups({
      iam: {
        roleTrustPolicy: async (name) =>
          name === 'web-task'
            ? undefined
            : JSON.stringify({
                Statement: [
                  { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
                ],
              }),
      },
    });
    const results = await verifyTaskDefinition(lookups, {
      taskDefinition: taskDefinition(),
      region: 'us-east-1',
      account: '123456789012',
    });
    const failed = results.filter((r) => r.state === 'failed');
    expect(failed.map((r) => r.line)).toEqual([
      'task role arn:aws:iam::123456789012:role/web-task: no such role',
      'execution role arn:aws:iam::123456789012:role/ecsTaskExecutionRole: its trust policy does not let ecs-tasks.amazonaws.com assume it',
    ]);
    expect(failed[0].fix).toBe('Create the role, or fix taskRoleArn (input task-role-arn).');
  });

  it('leaves a role of another account alone', async () => {
    const lookups = fakeLookups();
    const results = await verifyTaskDefinition(lookups, {
      taskDefinition: taskDefinition({ taskRoleArn: 'arn:aws:iam::999999999999:role/shared' }),
      region: 'us-east-1',
      account: '123456789012',
    });
    expect(results.find((r) => r.line.startsWith('task role'))).toEqual({
      state: 'not-checked',
      line: 'task role arn:aws:iam::999999999999:role/shared: in account 999999999999, not this one',
    });
    expect(lookups.calls).not.toContain('GetRole shared');
  });

  it('fails a missing secret, parameter, version stage and log group', async () => {
    const lookups = fakeLookups({
      secrets: { describeSecret: async () => ({ versionStages: { v1: ['AWSCURRENT'] }, deleted: false }) },
      parameters: { parameterExists: async () => false },
      logs: { logGroupExists: async () => false },
    });
    const td = taskDefinition();
    td.containerDefinitions[0].secrets = [
      { name: 'DB_PASSWORD', valueFrom: `${SECRET_ARN}:password:AWSPENDING:` },
      { name: 'API_KEY', valueFrom: '/prod/api-key' },
    ];
    const results = await verifyTaskDefinition(lookups, { taskDefinition: td, region: 'us-east-1' });
    expect(results.filter((r) => r.state === 'failed').map((r) => r.line)).toEqual([
      `secret DB_PASSWORD (${SECRET_ARN}:password:AWSPENDING:): the secret has no version labelled "AWSPENDING"`,
      'secret API_KEY (/prod/api-key): no such SSM parameter in us-east-1',
      'log group /ecs/web (us-east-1): does not exist, so tasks of container app cannot start (ResourceInitializationError)',
    ]);
  });

  it('does not look for a log group ECS creates itself', async () => {
    const lookups = fakeLookups();
    const td = taskDefinition();
    td.containerDefinitions[0].logConfiguration!.options = {
      'awslogs-group': '/ecs/new',
      'awslogs-create-group': 'true',
    } as never;
    const results = await verifyTaskDefinition(lookups, { taskDefinition: td, region: 'us-east-1' });
    expect(results.find((r) => r.line.startsWith('log group'))?.state).toBe('not-checked');
    expect(lookups.calls.filter((c) => c.startsWith('DescribeLogGroups'))).toEqual([]);
  });
});

describe('verifyTaskDefinition: no false failures', () => {
  it('leaves a missing image of a pull-through cache repository to ECR', async () => {
    const lookups = fakeLookups({
      registry: {
        findImage: async () => ({ found: false, missing: 'repository' }),
        pullThroughCachePrefixes: async () => ['docker-hub'],
      },
    });
    const td = taskDefinition({
      containerDefinitions: [{ name: 'app', image: `${ECR}/docker-hub/library/nginx:1.27` }],
    });
    const [image] = await verifyTaskDefinition(lookups, { taskDefinition: td, region: 'us-east-1' });
    expect(image.state).toBe('not-checked');
  });

  it('does not look for /aws/ parameters, and fails a secret scheduled for deletion', async () => {
    const lookups = fakeLookups({
      parameters: { parameterExists: async () => false },
      secrets: { describeSecret: async () => ({ versionStages: { v1: ['AWSCURRENT'] }, deleted: true }) },
    });
    const td = taskDefinition();
    td.containerDefinitions[0].secrets = [
      { name: 'REF', valueFrom: '/aws/reference/secretsmanager/db' },
      { name: 'DB', valueFrom: SECRET_ARN },
    ];
    const results = await verifyTaskDefinition(lookups, {
      taskDefinition: td,
      region: 'us-east-1',
      account: '123456789012',
    });
    expect(results.find((r) => r.line.startsWith('secret REF'))?.state).toBe('not-checked');
    expect(results.find((r) => r.line.startsWith('secret DB'))).toMatchObject({
      state: 'failed',
      line: `secret DB (${SECRET_ARN}): the secret is scheduled for deletion, so ECS cannot read it`,
    });
  });
});

describe('verifyBeforeChange', () => {
  const missingImage = () =>
    fakeLookups({ registry: { findImage: async () => ({ found: false, missing: 'image' }) } });

  it('strict: fails before anything is registered, listing each problem and what to do', async () => {
    const t = testContext({ lookups: missingImage() });
    await expect(verifyBeforeChange(t.ctx, 'strict', taskDefinition(), SERVICE)).rejects.toMatchObject({
      message:
        'Verify before change found a problem that would stop the new tasks from starting; nothing was registered or deployed.',
      details: [
        `image ${ECR}/web:2: tag "2" is not in repository "web" (registry 123456789012, us-east-1). Push the image before deploying (did the build step run and succeed?), or fix the tag in the image input.`,
        'Fix the above and re-run; to deploy anyway, set verify: warn (or off).',
      ],
    });
    expect(t.lines[0]).toBe('Verify before change:');
    expect(t.lines).toContain(
      `  ✗ image ${ECR}/web:2: tag "2" is not in repository "web" (registry 123456789012, us-east-1)`,
    );
  });

  it('warn: a warning per problem, and goes on', async () => {
    const t = testContext({ lookups: missingImage() });
    await verifyBeforeChange(t.ctx, 'warn', taskDefinition(), SERVICE);
    expect(t.warnings).toEqual([
      expect.stringMatching(/^Verify \(warn, going on\): image .*web:2: tag "2" is not in repository/),
    ]);
  });

  it('a skipped check is a notice naming the permission', async () => {
    const t = testContext({
      lookups: fakeLookups({
        logs: {
          logGroupExists: async () => {
            throw new MissingPermission('logs:DescribeLogGroups');
          },
        },
      }),
    });
    await verifyBeforeChange(t.ctx, 'strict', taskDefinition(), SERVICE);
    expect(t.notices).toEqual([
      'Check skipped, log group /ecs/web (us-east-1): needs logs:DescribeLogGroups: grant it to check this before the next release (see "IAM permissions" in the README).',
    ]);
  });

  it('off: no look-up at all', async () => {
    const missing = missingImage();
    const t = testContext({ lookups: missing });
    await verifyBeforeChange(t.ctx, 'off', taskDefinition(), SERVICE);
    expect(missing.calls).toEqual([]);
    expect(t.lines).toEqual(['Verify before change: off (verify: off).']);
  });
});
