/**
 * Time to verdict: how long a release that cannot work holds the pipeline before it fails, ecs-shift
 * (verify before change, fail fast on a crash loop) vs waiting as the official deploy action does
 * (`verify: off`, `max-task-failures: 0`: wait until CodeDeploy gives up). Simulated time, with the
 * action's polling scaled by the same factor, so the figures read as minutes on AWS (without AWS's
 * own latency). CodeDeploy's Install gives up after 60 simulated minutes here (on AWS: about an hour).
 *
 *   npm run bench:verdict   # prints the table and writes its section of bench/RESULTS.md
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeDeployScenario, type Scenario, startSimulator } from '../sim/index.js';
import { mutatingCalls, runAction } from '../sim/run-action.js';

const MS_PER_MINUTE = 600;
/** The action's default 4 s poll, in the same scaled time. */
const POLL_SECONDS = (4 * MS_PER_MINUTE) / 60_000;
const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const DEPLOY = { cluster: 'prod', service: 'web', 'container-name': 'app' };
const WAITING_LIKE_THE_OFFICIAL_ACTION = { verify: 'off', 'max-task-failures': '0' };
const CODEDEPLOY_GIVES_UP = { installFailure: 60, install: 1 };

interface Case {
  name: string;
  scenario: () => Scenario;
  image: string;
}

const CASES: Case[] = [
  {
    name: 'Image tag never pushed (tasks fail with CannotPullContainerError)',
    scenario: () => codeDeployScenario({ timings: CODEDEPLOY_GIVES_UP }),
    image: `${ECR}/web:never-pushed`,
  },
  {
    name: 'New tasks crash on start (essential container exits 1)',
    scenario: () =>
      codeDeployScenario({ timings: CODEDEPLOY_GIVES_UP, faults: [{ kind: 'tasksKeepStopping' }] }),
    image: `${ECR}/web:2`,
  },
];

async function minutesToVerdict(item: Case, inputs: Record<string, string>) {
  const sim = await startSimulator(item.scenario(), { msPerMinute: MS_PER_MINUTE });
  try {
    const run = await runAction(sim, {
      inputs: { ...DEPLOY, image: item.image, ...inputs },
      pollSeconds: POLL_SECONDS,
    });
    return {
      minutes: (run.endedAt - run.startedAt) / MS_PER_MINUTE,
      code: run.code,
      registered: mutatingCalls(sim).includes('RegisterTaskDefinition'),
      stoppedEarly: sim.requests.some((r) => r.operation === 'StopDeployment'),
    };
  } finally {
    await sim.stop();
  }
}

export async function timeToVerdict(): Promise<string[]> {
  const rows: string[] = [];
  for (const item of CASES) {
    const ours = await minutesToVerdict(item, {});
    const waiting = await minutesToVerdict(item, WAITING_LIKE_THE_OFFICIAL_ACTION);
    const how = !ours.registered
      ? 'verify, nothing registered'
      : ours.stoppedEarly
        ? 'crash loop, stopped with rollback'
        : 'the deployment failed';
    rows.push(
      `| ${item.name} | ${ours.minutes.toFixed(1)} min (${how}; exit ${ours.code}) | ${waiting.minutes.toFixed(1)} min (exit ${waiting.code}) | ${(waiting.minutes / Math.max(ours.minutes, 0.01)).toFixed(0)}× |`,
    );
  }
  return [
    '## Time to verdict',
    '',
    `Simulated time (1 minute = ${MS_PER_MINUTE} ms, the action's polling scaled alike), CodeDeploy blue/green AllAtOnce, 2 desired tasks.`,
    'CodeDeploy gives up on Install after 60 simulated minutes (on AWS, about an hour); the waiting column is ecs-shift with',
    '`verify: off` and `max-task-failures: 0`, which waits as the official deploy action does (until CodeDeploy gives up or `wait-for-minutes` passes).',
    '',
    '| Release | ecs-shift | Waiting for the deadline | Sooner |',
    '|---|---|---|---|',
    ...rows,
    '',
    "ecs-shift's figures include the step's process start (about 0.3 s of real time here), which the 100× time scale",
    'inflates to about half a simulated minute; on AWS the check phase itself takes seconds. The crash-loop figure includes',
    'following the rollback to its end.',
    '',
    ...bundleSplit(),
  ];
}

/** What a run loads at start, and what only a check or a log read loads (the look-up clients' chunks). */
export function bundleSplit(): string[] {
  const rows = ['action', 'cli'].map((which) => {
    const dist = path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      '..',
      'dist',
      which === 'cli' ? 'cli' : '',
    );
    const chunks = readdirSync(dist).filter((f) => /^\d+\.index\.js$/.test(f));
    const size = (f: string) => statSync(path.join(dist, f)).size;
    const lazy = chunks.reduce((sum, f) => sum + size(f), 0);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
    return `| ${which === 'cli' ? 'dist/cli/' : 'dist/'} | ${mb(size('index.js'))} | ${mb(lazy)} in ${chunks.length} chunks | ${mb(size('index.js') + lazy)} |`;
  });
  return [
    '## Bundle: loaded at start vs on demand',
    '',
    'The ECR, IAM, SSM, Secrets Manager and CloudWatch Logs clients (verify, app logs) and the proxy agents are chunks',
    '`import()`ed on first use; a run that does not need them never reads them.',
    '',
    '| Bundle | index.js (loaded at start) | Chunks (loaded on demand) | Together |',
    '|---|---|---|---|',
    ...rows,
    '',
  ];
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const section = await timeToVerdict();
  console.log(section.join('\n'));
  const results = path.join(path.dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
  const text = readFileSync(results, 'utf8');
  const start = text.indexOf('## Time to verdict');
  // The section runs to the heading after the bundle table.
  const bundle = start < 0 ? -1 : text.indexOf('## Bundle: loaded at start', start);
  const next = bundle < 0 ? -1 : text.indexOf('\n## ', bundle + 1);
  const updated =
    start < 0
      ? `${text.trimEnd()}\n\n${section.join('\n')}`
      : `${text.slice(0, start)}${section.join('\n')}${next < 0 ? '' : text.slice(next + 1)}`;
  writeFileSync(results, updated.endsWith('\n') ? updated : `${updated}\n`);
  console.log(`wrote ${results}`);
}
