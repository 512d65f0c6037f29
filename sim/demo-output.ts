/**
 * How `npm run demo` writes: colour or plain (https://no-color.org, FORCE_COLOR as Node reads it), the
 * step's log with its workflow commands shown the way a run page shows them, and the folder that keeps
 * the run's files. Pure, except outFolder (which creates the folder).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Colour on a terminal (not TERM=dumb), off in a pipe or file. NO_COLOR (any non-empty value) turns it
 * off; FORCE_COLOR wins over both as in Node itself: empty, 1, 2, 3 or true force it on, 0 or false off.
 */
export function wantsColour(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase());
  if (env.NO_COLOR) return false;
  return isTTY && env.TERM !== 'dumb';
}

/**
 * The colour variables for the action's child process, so it follows the demo's choice: exactly one of
 * NO_COLOR and FORCE_COLOR (Node warns when it is given both).
 */
export function childColourEnv(colour: boolean): Record<string, string> {
  return colour ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' };
}

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';
const CODES: Record<Style, string> = {
  bold: '1',
  dim: '2',
  red: '31',
  green: '32',
  yellow: '33',
  cyan: '36',
};

export type Paint = (style: Style, text: string) => string;

export function painter(colour: boolean): Paint {
  return (style, text) => (colour ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text);
}

/** A section heading: `── text ─────` to 74 columns. */
export function heading(paint: Paint, text: string): string {
  return `\n${paint('bold', `── ${text} ${'─'.repeat(Math.max(0, 70 - text.length))}`)}`;
}

/** A workflow command's data, unescaped as the runner unescapes it (%0D, %0A, %25). */
function unescapeData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/**
 * One line of the step's log as a run page shows it: `::group::T` a heading, `::endgroup::` nothing,
 * `::error::` / `::warning::` / `::notice::` an annotation (its escaped newlines as lines), `::debug::`
 * hidden (the runner shows it only with debug logging on). Any other line unchanged. Returns the lines
 * to print (none for a line the runner does not show).
 */
export function runnerView(line: string, paint: Paint): string[] {
  const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
  if (!command) return [line];
  const [, name, data] = command;
  const lines = unescapeData(data).split(/\r?\n/);
  switch (name) {
    case 'group':
      return [paint('cyan', `▸ ${data}`)];
    case 'endgroup':
    case 'debug':
    case 'add-mask':
    case 'save-state':
    case 'set-output':
      return [];
    case 'error':
      return [paint('red', `Error: ${lines[0]}`), ...lines.slice(1).map((l) => paint('red', l))];
    case 'warning':
      return [paint('yellow', `Warning: ${lines[0]}`), ...lines.slice(1).map((l) => paint('yellow', l))];
    case 'notice':
      return [paint('bold', `Notice: ${lines[0]}`), ...lines.slice(1)];
    default:
      return [line];
  }
}

/** Splits a stream into whole lines: `push` returns the lines completed so far, `end` the rest. */
export function lineSplitter(): { push(chunk: string): string[]; end(): string[] } {
  let pending = '';
  return {
    push(chunk) {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      return parts;
    },
    end() {
      const rest = pending;
      pending = '';
      return rest ? [rest] : [];
    },
  };
}

/** `20260501-143026` (UTC): sorts by time, and is a valid file name everywhere. */
export function timestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
}

/** The default folder: <tmp>/ecs-shift-demo/<scenario>-<timestamp>, with -2, -3 … if it exists already. */
export function defaultOutFolder(scenario: string, now: Date, tmp = os.tmpdir()): string {
  const base = path.join(tmp, 'ecs-shift-demo', `${scenario}-${timestamp(now)}`);
  let candidate = base;
  for (let n = 2; existsSync(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}

/** Creates the folder (and its parents); the reason it cannot be used, or undefined. */
export function prepareOutFolder(dir: string): string | undefined {
  try {
    if (existsSync(dir) && !statSync(dir).isDirectory()) return 'it exists and is not a folder';
    mkdirSync(dir, { recursive: true });
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}
