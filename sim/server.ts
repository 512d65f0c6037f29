/**
 * The HTTP endpoint of every simulated service: AWS JSON 1.1 routed by `X-Amz-Target`, and the query
 * protocol (IAM) routed by the form's Version and Action, and REST-JSON (Scheduler) routed by method and path. Answers errors the way each protocol does,
 * applies the operation faults, and records every request. Signatures are not checked; the SigV4
 * credential scope only tells the region the client asked.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimError } from './errors.js';
import type { FaultBook } from './faults.js';
import { type Handler, signedRegion } from './handler.js';
import { isQueryRequest, parseQuery, queryAnswer, queryError, queryErrorFor } from './query-protocol.js';
import { restRoute } from './rest-protocol.js';

export type ServiceName =
  'ecs' | 'codedeploy' | 'ecr' | 'iam' | 'ssm' | 'secretsmanager' | 'logs' | 'events' | 'scheduler';

/** The IAM action prefix of each service (`ecr:DescribeImages`, `logs:GetLogEvents`, …). */
const iamPrefixes: Record<ServiceName, string> = {
  ecs: 'ecs',
  codedeploy: 'codedeploy',
  ecr: 'ecr',
  iam: 'iam',
  ssm: 'ssm',
  secretsmanager: 'secretsmanager',
  logs: 'logs',
  events: 'events',
  scheduler: 'scheduler',
};

/** The message AWS sends with each injectable error. */
function injectedMessage(type: string, service: ServiceName, operation: string): string {
  const action = `${iamPrefixes[service]}:${operation}`;
  switch (type) {
    case 'ThrottlingException':
      return 'Rate exceeded';
    case 'AccessDeniedException':
      return `User: arn:aws:sts::123456789012:assumed-role/deploy/GitHubActions is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`;
    case 'ExpiredTokenException':
      return 'The security token included in the request is expired';
    default:
      return 'An internal error occurred (simulated).';
  }
}

export interface RecordedRequest {
  at: number;
  service: ServiceName;
  operation: string;
  input: unknown;
  /** HTTP status; 0 when the response was deliberately lost (responseLost fault). */
  status: number;
  /** The error's __type (JSON) or Code (query) when the call failed. */
  error?: string;
}

const targetPrefixes: Record<string, ServiceName> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  CodeDeploy_20141006: 'codedeploy',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
  AmazonSSM: 'ssm',
  secretsmanager: 'secretsmanager',
  Logs_20140328: 'logs',
  AWSEvents: 'events',
};

/** Query-protocol API versions by service. */
const queryVersions: Record<string, ServiceName> = { '2010-05-08': 'iam' };

export type Routes = Record<ServiceName, Record<string, Handler>>;

