/**
 * The timeline tables of the job summary, in UTC: lifecycle events or stages, production traffic
 * steps, a rolling update's task counts, and the events (service events, hooks, notes).
 */
import type { ProgressEvent } from './events.js';
import { taskDefinitionName } from './console-urls.js';
import { formatDuration, formatUtcTime, oneLine } from '../text/format.js';
import { formatElapsed, formatPercent, lifecycleWords } from './progress-lines.js';
import { capped, escapeCell, table } from './markdown.js';
import { lifecycleTimeline, type TimelineRow, trafficSteps } from './timeline.js';
import type { DeploymentReport } from './summary.js';

const STATUS_ICONS: Record<string, string> = {
  succeeded: '✅',
  failed: '❌',
  skipped: '⏭️',
  'in progress': '⏳',
  pending: '⏸️',
};

function statusCell(row: TimelineRow): string {
  const words = lifecycleWords(row.status);
  const text = `${STATUS_ICONS[words] ?? '•'} ${words}`;
  return row.diagnostic && words === 'failed' ? `${text}: ${escapeCell(oneLine(row.diagnostic))}` : text;
}

const time = (ms: number | undefined): string => (ms === undefined ? '—' : formatUtcTime(ms));

export function lifecycleTable(report: DeploymentReport): string[] {
  const rows = lifecycleTimeline(report.events);
  if (rows.length === 0) return [];
  return [
    report.controller === 'ECS' ? '### Stages' : '### Lifecycle events',
    '',
    ...table(
      [report.controller === 'ECS' ? 'Stage' : 'Event', 'Started (UTC)', 'Ended (UTC)', 'Took', 'Status'],
      capped<TimelineRow>(rows, (count) => ({ name: `… ${count} more`, status: '' })).map((row) => [
        escapeCell(row.name),
        time(row.start),
        time(row.end),
        // A duration the polls did not see (a stage passed between two) is not made up.
        row.start !== undefined && row.end !== undefined && !row.startDerived
          ? formatDuration(row.end - row.start)
          : '—',
        statusCell(row),
      ]),
    ),
    '',
  ];
}

export function trafficTable(report: DeploymentReport): string[] {
  const steps = trafficSteps(report.events);
  if (steps.length === 0) return [];
  const { before, after } = revisionNames(report);
  return [
    '### Production traffic',
    '',
    ...table(
      ['Time (UTC)', 'Elapsed', `Old (${before})`, `New (${after})`],
      capped(
        steps.map((step) => [
          formatUtcTime(step.at),
          formatElapsed(step.at - report.startedAt),
          formatPercent(step.blue),
          `${formatPercent(step.green)}${step.back ? ' (going back)' : ''}`,
        ]),
        (count) => [`… ${count} more`, '', '', ''],
      ),
    ),
    '',
  ];
}

function revisionNames(report: DeploymentReport): { before: string; after: string } {
  return {
    before: escapeCell(
      report.previousTaskDefinitionArn ? taskDefinitionName(report.previousTaskDefinitionArn) : 'blue',
    ),
    after: escapeCell(report.taskDefinitionArn ? taskDefinitionName(report.taskDefinitionArn) : 'green'),
  };
}

/** Rolling: how many tasks of each revision ran, each time a count changed. */
export function taskCountsTable(report: DeploymentReport): string[] {
  if (report.controller !== 'ROLLING') return [];
  const rows: string[][] = [];
  const current: Record<string, string> = { new: '—', old: '—' };
  for (const event of report.events) {
    if (event.type !== 'tasks' || (event.label !== 'new' && event.label !== 'old')) continue;
    const pending = event.pending > 0 ? ` (+${event.pending} starting)` : '';
    current[event.label] =
      event.running === 0 && event.desired === 0 && event.pending === 0
        ? 'none'
        : `${event.running} of ${event.desired}${pending}`;
    const row = [
      formatUtcTime(event.at),
      formatElapsed(event.at - report.startedAt),
      current.new!,
      current.old!,
    ];
    const last = rows[rows.length - 1];
    if (last && last[0] === row[0]) rows[rows.length - 1] = row;
    else rows.push(row);
  }
  if (rows.length === 0) return [];
  const { before, after } = revisionNames(report);
  return [
    '### Tasks running',
    '',
    ...table(
      ['Time (UTC)', 'Elapsed', `New (${after})`, `Old (${before})`],
      capped(rows, (count) => [`… ${count} more`, '', '', '']),
    ),
    '',
  ];
}

/** Service events, hook changes and notes, in the order they happened. */
export function eventsTable(report: DeploymentReport): string[] {
  const notes = report.events.filter((e): e is Extract<ProgressEvent, { type: 'note' }> => e.type === 'note');
  if (notes.length === 0) return [];
  return [
    '### Events',
    '',
    ...table(
      ['Time (UTC)', 'Elapsed', 'Event'],
      capped(
        notes.map((note) => [
          formatUtcTime(note.at),
          formatElapsed(note.at - report.startedAt),
          escapeCell(oneLine(note.message)),
        ]),
        (count) => [`… ${count} more`, '', ''],
      ),
    ),
    '',
  ];
}
