/**
 * The CLI's inputs: every action input is a flag of the same name, and `--config FILE` (YAML) holds the
 * same keys, so a GitLab job and a GitHub step read alike. Both become the getInput function that the
 * action's own parser (settings/inputs.ts) takes: one set of rules and messages for both front ends.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../text/errors.js';
import { safeText } from '../text/sanitise.js';
import { INPUT_NAMES, parseSettings, RELEASE_INPUTS } from '../settings/inputs.js';
import { RUN_TASK_INPUTS } from '../settings/run-task-inputs.js';
import type { Settings } from '../settings/settings.js';
import { readInputFile } from '../text/input-file.js';

export type InputValues = Partial<Record<string, string>>;

/** The keys of a --config file, as input values: lists become lines, objects JSON. */
export function readConfigFile(file: string, cwd: string): InputValues {
  const absPath = path.resolve(cwd, file);
  const text = readInputFile({
    absPath,
    subject: `--config ${file}`,
    workspace: cwd,
    expected: 'a YAML file of ecs-shift inputs, e.g. "service: web"',
    example: '--config ecs-shift.yaml (relative to the current directory)',
  });
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    // The parser's first line ends "at line L, column C:" before a snippet of the file: the snippet is not echoed.
    const reason = safeText(document.errors[0]!.message.split('\n')[0]!.replace(/:\s*$/, ''), 200);
    throw new UserError(`--config ${file} is not valid YAML: ${reason}.`, [
      'Fix that line (each input is "name: value"; quote a value that holds ": " or starts with a special character).',
    ]);
  }
  const parsed: unknown = document.toJS({ maxAliasCount: 100 }) ?? {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UserError(`--config ${file} must be a mapping of input names to values, e.g. "service: web".`);
  }
  const values: InputValues = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!(INPUT_NAMES as readonly string[]).includes(key)) unknown.push(key);
    else if (value !== null && value !== undefined) values[key] = asInputText(value);
  }
  if (unknown.length > 0) {
    throw new UserError(
      `--config ${file} has keys that are not ecs-shift inputs: ${unknown.map((k) => JSON.stringify(k)).join(', ')}. ` +
        'Use the action input names, e.g. task-definition, container-name, image, cluster, service (see ecs-shift deploy --help).',
    );
  }
  return values;
}

function asInputText(value: unknown): string {
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object')) return value.join('\n');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Flags win over the config file; the environment is the runner's (AWS_REGION, …). For promote and
 * abort, the config file's release keys (image, task definition, run-task…) are set aside, so one
 * ecs-shift.yaml serves the deploy job and the promote job alike; given as flags they are still refused.
 */
export function cliSettings(flags: InputValues, config: InputValues, env: NodeJS.ProcessEnv): Settings {
  if (flags.promote !== undefined || flags.abort !== undefined) {
    config = Object.fromEntries(Object.entries(config).filter(([key]) => !forRelease(key)));
  }
  const isFile = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  const isDirectory = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
  try {
    return parseSettings((name) => flags[name] ?? config[name] ?? '', env, isFile, isDirectory);
  } catch (error) {
    throw asFlagProblems(error);
  }
}

/** What only a new release reads: the release inputs the parser refuses with promote, and their company. */
const SET_ASIDE_FOR_CONTINUATION: readonly string[] = [
  ...RELEASE_INPUTS,
  ...RUN_TASK_INPUTS,
  'container-name',
  'keep-null-value-keys',
  'scheduled-tasks',
  'deregister-old-revisions',
  'max-parallel',
  'on-service-failure',
];

function forRelease(key: string): boolean {
  return SET_ASIDE_FOR_CONTINUATION.includes(key);
}

/** The parser's "name: problem" lines, with the name written as the flag the user typed. */
function asFlagProblems(error: unknown): unknown {
  if (!(error instanceof UserError)) return error;
  const lines = error.message
    .split('\n')
    .map((line) =>
      line.replace(/^([A-Za-z-]+): /, (whole, name: string) =>
        (INPUT_NAMES as readonly string[]).includes(name) ? `--${name}: ` : whole,
      ),
    );
  return new UserError(lines.join('\n'), error.details);
}
