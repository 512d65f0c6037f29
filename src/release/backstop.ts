/**
 * The post step's job: the main step was killed (or could not stop its deployment), so stop what it
 * left in flight, with rollback, unless on-cancel says to leave it. A deployment whose start was
 * requested but never answered is found first (by its request token, or by the revision and time of
 * the UpdateService). Pure of @actions/core: action/post.ts wires the host.
 */
import { errorMessage } from '../text/errors.js';
import { capitalize } from '../text/format.js';
import type { InFlightDeployment, SingleInFlight } from './runtime.js';
import { leftoverFor } from './strategies.js';
import { stopFailed } from './stop.js';
import { type BackstopHost, UNLISTED } from './strategy.js';

export type { BackstopHost } from './strategy.js';

export async function stopWhatWasLeft(host: BackstopHost, inFlight: InFlightDeployment): Promise<void> {
  // Several services: each deployment is found and stopped on its own, all at once (the runner
  // gives the post step little time).
  if (inFlight.kind === 'several') {
    await Promise.all(inFlight.deployments.map((one) => stopOne(host, one)));
    return;
  }
  await stopOne(host, inFlight);
}

async function stopOne(host: BackstopHost, inFlight: SingleInFlight): Promise<void> {
  const leftover = leftoverFor(inFlight);
  let found: string | typeof UNLISTED | undefined;
  try {
    found = await leftover.find(host, inFlight);
  } catch (error) {
    host.error(
      `The post step could not look for the deployment the main step requested (${errorMessage(error)}); it may be running. ${lookByHand(inFlight)}`,
    );
    return;
  }
  if (found === UNLISTED) {
    host.error(
      `The main step's UpdateService took effect, but ECS listed no service deployment for it, so the post step could not stop it; it may be running. ${lookByHand(inFlight)}`,
    );
    return;
  }
  if (!found) {
    host.info(
      `The main step was stopped while its ${leftover.startCall} request was unanswered; ${leftover.nothingStarted(inFlight)}: nothing to stop.`,
    );
    return;
  }
  const { name, stopByHand, followByHand } = leftover.describe(host.region, found);
  if (inFlight.onCancel === 'leave') {
    host.info(`${capitalize(name)} was left running (on-cancel: leave). Follow it: ${followByHand}`);
    return;
  }
  let now: { status?: string; active: boolean };
  try {
    now = await leftover.status(host, found);
  } catch (error) {
    host.error(
      `The post step could not read ${name} (${errorMessage(error)}); it may still be running. Stop it: ${stopByHand}`,
    );
    return;
  }
  const { status } = now;
  if (!now.active) {
    host.info(`${capitalize(name)} has already ended (${status}); nothing to stop.`);
    return;
  }
  let stopped: { message?: string } | undefined;
  try {
    stopped = await leftover.stop(host, found);
  } catch (error) {
    const failed = stopFailed(name, error, stopByHand);
    host.error(
      [failed.line, ...failed.details, 'The post step was the last attempt: stop it by hand.'].join('\n'),
    );
    return;
  }
  if (!stopped) {
    host.info(`${capitalize(name)} ended before the post step could stop it; nothing to stop.`);
    return;
  }
  host.warning(
    `The main step did not finish, so the post step stopped ${name} (${status}) with rollback` +
      `${stopped.message ? `: ${stopped.message}` : ''}. ${followByHand}`,
  );
}

/** How to find and stop what `inFlight` names, by hand. */
export function lookByHand(inFlight: InFlightDeployment): string {
  if (inFlight.kind === 'several') return inFlight.deployments.map(lookByHand).join(' ');
  return leftoverFor(inFlight).lookByHand(inFlight);
}
