import { changeLines, changesMarkdown, countChanges, imageChanges } from '../../../src/report/changes.js';
import { diffTaskDefinitions, type TaskDefinitionDiff } from '../../../src/taskdef/diff.js';

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const SECRET_VALUE = 'hunter2-s3cr3t-do-not-print';
const labels = { before: 'web:41', after: 'web:42' };

/** The revision the service ran, as DescribeTaskDefinition returns it. */
const running = () => ({
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:41',
  revision: 41,
  status: 'ACTIVE',
  family: 'web',
  cpu: '256',
  memory: '512',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  compatibilities: ['EC2', 'FARGATE'],
  containerDefinitions: [
    {
      name: 'app',
      image: `${ECR}/web:41`,
      cpu: 256,
      essential: true,
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
      environment: [
        { name: 'RELEASE', value: '41' },
        { name: 'DATABASE_URL', value: `postgres://app:${SECRET_VALUE}@db/app` },
      ],
      mountPoints: [],
      volumesFrom: [],
    },
  ],
});

/** The next revision: a new image, one variable's value, more cpu, and a worker. */
const next = (): Record<string, unknown> => {
  const [app] = running().containerDefinitions;
  return {
    family: 'web',
    cpu: '256',
    memory: '1024',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    containerDefinitions: [
      {
        ...app,
        image: `${ECR}/web:42`,
        cpu: 512,
        environment: [
          { name: 'RELEASE', value: '42' },
          { name: 'DATABASE_URL', value: `postgres://app:${SECRET_VALUE}@db/app` },
        ],
      },
      { name: 'worker', image: `${ECR}/worker:42`, essential: false },
    ],
  };
};

function withApp(change: Record<string, unknown>): Record<string, unknown> {
  const definition = next();
  const [app, ...rest] = definition.containerDefinitions as Record<string, unknown>[];
  return { ...definition, containerDefinitions: [{ ...app, ...change }, ...rest] };
}

/** A diff of `count` settings, all on the app container. */
function manyChanges(count: number): TaskDefinitionDiff {
  const changes = Array.from({ length: count }, (_, i) => ({
    kind: 'value' as const,
    setting: `dockerSecurityOptions.${i}`,
    before: `a${i}`,
    after: `b${i}`,
  }));
  return {
    containers: { added: [], removed: [], renamed: [], changed: [{ name: 'app', changes }] },
    task: [],
    empty: false,
  };
}

describe('changeLines', () => {
  it('lists each change under its container, full image URIs, the task last', () => {
    expect(changeLines(diffTaskDefinitions(running(), next()), labels)).toEqual([
      'container app',
      `  image        ${ECR}/web:41 → ${ECR}/web:42`,
      '  environment  RELEASE value changed',
      '  cpu          256 → 512',
      `container worker added (image ${ECR}/worker:42)`,
      'task  memory  512 → 1024',
    ]);
  });

  it('says in one sentence when nothing differs', () => {
    const same = { ...running(), containerDefinitions: running().containerDefinitions };
    expect(changeLines(diffTaskDefinitions(running(), same), labels)).toEqual([
      'No differences from web:41: the same settings with the same images.',
    ]);
  });

  it('names variables added, removed and changed on one line, and secrets by name', () => {
    const diff = diffTaskDefinitions(
      running(),
      withApp({
        environment: [
          { name: 'RELEASE', value: '42' },
          { name: 'FEATURE_X', value: 'on' },
        ],
        secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db' }],
      }),
    );
    const lines = changeLines(diff, labels);
    expect(lines).toContain('  environment  RELEASE value changed; FEATURE_X added; DATABASE_URL removed');
    expect(lines).toContain('  secrets      DB_PASSWORD added');
  });

  it('shows a container removed, and one renamed with its changes under the new name', () => {
    const renamed = withApp({ name: 'web' });
    expect(changeLines(diffTaskDefinitions(running(), renamed), labels).slice(0, 2)).toEqual([
      'container web (renamed from app)',
      `  image        ${ECR}/web:41 → ${ECR}/web:42`,
    ]);
    const withoutWorker = diffTaskDefinitions(next(), { ...next(), containerDefinitions: [] });
    expect(changeLines(withoutWorker, labels)).toEqual([
      `container app removed (image ${ECR}/web:42)`,
      `container worker removed (image ${ECR}/worker:42)`,
    ]);
  });

  it('cuts an image URI only when it is over 200 characters, in the middle', () => {
    const long = `${ECR}/${'x'.repeat(250)}:42`;
    const [, imageLine] = changeLines(diffTaskDefinitions(running(), withApp({ image: long })), labels);
    expect(imageLine).toBe(`  image        ${ECR}/web:41 → ${long.slice(0, 66)}…${long.slice(-133)}`);
  });

  it('neutralises a workflow command in a name from the file', () => {
    const diff = diffTaskDefinitions(running(), withApp({ dockerLabels: { '::stop-commands::x': '1' } }));
    const lines = changeLines(diff, labels).join('\n');
    expect(lines).not.toMatch(/(^|\s)::stop-commands::/m);
    expect(lines).toContain('dockerLabels');
  });

  it('stops after 200 lines and counts the rest', () => {
    const lines = changeLines(manyChanges(250), labels);
    expect(lines).toHaveLength(201);
    expect(lines[200]).toBe('… 51 more');
  });
});

