import { describe, expect, it } from '@jest/globals';
import {
  appSpec,
  type Expectation,
  type Outcome,
  problemsWith,
  scaledWaitMinutes,
  stories,
  storyNamed,
} from '../../sim/demo-scenarios.js';

const options = { msPerMinute: 1000, config: 'CodeDeployDefault.ECSAllAtOnce' };

describe('the demo stories', () => {
  it('has the success paths and the failure stories of issue 14, each name once', () => {
    expect(stories.filter((s) => s.kind === 'success').map((s) => s.name)).toEqual([
      'codedeploy',
      'ecs-bluegreen',
      'ecs-canary',
      'rolling',
      'several',
    ]);
    expect(stories.filter((s) => s.kind === 'failure').map((s) => s.name)).toEqual([
      'hook-fails',
      'crash-loop',
      'timeout',
      'circuit-breaker',
      'container-typo',
    ]);
    expect(storyNamed('timeout')?.name).toBe('timeout');
    expect(storyNamed('nope')).toBeUndefined();
  });

  it.each(stories.map((s) => [s.name, s] as const))('%s: tells its story in short lines', (_name, story) => {
    // One line in --help beside the name, within 80 columns.
    expect(story.summary).not.toContain('\n');
    expect(story.summary.length + 19).toBeLessThanOrEqual(84);
    expect(story.before.length).toBeGreaterThanOrEqual(1);
    expect(story.before.length).toBeLessThanOrEqual(3);
    expect(story.after.length).toBeGreaterThanOrEqual(1);
    for (const line of [...story.before, ...story.after]) expect(line.length).toBeLessThanOrEqual(120);
    if (story.kind === 'failure') expect(story.before[0]).toMatch(/^What goes wrong: /);
    expect(story.expect.exitCode).toBe(story.kind === 'success' ? 0 : 1);
  });

  it.each(stories.map((s) => [s.name, s] as const))(
    '%s: sets up cluster prod and a step for it',
    (_name, story) => {
      const setup = story.setup(options);
      expect(setup.scenario.clusters[0].name).toBe('prod');
      const services = setup.scenario.clusters[0].services.map((service) => service.name);
      for (const service of setup.inputs.service.split('\n')) expect(services).toContain(service);
      expect(setup.inputs.cluster).toBe('prod');
      expect(setup.world).toMatch(/^cluster prod/);
      // The config applies exactly where the story says it does.
      const group = setup.scenario.codeDeploy?.applications[0]?.deploymentGroups[0];
      if (story.usesConfig) expect(group?.deploymentConfigName).toBe(options.config);
    },
  );

  it('container-typo names a container the task definition does not have; the others one it has', () => {
    for (const story of stories) {
      const setup = story.setup(options);
      const containers = setup.scenario.taskDefinitions[0].containerDefinitions.map((c) => c.name);
      expect(containers.includes(setup.inputs['container-name'])).toBe(story.name !== 'container-typo');
    }
    expect(storyNamed('container-typo')?.expect.noCalls).toBe('any');
  });

  it('timeout: a deadline of 5 simulated minutes, at least 2 real seconds', () => {
    expect(scaledWaitMinutes(5, 1000)).toBe('0.083');
    expect(scaledWaitMinutes(5, 100)).toBe('0.033');
    expect(scaledWaitMinutes(5, 6000)).toBe('0.5');
    expect(storyNamed('timeout')?.setup({ ...options, msPerMinute: 1000 }).inputs['wait-for-minutes']).toBe(
      '0.083',
    );
  });

  it('writes an AppSpec with the given hooks', () => {
    expect(appSpec({ AfterAllowTraffic: 'arn:fn' })).toContain('Hooks:\n  - AfterAllowTraffic: arn:fn\n');
  });
});

describe('problemsWith', () => {
  const outcome = (overrides: Partial<Outcome> = {}): Outcome => ({
    exitCode: 1,
    outputs: { 'deployment-status': 'failed' },
    log: 'smoke test failed: 503',
    mutatingCalls: ['RegisterTaskDefinition', 'CreateDeployment'],
    runs: { web: 'web:1' },
    ...overrides,
  });
  const expected: Expectation = {
    exitCode: 1,
    status: 'failed',
    calls: ['RegisterTaskDefinition', 'CreateDeployment'],
    noCalls: ['StopDeployment'],
    runs: { web: 'web:1' },
    logs: ['smoke test failed', /503$/],
  };

  it('finds none when the run showed everything expected', () => {
    expect(problemsWith(expected, outcome())).toEqual([]);
  });

  it('says what differed: a failure story that succeeded', () => {
    expect(
      problemsWith(
        expected,
        outcome({
          exitCode: 0,
          outputs: { 'deployment-status': 'shifted' },
          log: 'all good',
          mutatingCalls: ['RegisterTaskDefinition', 'StopDeployment'],
          runs: { web: 'web:2' },
        }),
      ),
    ).toEqual([
      'the step exited with 0, not 1',
      'deployment-status is "shifted", not "failed"',
      'the action never called CreateDeployment',
      'the action called StopDeployment',
      'service web runs web:2, not web:1',
      'the log does not show smoke test failed',
      'the log does not show /503$/',
    ]);
  });

  it('noCalls "any": nothing may change; a missing status or a signal is named', () => {
    expect(
      problemsWith(
        { exitCode: 1, status: 'failed', noCalls: 'any' },
        outcome({
          exitCode: null,
          outputs: {},
          mutatingCalls: ['RegisterTaskDefinition', 'RegisterTaskDefinition'],
        }),
      ),
    ).toEqual([
      'the step exited with a signal, not 1',
      'deployment-status is not set, not "failed"',
      'the action changed something: RegisterTaskDefinition',
    ]);
  });
});
