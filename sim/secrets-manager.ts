/** Secrets Manager DescribeSecret: a secret's ARN and versions, never its value (GetSecretValue is absent). */
import { SimError } from './errors.js';
import type { Handler } from './handler.js';
import type { ScenarioSecret } from './scenarios.js';
import { alphanumeric, stableChars, stableUuid } from './stable-ids.js';

/** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`, as Secrets Manager names it. */
export function secretArn(
  name: string,
  region = 'us-east-1',
  accountId = '123456789012',
  suffix?: string,
): string {
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix ?? stableChars(`secret ${name}`, 6, alphanumeric)}`;
}

export class SecretsManagerSimulator {
  constructor(
    private readonly secrets: ScenarioSecret[],
    private readonly region: string,
    private readonly accountId: string,
    private readonly createdAt: number,
  ) {}

  private arnOf(secret: ScenarioSecret): string {
    return secretArn(secret.name, this.region, this.accountId, secret.arnSuffix);
  }

  /** By name, full ARN, or partial ARN (the ARN without its `-xxxxxx` suffix), in the client's region. */
  private find(id: string, region: string): ScenarioSecret | undefined {
    if (region !== this.region) return undefined;
    return this.secrets.find((secret) => {
      const arn = this.arnOf(secret);
      return secret.name === id || arn === id || arn.slice(0, -7) === id;
    });
  }

  readonly handlers: Record<string, Handler> = {
    DescribeSecret: (input, request) => {
      const secret = input.SecretId ? this.find(String(input.SecretId), request.region) : undefined;
      if (!secret)
        throw new SimError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      return {
        ARN: this.arnOf(secret),
        Name: secret.name,
        LastChangedDate: this.createdAt,
        LastAccessedDate: Math.floor(this.createdAt / 86_400) * 86_400,
        VersionIdsToStages: { [stableUuid(`secret version ${secret.name}`)]: ['AWSCURRENT'] },
        CreatedDate: this.createdAt,
      };
    },
  };
}
