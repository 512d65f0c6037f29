/**
 * `ecs-shift`: the engine from a terminal or any CI. deploy, diff, render, verify, promote, abort and status, each
 * with --help; every action input is a flag of the same name, and --config FILE holds the same keys.
 * Returns the exit code (cli/exit-codes.ts); index.ts exits with it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Help, Option } from 'commander';
import { parseDocument } from 'yaml';
import { systemClock } from '../release/clock.js';
import { describeError, errorMessage, UserError } from '../text/errors.js';
import { INPUT_NAMES, SOURCE_AND_RENDER_INPUTS } from '../settings/inputs.js';
import { findService, renderSource } from '../release/plan.js';
import { problemsOf, runChecks } from '../release/verify.js';
import { connectAws, pollIntervalFromEnv } from '../release/connect.js';
import { runStep, type StepResult } from '../release/step.js';
import { buildInputErrorSummary, buildJobSummary } from '../report/summary.js';
import { headlineLines, headlineOf } from '../report/headline.js';
import type { Settings } from '../settings/settings.js';
import { VERSION } from '../version.js';
import { cancelOnCtrlC } from './ctrl-c.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { cliSettings, type InputValues, readConfigFile } from './inputs.js';
import { describeStatus } from './status.js';
import { terminal } from './terminal.js';
import { CLI_WORDS } from './words.js';

/** Inputs that take no value on the command line (`--force-new-deployment` means true). */
const SWITCHES = [
  'register',
  'dry-run',
  'wait-for-service-stability',
  'force-new-deployment',
  'enable-ecs-managed-tags',
  'run-task',
  'wait-for-task-stopped',
  'app-logs',
];
/** Inputs of one value per line, which a flag given again adds to. */
const REPEATABLE = [
  'service',
  'scheduled-tasks',
  'images',
  'environment-variables',
  'secrets',
  'docker-labels',
];
const CONTINUATION_INPUTS = ['promote', 'abort'];
/** What `render` reads: where the task definition comes from and how it is changed. */
const RENDER_INPUTS = [
  ...SOURCE_AND_RENDER_INPUTS,
  'keep-null-value-keys',
  'cluster',
  'service',
  'max-retries',
];
/** Flag help that reads differently from the action input's, per command. */
const COMMAND_HELP: Record<string, Record<string, string>> = {
  render: {
    service: 'Start from the revision this service runs (when no task definition is given); read from ECS.',
  },
  continue: {
    cluster: 'The cluster, for a CodeDeploy id (an ECS service deployment ARN names its own).',
    service:
      'The service, for a CodeDeploy id: the report says which revision it runs after a rollback (an ECS service deployment ARN names its own).',
  },
  status: {
    service: 'The service to describe (required).',
    cluster: 'Its cluster.',
  },
};

export interface CliIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export async function runCli(io: CliIo): Promise<number> {
  let exitCode: number = EXIT.success;
  // An input flag's help comes from action.yml, read only when help is shown (parsing it costs ~20 ms).
  const inputFlags = new Map<Option, { name: string; help?: string }>();
  let shipped: ReturnType<typeof actionInputs> | undefined;
  const program = new Command('ecs-shift')
    .configureHelp({
      optionDescription(option) {
        const flag = inputFlags.get(option);
        if (flag) {
          shipped ??= actionInputs();
          const help = flag.help ?? shipped.descriptions[flag.name] ?? '';
          const byDefault = shipped.defaults[flag.name];
          // Written into the help, not set as commander's default: that would count as an input given.
          option.description = byDefault === undefined ? help : `${help} (default: ${byDefault})`;
          inputFlags.delete(option);
        }
        return Help.prototype.optionDescription.call(this, option);
      },
    })
    .description(
      'Zero-downtime releases to Amazon ECS: render, register, deploy, watch until traffic has shifted.',
    )
    .version(VERSION)
    .showHelpAfterError()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride();

