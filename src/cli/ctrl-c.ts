/**
 * Ctrl-C in a terminal: the first one (or SIGTERM, as CI systems send) cancels, and the engine does
 * what on-cancel says (default: stop with rollback); a second Ctrl-C leaves the deployment running and
 * prints how to follow it, then exits at once.
 */
import { lookByHand } from '../release/backstop.js';
import type { InFlightDeployment } from '../release/runtime.js';
import { followCodeDeployCommand, followServiceDeploymentCommand } from '../report/commands.js';
import { EXIT } from './exit-codes.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** Runs that are listening for Ctrl-C now; outside one, Ctrl-C simply ends the process. */
let listening = 0;

/**
 * Before and after a run (setting up, printing the result) there is nothing to stop: Ctrl-C ends the
 * process at once, with the documented "cancelled" exit code rather than the shell's 130.
 */
export function exitOnCtrlCOutsideARun(exit: (code: number) => never = (code) => process.exit(code)): void {
  const onSignal = () => {
    if (listening === 0) exit(EXIT.cancelled);
  };
  for (const name of SIGNALS) process.on(name, onSignal);
}

export function cancelOnCtrlC(
  state: { inFlight(): InFlightDeployment | undefined },
  stderr: NodeJS.WritableStream,
  exit: (code: number) => never = (code) => process.exit(code),
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      stderr.write(
        `\n${signal}: cancelling; a deployment in progress is stopped as on-cancel says (press Ctrl-C again to leave it running).\n`,
      );
      controller.abort(signal);
      return;
    }
    const inFlight = state.inFlight();
    // The stop may have gone out already: say what is certain, and how to check.
    stderr.write(
      inFlight
        ? `Exiting without waiting: the deployment may still be running (a stop already sent goes on in AWS). ${follow(inFlight)}\n`
        : 'Exiting: nothing of this run is left in flight.\n',
    );
    exit(EXIT.cancelled);
  };
  for (const name of SIGNALS) process.on(name, onSignal);
  listening += 1;
  return {
    signal: controller.signal,
    dispose: () => {
      SIGNALS.forEach((name) => process.off(name, onSignal));
      listening -= 1;
    },
  };
}

function follow(inFlight: InFlightDeployment): string {
  if (inFlight.kind === 'several') return inFlight.deployments.map(follow).join(' ');
  if (inFlight.kind === 'codedeploy') return `Follow it: ${followCodeDeployCommand(inFlight.deploymentId)}`;
  if (inFlight.kind === 'ecs')
    return `Follow it: ${followServiceDeploymentCommand(inFlight.serviceDeploymentArn)}`;
  return lookByHand(inFlight);
}
