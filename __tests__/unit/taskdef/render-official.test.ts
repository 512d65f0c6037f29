/**
 * The render inputs of aws-actions/amazon-ecs-render-task-definition 1.9.0, parsed and rendered the way
 * ecs-shift does, against the payload that action writes for the same file and inputs (worked out from
 * its index.js: secrets upserted by name, env files replaced with type s3, labels and log options
 * upserted, command split on spaces, roles set on the task) — and the cases where ecs-shift does better.
 */
import { describe, expect, it } from '@jest/globals';
import { parseSettings } from '../../../src/settings/inputs.js';
import { renderTaskDefinition } from '../../../src/taskdef/render.js';

const TASK_DEFINITION = {
  family: 'web',
  containerDefinitions: [
    {
      name: 'app',
      image: 'repo/web:1',
      secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/old' }],
      environmentFiles: [{ value: 'arn:aws:s3:::old-bucket/old.env', type: 's3' }],
      dockerLabels: { team: 'web' },
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/old', 'awslogs-region': 'us-east-1' },
      },
    },
    { name: 'sidecar', image: 'repo/sidecar:1' },
  ],
};

function render(inputs: Record<string, string>) {
  const settings = parseSettings(
    (name) => ({ 'task-definition': 'td.json', 'container-name': 'app', ...inputs })[name] ?? '',
    { GITHUB_WORKSPACE: '/ws' },
    () => false,
  );
  return renderTaskDefinition(TASK_DEFINITION, settings.render);
}

describe('the official render inputs', () => {
  it('renders what amazon-ecs-render-task-definition renders for the same inputs', () => {
    const rendered = render({
      image: 'repo/web:2',
      secrets: [
        'DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf',
        'API_KEY=arn:aws:ssm:us-east-1:123456789012:parameter/api-key',
      ].join('\n'),
      'env-files': 'arn:aws:s3:::config-bucket/prod.env\n\narn:aws:s3:::config-bucket/shared.env',
      'docker-labels': 'team=payments\ntier=frontend',
      'log-configuration-log-driver': 'awsfirelens',
      'log-configuration-options': 'Name=cloudwatch\nawslogs-group=/ecs/web',
      command: 'npm run start',
      'task-role-arn': 'arn:aws:iam::123456789012:role/web-task',
      'execution-role-arn': 'arn:aws-cn:iam::123456789012:role/web-execution',
    });
    // The official action's output for these inputs, field by field.
    expect(rendered).toEqual({
      family: 'web',
      taskRoleArn: 'arn:aws:iam::123456789012:role/web-task',
      executionRoleArn: 'arn:aws-cn:iam::123456789012:role/web-execution',
      containerDefinitions: [
        {
          name: 'app',
          image: 'repo/web:2',
          command: ['npm', 'run', 'start'],
          secrets: [
            {
              name: 'DB_PASSWORD',
              valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf',
            },
            { name: 'API_KEY', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/api-key' },
          ],
          environmentFiles: [
            { value: 'arn:aws:s3:::config-bucket/prod.env', type: 's3' },
            { value: 'arn:aws:s3:::config-bucket/shared.env', type: 's3' },
          ],
          dockerLabels: { team: 'payments', tier: 'frontend' },
          logConfiguration: {
            logDriver: 'awsfirelens',
            options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1', Name: 'cloudwatch' },
          },
        },
        { name: 'sidecar', image: 'repo/sidecar:1' },
      ],
    });
    // The input is never modified (a later step renders from the same file).
    expect(TASK_DEFINITION.containerDefinitions[0].secrets).toHaveLength(1);
  });

  it('acts on every container of a comma-separated container-name, as the official action does', () => {
    const rendered = render({
      'container-name': 'app,sidecar',
      secrets: 'TOKEN=arn:aws:ssm:us-east-1:123456789012:parameter/t',
    });
    const containers = rendered.containerDefinitions as { secrets?: unknown[] }[];
    expect(containers.map((c) => c.secrets?.at(-1))).toEqual([
      { name: 'TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/t' },
      { name: 'TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/t' },
    ]);
  });

  it('sets task-level cpu and memory as RegisterTaskDefinition takes them', () => {
    expect(render({ 'container-name': '', cpu: '1 vCPU', memory: '2048' })).toMatchObject({
      cpu: '1 vCPU',
      memory: '2048',
    });
  });
});

describe('where ecs-shift does better than the official render action', () => {
  it('keeps a log option or label value that contains "=" (the official action cuts it at the second "=")', () => {
    const rendered = render({
      'log-configuration-options': 'awslogs-datetime-format=%Y-%m-%d=%H',
      'docker-labels': 'traefik.http.routers.web.rule=Host(`a.example`)',
    });
    const [app] = rendered.containerDefinitions as Record<string, Record<string, unknown>>[];
    expect(app.logConfiguration.options).toMatchObject({ 'awslogs-datetime-format': '%Y-%m-%d=%H' });
    expect(app.dockerLabels).toMatchObject({ 'traefik.http.routers.web.rule': 'Host(`a.example`)' });
  });

  it('takes a JSON array command, for arguments with spaces, and ignores doubled spaces in the plain form', () => {
    const json = render({ command: '["sh", "-c", "npm run migrate && npm start"]' });
    expect((json.containerDefinitions as { command?: string[] }[])[0].command).toEqual([
      'sh',
      '-c',
      'npm run migrate && npm start',
    ]);
    const spaced = render({ command: 'npm  start' });
    expect((spaced.containerDefinitions as { command?: string[] }[])[0].command).toEqual(['npm', 'start']);
  });

  it('refuses log options for a container with no log driver, before anything is registered', () => {
    const settings = parseSettings(
      (name) =>
        ({ 'task-definition': 'td.json', 'container-name': 'sidecar', 'log-configuration-options': 'a=b' })[
          name
        ] ?? '',
      { GITHUB_WORKSPACE: '/ws' },
      () => false,
    );
    expect(() => renderTaskDefinition(TASK_DEFINITION, { ...settings.render, origin: 'td.json' })).toThrow(
      'log-configuration-options: container "sidecar" in td.json has no log driver, and ECS needs one with options. Set log-configuration-log-driver too, e.g. log-configuration-log-driver: awslogs.',
    );
  });
});