  const withInputs = (
    command: Command,
    inputs: readonly string[],
    options: { help?: Record<string, string>; output?: boolean; summary?: boolean } = {},
  ) => {
    for (const name of inputs) {
      const flag = SWITCHES.includes(name) ? `--${name} [true|false]` : `--${name} <value>`;
      const option = new Option(flag);
      // Given twice, a line-per-value input keeps both: --service web --service worker.
      if (REPEATABLE.includes(name)) {
        option.argParser((value: string, previous?: string) => (previous ? `${previous}\n${value}` : value));
      }
      inputFlags.set(option, { name, help: options.help?.[name] });
      command.addOption(option);
    }
    command.option('--config <file>', 'YAML file with the same keys as the flags (flags win)');
    if (options.output !== false) {
      command.addOption(
        new Option('--output <format>', 'text, or json: one JSON object with the outputs on stdout')
          .choices(['text', 'json'])
          .default('text'),
      );
    }
    if (options.summary !== false) {
      command.option('--summary <file>', 'write the Markdown job summary to this file');
    }
    return command;
  };

  const release = (values: InputValues, options: Record<string, unknown>) =>
    run(io, values, options).then((code) => {
      exitCode = code;
    });

  withInputs(
    program
      .command('deploy')
      .description('Release a new revision to the service (the GitHub step, from anywhere).'),
    INPUT_NAMES.filter((n) => !CONTINUATION_INPUTS.includes(n)),
  ).action((options, command: Command) => release(flagsOf(command, options), options));

  withInputs(
    program
      .command('diff')
      .description(
        'Render and check as deploy does, then show what the new revision changes against the one the service runs; register and deploy nothing.',
      ),
    INPUT_NAMES.filter((n) => !CONTINUATION_INPUTS.includes(n) && n !== 'dry-run'),
  ).action((options, command: Command) =>
    release({ ...flagsOf(command, options), 'dry-run': 'true' }, options),
  );

  withInputs(
    program
      .command('render')
      .description('Print the rendered task definition (no AWS call when task-definition is a file).'),
    RENDER_INPUTS,
    { help: COMMAND_HELP.render, output: false, summary: false },
  ).action(async (options, command: Command) => {
    exitCode = await render(io, flagsOf(command, options), options);
  });

  withInputs(
    program
      .command('verify')
      .description(
        'Render, then run every check a release makes before changing anything (ECR images and their platform, roles, secrets, log groups); change nothing.',
      ),
    RENDER_INPUTS,
    { help: COMMAND_HELP.render, summary: false },
  ).action(async (options, command: Command) => {
    exitCode = await verify(io, flagsOf(command, options), options);
  });

  for (const verb of CONTINUATION_INPUTS) {
    withInputs(
      program
        .command(`${verb} <deployment>`)
        .description(
          verb === 'promote'
            ? 'Continue a deployment left waiting at wait-until: ready (a CodeDeploy id or an ECS service deployment ARN), and follow it.'
            : 'Roll back a deployment left waiting at wait-until: ready.',
        ),
      ['cluster', 'service', 'wait-for-minutes', 'wait-until', 'on-timeout', 'on-cancel', 'max-retries'],
      { help: COMMAND_HELP.continue },
    ).action((deployment: string, options, command: Command) =>
      release({ ...flagsOf(command, options), [verb]: deployment }, options),
    );
  }

  withInputs(
    program.command('status').description('What runs now: revision, deployments in flight, traffic split.'),
    ['cluster', 'service', 'codedeploy-application', 'codedeploy-deployment-group'],
    { help: COMMAND_HELP.status, summary: false },
  ).action(async (options, command: Command) => {
    exitCode = await status(io, flagsOf(command, options), options);
  });

  try {
    await program.parseAsync(io.argv);
  } catch (error) {
    // Commander has printed the problem (or the help or version, which exit 0).
    const code = (error as { exitCode?: number }).exitCode;
    return code === 0 ? EXIT.success : EXIT.badInput;
  }
  return exitCode;
}

/** The input values given as flags (commander's camelCase keys back to the input names). */
function flagsOf(command: Command, options: Record<string, unknown>): InputValues {
  const values: InputValues = {};
  for (const option of command.options) {
    const name = option.long?.replace(/^--/, '') ?? '';
    if (!(INPUT_NAMES as readonly string[]).includes(name)) continue;
    const value = options[option.attributeName()];
    if (value !== undefined) values[name] = value === true ? 'true' : String(value);
  }
  return values;
}

