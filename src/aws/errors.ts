/**
 * Turns whatever an AWS call throws (service error, credentials error, network error) into a
 * UserError that names the service and operation, quotes AWS's message and says what to do next.
 * The original error stays available as `cause`, so callers can still ask what it was
 * (isAwsErrorNamed, isTransient look through UserErrors to it).
 */
import { UserError } from '../text/errors.js';
import { configuredProxy } from './proxy.js';

export type AwsService = 'ECS' | 'CodeDeploy' | 'ECR' | 'IAM' | 'SSM' | 'SecretsManager' | 'CloudWatchLogs';

/**
 * A port-specific explanation for an error (e.g. "cluster not found" → name the `cluster` input).
 * Returns undefined to fall back to the generic mapping.
 */
export type ExplainAwsError = (error: unknown) => UserError | undefined | Promise<UserError | undefined>;

const IAM_PREFIX: Record<AwsService, string> = {
  ECS: 'ecs',
  CodeDeploy: 'codedeploy',
  ECR: 'ecr',
  IAM: 'iam',
  SSM: 'ssm',
  SecretsManager: 'secretsmanager',
  CloudWatchLogs: 'logs',
};

/** The SDK's per-service endpoint variable (from each client's service id). */
const ENDPOINT_VARIABLE: Record<AwsService, string> = {
  ECS: 'AWS_ENDPOINT_URL_ECS',
  CodeDeploy: 'AWS_ENDPOINT_URL_CODEDEPLOY',
  ECR: 'AWS_ENDPOINT_URL_ECR',
  IAM: 'AWS_ENDPOINT_URL_IAM',
  SSM: 'AWS_ENDPOINT_URL_SSM',
  SecretsManager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  CloudWatchLogs: 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
};

/**
 * A read-only look-up the credentials may not make (verify, the app's logs): the caller makes it a
 * notice naming `permission`, never a failure, because ecs-shift works without these permissions.
 */
export class MissingPermission extends UserError {
  override name = 'MissingPermission';
  constructor(readonly permission: string) {
    super(`The AWS credentials in use are not allowed to call ${permission}.`);
  }
}

/** callAws's `explain` for look-ups: access denied becomes MissingPermission. */
export function deniedAs(service: AwsService, operation: string): ExplainAwsError {
  return (error) =>
    classify(error) === 'access-denied'
      ? new MissingPermission(deniedActionOf(error) ?? `${IAM_PREFIX[service]}:${operation}`)
      : undefined;
}

const ACCESS_DENIED = ['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation'];
const BAD_CREDENTIALS = [
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'CredentialsProviderError',
];
const EXPIRED = ['ExpiredTokenException', 'ExpiredToken', 'RequestExpired'];
const THROTTLING = [
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottledException',
  'RequestThrottled',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
];
const SERVER_ERRORS = [
  'ServerException', // ECS
  'InternalFailure',
  'InternalServerError',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
];
const NETWORK_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ECONNABORTED',
];
const TIMEOUTS = ['TimeoutError', 'RequestTimeout', 'RequestTimeoutException'];

/**
 * Runs one AWS call; any error comes back as a UserError (`explain` first, then the generic
 * mapping) whose `cause` is the original error.
 */
export async function callAws<T>(
  service: AwsService,
  operation: string,
  call: () => Promise<T>,
  explain?: ExplainAwsError,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof UserError) throw error;
    const explained = explain ? await explain(error) : undefined;
    throw withCause(explained ?? awsUserError(service, operation, error), error);
  }
}

/**
 * The generic translation: `ECS DescribeServices failed: <AWS message> (<ErrorName>).` with the
 * hint for the class of error in `details`.
 */
export function awsUserError(service: AwsService, operation: string, error: unknown): UserError {
  const name = errorName(error);
  const message = readableMessage(error);
  const headline =
    `${service} ${operation} failed` + (message ? `: ${message}` : '') + (name ? ` (${name}).` : '.');
  return withCause(new UserError(headline, hintFor(service, operation, error)), error);
}

/** True when `error` (or the AWS error inside a UserError) has one of these names. */
export function isAwsErrorNamed(error: unknown, ...names: string[]): boolean {
  return causes(error).some((e) => names.includes(errorName(e) ?? '') || names.includes(nameOf(e) ?? ''));
}

