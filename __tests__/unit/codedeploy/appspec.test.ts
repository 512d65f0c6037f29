import { createHash } from 'node:crypto';
import {
  type AppSpec,
  appSpecRevision,
  checkAppSpecAgainstTaskDefinition,
  generateAppSpec,
  parseAppSpec,
  withTaskDefinitionArn,
} from '../../../src/codedeploy/appspec.js';
import { UserError } from '../../../src/text/errors.js';

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

const ORIGIN = 'codedeploy-appspec: appspec.yaml';
const EXAMPLE =
  'e.g.\nversion: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n' +
  '        TaskDefinition: <TASK_DEFINITION>\n        LoadBalancerInfo:\n          ContainerName: app\n          ContainerPort: 80';

const yamlAppSpec = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: app
          ContainerPort: 8080
        PlatformVersion: "1.4.0"
Hooks:
  - BeforeAllowTraffic: arn:aws:lambda:us-east-1:123456789012:function:smoke
`;

const parsedAppSpec: AppSpec = {
  version: 0,
  Resources: [
    {
      TargetService: {
        Type: 'AWS::ECS::Service',
        Properties: {
          TaskDefinition: '<TASK_DEFINITION>',
          LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
          PlatformVersion: '1.4.0',
        },
      },
    },
  ],
  Hooks: [{ BeforeAllowTraffic: 'arn:aws:lambda:us-east-1:123456789012:function:smoke' }],
};

const taskDefinition = {
  family: 'web',
  containerDefinitions: [
    { name: 'app', portMappings: [{ containerPort: 8080 }, { containerPort: 9090 }] },
    { name: 'sidecar', portMappings: [] },
  ],
};

describe('parseAppSpec', () => {
  it('parses YAML, Hooks passed through', () => {
    expect(parseAppSpec(yamlAppSpec, ORIGIN)).toEqual(parsedAppSpec);
  });

  it('parses JSON', () => {
    expect(parseAppSpec(JSON.stringify(parsedAppSpec), 'codedeploy-appspec (inline)')).toEqual(parsedAppSpec);
  });

  it('matches keys case-insensitively and writes them in the documented casing', () => {
    const text = JSON.stringify({
      version: 0,
      resources: [
        {
          svc: {
            type: 'AWS::ECS::Service',
            properties: {
              taskDefinition: 'x',
              loadBalancerInfo: { containerName: 'app', containerPort: 80 },
            },
          },
        },
      ],
    });
    expect(parseAppSpec(text, ORIGIN).Resources).toEqual([
      {
        svc: {
          Type: 'AWS::ECS::Service',
          Properties: { TaskDefinition: 'x', LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 80 } },
        },
      },
    ]);
  });

  it('reports YAML syntax errors with line and column', () => {
    const error = errorOf(() =>
      parseAppSpec('version: 0.0\nResources:\n  - TargetService:\n    Type: [AWS::ECS::Service\n', ORIGIN),
    );
    expect(error.message).toMatch(
      /^codedeploy-appspec: appspec\.yaml is not valid YAML: .+ at line \d+, column \d+\.$/,
    );
  });

  it('reports JSON syntax errors with line and column', () => {
    expect(errorOf(() => parseAppSpec('{\n  "version": 0.0,\n  "Resources": [}\n', ORIGIN)).message).toBe(
      'codedeploy-appspec: appspec.yaml is not valid JSON: Unexpected token } at line 3, column 17.',
    );
  });

  const resource = (body: unknown) =>
    `version: 0.0\nResources:\n  - TargetService: ${JSON.stringify(body)}\n`;
  const lb = { ContainerName: 'app', ContainerPort: 80 };

  it.each([
    [
      'no Resources',
      'version: 0.0\n',
      `${ORIGIN} has no "Resources". Expected a list with exactly one resource of Type AWS::ECS::Service, ${EXAMPLE}`,
    ],
    [
      'Resources that is not a list',
      'version: 0.0\nResources:\n  TargetService: {}\n',
      `${ORIGIN}: "Resources" must be a list (each entry starts with "- "), but it is a mapping. Expected exactly one resource of Type AWS::ECS::Service, ${EXAMPLE}`,
    ],
    [
      'an empty Resources list',
      'version: 0.0\nResources: []\n',
      `${ORIGIN}: "Resources" must list exactly one resource of Type AWS::ECS::Service (a CodeDeploy ECS deployment updates one service), but it is empty. Keep the one for this service, ${EXAMPLE}`,
    ],
    [
      'two resources',
      `version: 0.0\nResources:\n  - A: ${JSON.stringify({ Type: 'AWS::ECS::Service', Properties: { LoadBalancerInfo: lb } })}\n  - B: ${JSON.stringify({ Type: 'AWS::ECS::Service', Properties: { LoadBalancerInfo: lb } })}\n`,
      `${ORIGIN}: "Resources" must list exactly one resource of Type AWS::ECS::Service (a CodeDeploy ECS deployment updates one service), but it has 2. Keep the one for this service, ${EXAMPLE}`,
    ],
    [
      'a wrong Type',
      resource({ Type: 'AWS::Lambda::Function', Properties: { LoadBalancerInfo: lb } }),
      `${ORIGIN}: Resources[0].TargetService needs "Type: AWS::ECS::Service", got "AWS::Lambda::Function".`,
    ],
    [
      'no Type',
      resource({ Properties: { LoadBalancerInfo: lb } }),
      `${ORIGIN}: Resources[0].TargetService needs "Type: AWS::ECS::Service", it has none.`,
    ],
    [
      'no Properties',
      resource({ Type: 'AWS::ECS::Service' }),
      `${ORIGIN}: Resources[0].TargetService needs "Properties" with LoadBalancerInfo (ContainerName, ContainerPort), ${EXAMPLE}`,
    ],
    [
      'no LoadBalancerInfo',
      resource({ Type: 'AWS::ECS::Service', Properties: { TaskDefinition: 'x' } }),
      `${ORIGIN}: Resources[0].TargetService.Properties needs "LoadBalancerInfo" with ContainerName and ContainerPort (the container and port the load balancer sends traffic to), e.g. LoadBalancerInfo: {ContainerName: app, ContainerPort: 80}.`,
    ],
    [
      'a ContainerPort that is not a number',
      resource({
        Type: 'AWS::ECS::Service',
        Properties: { LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 'http' } },
      }),
      `${ORIGIN}: Resources[0].TargetService.Properties.LoadBalancerInfo.ContainerPort must be a port number (a containerPort of that container's portMappings), e.g. ContainerPort: 80, got "http".`,
    ],
    [
      'no ContainerName',
      resource({ Type: 'AWS::ECS::Service', Properties: { LoadBalancerInfo: { ContainerPort: 80 } } }),
      `${ORIGIN}: Resources[0].TargetService.Properties.LoadBalancerInfo.ContainerName must be the name of a container in the task definition, e.g. ContainerName: app.`,
    ],
    [
      'a key spelled two ways',
      resource({
        Type: 'AWS::ECS::Service',
        Properties: { TaskDefinition: 'a', taskDefinition: 'b', LoadBalancerInfo: lb },
      }),
      `${ORIGIN}: Resources[0].TargetService.Properties has both "TaskDefinition" and "taskDefinition". Keep one of them.`,
    ],
    [
      'a top-level list',
      '- a\n- b\n',
      `${ORIGIN} must be an AppSpec mapping, but its top-level value is a list. Expected, ${EXAMPLE}`,
    ],
  ])('rejects an AppSpec with %s', (_, text, message) => {
    expect(errorOf(() => parseAppSpec(text, ORIGIN)).message).toBe(message);
  });
});