function settingsFrom(io: CliIo, flags: InputValues, options: Record<string, unknown>): Settings {
  const config = typeof options.config === 'string' ? readConfigFile(options.config, io.cwd) : {};
  return cliSettings(flags, config, io.env);
}

/** The scratch folder goes when the run ends: the log must not point at a file that is gone. */
const RENDERED_FILE_REMOVED =
  'removed when ecs-shift exits, as it may hold environment values: `ecs-shift render > task-definition.json` keeps a copy';

async function run(io: CliIo, flags: InputValues, options: Record<string, unknown>): Promise<number> {
  const startedAt = systemClock.now();
  const term = terminal({ stream: io.stderr, env: io.env, startedAt });
  const cancel = cancelOnCtrlC(term, io.stderr);
  // The rendered file may hold environment values: without a RUNNER_TEMP of the user's, it goes to a
  // private folder that is removed when the run ends (`ecs-shift render` prints it instead).
  const scratch = io.env.RUNNER_TEMP ? undefined : mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-'));
  let result: StepResult | undefined;
  try {
    const settings = settingsFrom(
      scratch ? { ...io, env: { ...io.env, RUNNER_TEMP: scratch } } : io,
      flags,
      options,
    );
    result = await runStep(settings, {
      ...(await connectAws(settings, { signal: cancel.signal, words: CLI_WORDS })),
      words: scratch ? { ...CLI_WORDS, renderedFileFate: RENDERED_FILE_REMOVED } : CLI_WORDS,
      startedAt,
      ...term.sink,
      clock: systemClock,
      pollIntervalMs: pollIntervalFromEnv(io.env),
      signal: cancel.signal,
      group: (title, body) => term.group(title, body),
    });
  } catch (error) {
    // Only the inputs and the AWS set-up get here: nothing was read from or changed in AWS.
    term.error(describe(error));
    if (typeof options.summary === 'string')
      writeSummaryFile(io, options.summary, buildInputErrorSummary(describeError(error)), term);
    finish(io, options, { end: 'bad-input', headline: errorMessage(error) }, term.outputs);
    return EXIT.badInput;
  } finally {
    cancel.dispose();
    term.done();
    if (scratch) {
      rmSync(scratch, { recursive: true, force: true });
      delete term.outputs['task-definition'];
    }
  }
  const headline = headlineLines(headlineOf(result.report));
  if (result.failure)
    term.error([...headline, '', result.failure.headline, ...result.failure.details].join('\n'));
  else for (const line of headline) term.sink.info(line);
  if (typeof options.summary === 'string') {
    writeSummaryFile(io, options.summary, buildJobSummary(result.report), term);
  }
  finish(
    io,
    options,
    { end: result.end, status: result.report.status, headline: result.failure?.headline },
    term.outputs,
  );
  return exitCodeFor(result.end);
}

async function render(io: CliIo, flags: InputValues, options: Record<string, unknown>): Promise<number> {
  const term = terminal({ stream: io.stderr, env: io.env, startedAt: systemClock.now() });
  try {
    const settings = settingsFrom(io, flags, options);
    // A file needs no AWS at all; only a registered revision (or the service's) is read from ECS.
    const needsAws = settings.source.taskDefinition.kind !== 'file';
    const aws = needsAws
      ? await connectAws(settings, { signal: new AbortController().signal, words: CLI_WORDS })
      : undefined;
    const ecs = aws?.ecs ?? (undefined as never);
    const rt = { ecs, info: term.sink.info, warning: term.sink.warning, region: aws?.region ?? '' };
    const service =
      needsAws && settings.target.service
        ? await findService(rt, settings.target, settings.target.service)
        : undefined;
    const { taskDefinition } = await renderSource(rt, settings, service);
    io.stdout.write(`${JSON.stringify(taskDefinition, null, 2)}\n`);
    return EXIT.success;
  } catch (error) {
    term.error(describe(error));
    return EXIT.badInput;
  }
}

