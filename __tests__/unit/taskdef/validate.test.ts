import { TaskDefinition$, RegisterTaskDefinitionRequest$ } from '@aws-sdk/client-ecs';
import { NormalizedSchema } from '@smithy/core/schema';
import { UserError } from '../../../src/text/errors.js';
import { READ_ONLY_TASK_DEFINITION_KEYS } from '../../../src/taskdef/clean.js';
import {
  checkFamily,
  describeKeysTheSdkWouldDrop,
  findKeysTheSdkWouldDrop,
} from '../../../src/taskdef/validate.js';

/** A task definition using every commonly used field, as a user would write it. */
const realistic = {
  family: 'web',
  taskRoleArn: 'arn:aws:iam::123456789012:role/web-task',
  executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '512',
  memory: '1024',
  pidMode: 'task',
  runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
  ephemeralStorage: { sizeInGiB: 30 },
  enableFaultInjection: false,
  tags: [{ key: 'team', value: 'web' }],
  placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.availability-zone in [us-east-1a]' }],
  proxyConfiguration: {
    type: 'APPMESH',
    containerName: 'envoy',
    properties: [{ name: 'IgnoredUID', value: '1337' }],
  },
  volumes: [
    { name: 'scratch', host: { sourcePath: '/tmp' } },
    {
      name: 'shared',
      efsVolumeConfiguration: {
        fileSystemId: 'fs-12345678',
        rootDirectory: '/',
        transitEncryption: 'ENABLED',
        authorizationConfig: { accessPointId: 'fsap-1', iam: 'ENABLED' },
      },
    },
    { name: 'docker', dockerVolumeConfiguration: { scope: 'task', driver: 'local', labels: { a: 'b' } } },
  ],
  containerDefinitions: [
    {
      name: 'app',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.2.3',
      cpu: 256,
      memory: 512,
      memoryReservation: 256,
      essential: true,
      entryPoint: ['/bin/sh', '-c'],
      command: ['node server.js'],
      workingDirectory: '/app',
      user: '1000',
      portMappings: [
        { containerPort: 8080, hostPort: 8080, protocol: 'tcp', name: 'http', appProtocol: 'http' },
      ],
      environment: [{ name: 'LOG_LEVEL', value: 'info' }],
      environmentFiles: [{ value: 'arn:aws:s3:::bucket/app.env', type: 's3' }],
      secrets: [
        { name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db' },
      ],
      mountPoints: [{ sourceVolume: 'shared', containerPath: '/data', readOnly: false }],
      volumesFrom: [{ sourceContainer: 'init', readOnly: true }],
      dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }],
      healthCheck: {
        command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'],
        interval: 30,
        timeout: 5,
        retries: 3,
        startPeriod: 10,
      },
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': '/ecs/web',
          'awslogs-region': 'us-east-1',
          'awslogs-stream-prefix': 'app',
        },
        secretOptions: [{ name: 'token', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/token' }],
      },
      linuxParameters: {
        initProcessEnabled: true,
        capabilities: { add: ['SYS_PTRACE'], drop: ['NET_RAW'] },
        tmpfs: [{ containerPath: '/tmp', size: 64 }],
      },
      ulimits: [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }],
      systemControls: [{ namespace: 'net.core.somaxconn', value: '1024' }],
      dockerLabels: { 'com.example.team': 'web' },
      readonlyRootFilesystem: true,
      stopTimeout: 30,
      startTimeout: 60,
      restartPolicy: { enabled: true, ignoredExitCodes: [0], restartAttemptPeriod: 60 },
      repositoryCredentials: {
        credentialsParameter: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hub',
      },
      resourceRequirements: [{ type: 'GPU', value: '1' }],
      versionConsistency: 'enabled',
    },
    {
      name: 'envoy',
      image: 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29',
      essential: true,
      firelensConfiguration: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } },
    },
    { name: 'init', image: 'busybox', essential: false, command: ['true'] },
  ],
};

describe('findKeysTheSdkWouldDrop', () => {
  it('finds nothing in a realistic task definition with every common field', () => {
    expect(findKeysTheSdkWouldDrop(realistic)).toEqual([]);
  });

  it('finds a typo at the top level', () => {
    expect(findKeysTheSdkWouldDrop({ ...realistic, excecutionRoleArn: 'x', 'task-role': 'y' })).toEqual([
      'excecutionRoleArn',
      'task-role',
    ]);
  });

  it('finds a typo inside a container and deeper', () => {
    const td = structuredClone(realistic) as Record<string, unknown> & {
      containerDefinitions: Record<string, unknown>[];
    };
    td.containerDefinitions[2].healthcheck = { command: ['CMD', 'true'] };
    (td.containerDefinitions[0].portMappings as Record<string, unknown>[])[0].containerport = 80;
    expect(findKeysTheSdkWouldDrop(td)).toEqual([
      'containerDefinitions[0].portMappings[0].containerport',
      'containerDefinitions[2].healthcheck',
    ]);
  });

  it('does not look inside free-form maps such as dockerLabels and log options', () => {
    expect(
      findKeysTheSdkWouldDrop({
        family: 'web',
        containerDefinitions: [
          { name: 'app', dockerLabels: { anything: 'x' }, logConfiguration: { options: { any: 'y' } } },
        ],
      }),
    ).toEqual([]);
  });

  it('knows every key of a registered revision except the read-only ones (both come from the SDK schema)', () => {
    const described = [...NormalizedSchema.of(TaskDefinition$).structIterator()].map(([name]) => name);
    const registrable = new Set(
      [...NormalizedSchema.of(RegisterTaskDefinitionRequest$).structIterator()].map(([n]) => n),
    );
    const readOnly: readonly string[] = READ_ONLY_TASK_DEFINITION_KEYS;
    expect(described.filter((name) => !registrable.has(name) && !readOnly.includes(name))).toEqual([]);
  });
});

describe('describeKeysTheSdkWouldDrop', () => {
  it('returns nothing when every key is sent', () => {
    expect(describeKeysTheSdkWouldDrop(realistic, 'td.json')).toBeUndefined();
  });

  it('lists the keys with the names they probably meant', () => {
    const error = describeKeysTheSdkWouldDrop(
      { family: 'web', containerDefinitions: [{ name: 'app', healthcheck: {} }], newField2030: true },
      '.aws/td.json',
    );
    expect(error).toBeInstanceOf(UserError);
    expect(error?.message).toBe(
      'task-definition: .aws/td.json has 2 keys that RegisterTaskDefinition does not know, so the AWS SDK would silently ' +
        'leave them out: containerDefinitions[0].healthcheck (did you mean "healthCheck"?), newField2030. Fix the spelling ' +
        '(names are case-sensitive) or remove them; a field newer than this version of ecs-shift needs an update of ecs-shift.',
    );
  });
});

describe('checkFamily', () => {
  it('returns the family', () => {
    expect(checkFamily({ family: 'web' }, 'td.json')).toBe('web');
  });

  it.each([
    [{}, 'it has none'],
    [{ family: '' }, 'got ""'],
    [{ family: 42 }, 'got 42'],
  ])('rejects %p', (td, got) => {
    expect(() => checkFamily(td, '.aws/td.json')).toThrow(
      new UserError(
        `task-definition: .aws/td.json needs a "family" (a non-empty string naming the task definition), ${got}. Add one, e.g. "family": "web".`,
      ),
    );
  });
});