export async function listen(
  routes: Routes,
  faults: FaultBook,
  requests: RecordedRequest[],
  defaultRegion: string,
  port = 0,
  downloads?: (path: string) => string | undefined,
): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    void handle(request, response, { routes, faults, requests, defaultRegion, downloads });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${actualPort}` };
}

interface Endpoint {
  routes: Routes;
  faults: FaultBook;
  requests: RecordedRequest[];
  defaultRegion: string;
  /** The content behind a download URL path, or undefined (404 as an unknown call). */
  downloads?: (path: string) => string | undefined;
}

/** One call, whatever its protocol: what to run and how to answer. */
interface Call {
  service: ServiceName;
  operation: string;
  input: () => unknown;
  answer: (response: ServerResponse, output: unknown) => void;
  fail: (response: ServerResponse, error: SimError) => SimError;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function jsonCall(request: IncomingMessage, body: string): Call | undefined {
  const [prefix, operation = ''] = String(request.headers['x-amz-target'] ?? '').split('.');
  const service = targetPrefixes[prefix];
  if (!service) return undefined;
  return {
    service,
    operation,
    input: () => (body ? JSON.parse(body) : {}),
    answer: (response, output) => sendJson(response, 200, output ?? {}),
    fail: (response, error) => {
      sendJson(response, error.status, { __type: error.type, message: error.message });
      return error;
    },
  };
}

function queryCall(body: string): Call | undefined {
  const { action, version, input } = parseQuery(body);
  const service = queryVersions[version];
  if (!service || !action) return undefined;
  return {
    service,
    operation: action,
    input: () => input,
    answer: (response, output) => {
      const requestId = randomUUID();
      sendXml(response, 200, queryAnswer(version, action, output, requestId), requestId);
    },
    fail: (response, error) => {
      const { code, status } = queryErrorFor(error.type, error.status);
      const requestId = randomUUID();
      sendXml(response, status, queryError(version, code, error.message, status, requestId), requestId);
      return new SimError(code, error.message, status);
    },
  };
}

/** REST-JSON (Scheduler): the method and path name the operation; path, query and body make the input. */
function restCall(request: IncomingMessage, body: string): Call | undefined {
  const route = restRoute(request.method ?? 'GET', request.url ?? '/');
  if (!route) return undefined;
  return {
    service: route.service,
    operation: route.operation,
    input: () => ({ ...(body ? JSON.parse(body) : {}), ...route.input }),
    answer: (response, output) => sendJson(response, 200, output ?? {}, 'application/json'),
    fail: (response, error) => {
      const sent = new SimError(error.type, error.message, restStatus(error));
      sendJson(response, sent.status, { message: error.message }, 'application/json', error.type);
      return sent;
    },
  };
}

/** REST-JSON services tell the error by its status and x-amzn-ErrorType (Scheduler's documented codes). */
function restStatus(error: SimError): number {
  const statuses: Record<string, number> = {
    ResourceNotFoundException: 404,
    ConflictException: 409,
    ThrottlingException: 429,
    AccessDeniedException: 403,
    ServiceQuotaExceededException: 402,
    ValidationException: 400,
  };
  return statuses[error.type] ?? error.status;
}

async function handle(request: IncomingMessage, response: ServerResponse, endpoint: Endpoint): Promise<void> {
  const { routes, faults, requests } = endpoint;
  const body = await readBody(request);
  // A presigned download (ECR's GetDownloadUrlForLayer hands these out): plain GET, no AWS protocol.
  const download = request.method === 'GET' ? endpoint.downloads?.(request.url ?? '') : undefined;
  if (download !== undefined) {
    response.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': Buffer.byteLength(download),
    });
    response.end(download);
    return;
  }
  const call =
    restCall(request, body) ??
    (request.method !== 'POST'
      ? undefined
      : isQueryRequest(request.headers)
        ? queryCall(body)
        : jsonCall(request, body));
  if (!call) {
    const target = String(request.headers['x-amz-target'] ?? '').split('.')[0];
    return sendJson(response, 400, {
      __type: 'UnknownOperationException',
      message: `Unknown target ${target}.`,
    });
  }
  const { service, operation } = call;
  const entry: RecordedRequest = { at: Date.now(), service, operation, input: {}, status: 200 };
  requests.push(entry);
  try {
    const input = (entry.input = call.input());
    const handler = routes[service][operation];
    if (!handler)
      throw new SimError(
        'UnknownOperationException',
        `The simulator does not implement ${service} ${operation}.`,
      );
    const injected = faults.errorFor(operation);
    if (injected)
      throw new SimError(injected.type, injectedMessage(injected.type, service, operation), injected.status);
    const output = handler(input, {
      region: signedRegion(request.headers.authorization, endpoint.defaultRegion),
      origin: `http://${request.headers.host ?? '127.0.0.1'}`,
    });
    if (faults.loseResponse(operation)) {
      entry.status = 0;
      entry.error = 'ResponseLost';
      request.socket.destroy();
      return;
    }
    const delay = faults.answerDelay(operation);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay).unref());
    call.answer(response, output);
  } catch (error) {
    const simError =
      error instanceof SimError
        ? error
        : error instanceof SyntaxError
          ? new SimError('SerializationException', 'The request body is not valid JSON.')
          : new SimError('InternalFailure', `Simulator error: ${(error as Error).message}`, 500);
    const sent = call.fail(response, simError);
    entry.status = sent.status;
    entry.error = sent.type;
  }
}

function writable(response: ServerResponse): boolean {
  return !response.destroyed && !response.writableEnded; // false when the caller went away (a killed step)
}

function sendJson(
  response: ServerResponse,
  status: number,
  payload: unknown,
  contentType = 'application/x-amz-json-1.1',
  errorType?: string,
): void {
  if (!writable(response)) return;
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
  });
  response.end(text);
}

function sendXml(response: ServerResponse, status: number, text: string, requestId: string): void {
  if (!writable(response)) return;
  response.writeHead(status, {
    'Content-Type': 'text/xml',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
  });
  response.end(text);
}
