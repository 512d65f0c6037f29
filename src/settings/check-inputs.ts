/** The inputs of the checks that catch a costly failure early: `verify`, `max-task-failures`, `app-logs`. */
import type { InputReader } from './parse.js';
import type { CheckSettings, VerifyMode } from './settings.js';

export function parseCheckInputs(
  read: InputReader<'verify' | 'max-task-failures' | 'app-logs'>,
): CheckSettings {
  const verify = read.oneOf<VerifyMode>('verify', ['strict', 'warn', 'off']) ?? 'strict';
  // `auto` (the action.yml default) and unset both mean: scaled with the desired count.
  const maxTaskFailures = /^auto$/i.test(read.text('max-task-failures'))
    ? undefined
    : read.count(
        'max-task-failures',
        'max-task-failures: 5 (0: never stop early; auto: scaled with the desired count)',
      );
  const appLogs = read.boolean('app-logs') ?? true;
  return { verify, maxTaskFailures, appLogs };
}
