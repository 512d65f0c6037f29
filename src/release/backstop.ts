/**
 * The post step's job: the main step was killed (or could not stop its deployment), so stop what it
 * left in flight, with rollback, unless on-cancel says to leave it. A deployment whose start was
 * requested but never answered is found first (by its request token, or by the revision and time of
 * the UpdateService). Pure of @actions/core: post.ts wires the host.
 */
import type { CodeDeployPort, EcsPort } from '../aws/ports.js';
import type { Clock } from './clock.js';
import { ACTIVE_DEPLOYMENT_STATUSES } from '../aws/codedeploy.js';
import { errorMessage } from '../text/errors.js';
import {
  followCodeDeployCommand,
  followServiceDeploymentCommand,
  stopCodeDeployCommand,
  stopServiceDeploymentCommand,
} from '../report/commands.js';
import { codeDeployDeploymentUrl } from '../report/console-urls.js';
import type { InFlightDeployment } from './runtime.js';
import {
  ACTIVE_SERVICE_DEPLOYMENT_STATUSES,
  findDeploymentByToken,
  findRequestedServiceDeployment,
  requestMarker,
} from './find-started.js';
import { retryStop, STOP_BUDGET_MS, stopFailed } from './stop.js';
import { capitalize } from '../text/format.js';

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
/** The UpdateService took effect, but ECS did not list its service deployment in time. */
const UNLISTED = 'unlisted';

export async function stopWhatWasLeft(host: BackstopHost, inFlight: InFlightDeployment): Promise<void> {
  let found: Found | typeof UNLISTED | undefined;
  try {
    found = await find(host, inFlight);
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
      `The main step was stopped while its ${inFlight.kind === 'codedeploy-requested' ? 'CreateDeployment' : 'UpdateService'} request was unanswered; ${nothingStarted(inFlight)}: nothing to stop.`,
    );
    return;
  }
  const { name, stopByHand, followByHand } = describe(host.region, found);
  if (inFlight.onCancel === 'leave') {
    host.info(`${capitalize(name)} was left running (on-cancel: leave). Follow it: ${followByHand}`);
    return;
  }
  let status: string | undefined;
  try {
    status =
      found.kind === 'codedeploy'
        ? (await host.codeDeploy.getDeployment(found.deploymentId)).status
        : (await host.ecs.describeServiceDeployment(found.serviceDeploymentArn)).status;
  } catch (error) {
    host.error(
      `The post step could not read ${name} (${errorMessage(error)}); it may still be running. Stop it: ${stopByHand}`,
    );
    return;
  }
  const active =
    found.kind === 'codedeploy' ? ACTIVE_DEPLOYMENT_STATUSES : ACTIVE_SERVICE_DEPLOYMENT_STATUSES;
  if (!active.includes(status as never)) {
    host.info(`${capitalize(name)} has already ended (${status}); nothing to stop.`);
    return;
  }
  let stopped: { message?: string } | undefined;
  try {
    stopped = await stop(host, found);
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

/** Stops it with rollback; undefined when it had ended in the meantime. */
async function stop(host: BackstopHost, found: Found): Promise<{ message?: string } | undefined> {
  if (found.kind === 'codedeploy') {
    const id = found.deploymentId;
    const answer = await retryStop(host, () => host.codeDeploy.stopDeployment(id, true), STOP_BUDGET_MS);
    return answer ? { message: answer.statusMessage } : undefined;
  }
  const arn = found.serviceDeploymentArn;
  const stopped = await retryStop(host, () => host.ecs.stopServiceDeployment(arn), STOP_BUDGET_MS);
  return stopped ? { message: 'ECS returns the service to the previous revision' } : undefined;
}

async function find(
  host: BackstopHost,
  inFlight: InFlightDeployment,
): Promise<Found | typeof UNLISTED | undefined> {
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
        const { took, arn } = await findRequestedServiceDeployment(host.ecs, inFlight);
        if (arn) return { kind: 'ecs', serviceDeploymentArn: arn };
        if (!took) return undefined; // the service does not list the revision: it never took effect
        if (attempt >= FIND_ATTEMPTS) return UNLISTED;
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
