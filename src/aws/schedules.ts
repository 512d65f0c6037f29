/**
 * The scheduled-task ports (EventBridge rules, EventBridge Scheduler), each loaded on first use as the
 * look-ups are (lookups.ts): a release without `scheduled-tasks` never loads those SDK clients. One
 * client each, in the release's region (rules and schedules are regional, like the cluster they run in).
 * Also the error translation both ports share.
 */
import { type AwsClientOptions, clientConfig } from './clients.js';
import {
  type AwsService,
  type ExplainAwsError,
  awsUserError,
  callAws,
  isAwsErrorNamed,
  MissingPermission,
} from './errors.js';
import { onFirstUse } from './lookups.js';
import type { EventBridgePort, SchedulePorts, SchedulerPort } from './ports.js';
import { configuredProxy } from './proxy.js';
import { UserError } from '../text/errors.js';

export function createSchedulePorts(options: AwsClientOptions, region: string): SchedulePorts {
  const eventBridgeMethods: (keyof EventBridgePort)[] = ['listRules', 'listTargets', 'putTargets'];
  const schedulerMethods: (keyof SchedulerPort)[] = ['listSchedules', 'getSchedule', 'updateSchedule'];
  return {
    eventBridge: onFirstUse<EventBridgePort>(eventBridgeMethods, async () => {
      const [{ EventBridgeClient }, { createEventBridgePort }] = await Promise.all([
        import('@aws-sdk/client-eventbridge'),
        import('./eventbridge.js'),
      ]);
      return createEventBridgePort(new EventBridgeClient(clientConfig(options, region)));
    }),
    scheduler: onFirstUse<SchedulerPort>(schedulerMethods, async () => {
      const [{ SchedulerClient }, { createSchedulerPort }] = await Promise.all([
        import('@aws-sdk/client-scheduler'),
        import('./scheduler.js'),
      ]);
      return createSchedulerPort(new SchedulerClient(clientConfig(options, region)));
    }),
  };
}

/** The two services, with what errors.ts keeps per service (IAM prefix, the SDK's endpoint variable). */
const SERVICES = {
  EventBridge: { iamPrefix: 'events', endpointVariable: 'AWS_ENDPOINT_URL_EVENTBRIDGE' },
  Scheduler: { iamPrefix: 'scheduler', endpointVariable: 'AWS_ENDPOINT_URL_SCHEDULER' },
} as const;
export type ScheduleService = keyof typeof SERVICES;

export interface ScheduleCall {
  service: ScheduleService;
  operation: string;
  /** What the call is about, for the headline: `rule "web-nightly"`. */
  subject?: string;
  /** A change (PutTargets, UpdateSchedule): access denied is a failure naming what to grant, not MissingPermission. */
  mutating?: boolean;
  /** A port-specific explanation first (e.g. a missing rule). */
  explain?: ExplainAwsError;
}

/**
 * callAws for EventBridge and Scheduler. errors.ts's AwsService does not list them, and its generic
 * mapping looks two things up per service (the IAM action of an access denied, the endpoint variable
 * of a network error): those two cases are answered here, so the generic mapping only puts the name
 * in its headline. Once AwsService lists both, this can become a plain callAws.
 */
export function callScheduleApi<T>(call: ScheduleCall, send: () => Promise<T>): Promise<T> {
  const service = call.service as unknown as AwsService;
  const label = call.subject ? `${call.operation} of ${call.subject}` : call.operation;
  return callAws(service, label, send, async (error) => {
    const explained = call.explain ? await call.explain(error) : undefined;
    if (explained) return explained;
    if (isAccessDenied(error)) return deniedError(call, label, error);
    if (isNetworkError(error)) {
      const generic = awsUserError(service, label, error);
      return new UserError(generic.message, networkHint(call.service));
    }
    return undefined;
  });
}

function deniedError(call: ScheduleCall, label: string, error: unknown): UserError {
  const action = deniedActionOf(error) ?? `${SERVICES[call.service].iamPrefix}:${call.operation}`;
  if (!call.mutating) return new MissingPermission(action);
  // Changing a target that has a role hands that role to EventBridge or Scheduler: AWS checks iam:PassRole.
  const grant =
    action === 'iam:PassRole'
      ? "Grant iam:PassRole on the target's role (its RoleArn) to the role or user"
      : `Grant ${action}, and iam:PassRole on the target's role (its RoleArn), to the role or user`;
  return new UserError(
    `${call.service} ${label} was denied: the AWS credentials in use are not allowed to call ${action}.`,
    [`${grant} (see "IAM permissions" in the ecs-shift README).`],
  );
}

function networkHint(service: ScheduleService): string[] {
  const { endpointVariable } = SERVICES[service];
  const configured = [endpointVariable, 'AWS_ENDPOINT_URL']
    .map((variable) => ({ variable, value: process.env[variable] }))
    .find((entry) => entry.value);
  const lines = [`Could not reach the ${service} endpoint.`];
  const proxy = configuredProxy(configured?.value?.startsWith('http:') ? 'http' : 'https');
  if (proxy) {
    lines.push(
      `${proxy.variable} is set to ${proxy.value}: check that the proxy is up and lets the runner through, unless NO_PROXY lists the host.`,
    );
  }
  lines.push(
    configured
      ? `${configured.variable} is set to ${configured.value}: check that it is the intended endpoint and that it is up.`
      : 'Check that the runner can reach AWS: a proxy or firewall in the way, or a VPC without a route or endpoint ' +
          `for ${service}. To use another endpoint, set ${endpointVariable} or AWS_ENDPOINT_URL.`,
  );
  return lines;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : typeof error === 'string' ? error : '';
}

function isAccessDenied(error: unknown): boolean {
  return (
    isAwsErrorNamed(error, 'AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation') ||
    /not authorized to perform/i.test(messageOf(error))
  );
}

const NETWORK = [
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
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
];

function isNetworkError(error: unknown): boolean {
  if (isAwsErrorNamed(error, ...NETWORK)) return true;
  // An error that lost its fields on the way keeps the code in its message only (as errors.ts reads it).
  const name = error instanceof Error ? error.name : undefined;
  if (name && name !== 'Error') return false;
  const message = messageOf(error);
  return /socket hang up/i.test(message) || NETWORK.some((code) => new RegExp(`\\b${code}\\b`).test(message));
}

/** The `prefix:Action` in AWS's "… is not authorized to perform: events:PutTargets on …". */
function deniedActionOf(error: unknown): string | undefined {
  return /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/i.exec(messageOf(error))?.[1];
}
