import { buildJobSummary, escapeCell, type DeploymentReport } from '../../../src/report/summary.js';
import type { ProgressEvent } from '../../../src/report/events.js';

const start = Date.UTC(2026, 10, 23, 19, 0, 0);
const at = (seconds: number) => start + seconds * 1000;
const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:42';

const linearRun: ProgressEvent[] = [
  { type: 'status', at: at(1), status: 'InProgress', previous: 'Created' },
  { type: 'lifecycle', at: at(2), name: 'BeforeInstall', status: 'Pending' },
  {
    type: 'lifecycle',
    at: at(5),
    name: 'BeforeInstall',
    status: 'Succeeded',
    startTime: at(4),
    endTime: at(5),
  },
  { type: 'lifecycle', at: at(12), name: 'Install', status: 'InProgress', startTime: at(12) },
  { type: 'tasks', at: at(60), label: 'Green', running: 3, pending: 0, desired: 3 },
  {
    type: 'lifecycle',
    at: at(100),
    name: 'Install',
    status: 'Succeeded',
    startTime: at(12),
    endTime: at(100),
  },
  { type: 'lifecycle', at: at(101), name: 'AfterAllowTestTraffic', status: 'Skipped' },
  { type: 'lifecycle', at: at(102), name: 'AllowTraffic', status: 'InProgress' },
  { type: 'traffic', at: at(102), blue: 90, green: 10 },
  { type: 'traffic', at: at(107), blue: 90, green: 10 },
  { type: 'traffic', at: at(162), blue: 80, green: 20 },
  { type: 'traffic', at: at(222), blue: 0, green: 100 },
  { type: 'lifecycle', at: at(225), name: 'AllowTraffic', status: 'Succeeded' },
  { type: 'lifecycle', at: at(226), name: 'AfterAllowTraffic', status: 'Pending' },
];

function report(overrides: Partial<DeploymentReport> = {}): DeploymentReport {
  return {
    controller: 'CODE_DEPLOY',
    region: 'us-east-1',
    cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
    service: 'web',
    taskDefinitionArn: TD,
    deploymentId: 'd-ABC123XYZ',
    deploymentConfig: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
    waitUntil: 'shifted',
    outcome: 'success',
    status: 'traffic shifted',
    startedAt: start,
    endedAt: at(229),
    events: linearRun,
    ...overrides,
  };
}

