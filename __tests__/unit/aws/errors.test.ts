import { afterEach, describe, expect, it } from '@jest/globals';
import {
  AccessDeniedException,
  ClientException,
  ECSServiceException,
  ServerException,
} from '@aws-sdk/client-ecs';
import { CodeDeployServiceException, ThrottlingException } from '@aws-sdk/client-codedeploy';
import { awsUserError, callAws, isAwsErrorNamed, isTransient } from '../../../src/aws/errors.js';
import { UserError } from '../../../src/text/errors.js';

/** Everything a user sees of an error: the headline and the lines under it. */
function textOf(error: UserError): string {
  return [error.message, ...error.details].join('\n');
}

async function failureOf(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected the call to fail');
}

const meta = (extra: Record<string, unknown> = {}) => ({
  httpStatusCode: 400,
  requestId: 'req-1',
  attempts: 1,
  ...extra,
});

function networkError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
});

describe('callAws', () => {
  it('returns the result of a call that succeeds', async () => {
    await expect(callAws('ECS', 'DescribeServices', async () => 42)).resolves.toBe(42);
  });

  it('names the service, the operation, AWS message and error name, and keeps the original as cause', async () => {
    const original = new ClientException({
      message: 'Container.image should not be null or empty.',
      $metadata: meta(),
    });
    const error = await failureOf(callAws('ECS', 'RegisterTaskDefinition', () => Promise.reject(original)));
    expect(error.message).toBe(
      'ECS RegisterTaskDefinition failed: Container.image should not be null or empty (ClientException).',
    );
    expect(error.cause).toBe(original);
  });

  it('lets a UserError thrown inside the call through unchanged', async () => {
    const inner = new UserError('already explained');
    await expect(callAws('ECS', 'ListTasks', () => Promise.reject(inner))).rejects.toBe(inner);
  });

  it('uses the port-specific explanation when it has one, keeping the cause', async () => {
    const original = new ClientException({ message: 'boom', $metadata: meta() });
    const error = await failureOf(
      callAws(
        'ECS',
        'DescribeServices',
        () => Promise.reject(original),
        () => new UserError('explained'),
      ),
    );
    expect(error.message).toBe('explained');
    expect(error.cause).toBe(original);
  });

  it('falls back to the generic text when the explanation returns undefined', async () => {
    const original = new ClientException({ message: 'boom', $metadata: meta() });
    const error = await failureOf(
      callAws(
        'ECS',
        'DescribeServices',
        () => Promise.reject(original),
        async () => undefined,
      ),
    );
    expect(error.message).toBe('ECS DescribeServices failed: boom (ClientException).');
  });
});

