/**
 * Whether two register inputs would register the same revision: the same keys and values, whatever the
 * order of an object's keys or of the tags. Arrays are otherwise compared in order (containers,
 * environment, port mappings are ordered lists to ECS). Pure.
 */
import { isPlainObject } from '../text/format.js';

export function sameRegisterInput(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown, key?: string): string {
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(item));
    // Tags are a set to ECS: their order in a file and in DescribeTaskDefinition need not agree.
    return `[${(key === 'tags' ? items.sort() : items).join(',')}]`;
  }
  if (isPlainObject(value)) {
    const entries = Object.keys(value)
      .filter((name) => value[name] !== undefined)
      .sort()
      .map((name) => `${JSON.stringify(name)}:${canonical(value[name], name)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
