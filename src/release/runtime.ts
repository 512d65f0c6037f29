/**
 * The narrow runtime the engine is handed: AWS ports, the clock, the cancel signal, and one sink for
 * everything it reports (progress events, log lines, outputs, in-flight state). Each front end
 * implements the sink its own way (action/main.ts: @actions/core; cli/: the terminal); tests, arrays.
 * Settings are not in it: each strategy receives its own slice, and the wait policy, from the engine.
 */
import type { CodeDeployPort, EcsPort, LookupPorts, RevisionsPort, SchedulePorts } from '../aws/ports.js';
import type { Clock } from './clock.js';
import type { OnStop, WaitSettings, WaitUntil } from '../settings/settings.js';
import type { ProgressListener } from '../report/events.js';

export type OutputName =
  | 'task-definition'
  | 'task-definition-arn'
  | 'codedeploy-deployment-id'
  | 'service-deployment-arn'
  | 'deployment-status'
  | 'deployment-url'
  | 'run-task-arn'
  | 'deployments';

/**
 * What the post step needs to stop a deployment the main step could not see to the end. The
 * `…-requested` kinds are saved *before* the call that starts a deployment, so a step killed while
 * that call is unanswered still leaves enough to find what it started (codedeploy/find-started.ts, ecs/find-started.ts).
 * `onCancel` is what the post step does with it: `rollback` also when a stop the main step decided on
 * failed, whatever on-cancel said.
 */
export type InFlightDeployment =
  | { kind: 'codedeploy'; deploymentId: string; onCancel: OnStop }
  | { kind: 'ecs'; serviceDeploymentArn: string; onCancel: OnStop }
  | {
      kind: 'codedeploy-requested';
      application: string;
      deploymentGroup: string;
      /** The `[ecs-shift:<token>]` our CreateDeployment request carries in its description. */
      token: string;
      /** Epoch ms just before the request. */
      requestedAt: number;
      onCancel: OnStop;
    }
  | {
      kind: 'ecs-requested';
      cluster: string;
      service: string;
      taskDefinitionArn: string;
      requestedAt: number;
      onCancel: OnStop;
    }
  /** A step that deploys several services: what each one has in flight. */
  | { kind: 'several'; deployments: SingleInFlight[] };

/** What one deployment leaves in flight. */
export type SingleInFlight = Exclude<InFlightDeployment, { kind: 'several' }>;

/** Where everything the engine reports goes. */
export interface Sink {
  onEvent: ProgressListener;
  info(line: string): void;
  warning(line: string): void;
  /** Worth seeing but not a problem: a check skipped for want of a permission (an annotation in the action). */
  notice(line: string): void;
  setOutput(name: OutputName, value: string): void;
  /** Saved for the post step; `undefined` once nothing is left in flight. */
  rememberInFlight(deployment: InFlightDeployment | undefined): void;
}

/** The words that differ between the front ends (action/words.ts, cli/words.ts). */
export interface FrontEndWords {
  /** What a cancel is called in a sentence: "the workflow was cancelled", "the run was interrupted". */
  cancelled: string;
  /** Who stops a deployment whose start went unanswered, once this process has ended. */
  backstop: string;
  /** What becomes of the rendered file, after its path (unset: it stays where it was written). */
  renderedFileFate?: string;
}

export interface Runtime extends Sink {
  words: FrontEndWords;
  region: string;
  ecs: EcsPort;
  codeDeploy: CodeDeployPort;
  /** ECR, IAM, SSM, Secrets Manager, CloudWatch Logs: loaded on first use (aws/lookups.ts). */
  lookups: LookupPorts;
  /** EventBridge rules and Scheduler schedules (`scheduled-tasks`): loaded on first use (aws/schedules.ts). */
  schedules: SchedulePorts;
  /** What `deregister-old-revisions` reads and deregisters (aws/revisions.ts). */
  revisions: RevisionsPort;
  clock: Clock;
  pollIntervalMs?: number;
  /** `wait-max-delay-seconds`: no pause between two polls is longer, whatever the pace says. */
  maxPollDelayMs?: number;
  /** `app-logs: false`: failure reports read no app log lines. */
  appLogs?: boolean;
  /** Aborted on cancel (the runner's SIGINT/SIGTERM, Ctrl-C in a terminal). */
  signal: AbortSignal;
  /**
   * One of several services (release/several.ts): `signal` also aborts when another service's failure
   * stops this one (on-service-failure: stop-others). `reason` says why, unless it was a real cancel;
   * `stopping` hands the stop and its rollback the step's own signal, so they are seen to their end.
   */
  halt?: { reason(): string | undefined; stopping(): void };
}

/**
 * How long and how far to follow, decided once for the whole step: one deadline counted from its
 * start, so a one-off task, a wait for an earlier deployment and the deployment itself share it.
 */
export interface WaitPolicy {
  follow: boolean;
  until: WaitUntil;
  /** Epoch ms. */
  deadline: number;
  /** The wait-for-minutes setting, for messages. */
  minutes: number;
  onTimeout: OnStop;
  onCancel: OnStop;
  /** `max-task-failures` (unset: auto; 0: never stop early). */
  maxTaskFailures?: number;
}

export function waitPolicy(wait: WaitSettings, startedAt: number, maxTaskFailures?: number): WaitPolicy {
  return {
    maxTaskFailures,
    follow: wait.follow,
    until: wait.until,
    deadline: startedAt + wait.minutes * 60_000,
    minutes: wait.minutes,
    onTimeout: wait.onTimeout,
    onCancel: wait.onCancel,
  };
}

/**
 * Where a failed, stopped or aborted deployment was left: its rollback seen through, started but not
 * seen to its end, failed; or the deployment still running (left, or a stop that failed).
 */
export type Ending = 'rolled-back' | 'rollback-unconfirmed' | 'rollback-failed' | 'still-running';

/** How a deployment ended, for outputs, the summary and the exit code. */
export interface DeployResult {
  outcome: 'success' | 'failure' | 'started';
  /** Short human status: 'traffic shifted', 'Succeeded', 'Failed — rolled back', … */
  status: string;
  /** The raw controller status for the `deployment-status` output (e.g. CodeDeploy's `Succeeded`). */
  deploymentStatus: string;
  deploymentId?: string;
  deploymentUrl?: string;
  deploymentConfig?: string;
  /** How a stopped or failed deployment was left, for where the headline says traffic is. */
  ending?: Ending;
  failure?: { headline: string; details: string[] };
}
