/**
 * The one place a deployment path is chosen: for a release, from the service's deployment controller;
 * for promote/abort, from the id given; for the post step, from the saved in-flight state. Each
 * strategy is handed only its slice of the settings.
 */
import type { Service } from '../aws/ports.js';
import { type CodeDeploySlice, codeDeployStrategy } from '../codedeploy/strategy.js';
import { codeDeployLeftover } from '../codedeploy/leftover.js';
import { ecsStrategy } from '../ecs/strategy.js';
import { ecsLeftover } from '../ecs/leftover.js';
import type { Settings } from '../settings/settings.js';
import { UserError } from '../text/errors.js';
import type { SingleInFlight, WaitPolicy } from './runtime.js';
import type { Leftover, ReportController, Strategy } from './strategy.js';

/** What the engine decided once for the run, which the strategies share. */
export interface RunDecisions {
  wait: WaitPolicy;
  /** Unique to this run; tags the deployment we create so a retry can find it. */
  requestToken: string;
}

/** The strategy for a service, from its deployment controller; EXTERNAL is refused before any change. */
export function strategyForService(service: Service, settings: Settings, run: RunDecisions): Strategy {
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller === 'ECS') return ecsFor(settings, run);
  if (controller === 'CODE_DEPLOY') return codeDeployFor(settings, run);
  throw new UserError(
    `Service "${service.serviceName}" uses the ${controller} deployment controller: its deployments are driven by a tool outside ECS (task sets you create yourself), which ecs-shift does not drive. Nothing was changed.`,
    [
      'Deploy it with that tool, or recreate the service with the ECS controller (rolling or blue/green) or CODE_DEPLOY.',
      'Without `service`, ecs-shift only renders the task definition (and registers it with `register: true`).',
    ],
  );
}

/** promote / abort: an ECS service deployment ARN, or else a CodeDeploy deployment id. */
export function strategyForDeployment(
  target: string,
  settings: Settings,
  run: RunDecisions,
): { strategy: Strategy; controller: ReportController } {
  if (isServiceDeploymentArn(target)) return { strategy: ecsFor(settings, run), controller: 'ECS' };
  return { strategy: codeDeployFor(settings, run), controller: 'CODE_DEPLOY' };
}

/** The post step: how to find and stop what the saved state names. */
export function leftoverFor(inFlight: SingleInFlight): Leftover {
  return inFlight.kind === 'codedeploy' || inFlight.kind === 'codedeploy-requested'
    ? codeDeployLeftover
    : ecsLeftover;
}

export function isServiceDeploymentArn(target: string): boolean {
  return target.includes(':service-deployment/');
}

function codeDeployFor(settings: Settings, run: RunDecisions): Strategy {
  return codeDeployStrategy(codeDeploySlice(settings, run));
}

/** The CodeDeploy strategy's slice of the settings. */
export function codeDeploySlice(settings: Settings, run: RunDecisions): CodeDeploySlice {
  return {
    codeDeploy: settings.codeDeploy,
    target: settings.target,
    wait: run.wait,
    run: settings.runner.run,
    workspace: settings.runner.workspace,
    maxRetries: settings.runner.maxRetries,
    requestToken: run.requestToken,
  };
}

function ecsFor(settings: Settings, run: RunDecisions): Strategy {
  return ecsStrategy({ target: settings.target, serviceUpdate: settings.serviceUpdate, wait: run.wait });
}
