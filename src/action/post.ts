/**
 * The post step, the backstop for cancellation: if the main step was killed before it could stop its
 * deployment (or its stop failed), stop it now, with rollback, unless on-cancel says to leave it.
 */
import * as log from './log.js';
import { createAwsClients } from '../aws/clients.js';
import { proxyRequestHandler } from '../aws/proxy.js';
import { createCodeDeployPort } from '../aws/codedeploy.js';
import { createEcsPort } from '../aws/ecs.js';
import { systemClock } from '../release/clock.js';
import { lookByHand, stopWhatWasLeft } from '../release/backstop.js';
import { errorMessage } from '../text/errors.js';
import { loadInFlight } from './state.js';
import { USER_AGENT } from '../version.js';

export async function runPost(): Promise<void> {
  const inFlight = loadInFlight();
  if (!inFlight) return; // the main step finished what it started
  try {
    const aws = createAwsClients({ userAgent: USER_AGENT, requestHandler: await proxyRequestHandler() });
    await stopWhatWasLeft(
      {
        ecs: createEcsPort(aws.ecs),
        codeDeploy: createCodeDeployPort(aws.codeDeploy),
        region: aws.region,
        clock: systemClock,
        info: (line) => log.info(line),
        warning: (line) => log.warning(line),
        error: (line) => log.error(line),
      },
      inFlight,
    );
  } catch (error) {
    log.error(
      `The post step could not check the deployment the main step left, which may still be running: ${errorMessage(error)}. ${lookByHand(inFlight)}`,
    );
  }
}
