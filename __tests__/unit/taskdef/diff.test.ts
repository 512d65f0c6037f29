import { diffTaskDefinitions, type TaskDefinitionDiff } from '../../../src/taskdef/diff.js';

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const SECRET_VALUE = 'hunter2-s3cr3t-do-not-print';

/** A task definition as a user writes it. */
const written = () => ({
  family: 'web',
  cpu: 256,
  memory: '512',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
  containerDefinitions: [
    {
      name: 'app',
      image: `${ECR}/web:41`,
      portMappings: [{ containerPort: 8080 }],
      environment: [
        { name: 'RELEASE', value: '41' },
        { name: 'DATABASE_URL', value: `postgres://app:${SECRET_VALUE}@db/app` },
      ],
      secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/web/db' }],
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'] },
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': '/ecs/web',
          'awslogs-region': 'us-east-1',
          'awslogs-stream-prefix': 'web',
        },
      },
    },
  ],
});

/** The same definition as DescribeTaskDefinition returns it once registered: read-only keys and defaults filled in. */
const described = () => ({
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:41',
  containerDefinitions: [
    {
      name: 'app',
      image: `${ECR}/web:41`,
      cpu: 0,
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
      essential: true,
      environment: [
        { name: 'DATABASE_URL', value: `postgres://app:${SECRET_VALUE}@db/app` },
        { name: 'RELEASE', value: '41' },
      ],
      environmentFiles: [],
      mountPoints: [],
      volumesFrom: [],
      secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/web/db' }],
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': '/ecs/web',
          'awslogs-region': 'us-east-1',
          'awslogs-stream-prefix': 'web',
        },
        secretOptions: [],
      },
      healthCheck: {
        command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'],
        interval: 30,
        timeout: 5,
        retries: 3,
      },
      systemControls: [],
    },
  ],
  family: 'web',
  executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
  networkMode: 'awsvpc',
  revision: 41,
  volumes: [],
  status: 'ACTIVE',
  requiresAttributes: [
    { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
    { name: 'ecs.capability.execution-role-awslogs' },
    { name: 'ecs.capability.secrets.ssm.environment-variables' },
    { name: 'ecs.capability.task-eni' },
  ],
  placementConstraints: [],
  compatibilities: ['EC2', 'FARGATE'],
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  registeredAt: new Date('2026-11-20T10:00:00Z'),
  registeredBy: 'arn:aws:sts::123456789012:assumed-role/deploy/ci',
  enableFaultInjection: false,
});

type Container = Record<string, unknown>;

/** `written()` with its app container changed (or replaced) and containers added. */
function withApp(change: (app: Container) => Container, ...more: Container[]) {
  const definition = written();
  return { ...definition, containerDefinitions: [change(definition.containerDefinitions[0]), ...more] };
}

function changesOf(diff: TaskDefinitionDiff, container = 'app') {
  return diff.containers.changed.find((c) => c.name === container)?.changes ?? [];
}