describe('changesMarkdown', () => {
  it('is a collapsed table with the count in the summary and a blank line after it', () => {
    expect(changesMarkdown(diffTaskDefinitions(running(), next()), labels)).toBe(
      [
        '<details><summary>What changed: web:41 → web:42 (5 changes)</summary>',
        '',
        '| Where | Setting | Before | After |',
        '|---|---|---|---|',
        `| container \`app\` | image | \`${ECR}/web:41\` | \`${ECR}/web:42\` |`,
        '| container `app` | environment `RELEASE` | *set* | *value changed* |',
        '| container `app` | cpu | `256` | `512` |',
        `| container \`worker\` | container | *not present* | *added* \`${ECR}/worker:42\` |`,
        '| task | memory | `512` | `1024` |',
        '',
        '</details>',
      ].join('\n'),
    );
  });

  it('holds the no-differences sentence when nothing differs', () => {
    const markdown = changesMarkdown(diffTaskDefinitions(running(), running()), labels);
    expect(markdown).toContain('<summary>What changed: web:41 → web:42 (no changes)</summary>');
    expect(markdown).toContain('No differences from web:41: the same settings with the same images.');
    expect(markdown).not.toContain('| Where |');
  });

  it('escapes pipes and HTML from the task definition', () => {
    const diff = diffTaskDefinitions(
      running(),
      withApp({
        command: ['sh', '-c', 'serve | tee /tmp/log'],
        workingDirectory: '<script>alert(1)</script>',
      }),
    );
    const markdown = changesMarkdown(diff, { before: 'web:41', after: '<img src=x onerror=alert(1)>' });
    expect(markdown).toContain(
      '| container `app` | command | *not set* | `["sh","-c","serve \\| tee /tmp/log"]` |',
    );
    expect(markdown).toContain('| workingDirectory | *not set* | &lt;script&gt;alert(1)&lt;/script&gt; |');
    expect(markdown).toContain('What changed: web:41 → &lt;img src=x onerror=alert(1)&gt;');
    expect(markdown).not.toMatch(/<script|<img/);
    for (const row of markdown.split('\n').filter((line) => line.startsWith('| container'))) {
      expect(row.split(/(?<!\\)\|/)).toHaveLength(6); // four cells: no pipe leaked out of one
    }
  });

  it('cuts long values at 120 characters, in the middle', () => {
    const diff = diffTaskDefinitions(running(), withApp({ workingDirectory: `/srv/${'d'.repeat(300)}/app` }));
    const row = changesMarkdown(diff, labels)
      .split('\n')
      .find((line) => line.includes('workingDirectory'));
    expect(row).toContain(`\`/srv/${'d'.repeat(34)}…${'d'.repeat(76)}/app\``);
  });

  it('shows at most 200 rows and counts the rest below the table', () => {
    const markdown = changesMarkdown(manyChanges(230), labels);
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('<details><summary>What changed: web:41 → web:42 (230 changes)</summary>');
    expect(lines.filter((line) => line.startsWith('| container'))).toHaveLength(200);
    expect(lines.slice(-4)).toEqual(['', '… 30 more', '', '</details>']);
  });
});

