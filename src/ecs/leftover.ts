/**
 * The post step's part of the ECS path: find the service deployment a killed main step left (by the
 * revision and time of its UpdateService, when only the request was saved), read it, stop it.
 */
import type { SingleInFlight } from '../release/runtime.js';
import { retryStop, STOP_BUDGET_MS } from '../release/stop.js';
import { type Leftover, UNLISTED } from '../release/strategy.js';
import { followServiceDeploymentCommand, stopServiceDeploymentCommand } from '../report/commands.js';
import { ACTIVE_SERVICE_DEPLOYMENT_STATUSES, findRequestedServiceDeployment } from './find-started.js';

/** ListServiceDeployments can lag behind UpdateService: look a few times before saying "none". */
const FIND_ATTEMPTS = 4;
const FIND_PAUSE_MS = 2_000;

export const ecsLeftover: Leftover = {
  startCall: 'UpdateService',
  async find(host, inFlight) {
    if (inFlight.kind === 'ecs') return inFlight.serviceDeploymentArn;
    if (inFlight.kind !== 'ecs-requested') return undefined;
    for (let attempt = 1; ; attempt++) {
      const { took, arn } = await findRequestedServiceDeployment(host.ecs, inFlight);
      if (arn) return arn;
      if (!took) return undefined; // the service does not list the revision: it never took effect
      if (attempt >= FIND_ATTEMPTS) return UNLISTED;
      await host.clock.sleep(FIND_PAUSE_MS);
    }
  },
  async status(host, arn) {
    const { status } = await host.ecs.describeServiceDeployment(arn);
    return { status, active: ACTIVE_SERVICE_DEPLOYMENT_STATUSES.includes(status ?? '') };
  },
  async stop(host, arn) {
    const stopped = await retryStop(host, () => host.ecs.stopServiceDeployment(arn), STOP_BUDGET_MS);
    return stopped ? { message: 'ECS returns the service to the previous revision' } : undefined;
  },
  describe: (_region, arn) => ({
    name: `service deployment ${arn}`,
    stopByHand: stopServiceDeploymentCommand(arn),
    followByHand: followServiceDeploymentCommand(arn),
  }),
  lookByHand(inFlight: SingleInFlight) {
    if (inFlight.kind === 'ecs')
      return `Stop it: ${stopServiceDeploymentCommand(inFlight.serviceDeploymentArn)}`;
    if (inFlight.kind !== 'ecs-requested') return '';
    return `Check service "${inFlight.service}" for a deployment of ${inFlight.taskDefinitionArn}, and stop it: aws ecs list-service-deployments --cluster ${inFlight.cluster} --service ${inFlight.service} --status IN_PROGRESS PENDING`;
  },
  nothingStarted: (inFlight) =>
    inFlight.kind === 'ecs-requested'
      ? `service "${inFlight.service}" has no active deployment of ${inFlight.taskDefinitionArn}`
      : 'nothing was found',
};
