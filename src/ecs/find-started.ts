/**
 * Finding the service deployment an UpdateService started when its answer never arrived (the step was
 * killed while it was unanswered). Used by the post step (leftover.ts).
 */
import type { EcsPort } from '../aws/ports.js';

/** How far back to look (clock skew between this runner and AWS). */
const LOOKBACK_MS = 5 * 60_000;
/** Service deployment statuses in which there is still something to stop. */
export const ACTIVE_SERVICE_DEPLOYMENT_STATUSES = ['PENDING', 'IN_PROGRESS'];

/**
 * What an UpdateService to `taskDefinitionArn` started, if it took effect (the service lists a rollout of
 * that revision): the newest active service deployment created since the request. `took` without an
 * `arn` means ListServiceDeployments has not caught up yet (it lags behind UpdateService).
 */
export async function findRequestedServiceDeployment(
  ecs: EcsPort,
  request: { cluster: string; service: string; taskDefinitionArn: string; requestedAt: number },
): Promise<{ took: boolean; arn?: string }> {
  const service = await ecs.describeService(request.cluster, request.service);
  const took = (service?.deployments ?? []).some((d) => d.taskDefinition === request.taskDefinitionArn);
  if (!took) return { took };
  const found = await ecs.listServiceDeployments(
    request.cluster,
    request.service,
    new Date(request.requestedAt - LOOKBACK_MS),
  );
  const newest = [...found]
    .filter((d) => ACTIVE_SERVICE_DEPLOYMENT_STATUSES.includes(d.status ?? ''))
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
  return { took, arn: newest?.serviceDeploymentArn };
}
