/**
 * Finding a deployment whose start was asked for but whose answer never arrived: a CreateDeployment
 * answer lost on the way, or a step killed while CreateDeployment / UpdateService was unanswered.
 * Used before a retry (create-once.ts) and by the post step (post.ts).
 */
import type { CodeDeployPort, EcsPort } from '../aws/ports.js';

/** How far back to look (clock skew between this runner and AWS). */
export const LOOKBACK_MS = 5 * 60_000;
/** A busy pipeline creates a few deployments a minute at most; we only need to look at the newest. */
const MAX_CANDIDATES = 10;
/** Service deployment statuses in which there is still something to stop. */
export const ACTIVE_SERVICE_DEPLOYMENT_STATUSES = ['PENDING', 'IN_PROGRESS'];

export function requestMarker(token: string): string {
  return `[ecs-shift:${token}]`;
}

/** The group's deployment created since `since` whose description carries our token, if any. */
export async function findDeploymentByToken(
  codeDeploy: CodeDeployPort,
  request: { application: string; deploymentGroup: string; token: string; since: number },
): Promise<string | undefined> {
  const marker = requestMarker(request.token);
  const ids = await codeDeploy.listDeploymentsSince(
    request.application,
    request.deploymentGroup,
    new Date(request.since - LOOKBACK_MS),
  );
  for (const id of ids.slice(0, MAX_CANDIDATES)) {
    const info = await codeDeploy.getDeployment(id);
    if (info.description?.includes(marker)) return id;
  }
  return undefined;
}

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
