/**
 * The job summary (GitHub-flavoured Markdown), written once at the end of the step, read top to
 * bottom: the headline (which revision replaced which, how it ended, where production traffic is),
 * what went wrong, the picture, the facts of the run, the timeline tables, and what changed.
 */
import type { WaitUntil } from '../settings/settings.js';
import { inTimeOrder, type ProgressEvent } from './events.js';
import {
  clusterName,
  codeDeployDeploymentUrl,
  ecsServiceUrl,
  serviceDeploymentUrl,
  taskDefinitionName,
  taskDefinitionUrl,
} from './console-urls.js';
import { formatDuration, formatUtcTime } from '../text/format.js';
import { safeText } from '../text/sanitise.js';
import { deploymentChart } from './chart.js';
import { changesMarkdown } from './changes.js';
import type { TaskDefinitionDiff } from '../taskdef/diff.js';
import type { Ending } from '../release/runtime.js';
import { detailsMarkdown } from './details-markdown.js';
import { headlineOf, ICONS, type ImageChange, shortId } from './headline.js';
import { capped, escapeCell, escapeInline, link, table } from './markdown.js';
import { eventsTable, lifecycleTable, taskCountsTable, trafficTable } from './timeline-tables.js';
import { servicesTable } from './services-table.js';
import type { FollowUps } from '../release/follow-ups.js';
import { followUpsMarkdown } from './follow-ups.js';

export { escapeCell } from './markdown.js';

export interface DeploymentReport {
  controller: 'CODE_DEPLOY' | 'ECS' | 'ROLLING' | 'NONE';
  region: string;
  cluster: string;
  service?: string;
  /** With several services: how the log names this one (`web`, or `prod/web` across clusters). */
  label?: string;
  /** With several services: each one's part, shaped as a one-service report. */
  services?: DeploymentReport[];
  /** What followed the release: scheduled tasks moved, old revisions deregistered. */
  followUps?: FollowUps;
  taskDefinitionArn?: string;
  /** The revision the service ran before this step (what the headline and the diff compare with). */
  previousTaskDefinitionArn?: string;
  /** Containers whose image changed, were added or removed. */
  imageChanges?: ImageChange[];
  /** The new revision against the one it replaces (comparedWith, an ARN): the "What changed" block. */
  changes?: { diff: TaskDefinitionDiff; comparedWith: string };
  /** The revision was deployed (or found) as it was registered already: none was registered. */
  reused?: boolean;
  /** `dry-run: true` / `ecs-shift diff`: rendered, checked and compared; nothing changed. */
  dryRun?: boolean;
  /** A dry run whose release would deploy this registered revision as it is, not a new one. */
  dryRunReuses?: string;
  /** promote / abort of a deployment left waiting: nothing new was registered. */
  continuation?: 'promote' | 'abort';
  /** A deployment was asked for (it may have failed to start). */
  deploymentRequested?: boolean;
  deploymentId?: string;
  deploymentUrl?: string;
  deploymentConfig?: string;
  waitUntil: WaitUntil;
  outcome: 'success' | 'failure' | 'started' /* did not wait */;
  /** e.g. 'traffic shifted', 'succeeded', 'failed — rolled back', 'timed out — rolled back' */
  status: string;
  /** Where a failed, stopped or aborted deployment was left (release/runtime.ts). */
  ending?: Ending;
  /** The deployment-status output: `ready`, `shifted`, `succeeded`, `failed`, … */
  deploymentStatus?: string;
  startedAt: number;
  endedAt: number;
  /** Everything emitted while watching. */
  events: ProgressEvent[];
  failure?: { headline: string; details: string[] };
}

const CONTROLLERS: Record<DeploymentReport['controller'], string> = {
  CODE_DEPLOY: 'CodeDeploy blue/green',
  ECS: 'ECS blue/green (ECS-native)',
  ROLLING: 'ECS rolling update',
  NONE: 'no service',
};

const ROLLOUT_DONE = 'the rollout completed: every task on the new revision, the old ones stopped.';

