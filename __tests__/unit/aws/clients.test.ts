import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAwsClients, resolveRegion } from '../../../src/aws/clients.js';
import { createCodeDeployPort } from '../../../src/aws/codedeploy.js';
import { createEcsPort } from '../../../src/aws/ecs.js';
import { isTransient } from '../../../src/aws/errors.js';
import { UserError } from '../../../src/text/errors.js';

const USER_AGENT = 'ecs-shift/9.9.9';
const savedEnv = { ...process.env };

beforeEach(() => {
  // Fake credentials, no instance metadata, no endpoint overrides unless a test sets one.
  for (const key of Object.keys(process.env)) {
    // The SDK's own switches (its Node version notice) stay as the test setup set them.
    if (/^AWS_(?!SDK_JS_)/.test(key)) delete process.env[key];
  }
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_REGION: 'eu-central-1',
  });
});

afterEach(() => {
  process.env = { ...savedEnv };
});

describe('resolveRegion', () => {
  it('uses AWS_REGION first', () => {
    expect(resolveRegion({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-1' })).toBe('eu-west-1');
  });

  it('falls back to AWS_DEFAULT_REGION, which SDK v3 does not read itself', () => {
    expect(resolveRegion({ AWS_DEFAULT_REGION: 'ap-southeast-2' })).toBe('ap-southeast-2');
    expect(resolveRegion({ AWS_REGION: '', AWS_DEFAULT_REGION: 'ap-southeast-2' })).toBe('ap-southeast-2');
  });

  it('without either, says so and how to fix it', () => {
    let error: unknown;
    try {
      resolveRegion({});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    const text = [(error as UserError).message, ...(error as UserError).details].join('\n');
    expect(text).toMatch(/No AWS region is configured/);
    expect(text).toMatch(/aws-actions\/configure-aws-credentials .*`aws-region/);
    expect(text).toMatch(/AWS_REGION environment variable/);
  });
});

describe('createAwsClients', () => {
  it('passes the resolved region (AWS_DEFAULT_REGION too) to both clients and returns it', async () => {
    delete process.env.AWS_REGION;
    process.env.AWS_DEFAULT_REGION = 'us-gov-west-1';
    const aws = createAwsClients({ userAgent: USER_AGENT });
    expect(aws.region).toBe('us-gov-west-1');
    await expect(aws.ecs.config.region()).resolves.toBe('us-gov-west-1');
    await expect(aws.codeDeploy.config.region()).resolves.toBe('us-gov-west-1');
  });

  it('throws the region UserError before building anything', () => {
    delete process.env.AWS_REGION;
    expect(() => createAwsClients({ userAgent: USER_AGENT })).toThrow(UserError);
  });

  it('never sets an endpoint', () => {
    const aws = createAwsClients({ userAgent: USER_AGENT });
    expect(aws.ecs.config.endpoint).toBeUndefined();
    expect(aws.codeDeploy.config.endpoint).toBeUndefined();
    expect(aws.ecs.config.isCustomEndpoint).toBe(false);
  });

  it('uses standard retries with maxAttempts = max-retries + 1', async () => {
    const aws = createAwsClients({ userAgent: USER_AGENT, maxRetries: 5 });
    for (const config of [aws.ecs.config, aws.codeDeploy.config]) {
      await expect(config.maxAttempts()).resolves.toBe(6);
      expect(config.retryMode).toBe('standard');
    }
  });

  it("keeps the SDK's default attempts without max-retries (and honours AWS_MAX_ATTEMPTS)", async () => {
    await expect(createAwsClients({ userAgent: USER_AGENT }).ecs.config.maxAttempts()).resolves.toBe(3);
    process.env.AWS_MAX_ATTEMPTS = '7';
    await expect(createAwsClients({ userAgent: USER_AGENT }).codeDeploy.config.maxAttempts()).resolves.toBe(
      7,
    );
  });

  it('max-retries 0 means a single attempt; a negative or fractional value is an input error', async () => {
    await expect(
      createAwsClients({ userAgent: USER_AGENT, maxRetries: 0 }).ecs.config.maxAttempts(),
    ).resolves.toBe(1);
    expect(() => createAwsClients({ userAgent: USER_AGENT, maxRetries: -1 })).toThrow(/`max-retries`/);
    expect(() => createAwsClients({ userAgent: USER_AGENT, maxRetries: 1.5 })).toThrow(/`max-retries`/);
  });

  it('sets the custom user agent on both clients', () => {
    const aws = createAwsClients({ userAgent: USER_AGENT });
    expect(aws.ecs.config.customUserAgent).toEqual([[USER_AGENT]]);
    expect(aws.codeDeploy.config.customUserAgent).toEqual([[USER_AGENT]]);
  });
});

/** A local stand-in for AWS: records each request and answers with `respond`. */
describe('against a local endpoint (AWS_ENDPOINT_URL*)', () => {
  interface Seen {
    target: string;
    userAgent: string;
    body: string;
  }
  let server: Server;
  let url: string;
  let seen: Seen[];
  let respond: (req: IncomingMessage) => { status: number; body: unknown };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({
          target: String(req.headers['x-amz-target']),
          userAgent: `${req.headers['user-agent']} ${req.headers['x-amz-user-agent'] ?? ''}`,
          body,
        });
        const answer = respond(req);
        res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    seen = [];
    respond = () => ({ status: 200, body: {} });
  });

  it('ECS calls go to AWS_ENDPOINT_URL_ECS, with the user agent', async () => {
    process.env.AWS_ENDPOINT_URL_ECS = url;
    respond = () => ({
      status: 200,
      body: { services: [{ serviceName: 'web', status: 'ACTIVE' }], failures: [] },
    });
    const aws = createAwsClients({ userAgent: USER_AGENT });
    const ecs = createEcsPort(aws.ecs);
    await expect(ecs.describeService('prod', 'web')).resolves.toMatchObject({ serviceName: 'web' });
    expect(seen).toHaveLength(1);
    expect(seen[0].target).toBe('AmazonEC2ContainerServiceV20141113.DescribeServices');
    expect(JSON.parse(seen[0].body)).toEqual({ cluster: 'prod', services: ['web'] });
    expect(seen[0].userAgent).toContain(USER_AGENT);
  });

  it('CodeDeploy calls go to AWS_ENDPOINT_URL when no per-service variable is set', async () => {
    process.env.AWS_ENDPOINT_URL = url;
    respond = () => ({ status: 200, body: { deploymentInfo: { deploymentId: 'd-1', status: 'Succeeded' } } });
    const codeDeploy = createCodeDeployPort(createAwsClients({ userAgent: USER_AGENT }).codeDeploy);
    await expect(codeDeploy.getDeployment('d-1')).resolves.toMatchObject({ status: 'Succeeded' });
    expect(seen.map((s) => s.target)).toEqual(['CodeDeploy_20141006.GetDeployment']);
  });

  it('a throttled call is retried max-retries times, then reported with the count', async () => {
    process.env.AWS_ENDPOINT_URL_CODEDEPLOY = url;
    respond = () => ({ status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } });
    const codeDeploy = createCodeDeployPort(
      createAwsClients({ userAgent: USER_AGENT, maxRetries: 1 }).codeDeploy,
    );
    const error = await codeDeploy.getDeployment('d-1').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(seen).toHaveLength(2);
    expect(error).toBeInstanceOf(UserError);
    const userError = error as UserError;
    expect(userError.message).toBe('CodeDeploy GetDeployment failed: Rate exceeded (ThrottlingException).');
    expect(userError.details.join('\n')).toMatch(/retried 1 time \(2 attempts\).*`max-retries`/s);
    expect(isTransient(userError)).toBe(true);
  }, 15_000);

  it('an ECS error from the wire keeps its name and message, not the JSON', async () => {
    process.env.AWS_ENDPOINT_URL_ECS = url;
    respond = () => ({
      status: 400,
      body: { __type: 'ClusterNotFoundException', message: 'Cluster not found.' },
    });
    const ecs = createEcsPort(createAwsClients({ userAgent: USER_AGENT }).ecs);
    await expect(ecs.describeService('nope', 'web')).rejects.toThrow(
      'ECS cluster "nope" was not found in eu-central-1.',
    );
  });

  it('an endpoint that refuses connections names the endpoint variable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    process.env.AWS_ENDPOINT_URL_ECS = deadUrl;
    const ecs = createEcsPort(createAwsClients({ userAgent: USER_AGENT, maxRetries: 0 }).ecs);
    const error = (await ecs.describeService('prod', 'web').catch((caught: unknown) => caught)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/^ECS DescribeServices failed: .*ECONNREFUSED.*\(ECONNREFUSED\)\.$/);
    expect(error.details.join('\n')).toContain(`AWS_ENDPOINT_URL_ECS is set to ${deadUrl}`);
    expect(isTransient(error)).toBe(true);
  });
});
