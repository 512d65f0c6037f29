/** IAM GetRole (query protocol: the answer is turned into XML by query-protocol.ts). */
import { SimError } from './errors.js';
import type { Handler } from './handler.js';
import type { ScenarioIamRole } from './scenarios.js';
import { stableChars, upperAlphanumeric } from './stable-ids.js';

function trustPolicy(role: ScenarioIamRole): unknown {
  if (role.assumeRolePolicyDocument !== undefined) return role.assumeRolePolicyDocument;
  const services = role.trustedServices ?? ['ecs-tasks.amazonaws.com'];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: services.length === 1 ? services[0] : services },
        Action: 'sts:AssumeRole',
      },
    ],
  };
}

export class IamSimulator {
  constructor(
    private readonly roles: ScenarioIamRole[],
    private readonly accountId: string,
  ) {}

  readonly handlers: Record<string, Handler> = {
    GetRole: (input) => {
      const name: string | undefined = input.RoleName;
      if (!name) {
        throw new SimError(
          'ValidationError',
          "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null",
        );
      }
      // IAM names are unique regardless of case, and found regardless of case.
      const role = this.roles.find((r) => r.name.toLowerCase() === name.toLowerCase());
      if (!role) throw new SimError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
      return {
        Role: {
          Path: '/',
          RoleName: role.name,
          RoleId: `AROA${stableChars(`role ${role.name}`, 17, upperAlphanumeric)}`,
          Arn: `arn:aws:iam::${this.accountId}:role/${role.name}`,
          CreateDate: '2024-01-01T00:00:00Z',
          // IAM returns the trust policy URL-encoded (RFC 3986); the SDK hands it over as it is.
          AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trustPolicy(role))),
          MaxSessionDuration: 3600,
          RoleLastUsed: {},
        },
      };
    },
  };
}
