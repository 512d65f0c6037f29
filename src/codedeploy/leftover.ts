/**
 * The post step's part of the CodeDeploy path: find the deployment a killed main step left (by the
 * token in its description, when only the request was saved), read it, stop it with rollback.
 */
import { ACTIVE_DEPLOYMENT_STATUSES } from '../aws/codedeploy.js';
import type { SingleInFlight } from '../release/runtime.js';
import { retryStop, STOP_BUDGET_MS } from '../release/stop.js';
import type { Leftover } from '../release/strategy.js';
import { followCodeDeployCommand, stopCodeDeployCommand } from '../report/commands.js';
import { codeDeployDeploymentUrl } from '../report/console-urls.js';
import { findDeploymentByToken, requestMarker } from './find-started.js';

export const codeDeployLeftover: Leftover = {
  startCall: 'CreateDeployment',
  async find(host, inFlight) {
    if (inFlight.kind === 'codedeploy') return inFlight.deploymentId;
    if (inFlight.kind !== 'codedeploy-requested') return undefined;
    return findDeploymentByToken(host.codeDeploy, {
      application: inFlight.application,
      deploymentGroup: inFlight.deploymentGroup,
      token: inFlight.token,
      since: inFlight.requestedAt,
    });
  },
  async status(host, id) {
    const { status } = await host.codeDeploy.getDeployment(id);
    return { status, active: ACTIVE_DEPLOYMENT_STATUSES.includes(status as never) };
  },
  async stop(host, id) {
    const answer = await retryStop(host, () => host.codeDeploy.stopDeployment(id, true), STOP_BUDGET_MS);
    return answer ? { message: answer.statusMessage } : undefined;
  },
  describe: (region, id) => ({
    name: `deployment ${id}`,
    stopByHand: stopCodeDeployCommand(id),
    followByHand: `${codeDeployDeploymentUrl(region, id)} or: ${followCodeDeployCommand(id)}`,
  }),
  lookByHand(inFlight: SingleInFlight) {
    if (inFlight.kind === 'codedeploy') return `Stop it: ${stopCodeDeployCommand(inFlight.deploymentId)}`;
    if (inFlight.kind !== 'codedeploy-requested') return '';
    return `Check deployment group "${inFlight.deploymentGroup}" for a deployment whose description carries ${requestMarker(inFlight.token)}, and stop it: aws deploy list-deployments --application-name ${inFlight.application} --deployment-group-name ${inFlight.deploymentGroup} --include-only-statuses InProgress Created Queued Ready`;
  },
  nothingStarted: (inFlight) =>
    inFlight.kind === 'codedeploy-requested'
      ? `no deployment carrying ${requestMarker(inFlight.token)} is in deployment group "${inFlight.deploymentGroup}"`
      : 'nothing was found',
};
