import { describe, expect, it } from '@jest/globals';
import { parseScheduledTasks } from '../../../src/settings/scheduled-task-inputs.js';

describe('parseScheduledTasks', () => {
  it('auto, alone (any case)', () => {
    expect(parseScheduledTasks(['auto'])).toEqual({ setting: { kind: 'auto' }, problems: [] });
    expect(parseScheduledTasks(['AUTO'])).toEqual({ setting: { kind: 'auto' }, problems: [] });
  });

  it('rules, schedules with or without a group, bare names; one a line or comma-separated', () => {
    expect(
      parseScheduledTasks([
        'rule/web-nightly',
        'schedule/web-cleanup, schedule/jobs/web_warmup.v2',
        'web-hourly',
      ]),
    ).toEqual({
      setting: {
        kind: 'named',
        refs: [
          { kind: 'rule', name: 'web-nightly' },
          { kind: 'schedule', name: 'web-cleanup' },
          { kind: 'schedule', group: 'jobs', name: 'web_warmup.v2' },
          { kind: 'either', name: 'web-hourly' },
        ],
      },
      problems: [],
    });
  });

  it('nothing set: no setting, no problem', () => {
    expect(parseScheduledTasks([])).toEqual({ problems: [] });
    expect(parseScheduledTasks([' , '])).toEqual({ problems: [] });
  });

  it('auto with names is a problem', () => {
    expect(parseScheduledTasks(['auto', 'rule/web-nightly'])).toEqual({
      problems: [
        'scheduled-tasks: auto finds every rule and schedule by itself, so it must be alone; got 2 values. ' +
          'Remove auto to name them (e.g. scheduled-tasks: rule/web-nightly), or keep only auto.',
      ],
    });
  });

  it('each bad value is one problem naming it, the forms expected and an example', () => {
    const { setting, problems } = parseScheduledTasks([
      'rule/web nightly',
      'rule/custom-bus/web',
      'schedule/a/b/c',
      'job/web',
      'arn:aws:events:us-east-1:123456789012:rule/web-nightly',
      `${'x'.repeat(65)}`,
      'schedule/',
      'rule/ok',
    ]);
    expect(setting).toBeUndefined();
    expect(problems).toEqual([
      'scheduled-tasks: "rule/web nightly" has "web nightly", which is not a valid name (letters, digits, ".", "_" and "-", at most 64). ' +
        'Expected rule/NAME, schedule/NAME, schedule/GROUP/NAME, a bare NAME, or auto alone (names: letters, digits, ".", "_" and "-", at most 64), e.g. scheduled-tasks: rule/web-nightly.',
      'scheduled-tasks: "rule/custom-bus/web" names an event bus or too many parts: rules are looked up on the default event bus ' +
        '(the only one that runs schedule expressions). Expected rule/NAME, e.g. scheduled-tasks: rule/web-nightly.',
      'scheduled-tasks: "schedule/a/b/c" has too many parts. Expected schedule/NAME or schedule/GROUP/NAME, e.g. scheduled-tasks: rule/web-nightly.',
      expect.stringMatching(
        /^scheduled-tasks: "job\/web" does not start with rule\/ or schedule\/\. Expected rule\/NAME/,
      ),
      expect.stringMatching(
        /^scheduled-tasks: "arn:aws:events:us-east-1:123456789012:rule\/web-nightly" is an ARN; name the rule/,
      ),
      expect.stringMatching(/^scheduled-tasks: "x{59}…" has "x{59}…", which is not a valid name/),
      expect.stringMatching(/^scheduled-tasks: "schedule\/" has an empty name/),
    ]);
    for (const problem of problems) expect(problem).not.toContain('\n');
  });

  it('a long value is cut in the problem', () => {
    const [problem] = parseScheduledTasks([`rule/${'a'.repeat(100)}!`]).problems;
    expect(problem.startsWith(`scheduled-tasks: "rule/${'a'.repeat(54)}…"`)).toBe(true);
  });

  it('duplicates are a problem, also when two forms can name the same', () => {
    expect(parseScheduledTasks(['rule/web', 'rule/web']).problems).toEqual([
      'scheduled-tasks: "rule/web" is listed twice. List each rule or schedule once.',
    ]);
    expect(parseScheduledTasks(['schedule/web', 'schedule/default/web']).problems).toEqual([
      'scheduled-tasks: "schedule/default/web" and "schedule/web" can name the same rule or schedule. List it once.',
    ]);
    expect(parseScheduledTasks(['web', 'rule/web']).problems).toHaveLength(1);
    expect(parseScheduledTasks(['schedule/web', 'web']).problems).toHaveLength(1);
    // The same name as a rule and as a schedule in a group is two things.
    expect(parseScheduledTasks(['rule/web', 'schedule/jobs/web']).problems).toEqual([]);
  });
});
