/** What every end-to-end test file needs: a simulator per test (stopped after it) and readers of its record. */
import { afterEach } from '@jest/globals';
import { startSimulator, type Scenario, type Simulator } from '../../sim/index.js';

let current: Simulator | undefined;

afterEach(async () => {
  await current?.stop();
  current = undefined;
});

/** Starts the simulator for this test; it is stopped after the test. */
export async function simulate(scenario: Scenario, msPerMinute = 100): Promise<Simulator> {
  current = await startSimulator(scenario, { msPerMinute });
  return current;
}

export function requestsOf(sim: Simulator, operation: string) {
  return sim.requests.filter((r) => r.operation === operation);
}

/** Resolves once the simulator has answered `operation` successfully (to act mid-deployment). */
export async function until(sim: Simulator, operation: string): Promise<void> {
  while (!sim.requests.some((r) => r.operation === operation && r.status === 200)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
