/**
 * What a deployment strategy is handed: the settings, the AWS ports, time, and the sinks through which
 * it reports (progress events, log lines, outputs, saved state). main.ts wires these to @actions/core;
 * tests wire them to arrays.
 */
import type { CodeDeployPort, EcsPort } from '../aws/ports.js';
import type { Clock } from './clock.js';
import type { OnStop, Settings } from '../settings/settings.js';
import type { ProgressListener } from '../report/events.js';

export type OutputName =
  | 'task-definition'
  | 'task-definition-arn'
  | 'codedeploy-deployment-id'
  | 'service-deployment-arn'
  | 'deployment-status'
  | 'deployment-url'
  | 'run-task-arn';

/**
 * What the post step needs to stop a deployment the main step could not see to the end. The
 * `…-requested` kinds are saved *before* the call that starts a deployment, so a step killed while
 * that call is unanswered still leaves enough to find what it started (deploy/find-started.ts).
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
    };

export interface DeployContext {
  settings: Settings;
  region: string;
  ecs: EcsPort;
  codeDeploy: CodeDeployPort;
  clock: Clock;
  /** Epoch ms: the wait-for-minutes deadline, counted once from the start of the step. */
  deadline: number;
  /** Unique to this run; tags the deployment we create so a retry can find it (deploy/create-once.ts). */
  requestToken: string;
  pollIntervalMs?: number;
  /** Aborted when the runner cancels the step (SIGINT/SIGTERM/SIGHUP). */
  signal: AbortSignal;
  onEvent: ProgressListener;
  info(line: string): void;
  warning(line: string): void;
  setOutput(name: OutputName, value: string): void;
  /** Saved for the post step; `undefined` once nothing is left in flight. */
  rememberInFlight(deployment: InFlightDeployment | undefined): void;
}

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
  failure?: { headline: string; details: string[] };
}
