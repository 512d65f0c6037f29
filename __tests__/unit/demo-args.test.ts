import { describe, expect, it } from '@jest/globals';
import { BAD_ARGUMENTS, parseDemoArgs } from '../../sim/demo-args.js';
import {
  DEFAULT_CONFIG,
  DEFAULT_MS_PER_MINUTE,
  DEFAULT_SCENARIO,
  stories,
} from '../../sim/demo-scenarios.js';

const run = (...args: string[]) => {
  const parsed = parseDemoArgs(args);
  if (parsed.kind !== 'run') throw new Error(`not a run: ${JSON.stringify(parsed)}`);
  return parsed.options;
};

const failure = (...args: string[]) => {
  const parsed = parseDemoArgs(args);
  if (parsed.kind !== 'exit') throw new Error(`not an exit: ${JSON.stringify(parsed)}`);
  return parsed;
};

describe('npm run demo arguments', () => {
  it('defaults to the CodeDeploy story at 1000 ms per simulated minute', () => {
    expect(run()).toEqual({
      scenario: DEFAULT_SCENARIO,
      msPerMinute: DEFAULT_MS_PER_MINUTE,
      config: DEFAULT_CONFIG,
      out: undefined,
      raw: false,
    });
  });

  it('reads every option, in either flag form', () => {
    expect(
      run(
        '--scenario',
        'crash-loop',
        '--ms-per-minute=12.5',
        '--config',
        'CodeDeployDefault.ECSAllAtOnce',
        '--out',
        'files',
        '--raw',
      ),
    ).toEqual({
      scenario: 'crash-loop',
      msPerMinute: 12.5,
      config: 'CodeDeployDefault.ECSAllAtOnce',
      out: 'files',
      raw: true,
    });
  });

  it('--help lists every option, every scenario with its story, and examples; exit 0', () => {
    for (const flag of ['--help', '-h']) {
      const help = failure(flag);
      expect(help).toMatchObject({ code: 0, stderr: '' });
      for (const option of ['--scenario', '--ms-per-minute', '--config', '--out', '--raw', '--help']) {
        expect(help.stdout).toContain(option);
      }
      for (const story of stories) expect(help.stdout).toContain(`${story.name}  `);
      for (const story of stories) expect(help.stdout).toContain(story.summary);
      expect(help.stdout).toContain('Examples:');
      expect(help.stdout).toContain('NO_COLOR');
    }
  });

  it.each([
    [['--bogus'], /^demo: unknown option '--bogus'; the demo takes --scenario, .*--help/],
    [['--scenaro', 'timeout'], /unknown option '--scenaro' \(Did you mean --scenario\?\)/],
    [['--ms-per-minute', 'abc'], /^demo: --ms-per-minute "abc": expected a positive number/],
    [['--ms-per-minute', '-5'], /^demo: --ms-per-minute "-5": expected a positive number/],
    [['--ms-per-minute', '0'], /^demo: --ms-per-minute "0": expected a positive number/],
    [['--ms-per-minute='], /^demo: --ms-per-minute "": expected a positive number/],
    [['--ms-per-minute', 'Infinity'], /^demo: --ms-per-minute "Infinity": expected/],
    [['--scenario', 'nope'], /^demo: --scenario "nope": expected one of codedeploy, .*container-typo/],
    [['--scenario'], /^demo: --scenario needs a value \(--scenario <name>\)/],
    [['--config', 'Fast'], /^demo: --config "Fast": expected one of the deployment configs .*ECSAllAtOnce/],
    [['--out', ' '], /^demo: option '--out <dir>' is empty; expected a folder/],
    [
      ['hook-fails'],
      /unexpected argument "hook-fails": to play that scenario, write "npm run demo -- --scenario hook-fails"/,
    ],
    [['stuff'], /unexpected argument "stuff": the demo takes only options/],
  ])('%j: one line naming the option and what was expected, exit 2', (args, message) => {
    const parsed = failure(...args);
    expect(parsed.code).toBe(BAD_ARGUMENTS);
    expect(parsed.stdout).toBe('');
    expect(parsed.stderr).toMatch(message);
    expect(parsed.stderr).toMatch(/Run "npm run demo -- --help" for the options and scenarios\.\n$/);
    expect(parsed.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
