/**
 * `scheduled-tasks`: which EventBridge rules and Scheduler schedules follow the release (schedules/).
 * Pure: lines in (already trimmed, one or more values each, comma-separated), the setting or every
 * problem out, one line each naming the value, the form expected and an example.
 */

/** One rule or schedule, as the input names it. */
export type ScheduledTaskRef =
  /** `rule/NAME`: scheduled rules live on the default event bus, the only one that runs schedule expressions. */
  | { kind: 'rule'; name: string }
  /** `schedule/NAME` (the default group) or `schedule/GROUP/NAME`. */
  | { kind: 'schedule'; name: string; group?: string }
  /** A bare `NAME`: a rule or a schedule in the default group, whichever exists (both: an error asking for a prefix). */
  | { kind: 'either'; name: string };

export type ScheduledTasksSetting = { kind: 'auto' } | { kind: 'named'; refs: ScheduledTaskRef[] };

/** EventBridge rule names, Scheduler schedule and group names: the pattern both APIs document. */
const NAME = /^[0-9A-Za-z._-]{1,64}$/;
const FORMS = 'rule/NAME, schedule/NAME, schedule/GROUP/NAME, a bare NAME, or auto alone';
const EXAMPLE = 'e.g. scheduled-tasks: rule/web-nightly';
const NAME_RULE = 'letters, digits, ".", "_" and "-", at most 64';

export function parseScheduledTasks(lines: string[]): {
  setting?: ScheduledTasksSetting;
  problems: string[];
} {
  const values = lines.flatMap((line) => line.split(',').map((value) => value.trim())).filter(Boolean);
  const problems: string[] = [];
  const problem = (text: string) => problems.push(`scheduled-tasks: ${text}`);

  if (values.some(isAuto)) {
    if (values.length === 1) return { setting: { kind: 'auto' }, problems };
    problem(
      `auto finds every rule and schedule by itself, so it must be alone; got ${values.length} values. ` +
        `Remove auto to name them (${EXAMPLE}), or keep only auto.`,
    );
    return { problems };
  }

  const refs: ScheduledTaskRef[] = [];
  const seen = new Map<string, string>();
  for (const value of values) {
    const ref = parseRef(value, problem);
    if (!ref) continue;
    // A bare name overlaps rule/NAME and schedule/NAME (default group): both keys are checked.
    const keys = keysOf(ref);
    const earlier = keys.map((key) => seen.get(key)).find((found) => found !== undefined);
    if (earlier !== undefined) {
      problem(
        earlier === value
          ? `${quoted(value)} is listed twice. List each rule or schedule once.`
          : `${quoted(value)} and ${quoted(earlier)} can name the same rule or schedule. List it once.`,
      );
      continue;
    }
    for (const key of keys) seen.set(key, value);
    refs.push(ref);
  }
  if (problems.length > 0) return { problems };
  if (refs.length === 0) return { problems }; // nothing set: no setting, as for an unset input
  return { setting: { kind: 'named', refs }, problems };
}

function isAuto(value: string): boolean {
  return value.toLowerCase() === 'auto';
}

function parseRef(value: string, problem: (text: string) => void): ScheduledTaskRef | undefined {
  const expected = `Expected ${FORMS} (names: ${NAME_RULE}), ${EXAMPLE}.`;
  if (value.startsWith('arn:')) {
    problem(`${quoted(value)} is an ARN; name the rule or schedule instead. ${expected}`);
    return undefined;
  }
  const parts = value.split('/');
  const badName = parts.find((part) => !NAME.test(part));
  const [prefix, ...rest] = parts;
  if (parts.length > 1 && prefix === 'rule') {
    if (rest.length !== 1) {
      problem(
        `${quoted(value)} names an event bus or too many parts: rules are looked up on the default event bus ` +
          `(the only one that runs schedule expressions). Expected rule/NAME, e.g. scheduled-tasks: rule/web-nightly.`,
      );
      return undefined;
    }
    if (!NAME.test(rest[0])) return badNameProblem(value, rest[0], problem, expected);
    return { kind: 'rule', name: rest[0] };
  }
  if (parts.length > 1 && prefix === 'schedule') {
    if (rest.length > 2) {
      problem(
        `${quoted(value)} has too many parts. Expected schedule/NAME or schedule/GROUP/NAME, ${EXAMPLE}.`,
      );
      return undefined;
    }
    const bad = rest.find((part) => !NAME.test(part));
    if (bad !== undefined) return badNameProblem(value, bad, problem, expected);
    return rest.length === 2
      ? { kind: 'schedule', group: rest[0], name: rest[1] }
      : { kind: 'schedule', name: rest[0] };
  }
  if (parts.length > 1) {
    problem(`${quoted(value)} does not start with rule/ or schedule/. ${expected}`);
    return undefined;
  }
  if (badName !== undefined) return badNameProblem(value, badName, problem, expected);
  return { kind: 'either', name: value };
}

function badNameProblem(
  value: string,
  name: string,
  problem: (text: string) => void,
  expected: string,
): undefined {
  const why = name === '' ? 'has an empty name' : `has ${quoted(name)}, which is not a valid name`;
  problem(`${quoted(value)} ${why} (${NAME_RULE}). ${expected}`);
  return undefined;
}

/** The keys a ref may stand for, to find duplicates (schedule/NAME is schedule/default/NAME). */
function keysOf(ref: ScheduledTaskRef): string[] {
  switch (ref.kind) {
    case 'rule':
      return [`rule/${ref.name}`];
    case 'schedule':
      return [`schedule/${ref.group ?? 'default'}/${ref.name}`];
    case 'either':
      return [`rule/${ref.name}`, `schedule/default/${ref.name}`];
  }
}

/** The value as typed, quoted and cut: an input can be long, and the problem must stay one line. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 59)}…` : value);
}
