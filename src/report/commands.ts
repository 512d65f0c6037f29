/** The AWS CLI commands a person can paste to follow or stop what ecs-shift started. */

export function stopCodeDeployCommand(deploymentId: string): string {
  return `aws deploy stop-deployment --deployment-id ${deploymentId} --auto-rollback-enabled`;
}

export function followCodeDeployCommand(deploymentId: string): string {
  return `aws deploy get-deployment --deployment-id ${deploymentId}`;
}

export function stopServiceDeploymentCommand(arn: string): string {
  return `aws ecs stop-service-deployment --service-deployment-arn ${arn} --stop-type ROLLBACK`;
}

export function followServiceDeploymentCommand(arn: string): string {
  return `aws ecs describe-service-deployments --service-deployment-arns ${arn}`;
}

export function stopTaskCommand(cluster: string, taskArn: string): string {
  return `aws ecs stop-task --cluster ${cluster} --task ${taskArn}`;
}
