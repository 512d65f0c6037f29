/**
 * Benchmarks of the committed bundle against the simulator (issue 3's targets), written to
 * bench/RESULTS.md with the machine and date:
 *   - bundle size of dist/, and what of it loads at start vs on demand (bench/verdict.ts)
 *   - time to verdict: a never-pushed tag and a crash loop, vs waiting for the deadline (bench/verdict.ts)
 *   - cold start: process start → first AWS request, and peak memory
 *   - AWS calls per minute while waiting, and the delay from the wait target ("shifted": the
 *     AfterAllowTraffic hook succeeded) to the end of the step, per deployment config, in real
 *     time (one simulated minute = 60 s) with the action's default polling.
 *
 *   npm run bench            # the full run (~13 minutes: the deployments take real minutes)
 *   npm run bench -- --quick # scaled time, a few seconds; prints, does not write RESULTS.md
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  codeDeployScenario,
  ecsBlueGreenScenario,
  rollingScenario,
  startSimulator,
  type Scenario,
  type Simulator,
} from '../sim/index.js';
import { BUNDLE, runAction, type ActionRun } from '../sim/run-action.js';
import { bundleSplit, timeToVerdict } from './verdict.js';
import { type ChildProcess, spawn } from 'node:child_process';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, reps: { type: 'string', default: '2' } },
});
const quick = values.quick;
const here = path.dirname(fileURLToPath(import.meta.url));
const DEPLOY = { cluster: 'prod', service: 'web', 'container-name': 'app', image: 'repo/web:2' };
const CONFIGS = [
  'CodeDeployDefault.ECSAllAtOnce',
  'CodeDeployDefault.ECSCanary10Percent5Minutes',
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
];
// Real time for the results; --quick scales time and the poll interval by the same factor.
const MS_PER_MINUTE = quick ? 1_000 : 60_000;
const POLL_SECONDS = quick ? (4 * MS_PER_MINUTE) / 60_000 : null;

const TARGETS = { coldStartMs: 300, distBytes: 1.5 * 1024 * 1024, callsPerMinute: 12, delayMs: 5_000 };

interface WatchSample {
  config: string;
  code: number | null;
  callsWhileWaiting: number;
  waitingMinutes: number;
  callsPerMinute: number;
  delayMs: number;
}

/** Peak resident memory of a running child, read from /proc until it exits (Linux only). */
function trackPeakRss(child: ChildProcess, sink: { peakKb: number }): void {
  const read = (): void => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      sink.peakKb = Math.max(sink.peakKb, kb);
    } catch {
      // Gone already: keep the last reading.
    }
  };
  const timer = setInterval(read, 20);
  child.once('exit', () => clearInterval(timer));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The files of one bundle: dist/ without dist/cli/ (the action), or dist/cli/ (the CLI). */
function distSize(which: 'action' | 'cli'): { indexBytes: number; totalBytes: number; files: string[] } {
  const dist = which === 'action' ? path.dirname(BUNDLE) : path.join(path.dirname(BUNDLE), 'cli');
  const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter(
    (f) => statSync(path.join(dist, f)).isFile() && !(which === 'action' && f.startsWith(`cli${path.sep}`)),
  );
  const totalBytes = files.reduce((sum, f) => sum + statSync(path.join(dist, f)).size, 0);
  return { indexBytes: statSync(path.join(dist, 'index.js')).size, totalBytes, files };
}

async function coldStarts(count: number): Promise<{ startMs: number[]; peakRssMb: number[] }> {
  const startMs: number[] = [];
  const peakRssMb: number[] = [];
  for (let i = 0; i < count; i++) {
    const sim = await startSimulator(codeDeployScenario(), { msPerMinute: 100 });
    const memory = { peakKb: 0 };
    const run = await runAction(sim, {
      inputs: DEPLOY,
      pollSeconds: 0.1,
      onStart: (child) => trackPeakRss(child, memory),
    });
    if (run.code !== 0) throw new Error(`cold start run ${i} failed:\n${run.log}`);
    startMs.push(sim.requests[0].at - run.startedAt);
    peakRssMb.push(memory.peakKb / 1024);
    await sim.stop();
  }
  return { startMs, peakRssMb };
}

