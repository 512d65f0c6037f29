/**
 * Reads a task definition: from a JSON or YAML file (including the whole output of
 * `aws ecs describe-task-definition`), or from a revision registered in ECS.
 */
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { Tag, TaskDefinition } from '../aws/ports.js';
import { errorMessage, UserError } from '../text/errors.js';
import { readInputFile } from '../text/input-file.js';
import { withoutControlCharacters } from '../text/sanitise.js';
import { READ_ONLY_TASK_DEFINITION_KEYS } from './clean.js';
import { isPlainObject } from '../text/format.js';

export type TextFormat = 'json' | 'yaml' | 'auto';

/** The format a file's extension promises; anything else is tried as JSON, then YAML. */
export function formatOfPath(filePath: string): TextFormat {
  const ext = path.extname(filePath).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return 'auto';
}

/**
 * Parses JSON or YAML text. A syntax error becomes a UserError `<subject> is not valid JSON: <why>
 * at line L, column C.` with the offending line and a caret as details. `subject` names the input
 * and file, e.g. `task-definition: .aws/td.json`.
 */
export function parseStructuredText(text: string, format: TextFormat, subject: string): unknown {
  if (text.trim() === '') {
    throw new UserError(
      `${subject} is empty. Expected a JSON or YAML document, e.g. {"family": "web", "containerDefinitions": [...]}.`,
    );
  }
  const parsed = parseByFormat(text, format, subject);
  checkNesting(parsed, subject);
  return parsed;
}

function parseByFormat(text: string, format: TextFormat, subject: string): unknown {
  if (format === 'json') return parseJson(text, subject);
  if (format === 'yaml') return parseYaml(text, subject);
  // Unknown extension: JSON first; when both fail, report the error of the format the text looks like.
  try {
    return parseJson(text, subject);
  } catch (jsonError) {
    try {
      return parseYaml(text, subject);
    } catch (yamlError) {
      throw /^\s*[[{]/.test(text) ? jsonError : yamlError;
    }
  }
}

/** Deeper than any task definition or AppSpec needs; deeper input is an attack or a mistake. */
export const MAX_NESTING = 64;

/** Rejects documents nested deeper than MAX_NESTING (iteratively: the check itself must not overflow). */
function checkNesting(value: unknown, subject: string): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_NESTING) {
      throw new UserError(
        `${subject} is nested more than ${MAX_NESTING} levels deep. Expected a task definition or AppSpec document, which needs a handful of levels.`,
      );
    }
    for (const child of Object.values(current)) stack.push({ value: child, depth: depth + 1 });
  }
}

function parseJson(text: string, subject: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // editors on Windows add a BOM
  try {
    return JSON.parse(body);
  } catch (error) {
    const found = findJsonSyntaxError(body);
    if (!found) throw new UserError(`${subject} is not valid JSON: ${bounded((error as Error).message)}.`);
    const { line, column } = lineAndColumn(body, found.position);
    throw new UserError(
      `${subject} is not valid JSON: ${found.reason} at line ${line}, column ${column}.`,
      sourcePointer(body, line, column),
    );
  }
}

function parseYaml(text: string, subject: string): unknown {
  let document: ReturnType<typeof parseDocument>;
  try {
    document = parseDocument(text, { prettyErrors: true });
  } catch (error) {
    throw unparseable(subject, 'YAML', error);
  }
  const error = document.errors[0];
  if (error) {
    // yaml appends " at line L, column C:" and a snippet; keep the reason and rebuild the tail.
    const reason =
      error.code === 'MULTIPLE_DOCS'
        ? 'it holds more than one document (a second "---"); keep one'
        : error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const position = error.linePos?.[0];
    if (!position) throw new UserError(`${subject} is not valid YAML: ${bounded(reason)}.`);
    throw new UserError(
      `${subject} is not valid YAML: ${bounded(reason)} at line ${position.line}, column ${position.col}.`,
      sourcePointer(text, position.line, position.col),
    );
  }
  try {
    return document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw unparseable(subject, 'YAML', error);
  }
}

/** What the parser itself gave up on: an alias bomb, or nesting too deep for its stack. */
function unparseable(subject: string, format: 'JSON' | 'YAML', error: unknown): UserError {
  if (error instanceof ReferenceError && /alias/i.test(error.message)) {
    return new UserError(
      `${subject} is not usable ${format}: its aliases (*name) expand to too many nodes, as in a "billion laughs" document. Write the values out instead of nesting aliases.`,
    );
  }
  if (error instanceof RangeError) {
    return new UserError(`${subject} is not usable ${format}: it is nested too deeply to read.`);
  }
  return new UserError(`${subject} is not valid ${format}: ${bounded(errorMessage(error))}.`);
}

/** At most this much of a file's own text goes into a message. */
const EXCERPT_MAX = 120;

