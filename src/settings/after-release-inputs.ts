/**
 * `scheduled-tasks` and `deregister-old-revisions`: what follows a successful release. Both need a
 * release of their own, so neither goes with promote or abort.
 */
import { describeValue } from '../text/errors.js';
import type { InputReader } from './parse.js';
import { parseScheduledTasks } from './scheduled-task-inputs.js';
import type { AfterReleaseSettings } from './settings.js';

export type AfterReleaseInputName = 'scheduled-tasks' | 'deregister-old-revisions';

export function parseAfterReleaseInputs<Name extends string>(
  read: InputReader<Name | AfterReleaseInputName>,
  { continuing }: { continuing: boolean },
): AfterReleaseSettings {
  const lines = read.lines('scheduled-tasks').map(({ text }) => text);
  let scheduledTasks: AfterReleaseSettings['scheduledTasks'];
  if (lines.length > 0) {
    const parsed = parseScheduledTasks(lines);
    // The parser's lines already start with the input's name.
    for (const problem of parsed.problems)
      read.fail('scheduled-tasks', problem.replace(/^scheduled-tasks: /, ''));
    scheduledTasks = parsed.problems.length === 0 ? parsed.setting : undefined;
  }
  const keepRevisions = parseKeep(read);
  for (const name of ['scheduled-tasks', 'deregister-old-revisions'] as const) {
    if (continuing && read.text(name) !== '') {
      read.fail(name, 'cannot be used with promote or abort, which release nothing new. Remove it.');
    }
  }
  return { scheduledTasks, keepRevisions };
}

const KEEP_EXPECTED =
  'Expected how many of the newest ACTIVE revisions to keep, 1 or more, e.g. deregister-old-revisions: 5.';

/** `deregister-old-revisions: N`, N ≥ 1: the revision just released is always one of those kept. */
function parseKeep<Name extends string>(read: InputReader<Name | AfterReleaseInputName>): number | undefined {
  const value = read.text('deregister-old-revisions');
  if (value === '') return undefined;
  const keep = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (keep === 0) {
    return read.fail(
      'deregister-old-revisions',
      `0 would deregister the revision just released too. ${KEEP_EXPECTED}`,
    );
  }
  if (!Number.isSafeInteger(keep)) {
    return read.fail(
      'deregister-old-revisions',
      `${describeValue(value)} is not a whole number. ${KEEP_EXPECTED}`,
    );
  }
  return keep;
}
