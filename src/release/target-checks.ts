/**
 * Pure checks of the inputs against where they will act, made in the plan before anything changes: a
 * cluster ARN must be in the client's region, partition and the service's account, and inputs that do
 * nothing for the service's deployment controller are named in a warning (a user who expects them to
 * act finds out now, not after the release).
 */
import { UserError } from '../text/errors.js';
import { partitionOf } from '../report/console-urls.js';

const ARN = /^arn:([\w-]+):ecs:([\w-]+):(\d{12}):cluster\/(.+)$/;

/**
 * A cluster given as an ARN from another region, partition or account than the one the AWS client
 * talks to cannot be what the user meant: ECS would answer "cluster not found" or worse.
 */
export function checkClusterArn(cluster: string, region: string, serviceArn?: string): void {
  const match = ARN.exec(cluster);
  if (!match) return;
  const [, partition, arnRegion, account] = match;
  const problems: string[] = [];
  if (arnRegion !== region) problems.push(`its region is ${arnRegion}, but ecs-shift runs against ${region}`);
  // Partitions beyond aws, aws-cn and aws-us-gov (the isolated regions) are not told apart here.
  const knownPartition = ['aws', 'aws-cn', 'aws-us-gov'].includes(partition) && !region.includes('-iso');
  if (knownPartition && partition !== partitionOf(region)) {
    problems.push(`its partition is ${partition}, but region ${region} is in ${partitionOf(region)}`);
  }
  const serviceAccount = serviceArn?.split(':')[4];
  if (serviceAccount && /^\d{12}$/.test(serviceAccount) && serviceAccount !== account) {
    problems.push(`its account is ${account}, but the service is in account ${serviceAccount}`);
  }
  if (problems.length === 0) return;
  throw new UserError(
    `cluster: ${cluster} does not match the AWS credentials in use: ${problems.join('; ')}. Nothing was changed.`,
    [
      'Give the cluster by name, or set AWS_REGION (aws-actions/configure-aws-credentials: aws-region) and the role of the account the cluster is in.',
    ],
  );
}

export type Controller = 'CODE_DEPLOY' | 'ECS' | 'NONE';

/** Inputs that only UpdateService (ECS controller) uses. */
const SERVICE_UPDATE_INPUTS = [
  'desired-count',
  'propagate-tags',
  'force-new-deployment',
  'service-managed-ebs-volume-name',
  'service-managed-ebs-volume',
];
/** Inputs that only a CodeDeploy deployment uses. */
const CODEDEPLOY_INPUTS = [
  'codedeploy-appspec',
  'codedeploy-application',
  'codedeploy-deployment-group',
  'codedeploy-deployment-config',
  'codedeploy-deployment-description',
];

/**
 * The inputs given that have no effect with this controller (NONE: no service, register only).
 * `force-new-deployment` counts only when true, since action.yml sets it to false by default.
 */
export function inputsWithoutEffect(
  controller: Controller,
  given: readonly string[],
  options: { forceNewDeployment: boolean; runTask: boolean },
): string[] {
  const set = (name: string) =>
    given.includes(name) && (name !== 'force-new-deployment' || options.forceNewDeployment);
  const inert: string[] = [];
  if (controller !== 'ECS') inert.push(...SERVICE_UPDATE_INPUTS.filter(set));
  // enable-ecs-managed-tags also applies to a one-off task.
  if (controller !== 'ECS' && !options.runTask && set('enable-ecs-managed-tags'))
    inert.push('enable-ecs-managed-tags');
  if (controller !== 'CODE_DEPLOY') inert.push(...CODEDEPLOY_INPUTS.filter(set));
  return inert;
}

/** The warning for `inputsWithoutEffect`, or undefined when every input given acts. */
export function inertInputsWarning(
  controller: Controller,
  inert: string[],
  service?: string,
): string | undefined {
  if (inert.length === 0) return undefined;
  const where =
    controller === 'NONE'
      ? 'without `service` the step only renders the task definition (and registers it with nothing to render or `register: true`)'
      : controller === 'CODE_DEPLOY'
        ? `${service ? `service "${service}" is` : 'every service is'} deployed by CodeDeploy, which takes the desired count, tags and revision from the deployment group and the AppSpec`
        : `${service ? `service "${service}" uses` : 'every service uses'} the ECS deployment controller, so no CodeDeploy deployment is made`;
  return `${inert.join(', ')} ${inert.length === 1 ? 'has' : 'have'} no effect here: ${where}. Remove ${inert.length === 1 ? 'it' : 'them'}, or check that this is the intended service.`;
}
