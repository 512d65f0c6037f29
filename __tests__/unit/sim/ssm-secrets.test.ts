import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand } from '@aws-sdk/client-ssm';
import { rollingScenario, secretArn, startSimulator, type Simulator } from '../../../sim/index.js';
import { clientsFor, msPerMinute } from './helpers.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator(
    rollingScenario({
      ssm: {
        parameters: [
          { name: '/prod/web/db-password', type: 'SecureString' },
          { name: 'api-key' },
          ...Array.from({ length: 12 }, (_, i) => ({ name: `/prod/other/p${String(i).padStart(2, '0')}` })),
        ],
      },
      secretsManager: { secrets: [{ name: 'db', arnSuffix: 'AbCdEf' }, { name: 'prod/web/api' }] },
    }),
    { msPerMinute },
  );
});
afterEach(() => sim.stop());

describe('SSM DescribeParameters', () => {
  it('tells which parameters exist, with or without a leading slash, and never a value', async () => {
    const { ssm } = clientsFor(sim);
    const { Parameters } = await ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [
          { Key: 'Name', Option: 'Equals', Values: ['/prod/web/db-password', 'api-key', '/nope'] },
        ],
        MaxResults: 50,
      }),
    );
    expect(Parameters).toEqual([
      {
        Name: '/prod/web/db-password',
        ARN: 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/web/db-password',
        Type: 'SecureString',
        KeyId: 'alias/aws/ssm',
        LastModifiedDate: expect.any(Date),
        LastModifiedUser: 'arn:aws:iam::123456789012:user/admin',
        Version: 1,
        Tier: 'Standard',
        Policies: [],
        DataType: 'text',
      },
      expect.objectContaining({
        Name: 'api-key',
        ARN: 'arn:aws:ssm:us-east-1:123456789012:parameter/api-key',
      }),
    ]);
    expect(JSON.stringify(Parameters)).not.toMatch(/Value/);
  });

  it('pages through all parameters and filters each page, so a page can be short with a NextToken', async () => {
    const { ssm } = clientsFor(sim);
    const filter = { ParameterFilters: [{ Key: 'Name', Values: ['api-key'] }] };
    const first = await ssm.send(new DescribeParametersCommand(filter));
    expect(first.Parameters).toEqual([]);
    expect(first.NextToken).toBeDefined();
    const second = await ssm.send(new DescribeParametersCommand({ ...filter, NextToken: first.NextToken }));
    expect(second.Parameters!.map((p) => p.Name)).toEqual(['api-key']);
    expect(second.NextToken).toBeUndefined();
    await expect(
      ssm.send(
        new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Near', Values: ['x'] }] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidFilterOption' });
  });
});

describe('Secrets Manager DescribeSecret', () => {
  it('finds a secret by name, full ARN or partial ARN', async () => {
    const { secretsManager } = clientsFor(sim);
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf';
    expect(secretArn('db', 'us-east-1', '123456789012', 'AbCdEf')).toBe(arn);
    for (const SecretId of ['db', arn, 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db']) {
      const described = await secretsManager.send(new DescribeSecretCommand({ SecretId }));
      expect(described).toMatchObject({ ARN: arn, Name: 'db', LastChangedDate: expect.any(Date) });
      expect(Object.values(described.VersionIdsToStages!)).toEqual([['AWSCURRENT']]);
    }
    const derived = await secretsManager.send(new DescribeSecretCommand({ SecretId: 'prod/web/api' }));
    expect(derived.ARN).toBe(secretArn('prod/web/api'));
    expect(derived.ARN).toMatch(/:secret:prod\/web\/api-[A-Za-z0-9]{6}$/);
  });

  it('answers ResourceNotFoundException for a secret it does not have, or in another region', async () => {
    await expect(
      clientsFor(sim).secretsManager.send(new DescribeSecretCommand({ SecretId: 'nope' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
    });
    await expect(
      clientsFor(sim, 'eu-west-1').secretsManager.send(new DescribeSecretCommand({ SecretId: 'db' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