describe('no environment or label value is ever printed', () => {
  it('in the log lines or the Markdown', () => {
    const diff = diffTaskDefinitions(
      running(),
      withApp({
        environment: [{ name: 'DATABASE_URL', value: `postgres://app:${SECRET_VALUE}-2@db/app` }],
        dockerLabels: { 'api-token': SECRET_VALUE },
      }),
    );
    const printed = [...changeLines(diff, labels), changesMarkdown(diff, labels)].join('\n');
    expect(printed).toContain('DATABASE_URL');
    expect(printed).toContain('api-token');
    expect(printed).not.toContain(SECRET_VALUE);
    expect(printed).not.toContain('postgres://');
  });

  it('nor a log option off the allow-list, a tag or a docker volume option', () => {
    const logTo = (licenseKey: string) => ({
      logDriver: 'awsfirelens',
      options: { Name: 'newrelic', licenseKey, 'awslogs-group': '/ecs/web' },
    });
    const volume = (password: string) => [
      { name: 'data', dockerVolumeConfiguration: { driver: 'local', driverOpts: { password } } },
    ];
    const diff = diffTaskDefinitions(
      { ...running(), tags: [{ key: 'owner', value: 'payments' }], volumes: volume('pw-1') },
      {
        ...withApp({ logConfiguration: logTo(SECRET_VALUE) }),
        tags: [{ key: 'owner', value: 'checkout' }],
        volumes: volume('pw-2'),
      },
    );
    const printed = [...changeLines(diff, labels), changesMarkdown(diff, labels)].join('\n');
    expect(printed).toMatch(/logConfiguration\.options +Name added; licenseKey added/);
    expect(printed).toMatch(/task {2}tags +owner value changed/);
    expect(printed).toContain(
      '| task | volumes\\[data\\].dockerVolumeConfiguration.driverOpts `password` | *set* | *value changed* |',
    );
    for (const value of [SECRET_VALUE, 'payments', 'checkout', 'pw-1', 'pw-2']) {
      expect(printed).not.toContain(value);
    }
  });
});

describe('long image URIs', () => {
  it('keep their different tags, in the table and the log lines', () => {
    const repository = `${ECR}/platform/${'checkout-service-'.repeat(10)}api`;
    const before = `${repository}:release-2024-05-01-0f3c2a9b7d-build-1234`;
    const after = `${repository}:release-2024-05-01-0f3c2a9b7d-build-1235`;
    const diff = diffTaskDefinitions(withApp({ image: before }), withApp({ image: after }));
    const [, imageLine] = changeLines(diff, labels);
    expect(imageLine).toMatch(
      /^ {2}image {8}123456789012\.dkr\.ecr\.\S*…\S*-build-1234 → 123456789012\.\S*…\S*-build-1235$/,
    );
    const row = changesMarkdown(diff, labels)
      .split('\n')
      .find((line) => line.includes('| image |'));
    const [, , beforeCell, afterCell] = row?.split(' | ') ?? [];
    expect(beforeCell).toMatch(
      /^`123456789012\.dkr\.ecr\.\S*…\S*checkout-service-api:release-2024-05-01-0f3c2a9b7d-build-1234`$/,
    );
    expect(afterCell).toMatch(/-build-1235` \|$/);
    expect(beforeCell).toHaveLength(122); // 120 characters and the backticks
  });
});

describe('countChanges and imageChanges', () => {
  it('count each setting and container, and list the containers whose image moves', () => {
    const diff = diffTaskDefinitions(
      {
        ...running(),
        containerDefinitions: [
          ...running().containerDefinitions,
          { name: 'cron', image: 'cron:1' },
          { name: 'metrics', image: 'statsd:2' },
        ],
      },
      next(),
    );
    expect(countChanges(diff)).toBe(7); // image, RELEASE, cpu, worker, cron, metrics, task memory
    expect(imageChanges(diff)).toEqual([
      { container: 'app', before: `${ECR}/web:41`, after: `${ECR}/web:42` },
      { container: 'worker', after: `${ECR}/worker:42` },
      { container: 'cron', before: 'cron:1' },
      { container: 'metrics', before: 'statsd:2' },
    ]);
  });
});
