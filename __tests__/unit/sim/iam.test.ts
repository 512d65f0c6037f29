import { GetRoleCommand } from '@aws-sdk/client-iam';
import { codeDeployScenario, startSimulator, type Simulator } from '../../../sim/index.js';
import { clientsFor, msPerMinute } from './helpers.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('IAM GetRole (query protocol)', () => {
  it('answers XML the real client parses; the trust policy arrives URL-encoded', async () => {
    sim = await startSimulator(
      codeDeployScenario({
        iam: {
          roles: [{ name: 'web-task', trustedServices: ['ecs-tasks.amazonaws.com', 'lambda.amazonaws.com'] }],
        },
      }),
      { msPerMinute },
    );
    const { iam } = clientsFor(sim);
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'ecsTaskExecutionRole' }));
    expect(Role).toMatchObject({
      Path: '/',
      RoleName: 'ecsTaskExecutionRole',
      RoleId: expect.stringMatching(/^AROA[A-Z0-9]{17}$/),
      Arn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      CreateDate: new Date('2024-01-01T00:00:00Z'),
      MaxSessionDuration: 3600,
    });
    expect(Role!.AssumeRolePolicyDocument).toMatch(/^%7B%22Version%22/);
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
    const other = await iam.send(new GetRoleCommand({ RoleName: 'web-task' }));
    expect(
      JSON.parse(decodeURIComponent(other.Role!.AssumeRolePolicyDocument!)).Statement[0].Principal,
    ).toEqual({
      Service: ['ecs-tasks.amazonaws.com', 'lambda.amazonaws.com'],
    });
    expect(sim.requests.at(-1)).toMatchObject({
      service: 'iam',
      operation: 'GetRole',
      input: { RoleName: 'web-task' },
      status: 200,
    });
  });

  it('answers NoSuchEntity (404) for a missing role', async () => {
    sim = await startSimulator(codeDeployScenario(), { msPerMinute });
    const error = await clientsFor(sim)
      .iam.send(new GetRoleCommand({ RoleName: 'missing' }))
      .catch((e: unknown) => e);
    // The SDK names modelled query errors with the model's shape name.
    expect(error).toMatchObject({
      name: 'NoSuchEntityException',
      Code: 'NoSuchEntity',
      message: 'The role with name missing cannot be found.',
      $metadata: { httpStatusCode: 404 },
    });
    expect(sim.requests.at(-1)).toMatchObject({ status: 404, error: 'NoSuchEntity' });
  });

  it('turns an injected AccessDeniedException into the query error AccessDenied (403)', async () => {
    sim = await startSimulator(
      codeDeployScenario({
        faults: [
          { kind: 'operationErrors', operation: 'GetRole', count: 99, error: 'AccessDeniedException' },
        ],
      }),
      { msPerMinute },
    );
    const error = await clientsFor(sim)
      .iam.send(new GetRoleCommand({ RoleName: 'ecsTaskExecutionRole' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('is not authorized to perform: iam:GetRole'),
      $metadata: { httpStatusCode: 403 },
    });
    expect(sim.requests.at(-1)).toMatchObject({ status: 403, error: 'AccessDenied' });
  });
});
