/**
 * What a container's `secrets[].valueFrom` points at: an SSM parameter (name or ARN) or a Secrets
 * Manager secret (ARN, possibly with `:json-key:version-stage:version-id`). Pure.
 */

export type SecretRef =
  | {
      kind: 'ssm';
      /** The names DescribeParameters may know it by (an ARN's `parameter/db` is `db` or `/db`). */
      names: string[];
      region: string;
      account?: string;
    }
  | {
      kind: 'secretsmanager';
      /** The secret's ARN without the JSON key and version suffix. */
      secretId: string;
      region: string;
      account?: string;
      jsonKey?: string;
      versionStage?: string;
      versionId?: string;
    }
  | { kind: 'invalid'; why: string };

export function parseSecretRef(valueFrom: string, taskRegion: string): SecretRef {
  if (!valueFrom.startsWith('arn:')) {
    // A bare name is a parameter in the task's own region and account.
    return { kind: 'ssm', names: [valueFrom], region: taskRegion };
  }
  const parts = valueFrom.split(':');
  const [, , service, region, account] = parts;
  const where = { region: region || taskRegion, account: account || undefined };
  if (service === 'ssm') {
    const resource = parts.slice(5).join(':');
    if (!resource.startsWith('parameter/')) {
      return { kind: 'invalid', why: 'an SSM ARN here must name a parameter (…:parameter/name)' };
    }
    const path = resource.slice('parameter'.length); // "/db" or "/prod/db"
    const names = path.indexOf('/', 1) > 0 ? [path] : [path.slice(1), path];
    return { kind: 'ssm', names, ...where };
  }
  if (service === 'secretsmanager') {
    if (parts[5] !== 'secret' || !parts[6]) {
      return { kind: 'invalid', why: 'a Secrets Manager ARN must name a secret (…:secret:name)' };
    }
    const [jsonKey, versionStage, versionId] = parts.slice(7).map((part) => part || undefined);
    return {
      kind: 'secretsmanager',
      secretId: parts.slice(0, 7).join(':'),
      ...where,
      ...(jsonKey ? { jsonKey } : {}),
      ...(versionStage ? { versionStage } : {}),
      ...(versionId ? { versionId } : {}),
    };
  }
  return {
    kind: 'invalid',
    why: `it names ${service || 'no'} service; ECS reads secrets from SSM or Secrets Manager`,
  };
}
