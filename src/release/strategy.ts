/**
 * The one interface every deployment path implements (codedeploy/, ecs/), so the engine runs any of
 * them the same way. `Strategy.plan` checks everything before a change and gives a PlannedDeployment,
 * whose `start` gives a LiveDeployment: `watch`, `stopper` (stop), and a failed watch's `describe`.
 * `Strategy.openWaiting` is continue (promote/abort a deployment waiting at `ready`). Apart, the post
 * step's Leftover: find and stop what a killed step left. Which path runs is decided in one place,
 * release/strategies.ts.
 */
import type { CodeDeployPort, EcsPort, Service } from '../aws/ports.js';
import type { Clock } from './clock.js';
import type { CrashCheck, CrashLoop, WatchedTasks } from './crash-loop.js';
import type { Stopper } from './interrupted.js';
import type { RollbackReport } from './stop.js';
import type { DeployResult, Runtime, SingleInFlight } from './runtime.js';
import type { Continuation, OnStop, WaitUntil } from '../settings/settings.js';

/** What the report names the controller. */
export type ReportController = 'CODE_DEPLOY' | 'ECS' | 'ROLLING';

/** The result fields a path decides; the shared follow-up adds id, URL and config. */
export type ResultFields = Pick<
  DeployResult,
  'outcome' | 'status' | 'deploymentStatus' | 'failure' | 'ending'
>;

export interface Strategy {
  /** Everything checked before the task definition is registered; a UserError changes nothing. */
  plan(rt: Runtime, input: PlanInput): Promise<PlannedDeployment>;
  /** `promote` / `abort`: the deployment the continuation names, which must be waiting for approval. */
  openWaiting(rt: Runtime, continuation: Continuation): Promise<WaitingDeployment>;
}

export interface PlanInput {
  service: Service;
  /** The rendered register input. */
  taskDefinition: Record<string, unknown>;
}

/** A deployment that passed its checks and can be started. */
export interface PlannedDeployment {
  controller: ReportController;
  /** The deployment config or strategy, for the summary. */
  deploymentConfig: string;
  /** The log group title: "Deploy with CodeDeploy blue/green". */
  title: string;
  /** Starts it for the registered revision: outputs and in-flight state are set before this returns. */
  start(taskDefinitionArn: string): Promise<LiveDeployment>;
}

/** A deployment that runs (ours, or one being promoted), as the shared follow-up needs it. */
export interface LiveDeployment {
  /** The id the user sees: d-XXXXXXXXX or the service deployment ARN. */
  id: string;
  url: string;
  /** "deployment d-…" / "service deployment arn:…", for messages. */
  subject: string;
  deploymentConfig?: string;
  /** What the post step needs to stop it. */
  inFlight(onCancel: OnStop): SingleInFlight;
  /**
   * The new revision's tasks, for the crash-loop check; unset when there is nothing to count (a
   * deployment opened for promote). `circuitBreaker`: ECS stops a crash loop itself, so it is left to it.
   */
  tasks?: WatchedTasks & { circuitBreaker?: boolean };
  /**
   * Polls until the wait target, a failure, the deadline, a cancel or (with `crashCheck`) a crash
   * loop of the new tasks; throws when it cannot watch.
   */
  watch(until: WaitUntil, deadline: number, crashCheck?: CrashCheck): Promise<WatchEnd>;
  stopper(): Stopper;
}

export type WatchEnd =
  | { kind: 'reached'; result: ResultFields }
  | { kind: 'failed'; describe(): Promise<ResultFields> }
  | { kind: 'deadline' }
  | { kind: 'cancelled' }
  | { kind: 'crash-loop'; crashLoop: CrashLoop };

/** A deployment waiting at `ready`, opened for promote or abort (its outputs are set). */
export interface WaitingDeployment {
  live: LiveDeployment;
  /** Lets production traffic move; a refusal throws and nothing moved. */
  promote(): Promise<void>;
  /** Once promoted: the deployment as it is followed to the wait target. */
  followed(): Promise<LiveDeployment>;
  /** Rolls it back: the stop (or the refusal to stop), and how to follow the rollback it started. */
  abort(): Promise<AbortOutcome>;
}

export type AbortOutcome =
  | { kind: 'stop-failed'; line: string; details: string[] }
  | { kind: 'rolling-back'; line: string; rollback?: () => Promise<RollbackReport> };

/** What the post step is handed: the ports and a log, no settings. */
export interface BackstopHost {
  ecs: EcsPort;
  codeDeploy: CodeDeployPort;
  region: string;
  clock: Clock;
  info(line: string): void;
  warning(line: string): void;
  error(line: string): void;
}

/** Leftover.find's answer when the start took effect but the deployment is not listed yet. */
export const UNLISTED = 'unlisted';

export interface Leftover {
  /** The saved state's deployment id, found first if only its request was saved; UNLISTED: it took
   *  effect but cannot be found yet; undefined: it never started. */
  find(host: BackstopHost, inFlight: SingleInFlight): Promise<string | typeof UNLISTED | undefined>;
  /** Its status now, and whether that leaves anything to stop. */
  status(host: BackstopHost, id: string): Promise<{ status?: string; active: boolean }>;
  /** Stops it with rollback (retried); undefined when it had ended meanwhile. */
  stop(host: BackstopHost, id: string): Promise<{ message?: string } | undefined>;
  /** Its name in messages, and the commands that follow or stop it by hand. */
  describe(region: string, id: string): { name: string; stopByHand: string; followByHand: string };
  /** How to find and stop it by hand when the post step cannot (from the saved state). */
  lookByHand(inFlight: SingleInFlight): string;
  /** Why a requested deployment counts as never started. */
  nothingStarted(inFlight: SingleInFlight): string;
  /** The call that starts it: "CreateDeployment", "UpdateService". */
  startCall: string;
}
