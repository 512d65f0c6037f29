/**
 * The AWS JSON 1.1 endpoint: routes `X-Amz-Target` to a handler, answers errors the way AWS does,
 * applies the operation faults, and records every request. Signatures are not checked.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Handler } from './codedeploy.js';
import { SimError } from './errors.js';
import type { FaultBook } from './faults.js';

export type ServiceName = 'ecs' | 'codedeploy';

/** The message AWS sends with each injectable error. */
function injectedMessage(type: string, service: ServiceName, operation: string): string {
  switch (type) {
    case 'ThrottlingException':
      return 'Rate exceeded';
    case 'AccessDeniedException':
      return `User: arn:aws:sts::123456789012:assumed-role/deploy/GitHubActions is not authorized to perform: ${service}:${operation} on resource: * because no identity-based policy allows the ${service}:${operation} action`;
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
  /** The error's __type when the call failed. */
  error?: string;
}

const targetPrefixes: Record<string, ServiceName> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  CodeDeploy_20141006: 'codedeploy',
};

export interface Routes {
  ecs: Record<string, Handler>;
  codedeploy: Record<string, Handler>;
}

export async function listen(
  routes: Routes,
  faults: FaultBook,
  requests: RecordedRequest[],
  port = 0,
): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    void handle(request, response, routes, faults, requests);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${actualPort}` };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  routes: Routes,
  faults: FaultBook,
  requests: RecordedRequest[],
): Promise<void> {
  const body = await readBody(request);
  const [prefix, operation = ''] = String(request.headers['x-amz-target'] ?? '').split('.');
  const service = targetPrefixes[prefix];
  if (request.method !== 'POST' || !service) {
    return send(response, 400, { __type: 'UnknownOperationException', message: `Unknown target ${prefix}.` });
  }
  let input: unknown = {};
  const entry: RecordedRequest = { at: Date.now(), service, operation, input, status: 200 };
  requests.push(entry);
  try {
    entry.input = input = body ? JSON.parse(body) : {};
    const handler = routes[service][operation];
    if (!handler)
      throw new SimError(
        'UnknownOperationException',
        `The simulator does not implement ${service} ${operation}.`,
      );
    const injected = faults.errorFor(operation);
    if (injected)
      throw new SimError(injected.type, injectedMessage(injected.type, service, operation), injected.status);
    const output = handler(input);
    if (faults.loseResponse(operation)) {
      entry.status = 0;
      entry.error = 'ResponseLost';
      request.socket.destroy();
      return;
    }
    const delay = faults.answerDelay(operation);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay).unref());
    send(response, 200, output ?? {});
  } catch (error) {
    const simError =
      error instanceof SimError
        ? error
        : error instanceof SyntaxError
          ? new SimError('SerializationException', 'The request body is not valid JSON.')
          : new SimError('InternalFailure', `Simulator error: ${(error as Error).message}`, 500);
    entry.status = simError.status;
    entry.error = simError.type;
    send(response, simError.status, { __type: simError.type, message: simError.message });
  }
}

function send(response: ServerResponse, status: number, payload: unknown): void {
  if (response.destroyed || response.writableEnded) return; // the caller went away (a killed step)
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(text);
}