function bounded(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > EXCERPT_MAX ? `${flat.slice(0, EXCERPT_MAX - 1)}…` : flat;
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/** The offending line and a caret under the column: a window of the line, never the whole of it. */
function sourcePointer(text: string, line: number, column: number): string[] {
  const source = text.split('\n')[line - 1];
  if (source === undefined) return [];
  const shown = source.replace(/\r$/, '');
  const start = Math.max(0, Math.min(column - 1 - EXCERPT_MAX / 2, shown.length - EXCERPT_MAX));
  const end = Math.min(shown.length, start + EXCERPT_MAX);
  const window = `${start > 0 ? '…' : ''}${shown.slice(start, end)}${end < shown.length ? '…' : ''}`;
  const caret = column - 1 - start + (start > 0 ? 1 : 0);
  return [withoutControlCharacters(window), `${' '.repeat(Math.max(0, caret))}^`];
}

/**
 * Finds where JSON.parse gives up, because V8's message carries a position only for some errors.
 * Returns undefined when the text is valid JSON.
 */
export function findJsonSyntaxError(text: string): { position: number; reason: string } | undefined {
  let i = 0;
  const fail = (reason?: string): never => {
    const explained =
      reason ??
      (i >= text.length
        ? 'Unexpected end of input'
        : text[i] === "'"
          ? "Unexpected token ' (JSON strings use double quotes)"
          : `Unexpected token ${text[i]}`);
    throw { position: Math.min(i, text.length), reason: explained };
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const expect = (char: string): void => {
    if (text[i] !== char) fail();
    i++;
  };
  const parseString = (): void => {
    expect('"');
    while (i < text.length && text[i] !== '"') {
      const code = text.charCodeAt(i);
      if (code < 0x20) fail('Unexpected control character in string (escape it, e.g. \\n)');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('Bad \\u escape in string');
          i += 5;
          continue;
        }
        if (i >= text.length) fail('Unterminated string');
        if (!'"\\/bfnrt'.includes(text[i])) fail('Bad escape in string');
      }
      i++;
    }
    if (i >= text.length) fail('Unterminated string');
    i++;
  };
  const parseValue = (): void => {
    skipSpace();
    const char = text[i];
    if (char === '{') {
      i++;
      skipSpace();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        if (text[i] === '}') fail('Unexpected token } (a trailing comma is not allowed in JSON)');
        if (text[i] !== '"') fail(i < text.length ? `Expected a property name in double quotes` : undefined);
        parseString();
        skipSpace();
        expect(':');
        parseValue();
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(i < text.length ? `Unexpected token ${text[i]} (expected , or })` : undefined);
      }
    }
    if (char === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        if (text[i] === ']') fail('Unexpected token ] (a trailing comma is not allowed in JSON)');
        parseValue();
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(i < text.length ? `Unexpected token ${text[i]} (expected , or ])` : undefined);
      }
    }
    if (char === '"') return parseString();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!literal) fail();
    i += literal![0].length;
  };
  try {
    parseValue();
    skipSpace();
    if (i < text.length) fail();
    return undefined;
  } catch (error) {
    if (error && typeof error === 'object' && 'position' in error) {
      return error as { position: number; reason: string };
    }
    if (error instanceof RangeError) return undefined; // nested too deep to point at: JSON.parse's message stands
    throw error;
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * Parses a task definition file's text (format by extension). Accepts a RegisterTaskDefinition input
 * or the whole `aws ecs describe-task-definition` output, whose `tags` become the register `tags`.
 */
export function parseTaskDefinitionText(text: string, displayPath: string): Record<string, unknown> {
  const subject = `task-definition: ${displayPath}`;
  const parsed = parseStructuredText(text, formatOfPath(displayPath), subject);
  if (!isPlainObject(parsed)) {
    throw new UserError(
      `${subject} must hold a task definition object (with "family" and "containerDefinitions"), ` +
        `but its top-level value is ${describeType(parsed)}.`,
    );
  }
  const isDescribeOutput =
    isPlainObject(parsed.taskDefinition) && !('family' in parsed) && !('containerDefinitions' in parsed);
  if (!isDescribeOutput) return parsed;

  const { tags } = parsed;
  if (tags !== undefined && tags !== null && !Array.isArray(tags)) {
    throw new UserError(
      `${subject}: "tags" next to "taskDefinition" must be a list of {"key": ..., "value": ...}, ` +
        `but it is ${describeType(tags)}.`,
    );
  }
  const taskDefinition = { ...(parsed.taskDefinition as Record<string, unknown>) };
  if (Array.isArray(tags) && tags.length > 0) taskDefinition.tags = tags;
  return taskDefinition;
}

/**
 * Reads and parses a task definition file (a regular file, at most 1 MiB, a symlink only within the
 * workspace); anything else is a UserError that names the input and the path.
 */
export function readTaskDefinitionFile(
  absPath: string,
  displayPath: string,
  workspace = path.dirname(absPath),
): Record<string, unknown> {
  const text = readInputFile({
    absPath,
    subject: `task-definition: ${displayPath}`,
    workspace,
    expected: 'a JSON or YAML file, e.g. task-definition: .aws/task-definition.json',
  });
  return parseTaskDefinitionText(text, displayPath);
}

/**
 * The RegisterTaskDefinition input that recreates a revision read from ECS: its read-only keys
 * dropped (they come from ECS, not from the user, so nothing to warn about), its tags kept.
 */
export function fromRegisteredRevision(
  taskDefinition: TaskDefinition,
  tags: Tag[] = [],
): Record<string, unknown> {
  const input: Record<string, unknown> = { ...taskDefinition };
  for (const key of READ_ONLY_TASK_DEFINITION_KEYS) delete input[key];
  for (const [key, value] of Object.entries(input)) if (value === undefined) delete input[key];
  if (tags.length > 0) input.tags = tags;
  return input;
}
