/**
 * Runs the simulator from the command line until SIGINT, for demos and manual runs:
 *   npx tsx sim/main.ts [--scenario codedeploy|rolling|ecs-bluegreen|release|<file.json>] [--ms-per-minute N] [--port N]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type Scenario, scenarioBuilders, startSimulator } from './index.js';

const USAGE = `Usage: npx tsx sim/main.ts [--scenario NAME|FILE.json] [--ms-per-minute N] [--port N]

Runs the local AWS simulator until Ctrl-C and prints the environment that points the AWS SDK, the AWS
CLI or ecs-shift at it.
  --scenario       ${Object.keys(scenarioBuilders).join(', ')}, or a scenario JSON file (default codedeploy)
  --ms-per-minute  real milliseconds per simulated minute, more than 0 (default 100)
  --port           the port to listen on, 0 for any free one (default 0)`;

/** A bad argument: one line saying what was expected, then exit 2, as the demo does. */
function refuse(problem: string): never {
  console.error(`sim: ${problem}. Run "npx tsx sim/main.ts --help" for the options.`);
  process.exit(2);
}

let values: { scenario?: string; 'ms-per-minute'?: string; port?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'codedeploy' },
      'ms-per-minute': { type: 'string', default: '100' },
      port: { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  refuse((error as Error).message.replace(/\.$/, ''));
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function loadScenario(name: string): Scenario {
  const build = scenarioBuilders[name];
  if (build) return build();
  if (name.endsWith('.json')) {
    try {
      return JSON.parse(readFileSync(name, 'utf8')) as Scenario;
    } catch (error) {
      refuse(`--scenario ${name} could not be read as JSON: ${(error as Error).message}`);
    }
  }
  refuse(
    `unknown --scenario "${name}": use one of ${Object.keys(scenarioBuilders).join(', ')} or a .json file`,
  );
}

const msPerMinute = Number(values['ms-per-minute']);
if (!Number.isFinite(msPerMinute) || msPerMinute <= 0) {
  refuse(
    `--ms-per-minute "${values['ms-per-minute']}": expected a number of milliseconds greater than 0, such as 100`,
  );
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  refuse(`--port "${values.port}": expected a port number from 0 (any free port) to 65535`);
}
const simulator = await startSimulator(loadScenario(values.scenario!), { msPerMinute, port });
console.log(
  `AWS simulator (ECS, CodeDeploy, ECR, IAM, SSM, Secrets Manager, Logs, EventBridge, Scheduler; ${values.scenario}) listening on ${simulator.url}`,
);
console.log(`one simulated minute = ${msPerMinute} ms. Point the AWS SDK or CLI here with:\n`);
for (const [name, value] of Object.entries(simulator.env())) {
  console.log(value === '' ? `unset ${name}` : `export ${name}=${value}`);
}
console.log('\nCtrl-C to stop.');

const shutdown = (): void => {
  void simulator.stop().then(() => {
    console.log(
      `\nstopped after ${simulator.requests.length} requests and ${simulator.changes.length} changes.`,
    );
    process.exit(0);
  });
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