describe('awsUserError: the hint for each class of error', () => {
  it('access denied: names the IAM action from AWS message and points at the README', () => {
    const error = awsUserError(
      'ECS',
      'DescribeServices',
      new AccessDeniedException({
        message:
          'User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized to perform: ecs:DescribeServices on resource: arn:aws:ecs:us-east-1:123456789012:service/prod/web because no identity-based policy allows the ecs:DescribeServices action',
        $metadata: meta(),
      }),
    );
    expect(error.message).toMatch(
      /^ECS DescribeServices failed: User: arn:aws:sts::123456789012:assumed-role/,
    );
    expect(error.message).toMatch(/\(AccessDeniedException\)\.$/);
    expect(error.details.join('\n')).toMatch(/not allowed to call ecs:DescribeServices/);
    expect(error.details.join('\n')).toMatch(/"IAM permissions" in the ecs-shift README/);
  });

  it('access denied without an action in the message: names service prefix and operation', () => {
    const denied = new CodeDeployServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      message: 'Access denied',
      $metadata: meta(),
    });
    const error = awsUserError('CodeDeploy', 'CreateDeployment', denied);
    expect(error.message).toBe('CodeDeploy CreateDeployment failed: Access denied (AccessDeniedException).');
    expect(textOf(error)).toMatch(/not allowed to call codedeploy:CreateDeployment/);
  });

  it.each(['AccessDenied', 'UnauthorizedOperation'])('%s is access denied too', (name) => {
    const error = awsUserError('ECS', 'UpdateService', { name, message: 'nope', $metadata: meta() });
    expect(textOf(error)).toMatch(/ecs:UpdateService.*IAM permissions/s);
  });

  it('a ClientException saying "not authorized to perform: iam:PassRole" names iam:PassRole', () => {
    const error = awsUserError(
      'ECS',
      'RegisterTaskDefinition',
      new ClientException({
        message:
          'User: arn:aws:sts::1:assumed-role/deploy/gh is not authorized to perform: iam:PassRole on resource: arn:aws:iam::1:role/task',
        $metadata: meta(),
      }),
    );
    expect(textOf(error)).toMatch(/not allowed to call iam:PassRole/);
  });

  it('expired token: points at configure-aws-credentials and the session duration', () => {
    const expired = new ECSServiceException({
      name: 'ExpiredTokenException',
      $fault: 'client',
      message: 'The security token included in the request is expired',
      $metadata: meta(),
    });
    const error = awsUserError('ECS', 'DescribeServices', expired);
    expect(error.message).toBe(
      'ECS DescribeServices failed: The security token included in the request is expired (ExpiredTokenException).',
    );
    expect(textOf(error)).toMatch(/aws-actions\/configure-aws-credentials/);
    expect(textOf(error)).toMatch(/role-duration-seconds/);
    expect(isTransient(expired)).toBe(false);
  });

  it.each(['ExpiredToken', 'UnrecognizedClientException', 'InvalidClientTokenId'])(
    '%s: points at configure-aws-credentials',
    (name) => {
      const error = awsUserError('CodeDeploy', 'GetDeployment', {
        name,
        message: 'The security token included in the request is invalid.',
        $metadata: meta({ httpStatusCode: 403 }),
      });
      expect(error.message).toBe(
        `CodeDeploy GetDeployment failed: The security token included in the request is invalid (${name}).`,
      );
      expect(textOf(error)).toMatch(/aws-actions\/configure-aws-credentials/);
    },
  );

  it('no credentials at all (CredentialsProviderError): says so and how to provide them', () => {
    const missing = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
      tryNextLink: false,
    });
    const error = awsUserError('ECS', 'DescribeServices', missing);
    expect(error.message).toBe(
      'ECS DescribeServices failed: Could not load credentials from any providers (CredentialsProviderError).',
    );
    expect(textOf(error)).toMatch(/No AWS credentials were found.*aws-actions\/configure-aws-credentials/s);
  });

  it('throttling after the SDK retries: says how often it was retried and suggests max-retries', () => {
    const throttled = new ThrottlingException({ message: 'Rate exceeded', $metadata: meta({ attempts: 4 }) });
    const error = awsUserError('CodeDeploy', 'GetDeploymentTarget', throttled);
    expect(error.message).toBe('CodeDeploy GetDeploymentTarget failed: Rate exceeded (ThrottlingException).');
    expect(textOf(error)).toMatch(/retried 3 times \(4 attempts\)/);
    expect(textOf(error)).toMatch(/`max-retries`/);
    expect(isTransient(throttled)).toBe(true);
  });

  it('throttling reported by HTTP 429 alone counts as throttling', () => {
    const error = {
      name: 'SomethingNew',
      message: 'slow down',
      $metadata: meta({ httpStatusCode: 429, attempts: 2 }),
    };
    expect(textOf(awsUserError('ECS', 'ListTasks', error))).toMatch(
      /retried 1 time \(2 attempts\).*max-retries/s,
    );
    expect(isTransient(error)).toBe(true);
  });

  it('server errors: says it is on the AWS side and is transient', () => {
    const failed = new ServerException({
      message: 'Service unavailable',
      $metadata: meta({ httpStatusCode: 500, attempts: 3 }),
    });
    const error = awsUserError('ECS', 'DescribeServices', failed);
    expect(error.message).toBe('ECS DescribeServices failed: Service unavailable (ServerException).');
    expect(textOf(error)).toMatch(/server-side error; the request was retried 2 times/);
    expect(isTransient(failed)).toBe(true);
  });

  it('connection refused: names the endpoint and the endpoint variable that points there', () => {
    process.env.AWS_ENDPOINT_URL_ECS = 'http://127.0.0.1:4566';
    const refused = networkError('connect ECONNREFUSED 127.0.0.1:4566', {
      code: 'ECONNREFUSED',
      syscall: 'connect',
      address: '127.0.0.1',
      port: 4566,
      $metadata: { attempts: 3 },
    });
    const error = awsUserError('ECS', 'DescribeServices', refused);
    expect(error.message).toBe(
      'ECS DescribeServices failed: connect ECONNREFUSED 127.0.0.1:4566 (ECONNREFUSED).',
    );
    expect(textOf(error)).toMatch(
      /Could not reach the ECS endpoint \(127\.0\.0\.1:4566\); the request was retried 2 times/,
    );
    expect(textOf(error)).toMatch(/AWS_ENDPOINT_URL_ECS is set to http:\/\/127\.0\.0\.1:4566/);
    expect(isTransient(refused)).toBe(true);
  });

  it('DNS failure without an endpoint override: names the host and the AWS_ENDPOINT_URL / proxy hints', () => {
    delete process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_ENDPOINT_URL_CODEDEPLOY;
    const notFound = networkError('getaddrinfo ENOTFOUND codedeploy.us-east-1.amazonaws.com', {
      code: 'ENOTFOUND',
      hostname: 'codedeploy.us-east-1.amazonaws.com',
    });
    const error = awsUserError('CodeDeploy', 'GetDeployment', notFound);
    expect(error.message).toMatch(
      /^CodeDeploy GetDeployment failed: getaddrinfo ENOTFOUND .* \(ENOTFOUND\)\.$/,
    );
    expect(textOf(error)).toMatch(
      /Could not reach the CodeDeploy endpoint \(codedeploy\.us-east-1\.amazonaws\.com\)/,
    );
    expect(textOf(error)).toMatch(/proxy/);
    expect(textOf(error)).toMatch(/AWS_ENDPOINT_URL_CODEDEPLOY or AWS_ENDPOINT_URL/);
  });

  it.each([
    ['TimeoutError', networkError('Connection timed out after 1000 ms', { name: 'TimeoutError' })],
    ['ETIMEDOUT', networkError('connect ETIMEDOUT 10.0.0.1:443', { code: 'ETIMEDOUT' })],
    ['ECONNRESET', networkError('socket hang up', { code: 'ECONNRESET' })],
  ])('%s is a network error and transient', (name, cause) => {
    const error = awsUserError('ECS', 'ListTasks', cause);
    expect(error.message).toMatch(new RegExp(`\\(${name}\\)\\.$`));
    expect(textOf(error)).toMatch(/Could not reach the ECS endpoint/);
    expect(isTransient(cause)).toBe(true);
  });

  it('reads the code and endpoint of a network error the SDK could only wrap as text', () => {
    process.env.AWS_ENDPOINT_URL_ECS = 'http://127.0.0.1:4566';
    const wrapped = new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:4566');
    const error = awsUserError('ECS', 'DescribeServices', wrapped);
    expect(error.message).toBe(
      'ECS DescribeServices failed: connect ECONNREFUSED 127.0.0.1:4566 (ECONNREFUSED).',
    );
    expect(textOf(error)).toMatch(/Could not reach the ECS endpoint \(127\.0\.0\.1:4566\)/);
    expect(isTransient(wrapped)).toBe(true);
  });

  it('never shows a raw response body or the $metadata', () => {
    const unparsable = {
      name: 'Unknown',
      message: '<html><body>502 Bad Gateway</body></html>',
      $fault: 'server',
      $metadata: meta({ httpStatusCode: 502, requestId: 'abc-123', cfId: 'x' }),
    };
    const error = awsUserError('ECS', 'DescribeServices', unparsable);
    expect(error.message).toBe(
      'ECS DescribeServices failed: AWS answered HTTP 502 without a readable error message.',
    );
    const json = awsUserError('ECS', 'DescribeServices', {
      name: 'ClientException',
      message: '{"__type":"ClientException","message":"x"}',
      $metadata: meta(),
    });
    for (const text of [textOf(error), textOf(json)]) {
      expect(text).not.toMatch(/[{}<>]|\$metadata|requestId|abc-123/);
    }
  });

  it('has no hint for an ordinary client error', () => {
    const error = awsUserError('CodeDeploy', 'CreateDeployment', {
      name: 'InvalidRevisionException',
      message: 'The revision is invalid.',
      $metadata: meta(),
    });
    expect(error.message).toBe(
      'CodeDeploy CreateDeployment failed: The revision is invalid (InvalidRevisionException).',
    );
    expect(error.details).toEqual([]);
  });
});

