/**
 * `npm run screenshots`: each job summary scenario (scenarios.ts) run through the built bundle against
 * the simulator, as the e2e tests and the demo run it; its Markdown rendered the way GitHub shows a job
 * summary (render-html.ts) and photographed by headless Chromium (browser.ts); then checked for what a
 * reader would notice. One line per scenario; exit 1 if any check fails. See README.md beside this file.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSimulator } from '../../sim/index.js';
import { BUNDLE, runAction, type ActionRun } from '../../sim/run-action.js';
import { chromiumPath, installHint, launch, screenshot, type Shot } from './browser.js';
import { renderPage } from './render-html.js';
import { scenarios, type SummaryScenario } from './scenarios.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const USAGE = `Usage: npm run screenshots -- [options]

Runs the job summary scenarios through dist/index.js against the simulator, writes each summary as
Markdown and a full-height PNG of it rendered like GitHub's job summary pane, and checks each page.

Options:
  --out DIR             where to write NAME.md and NAME.png (default: screenshots/ at the repo root)
  --only NAME[,NAME]    only these scenarios
  --keep-html           keep NAME.html (the rendered page; opens in a browser on this machine)
  --ms-per-minute N     real milliseconds per simulated minute (default 300)
  --help                this text

Scenarios:
${scenarios.map((s) => `  ${s.name.padEnd(20)}  ${s.story}`).join('\n')}

Needs Chromium: /usr/bin/chromium (apt-get install -y chromium) or $CHROMIUM_PATH.`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      out: { type: 'string' },
      only: { type: 'string' },
      'keep-html': { type: 'boolean', default: false },
      'ms-per-minute': { type: 'string', default: '300' },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const msPerMinute = Number(values['ms-per-minute']);
if (!(msPerMinute > 0)) {
  console.error(`--ms-per-minute must be a positive number, not "${values['ms-per-minute']}".`);
  process.exit(2);
}
const wanted = values.only
  ?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = wanted?.filter((name) => !scenarios.some((s) => s.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(`Unknown scenario ${unknown.join(', ')}: use ${scenarios.map((s) => s.name).join(', ')}.`);
  process.exit(2);
}
const selected = wanted ? scenarios.filter((s) => wanted.includes(s.name)) : scenarios;

if (!existsSync(BUNDLE)) {
  console.error(`${BUNDLE} is missing: run "npm run bundle" first.`);
  process.exit(1);
}
// Before any scenario runs: without a browser there is nothing to show for them.
const chromium = chromiumPath();
if (!existsSync(chromium)) {
  console.error(installHint(chromium));
  process.exit(1);
}

const out = path.resolve(values.out ?? path.join(repoRoot, 'screenshots'));
mkdirSync(out, { recursive: true });

/** One simulator per scenario, as each e2e test has its own; scaled time, polling scaled with it. */
async function runScenario(scenario: SummaryScenario): Promise<ActionRun> {
  const sim = await startSimulator(scenario.scenario(), { msPerMinute });
  try {
    return await runAction(sim, {
      inputs: scenario.inputs,
      files: scenario.files,
      // The action's real 5 s would be many simulated minutes between polls, and miss the steps.
      pollSeconds: msPerMinute / 1000,
    });
  } finally {
    await sim.stop();
  }
}

interface Verdict {
  ok: boolean;
  line: string;
  details: string[];
}

