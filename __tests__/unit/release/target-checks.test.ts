import { describe, expect, it } from '@jest/globals';
import {
  checkClusterArn,
  inertInputsWarning,
  inputsWithoutEffect,
} from '../../../src/release/target-checks.js';

const SERVICE_ARN = 'arn:aws:ecs:us-east-1:123456789012:service/prod/web';

describe('checkClusterArn', () => {
  it('accepts a name, and an ARN of the same region, partition and account', () => {
    expect(() => checkClusterArn('prod', 'us-east-1', SERVICE_ARN)).not.toThrow();
    expect(() =>
      checkClusterArn('arn:aws:ecs:us-east-1:123456789012:cluster/prod', 'us-east-1', SERVICE_ARN),
    ).not.toThrow();
  });

  it('refuses an ARN of another region, partition or account, naming what differs', () => {
    expect(() => checkClusterArn('arn:aws:ecs:eu-west-1:123456789012:cluster/prod', 'us-east-1')).toThrow(
      'cluster: arn:aws:ecs:eu-west-1:123456789012:cluster/prod does not match the AWS credentials in use: its region is eu-west-1, but ecs-shift runs against us-east-1. Nothing was changed.',
    );
    expect(() => checkClusterArn('arn:aws-cn:ecs:us-east-1:123456789012:cluster/prod', 'us-east-1')).toThrow(
      /its partition is aws-cn, but region us-east-1 is in aws/,
    );
    expect(() =>
      checkClusterArn('arn:aws:ecs:us-east-1:999999999999:cluster/prod', 'us-east-1', SERVICE_ARN),
    ).toThrow(/its account is 999999999999, but the service is in account 123456789012/);
  });

  it('does not judge the partition of an isolated region it does not know', () => {
    expect(() =>
      checkClusterArn('arn:aws-iso:ecs:us-iso-east-1:123456789012:cluster/prod', 'us-iso-east-1'),
    ).not.toThrow();
  });
});

describe('inputsWithoutEffect', () => {
  const options = { forceNewDeployment: false, runTask: false };

  it('names the service-update inputs on a CODE_DEPLOY service', () => {
    const given = ['cluster', 'service', 'desired-count', 'propagate-tags', 'force-new-deployment'];
    expect(inputsWithoutEffect('CODE_DEPLOY', given, options)).toEqual(['desired-count', 'propagate-tags']);
    expect(inputsWithoutEffect('CODE_DEPLOY', given, { ...options, forceNewDeployment: true })).toEqual([
      'desired-count',
      'propagate-tags',
      'force-new-deployment',
    ]);
  });

  it('names the CodeDeploy inputs on an ECS-controller service', () => {
    const given = ['codedeploy-deployment-config', 'desired-count', 'enable-ecs-managed-tags'];
    expect(inputsWithoutEffect('ECS', given, options)).toEqual(['codedeploy-deployment-config']);
  });

  it('keeps enable-ecs-managed-tags when a one-off task uses it', () => {
    expect(
      inputsWithoutEffect('CODE_DEPLOY', ['enable-ecs-managed-tags'], { ...options, runTask: true }),
    ).toEqual([]);
    expect(inputsWithoutEffect('NONE', ['enable-ecs-managed-tags'], options)).toEqual([
      'enable-ecs-managed-tags',
    ]);
  });

  it('says why, in one warning', () => {
    expect(inertInputsWarning('CODE_DEPLOY', ['desired-count'], 'web')).toBe(
      'desired-count has no effect here: service "web" is deployed by CodeDeploy, which takes the desired count, tags and revision from the deployment group and the AppSpec. Remove it, or check that this is the intended service.',
    );
    expect(inertInputsWarning('ECS', [], 'web')).toBeUndefined();
    expect(inertInputsWarning('NONE', ['desired-count', 'service-managed-ebs-volume'])).toBe(
      'desired-count, service-managed-ebs-volume have no effect here: without `service` the step only renders the task definition (and registers it with nothing to render or `register: true`). Remove them, or check that this is the intended service.',
    );
  });
});