/** The same release from the CLI bundle, as a user's shell starts it: process start → first AWS request. */
async function cliColdStarts(count: number): Promise<number[]> {
  const startMs: number[] = [];
  const cli = path.join(path.dirname(BUNDLE), 'cli', 'index.js');
  const args = Object.entries(DEPLOY).flatMap(([name, value]) => [`--${name}`, value]);
  for (let i = 0; i < count; i++) {
    const sim = await startSimulator(codeDeployScenario(), { msPerMinute: 100 });
    const startedAt = Date.now();
    const child = spawn(process.execPath, [cli, 'deploy', ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        ...sim.env(),
        ECS_SHIFT_POLL_SECONDS: '0.1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`CLI cold start run ${i} failed (exit ${code}):\n${stderr}`);
    startMs.push(sim.requests[0].at - startedAt);
    await sim.stop();
  }
  return startMs;
}

interface Path {
  label: string;
  scenario: () => Scenario;
  /** The request that starts the deployment. */
  start: string;
  /** When the simulator reached the wait target ("shifted"). */
  targetAt: (sim: Simulator, run: ActionRun) => number | undefined;
}

// A random start delay (6–18 s) so the samples fall at different phases of the poll cycle.
const startDelay = () => ({ start: 0.1 + Math.random() * 0.2 });

function codeDeployPath(config: string): Path {
  return {
    label: config,
    scenario: () =>
      codeDeployScenario({
        deploymentConfigName: config,
        terminationWaitTimeInMinutes: 60,
        timings: startDelay(),
      }),
    start: 'CreateDeployment',
    targetAt: (sim, run) =>
      sim.changes.find(
        (c) =>
          c.resource === run.outputs['codedeploy-deployment-id'] &&
          c.what === 'lifecycle AfterAllowTraffic Succeeded',
      )?.at,
  };
}

const ECS_PATHS: Path[] = [
  {
    label: 'ECS rolling update',
    scenario: () => rollingScenario(),
    start: 'UpdateService',
    targetAt: (sim, run) =>
      sim.changes.find(
        (c) => c.resource === run.outputs['service-deployment-arn'] && c.what === 'status SUCCESSFUL',
      )?.at,
  },
  {
    label: 'ECS-native blue/green',
    scenario: () =>
      ecsBlueGreenScenario({
        deploymentConfiguration: {
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: 60,
          maximumPercent: 200,
          minimumHealthyPercent: 100,
        },
      }),
    start: 'UpdateService',
    targetAt: (sim, run) =>
      sim.changes.find(
        (c) => c.resource === run.outputs['service-deployment-arn'] && c.what === 'stage BAKE_TIME',
      )?.at,
  },
];

async function watchSample(path: Path): Promise<WatchSample> {
  const sim = await startSimulator(path.scenario(), { msPerMinute: MS_PER_MINUTE });
  const run: ActionRun = await runAction(sim, { inputs: DEPLOY, pollSeconds: POLL_SECONDS });
  await sim.stop();
  const started = sim.requests.find((r) => r.operation === path.start && r.status === 200);
  const reachedAt = path.targetAt(sim, run);
  if (run.code !== 0 || !started || reachedAt === undefined)
    throw new Error(`${path.label} did not reach its target:\n${run.log}`);
  const callsWhileWaiting = sim.requests.filter((r) => r.at > started.at).length;
  const waitingMinutes = (run.endedAt - started.at) / MS_PER_MINUTE;
  return {
    config: path.label,
    code: run.code,
    callsWhileWaiting,
    waitingMinutes,
    callsPerMinute: callsWhileWaiting / waitingMinutes,
    delayMs: ((run.endedAt - reachedAt) * 60_000) / MS_PER_MINUTE,
  };
}

function verdict(value: number, target: number, unit: string, digits = 0): string {
  if (value <= target) return `✅ met (target ≤ ${target.toFixed(digits)}${unit})`;
  const over = value - target;
  return `❌ missed by ${over.toFixed(digits)}${unit} (${((over / target) * 100).toFixed(0)}% over ≤ ${target.toFixed(digits)}${unit})`;
}

const fmt = (n: number, digits = 0): string => n.toFixed(digits);

const started = new Date();
console.log(`bench: ${quick ? 'quick (scaled time)' : 'full (real time)'}; bundle ${BUNDLE}`);
const size = distSize('action');
const cliSize = distSize('cli');
console.log(
  `dist/ (action): ${size.files.length} files, ${fmt(size.totalBytes / 1024)} kB (index.js ${fmt(size.indexBytes / 1024)} kB); dist/cli/: ${fmt(cliSize.totalBytes / 1024)} kB`,
);

// What loads at start and what only a check or a log read loads (the look-up clients' chunks).
const split = bundleSplit();
console.log(split.filter((line) => line.startsWith('| dist')).join('\n'));
const cold = await coldStarts(quick ? 5 : 20);
const coldSorted = [...cold.startMs].sort((a, b) => a - b);
const rssSorted = [...cold.peakRssMb].sort((a, b) => a - b);
console.log(
  `cold start: median ${fmt(percentile(coldSorted, 50))} ms, p90 ${fmt(percentile(coldSorted, 90))} ms`,
);
const cliCold = (await cliColdStarts(quick ? 5 : 20)).sort((a, b) => a - b);
console.log(
  `CLI cold start: median ${fmt(percentile(cliCold, 50))} ms, p90 ${fmt(percentile(cliCold, 90))} ms`,
);

const reps = Number(values.reps);
const paths = [...CONFIGS.map(codeDeployPath), ...ECS_PATHS];
const samples = await Promise.all(paths.flatMap((p) => Array.from({ length: reps }, () => watchSample(p))));
for (const s of samples) {
  console.log(
    `${s.config}: ${s.callsWhileWaiting} calls in ${fmt(s.waitingMinutes, 2)} min = ${fmt(s.callsPerMinute, 1)}/min; ended ${fmt(s.delayMs)} ms after the target`,
  );
}

if (quick) process.exit(0);
const verdicts = await timeToVerdict();

// Issue 3's watch targets are stated for CodeDeploy deployment configs; the ECS paths are reported beside them.
const groups = [
  { name: 'CodeDeploy configs', samples: samples.filter((s) => s.config.startsWith('CodeDeployDefault.')) },
  {
    name: 'ECS rolling and ECS-native paths',
    samples: samples.filter((s) => !s.config.startsWith('CodeDeployDefault.')),
  },
];
const watchRows = groups.flatMap(({ name, samples: group }) => {
  const worstCalls = Math.max(...group.map((s) => s.callsPerMinute));
  const worstDelay = Math.max(...group.map((s) => s.delayMs));
  return [
    `| AWS calls per minute while waiting, ${name} (worst of ${group.length} runs) | ${fmt(worstCalls, 1)} | ${verdict(worstCalls, TARGETS.callsPerMinute, '', 1)} |`,
    `| Wait target → step ended, ${name} (worst of ${group.length} runs) | ${fmt(worstDelay / 1000, 2)} s | ${verdict(worstDelay / 1000, TARGETS.delayMs / 1000, ' s', 2)} |`,
  ];
});
const mb = (bytes: number): string => `${fmt(bytes / 1024 / 1024, 2)} MB`;
const lines = [
  '# Benchmark results',
  '',
  `Measured by \`npm run bench\` (bench/run.ts) on ${started.toISOString().slice(0, 10)}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${fmt(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}.`,
  'The committed bundle `dist/index.js` runs as a child process, as the runner runs it, against the local simulator (sim/) on 127.0.0.1,',
  'so AWS latency is not included: on a runner each AWS call adds its round trip (typically 20–100 ms) to the figures below.',
  '',
  '## Summary',
  '',
  '| What | Measured | Target |',
  '|---|---|---|',
  `| Cold start: process start → first AWS request (median of ${cold.startMs.length}) | ${fmt(percentile(coldSorted, 50))} ms (p90 ${fmt(percentile(coldSorted, 90))} ms) | ${verdict(percentile(coldSorted, 50), TARGETS.coldStartMs, ' ms')} |`,
  `| Cold start of the CLI: \`ecs-shift deploy\` start → first AWS request (median of ${cliCold.length}) | ${fmt(percentile(cliCold, 50))} ms (p90 ${fmt(percentile(cliCold, 90))} ms) | ${verdict(percentile(cliCold, 50), TARGETS.coldStartMs, ' ms')} |`,
  `| \`dist/\` size of the action (${size.files.length} files, dist/cli/ aside) | ${mb(size.totalBytes)} (index.js ${mb(size.indexBytes)}) | ${verdict(size.totalBytes / 1024 / 1024, 1.5, ' MB', 2)} |`,
  `| \`dist/cli/\` size of the CLI (${cliSize.files.length} files) | ${mb(cliSize.totalBytes)} (index.js ${mb(cliSize.indexBytes)}) | no target (installed, not checked out per run) |`,
  ...watchRows,
  `| Peak memory (RSS) of a whole AllAtOnce run (median) | ${fmt(percentile(rssSorted, 50))} MB | no target |`,
  '',
  '## Following a deployment, per deployment config and path',
  '',
  'Real time (one simulated minute = 60 s), default polling (src/codedeploy/pace.ts), `wait-until: shifted`,',
  'termination wait / bake time 60 minutes (not waited out). "Waiting" runs from the CreateDeployment (UpdateService) answer to the end of the step.',
  '',
  '| Deployment config / path | Waiting | AWS calls | Calls/min | Target → step ended |',
  '|---|---|---|---|---|',
  ...samples.map(
    (s) =>
      `| ${s.config} | ${fmt(s.waitingMinutes, 2)} min | ${s.callsWhileWaiting} | ${fmt(s.callsPerMinute, 1)} | ${fmt(s.delayMs / 1000, 2)} s |`,
  ),
  '',
  `## Cold starts (ms, ${cold.startMs.length} runs)`,
  '',
  cold.startMs.map((ms) => fmt(ms)).join(', '),
  '',
];
const notes = path.join(here, 'NOTES.md');
const extra = (() => {
  try {
    return readFileSync(notes, 'utf8');
  } catch {
    return '';
  }
})();
writeFileSync(
  path.join(here, 'RESULTS.md'),
  [...lines, ...verdicts].join('\n') + (extra ? `\n${extra}` : ''),
);
console.log(`wrote ${path.join(here, 'RESULTS.md')}`);