function judge(scenario: SummaryScenario, run: ActionRun, shot: Shot): Verdict {
  const { checks } = shot;
  const parts: string[] = [];
  const details: string[] = [];
  let ok = true;

  // The scenario must end as designed, or the screenshot shows some other story.
  if (run.code === scenario.expectedCode) parts.push(`exit ${run.code}`);
  else {
    ok = false;
    parts.push(`exit ${run.code}, expected ${scenario.expectedCode}`);
    details.push(...run.log.trim().split('\n').slice(-5));
  }
  if (run.summary.trim() === '') {
    ok = false;
    parts.push('no summary written');
  }

  // (a) Sideways scrolling: the page, or any element of the summary (a <pre>, a table).
  const pageScrolls = checks.scrollWidth > checks.viewportWidth;
  if (!pageScrolls && checks.wide.length === 0) parts.push(`fits ${checks.viewportWidth}px`);
  else {
    ok = false;
    parts.push(
      pageScrolls
        ? `page scrolls sideways (${checks.scrollWidth}px > ${checks.viewportWidth}px)`
        : `${checks.wide.length} element(s) scroll sideways or overflow the ${checks.contentWidth}px column`,
    );
    details.push(...checks.wide);
  }

  // (b) and (c): every mermaid block drawn, and how many there are.
  const blocks = checks.mermaid;
  const broken = blocks.filter((b) => !b.rendered);
  if (blocks.length === 0) parts.push('mermaid: none');
  else {
    const kinds = blocks.map((b) => b.kind).join(', ');
    parts.push(
      `mermaid: ${blocks.length} (${kinds})${broken.length ? `, ${broken.length} not drawn` : ' drawn'}`,
    );
  }
  if (broken.length > 0) ok = false;
  blocks.forEach((b, i) => {
    if (!b.rendered) details.push(`mermaid block ${i + 1} (${b.kind}): ${b.error.split('\n')[0]}`);
    // Not a failure, but a reader notices text shrunk to fit: worth a line.
    else if (b.scale < 0.8)
      details.push(`note: mermaid block ${i + 1} (${b.kind}) shrunk to ${Math.round(b.scale * 100)}%`);
  });

  if (shot.pageErrors.length > 0) {
    ok = false;
    parts.push('page script errors');
    details.push(...shot.pageErrors);
  }
  return { ok, line: `${ok ? '✓' : '✗'} ${scenario.name.padEnd(20)} ${parts.join(' · ')}`, details };
}

const startedAt = Date.now();
console.log(
  `Running ${selected.length} scenario(s) through ${path.relative(repoRoot, BUNDLE)} (1 simulated minute = ${msPerMinute} ms)…`,
);
const runs: { scenario: SummaryScenario; run: ActionRun }[] = [];
for (const scenario of selected) {
  // Progress on a terminal only: the report below is the output.
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K  running ${scenario.name}…`);
  runs.push({ scenario, run: await runScenario(scenario) });
}
if (process.stderr.isTTY) process.stderr.write('\r\x1b[K  rendering and screenshotting…');

const browser = await launch(chromium);
const verdicts: Verdict[] = [];
try {
  for (const { scenario, run } of runs) {
    const base = path.join(out, scenario.name);
    // A file left by an earlier run (an expanded view the summary no longer needs) would mislead.
    for (const old of ['.md', '.png', '.expanded.png', '.html']) rmSync(base + old, { force: true });
    writeFileSync(`${base}.md`, run.summary);
    const htmlPath = `${base}.html`;
    writeFileSync(htmlPath, await renderPage(run.summary, { title: scenario.name, htmlPath }));
    const shot = await screenshot(browser, htmlPath, `${base}.png`);
    if (!values['keep-html']) rmSync(htmlPath);
    const verdict = judge(scenario, run, shot);
    if (shot.expandedPng)
      verdict.details.push(`note: also ${path.basename(shot.expandedPng)}, with every <details> open`);
    verdicts.push(verdict);
  }
} finally {
  await browser.close();
}

if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
console.log();
for (const verdict of verdicts) {
  console.log(verdict.line);
  for (const detail of verdict.details) console.log(`    ${detail}`);
}
const failed = verdicts.filter((v) => !v.ok).length;
const shown = path.relative(process.cwd(), out);
const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);
console.log(
  `\n${verdicts.length - failed} of ${verdicts.length} passed; Markdown and PNGs in ${shown.startsWith('..') ? out : shown || '.'}/ (${seconds} s)`,
);
process.exit(failed > 0 ? 1 : 0);
