import { cleanTaskDefinition } from '../../../src/taskdef/clean.js';

describe('cleanTaskDefinition', () => {
  it('drops the keys only DescribeTaskDefinition returns and says which', () => {
    const raw = {
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',
      family: 'web',
      revision: 7,
      status: 'ACTIVE',
      requiresAttributes: [{ name: 'ecs.capability.execution-role-awslogs' }],
      compatibilities: ['EC2', 'FARGATE'],
      registeredAt: '2026-01-01T00:00:00Z',
      registeredBy: 'arn:aws:iam::123456789012:role/deploy',
      deregisteredAt: null,
      deleteRequestedAt: '2026-01-02T00:00:00Z',
      containerDefinitions: [{ name: 'app', image: 'nginx' }],
    };
    expect(cleanTaskDefinition(raw, [])).toEqual({
      taskDefinition: { family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx' }] },
      droppedReadOnlyKeys: [
        'taskDefinitionArn',
        'revision',
        'status',
        'requiresAttributes',
        'compatibilities',
        'registeredAt',
        'registeredBy',
        'deregisteredAt',
        'deleteRequestedAt',
      ],
    });
  });

  it('removes null, empty strings, and lists and objects left empty, at any depth', () => {
    const raw = {
      family: 'web',
      taskRoleArn: null,
      executionRoleArn: '',
      tags: [],
      placementConstraints: [{ type: '', expression: null }],
      containerDefinitions: [
        {
          name: 'app',
          image: 'nginx',
          repositoryCredentials: { credentialsParameter: '' },
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/web', tag: '' },
            secretOptions: [],
          },
          portMappings: [{ containerPort: 80, hostPort: null }, null, {}],
        },
      ],
    };
    expect(cleanTaskDefinition(raw, []).taskDefinition).toEqual({
      family: 'web',
      containerDefinitions: [
        {
          name: 'app',
          image: 'nginx',
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/web' } },
          portMappings: [{ containerPort: 80 }],
        },
      ],
    });
  });

  it('keeps the values of keys named in keep-null-value-keys exactly as written', () => {
    const raw = {
      family: 'web',
      containerDefinitions: [
        {
          name: 'app',
          logConfiguration: { logDriver: 'splunk', options: { 'splunk-url': 'https://splunk', tag: '' } },
          command: [],
        },
      ],
    };
    expect(cleanTaskDefinition(raw, ['tag', 'command']).taskDefinition).toEqual({
      family: 'web',
      containerDefinitions: [
        {
          name: 'app',
          logConfiguration: { logDriver: 'splunk', options: { 'splunk-url': 'https://splunk', tag: '' } },
          command: [],
        },
      ],
    });
  });

  it('keeps environment variables whose value is empty', () => {
    const raw = {
      family: 'web',
      containerDefinitions: [
        {
          name: 'app',
          environment: [
            { name: 'EMPTY', value: '' },
            { name: 'UNSET', value: null },
            { name: 'A', value: '1' },
          ],
        },
      ],
    };
    expect(cleanTaskDefinition(raw, []).taskDefinition.containerDefinitions).toEqual([
      {
        name: 'app',
        environment: [
          { name: 'EMPTY', value: '' },
          { name: 'UNSET', value: '' },
          { name: 'A', value: '1' },
        ],
      },
    ]);
  });

  it('keeps empty App Mesh proxy property values', () => {
    const raw = {
      family: 'web',
      containerDefinitions: [{ name: 'app' }],
      proxyConfiguration: {
        type: 'APPMESH',
        containerName: 'envoy',
        properties: [
          { name: 'IgnoredUID', value: '1337' },
          { name: 'EgressIgnoredIPs', value: '' },
        ],
      },
    };
    expect(cleanTaskDefinition(raw, []).taskDefinition.proxyConfiguration).toEqual(raw.proxyConfiguration);
  });

  it('passes everything else through untouched, zero and false included', () => {
    const raw = {
      family: 'web',
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      ephemeralStorage: { sizeInGiB: 30 },
      volumes: [
        { name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-1', transitEncryption: 'ENABLED' } },
      ],
      containerDefinitions: [
        {
          name: 'app',
          image: 'nginx',
          cpu: 0,
          essential: false,
          entryPoint: ['sh', '-c'],
          command: ['exec nginx -g "daemon off;"'],
          secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db' }],
          dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }],
          healthCheck: {
            command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'],
            interval: 30,
            retries: 3,
          },
          readonlyRootFilesystem: false,
        },
      ],
    };
    const { taskDefinition, droppedReadOnlyKeys } = cleanTaskDefinition(raw, []);
    expect(taskDefinition).toEqual(raw);
    expect(droppedReadOnlyKeys).toEqual([]);
  });

  it('never modifies its input', () => {
    const raw = {
      family: 'web',
      status: 'ACTIVE',
      containerDefinitions: [{ name: 'app', environment: [{ name: 'X', value: null }] }],
    };
    const before = structuredClone(raw);
    cleanTaskDefinition(raw, ['environment']);
    cleanTaskDefinition(raw, []);
    expect(raw).toEqual(before);
  });
});