describe('diffTaskDefinitions', () => {
  it('sees no change between a registered revision and the file it was registered from', () => {
    const diff = diffTaskDefinitions(described(), written());
    expect(diff).toEqual({
      containers: { added: [], removed: [], renamed: [], changed: [] },
      task: [],
      empty: true,
    });
  });

  it('reports an image change with both full URIs', () => {
    const diff = diffTaskDefinitions(
      described(),
      withApp((app) => ({ ...app, image: `${ECR}/web:42` })),
    );
    expect(diff.empty).toBe(false);
    expect(changesOf(diff)).toEqual([
      { kind: 'value', setting: 'image', before: `${ECR}/web:41`, after: `${ECR}/web:42` },
    ]);
  });

  it('names the environment variables that changed, and never carries a value', () => {
    const diff = diffTaskDefinitions(
      described(),
      withApp((app) => ({
        ...app,
        environment: [
          { name: 'FEATURE_X', value: 'on' },
          { name: 'DATABASE_URL', value: `postgres://app:${SECRET_VALUE}-rotated@db/app` },
        ],
      })),
    );
    expect(changesOf(diff)).toEqual([
      {
        kind: 'entries',
        setting: 'environment',
        entries: [
          { name: 'DATABASE_URL', change: 'value changed' },
          { name: 'FEATURE_X', change: 'added' },
          { name: 'RELEASE', change: 'removed' },
        ],
      },
    ]);
    const everything = JSON.stringify(diff);
    expect(everything).not.toContain(SECRET_VALUE);
    expect(everything).not.toContain('postgres://');
    expect(everything).not.toContain('"on"');
  });

  it('compares environment, secrets and port mappings as sets', () => {
    const before = withApp((app) => ({
      ...app,
      environment: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      secrets: [
        { name: 'S1', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/s1' },
        { name: 'S2', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/s2' },
      ],
      portMappings: [{ containerPort: 8080 }, { containerPort: 9090, protocol: 'udp' }],
    }));
    const after = withApp((app) => ({
      ...app,
      environment: [
        { name: 'B', value: '2' },
        { name: 'A', value: '1' },
      ],
      secrets: [
        { name: 'S2', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/s2' },
        { name: 'S1', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/s1' },
      ],
      portMappings: [
        { containerPort: 9090, hostPort: 9090, protocol: 'udp' },
        { containerPort: 8080, protocol: 'tcp' },
      ],
    }));
    expect(diffTaskDefinitions(before, after).empty).toBe(true);
  });

  it('says a secret changed its source by name only, and shows port mappings as lists', () => {
    const diff = diffTaskDefinitions(
      described(),
      withApp((app) => ({
        ...app,
        secrets: [
          { name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db' },
          { name: 'API_KEY', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/web/api' },
        ],
        portMappings: [{ containerPort: 8080 }, { containerPort: 9090, name: 'metrics' }],
      })),
    );
    expect(changesOf(diff)).toEqual([
      {
        kind: 'entries',
        setting: 'secrets',
        entries: [
          { name: 'DB_PASSWORD', change: 'source changed' },
          { name: 'API_KEY', change: 'added' },
        ],
      },
      { kind: 'value', setting: 'portMappings', before: '8080/tcp', after: '8080/tcp, 9090/tcp (metrics)' },
    ]);
    expect(JSON.stringify(diff)).not.toContain('secretsmanager');
  });

  it('finds containers added and removed, each with its image', () => {
    const before = withApp(
      (app) => app,
      { name: 'cache', image: 'redis:7' },
      { name: 'proxy', image: 'envoy:1' },
    );
    const after = withApp(
      (app) => app,
      { name: 'worker', image: `${ECR}/worker:42`, essential: false },
      { name: 'otel', image: 'otel/collector:0.98' },
    );
    const { containers } = diffTaskDefinitions(before, after);
    expect(containers.added).toEqual([
      { name: 'worker', image: `${ECR}/worker:42` },
      { name: 'otel', image: 'otel/collector:0.98' },
    ]);
    expect(containers.removed).toEqual([
      { name: 'cache', image: 'redis:7' },
      { name: 'proxy', image: 'envoy:1' },
    ]);
    expect(containers.renamed).toEqual([]);
  });

  it('sees one container removed and one added as a rename, with what else changed', () => {
    const diff = diffTaskDefinitions(
      described(),
      withApp((app) => ({ ...app, name: 'web', image: `${ECR}/web:42` })),
    );
    expect(diff.containers).toEqual({
      added: [],
      removed: [],
      renamed: [
        {
          before: 'app',
          after: 'web',
          changes: [{ kind: 'value', setting: 'image', before: `${ECR}/web:41`, after: `${ECR}/web:42` }],
        },
      ],
      changed: [],
    });
  });

  it('pairs renames among several containers by image repository, one to one', () => {
    const before = withApp(
      (app) => app,
      { name: 'sidecar', image: `${ECR}/envoy:1.29` },
      { name: 'cache', image: 'redis:7' },
    );
    const after = withApp(
      (app) => app,
      { name: 'proxy', image: `${ECR}/envoy@sha256:${'a'.repeat(64)}` },
      { name: 'worker', image: `${ECR}/worker:42` },
    );
    const { containers } = diffTaskDefinitions(before, after);
    expect(containers.renamed.map(({ before, after }) => `${before} → ${after}`)).toEqual([
      'sidecar → proxy',
    ]);
    expect(containers.added.map((c) => c.name)).toEqual(['worker']);
    expect(containers.removed.map((c) => c.name)).toEqual(['cache']);
  });

  it('compares a health check key by key, the defaults ECS fills in counting as unset', () => {
    const diff = diffTaskDefinitions(
      described(),
      withApp((app) => ({
        ...app,
        healthCheck: { command: ['CMD', '/bin/health'], interval: 10, retries: 3, startPeriod: 60 },
      })),
    );
    expect(changesOf(diff)).toEqual([
      {
        kind: 'value',
        setting: 'healthCheck.command',
        before: '["CMD-SHELL","curl -f http://localhost:8080/health || exit 1"]',
        after: '["CMD","/bin/health"]',
      },
      { kind: 'value', setting: 'healthCheck.interval', after: '10' }, // 30, the default, before
      { kind: 'value', setting: 'healthCheck.startPeriod', after: '60' },
    ]);
  });

  it('compares any other setting key by key, with a path', () => {
    const diff = diffTaskDefinitions(
      described(),
      withApp((app) => ({
        ...app,
        linuxParameters: { initProcessEnabled: true, capabilities: { drop: [] } },
        ulimits: [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }],
        readonlyRootFilesystem: false, // the default: no change
      })),
    );
    expect(changesOf(diff)).toEqual([
      { kind: 'value', setting: 'linuxParameters.initProcessEnabled', after: 'true' },
      { kind: 'value', setting: 'ulimits', after: '[{"name":"nofile","softLimit":65536,"hardLimit":65536}]' },
    ]);
  });

  it('reports docker labels and log options off the allow-list by name only', () => {
    const before = withApp((app) => ({
      ...app,
      dockerLabels: { team: 'payments', 'com.datadoghq.ad.check_names': '["web"]' },
      logConfiguration: {
        logDriver: 'splunk',
        options: { 'splunk-url': 'https://splunk:8088', 'splunk-token': 'tok-1' },
      },
    }));
    const after = withApp((app) => ({
      ...app,
      dockerLabels: { team: 'checkout', owner: 'sre' },
      logConfiguration: {
        logDriver: 'splunk',
        options: { 'splunk-url': 'https://splunk2:8088', 'splunk-token': 'tok-2-secret' },
      },
    }));
    const diff = diffTaskDefinitions(before, after);
    expect(changesOf(diff)).toEqual([
      {
        kind: 'entries',
        setting: 'logConfiguration.options',
        entries: [
          { name: 'splunk-token', change: 'value changed' },
          { name: 'splunk-url', change: 'value changed' },
        ],
      },
      {
        kind: 'entries',
        setting: 'dockerLabels',
        entries: [
          { name: 'team', change: 'value changed' },
          { name: 'owner', change: 'added' },
          { name: 'com.datadoghq.ad.check_names', change: 'removed' },
        ],
      },
    ]);
    for (const value of ['payments', 'checkout', 'sre', 'tok-1', 'tok-2-secret', 'splunk2']) {
      expect(JSON.stringify(diff)).not.toContain(value);
    }
  });

  it('compares essential, container cpu and task sizes as ECS reads them', () => {
    const before = { ...described(), cpu: '1024', memory: '2048' };
    const after = {
      ...withApp((app) => ({ ...app, essential: false, cpu: 512 })),
      cpu: '1 vCPU',
      memory: 4096,
    };
    const diff = diffTaskDefinitions(before, after);
    expect(changesOf(diff)).toEqual([
      { kind: 'value', setting: 'cpu', after: '512' },
      { kind: 'value', setting: 'essential', before: 'true', after: 'false' },
    ]);
    expect(diff.task).toEqual([{ kind: 'value', setting: 'memory', before: '2048', after: '4096' }]);
  });

  it('reports task-level settings: roles, volumes by name, and any other key', () => {
    const after = {
      ...written(),
      taskRoleArn: 'arn:aws:iam::123456789012:role/web',
      volumes: [{ name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-123' } }],
      ephemeralStorage: { sizeInGiB: 40 },
    };
    expect(diffTaskDefinitions(described(), after).task).toEqual([
      { kind: 'value', setting: 'taskRoleArn', after: 'arn:aws:iam::123456789012:role/web' },
      { kind: 'entries', setting: 'volumes', entries: [{ name: 'data', change: 'added' }] },
      { kind: 'value', setting: 'volumes[data].efsVolumeConfiguration.fileSystemId', after: 'fs-123' },
      { kind: 'value', setting: 'ephemeralStorage.sizeInGiB', after: '40' },
    ]);
  });

  it('shows log and FireLens option values only for allow-listed keys, the rest by name', () => {
    const before = withApp((app) => ({
      ...app,
      logConfiguration: {
        logDriver: 'awsfirelens',
        options: {
          Name: 'newrelic',
          licenseKey: 'nr-license-1',
          endpoint: 'https://log-api.eu.newrelic.com',
        },
      },
      firelensConfiguration: { type: 'fluentbit', options: { 'config-file-value': '/fluent-bit/a.conf' } },
    }));
    const after = withApp((app) => ({
      ...app,
      logConfiguration: {
        logDriver: 'awsfirelens',
        options: {
          Name: 'newrelic',
          licenseKey: 'nr-license-2',
          endpoint: 'https://log-api.newrelic.com',
          'awslogs-group': '/ecs/web',
          mode: 'non-blocking',
          'max-buffer-size': '25m',
          tag: '{{.Name}}',
          'awslogs-credentials-endpoint': '/creds?token=abc', // allow-listed prefix, secret-looking name
        },
      },
      firelensConfiguration: { type: 'fluentd', options: { 'config-file-value': '/fluent-bit/b.conf' } },
    }));
    const diff = diffTaskDefinitions(before, after);
    expect(changesOf(diff)).toEqual([
      { kind: 'value', setting: 'logConfiguration.options.awslogs-group', after: '/ecs/web' },
      { kind: 'value', setting: 'logConfiguration.options.max-buffer-size', after: '25m' },
      { kind: 'value', setting: 'logConfiguration.options.mode', after: 'non-blocking' },
      { kind: 'value', setting: 'logConfiguration.options.tag', after: '{{.Name}}' },
      {
        kind: 'entries',
        setting: 'logConfiguration.options',
        entries: [
          { name: 'endpoint', change: 'value changed' },
          { name: 'licenseKey', change: 'value changed' },
          { name: 'awslogs-credentials-endpoint', change: 'added' },
        ],
      },
      { kind: 'value', setting: 'firelensConfiguration.type', before: 'fluentbit', after: 'fluentd' },
      {
        kind: 'entries',
        setting: 'firelensConfiguration.options',
        entries: [{ name: 'config-file-value', change: 'value changed' }],
      },
    ]);
    for (const value of ['nr-license', 'newrelic.com', 'token=abc', '.conf']) {
      expect(JSON.stringify(diff)).not.toContain(value);
    }
  });

  it('reports docker volume labels and driver options by name only', () => {
    const volume = (labels: Record<string, string>, driverOpts: Record<string, string>) => ({
      ...written(),
      volumes: [{ name: 'data', dockerVolumeConfiguration: { driver: 'rexray/ebs', labels, driverOpts } }],
    });
    const diff = diffTaskDefinitions(
      volume({ team: 'payments' }, { password: 'pw-1', size: '10' }),
      volume({ team: 'checkout', owner: 'sre' }, { password: 'pw-2', size: '10' }),
    );
    expect(diff.task).toEqual([
      {
        kind: 'entries',
        setting: 'volumes[data].dockerVolumeConfiguration.labels',
        entries: [
          { name: 'team', change: 'value changed' },
          { name: 'owner', change: 'added' },
        ],
      },
      {
        kind: 'entries',
        setting: 'volumes[data].dockerVolumeConfiguration.driverOpts',
        entries: [{ name: 'password', change: 'value changed' }],
      },
    ]);
    for (const value of ['payments', 'checkout', 'sre', 'pw-1', 'pw-2']) {
      expect(JSON.stringify(diff)).not.toContain(value);
    }
  });

  it('shows command, entry point and health check command values, bounded with both ends kept', () => {
    const script = (middle: string) => [
      'sh',
      '-c',
      `set -e; ${middle.repeat(400)}; exec ./serve --port 8080`,
    ];
    const diff = diffTaskDefinitions(
      withApp((app) => ({
        ...app,
        command: script('a'),
        entryPoint: ['/init'],
        healthCheck: { command: script('d') },
      })),
      withApp((app) => ({
        ...app,
        command: script('b'),
        entryPoint: ['/tini', '--'],
        healthCheck: { command: script('c') },
      })),
    );
    const changes = changesOf(diff);
    expect(changes.map((change) => change.setting)).toEqual(['command', 'entryPoint', 'healthCheck.command']);
    expect(changes[1]).toEqual({
      kind: 'value',
      setting: 'entryPoint',
      before: '["/init"]',
      after: '["/tini","--"]',
    });
    for (const change of [changes[0], changes[2]]) {
      for (const side of change.kind === 'value' ? [change.before, change.after] : []) {
        expect(side?.length).toBeLessThanOrEqual(200);
        expect(side).toMatch(/^\["sh","-c","set -e; .*….*exec \.\/serve --port 8080"\]$/);
      }
    }
  });

  it('counts the volume settings ECS defaults as unset', () => {
    const before = {
      ...described(),
      volumes: [
        {
          name: 'shared',
          efsVolumeConfiguration: {
            fileSystemId: 'fs-123',
            rootDirectory: '/',
            transitEncryption: 'DISABLED',
            authorizationConfig: { iam: 'DISABLED' },
          },
        },
        { name: 'scratch', dockerVolumeConfiguration: { scope: 'task', driver: 'local' } },
      ],
    };
    const after = {
      ...written(),
      volumes: [
        { name: 'shared', efsVolumeConfiguration: { fileSystemId: 'fs-123' } },
        { name: 'scratch', dockerVolumeConfiguration: { driver: 'local' } },
      ],
    };
    expect(diffTaskDefinitions(before, after).empty).toBe(true);
    const encrypted = {
      ...after,
      volumes: [
        {
          name: 'shared',
          efsVolumeConfiguration: {
            fileSystemId: 'fs-123',
            transitEncryption: 'ENABLED',
            rootDirectory: '/app',
          },
        },
      ],
    };
    expect(diffTaskDefinitions(before, encrypted).task).toEqual([
      { kind: 'entries', setting: 'volumes', entries: [{ name: 'scratch', change: 'removed' }] },
      { kind: 'value', setting: 'volumes[shared].efsVolumeConfiguration.rootDirectory', after: '/app' },
      {
        kind: 'value',
        setting: 'volumes[shared].efsVolumeConfiguration.transitEncryption',
        after: 'ENABLED',
      },
      { kind: 'value', setting: 'volumes[scratch].dockerVolumeConfiguration.driver', before: 'local' },
    ]);
  });

  it('reads task cpu written with a leading dot or as vCPU', () => {
    for (const cpu of ['.25 vcpu', '0.25 vCPU', '.25vCPU', 256]) {
      expect(diffTaskDefinitions(described(), { ...written(), cpu }).task).toEqual([]);
    }
    expect(diffTaskDefinitions(described(), { ...written(), cpu: '.5 vcpu' }).task).toEqual([
      { kind: 'value', setting: 'cpu', before: '256', after: '512' },
    ]);
  });

  it('reports one container removed and one added as such when their image repositories differ', () => {
    const diff = diffTaskDefinitions(
      withApp((app) => ({ ...app, name: 'cache', image: 'redis:7' })),
      withApp((app) => ({ ...app, name: 'worker', image: `${ECR}/worker:42` })),
    );
    expect(diff.containers).toEqual({
      added: [{ name: 'worker', image: `${ECR}/worker:42` }],
      removed: [{ name: 'cache', image: 'redis:7' }],
      renamed: [],
      changed: [],
    });
  });

  it("compares tags by key, never carrying a value, and leaves AWS's own aws: tags out", () => {
    const tagged = (tags: { key: string; value: string }[]) => ({ ...described(), tags });
    const diff = diffTaskDefinitions(
      tagged([
        { key: 'team', value: 'payments' },
        { key: 'cost-centre', value: 'cc-1' },
        { key: 'release', value: '41' },
        { key: 'aws:cloudformation:stack-name', value: 'web' },
      ]),
      {
        ...written(),
        tags: [
          { key: 'release', value: '41' },
          { key: 'team', value: 'checkout' },
          { key: 'owner', value: 'sre' },
        ],
      },
    );
    expect(diff.task).toEqual([
      {
        kind: 'entries',
        setting: 'tags',
        entries: [
          { name: 'team', change: 'value changed' },
          { name: 'owner', change: 'added' },
          { name: 'cost-centre', change: 'removed' },
        ],
      },
    ]);
    for (const value of ['payments', 'checkout', 'sre', 'cc-1']) {
      expect(JSON.stringify(diff)).not.toContain(value);
    }
  });
});
