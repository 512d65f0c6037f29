import { buildJobSummary, escapeCell, type DeploymentReport } from '../../../src/report/summary.js';
import type { ProgressEvent } from '../../../src/report/events.js';

const start = Date.UTC(2026, 10, 23, 19, 0, 0);
const at = (seconds: number) => start + seconds * 1000;
const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:42';
const OLD_TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:41';
const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web';

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
  { type: 'traffic', at: at(101), blue: 100, green: 0 },
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
    previousTaskDefinitionArn: OLD_TD,
    imageChanges: [{ container: 'app', before: `${REPO}:41`, after: `${REPO}:42` }],
    deploymentId: 'd-ABC123XYZ',
    deploymentRequested: true,
    deploymentConfig: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes (linear: 10% every 1 minute)',
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
  it('opens with the headline, then the picture, the facts, the lifecycle and the traffic steps', () => {
    expect(buildJobSummary(report())).toBe(
      [
        '## ✅ web on prod: web:41 → web:42',
        '',
        '**Traffic shifted in 3m49s.** Production traffic: 100% on web:42.',
        '',
        '| Container | Image before | Image after |',
        '|---|---|---|',
        `| app | ${REPO}:41 | ${REPO}:42 |`,
        '',
        '```mermaid',
        'gantt',
        '  title Lifecycle and traffic, web∶41 → web∶42 (times in your time zone)',
        '  dateFormat x',
        '  axisFormat %H:%M:%S',
        '  todayMarker off',
        '  section Lifecycle',
        `  BeforeInstall: done, ${at(4)}, ${at(4) + 2290}`,
        `  Install: done, ${at(12)}, ${at(100)}`,
        `  AllowTraffic: done, ${at(102)}, ${at(225)}`,
        '  section Traffic to web∶42',
        `  new at 10%: milestone, ${at(102)}, 0ms`,
        `  new at 20%: milestone, ${at(162)}, 0ms`,
        `  new at 100%: milestone, ${at(222)}, 0ms`,
        '```',
        '',
        '- **Service:** [web](https://console.aws.amazon.com/ecs/v2/clusters/prod/services/web/health?region=us-east-1) in cluster prod (us-east-1)',
        '- **Deployed with:** CodeDeploy blue/green, CodeDeployDefault.ECSLinear10PercentEvery1Minutes (linear: 10% every 1 minute)',
        '- **Task definition:** [web:42](https://console.aws.amazon.com/ecs/v2/task-definitions/web/42/containers?region=us-east-1), replacing [web:41](https://console.aws.amazon.com/ecs/v2/task-definitions/web/41/containers?region=us-east-1)',
        '- **Deployment:** [d-ABC123XYZ](https://console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABC123XYZ?region=us-east-1)',
        '- **Wait target:** shifted: all production traffic on the new revision and the AfterAllowTraffic hook passed.',
        '- **Time:** 19:00:00 → 19:03:49 UTC (3m49s)',
        '',
        '### Lifecycle events',
        '',
        '| Event | Started (UTC) | Ended (UTC) | Took | Status |',
        '|---|---|---|---|---|',
        '| BeforeInstall | 19:00:04 | 19:00:05 | 1s | ✅ succeeded |',
        '| Install | 19:00:12 | 19:01:40 | 1m28s | ✅ succeeded |',
        '| AfterAllowTestTraffic | — | — | — | ⏭️ skipped |',
        '| AllowTraffic | 19:01:42 | 19:03:45 | 2m03s | ✅ succeeded |',
        '',
        '### Production traffic',
        '',
        '| Time (UTC) | Elapsed | Old (web:41) | New (web:42) |',
        '|---|---|---|---|',
        '| 19:01:42 | +1m42s | 90% | 10% |',
        '| 19:02:42 | +2m42s | 80% | 20% |',
        '| 19:03:42 | +3m42s | 0% | 100% |',
        '',
      ].join('\n'),
    );
  });

  it('has no table with an empty header row (GitHub draws it as a blank band)', () => {
    for (const summary of [buildJobSummary(report()), buildJobSummary(report({ controller: 'ROLLING' }))]) {
      expect(summary).not.toMatch(/^\|\s*\|\s*\|/m);
      expect(summary).not.toMatch(/^\|( *\| *)+$/m);
    }
  });

  it('puts what went wrong under the headline, as lists that wrap, with the app log lines as code', () => {
    const failed = report({
      outcome: 'failure',
      status: 'failed — rolled back',
      ending: 'rolled-back',
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
          'Stopped tasks     of the new revision web:42',
          "    app's last 2 log lines (/ecs/web, stream ecs/app/abc):",
          '      | {"level":50,"msg":"giving up"}',
          '      |     at connect (/app/db.js:18:5)',
          'Deployment        https://console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABC123XYZ?region=us-east-1',
        ],
      },
    });
    const summary = buildJobSummary(failed);
    expect(
      summary.startsWith(
        '## ❌ web on prod: web:41 → web:42\n\n**Failed — rolled back in 7m00s.** Production traffic: 100% back on web:41.\n',
      ),
    ).toBe(true);
    expect(summary).toContain(
      [
        '### What went wrong',
        '',
        '**CodeDeploy deployment d-ABC123XYZ failed at AfterAllowTraffic: Smoke test failed: &lt;html&gt; 503**',
        '',
        '- **Lifecycle event:** AfterAllowTraffic failed after 2m10s',
        '  - log tail: last lines',
        '    - GET /health -&gt; 503',
        '- **Stopped tasks:** of the new revision web:42',
        "  - app's last 2 log lines (/ecs/web, stream ecs/app/abc):",
        '    - `{"level":50,"msg":"giving up"}`',
        '    - `    at connect (/app/db.js:18:5)`',
        '- **Deployment:** [https://console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABC123XYZ?region=us-east-1](https://console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABC123XYZ?region=us-east-1)',
        '',
        '```mermaid',
      ].join('\n'),
    );
    expect(summary).not.toContain('<pre>');
    expect(summary).toContain(
      '| AfterAllowTraffic | 19:04:30 | 19:06:40 | 2m10s | ❌ failed: ScriptFailed: smoke test \\| status 503 see log |',
    );
    expect(summary).not.toContain('### Production traffic');
  });

  it('says when the step did not wait, and where traffic is going', () => {
    const summary = buildJobSummary(
      report({
        outcome: 'started',
        status: 'started (not waiting)',
        endedAt: at(3),
        events: [],
        deploymentConfig: undefined,
      }),
    );
    expect(summary).toContain('## 🚀 web on prod: web:41 → web:42\n');
    expect(summary).toContain(
      '**Started (not waiting) in 3s.** Production traffic: moving to web:42 as the deployment goes on (not followed).',
    );
    expect(summary).toContain('- **Wait target:** did not wait (wait-for-service-stability: false).');
    expect(summary).not.toContain('```mermaid');
    expect(summary).not.toContain('### Lifecycle');
  });

  it('ECS-native: the config in words, the deployment by its id, stages with times and the wait target of that path', () => {
    const summary = buildJobSummary(
      report({
        controller: 'ECS',
        region: 'cn-north-1',
        cluster: 'prod',
        taskDefinitionArn: 'arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/web:42',
        previousTaskDefinitionArn: 'arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/web:41',
        deploymentId:
          'arn:aws-cn:ecs:cn-north-1:123456789012:service-deployment/prod/web/ejGvqq2ilnbKT9qj0vLJe',
        deploymentConfig: 'canary: 10% for 5 minutes, then 100%; bake time 30 minutes',
        waitUntil: 'complete',
        status: 'succeeded',
        events: [
          { type: 'lifecycle', at: at(5), name: 'SCALE_UP', status: 'InProgress', startTime: at(5) },
          { type: 'lifecycle', at: at(65), name: 'SCALE_UP', status: 'Succeeded', endTime: at(65) },
          { type: 'lifecycle', at: at(65), name: 'POST_SCALE_UP', status: 'Succeeded', endTime: at(65) },
          { type: 'lifecycle', at: at(66), name: 'BAKE_TIME', status: 'InProgress', startTime: at(66) },
        ],
      }),
    );
    expect(summary).toContain(
      '- **Deployed with:** ECS blue/green (ECS-native), canary: 10% for 5 minutes, then 100%; bake time 30 minutes',
    );
    expect(summary).toContain(
      '- **Deployment:** [ejGvqq2ilnbKT9qj0vLJe](https://console.amazonaws.cn/ecs/v2/clusters/prod/services/web/deployments/ejGvqq2ilnbKT9qj0vLJe?region=cn-north-1)',
    );
    expect(summary).toContain(
      '- **Task definition:** [web:42](https://console.amazonaws.cn/ecs/v2/task-definitions/web/42/containers?region=cn-north-1), replacing [web:41](https://console.amazonaws.cn/ecs/v2/task-definitions/web/41/containers?region=cn-north-1)',
    );
    expect(summary).toContain(
      '- **Wait target:** complete: the service deployment succeeded, bake time over and the old tasks gone.',
    );
    expect(summary).toContain('### Stages');
    expect(summary).toContain('| SCALE_UP | 19:00:05 | 19:01:05 | 1m00s | ✅ succeeded |');
    // Seen only as passed: it began when the stage before it ended; how long it took, no poll saw.
    expect(summary).toContain('| POST_SCALE_UP | 19:01:05 | 19:01:05 | — | ✅ succeeded |');
    expect(summary).toContain('| BAKE_TIME | 19:01:06 | — | — | ⏳ in progress |');
  });

  it('rolling: the wait target of a rollout, task counts of both revisions and the service events', () => {
    const summary = buildJobSummary(
      report({
        controller: 'ROLLING',
        deploymentId: 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc',
        deploymentConfig: 'at least 100% healthy, at most 200% running',
        events: [
          { type: 'tasks', at: at(1), label: 'old', running: 2, pending: 0, desired: 2 },
          { type: 'tasks', at: at(1), label: 'new', running: 0, pending: 2, desired: 2 },
          { type: 'note', at: at(3), message: '(service web) has started 2 tasks: (task a) (task b).' },
          { type: 'tasks', at: at(40), label: 'new', running: 2, pending: 0, desired: 2 },
          { type: 'tasks', at: at(41), label: 'old', running: 0, pending: 0, desired: 0 },
          { type: 'note', at: at(41), message: '(service web) has reached a steady state.' },
        ],
        status: 'succeeded',
      }),
    );
    expect(summary).toContain('**Succeeded in 3m49s.** Production traffic: all tasks on web:42.');
    expect(summary).toContain(
      '- **Wait target:** the rollout completed: every task on the new revision, the old ones stopped.',
    );
    expect(summary).not.toContain('hook');
    expect(summary).toContain(
      [
        '### Tasks running',
        '',
        '| Time (UTC) | Elapsed | New (web:42) | Old (web:41) |',
        '|---|---|---|---|',
        '| 19:00:01 | +0m01s | 0 of 2 (+2 starting) | 2 of 2 |',
        '| 19:00:40 | +0m40s | 2 of 2 | 2 of 2 |',
        '| 19:00:41 | +0m41s | 2 of 2 | none |',
      ].join('\n'),
    );
    expect(summary).toContain('| 19:00:41 | +0m41s | (service web) has reached a steady state. |');
    expect(summary).toContain('  section New web∶42');
  });

  it('uses the deployment URL it is given', () => {
    const summary = buildJobSummary(
      report({ deploymentUrl: 'https://console.amazonaws-us-gov.com/x?region=us-gov-west-1' }),
    );
    expect(summary).toContain(
      '- **Deployment:** [d-ABC123XYZ](https://console.amazonaws-us-gov.com/x?region=us-gov-west-1)',
    );
  });

  it('a register-only run without a service: registered, and not deployed', () => {
    const summary = buildJobSummary(
      report({
        controller: 'NONE',
        service: undefined,
        deploymentId: undefined,
        deploymentRequested: undefined,
        deploymentConfig: undefined,
        status: 'registered (no service given)',
        events: [],
      }),
    );
    expect(summary).toBe(
      [
        '## ✅ task definition (cluster prod): web:41 → web:42',
        '',
        '**Registered (no service given) in 3m49s.**',
        '',
        '| Container | Image before | Image after |',
        '|---|---|---|',
        `| app | ${REPO}:41 | ${REPO}:42 |`,
        '',
        '- **Cluster:** prod (us-east-1)',
        "- **Task definition:** [web:42](https://console.aws.amazon.com/ecs/v2/task-definitions/web/42/containers?region=us-east-1), compared with [web:41](https://console.aws.amazon.com/ecs/v2/task-definitions/web/41/containers?region=us-east-1) (the family's latest)",
        '- **Time:** 19:00:00 → 19:03:49 UTC (3m49s)',
        '',
      ].join('\n'),
    );
  });

  it('an input error claims nothing: nothing changed, and the old revision still serves', () => {
    const summary = buildJobSummary(
      report({
        controller: 'NONE',
        taskDefinitionArn: undefined,
        imageChanges: [],
        deploymentId: undefined,
        deploymentRequested: undefined,
        deploymentConfig: undefined,
        outcome: 'failure',
        status: 'failed before any change',
        events: [],
        failure: { headline: 'container-name: no container named "ap"', details: [] },
      }),
    );
    expect(summary).toContain('## ❌ web on prod: web:41 (unchanged)\n');
    expect(summary).toContain(
      '**Failed before any change in 3m49s.** Production traffic: unchanged, on web:41.',
    );
    expect(summary).toContain('- **Changes:** none: nothing was registered or deployed.');
    expect(summary).not.toMatch(/registered only|Deployed with|Wait target/);
  });

  it('a dry run says what would change and that nothing did', () => {
    const summary = buildJobSummary(
      report({
        taskDefinitionArn: undefined,
        deploymentId: undefined,
        deploymentRequested: undefined,
        dryRun: true,
        status: 'dry run: nothing changed',
        events: [],
      }),
    );
    expect(summary).toContain('## ✅ web on prod: web:41 → new revision (dry run)\n');
    expect(summary).toContain('Production traffic: unchanged, on web:41 (dry run).');
    expect(summary).toContain(
      '- **Changes:** none: a dry run renders, checks and compares, and changes nothing.',
    );
  });

  it('escapes pipes and newlines in table cells and Markdown in the heading', () => {
    expect(escapeCell('a | b\nc')).toBe('a \\| b<br>c');
    const summary = buildJobSummary(
      report({
        service: 'web_api',
        status: 'stopped (rolled back)\nby d-RB0000001 | see log',
        outcome: 'failure',
      }),
    );
    expect(summary).toContain('## ❌ web\\_api on prod: web:41 → web:42\n');
    expect(summary).toContain('**Stopped (rolled back) by d-RB0000001 \\| see log in 3m49s.**');
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
    expect(summary).toContain('**Ended in 0s.**');
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
    expect((summary.match(/^```/gm) ?? []).length % 2).toBe(0);
  });
});
