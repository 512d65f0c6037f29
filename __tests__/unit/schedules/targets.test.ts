import { describe, expect, it } from '@jest/globals';
import {
  clusterName,
  inClusters,
  parseTaskDefinitionRef,
  quoted,
  ruleEcsTargets,
  runsFamilyIn,
  scheduledTargetName,
  scheduledTaskName,
  scheduleEcsTarget,
  shortTaskDefinition,
  targetCluster,
} from '../../../src/schedules/targets.js';
import { cluster, ecsRuleTarget, ecsSchedule, lambda, taskDef } from './fakes.js';

describe('parseTaskDefinitionRef', () => {
  it.each([
    [taskDef('web:3'), { family: 'web', revision: 3 }],
    [taskDef('web'), { family: 'web' }],
    [
      'arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/my_app-2:12',
      { family: 'my_app-2', revision: 12 },
    ],
    ['web:7', { family: 'web', revision: 7 }],
    ['web', { family: 'web' }],
  ])('%s', (text, expected) => {
    expect(parseTaskDefinitionRef(text)).toEqual(expected);
  });

  it.each([
    '',
    'web:',
    'web:x',
    'arn:aws:ecs:us-east-1:1:cluster/prod',
    'arn:aws:ecs:us-east-1:1:task-definition/',
  ])('not a task definition: %j', (text) => {
    expect(parseTaskDefinitionRef(text)).toBeUndefined();
  });
});

describe('clusters', () => {
  it('a cluster ARN or name compares by name', () => {
    expect(clusterName(cluster('prod'))).toBe('prod');
    expect(clusterName('prod')).toBe('prod');
    expect(inClusters('prod', [cluster('prod')])).toBe(true);
    expect(inClusters('prod', ['staging', 'prod'])).toBe(true);
    expect(inClusters('prod', ['production'])).toBe(false);
  });

  it('only an ECS cluster ARN is an ECS target', () => {
    expect(targetCluster(cluster('prod'))).toBe('prod');
    expect(targetCluster(lambda)).toBeUndefined();
    expect(targetCluster('arn:aws:scheduler:::aws-sdk:ecs:runTask')).toBeUndefined();
    expect(targetCluster(undefined)).toBeUndefined();
  });
});

describe('ECS targets', () => {
  it('of a rule: the ECS ones with their Id, task definition and cluster; Lambda and SNS left out', () => {
    const targets = [
      ecsRuleTarget('a', taskDef('web:1')),
      { Id: 'notify', Arn: lambda },
      {
        Id: 'sns',
        Arn: 'arn:aws:sns:us-east-1:1:topic',
        EcsParameters: { TaskDefinitionArn: taskDef('web:1') },
      },
      ecsRuleTarget('b', 'reports:2', { Arn: cluster('batch') }),
    ];
    expect(ruleEcsTargets(targets)).toEqual([
      {
        targetId: 'a',
        taskDefinition: taskDef('web:1'),
        ref: { family: 'web', revision: 1 },
        cluster: 'prod',
      },
      {
        targetId: 'b',
        taskDefinition: 'reports:2',
        ref: { family: 'reports', revision: 2 },
        cluster: 'batch',
      },
    ]);
  });

  it('of a schedule: its one target when it runs an ECS task', () => {
    expect(scheduleEcsTarget(ecsSchedule('s', taskDef('web')))).toEqual({
      taskDefinition: taskDef('web'),
      ref: { family: 'web' },
      cluster: 'prod',
    });
    expect(scheduleEcsTarget({ Name: 'ping', Target: { Arn: lambda, RoleArn: 'r' } })).toBeUndefined();
  });

  it('runsFamilyIn: the family and one of the clusters', () => {
    const [target] = ruleEcsTargets([ecsRuleTarget('a', taskDef('web:1'))]);
    expect(runsFamilyIn(target, 'web', ['prod'])).toBe(true);
    expect(runsFamilyIn(target, 'web', ['staging'])).toBe(false);
    expect(runsFamilyIn(target, 'webapp', ['prod'])).toBe(false);
  });
});

describe('names', () => {
  it('rule/NAME, schedule/GROUP/NAME, a rule target with its Id', () => {
    expect(scheduledTaskName({ kind: 'rule', name: 'web-nightly' })).toBe('rule/web-nightly');
    expect(scheduledTaskName({ kind: 'schedule', name: 'web-cleanup' })).toBe('schedule/default/web-cleanup');
    expect(scheduledTaskName({ kind: 'schedule', name: 'w', group: 'jobs' })).toBe('schedule/jobs/w');
    expect(scheduledTargetName({ kind: 'rule', name: 'web-nightly', targetId: '1' })).toBe(
      'rule/web-nightly (target 1)',
    );
  });

  it('short task definitions, and anything else quoted and bounded', () => {
    expect(shortTaskDefinition(taskDef('web:3'))).toBe('web:3');
    expect(shortTaskDefinition(taskDef('web'))).toBe('web');
    expect(shortTaskDefinition('web:3')).toBe('web:3');
    expect(shortTaskDefinition('not a \u001b[1mtask definition')).toBe('"not a task definition"');
    expect(quoted('x'.repeat(500), 50)).toHaveLength(52);
  });
});
