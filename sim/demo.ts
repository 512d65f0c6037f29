/**
 * `npm run demo`: a whole release on this machine, no AWS account. Plays one story of
 * sim/demo-scenarios.ts (a success path or a failure on purpose): starts the simulator with it, runs the
 * committed bundle exactly as the GitHub runner would (INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY),
 * streams its log, says what the action did, and keeps the rendered task definition, the job summary
 * (Markdown and HTML), the step log and the outputs in a folder it names at the end.
 *
 * Exit code: 0 when the story played out as designed (a failure story's step failing included), 1 when
 * it did not, 2 for a bad argument (nothing started). `npm run demo -- --help` lists everything.
 */
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSimulator } from './index.js';
import { BUNDLE, mutatingCalls, runAction } from './run-action.js';
import { BAD_ARGUMENTS, parseDemoArgs } from './demo-args.js';
import {
  childColourEnv,
  defaultOutFolder,
  heading,
  lineSplitter,
  painter,
  prepareOutFolder,
  runnerView,
  wantsColour,
} from './demo-output.js';
import { problemsWith, storyNamed } from './demo-scenarios.js';

const parsed = parseDemoArgs(process.argv.slice(2));
if (parsed.kind === 'exit') {
  process.stdout.write(parsed.stdout);
  process.stderr.write(parsed.stderr);
  process.exit(parsed.code);
}
const options = parsed.options;
const story = storyNamed(options.scenario)!;

if (!existsSync(BUNDLE)) {
  console.error(`demo: ${BUNDLE} is missing; run "npm run bundle" first.`);
  process.exit(1);
}
const out = path.resolve(options.out ?? defaultOutFolder(story.name, new Date()));
const unusable = prepareOutFolder(out);
if (unusable) {
  console.error(
    `demo: option '--out <dir>' cannot be used: ${out}: ${unusable}; expected a folder this user can write to. Run "npm run demo -- --help" for the options.`,
  );
  process.exit(BAD_ARGUMENTS);
}

const colour = wantsColour(process.env, process.stdout.isTTY === true);
const paint = painter(colour);
const print = (text = ''): void => void process.stdout.write(`${text}\n`);
const setup = story.setup({ msPerMinute: options.msPerMinute, config: options.config });
const sim = await startSimulator(setup.scenario, { msPerMinute: options.msPerMinute });
// Piped into `head` and the reader has seen enough: stop quietly, as a Unix tool does.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  void sim.stop().finally(() => process.exit(0));
});

print(
  heading(
    paint,
    `scenario ${story.name} (${story.kind === 'success' ? 'a success path' : 'a failure story'})`,
  ),
);
print(story.summary);
for (const line of story.before) print(paint('yellow', line));
print();
print(`Simulated AWS on ${sim.url}, 1 simulated minute = ${options.msPerMinute} ms.`);
print(setup.world.replace(/^c/, 'C'));
print('The step:');
for (const [name, value] of Object.entries(setup.inputs)) {
  print(`  ${name}: ${value.includes('\n') ? `|\n${value.replace(/^/gm, '    ')}` : value}`);
}
for (const [name, content] of Object.entries(setup.files)) {
  const hooks = [...content.matchAll(/^ {2}- (\w+): /gm)].map((match) => match[1]);
  print(`  (${name} in the workspace${hooks.length ? `, hooks: ${hooks.join(', ')}` : ''})`);
}
print(heading(paint, `step log (node dist/index.js, as the runner runs it${options.raw ? ', raw' : ''})`));

// Ctrl-C reaches the step too (same process group): let its on-cancel rollback play out, then stop.
let interrupted = false;
const onInterrupt = () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  print(paint('yellow', '(Ctrl-C: the step is cancelling its deployment; Ctrl-C again to quit now)'));
};
process.on('SIGINT', onInterrupt);

