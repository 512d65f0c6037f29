/** The real SecretPort: DescribeSecret, which never returns the secret's value. */
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { callAws, deniedAs, isAwsErrorNamed } from './errors.js';
import type { SecretPort } from './ports.js';

export function createSecretPort(clientFor: (region: string) => SecretsManagerClient): SecretPort {
  return {
    async describeSecret(region: string, secretId: string) {
      try {
        const output = await callAws(
          'SecretsManager',
          'DescribeSecret',
          () => clientFor(region).send(new DescribeSecretCommand({ SecretId: secretId })),
          deniedAs('SecretsManager', 'DescribeSecret'),
        );
        return { versionStages: output.VersionIdsToStages ?? {}, deleted: output.DeletedDate !== undefined };
      } catch (error) {
        if (isAwsErrorNamed(error, 'ResourceNotFoundException')) return undefined;
        throw error;
      }
    },
  };
}
