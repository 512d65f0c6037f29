/**
 * The job summary (GitHub-flavoured Markdown), written once at the end of the step: what was
 * deployed, how it went, the lifecycle timeline, the traffic shift and, on failure, the diagnosis.
 */
import type { WaitUntil } from '../settings/settings.js';
import type { ProgressEvent } from './events.js';
import {
  clusterName,
  codeDeployDeploymentUrl,
  ecsServiceUrl,
  serviceDeploymentUrl,
  taskDefinitionUrl,
} from './console-urls.js';
import { formatDuration, formatUtcTime, oneLine } from '../text/format.js';
import { formatElapsed, formatPercent, lifecycleWords } from './progress-lines.js';
import { safeText } from '../text/sanitise.js';

export interface DeploymentReport {
  controller: 'CODE_DEPLOY' | 'ECS' | 'ROLLING' | 'NONE';
  region: string;
  cluster: string;
  service?: string;
  taskDefinitionArn?: string;
  /** The revision was deployed (or found) as it was registered already: none was registered. */
  reused?: boolean;
  deploymentId?: string;
  deploymentUrl?: string;
  deploymentConfig?: string;
  waitUntil: WaitUntil;
  outcome: 'success' | 'failure' | 'started' /* did not wait */;
  /** e.g. 'traffic shifted', 'Succeeded', 'Failed', 'Stopped (rolled back)', 'timed out — rolled back' */
  status: string;
  startedAt: number;
  endedAt: number;
  /** Everything emitted while watching. */
  events: ProgressEvent[];
  failure?: { headline: string; details: string[] };
}

const ICONS: Record<DeploymentReport['outcome'], string> = { success: '✅', failure: '❌', started: '🚀' };

const CONTROLLERS: Record<DeploymentReport['controller'], string> = {
  CODE_DEPLOY: 'CodeDeploy blue/green',
  ECS: 'ECS blue/green',
  ROLLING: 'ECS rolling update',
  NONE: 'none: task definition registered only',
};

const WAIT_TARGETS: Record<WaitUntil, string> = {
  shifted: 'shifted: all production traffic on the new revision, post-traffic hooks passed',
  ready: 'ready: new revision up with test traffic, waiting for a promote',
  complete: 'complete: everything finished, old revision gone',
};

const CELL_MAX = 300;

/** Text safe inside a Markdown table cell: `|` escaped, newlines as `<br>`, HTML brackets escaped. */
export function escapeCell(text: string): string {
  const cell = text
    .trim()
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
  return cell.length > CELL_MAX ? `${cell.slice(0, CELL_MAX - 1)}…` : cell;
}

/** Inline Markdown with its special characters escaped (for a heading or bold text). */
function escapeInline(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]#|]/g, '\\$&');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function link(text: string, url: string | undefined): string {
  const label = escapeCell(text).replace(/[[\]]/g, '\\$&');
  return url ? `[${label}](${url.replace(/[()\s]/g, encodeURIComponent)})` : label;
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ];
}

function deploymentLink(report: DeploymentReport): string | undefined {
  const { deploymentId, region, cluster, service } = report;
  if (report.deploymentUrl) return report.deploymentUrl;
  if (!deploymentId) return undefined;
  if (report.controller === 'CODE_DEPLOY') return codeDeployDeploymentUrl(region, deploymentId);
  if (service && deploymentId.includes(':service-deployment/')) {
    return serviceDeploymentUrl(region, cluster, service, deploymentId);
  }
  return undefined;
}

function heading(report: DeploymentReport): string {
  const subject = report.service
    ? `${report.service} on ${clusterName(report.cluster)}`
    : report.controller === 'NONE'
      ? 'task definition'
      : clusterName(report.cluster);
  const status = report.status.trim() !== '' ? ` — ${report.status}` : '';
  return `## ${ICONS[report.outcome]} ${escapeInline(subject + status)}`;
}

function overview(report: DeploymentReport): string[] {
  const rows: [string, string][] = [];
  const cluster = escapeCell(clusterName(report.cluster));
  if (report.service) {
    const service = link(report.service, ecsServiceUrl(report.region, report.cluster, report.service));
    rows.push(['Service', `${service} in cluster ${cluster} (${escapeCell(report.region)})`]);
  } else {
    rows.push(['Cluster', `${cluster} (${escapeCell(report.region)})`]);
  }
  rows.push(['Deployed with', CONTROLLERS[report.controller]]);
  if (report.taskDefinitionArn) {
    rows.push([
      'Task definition',
      link(report.taskDefinitionArn, taskDefinitionUrl(report.region, report.taskDefinitionArn)),
    ]);
  }
  if (report.deploymentId) rows.push(['Deployment', link(report.deploymentId, deploymentLink(report))]);
  if (report.deploymentConfig) rows.push(['Deployment config', escapeCell(report.deploymentConfig)]);
  if (report.controller !== 'NONE') {
    rows.push([
      'Waited until',
      report.outcome === 'started'
        ? 'did not wait (wait-for-service-stability: false)'
        : WAIT_TARGETS[report.waitUntil],
    ]);
  }
  if (report.status.trim() !== '') rows.push(['Final status', escapeCell(report.status)]);
  rows.push([
    'Duration',
    `${formatDuration(report.endedAt - report.startedAt)} (${formatUtcTime(report.startedAt)} → ${formatUtcTime(
      report.endedAt,
    )} UTC)`,
  ]);
  return table(['', ''], rows);
}

export interface TimelineRow {
  name: string;
  status: string;
  start?: number;
  end?: number;
  diagnostic?: string;
}

