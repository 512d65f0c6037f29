/**
 * The AWS side of a run, the same for both front ends: SDK clients (region, retries, user agent,
 * proxy) and the ports over them, every mutating call guarded by the cancel signal.
 */
import { createAwsClients } from '../aws/clients.js';
import { createCodeDeployPort } from '../aws/codedeploy.js';
import { createLookupPorts } from '../aws/lookups.js';
import { createEcsPort } from '../aws/ecs.js';
import type { CodeDeployPort, EcsPort, LookupPorts, RevisionsPort, SchedulePorts } from '../aws/ports.js';
import { createRevisionsPort } from '../aws/revisions.js';
import { createSchedulePorts } from '../aws/schedules.js';
import { proxyRequestHandler } from '../aws/proxy.js';
import { guardMutations, guardRevisionMutations, guardScheduleMutations } from './cancel.js';
import type { Settings } from '../settings/settings.js';
import type { FrontEndWords } from './runtime.js';
import { USER_AGENT } from '../version.js';

export interface AwsConnection {
  region: string;
  ecs: EcsPort;
  codeDeploy: CodeDeployPort;
  /** Read only, so not guarded: a cancel never needs to refuse them. */
  lookups: LookupPorts;
  schedules: SchedulePorts;
  revisions: RevisionsPort;
}

export async function connectAws(
  settings: Settings,
  cancel: { signal: AbortSignal; words: Pick<FrontEndWords, 'cancelled'> },
): Promise<AwsConnection> {
  const options = {
    maxRetries: settings.runner.maxRetries,
    userAgent: USER_AGENT,
    requestHandler: await proxyRequestHandler(),
  };
  const aws = createAwsClients(options);
  const ports = guardMutations(
    { ecs: createEcsPort(aws.ecs), codeDeploy: createCodeDeployPort(aws.codeDeploy, aws.codeDeployOnce) },
    cancel,
  );
  return {
    region: aws.region,
    ...ports,
    lookups: createLookupPorts(options, aws.region),
    schedules: guardScheduleMutations(createSchedulePorts(options, aws.region), cancel),
    revisions: guardRevisionMutations(createRevisionsPort(aws.ecs), cancel),
  };
}

/** ECS_SHIFT_POLL_SECONDS: poll interval override (default 4 s); the simulator's tests use it. */
export function pollIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = Number(env.ECS_SHIFT_POLL_SECONDS);
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}
