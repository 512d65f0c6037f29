/**
 * `npm run demo` arguments (commander, as the CLI in src/cli): the options, --help with every scenario,
 * and one-line errors that name the option, say what was expected and point at --help. Pure: returns
 * what to print and the exit code instead of printing or exiting, so it is tested with plain values.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { predefinedDeploymentConfigs } from './codedeploy-model.js';
import {
  DEFAULT_CONFIG,
  DEFAULT_MS_PER_MINUTE,
  DEFAULT_SCENARIO,
  stories,
  storyNames,
} from './demo-scenarios.js';

export interface DemoOptions {
  scenario: string;
  msPerMinute: number;
  config: string;
  /** Undefined: a new folder under the OS temp dir (outFolder in demo-output.ts). */
  out?: string;
  raw: boolean;
}

export type ParsedArgs =
  | { kind: 'run'; options: DemoOptions }
  /** Print `stdout` / `stderr` and exit with `code` (help: 0; a bad argument: 2). */
  | { kind: 'exit'; code: number; stdout: string; stderr: string };

/** Exit code of a bad argument (as the CLI's EXIT.badInput). */
export const BAD_ARGUMENTS = 2;

const HELP_HINT = 'Run "npm run demo -- --help" for the options and scenarios.';
const CONFIGS = predefinedDeploymentConfigs.map((config) => config.name);

function positiveNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
    throw new InvalidArgumentError(
      'expected a positive number of real milliseconds per simulated minute, such as 1000 (the default) or 100 (10× faster)',
    );
  }
  return number;
}

function scenarioName(value: string): string {
  if (!storyNames.includes(value)) {
    throw new InvalidArgumentError(`expected one of ${storyNames.join(', ')}`);
  }
  return value;
}

function configName(value: string): string {
  if (!CONFIGS.includes(value)) {
    throw new InvalidArgumentError(
      `expected one of the deployment configs the simulator has: ${CONFIGS.join(', ')}`,
    );
  }
  return value;
}

/** Words of `text` in lines of at most `width` columns. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

/** The text after the options: the scenarios, the configs, colour, exit codes, examples. */
export function helpAfterOptions(): string {
  const width = Math.max(...storyNames.map((name) => name.length));
  const list = (kind: 'success' | 'failure') =>
    stories
      .filter((story) => story.kind === kind)
      .map((story) => `  ${story.name.padEnd(width)}  ${story.summary}`)
      .join('\n');
  const usingConfig = stories.filter((story) => story.usesConfig).map((story) => story.name);
  return `
Scenarios that succeed (the step exits 0):
${list('success')}

Failure stories (the step fails on purpose; the demo exits 0 if it failed as designed):
${list('failure')}

${wrap(`Deployment configs for --config (scenarios ${usingConfig.join(', ')}):`, 80)}
${CONFIGS.map((name) => `  ${name}${name === DEFAULT_CONFIG ? ' (default)' : ''}`).join('\n')}

Colour only on a terminal; plain when stdout is not one or NO_COLOR is set (non-empty).
FORCE_COLOR=1 forces colour, FORCE_COLOR=0 turns it off; the step's process follows the same choice.
Exit code: 0 when the story played out as designed, 1 when it did not, 2 for a bad argument.

Examples:
  npm run demo
  npm run demo -- --scenario crash-loop
  npm run demo -- --scenario timeout --ms-per-minute 200
  npm run demo -- --scenario hook-fails --out ./demo-files
  npm run demo -- --config CodeDeployDefault.ECSLinear10PercentEvery1Minutes
  NO_COLOR=1 npm run demo -- --scenario circuit-breaker > demo.log
`;
}

function program(): Command {
  return new Command('npm run demo --')
    .usage('[options]')
    .description(
      "A whole release on this machine, no AWS account needed: starts the local AWS simulator, runs the action's bundle (dist/index.js) against it as the GitHub runner would, and says what happened and what to look for.",
    )
    .addOption(
      new Option(
        '--scenario <name>',
        `the story to play, listed below (default: ${DEFAULT_SCENARIO})`,
      ).argParser(scenarioName),
    )
    .addOption(
      new Option(
        '--ms-per-minute <ms>',
        `real milliseconds per simulated minute; smaller is faster (default: ${DEFAULT_MS_PER_MINUTE})`,
      ).argParser(positiveNumber),
    )
    .addOption(
      new Option(
        '--config <name>',
        `CodeDeploy deployment config of the CodeDeploy scenarios, listed below (default: ${DEFAULT_CONFIG})`,
      ).argParser(configName),
    )
    .option(
      '--out <dir>',
      'keep the files of the run here: rendered task definition, job summary (.md and .html), step log, outputs (created if missing; default: a new folder <tmp>/ecs-shift-demo/<scenario>-<time>)',
    )
    .option(
      '--raw',
      "print the step's log as the runner receives it, workflow commands (::group:: …) included",
    )
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .exitOverride()
    .addHelpText('after', helpAfterOptions());
}

/** One line: what was wrong, what was expected, what to do. */
function errorLine(error: CommanderError, operands: readonly string[]): string {
  const message = error.message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\.$/, '');
  const invalid = /^option '(--[\w-]+)[^']*' argument '(.*)' is invalid\. (.*)$/.exec(message);
  const missing = /^option '((--[\w-]+)[^']*)' argument missing$/.exec(message);
  let line = message;
  if (error.code === 'commander.invalidArgument' && invalid) {
    line = `${invalid[1]} "${invalid[2]}": ${invalid[3]}`;
  } else if (error.code === 'commander.optionMissingArgument' && missing) {
    line = `${missing[2]} needs a value (${missing[1]})`;
  } else if (error.code === 'commander.unknownOption') {
    line = `${message}; the demo takes --scenario, --ms-per-minute, --config, --out, --raw and --help`;
  } else if (error.code === 'commander.excessArguments') {
    const extra = operands[0] ?? '';
    line = storyNames.includes(extra)
      ? `unexpected argument "${extra}": to play that scenario, write "npm run demo -- --scenario ${extra}" (npm needs the -- before the demo's options)`
      : `unexpected argument "${extra}": the demo takes only options`;
  }
  return `demo: ${line}. ${HELP_HINT}`;
}

export function parseDemoArgs(args: readonly string[]): ParsedArgs {
  let stdout = '';
  const command = program().configureOutput({
    writeOut: (text) => {
      stdout += text;
    },
    writeErr: () => {},
    outputError: () => {},
  });
  try {
    command.parse([...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return { kind: 'exit', code: 0, stdout, stderr: '' };
    return { kind: 'exit', code: BAD_ARGUMENTS, stdout: '', stderr: `${errorLine(error, command.args)}\n` };
  }
  const values = command.opts<{
    scenario?: string;
    msPerMinute?: number;
    config?: string;
    out?: string;
    raw?: boolean;
  }>();
  if (values.out !== undefined && values.out.trim() === '') {
    return {
      kind: 'exit',
      code: BAD_ARGUMENTS,
      stdout: '',
      stderr: `demo: option '--out <dir>' is empty; expected a folder to keep the files in. ${HELP_HINT}\n`,
    };
  }
  return {
    kind: 'run',
    options: {
      scenario: values.scenario ?? DEFAULT_SCENARIO,
      msPerMinute: values.msPerMinute ?? DEFAULT_MS_PER_MINUTE,
      config: values.config ?? DEFAULT_CONFIG,
      out: values.out,
      raw: values.raw === true,
    },
  };
}
