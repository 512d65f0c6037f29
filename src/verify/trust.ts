/** IAM roles of a task definition: their names, and whether their trust policy lets ECS tasks assume them. Pure. */

export const ECS_TASKS_PRINCIPAL = 'ecs-tasks.amazonaws.com';

/** `arn:aws:iam::123456789012:role/path/name` → name and account; a bare name is itself. */
export function parseRoleRef(ref: string): { roleName: string; account?: string } {
  if (!ref.startsWith('arn:')) return { roleName: ref };
  const [, , , , account, resource = ''] = ref.split(':');
  return { roleName: resource.split('/').pop() ?? resource, account: account || undefined };
}

type Statement = { Effect?: unknown; Action?: unknown; Principal?: unknown };

export function trustsEcsTasks(policyText: string): boolean {
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(policyText) as { Statement?: unknown };
  } catch {
    return false;
  }
  const statements = (
    Array.isArray(policy?.Statement) ? policy.Statement : [policy?.Statement]
  ) as Statement[];
  return statements.some(
    (statement) =>
      statement?.Effect === 'Allow' &&
      asList(statement.Action).some((action) => matchesAction(action, 'sts:AssumeRole')) &&
      principalIncludesEcsTasks(statement.Principal),
  );
}

/** IAM action names ignore case and take `*` and `?` wildcards. */
function matchesAction(pattern: string, action: string): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(action);
}

function principalIncludesEcsTasks(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const { Service, AWS } = principal as { Service?: unknown; AWS?: unknown };
  // China regions name the service principal with a .cn suffix.
  return (
    asList(Service).some((s) => s === ECS_TASKS_PRINCIPAL || s === `${ECS_TASKS_PRINCIPAL}.cn`) ||
    asList(AWS).includes('*')
  );
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