/** `verify`: exit 0 when nothing failed (a skipped or unchecked look-up is not a failure), 1 when a check failed. */
async function verify(io: CliIo, flags: InputValues, options: Record<string, unknown>): Promise<number> {
  const term = terminal({ stream: io.stderr, env: io.env, startedAt: systemClock.now() });
  try {
    const settings = settingsFrom(io, flags, options);
    const aws = await connectAws(settings, { signal: new AbortController().signal, words: CLI_WORDS });
    const rt = { ...aws, info: term.sink.info, warning: term.sink.warning, notice: term.sink.notice };
    const service = settings.target.service
      ? await findService(rt, settings.target, settings.target.service)
      : undefined;
    const { taskDefinition } = await renderSource(rt, settings, service);
    const results = await runChecks(rt, taskDefinition, service);
    const problems = problemsOf(results);
    if (options.output === 'json') {
      io.stdout.write(`${JSON.stringify({ failed: problems.length, checks: results }, null, 2)}\n`);
    }
    if (problems.length === 0) term.sink.info('✅ Nothing found that would stop the release.');
    else
      term.error(
        [`${problems.length} check${problems.length === 1 ? '' : 's'} failed:`, ...problems].join('\n'),
      );
    return problems.length === 0 ? EXIT.success : EXIT.failed;
  } catch (error) {
    term.error(describe(error));
    return error instanceof UserError ? EXIT.badInput : EXIT.failed;
  }
}

async function status(io: CliIo, flags: InputValues, options: Record<string, unknown>): Promise<number> {
  const term = terminal({ stream: io.stderr, env: io.env, startedAt: systemClock.now() });
  try {
    if (!flags.service)
      throw new UserError('status needs --service (and --cluster, unless it is "default").');
    const settings = settingsFrom(io, flags, options);
    const aws = await connectAws(settings, { signal: new AbortController().signal, words: CLI_WORDS });
    const view = await describeStatus(aws, settings);
    if (options.output === 'json') io.stdout.write(`${JSON.stringify(view.json, null, 2)}\n`);
    else io.stdout.write(`${view.lines.join('\n')}\n`);
    return EXIT.success;
  } catch (error) {
    term.error(describe(error));
    return error instanceof UserError ? EXIT.badInput : EXIT.failed;
  }
}

function finish(
  io: CliIo,
  options: Record<string, unknown>,
  result: { end: string; status?: string; headline?: string },
  outputs: Record<string, string | undefined>,
): void {
  if (options.output !== 'json') return;
  const json = { result: result.end, status: result.status ?? null, error: result.headline ?? null, outputs };
  io.stdout.write(`${JSON.stringify(json)}\n`);
}

/** The release happened (or not) either way: its result, not the summary file, decides the exit code. */
function writeSummaryFile(
  io: CliIo,
  file: string,
  markdown: string,
  term: { sink: { warning(line: string): void } },
): void {
  try {
    writeFileSync(path.resolve(io.cwd, file), markdown);
  } catch (error) {
    term.sink.warning(`Could not write the summary to ${file}: ${errorMessage(error)}`);
  }
}

function describe(error: unknown): string {
  const { headline, details } = describeError(error);
  return [headline, ...details].join('\n');
}

/** The inputs' descriptions and defaults, from the action.yml shipped beside the bundle (one source). */
function actionInputs(): { descriptions: Record<string, string>; defaults: Record<string, string> } {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.join(here, '..', '..', 'action.yml'), path.join(here, '..', 'action.yml')]) {
    try {
      const parsed = parseDocument(readFileSync(candidate, 'utf8')).toJS() as {
        inputs?: Record<string, { description?: string; default?: unknown }>;
      };
      const inputs = Object.entries(parsed.inputs ?? {});
      return {
        descriptions: Object.fromEntries(
          inputs.map(([name, input]) => [name, (input.description ?? '').replace(/\s+/g, ' ').trim()]),
        ),
        defaults: Object.fromEntries(
          inputs
            .filter(([, input]) => input.default !== undefined)
            .map(([name, input]) => [name, String(input.default)]),
        ),
      };
    } catch {
      // not beside this file: try the next place
    }
  }
  return { descriptions: {}, defaults: {} };
}
