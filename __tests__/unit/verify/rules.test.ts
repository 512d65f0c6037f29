import { parseEcrImageUri } from '../../../src/verify/image-uri.js';
import { configPlatform, offersPlatform, taskPlatform } from '../../../src/verify/platforms.js';
import { parseSecretRef } from '../../../src/verify/secret-ref.js';
import { parseRoleRef, trustsEcsTasks } from '../../../src/verify/trust.js';

describe('parseEcrImageUri', () => {
  it('reads account, region, repository and tag, in any account or region', () => {
    expect(parseEcrImageUri('210987654321.dkr.ecr.eu-west-1.amazonaws.com/team/web:1.2.3')).toEqual({
      registryId: '210987654321',
      region: 'eu-west-1',
      repository: 'team/web',
      tag: '1.2.3',
    });
  });

  it('reads a digest (and ignores a tag written before it)', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseEcrImageUri(`123456789012.dkr.ecr.us-east-1.amazonaws.com/web@${digest}`)).toMatchObject({
      repository: 'web',
      digest,
    });
    expect(parseEcrImageUri(`123456789012.dkr.ecr.us-east-1.amazonaws.com/web:2@${digest}`)).toMatchObject({
      repository: 'web',
      digest,
    });
  });

  it('takes no tag as latest, as docker pull does', () => {
    expect(parseEcrImageUri('123456789012.dkr.ecr.us-east-1.amazonaws.com/web')?.tag).toBe('latest');
  });

  it('knows China, FIPS and dual-stack registries', () => {
    expect(parseEcrImageUri('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/web:1')?.region).toBe(
      'cn-north-1',
    );
    expect(parseEcrImageUri('123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/web:1')?.region).toBe(
      'us-east-1',
    );
    expect(parseEcrImageUri('123456789012.dkr-ecr.us-west-2.on.aws/web:1')?.region).toBe('us-west-2');
  });

  it('leaves other registries alone (Docker Hub, ECR Public, GHCR, a registry with a port)', () => {
    for (const uri of [
      'nginx:1.27',
      'repo/web:2',
      'public.ecr.aws/nginx/nginx:latest',
      'ghcr.io/acme/web:2',
      'registry.local:5000/web:2',
    ]) {
      expect(parseEcrImageUri(uri)).toBeUndefined();
    }
  });
});

describe('taskPlatform', () => {
  it('maps runtimePlatform to the image platform names', () => {
    expect(
      taskPlatform({ runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' } }),
    ).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(
      taskPlatform({
        runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' },
      }),
    ).toEqual({ os: 'windows', architecture: 'amd64' });
  });

  it("uses Fargate's default (linux/amd64) without one, and leaves EC2 to its instances", () => {
    expect(taskPlatform({ requiresCompatibilities: ['FARGATE'] })).toEqual({
      os: 'linux',
      architecture: 'amd64',
    });
    expect(taskPlatform({ requiresCompatibilities: ['EC2'] })).toBeUndefined();
  });
});

describe('offersPlatform', () => {
  const arm = { os: 'linux', architecture: 'arm64' };
  const index = (platforms: [string, string][]) =>
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: platforms.map(([os, architecture], i) => ({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: `sha256:${String(i).repeat(64)}`,
        platform: { os, architecture },
      })),
    });

  it('finds the platform in an image index or manifest list', () => {
    expect(
      offersPlatform(
        index([
          ['linux', 'amd64'],
          ['linux', 'arm64'],
        ]),
        arm,
      ),
    ).toEqual({
      kind: 'offered',
      offered: ['linux/amd64', 'linux/arm64'],
    });
  });

  it('says what an amd64-only index offers, not counting attestation manifests', () => {
    expect(
      offersPlatform(
        index([
          ['linux', 'amd64'],
          ['unknown', 'unknown'],
        ]),
        arm,
      ),
    ).toEqual({
      kind: 'not-offered',
      offered: ['linux/amd64'],
    });
  });

  it('points at the config blob of a single-platform manifest, which names its platform', () => {
    const single = JSON.stringify({ schemaVersion: 2, config: { digest: 'sha256:1' }, layers: [] });
    expect(offersPlatform(single, arm)).toEqual({ kind: 'single', configDigest: 'sha256:1' });
    expect(configPlatform(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: {} }))).toEqual({
      os: 'linux',
      architecture: 'amd64',
    });
    expect(configPlatform('{}')).toBeUndefined();
    expect(offersPlatform('not json', arm).kind).toBe('unknown');
  });

  it('reads a schema 1 manifest, which names its architecture', () => {
    expect(offersPlatform(JSON.stringify({ schemaVersion: 1, architecture: 'amd64' }), arm)).toEqual({
      kind: 'not-offered',
      offered: ['linux/amd64'],
    });
  });
});