describe('parseAppSpec: AppSpecs as users write them', () => {
  it('accepts a quoted ContainerPort, sends it as a number, and says so', () => {
    const notices: string[] = [];
    const text = [
      'version: 0.0',
      'Resources:',
      '  - TargetService:',
      '      Type: AWS::ECS::Service',
      '      Properties:',
      '        TaskDefinition: <TASK_DEFINITION>',
      '        LoadBalancerInfo:',
      '          ContainerName: app',
      '          ContainerPort: "8080"',
    ].join('\n');
    const appSpec = parseAppSpec(text, ORIGIN, (line) => notices.push(line));
    const [resource] = Object.values(appSpec.Resources[0]);
    expect(resource.Properties.LoadBalancerInfo.ContainerPort).toBe(8080);
    expect(notices).toEqual([
      `${ORIGIN}: Resources[0].TargetService.Properties.LoadBalancerInfo.ContainerPort is the text "8080"; it is sent as the number 8080.`,
    ]);
  });
});

describe('generateAppSpec', () => {
  it('uses the load balancer, platform version, network configuration and capacity providers of the service', () => {
    const appSpec = generateAppSpec({
      serviceName: 'web',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:6',
      loadBalancers: [{ targetGroupArn: 'arn:tg', containerName: 'app', containerPort: 8080 }],
      platformVersion: 'LATEST',
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-1', 'subnet-2'],
          securityGroups: ['sg-1'],
          assignPublicIp: 'DISABLED',
        },
      },
      capacityProviderStrategy: [
        { capacityProvider: 'FARGATE', base: 1, weight: 1 },
        { capacityProvider: 'FARGATE_SPOT', weight: 3 },
      ],
    });
    expect(appSpec).toEqual({
      version: 0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:6',
              LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
              PlatformVersion: 'LATEST',
              NetworkConfiguration: {
                AwsvpcConfiguration: {
                  Subnets: ['subnet-1', 'subnet-2'],
                  SecurityGroups: ['sg-1'],
                  AssignPublicIp: 'DISABLED',
                },
              },
              CapacityProviderStrategy: [
                { Base: 1, CapacityProvider: 'FARGATE', Weight: 1 },
                { CapacityProvider: 'FARGATE_SPOT', Weight: 3 },
              ],
            },
          },
        },
      ],
    });
  });

  it('leaves out what the service does not set', () => {
    const appSpec = generateAppSpec({
      serviceName: 'web',
      loadBalancers: [{ containerName: 'app', containerPort: 80 }],
    });
    expect(appSpec.Resources[0].TargetService.Properties).toEqual({
      LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 80 },
    });
  });

  it('explains that CodeDeploy needs a load balancer', () => {
    expect(errorOf(() => generateAppSpec({ serviceName: 'web', loadBalancers: [] })).message).toBe(
      'codedeploy-appspec: service "web" has no load balancer with a container name and port, so no AppSpec can be ' +
        'generated, and a CodeDeploy blue/green deployment needs one to shift traffic. Attach the service to a load ' +
        'balancer target group, or set codedeploy-appspec to an AppSpec file.',
    );
  });
});

