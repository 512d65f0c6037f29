/** Every simulated service behind one URL: reached through sim.env() alone, faults for each operation. */
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { codeDeployScenario, startSimulator, type Simulator } from '../../../sim/index.js';
import { clientsFor, msPerMinute } from './helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const calls = {
  ecr: () => new DescribeImagesCommand({ repositoryName: 'web', imageIds: [{ imageTag: '1' }] }),
  iam: () => new GetRoleCommand({ RoleName: 'ecsTaskExecutionRole' }),
  ssm: () => new DescribeParametersCommand({}),
  secretsmanager: () => new DescribeSecretCommand({ SecretId: 'db' }),
  logs: () => new DescribeLogGroupsCommand({}),
};

describe('endpoints', () => {
  it('sim.env() alone brings each real client here', async () => {
    sim = await startSimulator(codeDeployScenario({ secretsManager: { secrets: [{ name: 'db' }] } }), {
      msPerMinute,
    });
    expect(sim.env()).toMatchObject({
      AWS_ENDPOINT_URL_ECR: sim.url,
      AWS_ENDPOINT_URL_IAM: sim.url,
      AWS_ENDPOINT_URL_SSM: sim.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: sim.url,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: sim.url,
    });
    const saved = { ...process.env };
    try {
      // A per-service variable pointing elsewhere must be overridden by sim.env().
      process.env.AWS_ENDPOINT_URL_ECR = 'http://127.0.0.1:9';
      Object.assign(process.env, sim.env());
      await new ECRClient({}).send(calls.ecr());
      await new IAMClient({}).send(calls.iam());
      await new SSMClient({}).send(calls.ssm());
      await new SecretsManagerClient({}).send(calls.secretsmanager());
      await new CloudWatchLogsClient({}).send(calls.logs());
    } finally {
      process.env = saved;
    }
    expect(sim.requests.map((r) => [r.service, r.operation, r.status])).toEqual([
      ['ecr', 'DescribeImages', 200],
      ['iam', 'GetRole', 200],
      ['ssm', 'DescribeParameters', 200],
      ['secretsmanager', 'DescribeSecret', 200],
      ['logs', 'DescribeLogGroups', 200],
    ]);
  });

  it.each([
    ['ecr', 'DescribeImages', 'ecr:DescribeImages'],
    ['ssm', 'DescribeParameters', 'ssm:DescribeParameters'],
    ['secretsmanager', 'DescribeSecret', 'secretsmanager:DescribeSecret'],
    ['logs', 'DescribeLogGroups', 'logs:DescribeLogGroups'],
    ['logs', 'GetLogEvents', 'logs:GetLogEvents'],
  ] as const)(
    '%s %s answers an injected AccessDeniedException naming %s',
    async (service, operation, action) => {
      sim = await startSimulator(
        codeDeployScenario({
          faults: [{ kind: 'operationErrors', operation, count: 99, error: 'AccessDeniedException' }],
        }),
        { msPerMinute },
      );
      const clients = clientsFor(sim);
      const client = {
        ecr: clients.ecr,
        ssm: clients.ssm,
        secretsmanager: clients.secretsManager,
        logs: clients.logs,
      }[service] as { send: (command: unknown) => Promise<unknown> };
      const command =
        operation === 'GetLogEvents'
          ? new GetLogEventsCommand({ logGroupName: '/ecs/web', logStreamName: 'x' })
          : calls[service]();
      await expect(client.send(command)).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: `User: arn:aws:sts::123456789012:assumed-role/deploy/GitHubActions is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`,
      });
      expect(sim.requests.at(-1)).toMatchObject({
        service,
        operation,
        status: 400,
        error: 'AccessDeniedException',
      });
    },
  );
});
