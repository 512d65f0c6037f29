/**
 * No change after a cancel: every call that changes something goes through `guardMutations`, which
 * refuses it once the runner has cancelled the step. Stopping a deployment is the one change still
 * made after a cancel, so the stop calls are not guarded.
 */
import type {
  CodeDeployPort,
  EcsPort,
  EventBridgePort,
  RevisionsPort,
  SchedulePorts,
  SchedulerPort,
} from '../aws/ports.js';
import { UserError } from '../text/errors.js';
import { capitalize } from '../text/format.js';
import type { FrontEndWords } from './runtime.js';

/** A cancel that arrived before a change: thrown instead of making it. */
export class CancelledBeforeChange extends UserError {
  override name = 'CancelledBeforeChange';
}

/**
 * Every mutating port method but the stops, with what it is about to do (for the message of the
 * cancel that prevents it). Typed against the ports, so a renamed method cannot lose its guard; a new
 * mutating method must be added here (see the test that lists the ports' methods).
 */
const ABOUT_TO = {
  registerTaskDefinition: 'the task definition was registered',
  runTask: 'the one-off task was started',
  updateService: 'the service was updated (no deployment was started)',
  createDeployment: 'the CodeDeploy deployment was created',
  continueDeployment: 'the deployment was promoted',
  continueServiceDeployment: 'the service deployment was promoted or rolled back',
  putTargets: 'the scheduled tasks were moved to the new revision',
  updateSchedule: 'the scheduled tasks were moved to the new revision',
  deregister: 'old revisions were deregistered',
} satisfies Partial<Record<PortMethod, string>>;

type PortMethod =
  keyof EcsPort | keyof CodeDeployPort | keyof EventBridgePort | keyof SchedulerPort | keyof RevisionsPort;

/** The port methods that change nothing, or only stop what was started: never refused. */
export const UNGUARDED_METHODS = [
  'describeService',
  'describeTaskDefinition',
  'listStoppedTasks',
  'listServiceDeployments',
  'describeServiceDeployment',
  'describeTask',
  'getDeploymentGroup',
  'getDeploymentConfig',
  'listActiveDeployments',
  'listDeploymentsSince',
  'getDeployment',
  'listDeploymentTargets',
  'getDeploymentTarget',
  'stopServiceDeployment',
  'stopTask',
  'stopDeployment',
  'listRules',
  'listTargets',
  'listSchedules',
  'getSchedule',
  'activeRevisions',
  'servicesUsing',
  'runningTaskRevisions',
] as const satisfies readonly PortMethod[];

export const GUARDED_METHODS = Object.keys(ABOUT_TO);

export function throwIfCancelled(
  rt: { signal: AbortSignal; words: Pick<FrontEndWords, 'cancelled'> },
  before: string,
  details: string[] = [],
): void {
  if (rt.signal.aborted) {
    throw new CancelledBeforeChange(
      `${capitalize(rt.words.cancelled)} before ${before}; nothing further was changed.`,
      details,
    );
  }
}

/** The ports with every mutating call (stops excepted) refused once `signal` has aborted. */
export function guardMutations(
  ports: { ecs: EcsPort; codeDeploy: CodeDeployPort },
  cancel: { signal: AbortSignal; words: Pick<FrontEndWords, 'cancelled'> },
): { ecs: EcsPort; codeDeploy: CodeDeployPort } {
  return { ecs: guard(ports.ecs, cancel), codeDeploy: guard(ports.codeDeploy, cancel) };
}

/** The scheduled-task ports with their changes refused once `signal` has aborted. */
export function guardScheduleMutations(
  ports: SchedulePorts,
  cancel: { signal: AbortSignal; words: Pick<FrontEndWords, 'cancelled'> },
): SchedulePorts {
  return { eventBridge: guard(ports.eventBridge, cancel), scheduler: guard(ports.scheduler, cancel) };
}

/** The revision clean-up's port with its deregistrations refused once `signal` has aborted. */
export function guardRevisionMutations(
  port: RevisionsPort,
  cancel: { signal: AbortSignal; words: Pick<FrontEndWords, 'cancelled'> },
): RevisionsPort {
  return guard(port, cancel);
}

function guard<T extends object>(
  port: T,
  cancel: { signal: AbortSignal; words: Pick<FrontEndWords, 'cancelled'> },
): T {
  const guarded = { ...port } as Record<string, unknown>;
  for (const [method, before] of Object.entries(ABOUT_TO)) {
    const call = (port as Record<string, unknown>)[method];
    if (typeof call !== 'function') continue;
    guarded[method] = async (...args: unknown[]) => {
      throwIfCancelled(cancel, before);
      return (call as (...a: unknown[]) => Promise<unknown>).apply(port, args);
    };
  }
  return guarded as T;
}
