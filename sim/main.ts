/**
 * Runs the simulator from the command line until SIGINT, for demos and manual runs:
 *   npx tsx sim/main.ts [--scenario codedeploy|rolling|ecs-bluegreen|release|<file.json>] [--ms-per-minute N] [--port N]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type Scenario, scenarioBuilders, startSimulator } from './index.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'codedeploy' },
    'ms-per-minute': { type: 'string', default: '100' },
    port: { type: 'string', default: '0' },
  },
});

function loadScenario(name: string): Scenario {
  const build = scenarioBuilders[name];
  if (build) return build();
  if (name.endsWith('.json')) return JSON.parse(readFileSync(name, 'utf8')) as Scenario;
  throw new Error(
    `Unknown scenario "${name}": use one of ${Object.keys(scenarioBuilders).join(', ')} or a .json file.`,
  );
}

const msPerMinute = Number(values['ms-per-minute']);
const simulator = await startSimulator(loadScenario(values.scenario!), {
  msPerMinute,
  port: Number(values.port),
});
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