/** What "done" meant for this step, true for each path. */
const WAIT_TARGETS: Record<Exclude<DeploymentReport['controller'], 'NONE'>, Record<WaitUntil, string>> = {
  CODE_DEPLOY: {
    shifted: 'shifted: all production traffic on the new revision and the AfterAllowTraffic hook passed.',
    ready: 'ready: the new revision serving test traffic, the deployment waiting for a promote.',
    complete: 'complete: the deployment succeeded and the old task set is gone.',
  },
  ECS: {
    shifted: 'shifted: all production traffic on the new revision and the hooks after it passed.',
    ready: 'ready: a PAUSE hook before production traffic waiting for a promote.',
    complete: 'complete: the service deployment succeeded, bake time over and the old tasks gone.',
  },
  // A rolling update has one end, whatever wait-until says.
  ROLLING: { shifted: ROLLOUT_DONE, ready: ROLLOUT_DONE, complete: ROLLOUT_DONE },
};

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

function headline(report: DeploymentReport): string[] {
  const { title, verdict, traffic, images } = headlineOf(report);
  const lines = [`## ${ICONS[report.outcome]} ${escapeInline(title)}`, ''];
  lines.push(
    `**${escapeInline(verdict)}**${traffic ? ` Production traffic: ${escapeInline(traffic)}` : ''}`,
    '',
  );
  if (images.length > 0) {
    lines.push(
      ...table(
        ['Container', 'Image before', 'Image after'],
        images.map((change) => [
          escapeCell(change.container),
          change.before ? escapeCell(change.before) : '_(new container)_',
          change.after ? escapeCell(change.after) : '_(removed)_',
        ]),
      ),
      '',
    );
  }
  return lines;
}

function revisionLink(report: DeploymentReport, arn: string): string {
  return link(taskDefinitionName(arn), taskDefinitionUrl(report.region, arn));
}

/** The facts of the run as a list (a two-column table would open with an empty header band). */
function facts(report: DeploymentReport): string[] {
  const items: [string, string][] = [];
  const region = escapeCell(report.region);
  const cluster = escapeCell(clusterName(report.cluster));
  if (report.services) {
    const where = report.services.some((service) => service.label?.includes('/'))
      ? `(${region})`
      : `in cluster ${cluster} (${region})`;
    items.push(['Services', `${report.services.length} ${where}, one row each above`]);
  } else if (report.service) {
    const service = link(report.service, ecsServiceUrl(report.region, report.cluster, report.service));
    items.push(['Service', `${service} in cluster ${cluster} (${region})`]);
  } else {
    items.push(['Cluster', `${cluster} (${region})`]);
  }
  if (report.controller !== 'NONE' && !report.services) {
    const config = report.deploymentConfig ? `, ${escapeCell(report.deploymentConfig)}` : '';
    items.push(['Deployed with', `${CONTROLLERS[report.controller]}${config}`]);
  }
  const arn = report.taskDefinitionArn;
  const previous = report.previousTaskDefinitionArn;
  if (arn) {
    const how = report.reused ? ' (already registered: reused)' : '';
    // Without a service nothing is replaced: the comparison was with the family's latest revision.
    const was =
      previous && previous !== arn
        ? report.service
          ? `, replacing ${revisionLink(report, previous)}`
          : `, compared with ${revisionLink(report, previous)} (the family's latest)`
        : '';
    items.push(['Task definition', `${revisionLink(report, arn)}${how}${was}`]);
  } else if (previous) {
    items.push(['Task definition', `${revisionLink(report, previous)}, unchanged`]);
  }
  if (report.deploymentId)
    items.push(['Deployment', link(shortId(report.deploymentId), deploymentLink(report))]);
  const changed = whatChanged(report);
  if (changed) items.push(['Changes', changed]);
  const one = !report.services;
  if (one && report.controller !== 'NONE' && report.deploymentRequested && report.continuation !== 'abort') {
    items.push([
      'Wait target',
      report.outcome === 'started'
        ? 'did not wait (wait-for-service-stability: false).'
        : WAIT_TARGETS[report.controller][report.waitUntil],
    ]);
  }
  items.push([
    'Time',
    `${formatUtcTime(report.startedAt)} → ${formatUtcTime(report.endedAt)} UTC (${formatDuration(report.endedAt - report.startedAt)})`,
  ]);
  return [...items.map(([name, value]) => `- **${name}:** ${value}`), ''];
}

/** Said only where something did not happen that a reader could assume did. */
function whatChanged(report: DeploymentReport): string | undefined {
  if (report.continuation) return undefined;
  if (report.dryRun) return 'none: a dry run renders, checks and compares, and changes nothing.';
  if (!report.taskDefinitionArn) return 'none: nothing was registered or deployed.';
  if (report.service && !report.deploymentRequested) {
    return report.reused
      ? 'none: the service was not updated.'
      : 'the new revision was registered; the service was not updated.';
  }
  return undefined;
}

