import {
  clusterName,
  codeDeployDeploymentUrl,
  consoleOrigin,
  ecsServiceUrl,
  ecsTaskUrl,
  partitionOf,
  serviceDeploymentUrl,
  taskDefinitionName,
  taskDefinitionUrl,
} from '../../../src/report/console-urls.js';

describe('partition and console host', () => {
  it.each([
    ['us-east-1', 'aws', 'https://console.aws.amazon.com'],
    ['eu-west-1', 'aws', 'https://console.aws.amazon.com'],
    ['cn-north-1', 'aws-cn', 'https://console.amazonaws.cn'],
    ['cn-northwest-1', 'aws-cn', 'https://console.amazonaws.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'https://console.amazonaws-us-gov.com'],
    ['us-gov-east-1', 'aws-us-gov', 'https://console.amazonaws-us-gov.com'],
  ])('%s is in %s', (region, partition, origin) => {
    expect(partitionOf(region)).toBe(partition);
    expect(consoleOrigin(region)).toBe(origin);
  });
});

describe('codeDeployDeploymentUrl', () => {
  it('links the deployment page in the commercial partition', () => {
    expect(codeDeployDeploymentUrl('us-east-1', 'd-ABC123XYZ')).toBe(
      'https://console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABC123XYZ?region=us-east-1',
    );
  });

  it('uses the China console for cn- regions', () => {
    expect(codeDeployDeploymentUrl('cn-north-1', 'd-CN0000001')).toBe(
      'https://console.amazonaws.cn/codesuite/codedeploy/deployments/d-CN0000001?region=cn-north-1',
    );
  });

  it('uses the GovCloud console for us-gov- regions', () => {
    expect(codeDeployDeploymentUrl('us-gov-west-1', 'd-GOV000001')).toBe(
      'https://console.amazonaws-us-gov.com/codesuite/codedeploy/deployments/d-GOV000001?region=us-gov-west-1',
    );
  });
});

describe('ecsServiceUrl', () => {
  it('links the service by cluster name', () => {
    expect(ecsServiceUrl('eu-west-1', 'prod', 'web')).toBe(
      'https://console.aws.amazon.com/ecs/v2/clusters/prod/services/web/health?region=eu-west-1',
    );
  });

  it('uses the cluster name when the cluster is given as an ARN', () => {
    expect(
      ecsServiceUrl('us-gov-west-1', 'arn:aws-us-gov:ecs:us-gov-west-1:123456789012:cluster/prod', 'web'),
    ).toBe(
      'https://console.amazonaws-us-gov.com/ecs/v2/clusters/prod/services/web/health?region=us-gov-west-1',
    );
  });
});

describe('ecsTaskUrl', () => {
  it('links a task by its id (long ARN format)', () => {
    expect(
      ecsTaskUrl(
        'cn-northwest-1',
        'prod',
        'arn:aws-cn:ecs:cn-northwest-1:123456789012:task/prod/0a1b2c3d4e5f47a8b9c0d1e2f3a4b5c6',
      ),
    ).toBe(
      'https://console.amazonaws.cn/ecs/v2/clusters/prod/tasks/0a1b2c3d4e5f47a8b9c0d1e2f3a4b5c6/configuration?region=cn-northwest-1',
    );
  });

  it('links a task by its id (old ARN format, cluster ARN)', () => {
    expect(
      ecsTaskUrl(
        'us-east-1',
        'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
        'arn:aws:ecs:us-east-1:123456789012:task/7f8e9d0c-1b2a-4c3d-9e8f-0a1b2c3d4e5f',
      ),
    ).toBe(
      'https://console.aws.amazon.com/ecs/v2/clusters/prod/tasks/7f8e9d0c-1b2a-4c3d-9e8f-0a1b2c3d4e5f/configuration?region=us-east-1',
    );
  });
});

describe('taskDefinitionUrl', () => {
  it('links family and revision of an ARN', () => {
    expect(taskDefinitionUrl('us-east-1', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:42')).toBe(
      'https://console.aws.amazon.com/ecs/v2/task-definitions/web/42/containers?region=us-east-1',
    );
  });

  it('accepts family:revision and a bare family', () => {
    expect(taskDefinitionUrl('cn-north-1', 'web-api:7')).toBe(
      'https://console.amazonaws.cn/ecs/v2/task-definitions/web-api/7/containers?region=cn-north-1',
    );
    expect(taskDefinitionUrl('us-east-1', 'web-api')).toBe(
      'https://console.aws.amazon.com/ecs/v2/task-definitions/web-api?region=us-east-1',
    );
  });

  it('names a revision as family:revision', () => {
    expect(taskDefinitionName('arn:aws:ecs:us-east-1:123456789012:task-definition/web:42')).toBe('web:42');
  });
});

describe('serviceDeploymentUrl', () => {
  it('links an ECS-native service deployment by its id', () => {
    expect(
      serviceDeploymentUrl(
        'us-gov-east-1',
        'arn:aws-us-gov:ecs:us-gov-east-1:123456789012:cluster/prod',
        'web',
        'arn:aws-us-gov:ecs:us-gov-east-1:123456789012:service-deployment/prod/web/ejGvqq2ilnbKT9qj0vLJe',
      ),
    ).toBe(
      'https://console.amazonaws-us-gov.com/ecs/v2/clusters/prod/services/web/deployments/ejGvqq2ilnbKT9qj0vLJe?region=us-gov-east-1',
    );
  });
});

describe('clusterName', () => {
  it('takes the name out of a cluster ARN and leaves names alone', () => {
    expect(clusterName('arn:aws:ecs:us-east-1:123456789012:cluster/prod-blue')).toBe('prod-blue');
    expect(clusterName('default')).toBe('default');
  });
});
