/**
 * Checks a rendered task definition against what the bundled SDK will actually send. SDK v3
 * serializes only the members its request shape knows: a typo (`healthcheck`) or a field newer than
 * the SDK is dropped without a word. The shape comes from the SDK's own generated schema, so this
 * check is exactly as current as the client that will send the request.
 */
import { RegisterTaskDefinitionRequest$ } from '@aws-sdk/client-ecs';
import { NormalizedSchema } from '@smithy/core/schema';
import { UserError } from '../text/errors.js';
import { isPlainObject } from '../text/format.js';

/** Keys that would make a dotted path ambiguous are quoted: `volumes[0]["a.b"]`. */
const PLAIN_KEY = /^[^.[\]"\s]+$/;

function memberPath(parent: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

function walk(value: unknown, schema: NormalizedSchema, at: string, found: string[]): void {
  if (value === null || value === undefined) return;
  if (schema.isStructSchema()) {
    if (!isPlainObject(value)) return; // a wrong type is ECS's to reject, loudly; only silent drops matter here
    const members = new Map(schema.structIterator());
    for (const [key, child] of Object.entries(value)) {
      const member = members.get(key);
      if (!member) found.push(memberPath(at, key));
      else walk(child, member, memberPath(at, key), found);
    }
  } else if (schema.isListSchema()) {
    if (!Array.isArray(value)) return;
    const item = schema.getValueSchema();
    value.forEach((child, index) => walk(child, item, `${at}[${index}]`, found));
  } else if (schema.isMapSchema()) {
    if (!isPlainObject(value)) return;
    const item = schema.getValueSchema();
    for (const [key, child] of Object.entries(value))
      walk(child, item, `${at}[${JSON.stringify(key)}]`, found);
  }
}

/** Paths such as `containerDefinitions[0].healthcheck` of keys the SDK would silently not send. */
export function findKeysTheSdkWouldDrop(taskDefinition: Record<string, unknown>): string[] {
  const found: string[] = [];
  walk(taskDefinition, NormalizedSchema.of(RegisterTaskDefinitionRequest$), '', found);
  return found;
}

/** The member the user probably meant: same name ignoring case, `-` and `_` (from the schema too). */
export function suggestKnownKey(droppedPath: string): string | undefined {
  const segments = droppedPath.match(/[^.[\]]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\]/g) ?? [];
  let schema = NormalizedSchema.of(RegisterTaskDefinitionRequest$);
  const last = segments.pop();
  if (last === undefined) return undefined;
  for (const segment of segments) {
    if (segment.startsWith('[')) schema = schema.getValueSchema();
    else schema = schema.getMemberSchema(segment);
  }
  if (!schema.isStructSchema()) return undefined;
  const wanted = normalizeName(last.startsWith('[') ? (JSON.parse(last.slice(1, -1)) as string) : last);
  for (const [name] of schema.structIterator()) if (normalizeName(name) === wanted) return name;
  return undefined;
}

function normalizeName(name: string): string {
  return name.replace(/[-_]/g, '').toLowerCase();
}

/**
 * A UserError listing the keys the SDK would drop (with "did you mean" hints), or undefined when
 * every key will be sent. `origin` names the source, e.g. `.aws/task-definition.json`.
 */
export function describeKeysTheSdkWouldDrop(
  taskDefinition: Record<string, unknown>,
  origin: string,
): UserError | undefined {
  const dropped = findKeysTheSdkWouldDrop(taskDefinition);
  if (dropped.length === 0) return undefined;
  const lines = dropped.map((path) => {
    const suggestion = suggestKnownKey(path);
    return suggestion ? `${path} (did you mean "${suggestion}"?)` : path;
  });
  return new UserError(
    `task-definition: ${origin} has ${dropped.length === 1 ? 'a key' : `${dropped.length} keys`} that ` +
      `RegisterTaskDefinition does not know, so the AWS SDK would silently leave ${dropped.length === 1 ? 'it' : 'them'} ` +
      `out: ${lines.join(', ')}. Fix the spelling (names are case-sensitive) or remove ` +
      `${dropped.length === 1 ? 'it' : 'them'}; a field newer than this version of ecs-shift needs an update of ecs-shift.`,
  );
}

/** `family` must be a non-empty string: RegisterTaskDefinition needs it and it names the revision. */
export function checkFamily(taskDefinition: Record<string, unknown>, origin: string): string {
  const { family } = taskDefinition;
  if (typeof family === 'string' && family.trim() !== '') return family;
  const got = family === undefined ? 'it has none' : `got ${JSON.stringify(family)}`;
  throw new UserError(
    `task-definition: ${origin} needs a "family" (a non-empty string naming the task definition), ${got}. ` +
      'Add one, e.g. "family": "web".',
  );
}