describe('parseSecretRef', () => {
  it('takes a bare name as an SSM parameter of the task region', () => {
    expect(parseSecretRef('/prod/db', 'us-east-1')).toEqual({
      kind: 'ssm',
      names: ['/prod/db'],
      region: 'us-east-1',
    });
  });

  it('reads an SSM parameter ARN: a hierarchical name, or a flat one with or without its slash', () => {
    expect(parseSecretRef('arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db', 'us-east-1')).toEqual({
      kind: 'ssm',
      names: ['/prod/db'],
      region: 'eu-west-1',
      account: '123456789012',
    });
    expect(parseSecretRef('arn:aws:ssm:us-east-1:123456789012:parameter/db', 'us-east-1')).toMatchObject({
      names: ['db', '/db'],
    });
  });

  it('reads a Secrets Manager ARN with a JSON key, version stage and version id', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf';
    expect(parseSecretRef(arn, 'us-east-1')).toEqual({
      kind: 'secretsmanager',
      secretId: arn,
      region: 'us-east-1',
      account: '123456789012',
    });
    expect(parseSecretRef(`${arn}:password:AWSPREVIOUS:`, 'us-east-1')).toMatchObject({
      secretId: arn,
      jsonKey: 'password',
      versionStage: 'AWSPREVIOUS',
    });
    expect(parseSecretRef(`${arn}:::0b8e5b2c-1111`, 'us-east-1')).toEqual({
      kind: 'secretsmanager',
      secretId: arn,
      region: 'us-east-1',
      account: '123456789012',
      versionId: '0b8e5b2c-1111',
    });
  });

  it('refuses an ARN of another service', () => {
    expect(parseSecretRef('arn:aws:s3:::bucket/key', 'us-east-1').kind).toBe('invalid');
  });
});

describe('roles', () => {
  it('reads the role name from an ARN with a path', () => {
    expect(parseRoleRef('arn:aws:iam::123456789012:role/service-role/web-task')).toEqual({
      roleName: 'web-task',
      account: '123456789012',
    });
    expect(parseRoleRef('web-task')).toEqual({ roleName: 'web-task' });
  });

  it('accepts a trust policy that lets ecs-tasks assume the role, in any of its written forms', () => {
    const allow = (principal: unknown, action: unknown = 'sts:AssumeRole') =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: principal, Action: action }],
      });
    expect(trustsEcsTasks(allow({ Service: 'ecs-tasks.amazonaws.com' }))).toBe(true);
    expect(
      trustsEcsTasks(
        allow({ Service: ['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com'] }, [
          'sts:AssumeRole',
          'sts:TagSession',
        ]),
      ),
    ).toBe(true);
    expect(
      trustsEcsTasks(
        JSON.stringify({
          Statement: { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:*' },
        }),
      ),
    ).toBe(true);
  });

  it('refuses one for another service, a Deny, or another action', () => {
    const policy = (statement: unknown) => JSON.stringify({ Statement: [statement] });
    expect(
      trustsEcsTasks(
        policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      ),
    ).toBe(false);
    expect(
      trustsEcsTasks(
        policy({
          Effect: 'Deny',
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
      ),
    ).toBe(false);
    expect(
      trustsEcsTasks(
        policy({
          Effect: 'Allow',
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
        }),
      ),
    ).toBe(false);
    expect(trustsEcsTasks('{not json')).toBe(false);
  });
});

describe('no false failures (review fixes)', () => {
  it('accepts any case and wildcards in the trust policy action', () => {
    const allow = (action: string) =>
      JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: action }],
      });
    expect(trustsEcsTasks(allow('sts:assumerole'))).toBe(true);
    expect(trustsEcsTasks(allow('sts:Assume*'))).toBe(true);
    expect(trustsEcsTasks(allow('sts:AssumeRoleWith*'))).toBe(false);
  });

  it('demands no architecture of an EC2-capable task without one', () => {
    expect(taskPlatform({ requiresCompatibilities: ['EC2', 'FARGATE'] })).toBeUndefined();
    expect(
      taskPlatform({ runtimePlatform: { operatingSystemFamily: 'LINUX' }, requiresCompatibilities: ['EC2'] }),
    ).toBeUndefined();
  });
});
