/**
 * Finding a CodeDeploy deployment whose start was asked for but whose answer never arrived: a
 * CreateDeployment answer lost on the way, or a step killed while it was unanswered. Used before a
 * retry (create-once.ts) and by the post step (leftover.ts).
 */
import type { CodeDeployPort } from '../aws/ports.js';

/** How far back to look (clock skew between this runner and AWS). */
export const LOOKBACK_MS = 5 * 60_000;
/** A busy pipeline creates a few deployments a minute at most; we only need to look at the newest. */
const MAX_CANDIDATES = 10;

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
