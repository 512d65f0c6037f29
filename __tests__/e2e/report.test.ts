/**
 * The report a person reads, through the bundle: the headline (which revision and image replaced
 * which, how it ended, where production traffic is), "What changed", lines in the order AWS says
 * things happened, and dry-run, for each path.
 */
import { describe, expect, it } from '@jest/globals';
import { codeDeployScenario, ecsBlueGreenScenario, rollingScenario } from '../../sim/index.js';
import { mutatingCalls, runAction } from '../../sim/run-action.js';
import { annotation, requestsOf, simulate } from './setup.js';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:4f2a9c1';
const OLD_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1';
const SECRET_VALUE = 'hunter2-not-for-logs';
const DEPLOY = {
  cluster: 'prod',
  service: 'web',
  'container-name': 'app',
  image: IMAGE,
  'environment-variables': `DB_PASSWORD=${SECRET_VALUE}`,
};

/** The lines of a log group, by its title. */
function group(log: string, title: string): string[] {
  const start = log.indexOf(`::group::${title}`);
  if (start < 0) return [];
  const end = log.indexOf('::endgroup::', start);
  return log.slice(start, end).split('\n').slice(1, -1);
}

describe('the headline and what changed', () => {
  it('CodeDeploy: old → new revision and image, 100% on the new one, the diff, no environment value', async () => {
    const s = await simulate(
      codeDeployScenario({ deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes' }),
    );
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(0);
    const headline = annotation(run.log, 'notice').split('\n');
    expect(headline[0]).toMatch(/^✅ web on prod: web:1 → web:2 — Traffic shifted \(.*\) in \d+s\.$/);
    expect(headline.slice(1)).toEqual([
      '   Production traffic: 100% on web:2.',
      `   app: ${OLD_IMAGE} → ${IMAGE}`,
    ]);
    expect(group(run.log, 'What changed: web:1 → the new revision')).toEqual([
      'container app',
      `  image        ${OLD_IMAGE} → ${IMAGE}`,
      '  environment  DB_PASSWORD added',
    ]);
    expect(run.summary).toMatch(/^## ✅ web on prod: web:1 → web:2\n\n\*\*Traffic shifted/);
    expect(run.summary).toContain(`| app | ${OLD_IMAGE} | ${IMAGE} |`);
    expect(run.summary).toContain('<details><summary>What changed: web:1 → web:2 (2 changes)</summary>');
    expect(run.summary).toContain('| container `app` | environment `DB_PASSWORD` | *not set* | *added* |');
    expect(run.summary).toContain('```mermaid\ngantt');
    expect(`${run.log}\n${run.summary}`).not.toContain(SECRET_VALUE);
  });

  it('CodeDeploy: lines in the order CodeDeploy says things happened, not the order the polls saw them', async () => {
    const s = await simulate(
      codeDeployScenario({ deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes' }),
    );
    const run = await runAction(s, { inputs: DEPLOY });
    const lines = group(run.log, 'Deploy with CodeDeploy blue/green');
    const index = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    expect(index(/Install\s+succeeded/)).toBeGreaterThan(-1);
    expect(index(/Install\s+succeeded/)).toBeLessThan(index(/blue 90% │ green 10%/));
    expect(index(/AllowTraffic\s+started/)).toBeLessThan(index(/blue 90% │ green 10%/));
    expect(index(/blue 0% │ green 100%/)).toBeLessThan(index(/AfterAllowTraffic\s+succeeded/));
    const elapsed = lines.flatMap((line) => /^\+(\d+)m(\d\d)s/.exec(line) ?? []).length;
    expect(elapsed).toBeGreaterThan(0);
  });

  it('CodeDeploy rollback: the headline says production traffic is back on the old revision', async () => {
    const s = await simulate(
      codeDeployScenario({
        faults: [
          {
            kind: 'hookFails',
            event: 'AfterAllowTraffic',
            message: 'smoke test failed: GET /health returned 503',
          },
        ],
      }),
    );
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(1);
    const [first, traffic, image, blank, why] = annotation(run.log, 'error').split('\n');
    expect(first).toMatch(/^❌ web on prod: web:1 → web:2 — Failed — rolled back in \d+s\.$/);
    expect(traffic).toBe('   Production traffic: 100% back on web:1.');
    expect(image).toBe(`   app: ${OLD_IMAGE} → ${IMAGE}`);
    expect(blank).toBe('');
    expect(why).toMatch(/failed at AfterAllowTraffic: smoke test failed/);
    expect(run.summary).toContain('Production traffic: 100% back on web:1.');
    expect(run.summary).toMatch(/^ {2}AfterAllowTraffic: crit, \d+, \d+$/m);
  });

  it('ECS-native canary: the headline, the diff, the config with its percent and interval, stages with times', async () => {
    const s = await simulate(
      ecsBlueGreenScenario({
        deploymentConfiguration: {
          strategy: 'CANARY',
          canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 },
          bakeTimeInMinutes: 30,
          maximumPercent: 200,
          minimumHealthyPercent: 100,
        },
      }),
    );
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(0);
    expect(annotation(run.log, 'notice').split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(
        /^✅ web on prod: web:1 → web:2 — Traffic shifted \(bake time not waited out\) in \d+s\.$/,
      ),
      '   Production traffic: 100% on web:2.',
    ]);
    expect(group(run.log, 'What changed: web:1 → the new revision')).toContain(
      `  image        ${OLD_IMAGE} → ${IMAGE}`,
    );
    expect(run.summary).toContain(
      '- **Deployed with:** ECS blue/green (ECS-native), canary: 10% for 3 minutes, then 100%; bake time 30 minutes',
    );
    expect(run.summary).toMatch(
      /\| PRODUCTION_TRAFFIC_SHIFT \| \d\d:\d\d:\d\d \| \d\d:\d\d:\d\d \| \d+s \| ✅ succeeded \|/,
    );
    expect(run.summary).toMatch(/^ {2}new at 10%: milestone, \d+, 0ms$/m);
  });

  it('rolling: all tasks on the new revision, both revisions counted as they drain, the service events', async () => {
    const s = await simulate(rollingScenario({ desiredCount: 4 }));
    const run = await runAction(s, { inputs: DEPLOY });
    expect(run.code).toBe(0);
    expect(annotation(run.log, 'notice').split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(/^✅ web on prod: web:1 → web:2 — Succeeded in \d+s\.$/),
      '   Production traffic: all tasks on web:2.',
    ]);
    expect(run.log).toMatch(/tasks old\s+4\/4 running/);
    expect(run.log).toMatch(/tasks old\s+0\/0 running/);
    expect(run.summary).toContain('### Tasks running');
    expect(run.summary).toMatch(
      /\| \d\d:\d\d:\d\d \| \+\dm\d\ds \| \(service web\) has reached a steady state\. \|/,
    );
    expect(run.summary).toContain(
      '- **Wait target:** the rollout completed: every task on the new revision, the old ones stopped.',
    );
    expect(run.summary).not.toMatch(/hook/i);
    expect(run.summary).toMatch(/^ {2}section Old web∶1$/m);
  });
});

describe('dry-run', () => {
  it.each([
    ['CodeDeploy', codeDeployScenario()],
    ['ECS-native', ecsBlueGreenScenario()],
    ['rolling', rollingScenario()],
  ])('%s: renders, checks and shows what would change, with no mutating call', async (_path, scenario) => {
    const s = await simulate(scenario);
    const run = await runAction(s, { inputs: { ...DEPLOY, 'dry-run': 'true' } });
    expect(run.code).toBe(0);
    expect(mutatingCalls(s)).toEqual([]);
    expect(requestsOf(s, 'DescribeImages').length).toBeGreaterThan(0);
    expect(run.outputs['deployment-status']).toBe('dry-run');
    expect(run.outputs['task-definition-arn']).toBeUndefined();
    expect(group(run.log, 'What changed: web:1 → the new revision')).toContain(
      `  image        ${OLD_IMAGE} → ${IMAGE}`,
    );
    expect(run.log).toContain(
      'Dry run (dry-run: true): rendered, checked and compared; nothing was registered or deployed.',
    );
    expect(annotation(run.log, 'notice').split('\n')[0]).toMatch(
      /^✅ web on prod: web:1 → new revision \(dry run\) — Dry run: nothing changed in \d+s\.$/,
    );
    expect(run.summary).toContain(
      '- **Changes:** none: a dry run renders, checks and compares, and changes nothing.',
    );
    expect(`${run.log}\n${run.summary}`).not.toContain(SECRET_VALUE);
  });

  it('a failed check still fails a dry run, and nothing changes', async () => {
    const s = await simulate(codeDeployScenario());
    const run = await runAction(s, {
      inputs: {
        ...DEPLOY,
        image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:never-pushed',
        'dry-run': 'true',
      },
    });
    expect(run.code).toBe(1);
    expect(mutatingCalls(s)).toEqual([]);
    expect(annotation(run.log, 'error').split('\n')[0]).toMatch(
      /^❌ web on prod: web:1 \(unchanged\) — Failed before any change in \d+s\.$/,
    );
  });
});
