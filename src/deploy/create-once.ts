/**
 * CreateDeployment exactly once. It is not idempotent (no client token), so a request whose answer was
 * lost — a timeout, a reset connection, a 5xx after the fact — may or may not have started a
 * deployment. The request carries a unique token in its description; before any retry we look in the
 * group for a deployment carrying it, and adopt it if found, instead of starting a second one.
 */
import { isDeploymentLimitExceeded } from '../aws/codedeploy.js';
import { isTransient } from '../aws/errors.js';
import type { CreateDeploymentRequest } from '../aws/ports.js';
import type { DeployContext } from './context.js';

/** CodeDeploy rejects longer descriptions (DescriptionTooLongException). */
export const MAX_DESCRIPTION_LENGTH = 512;
/** Attempts when `max-retries` is not set: the SDK's own default (standard retry mode). */
const DEFAULT_ATTEMPTS = 3;
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 20_000;
/** How far back to look for a deployment we may have created (clock skew between us and AWS). */
const LOOKBACK_MS = 5 * 60_000;
/** A busy pipeline creates a few deployments a minute at most; we only need to look at the newest. */
const MAX_CANDIDATES = 10;

/** `description [ecs-shift:token]`, shortened so the whole stays within CodeDeploy's limit. */
export function withRequestToken(description: string, token: string): string {
  const tag = ` [ecs-shift:${token}]`;
  const room = MAX_DESCRIPTION_LENGTH - tag.length;
  const text = description.length > room ? `${description.slice(0, room - 1)}…` : description;
  return `${text}${tag}`;
}

export async function createDeploymentOnce(
  ctx: DeployContext,
  request: CreateDeploymentRequest,
  token: string,
): Promise<string> {
  const { codeDeploy, clock } = ctx;
  const attempts = ctx.settings.maxRetries === undefined ? DEFAULT_ATTEMPTS : ctx.settings.maxRetries + 1;
  const since = new Date(clock.now() - LOOKBACK_MS);
  const marker = `[ecs-shift:${token}]`;
  let uncertain = false;

  const findOurs = async (): Promise<string | undefined> => {
    const ids = await codeDeploy.listDeploymentsSince(
      request.applicationName,
      request.deploymentGroupName,
      since,
    );
    for (const id of ids.slice(0, MAX_CANDIDATES)) {
      const info = await codeDeploy.getDeployment(id);
      if (info.description?.includes(marker)) return id;
    }
    return undefined;
  };

  for (let attempt = 1; ; attempt++) {
    try {
      return await codeDeploy.createDeployment(request);
    } catch (error) {
      // Refused because the group is busy: maybe with the deployment our lost attempt started.
      if (isDeploymentLimitExceeded(error) && uncertain) {
        const ours = await findOurs();
        if (ours) return adopted(ctx, ours);
      }
      if (!isTransient(error) || attempt >= attempts) throw error;
      uncertain = true;
      const ours = await findOurs();
      if (ours) return adopted(ctx, ours);
      const wait = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1));
      ctx.info(
        `CreateDeployment did not answer (${error instanceof Error ? error.message : String(error)}); ` +
          `no deployment of ours in the group, so trying again in ${wait / 1000}s (attempt ${attempt + 1} of ${attempts}).`,
      );
      await clock.sleep(wait, ctx.signal);
    }
  }
}

function adopted(ctx: DeployContext, deploymentId: string): string {
  ctx.info(
    `CreateDeployment's answer was lost, but it had started deployment ${deploymentId}: following that one (no second deployment).`,
  );
  return deploymentId;
}