describe('isAwsErrorNamed and isTransient look through the UserError to the AWS error', () => {
  it('finds the name of the wrapped error', async () => {
    const error = await failureOf(
      callAws('CodeDeploy', 'StopDeployment', () =>
        Promise.reject({ name: 'DeploymentDoesNotExistException', message: 'no', $metadata: meta() }),
      ),
    );
    expect(isAwsErrorNamed(error, 'DeploymentDoesNotExistException')).toBe(true);
    expect(isAwsErrorNamed(error, 'ThrottlingException', 'DeploymentDoesNotExistException')).toBe(true);
    expect(isAwsErrorNamed(error, 'ThrottlingException')).toBe(false);
  });

  it('finds a network error code', () => {
    expect(
      isAwsErrorNamed(networkError('connect ECONNREFUSED', { code: 'ECONNREFUSED' }), 'ECONNREFUSED'),
    ).toBe(true);
  });

  it('a throttled poll wrapped by callAws is transient; access denied or a plain UserError is not', async () => {
    const throttled = await failureOf(
      callAws('CodeDeploy', 'GetDeployment', () =>
        Promise.reject(
          new ThrottlingException({ message: 'Rate exceeded', $metadata: meta({ attempts: 3 }) }),
        ),
      ),
    );
    expect(isTransient(throttled)).toBe(true);
    const denied = await failureOf(
      callAws('CodeDeploy', 'GetDeployment', () =>
        Promise.reject({ name: 'AccessDeniedException', message: 'nope', $metadata: meta() }),
      ),
    );
    expect(isTransient(denied)).toBe(false);
    expect(isTransient(new UserError('bad input'))).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });
});
