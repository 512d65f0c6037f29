/**
 * `ecs-shift status`: what runs now — the service's revision and tasks, the deployments in flight
 * (ECS rollouts and service deployments; CodeDeploy deployments of its group) and the traffic split.
 */
import { UserError } from '../text/errors.js';
import type { AwsConnection } from '../release/connect.js';
import { taskDefinitionName } from '../report/console-urls.js';
import type { Settings } from '../settings/settings.js';
import { safeText } from '../text/sanitise.js';

export interface StatusView {
  lines: string[];
  json: Record<string, unknown>;
}

export async function describeStatus(aws: AwsConnection, settings: Settings): Promise<StatusView> {
  const name = settings.target.service!;
  const service = await aws.ecs.describeService(settings.target.cluster, name);
  if (!service) {
    throw new UserError(
      `Service "${name}" was not found in cluster "${settings.target.cluster}" (region ${aws.region}). Check --service and --cluster.`,
    );
  }
  const controller = service.deploymentController?.type ?? 'ECS';
  const revision = service.taskDefinition ? taskDefinitionName(service.taskDefinition) : 'unknown';
  const lines = [
    `Service ${name} in cluster ${settings.target.cluster} (${aws.region}): ${service.status ?? 'unknown'}, controller ${controller}`,
    `Revision  ${revision}: ${service.runningCount ?? 0}/${service.desiredCount ?? 0} tasks running${service.pendingCount ? `, ${service.pendingCount} pending` : ''}`,
  ];
  const inFlight: Record<string, unknown>[] = [];
  if (controller === 'CODE_DEPLOY') {
    const ids = await aws.codeDeploy.listActiveDeployments(
      settings.codeDeploy.application,
      settings.codeDeploy.deploymentGroup,
    );
    for (const id of ids) {
      const info = await aws.codeDeploy.getDeployment(id);
      inFlight.push({ deploymentId: id, status: info.status });
      lines.push(`In flight ${id} (${info.status ?? 'unknown'})`);
    }
    for (const taskSet of service.taskSets ?? []) {
      const weight = taskSet.scale?.value;
      lines.push(
        `Task set  ${taskSet.status ?? '?'} ${taskSet.taskDefinition ? taskDefinitionName(taskSet.taskDefinition) : ''}: ${taskSet.runningCount ?? 0} running${weight === undefined ? '' : `, scale ${weight}%`}`,
      );
    }
  } else {
    for (const rollout of service.deployments ?? []) {
      const active = rollout.status === 'PRIMARY' && rollout.rolloutState === 'COMPLETED';
      if (active) continue;
      inFlight.push({
        id: rollout.id,
        status: rollout.status,
        rolloutState: rollout.rolloutState,
        taskDefinition: rollout.taskDefinition,
      });
      lines.push(
        `In flight ${rollout.status ?? '?'} ${rollout.taskDefinition ? taskDefinitionName(rollout.taskDefinition) : ''}: ${rollout.runningCount ?? 0}/${rollout.desiredCount ?? 0} running${rollout.rolloutState ? ` (${rollout.rolloutState})` : ''}`,
      );
    }
    const recent = await aws.ecs.listServiceDeployments(
      settings.target.cluster,
      name,
      new Date(Date.now() - 24 * 3_600_000),
    );
    for (const brief of recent.filter((d) => d.status === 'IN_PROGRESS' || d.status === 'PENDING')) {
      const deployment = await aws.ecs.describeServiceDeployment(brief.serviceDeploymentArn ?? '');
      const weight = deployment.targetServiceRevision?.requestedProductionTrafficWeight;
      inFlight.push({
        serviceDeploymentArn: brief.serviceDeploymentArn,
        status: deployment.status,
        lifecycleStage: deployment.lifecycleStage,
        productionTrafficWeight: weight,
      });
      lines.push(
        `Deploying ${brief.serviceDeploymentArn} (${deployment.status}${deployment.lifecycleStage ? `, ${deployment.lifecycleStage}` : ''})${weight === undefined ? '' : `: traffic ${100 - weight}% old / ${weight}% new`}`,
      );
    }
  }
  if (inFlight.length === 0) lines.push('In flight none');
  return {
    lines: lines.map((line) => safeText(line)),
    json: {
      service: name,
      cluster: settings.target.cluster,
      region: aws.region,
      controller,
      status: service.status,
      taskDefinition: service.taskDefinition,
      runningCount: service.runningCount,
      desiredCount: service.desiredCount,
      inFlight,
    },
  };
}
