/**
 * One step for three services (web on CodeDeploy, worker rolling, admin ECS blue/green) against three
 * single-service steps one after the other, the way a workflow chains them today: wall time and AWS
 * calls, through the committed bundle against the simulator, time scaled by the same factor for both
 * (one simulated minute = 6 s, the action's 4-s poll scaled alike).
 *
 *   npx tsx bench/several.ts           # prints the table
 *   npx tsx bench/several.ts --write   # and appends it to bench/RESULTS.md
 */
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { releaseScenario, startSimulator, type Simulator } from '../sim/index.js';
import { runAction } from '../sim/run-action.js';

const { values } = parseArgs({ options: { write: { type: 'boolean', default: false } } });
const MS_PER_MINUTE = 6_000;
const POLL_SECONDS = (4 * MS_PER_MINUTE) / 60_000;
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:4f2a9c1';
const SERVICES = ['web', 'worker', 'admin'];

interface Sample {
  wallMs: number;
  calls: number;
  registered: number;
  codes: (number | null)[];
}

async function oneStep(): Promise<Sample> {
  const sim = await startSimulator(releaseScenario(), { msPerMinute: MS_PER_MINUTE });
  try {
    const started = Date.now();
    const run = await runAction(sim, {
      inputs: { cluster: 'prod', service: SERVICES.join('\n'), 'container-name': 'app', image: IMAGE },
      pollSeconds: POLL_SECONDS,
    });
    return sample(sim, Date.now() - started, [run.code]);
  } finally {
    await sim.stop();
  }
}

async function threeSteps(): Promise<Sample> {
  const sim = await startSimulator(releaseScenario(), { msPerMinute: MS_PER_MINUTE });
  try {
    const started = Date.now();
    const codes: (number | null)[] = [];
    for (const service of SERVICES) {
      const run = await runAction(sim, {
        inputs: { cluster: 'prod', service, 'container-name': 'app', image: IMAGE },
        pollSeconds: POLL_SECONDS,
      });
      codes.push(run.code);
    }
    return sample(sim, Date.now() - started, codes);
  } finally {
    await sim.stop();
  }
}

function sample(sim: Simulator, wallMs: number, codes: (number | null)[]): Sample {
  return {
    wallMs,
    calls: sim.requests.length,
    registered: sim.requests.filter((r) => r.operation === 'RegisterTaskDefinition').length,
    codes,
  };
}

const one = await oneStep();
const three = await threeSteps();
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const simulated = (ms: number) => `${((ms / MS_PER_MINUTE) * 60).toFixed(0)} s`;
const table = [
  `## Three services: one step vs three sequential steps (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version})`,
  '',
  `web (CodeDeploy, AllAtOnce), worker (rolling) and admin (ECS blue/green) of \`releaseScenario()\`, all to the same image; time scaled: one simulated minute = ${MS_PER_MINUTE / 1000} s, polls scaled alike. Exit codes: one step ${one.codes.join(', ')}; three steps ${three.codes.join(', ')}.`,
  '',
  '| | wall time (real) | as real AWS time | AWS calls | RegisterTaskDefinition |',
  '|---|---|---|---|---|',
  `| one step, \`service: web, worker, admin\` | ${seconds(one.wallMs)} | ${simulated(one.wallMs)} | ${one.calls} | ${one.registered} |`,
  `| three steps, one after the other | ${seconds(three.wallMs)} | ${simulated(three.wallMs)} | ${three.calls} | ${three.registered} |`,
  '',
].join('\n');
console.log(table);
if (values.write) {
  const results = path.join(path.dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
  appendFileSync(results, `\n${table}`);
}
