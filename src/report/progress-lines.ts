/**
 * One short, aligned log line per progress event:
 *
 *   +0m12s  Install              started
 *   +1m40s  Install              succeeded (1m28s)
 *   +2m02s  traffic              blue 90% │ green 10%
 *   +2m02s  tasks Green          3/3 running
 */
import type { ProgressEvent } from './events.js';
import { formatDuration, oneLine } from '../text/format.js';

/** `+0m12s` and `+12m05s` both end the column at the same place (one or two spaces after). */
const ELAPSED_WIDTH = 7;
const NAME_WIDTH = 20;
const DIAGNOSTIC_MAX = 200;

/** `+1m05s` (and `+1h02m05s` past the hour) since `startedAt`; never negative. */
export function formatElapsed(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const seconds = String(total % 60).padStart(2, '0');
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `+${minutes}m${seconds}s`;
  return `+${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m${seconds}s`;
}

/**
 * A lifecycle status as lower-case words: InProgress → `in progress`, ROLLBACK_FAILED →
 * `rollback failed`, Succeeded/SUCCESSFUL → `succeeded`.
 */
export function lifecycleWords(status: string): string {
  const words = status
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  if (words === 'successful' || words === 'success') return 'succeeded';
  return words === '' ? 'unknown' : words;
}

/** Percentages as people write them: 90, 33.3. */
export function formatPercent(value: number): string {
  return `${Number.isFinite(value) ? Math.round(value * 10) / 10 : 0}%`;
}

function line(elapsed: string, name: string, text: string): string {
  const column = name.length >= NAME_WIDTH ? `${name} ` : name.padEnd(NAME_WIDTH + 1);
  return `${elapsed.padEnd(ELAPSED_WIDTH)} ${column}${text}`.trimEnd();
}

function shorten(text: string): string {
  const flat = oneLine(text);
  return flat.length > DIAGNOSTIC_MAX ? `${flat.slice(0, DIAGNOSTIC_MAX - 1)}…` : flat;
}

function lifecycleText(event: Extract<ProgressEvent, { type: 'lifecycle' }>): string {
  const words = lifecycleWords(event.status);
  const state = words === 'in progress' ? 'started' : words;
  const took =
    typeof event.startTime === 'number' && typeof event.endTime === 'number' && state !== 'started'
      ? ` (${formatDuration(event.endTime - event.startTime)})`
      : '';
  const diagnostic =
    event.diagnostic && event.diagnostic.trim() !== '' ? `: ${shorten(event.diagnostic)}` : '';
  return `${state}${took}${diagnostic}`;
}

/** The log line for one progress event; elapsed time is measured from `startedAt` (epoch ms). */
export function formatProgressEvent(event: ProgressEvent, startedAt: number): string {
  const text = progressText(event, startedAt);
  // Several services: each line says whose it is, as the other log lines of that service do.
  return event.service ? `[${event.service}] ${text}` : text;
}

function progressText(event: ProgressEvent, startedAt: number): string {
  const elapsed = formatElapsed(event.at - startedAt);
  switch (event.type) {
    case 'status':
      return line(elapsed, 'status', event.status);
    case 'lifecycle':
      return line(elapsed, event.name, lifecycleText(event));
    case 'traffic':
      return line(
        elapsed,
        'traffic',
        `blue ${formatPercent(event.blue)} │ green ${formatPercent(event.green)}`,
      );
    case 'tasks': {
      const pending = event.pending > 0 ? `, ${event.pending} pending` : '';
      return line(elapsed, `tasks ${event.label}`, `${event.running}/${event.desired} running${pending}`);
    }
    case 'note':
      return line(elapsed, 'note', oneLine(event.message));
  }
}
