/**
 * The one place that builds AWS SDK clients: region, user agent and retries are decided here, so
 * every call ecs-shift makes behaves the same way. Credentials and endpoints come from the SDK's
 * standard chain (configure-aws-credentials' environment, AWS_PROFILE, AWS_ENDPOINT_URL*): this
 * module never sets an `endpoint`, because an explicit one would win over those overrides.
 */
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { UserError } from '../text/errors.js';

export interface AwsClientOptions {
  /** Retries after the first attempt (the `max-retries` input). Unset: the SDK's default. */
  maxRetries?: number;
  /** Appended to the SDK's user agent, e.g. `ecs-shift/1.2.0`. */
  userAgent: string;
  /** The agents for a proxy (aws/proxy.ts); unset: the SDK's own, direct connections. */
  requestHandler?: { httpAgent: unknown; httpsAgent: unknown };
}

export interface AwsClients {
  ecs: ECSClient;
  codeDeploy: CodeDeployClient;
  /**
   * The same, without SDK retries: for CreateDeployment, which is not idempotent. A retry after a lost
   * answer could start a second deployment, so codedeploy/create-once.ts retries it only after checking.
   */
  codeDeployOnce: CodeDeployClient;
  region: string;
}

export function createAwsClients(
  options: AwsClientOptions,
  env: NodeJS.ProcessEnv = process.env,
): AwsClients {
  const region = resolveRegion(env);
  const config = clientConfig(options, region);
  return {
    ecs: new ECSClient(config),
    codeDeploy: new CodeDeployClient(config),
    codeDeployOnce: new CodeDeployClient({ ...config, maxAttempts: 1 }),
    region,
  };
}

/** The configuration every SDK client gets, for `region` (look-ups may reach another region's ECR). */
export function clientConfig(options: AwsClientOptions, region: string) {
  return {
    region,
    retryMode: 'standard',
    ...(options.maxRetries === undefined ? {} : { maxAttempts: maxAttemptsFor(options.maxRetries) }),
    customUserAgent: options.userAgent,
    ...(options.requestHandler ? { requestHandler: options.requestHandler } : {}),
  };
}

/**
 * AWS_REGION, then AWS_DEFAULT_REGION. configure-aws-credentials exports both, but SDK v3 reads only
 * AWS_REGION, so a workflow (or another CI system) that sets just AWS_DEFAULT_REGION would otherwise
 * fail with the SDK's bare "Region is missing".
 */
export function resolveRegion(env: NodeJS.ProcessEnv = process.env): string {
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (region) return region;
  throw new UserError('No AWS region is configured, so ecs-shift does not know where the ECS service is.', [
    'In GitHub Actions, run aws-actions/configure-aws-credentials before this step with `aws-region: <region>` (it exports AWS_REGION).',
    'Elsewhere (or without that action), set the AWS_REGION environment variable, e.g. AWS_REGION=us-east-1.',
  ]);
}

function maxAttemptsFor(maxRetries: number): number {
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new UserError(
      `Expected \`max-retries\` to be a whole number of 0 or more, got ${String(maxRetries)}.`,
    );
  }
  return maxRetries + 1;
}