const lines = lineSplitter();
const show = (line: string) => {
  for (const shown of options.raw ? [line] : runnerView(line, paint)) print(shown);
};
const run = await runAction(sim, {
  inputs: setup.inputs,
  files: setup.files,
  // The rendered task definition stays where the log says it was written.
  runnerTemp: out,
  env: {
    ...childColourEnv(colour),
    // The runner runs the action on Node 24; older Node would print the SDK's upgrade notice.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  },
  // Scaled time: the real default (5 s) would be several simulated minutes between polls.
  pollSeconds: options.msPerMinute / 1000,
  onOutput: (chunk) => lines.push(chunk).forEach(show),
});
lines.end().forEach(show);
const services = Object.keys(story.expect.runs ?? {});
const outcome = {
  exitCode: run.code,
  outputs: run.outputs,
  log: run.log,
  mutatingCalls: mutatingCalls(sim),
  runs: Object.fromEntries(
    services.map((name) => [name, sim.serviceTaskDefinition('prod', name).split('/').pop() ?? '']),
  ),
};
const requests = sim.requests.length;
await sim.stop();
process.off('SIGINT', onInterrupt);

// The files the run leaves: the rendered task definition is already here (RUNNER_TEMP).
writeFileSync(path.join(out, 'summary.md'), run.summary);
writeFileSync(path.join(out, 'step.log'), run.log);
writeFileSync(path.join(out, 'outputs.json'), `${JSON.stringify(run.outputs, null, 2)}\n`);
const htmlPath = path.join(out, 'summary.html');
const { MERMAID_SCRIPT, renderPage } = await import('../scripts/screenshots/render-html.js');
// The chart's script beside the page: the folder still opens once the checkout is gone.
copyFileSync(MERMAID_SCRIPT, path.join(out, 'mermaid.min.js'));
writeFileSync(
  htmlPath,
  await renderPage(run.summary, {
    title: `ecs-shift demo: ${story.name}`,
    htmlPath,
    mermaidSrc: 'mermaid.min.js',
  }),
);

print(heading(paint, `outputs (exit code ${run.code ?? run.signal})`));
for (const [name, value] of Object.entries(run.outputs)) print(`  ${name} = ${value}`);
if (!Object.keys(run.outputs).length) print('  (none: the step stopped before it had any)');

print(heading(paint, 'what the action did'));
const problems = problemsWith(story.expect, outcome);
const changes = outcome.mutatingCalls.length ? outcome.mutatingCalls.join(', ') : 'none';
if (interrupted) {
  print(paint('yellow', 'Cancelled with Ctrl-C: the step ran its on-cancel policy (see the log above).'));
} else if (problems.length === 0) {
  for (const line of story.after) print(line);
}
print(`Changes sent to AWS: ${changes} (${requests} requests in all).`);
print(
  problems.length === 0 && !interrupted
    ? paint(
        'green',
        `✓ Played out as designed: the step exited ${run.code}${story.kind === 'failure' ? ', as this story means it to' : ''}.`,
      )
    : paint(
        'red',
        interrupted
          ? '✗ Not played to its end: cancelled with Ctrl-C.'
          : `✗ Not as designed: ${problems.join('; ')}.`,
      ),
);

// The file the step's log and its task-definition output name (an earlier run's may share --out).
const renderedPath = run.outputs['task-definition'];
const rendered = renderedPath && existsSync(renderedPath) ? path.relative(out, renderedPath) : undefined;
print(heading(paint, 'kept'));
print(`Files of this run, in ${out}:`);
const describe: Record<string, string> = {
  'summary.md': 'the job summary (GITHUB_STEP_SUMMARY, Markdown)',
  'summary.html': 'the same, rendered as GitHub shows it (open it in a browser)',
  'mermaid.min.js': "the page's chart script, kept beside it",
  'step.log': "the step's log as the runner received it",
  'outputs.json': "the step's outputs",
};
if (rendered) print(`  ${rendered.padEnd(28)} the rendered task definition (output task-definition)`);
else print(`  ${'(no task definition)'.padEnd(28)} the step stopped before rendering one`);
for (const name of Object.keys(describe)) print(`  ${name.padEnd(28)} ${describe[name]}`);
print(`Took ${((run.endedAt - run.startedAt) / 1000).toFixed(1)} s. Other stories: npm run demo -- --help`);
process.exit(interrupted ? 130 : problems.length ? 1 : 0);
