/**
 * The post step, the backstop for cancellation: if the main step was killed before it could stop its
 * deployment, stop it now (with rollback) unless on-cancel says to leave it.
 */
import * as core from '@actions/core';
import { createAwsClients } from './aws/clients.js';
import { createCodeDeployPort } from './aws/codedeploy.js';
import { createEcsPort } from './aws/ecs.js';
import type { InFlightDeployment } from './deploy/context.js';
import { codeDeployDeploymentUrl } from './report/console-urls.js';
import { loadInFlight } from './state.js';
import { USER_AGENT } from './version.js';

const ACTIVE_CODEDEPLOY = new Set(['Created', 'Queued', 'InProgress', 'Baking', 'Ready']);
const ACTIVE_ECS = new Set(['PENDING', 'IN_PROGRESS']);

export async function runPost(): Promise<void> {
  const inFlight = loadInFlight();
  if (!inFlight) return; // the main step finished what it started
  const { name, stopByHand } = describe(inFlight);
  try {
    const aws = createAwsClients({ userAgent: USER_AGENT });
    if (inFlight.onCancel === 'leave') {
      const where =
        inFlight.kind === 'codedeploy'
          ? codeDeployDeploymentUrl(aws.region, inFlight.deploymentId)
          : stopByHand;
      core.info(`${name} was left running (on-cancel: leave). Follow it: ${where}`);
      return;
    }
    if (inFlight.kind === 'codedeploy') {
      const codeDeploy = createCodeDeployPort(aws.codeDeploy);
      const { status } = await codeDeploy.getDeployment(inFlight.deploymentId);
      if (!ACTIVE_CODEDEPLOY.has(status ?? '')) return alreadyEnded(name, status);
      const answer = await codeDeploy.stopDeployment(inFlight.deploymentId, true);
      stoppedIt(
        name,
        status,
        answer?.statusMessage,
        codeDeployDeploymentUrl(aws.region, inFlight.deploymentId),
      );
    } else {
      const ecs = createEcsPort(aws.ecs);
      const { status } = await ecs.describeServiceDeployment(inFlight.serviceDeploymentArn);
      if (!ACTIVE_ECS.has(status ?? '')) return alreadyEnded(name, status);
      await ecs.stopServiceDeployment(inFlight.serviceDeploymentArn);
      stoppedIt(name, status, 'ECS returns the service to the previous revision', undefined);
    }
  } catch (error) {
    core.warning(
      `The post step could not stop ${name}: ${error instanceof Error ? error.message : String(error)}. Stop it by hand: ${stopByHand}`,
    );
  }
}

function describe(inFlight: InFlightDeployment): { name: string; stopByHand: string } {
  return inFlight.kind === 'codedeploy'
    ? {
        name: `deployment ${inFlight.deploymentId}`,
        stopByHand: `aws deploy stop-deployment --deployment-id ${inFlight.deploymentId} --auto-rollback-enabled`,
      }
    : {
        name: `service deployment ${inFlight.serviceDeploymentArn}`,
        stopByHand: `aws ecs stop-service-deployment --service-deployment-arn ${inFlight.serviceDeploymentArn} --stop-type ROLLBACK`,
      };
}

function alreadyEnded(name: string, status: string | undefined): void {
  core.info(`${name} has already ended (${status}); nothing to stop.`);
}

function stoppedIt(
  name: string,
  status: string | undefined,
  message: string | undefined,
  url: string | undefined,
): void {
  core.warning(
    `The main step did not finish, so the post step stopped ${name} (${status}) with rollback` +
      `${message ? `: ${message}` : ''}.${url ? ` ${url}` : ''}`,
  );
}
