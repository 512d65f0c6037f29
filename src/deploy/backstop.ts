/**
 * The post step's job: the main step was killed (or could not stop its deployment), so stop what it
 * left in flight, with rollback, unless on-cancel says to leave it. A deployment whose start was
 * requested but never answered is found first (by its request token, or by the revision and time of
 * the UpdateService). Pure of @actions/core: post.ts wires the host.
 */
import type { CodeDeployPort, EcsPort } from '../aws/ports.js';
import type { Clock } from '../clock.js';
import { errorMessage, UserError } from '../errors.js';
import {
  followCodeDeployCommand,
  followServiceDeploymentCommand,
  stopCodeDeployCommand,
  stopServiceDeploymentCommand,
} from '../report/commands.js';
import { codeDeployDeploymentUrl } from '../report/console-urls.js';
import type { InFlightDeployment } from './context.js';
import { findDeploymentByToken, findRequestedServiceDeployment, requestMarker } from './find-started.js';
import { retryStop, STOP_BUDGET_MS } from './stop.js';
import { capitalize } from '../text/format.js';

const ACTIVE_CODEDEPLOY = new Set(['Created', 'Queued', 'InProgress', 'Baking', 'Ready']);
const ACTIVE_ECS = new Set(['PENDING', 'IN_PROGRESS']);
/** ListServiceDeployments can lag behind UpdateService: look a few times before saying "none". */
const FIND_ATTEMPTS = 4;
const FIND_PAUSE_MS = 2_000;

export interface BackstopHost {
  ecs: EcsPort;
  codeDeploy: CodeDeployPort;
  region: string;
  clock: Clock;
  info(line: string): void;
  warning(line: string): void;
  error(line: string): void;
}

type Found = { kind: 'codedeploy'; deploymentId: string } | { kind: 'ecs'; serviceDeploymentArn: string };

export async function stopWhatWasLeft(host: BackstopHost, inFlight: InFlightDeployment): Promise<void> {
  let found: Found | undefined;
  try {
    found = await find(host, inFlight);
  } catch (error) {
    host.error(
      `The post step could not look for the deployment the main step requested (${errorMessage(error)}). ${lookByHand(inFlight)}`,
    );
    return;
  }
  if (!found) {
    host.info(
      `The main step was stopped while its ${inFlight.kind === 'codedeploy-requested' ? 'CreateDeployment' : 'UpdateService'} request was unanswered; ${nothingStarted(inFlight)}: nothing to stop.`,
    );
    return;
  }
  const { name, stopByHand, followByHand } = describe(host.region, found);
  if (inFlight.onCancel === 'leave') {
    host.info(`${capitalize(name)} was left running (on-cancel: leave). Follow it: ${followByHand}`);
    return;
  }
  try {
    const status =
      found.kind === 'codedeploy'
        ? (await host.codeDeploy.getDeployment(found.deploymentId)).status
        : (await host.ecs.describeServiceDeployment(found.serviceDeploymentArn)).status;
    const active = found.kind === 'codedeploy' ? ACTIVE_CODEDEPLOY : ACTIVE_ECS;
    if (!active.has(status ?? '')) {
      host.info(`${capitalize(name)} has already ended (${status}); nothing to stop.`);
      return;
    }
    let message: string | undefined;
    if (found.kind === 'codedeploy') {
      const id = found.deploymentId;
      const answer = await retryStop(host, () => host.codeDeploy.stopDeployment(id, true), STOP_BUDGET_MS);
      message = answer?.statusMessage;
    } else {
      const arn = found.serviceDeploymentArn;
      await retryStop(host, () => host.ecs.stopServiceDeployment(arn), STOP_BUDGET_MS);
      message = 'ECS returns the service to the previous revision';
    }
    host.warning(
      `The main step did not finish, so the post step stopped ${name} (${status}) with rollback` +
        `${message ? `: ${message}` : ''}. ${followByHand}`,
    );
  } catch (error) {
    const hints = error instanceof UserError ? error.details.filter((line) => !/re-run/i.test(line)) : [];
    host.error(
      [
        `${capitalize(name)} IS STILL RUNNING: the post step could not stop it (${errorMessage(error)}).`,
        ...hints,
        `Stop it now: ${stopByHand}`,
      ].join('\n'),
    );
  }
}

async function find(host: BackstopHost, inFlight: InFlightDeployment): Promise<Found | undefined> {
  switch (inFlight.kind) {
    case 'codedeploy':
    case 'ecs':
      return inFlight;
    case 'codedeploy-requested': {
      const id = await findDeploymentByToken(host.codeDeploy, {
        application: inFlight.application,
        deploymentGroup: inFlight.deploymentGroup,
        token: inFlight.token,
        since: inFlight.requestedAt,
      });
      return id ? { kind: 'codedeploy', deploymentId: id } : undefined;
    }
    case 'ecs-requested':
      for (let attempt = 1; ; attempt++) {
        const arn = await findRequestedServiceDeployment(host.ecs, inFlight);
        if (arn) return { kind: 'ecs', serviceDeploymentArn: arn };
        // The service does not list the revision: the UpdateService never took effect.
        const service = await host.ecs.describeService(inFlight.cluster, inFlight.service);
        const took = (service?.deployments ?? []).some(
          (d) => d.taskDefinition === inFlight.taskDefinitionArn,
        );
        if (!took || attempt >= FIND_ATTEMPTS) return undefined;
        await host.clock.sleep(FIND_PAUSE_MS);
      }
  }
}

function nothingStarted(inFlight: InFlightDeployment): string {
  if (inFlight.kind === 'codedeploy-requested') {
    return `no deployment carrying ${requestMarker(inFlight.token)} is in deployment group "${inFlight.deploymentGroup}"`;
  }
  if (inFlight.kind === 'ecs-requested') {
    return `service "${inFlight.service}" has no active deployment of ${inFlight.taskDefinitionArn}`;
  }
  return 'nothing was found';
}

/** How to find and stop what `inFlight` names, by hand. */
export function lookByHand(inFlight: InFlightDeployment): string {
  if (inFlight.kind === 'codedeploy') return `Stop it: ${stopCodeDeployCommand(inFlight.deploymentId)}`;
  if (inFlight.kind === 'ecs')
    return `Stop it: ${stopServiceDeploymentCommand(inFlight.serviceDeploymentArn)}`;
  if (inFlight.kind === 'codedeploy-requested') {
    return `Check deployment group "${inFlight.deploymentGroup}" for a deployment whose description carries ${requestMarker(inFlight.token)}, and stop it: aws deploy list-deployments --application-name ${inFlight.application} --deployment-group-name ${inFlight.deploymentGroup} --include-only-statuses InProgress Created Queued Ready`;
  }
  return `Check service "${inFlight.service}" for a deployment of ${inFlight.taskDefinitionArn}, and stop it: aws ecs list-service-deployments --cluster ${inFlight.cluster} --service ${inFlight.service} --status IN_PROGRESS PENDING`;
}

function describe(region: string, found: Found): { name: string; stopByHand: string; followByHand: string } {
  if (found.kind === 'codedeploy') {
    const id = found.deploymentId;
    return {
      name: `deployment ${id}`,
      stopByHand: stopCodeDeployCommand(id),
      followByHand: `${codeDeployDeploymentUrl(region, id)} or: ${followCodeDeployCommand(id)}`,
    };
  }
  const arn = found.serviceDeploymentArn;
  return {
    name: `service deployment ${arn}`,
    stopByHand: stopServiceDeploymentCommand(arn),
    followByHand: followServiceDeploymentCommand(arn),
  };
}
