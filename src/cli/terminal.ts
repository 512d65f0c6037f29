/**
 * The CLI's runtime sinks: one line per change on stderr, as in the action's log (stdout stays free
 * for --output json), phases as headings, and on a TTY a live status line (phase, traffic split, tasks)
 * redrawn in place. Colour only on a TTY and never with NO_COLOR, unless FORCE_COLOR says otherwise.
 */
import type { InFlightDeployment, OutputName, Sink } from '../release/runtime.js';
import { formatProgressEvent } from '../report/progress-lines.js';
import { safeText } from '../text/sanitise.js';
import type { ProgressEvent } from '../report/events.js';

export interface TerminalOptions {
  stream: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  startedAt: number;
}

export interface Terminal {
  sink: Sink;
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
  error(text: string): void;
  outputs: Partial<Record<OutputName, string>>;
  /** What is in flight now (for the second Ctrl-C's "how to follow it"). */
  inFlight(): InFlightDeployment | undefined;
  /** Clears the live status line before the process ends. */
  done(): void;
}

export function terminal({ stream, env, startedAt }: TerminalOptions): Terminal {
  const live = stream.isTTY === true && env.TERM !== 'dumb';
  const colour = wantsColour(live, env);
  const paint = (code: string, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const outputs: Partial<Record<OutputName, string>> = {};
  let inFlight: InFlightDeployment | undefined;
  const status = { phase: '', traffic: '', tasks: '' };
  let statusShown = false;
  let finished = false;

  const clearStatus = () => {
    if (statusShown) stream.write('\r\u001b[2K');
    statusShown = false;
  };
  const drawStatus = () => {
    if (!live || finished) return;
    const parts = [status.phase, status.traffic, status.tasks].filter(Boolean).join('  │  ');
    if (!parts) return;
    const width = Math.max(20, (stream.columns || 80) - 1);
    stream.write(`\r\u001b[2K${paint('2', parts.slice(0, width))}`);
    statusShown = true;
  };
  const write = (text: string) => {
    clearStatus();
    stream.write(`${safeText(text)}\n`);
    drawStatus();
  };
  const track = (event: ProgressEvent) => {
    if (event.type === 'traffic') status.traffic = `traffic blue ${event.blue}% / green ${event.green}%`;
    if (event.type === 'tasks') status.tasks = `tasks ${event.running}/${event.desired} running`;
    if (event.type === 'lifecycle' && event.status === 'InProgress') status.phase = event.name;
  };

  return {
    outputs,
    inFlight: () => inFlight,
    sink: {
      onEvent: (event) => {
        track(event);
        write(formatProgressEvent(event, startedAt));
      },
      info: (line) => write(line),
      warning: (line) => write(paint('33', `warning: ${line}`)),
      notice: (line) => write(`notice: ${line}`),
      setOutput: (name, value) => {
        outputs[name] = value;
      },
      rememberInFlight: (deployment) => {
        inFlight = deployment;
      },
    },
    group: async (title, body) => {
      status.phase = title;
      write(paint('1', `== ${title}`));
      return body();
    },
    error: (text) => write(paint('31', `error: ${text}`)),
    done: () => {
      clearStatus();
      finished = true;
    },
  };
}

/**
 * Colour on a terminal unless NO_COLOR is set to anything but empty (no-color.org); FORCE_COLOR wins
 * over both, as in Node itself (0 or false: never).
 */
export function wantsColour(terminalStream: boolean, env: NodeJS.ProcessEnv): boolean {
  const forced = env.FORCE_COLOR;
  if (forced !== undefined && forced !== '') return forced !== '0' && forced !== 'false';
  return terminalStream && !env.NO_COLOR;
}