/**
 * True for failures worth another try a little later: throttling, AWS server errors (5xx),
 * network errors and timeouts. Looks through UserErrors to the AWS error they wrap.
 */
export function isTransient(error: unknown): boolean {
  return causes(error).some((e) => {
    const kind = classify(e);
    return kind === 'throttling' || kind === 'server' || kind === 'network';
  });
}

type ErrorKind = 'access-denied' | 'credentials' | 'throttling' | 'server' | 'network' | 'other';

function classify(error: unknown): ErrorKind {
  if (!isObject(error)) return 'other';
  const name = nameOf(error) ?? '';
  const code = codeOf(error) ?? '';
  const message = messageOf(error) ?? '';
  const status = httpStatusOf(error);
  if (ACCESS_DENIED.includes(name) || /not authorized to perform/i.test(message)) return 'access-denied';
  if (
    BAD_CREDENTIALS.includes(name) ||
    EXPIRED.includes(name) ||
    /could not load credentials/i.test(message)
  ) {
    return 'credentials';
  }
  if (THROTTLING.includes(name) || status === 429) return 'throttling';
  if (SERVER_ERRORS.includes(name) || (status !== undefined && status >= 500)) return 'server';
  if (error.$fault === 'server') return 'server';
  if (NETWORK_CODES.includes(code) || TIMEOUTS.includes(name) || /socket hang up/i.test(message)) {
    return 'network';
  }
  return 'other';
}

function hintFor(service: AwsService, operation: string, error: unknown): string[] {
  const attempts = attemptsOf(error);
  const retried = attempts && attempts > 1 ? retriedText(attempts) : undefined;
  switch (classify(error)) {
    case 'access-denied': {
      const action = deniedActionOf(error) ?? `${IAM_PREFIX[service]}:${operation}`;
      return [
        `The AWS credentials in use are not allowed to call ${action}. Grant it to the role or user ` +
          `(see "IAM permissions" in the ecs-shift README for every action it needs).`,
      ];
    }
    case 'credentials':
      return credentialsHint(error);
    case 'throttling':
      return [
        `AWS kept throttling the request${retried ? `; it was ${retried}` : ''}. ` +
          'Raise the `max-retries` input, or spread out the jobs that call AWS from this account at the same time.',
      ];
    case 'server':
      return [
        `AWS answered with a server-side error${retried ? `; the request was ${retried}` : ''}. ` +
          'This is usually temporary: re-run the job, and check the AWS Health Dashboard if it persists.',
      ];
    case 'network':
      return networkHint(service, error, retried);
    default:
      return [];
  }
}

function credentialsHint(error: unknown): string[] {
  const name = nameOf(error) ?? '';
  if (EXPIRED.includes(name)) {
    return [
      'The AWS session expired. A deployment that waits a long time can outlive the session: raise ' +
        "`role-duration-seconds` on aws-actions/configure-aws-credentials (and the role's maximum session duration).",
    ];
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(messageOf(error) ?? '')) {
    return [
      'No AWS credentials were found. In GitHub Actions, run aws-actions/configure-aws-credentials before this step ' +
        '(with `permissions: id-token: write` for role-to-assume); elsewhere, set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE.',
    ];
  }
  return [
    'AWS did not accept the credentials (invalid, or for another partition). Check the step that sets them, ' +
      'usually aws-actions/configure-aws-credentials, and that its region and account are the intended ones.',
  ];
}

function networkHint(service: AwsService, error: unknown, retried: string | undefined): string[] {
  const endpoint = endpointOf(error);
  const configured = configuredEndpoint(service);
  const lines = [
    `Could not reach the ${service} endpoint${endpoint ? ` (${endpoint})` : ''}${retried ? `; the request was ${retried}` : ''}.`,
  ];
  const proxy = configuredProxy(configured?.value.startsWith('http:') ? 'http' : 'https');
  if (proxy) {
    lines.push(
      `${proxy.variable} is set to ${proxy.value}: check that the proxy is up and lets the runner through, unless NO_PROXY lists the host.`,
    );
  }
  if (configured) {
    lines.push(
      `${configured.variable} is set to ${configured.value}: check that it is the intended endpoint and that it is up.`,
    );
  } else {
    lines.push(
      'Check that the runner can reach AWS: a proxy or firewall in the way, or a VPC without a route or endpoint ' +
        `for ${service}. To use another endpoint, set ${ENDPOINT_VARIABLE[service]} or AWS_ENDPOINT_URL.`,
    );
  }
  return lines;
}

