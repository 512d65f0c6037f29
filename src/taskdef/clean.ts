/**
 * Turns what a user wrote (or what DescribeTaskDefinition returned) into a RegisterTaskDefinition
 * input: drops the read-only keys and the null/empty values, the way the official
 * amazon-ecs-deploy-task-definition action does, so files that work there work here.
 */

/**
 * Keys DescribeTaskDefinition returns that RegisterTaskDefinition does not accept: the official
 * action's list plus `deleteRequestedAt` (set on revisions being deleted; found by comparing the
 * SDK's TaskDefinition and RegisterTaskDefinitionRequest schemas, see validate.test.ts).
 */
export const READ_ONLY_TASK_DEFINITION_KEYS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const;

export interface CleanedTaskDefinition {
  taskDefinition: Record<string, unknown>;
  /** Read-only keys that were present (and removed), in the order of READ_ONLY_TASK_DEFINITION_KEYS. */
  droppedReadOnlyKeys: string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const REMOVED = Symbol('removed');

/**
 * Removes null, undefined, '' and (after cleaning their contents) empty lists and objects, at any
 * depth. A key named in `keepNullValueKeys` keeps its value exactly as written, wherever it appears.
 * Environment variables and App Mesh proxy properties keep an empty `value` (ECS needs the entry).
 */
export function cleanTaskDefinition(
  raw: Record<string, unknown>,
  keepNullValueKeys: string[],
): CleanedTaskDefinition {
  const keep = new Set(keepNullValueKeys);
  const droppedReadOnlyKeys: string[] = READ_ONLY_TASK_DEFINITION_KEYS.filter((key) => key in raw);
  const withoutReadOnly: Record<string, unknown> = { ...raw };
  for (const key of droppedReadOnlyKeys) delete withoutReadOnly[key];

  const cleaned = cleanValue(withoutReadOnly, keep);
  const taskDefinition = cleaned === REMOVED ? {} : (cleaned as Record<string, unknown>);
  restoreEmptyValues(taskDefinition);
  return { taskDefinition, droppedReadOnlyKeys };
}

function cleanValue(value: unknown, keep: Set<string>): unknown {
  if (value === null || value === undefined || value === '') return REMOVED;
  if (Array.isArray(value)) {
    const items = value.map((item) => cleanValue(item, keep)).filter((item) => item !== REMOVED);
    return items.length === 0 ? REMOVED : items;
  }
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (keep.has(key)) {
        if (child !== undefined) result[key] = structuredClone(child); // never share with (or mutate) raw
        continue;
      }
      const cleaned = cleanValue(child, keep);
      if (cleaned !== REMOVED) result[key] = cleaned;
    }
    return Object.keys(result).length === 0 ? REMOVED : result;
  }
  return value; // numbers (0 too), booleans (false too), Dates, non-empty strings
}

/** `{"name": "X", "value": ""}` means "X is set and empty": cleaning must not turn it into "X unset". */
function restoreEmptyValues(taskDefinition: Record<string, unknown>): void {
  const containers = taskDefinition.containerDefinitions;
  if (Array.isArray(containers)) {
    for (const container of containers) {
      if (!isPlainObject(container) || !Array.isArray(container.environment)) continue;
      for (const variable of container.environment) {
        if (isPlainObject(variable) && !('value' in variable)) variable.value = '';
      }
    }
  }
  const proxy = taskDefinition.proxyConfiguration;
  if (isPlainObject(proxy) && Array.isArray(proxy.properties)) {
    for (const property of proxy.properties) {
      if (!isPlainObject(property)) continue;
      if (!('name' in property)) property.name = '';
      if (!('value' in property)) property.value = '';
    }
  }
}
