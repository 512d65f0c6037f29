import { describe, expect, it } from '@jest/globals';
import { runStep, type StepRuntime } from '../../../src/release/step.js';
import {
  fakeEcs,
  fakeLookups,
  settings as settingsWith,
  type SettingsOverrides,
  testContext,
} from '../../helpers/context.js';

/** The engine's runtime from the test context: sinks are arrays, groups are recorded. */
function runtime(overrides: Partial<StepRuntime> = {}) {
  const t = testContext();
  const groups: string[] = [];
  const rt: StepRuntime = {
    ...t.ctx,
    group: async (title, body) => {
      groups.push(title);
      return body();
    },
    ...overrides,
  };
  return { ...t, rt, groups };
}

const registerOnly = (overrides: SettingsOverrides = {}) =>
  settingsWith({
    target: { service: undefined, register: true },
    source: { taskDefinition: { kind: 'family', family: 'web' } },
    ...overrides,
  });

describe('runStep', () => {
  it("counts the summary's time from the front end's start, as its log lines do", async () => {
    const { rt, clock } = runtime();
    const frontEndStart = clock.now() - 1_500;
    const result = await runStep(registerOnly(), { ...rt, startedAt: frontEndStart });
    expect(result.report.startedAt).toBe(frontEndStart);
  });

  it('registers only, when no service is given, and says so', async () => {
    const { rt, groups, outputs } = runtime();
    const image = {
      containerImages: [{ container: 'app', image: 'repo/web:3' }],
      environmentContainers: ['app'],
    };
    const result = await runStep(registerOnly({ render: image }), rt);
    expect(result.end).toBe('success');
    expect(result.report.status).toBe('registered (no service given)');
    // Without a service, the new revision is compared with the family's latest.
    expect(groups).toEqual([
      'Render and check (no changes yet)',
      'What changed: web:1 → the new revision',
      'Register task definition',
    ]);
    expect(outputs['deployment-status']).toBe('registered');
    expect(outputs['task-definition-arn']).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:2');
  });

  it('registers no copy of a revision given with nothing to render, and says so', async () => {
    const ecs = fakeEcs();
    const { rt, outputs, lines } = runtime({ ecs });
    const result = await runStep(registerOnly(), rt);
    expect(result.end).toBe('success');
    expect(ecs.calls).not.toContain('RegisterTaskDefinition');
    expect(outputs['task-definition-arn']).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:1');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^Deploying arn:\S+:task-definition\/web:1 as it is: nothing to render, so no new revision is registered\./,
      ),
    );
    expect(result.report.status).toBe('nothing new to register (no service given)');
  });

  it('reuses the latest revision of the family when the render comes out the same', async () => {
    const ecs = fakeEcs();
    const { rt, outputs, lines } = runtime({ ecs });
    // The latest revision already runs repo/web:2 in "app": setting that image again changes nothing.
    const same = {
      containerImages: [{ container: 'app', image: 'repo/web:2' }],
      environmentContainers: ['app'],
    };
    await runStep(registerOnly({ render: same }), rt);
    expect(ecs.calls).not.toContain('RegisterTaskDefinition');
    expect(outputs['task-definition-arn']).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:1');
    expect(lines).toContainEqual(
      expect.stringMatching(/is the same as \S+web:1 \(tags included\): reusing it/),
    );
  });

  it('ends as bad input, with nothing changed, when a check fails before registering', async () => {
    const ecs = fakeEcs({ describeService: async () => undefined });
    const { rt, outputs } = runtime({ ecs });
    const result = await runStep(settingsWith(), rt);
    expect(result.end).toBe('bad-input');
    expect(result.failure?.headline).toMatch(/^Service "web" was not found in cluster "prod"/);
    expect(result.report.status).toBe('failed before any change');
    expect(ecs.calls).not.toContain('RegisterTaskDefinition');
    expect(outputs['deployment-status']).toBe('failed');
  });

  it('verifies the rendered revision before registering it, and registers nothing when a check fails', async () => {
    const ecs = fakeEcs();
    const lookups = fakeLookups({
      registry: { findImage: async () => ({ found: false, missing: 'repository' }) },
    });
    const { rt, lines } = runtime({ ecs, lookups });
    const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:9';
    const result = await runStep(
      settingsWith({ render: { containerImages: [{ container: 'app', image }] } }),
      rt,
    );
    expect(result.end).toBe('bad-input');
    expect(result.failure?.headline).toMatch(/^Verify before change found a problem/);
    expect(result.failure?.details[0]).toMatch(
      /repository "web" does not exist \(registry 123456789012, us-east-1\)/,
    );
    expect(lines).toContain('Verify before change:');
    expect(ecs.calls).not.toContain('RegisterTaskDefinition');
  });

  it('does not verify a render-only step (nothing is registered there)', async () => {
    const lookups = fakeLookups();
    const { rt } = runtime({ lookups });
    const result = await runStep(
      settingsWith({
        target: { service: undefined, register: false },
        source: { taskDefinition: { kind: 'family', family: 'web' } },
        render: {
          containerImages: [
            { container: 'app', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:9' },
          ],
        },
      }),
      rt,
    );
    expect(result.end).toBe('success');
    expect(lookups.calls).toEqual([]);
  });

  it('ends as cancelled, registering nothing, when the cancel came during the checks', async () => {
    const cancel = new AbortController();
    const ecs = fakeEcs();
    const { rt, outputs } = runtime({ ecs, signal: cancel.signal });
    rt.group = async (title, body) => {
      const value = await body();
      if (title.startsWith('Render')) cancel.abort('SIGINT');
      return value;
    };
    const result = await runStep(registerOnly(), rt);
    expect(result.end).toBe('cancelled');
    expect(result.report.status).toBe('cancelled before deploying');
    expect(ecs.calls).not.toContain('RegisterTaskDefinition');
    expect(outputs['deployment-status']).toBe('cancelled');
  });
});