describe('buildJobSummary', () => {
  it('summarises a successful CodeDeploy run: overview, lifecycle timeline and traffic steps', () => {
    expect(buildJobSummary(report())).toBe(
      [
        '## ✅ web on prod — traffic shifted',
        '',
        '|  |  |',
        '|---|---|',
        '| Service | [web](https://console.aws.amazon.com/ecs/v2/clusters/prod/services/web/health?region=us-east-1) in cluster prod (us-east-1) |',
        '| Deployed with | CodeDeploy blue/green |',
        '| Task definition | [arn:aws:ecs:us-east-1:123456789012:task-definition/web:42](https://console.aws.amazon.com/ecs/v2/task-definitions/web/42/containers?region=us-east-1) |',
        '| Deployment | [d-ABC123XYZ](https://console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABC123XYZ?region=us-east-1) |',
        '| Deployment config | CodeDeployDefault.ECSLinear10PercentEvery1Minutes |',
        '| Waited until | shifted: all production traffic on the new revision, post-traffic hooks passed |',
        '| Final status | traffic shifted |',
        '| Duration | 3m49s (19:00:00 → 19:03:49 UTC) |',
        '',
        '### Lifecycle',
        '',
        '| Event | Started (UTC) | Ended (UTC) | Duration | Status |',
        '|---|---|---|---|---|',
        '| BeforeInstall | 19:00:04 | 19:00:05 | 1s | ✅ succeeded |',
        '| Install | 19:00:12 | 19:01:40 | 1m28s | ✅ succeeded |',
        '| AfterAllowTestTraffic | — | — | — | ⏭️ skipped |',
        '| AllowTraffic | 19:01:42 | 19:03:45 | 2m03s | ✅ succeeded |',
        '',
        '### Traffic shift',
        '',
        '| Time (UTC) | Elapsed | Blue | Green |',
        '|---|---|---|---|',
        '| 19:01:42 | +1m42s | 90% | 10% |',
        '| 19:02:42 | +2m42s | 80% | 20% |',
        '| 19:03:42 | +3m42s | 0% | 100% |',
        '',
      ].join('\n'),
    );
  });

  it('puts the failure headline and its details right under the overview, links clickable', () => {
    const failed = report({
      outcome: 'failure',
      status: 'Failed',
      endedAt: at(420),
      events: [
        { type: 'lifecycle', at: at(12), name: 'Install', status: 'InProgress', startTime: at(12) },
        {
          type: 'lifecycle',
          at: at(100),
          name: 'Install',
          status: 'Succeeded',
          startTime: at(12),
          endTime: at(100),
        },
        {
          type: 'lifecycle',
          at: at(400),
          name: 'AfterAllowTraffic',
          status: 'Failed',
          startTime: at(270),
          endTime: at(400),
          diagnostic: 'ScriptFailed: smoke test | status 503\nsee log',
        },
      ],
      failure: {
        headline:
          'CodeDeploy deployment d-ABC123XYZ failed at AfterAllowTraffic: Smoke test failed: <html> 503',
        details: [
          'Lifecycle event   AfterAllowTraffic failed after 2m10s',
          '  log tail        last lines',
          '    GET /health -> 503',
          'Deployment        https://console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABC123XYZ?region=us-east-1',
        ],
      },
    });
    const summary = buildJobSummary(failed);
    expect(summary.startsWith('## ❌ web on prod — Failed\n')).toBe(true);
    expect(summary).toContain(
      [
        '| Duration | 7m00s (19:00:00 → 19:07:00 UTC) |',
        '',
        '### What went wrong',
        '',
        '**CodeDeploy deployment d-ABC123XYZ failed at AfterAllowTraffic: Smoke test failed: &lt;html&gt; 503**',
        '',
        '<pre>Lifecycle event   AfterAllowTraffic failed after 2m10s',
        '  log tail        last lines',
        '    GET /health -&gt; 503',
        'Deployment        <a href="https://console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABC123XYZ?region=us-east-1">https://console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABC123XYZ?region=us-east-1</a></pre>',
        '',
        '### Lifecycle',
      ].join('\n'),
    );
    expect(summary).toContain(
      '| AfterAllowTraffic | 19:04:30 | 19:06:40 | 2m10s | ❌ failed: ScriptFailed: smoke test \\| status 503 see log |',
    );
    expect(summary).not.toContain('### Traffic shift');
  });

  it('says when the step did not wait', () => {
    const summary = buildJobSummary(
      report({
        outcome: 'started',
        status: 'Created',
        endedAt: at(3),
        events: [],
        deploymentConfig: undefined,
      }),
    );
    expect(summary).toContain('## 🚀 web on prod — Created\n');
    expect(summary).toContain('| Waited until | did not wait (wait-for-service-stability: false) |');
    expect(summary).not.toContain('Deployment config');
    expect(summary).not.toContain('### Lifecycle');
  });

  it('links an ECS-native service deployment and names the wait target', () => {
    const summary = buildJobSummary(
      report({
        controller: 'ECS',
        region: 'cn-north-1',
        cluster: 'prod',
        taskDefinitionArn: 'arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/web:42',
        deploymentId:
          'arn:aws-cn:ecs:cn-north-1:123456789012:service-deployment/prod/web/ejGvqq2ilnbKT9qj0vLJe',
        deploymentConfig: 'CANARY 10% then bake 5 minutes',
        waitUntil: 'complete',
        status: 'SUCCESSFUL',
        events: [
          { type: 'lifecycle', at: at(5), name: 'SCALE_UP', status: 'IN_PROGRESS' },
          { type: 'lifecycle', at: at(65), name: 'SCALE_UP', status: 'SUCCESSFUL' },
          { type: 'lifecycle', at: at(66), name: 'BAKE_TIME', status: 'IN_PROGRESS' },
        ],
      }),
    );
    expect(summary).toContain('| Deployed with | ECS blue/green |');
    expect(summary).toContain(
      '| Deployment | [arn:aws-cn:ecs:cn-north-1:123456789012:service-deployment/prod/web/ejGvqq2ilnbKT9qj0vLJe](https://console.amazonaws.cn/ecs/v2/clusters/prod/services/web/deployments/ejGvqq2ilnbKT9qj0vLJe?region=cn-north-1) |',
    );
    expect(summary).toContain(
      '| Task definition | [arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/web:42](https://console.amazonaws.cn/ecs/v2/task-definitions/web/42/containers?region=cn-north-1) |',
    );
    expect(summary).toContain('| Waited until | complete: everything finished, old revision gone |');
    expect(summary).toContain('| SCALE_UP | 19:00:05 | 19:01:05 | 1m00s | ✅ succeeded |');
    expect(summary).toContain('| BAKE_TIME | 19:01:06 | — | — | ⏳ in progress |');
  });

  it('uses the deployment URL it is given', () => {
    const summary = buildJobSummary(
      report({ deploymentUrl: 'https://console.amazonaws-us-gov.com/x?region=us-gov-west-1' }),
    );
    expect(summary).toContain(
      '| Deployment | [d-ABC123XYZ](https://console.amazonaws-us-gov.com/x?region=us-gov-west-1) |',
    );
  });

  it('summarises a register-only run without a service', () => {
    const summary = buildJobSummary(
      report({
        controller: 'NONE',
        service: undefined,
        deploymentId: undefined,
        deploymentConfig: undefined,
        status: 'registered',
        events: [],
      }),
    );
    expect(summary).toBe(
      [
        '## ✅ task definition — registered',
        '',
        '|  |  |',
        '|---|---|',
        '| Cluster | prod (us-east-1) |',
        '| Deployed with | none: task definition registered only |',
        '| Task definition | [arn:aws:ecs:us-east-1:123456789012:task-definition/web:42](https://console.aws.amazon.com/ecs/v2/task-definitions/web/42/containers?region=us-east-1) |',
        '| Final status | registered |',
        '| Duration | 3m49s (19:00:00 → 19:03:49 UTC) |',
        '',
      ].join('\n'),
    );
  });

  it('escapes pipes and newlines in table cells and Markdown in the heading', () => {
    expect(escapeCell('a | b\nc')).toBe('a \\| b<br>c');
    const summary = buildJobSummary(
      report({
        service: 'web_api',
        status: 'Stopped (rolled back)\nby d-RB0000001 | see log',
        outcome: 'failure',
      }),
    );
    expect(summary).toContain('## ❌ web\\_api on prod — Stopped (rolled back) by d-RB0000001 \\| see log\n');
    expect(summary).toContain('| Final status | Stopped (rolled back)<br>by d-RB0000001 \\| see log |');
  });

  it('never prints undefined, null, objects or JSON from sparse inputs', () => {
    const sparse: DeploymentReport = {
      controller: 'ROLLING',
      region: 'us-gov-west-1',
      cluster: 'default',
      waitUntil: 'shifted',
      outcome: 'failure',
      status: '',
      startedAt: start,
      endedAt: start,
      events: [
        { type: 'lifecycle', at: at(1), name: 'Deploy', status: '' },
        { type: 'lifecycle', at: at(2), name: 'Deploy', status: 'Failed', diagnostic: '' },
        { type: 'traffic', at: at(3), blue: Number.NaN, green: 100 },
        { type: 'note', at: at(4), message: '' },
      ],
      failure: { headline: '', details: [] },
    };
    const summary = buildJobSummary(sparse);
    expect(summary).not.toMatch(/undefined|null|\[object Object\]|NaN|\{/);
    expect(summary).toContain('## ❌ default\n');
    expect(summary).not.toContain('**');
    expect(summary).toContain('| Deployed with | ECS rolling update |');
    expect(summary).toContain('| Deploy | — | 19:00:02 | — | ❌ failed |');
    expect(summary).toContain('| 19:00:03 | +0m03s | 0% | 100% |');
  });
});

describe('buildJobSummary bounds', () => {
  it("stays under GitHub's 1 MiB limit whatever AWS sends, and neutralises control characters", () => {
    const huge = report();
    huge.outcome = 'failure';
    huge.failure = {
      headline: 'failed',
      details: Array.from({ length: 5_000 }, (_, i) => `line ${i} ${'x'.repeat(3_000)} \u001b[31m`),
    };
    const summary = buildJobSummary(huge);
    expect(Buffer.byteLength(summary)).toBeLessThan(1024 * 1024);
    expect(summary).toContain('… 4801 more lines in the step log');
    expect(summary).not.toContain('\u001b');
    expect((summary.match(/<pre>/g) ?? []).length).toBe((summary.match(/<\/pre>/g) ?? []).length);
  });
});