/** One row per lifecycle event or stage, in the order they first appeared, with their last state. */
export function lifecycleTimeline(events: ProgressEvent[]): TimelineRow[] {
  const rows = new Map<string, TimelineRow>();
  for (const event of events) {
    if (event.type !== 'lifecycle') continue;
    const row = rows.get(event.name) ?? { name: event.name, status: event.status };
    rows.set(event.name, row);
    row.status = event.status;
    const words = lifecycleWords(event.status);
    if (typeof event.startTime === 'number') row.start = event.startTime;
    else if (words === 'in progress' && row.start === undefined) row.start = event.at;
    if (typeof event.endTime === 'number') row.end = event.endTime;
    else if ((words === 'succeeded' || words === 'failed') && row.end === undefined) row.end = event.at;
    if (event.diagnostic && event.diagnostic.trim() !== '') row.diagnostic = event.diagnostic;
  }
  return [...rows.values()].filter(
    (row) => !(lifecycleWords(row.status) === 'pending' && row.start === undefined),
  );
}

function statusCell(row: TimelineRow): string {
  const words = lifecycleWords(row.status);
  const icon: Record<string, string> = {
    succeeded: '✅',
    failed: '❌',
    skipped: '⏭️',
    'in progress': '⏳',
    pending: '⏸️',
  };
  const text = `${icon[words] ?? '•'} ${words}`;
  return row.diagnostic && words === 'failed' ? `${text}: ${escapeCell(oneLine(row.diagnostic))}` : text;
}

function timeline(report: DeploymentReport): string[] {
  const rows = lifecycleTimeline(report.events);
  if (rows.length === 0) return [];
  const time = (ms: number | undefined) => (ms === undefined ? '—' : formatUtcTime(ms));
  return [
    '### Lifecycle',
    '',
    ...table(
      ['Event', 'Started (UTC)', 'Ended (UTC)', 'Duration', 'Status'],
      capped<TimelineRow>(rows, (count) => ({ name: `… ${count} more`, status: '' })).map((row) => [
        escapeCell(row.name),
        time(row.start),
        time(row.end),
        row.start !== undefined && row.end !== undefined ? formatDuration(row.end - row.start) : '—',
        statusCell(row),
      ]),
    ),
    '',
  ];
}

function trafficShift(report: DeploymentReport): string[] {
  const steps: Extract<ProgressEvent, { type: 'traffic' }>[] = [];
  for (const event of report.events) {
    if (event.type !== 'traffic') continue;
    const last = steps[steps.length - 1];
    if (last && last.blue === event.blue && last.green === event.green) continue;
    steps.push(event);
  }
  if (steps.length === 0) return [];
  return [
    '### Traffic shift',
    '',
    ...table(
      ['Time (UTC)', 'Elapsed', 'Blue', 'Green'],
      capped(
        steps.map((step) => [
          formatUtcTime(step.at),
          formatElapsed(step.at - report.startedAt),
          formatPercent(step.blue),
          formatPercent(step.green),
        ]),
        (count) => [`… ${count} more`, '', '', ''],
      ),
    ),
    '',
  ];
}

/** The details block: kept as preformatted text (indentation matters), with its URLs made clickable. */
function preformatted(lines: string[]): string {
  const text = lines.join('\n');
  const parts = text.split(/(https:\/\/[^\s<>"]+)/g);
  const html = parts
    .map((part, i) =>
      i % 2 === 1 ? `<a href="${escapeHtml(part)}">${escapeHtml(part)}</a>` : escapeHtml(part),
    )
    .join('');
  return `<pre>${html}</pre>`;
}

function failure(report: DeploymentReport): string[] {
  if (!report.failure) return [];
  const lines = ['### What went wrong', ''];
  const headline = escapeInline(report.failure.headline);
  if (headline !== '') lines.push(`**${headline}**`, '');
  const details = capped(
    report.failure.details.filter((line) => typeof line === 'string'),
    (count) => `… ${count} more lines in the step log`,
  );
  if (details.length > 0) lines.push(preformatted(details), '');
  return lines;
}

/** GitHub refuses a step summary over 1 MiB; stay well under it whatever AWS sent. */
export const MAX_SUMMARY_BYTES = 512 * 1024;
/** Rows of a table, lines of the failure details: the log has the rest. */
const MAX_ROWS = 200;

/** The whole job summary for one run of the step: sanitised, and bounded in size. */
export function buildJobSummary(report: DeploymentReport): string {
  return bounded(safeText(unboundedSummary(report)));
}

function unboundedSummary(report: DeploymentReport): string {
  return [
    heading(report),
    '',
    ...overview(report),
    '',
    ...failure(report),
    ...timeline(report),
    ...trafficShift(report),
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()
    .concat('\n');
}

/** Cut at a line boundary under MAX_SUMMARY_BYTES, closing an open <pre>, with a note saying so. */
function bounded(summary: string): string {
  if (Buffer.byteLength(summary) <= MAX_SUMMARY_BYTES) return summary;
  const note =
    "\n\n_The summary was cut short to stay within GitHub's size limit; the step log has everything._\n";
  let cut = summary.slice(0, MAX_SUMMARY_BYTES - note.length - 16);
  while (Buffer.byteLength(cut) > MAX_SUMMARY_BYTES - note.length - 16) cut = cut.slice(0, -1024);
  cut = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')));
  const openPre = cut.lastIndexOf('<pre>') > cut.lastIndexOf('</pre>');
  return `${cut}${openPre ? '</pre>' : ''}${note}`;
}

/** At most MAX_ROWS items, the last one saying how many were left out. */
function capped<T>(items: T[], leftOut: (count: number) => T): T[] {
  return items.length <= MAX_ROWS
    ? items
    : [...items.slice(0, MAX_ROWS - 1), leftOut(items.length - MAX_ROWS + 1)];
}