describe('withTaskDefinitionArn', () => {
  const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7';

  it('replaces TaskDefinition and leaves the input alone', () => {
    const original = structuredClone(parsedAppSpec);
    const patched = withTaskDefinitionArn(parsedAppSpec, arn);
    expect(patched.Resources[0].TargetService.Properties.TaskDefinition).toBe(arn);
    expect(patched.Hooks).toEqual(parsedAppSpec.Hooks);
    expect(parsedAppSpec).toEqual(original);
  });

  it('matches the key case-insensitively', () => {
    const appSpec = {
      Resources: [
        {
          svc: {
            Type: 'AWS::ECS::Service',
            Properties: { taskDefinition: 'old', LoadBalancerInfo: { ContainerName: 'a', ContainerPort: 1 } },
          },
        },
      ],
    } as unknown as AppSpec;
    expect(withTaskDefinitionArn(appSpec, arn).Resources[0].svc.Properties).toEqual({
      taskDefinition: arn,
      LoadBalancerInfo: { ContainerName: 'a', ContainerPort: 1 },
    });
  });

  it('adds TaskDefinition when the AppSpec has none', () => {
    const appSpec = parseAppSpec(
      'Resources:\n  - T:\n      Type: AWS::ECS::Service\n      Properties:\n        LoadBalancerInfo: {ContainerName: app, ContainerPort: 80}\n',
      ORIGIN,
    );
    expect(withTaskDefinitionArn(appSpec, arn).Resources[0].T.Properties.TaskDefinition).toBe(arn);
  });
});

describe('checkAppSpecAgainstTaskDefinition', () => {
  it('accepts a container and port of the task definition', () => {
    expect(() => checkAppSpecAgainstTaskDefinition(parsedAppSpec, taskDefinition, ORIGIN)).not.toThrow();
  });

  it('names the container and lists those the task definition has', () => {
    const appSpec = generateAppSpec({
      serviceName: 'web',
      loadBalancers: [{ containerName: 'api', containerPort: 8080 }],
    });
    expect(
      errorOf(() =>
        checkAppSpecAgainstTaskDefinition(appSpec, taskDefinition, 'the AppSpec generated from the service'),
      ).message,
    ).toBe(
      'the AppSpec generated from the service: Resources[0].TargetService.Properties.LoadBalancerInfo.ContainerName is "api", ' +
        'but the task definition has no container of that name (it has: app, sidecar). Set ContainerName to the ' +
        "container that serves the load balancer's traffic, or rename the container in the task definition.",
    );
  });

  it('names the port and lists the ports the container maps', () => {
    const appSpec = generateAppSpec({
      serviceName: 'web',
      loadBalancers: [{ containerName: 'app', containerPort: 80 }],
    });
    expect(errorOf(() => checkAppSpecAgainstTaskDefinition(appSpec, taskDefinition, ORIGIN)).message).toBe(
      `${ORIGIN}: Resources[0].TargetService.Properties.LoadBalancerInfo.ContainerPort is 80, but container "app" in the ` +
        "task definition maps only containerPort 8080, 9090. Set ContainerPort to one of its portMappings' containerPort, " +
        'or add {"containerPort": 80} to its portMappings.',
    );
  });

  it('says when the container maps no port at all', () => {
    const appSpec = generateAppSpec({
      serviceName: 'web',
      loadBalancers: [{ containerName: 'sidecar', containerPort: 80 }],
    });
    expect(
      errorOf(() => checkAppSpecAgainstTaskDefinition(appSpec, taskDefinition, ORIGIN)).message,
    ).toContain('but container "sidecar" in the task definition has no portMappings.');
  });
});

describe('appSpecRevision', () => {
  it('is the AppSpec as JSON with the SHA-256 of exactly that text', () => {
    const { content, sha256 } = appSpecRevision(parsedAppSpec);
    expect(JSON.parse(content)).toEqual(parsedAppSpec);
    expect(sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
