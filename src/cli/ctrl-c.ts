/**
 * Ctrl-C in a terminal: the first one (or SIGTERM, as CI systems send) cancels, and the engine does
 * what on-cancel says (default: stop with rollback); a second Ctrl-C leaves the deployment running and
 * prints how to follow it, then exits at once.
 */
import { lookByHand } from '../deploy/backstop.js';
import type { InFlightDeployment } from '../deploy/context.js';
import { followCodeDeployCommand, followServiceDeploymentCommand } from '../report/commands.js';
import { EXIT } from './exit-codes.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

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
    stderr.write(inFlight ? `Left running as asked. ${follow(inFlight)}\n` : 'Stopped.\n');
    exit(EXIT.cancelled);
  };
  for (const name of SIGNALS) process.on(name, onSignal);
  return { signal: controller.signal, dispose: () => SIGNALS.forEach((name) => process.off(name, onSignal)) };
}

function follow(inFlight: InFlightDeployment): string {
  if (inFlight.kind === 'codedeploy') return `Follow it: ${followCodeDeployCommand(inFlight.deploymentId)}`;
  if (inFlight.kind === 'ecs')
    return `Follow it: ${followServiceDeploymentCommand(inFlight.serviceDeploymentArn)}`;
  return lookByHand(inFlight);
}
