/**
 * The post step, the backstop for cancellation: if the main step was killed before it could stop its
 * deployment, stop it now (with rollback) unless on-cancel says to leave it.
 */
import * as core from '@actions/core';
import { createAwsClients } from './aws/clients.js';
import { createCodeDeployPort } from './aws/codedeploy.js';
import { codeDeployDeploymentUrl } from './report/console-urls.js';
import { loadInFlight } from './state.js';
import { USER_AGENT } from './version.js';

const ACTIVE = new Set(['Created', 'Queued', 'InProgress', 'Baking', 'Ready']);

export async function runPost(): Promise<void> {
  const inFlight = loadInFlight();
  if (!inFlight) return; // the main step finished what it started
  const { deploymentId } = inFlight;
  try {
    const aws = createAwsClients({ userAgent: USER_AGENT });
    const url = codeDeployDeploymentUrl(aws.region, deploymentId);
    if (inFlight.onCancel === 'leave') {
      core.info(`Deployment ${deploymentId} was left running (on-cancel: leave). Follow it at ${url}`);
      return;
    }
    const codeDeploy = createCodeDeployPort(aws.codeDeploy);
    const { status } = await codeDeploy.getDeployment(deploymentId);
    if (!ACTIVE.has(status ?? '')) {
      core.info(`Deployment ${deploymentId} has already ended (${status}); nothing to stop.`);
      return;
    }
    const answer = await codeDeploy.stopDeployment(deploymentId, true);
    core.warning(
      `The main step did not finish, so the post step stopped deployment ${deploymentId} (${status}) with rollback` +
        `${answer?.statusMessage ? `: ${answer.statusMessage}` : ''}. ${url}`,
    );
  } catch (error) {
    core.warning(
      `The post step could not stop deployment ${deploymentId}: ${error instanceof Error ? error.message : String(error)}. ` +
        `Stop it by hand: aws deploy stop-deployment --deployment-id ${deploymentId} --auto-rollback-enabled`,
    );
  }
}