function chart(report: DeploymentReport): string[] {
  const lines = deploymentChart({
    controller: report.controller,
    startedAt: report.startedAt,
    endedAt: report.endedAt,
    events: report.events,
    before: report.previousTaskDefinitionArn && taskDefinitionName(report.previousTaskDefinitionArn),
    after: report.taskDefinitionArn && taskDefinitionName(report.taskDefinitionArn),
  });
  return lines.length > 0 ? [...lines, ''] : [];
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
  if (details.length > 0) lines.push(...detailsMarkdown(details), '');
  return lines;
}

function changes(report: DeploymentReport): string[] {
  if (!report.changes) return [];
  const labels = {
    before: taskDefinitionName(report.changes.comparedWith),
    after: report.taskDefinitionArn ? taskDefinitionName(report.taskDefinitionArn) : 'the new revision',
  };
  return [changesMarkdown(report.changes.diff, labels).trim(), ''];
}

/** GitHub refuses a step summary over 1 MiB; stay well under it whatever AWS sent. */
export const MAX_SUMMARY_BYTES = 512 * 1024;

/** The whole job summary for one run of the step: sanitised, and bounded in size. */
export function buildJobSummary(report: DeploymentReport): string {
  // In time order: a path may read some things (ECS service events) less often than others.
  return bounded(safeText(unboundedSummary({ ...report, events: inTimeOrder(report.events) })));
}

/**
 * The summary of a step stopped by its inputs or its AWS set-up (credentials, region), before
 * anything was read from AWS: what was wrong, and that nothing changed.
 */
export function buildInputErrorSummary(failure: { headline: string; details: string[] }): string {
  const lines = [
    '## ❌ Nothing changed: the step stopped before its release began',
    '',
    `**${escapeInline(failure.headline)}**`,
    '',
    ...detailsMarkdown(capped(failure.details, (count) => `… ${count} more lines in the step log`)),
  ];
  return bounded(safeText(`${lines.join('\n').trimEnd()}\n`));
}

function unboundedSummary(report: DeploymentReport): string {
  if (report.services) return severalServicesSummary(report);
  return [
    ...headline(report),
    ...failure(report),
    ...chart(report),
    ...followUpsMarkdown(report.followUps),
    ...facts(report),
    ...lifecycleTable(report),
    ...trafficTable(report),
    ...taskCountsTable(report),
    ...eventsTable(report),
    ...changes(report),
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()
    .concat('\n');
}

/**
 * Several services: the headline, a row per service, what went wrong, the facts, then each service's
 * own picture and tables (one heading level down), and what changed.
 */
function severalServicesSummary(report: DeploymentReport): string {
  const perService = (report.services ?? []).flatMap((service) => {
    const sub = { ...service, events: inTimeOrder(service.events) };
    const body = [
      ...chart(sub),
      ...lifecycleTable(sub),
      ...trafficTable(sub),
      ...taskCountsTable(sub),
      ...eventsTable(sub),
    ].map((line) => (line.startsWith('### ') ? `#${line}` : line));
    if (body.length === 0) return [];
    return [
      `### ${ICONS[service.outcome]} ${escapeInline(service.label ?? service.service ?? '')}`,
      '',
      ...body,
    ];
  });
  return [
    ...headline(report),
    ...servicesTable(report),
    ...failure(report),
    ...followUpsMarkdown(report.followUps),
    ...facts(report),
    ...perService,
    ...changes(report),
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()
    .concat('\n');
}

/** Cut at a line boundary under MAX_SUMMARY_BYTES, closing an open code fence, with a note saying so. */
function bounded(summary: string): string {
  if (Buffer.byteLength(summary) <= MAX_SUMMARY_BYTES) return summary;
  const note =
    "\n\n_The summary was cut short to stay within GitHub's size limit; the step log has everything._\n";
  let cut = summary.slice(0, MAX_SUMMARY_BYTES - note.length - 16);
  while (Buffer.byteLength(cut) > MAX_SUMMARY_BYTES - note.length - 16) cut = cut.slice(0, -1024);
  cut = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')));
  const openFence = (cut.match(/^```/gm) ?? []).length % 2 === 1;
  const openDetails = cut.lastIndexOf('<details>') > cut.lastIndexOf('</details>');
  return `${cut}${openFence ? '\n```' : ''}${openDetails ? '\n</details>' : ''}${note}`;
}
