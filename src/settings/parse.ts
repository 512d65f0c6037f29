/**
 * The parsing primitives every input form goes through, shared by both front ends (the action's
 * inputs, the CLI's flags and --config file): one reader that trims, parses and collects every problem
 * as one line naming the input, what was expected and an example, so all of them are shown at once.
 */
import { findJsonSyntaxError, lineAndColumn } from '../taskdef/read.js';
import { describeValue } from '../text/errors.js';
import { isPlainObject } from '../text/format.js';

export interface InputReader<Name extends string> {
  /** The trimmed value, '' when not set. */
  text(name: Name): string;
  /** Records a problem with `name`; returns undefined so a parser can `return fail(…)`. */
  fail(name: Name, message: string): undefined;
  /** Comma- (or newline-) separated values, trimmed, empty ones ignored. */
  list(name: Name): string[];
  /** Non-blank lines, trimmed, with their 1-based numbers; lines starting with # are comments. */
  lines(name: Name): { text: string; line: number }[];
  boolean(name: Name): boolean | undefined;
  /** One of `allowed`, matched without regard to case; the first is the example. */
  oneOf<T extends string>(name: Name, allowed: readonly T[]): T | undefined;
  /** A whole number, 0 or more. */
  count(name: Name, example: string): number | undefined;
  /** Minutes greater than 0 and at most `max`, decimals allowed. */
  minutes(name: Name, max: { minutes: number; why: string; example: string }): number | undefined;
  /** A JSON array of objects; malformed text is a problem with its line and column. */
  jsonObjects(name: Name, example: string): Record<string, unknown>[] | undefined;
  /** Every problem found so far, one line each. */
  readonly problems: readonly string[];
}

export function inputReader<Name extends string>(getInput: (name: Name) => string): InputReader<Name> {
  const problems: string[] = [];
  const text = (name: Name): string => (getInput(name) ?? '').trim();
  const fail = (name: Name, message: string): undefined => {
    problems.push(`${name}: ${message}`);
    return undefined;
  };
  return {
    problems,
    text,
    fail,
    list: (name) => splitList(text(name)),
    lines: (name) => splitLines(text(name)),
    boolean(name) {
      const value = text(name);
      if (value === '') return undefined;
      if (/^true$/i.test(value)) return true;
      if (/^false$/i.test(value)) return false;
      return fail(
        name,
        `${describeValue(value)} is not a boolean. Expected true or false, e.g. ${name}: true.`,
      );
    },
    oneOf(name, allowed) {
      const value = text(name);
      if (value === '') return undefined;
      const match = allowed.find((option) => option.toLowerCase() === value.toLowerCase());
      if (match !== undefined) return match;
      return fail(
        name,
        `${describeValue(value)} is not one of ${allowed.join(', ')}. Expected one of them, e.g. ${name}: ${allowed[0]}.`,
      );
    },
    count(name, example) {
      const value = text(name);
      if (value === '') return undefined;
      if (/^\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
      return fail(
        name,
        `${describeValue(value)} is not a whole number. Expected 0 or more, e.g. ${example}.`,
      );
    },
    minutes(name, max) {
      const value = text(name);
      if (value === '') return undefined;
      const expected = `Expected a number of minutes greater than 0 and at most ${max.minutes} (${max.why}), decimals allowed, e.g. ${max.example}.`;
      if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value)) {
        return fail(name, `${describeValue(value)} is not a number of minutes. ${expected}`);
      }
      const minutes = Number(value);
      if (minutes <= 0) return fail(name, `${describeValue(value)} is not greater than 0. ${expected}`);
      if (minutes > max.minutes) {
        return fail(name, `${describeValue(value)} is more than ${max.minutes}. ${expected}`);
      }
      return minutes;
    },
    jsonObjects(name, example) {
      const value = text(name);
      if (value === '') return undefined;
      const expected = `Expected a JSON array of objects, e.g. ${name}: '${example}'.`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        const found = findJsonSyntaxError(value);
        const at = found ? lineAndColumn(value, found.position) : undefined;
        return fail(
          name,
          `is not valid JSON${at ? ` at line ${at.line}, column ${at.column}` : ''}. ${expected}`,
        );
      }
      if (!Array.isArray(parsed) || !parsed.every(isPlainObject)) {
        return fail(name, `is not an array of objects. ${expected}`);
      }
      return parsed as Record<string, unknown>[];
    },
  };
}

export function splitList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function splitLines(value: string): { text: string; line: number }[] {
  return value
    .split('\n')
    .map((text, index) => ({ text: text.trim(), line: index + 1 }))
    .filter(({ text }) => text !== '' && !text.startsWith('#'));
}
