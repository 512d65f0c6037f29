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

/**
 * Resolves once the simulator has answered `operation` successfully `times` times (to act
 * mid-deployment); rejects after 20 s so a test that waits for a call that never comes fails instead
 * of hanging the run.
 */
export async function until(sim: Simulator, operation: string, times = 1): Promise<void> {
  const giveUpAt = Date.now() + 20_000;
  while (sim.requests.filter((r) => r.operation === operation && r.status === 200).length < times) {
    if (Date.now() > giveUpAt) throw new Error(`the action never called ${operation} (${times}×)`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The text of the step's first annotation of a kind (`::error::…`, `::notice::…`, its newlines
 * escaped as the runner's workflow commands escape them): for the step's end, the release headline
 * first, then (for an error) why it failed.
 */
export function annotation(log: string, kind: 'error' | 'notice'): string {
  const prefix = `::${kind}::`;
  const line = log.split('\n').find((l) => l.startsWith(prefix)) ?? '';
  return line.slice(prefix.length).replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

export const errorAnnotation = (log: string): string => annotation(log, 'error');
