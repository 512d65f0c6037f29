/** The real IamPort: GetRole, for a role's trust policy (IAM speaks the query protocol; the SDK hides it). */
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { callAws, deniedAs, isAwsErrorNamed } from './errors.js';
import type { IamPort } from './ports.js';

export function createIamPort(client: IAMClient): IamPort {
  return {
    async roleTrustPolicy(roleName: string): Promise<string | undefined> {
      try {
        const output = await callAws(
          'IAM',
          'GetRole',
          () => client.send(new GetRoleCommand({ RoleName: roleName })),
          deniedAs('IAM', 'GetRole'),
        );
        const document = output.Role?.AssumeRolePolicyDocument ?? '';
        // IAM returns the policy URL-encoded; the SDK passes it through as it came.
        return decodeIfEncoded(document);
      } catch (error) {
        if (isAwsErrorNamed(error, 'NoSuchEntityException', 'NoSuchEntity')) return undefined;
        throw error;
      }
    },
  };
}

function decodeIfEncoded(document: string): string {
  if (document.trimStart().startsWith('{')) return document;
  try {
    return decodeURIComponent(document);
  } catch {
    return document;
  }
}
