import {
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutTargetsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { mutatingCalls } from '../../../sim/run-action.js';
import { releaseScenario, startSimulator, type Simulator } from '../../../sim/index.js';
import { clientsFor, msPerMinute } from './helpers.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator(releaseScenario(), { msPerMinute });
});
afterEach(() => sim.stop());

const web1 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1';
const web2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2';

describe('EventBridge', () => {
  it('lists rules by prefix with their schedules, and pages with Limit/NextToken', async () => {
    const { eventBridge } = clientsFor(sim);
    const { Rules } = await eventBridge.send(new ListRulesCommand({ NamePrefix: 'web-' }));
    expect(Rules).toEqual([
      {
        Name: 'web-hourly',
        Arn: 'arn:aws:events:us-east-1:123456789012:rule/web-hourly',
        State: 'ENABLED',
        ScheduleExpression: 'rate(1 hour)',
        EventBusName: 'default',
      },
      expect.objectContaining({ Name: 'web-nightly', ScheduleExpression: 'cron(0 3 * * ? *)' }),
    ]);
    const first = await eventBridge.send(new ListRulesCommand({ Limit: 3 }));
    expect(first.Rules!.map((r) => r.Name)).toEqual(['audit', 'reports-daily', 'web-hourly']);
    const second = await eventBridge.send(new ListRulesCommand({ Limit: 3, NextToken: first.NextToken }));
    expect(second.Rules!.map((r) => r.Name)).toEqual(['web-nightly']);
    expect(second.NextToken).toBeUndefined();
    const other = await eventBridge.send(new ListRulesCommand({ EventBusName: 'custom' }));
    expect(other.Rules).toEqual([]);
  });

  it('lists a rule targets, the ECS one running an older revision, and pages them', async () => {
    const { eventBridge } = clientsFor(sim);
    const { Targets } = await eventBridge.send(new ListTargetsByRuleCommand({ Rule: 'web-nightly' }));
    expect(Targets).toEqual([
      expect.objectContaining({
        Id: 'web-batch',
        Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
        RoleArn: 'arn:aws:iam::123456789012:role/ecsEventsRole',
        EcsParameters: expect.objectContaining({
          TaskDefinitionArn: web1,
          TaskCount: 1,
          LaunchType: 'FARGATE',
        }),
      }),
      { Id: 'notify', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:notify' },
    ]);
    const page = await eventBridge.send(new ListTargetsByRuleCommand({ Rule: 'web-nightly', Limit: 1 }));
    expect(page.Targets!.map((t) => t.Id)).toEqual(['web-batch']);
    const rest = await eventBridge.send(
      new ListTargetsByRuleCommand({ Rule: 'web-nightly', Limit: 1, NextToken: page.NextToken }),
    );
    expect(rest.Targets!.map((t) => t.Id)).toEqual(['notify']);
  });

  it('PutTargets replaces a target by Id, leaves the others, and is recorded', async () => {
    const { eventBridge } = clientsFor(sim);
    const { Targets } = await eventBridge.send(new ListTargetsByRuleCommand({ Rule: 'web-nightly' }));
    const batch = Targets!.find((t) => t.Id === 'web-batch')!;
    const result = await eventBridge.send(
      new PutTargetsCommand({
        Rule: 'web-nightly',
        Targets: [{ ...batch, EcsParameters: { ...batch.EcsParameters!, TaskDefinitionArn: web2 } }],
      }),
    );
    expect(result).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    const after = sim.ruleTargets('web-nightly')!;
    expect(after).toEqual([
      { ...batch, EcsParameters: { ...batch.EcsParameters, TaskDefinitionArn: web2 } },
      { Id: 'notify', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:notify' },
    ]);
    expect(sim.ruleTargets('reports-daily')![0]).toMatchObject({
      EcsParameters: { TaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/reports:1' },
    });
    expect(mutatingCalls(sim)).toEqual(['PutTargets']);
    expect(sim.changes.map((c) => [c.resource, c.what.split(' {')[0]])).toContainEqual([
      'arn:aws:events:us-east-1:123456789012:rule/web-nightly',
      'target web-batch put',
    ]);
  });

  it('PutTargets answers FailedEntries for an ECS target without RoleArn and keeps the good ones', async () => {
    const { eventBridge } = clientsFor(sim);
    const result = await eventBridge.send(
      new PutTargetsCommand({
        Rule: 'web-hourly',
        Targets: [
          {
            Id: 'web-sync',
            Arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
            EcsParameters: { TaskDefinitionArn: web2 },
          },
          { Id: 'extra', Arn: 'arn:aws:sns:us-east-1:123456789012:audit' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(1);
    expect(result.FailedEntries).toEqual([
      expect.objectContaining({ TargetId: 'web-sync', ErrorCode: 'ValidationException' }),
    ]);
    expect(
      sim
        .ruleTargets('web-hourly')!
        .map((t) => [t.Id, (t.EcsParameters as { TaskDefinitionArn?: string })?.TaskDefinitionArn]),
    ).toEqual([
      ['web-sync', web1],
      ['extra', undefined],
    ]);
  });

  it('a missing rule is ResourceNotFoundException', async () => {
    const { eventBridge } = clientsFor(sim);
    await expect(eventBridge.send(new ListTargetsByRuleCommand({ Rule: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(
      eventBridge.send(
        new PutTargetsCommand({ Rule: 'nope', Targets: [{ Id: 'a', Arn: 'arn:aws:sns:us-east-1:1:x' }] }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('sim.env() alone brings the EventBridge client here', async () => {
    const saved = { ...process.env };
    try {
      process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = 'http://127.0.0.1:9';
      Object.assign(process.env, sim.env());
      const { Rules } = await new EventBridgeClient({}).send(new ListRulesCommand({}));
      expect(Rules).toHaveLength(4);
    } finally {
      process.env = saved;
    }
    expect(sim.requests.map((r) => [r.service, r.operation, r.status])).toEqual([
      ['events', 'ListRules', 200],
    ]);
  });

  it('answers an injected AccessDeniedException naming events:ListTargetsByRule', async () => {
    await sim.stop();
    sim = await startSimulator(
      releaseScenario({
        faults: [
          {
            kind: 'operationErrors',
            operation: 'ListTargetsByRule',
            count: 1,
            error: 'AccessDeniedException',
          },
        ],
      }),
      { msPerMinute },
    );
    const { eventBridge } = clientsFor(sim);
    await expect(
      eventBridge.send(new ListTargetsByRuleCommand({ Rule: 'web-nightly' })),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('events:ListTargetsByRule'),
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      eventBridge.send(new ListTargetsByRuleCommand({ Rule: 'web-nightly' })),
    ).resolves.toBeDefined();
    expect(sim.requests.map((r) => [r.service, r.operation, r.status])).toEqual([
      ['events', 'ListTargetsByRule', 400],
      ['events', 'ListTargetsByRule', 200],
    ]);
  });
});