function retriedText(attempts: number): string {
  const retries = attempts - 1;
  return `retried ${retries} time${retries === 1 ? '' : 's'} (${attempts} attempts)`;
}

/** The `iam-prefix:Action` AWS names in "… is not authorized to perform: ecs:DescribeServices on …". */
function deniedActionOf(error: unknown): string | undefined {
  return /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/i.exec(messageOf(error) ?? '')?.[1];
}

function endpointOf(error: unknown): string | undefined {
  if (!isObject(error)) return undefined;
  const host = stringField(error, 'hostname') ?? stringField(error, 'host') ?? stringField(error, 'address');
  if (!host)
    return /\b(?:ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|EAI_AGAIN)\s+([\w.:[\]-]+)/.exec(
      messageOf(error) ?? '',
    )?.[1];
  const port = error.port;
  return typeof port === 'number' || typeof port === 'string' ? `${host}:${port}` : host;
}

function configuredEndpoint(service: AwsService): { variable: string; value: string } | undefined {
  for (const variable of [ENDPOINT_VARIABLE[service], 'AWS_ENDPOINT_URL']) {
    const value = process.env[variable];
    if (value) return { variable, value };
  }
  return undefined;
}

/** AWS's own message, minus a trailing period; never a raw response body. */
function readableMessage(error: unknown): string | undefined {
  const message = messageOf(error)?.trim().replace(/\s+/g, ' ');
  const status = httpStatusOf(error);
  if (!message || message === 'UnknownError' || /^[{<[]/.test(message)) {
    return status ? `AWS answered HTTP ${status} without a readable error message` : undefined;
  }
  const short = message.length > 600 ? `${message.slice(0, 600)}…` : message;
  return short.replace(/\.$/, '');
}

/** The error's AWS name, or the Node error code (ECONNREFUSED) for network errors. */
function errorName(error: unknown): string | undefined {
  const name = nameOf(error);
  const code = codeOf(error);
  if (!name || name === 'Error' || name === 'Unknown') return code;
  return name;
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  while (isObject(current) && !chain.includes(current) && chain.length < 10) {
    chain.push(current);
    current = current.cause;
  }
  return chain;
}

function withCause(error: UserError, cause: unknown): UserError {
  if (error.cause === undefined && error !== cause) {
    Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true });
  }
  return error;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function stringField(error: Record<string, unknown>, key: string): string | undefined {
  const value = error[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function nameOf(error: unknown): string | undefined {
  return isObject(error) ? stringField(error, 'name') : undefined;
}

/**
 * The Node error code (ECONNREFUSED); taken from the message when an error lost its fields on the
 * way (the SDK wraps errors from another realm as "AWS SDK error wrapper for Error: connect …").
 */
function codeOf(error: unknown): string | undefined {
  const code = isObject(error) ? stringField(error, 'code') : undefined;
  if (code) return code;
  const name = nameOf(error);
  if (name && name !== 'Error') return undefined;
  const message = messageOf(error) ?? '';
  return NETWORK_CODES.find((candidate) => new RegExp(`\\b${candidate}\\b`).test(message));
}

function messageOf(error: unknown): string | undefined {
  const message =
    typeof error === 'string' ? error : isObject(error) ? stringField(error, 'message') : undefined;
  return message?.replace(/^AWS SDK error wrapper for (Error: )?/, '');
}

function metadataOf(error: unknown): Record<string, unknown> | undefined {
  const metadata = isObject(error) ? error.$metadata : undefined;
  return isObject(metadata) ? metadata : undefined;
}

function attemptsOf(error: unknown): number | undefined {
  const attempts = metadataOf(error)?.attempts;
  return typeof attempts === 'number' ? attempts : undefined;
}

function httpStatusOf(error: unknown): number | undefined {
  const status = metadataOf(error)?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}
