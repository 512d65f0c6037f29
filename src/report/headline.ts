/**
 * The first thing a reader sees, at the end of the log, in the annotation and at the top of the job
 * summary: which revision replaced which (and which images), how it ended and how long it took, and
 * where production traffic is now — after a rollback, back on the old revision.
 */
import { inTimeOrder, type ProgressEvent } from './events.js';
import { clusterName, taskDefinitionName } from './console-urls.js';
import { capitalize, formatDuration, oneLine } from '../text/format.js';
import { formatPercent } from './progress-lines.js';
import type { DeploymentReport } from './summary.js';
import type { ImageChange } from './changes.js';
import { oldRevisionsLine, scheduledTasksLine } from './follow-ups.js';

export type { ImageChange };

export interface Headline {
  outcome: DeploymentReport['outcome'];
  /** `web on prod: web:41 → web:42` */
  title: string;
  /** `Traffic shifted in 3m02s.` */
  verdict: string;
  /** `100% on web:42.`, `100% back on web:41.`; unset where there is no traffic to speak of. */
  traffic?: string;
  images: ImageChange[];
  /** With several services: where each one's production traffic is now. */
  services?: ServiceLine[];
  /** The scheduled tasks moved onto the new revision (or not). */
  scheduledTasks?: string;
  /** `deregister-old-revisions`: what was deregistered and kept. */
  oldRevisions?: string;
}

export interface ServiceLine {
  label: string;
  outcome: DeploymentReport['outcome'];
  traffic: string;
}

export const ICONS: Record<DeploymentReport['outcome'], string> = {
  success: '✅',
  failure: '❌',
  started: '🚀',
};

export function headlineOf(unordered: DeploymentReport): Headline {
  const report = { ...unordered, events: inTimeOrder(unordered.events) };
  const scheduled = scheduledTasksLine(report.followUps);
  const oldRevisions = oldRevisionsLine(report.followUps);
  return {
    outcome: report.outcome,
    title: titleOf(report),
    verdict: `${capitalize(report.status.trim() || 'ended')} in ${formatDuration(report.endedAt - report.startedAt)}.`,
    traffic: trafficNow(report),
    images: report.imageChanges ?? [],
    ...(report.services ? { services: report.services.map(serviceLine) } : {}),
    ...(scheduled ? { scheduledTasks: scheduled } : {}),
    ...(oldRevisions ? { oldRevisions } : {}),
  };
}

function serviceLine(service: DeploymentReport): ServiceLine {
  const ordered = { ...service, events: inTimeOrder(service.events) };
  return {
    label: service.label ?? service.service ?? '',
    outcome: service.outcome,
    traffic: trafficNow(ordered) ?? 'not known.',
  };
}

/** The headline as log lines: the title and verdict on one line, then traffic and images indented. */
export function headlineLines(headline: Headline): string[] {
  return [
    `${ICONS[headline.outcome]} ${headline.title} — ${headline.verdict}`,
    ...(headline.traffic ? [`   Production traffic: ${headline.traffic}`] : []),
    ...(headline.services ?? []).map(
      (service) => `   ${ICONS[service.outcome]} ${service.label}: ${service.traffic}`,
    ),
    ...(headline.scheduledTasks ? [`   Scheduled tasks: ${headline.scheduledTasks}`] : []),
    ...(headline.oldRevisions ? [`   Old revisions: ${headline.oldRevisions}`] : []),
    ...headline.images.map((change) => `   ${imageChangeText(change)}`),
  ];
}

export function imageChangeText(change: ImageChange): string {
  if (!change.before) return `${change.container} (new container): ${oneLine(change.after ?? '')}`;
  if (!change.after) return `${change.container} (removed): was ${oneLine(change.before)}`;
  return `${change.container}: ${oneLine(change.before)} → ${oneLine(change.after)}`;
}

function titleOf(report: DeploymentReport): string {
  const where = report.services
    ? severalWhere(report)
    : report.service
      ? `${report.service} on ${clusterName(report.cluster)}`
      : report.deploymentId
        ? `deployment ${shortId(report.deploymentId)} (cluster ${clusterName(report.cluster)})`
        : report.controller === 'NONE'
          ? `task definition${report.cluster ? ` (cluster ${clusterName(report.cluster)})` : ''}`
          : clusterName(report.cluster);
  const before = report.previousTaskDefinitionArn && taskDefinitionName(report.previousTaskDefinitionArn);
  const after = report.taskDefinitionArn && taskDefinitionName(report.taskDefinitionArn);
  const revisions =
    before && after
      ? before === after
        ? `${after} (unchanged)`
        : `${before} → ${after}`
      : (after ??
        (before
          ? report.dryRun
            ? `${before} → ${report.dryRunReuses ? `${taskDefinitionName(report.dryRunReuses)}, already registered` : 'new revision'} (dry run)`
            : `${before} (unchanged)`
          : undefined));
  return revisions ? `${where}: ${revisions}` : where;
}

/** `web, worker and admin on prod`; the labels name their clusters when the step spans several. */
function severalWhere(report: DeploymentReport): string {
  const labels = (report.services ?? []).map((service) => service.label ?? service.service ?? '');
  const named =
    labels.length <= 4
      ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`
      : `${labels.length} services`;
  return labels.some((label) => label.includes('/')) ? named : `${named} on ${clusterName(report.cluster)}`;
}

/** A service deployment ARN's last part is the id the console shows; a CodeDeploy id is short already. */
export function shortId(deploymentId: string): string {
  return deploymentId.includes(':service-deployment/')
    ? (deploymentId.split('/').pop() ?? deploymentId)
    : deploymentId;
}

type Traffic = Extract<ProgressEvent, { type: 'traffic' }>;
type Tasks = Extract<ProgressEvent, { type: 'tasks' }>;

/** Where production traffic is when the step ends, as far as the step saw. */
export function trafficNow(report: DeploymentReport): string | undefined {
  // Several services: each one's own line says it.
  if (report.services) return undefined;
  if (!report.service && !report.continuation) return undefined;
  const before = report.previousTaskDefinitionArn
    ? taskDefinitionName(report.previousTaskDefinitionArn)
    : 'the previous revision';
  const after = report.taskDefinitionArn ? taskDefinitionName(report.taskDefinitionArn) : 'the new revision';
  if (report.dryRun) return `unchanged, on ${before} (dry run).`;
  const nothingRegistered = report.taskDefinitionArn === undefined && !report.continuation;
  // Nothing was started (an input error, a failed check, a one-off task that failed, a promote
  // refused because the deployment was not waiting): nothing moved.
  if (nothingRegistered || !report.deploymentRequested || (report.continuation && !report.deploymentId)) {
    return `unchanged, on ${before}.`;
  }
  if (report.deploymentId === undefined) return 'not known: see the deployment in the console.';
  if (report.outcome === 'started') return `moving to ${after} as the deployment goes on (not followed).`;
  switch (report.ending) {
    case 'rolled-back':
      return `100% back on ${before}.`;
    case 'rollback-unconfirmed':
      return `going back to ${before}: the rollback was not seen to its end when the step ended.`;
    case 'rollback-failed':
      return 'not known: the rollback failed; see the deployment in the console.';
    case 'still-running':
      return `${lastSeen(report, before, after)}; the deployment is still running and may move it.`;
  }
  if (report.outcome === 'success') {
    if (report.deploymentStatus === 'ready') {
      return `still on ${before}; test traffic on ${after}, waiting for a promote.`;
    }
    return report.controller === 'ROLLING' ? `all tasks on ${after}.` : `100% on ${after}.`;
  }
  return `${lastSeen(report, before, after)}.`;
}

/** The production split (or, rolling, the task counts) the step last saw. */
function lastSeen(report: DeploymentReport, before: string, after: string): string {
  const split = lastOf<Traffic>(report.events, 'traffic');
  if (split) {
    if (split.green <= 0) return `100% on ${before} when the step ended (${after} took none)`;
    if (split.green >= 100) return `100% on ${after} when the step ended`;
    return `${formatPercent(split.blue)} on ${before}, ${formatPercent(split.green)} on ${after}, when the step ended`;
  }
  const fresh = lastTasks(report.events, 'new');
  const old = lastTasks(report.events, 'old');
  if (report.controller === 'ROLLING' && fresh && old) {
    return `${fresh.running} tasks of ${after} and ${old.running} of ${before} running when the step ended`;
  }
  return 'not known: see the deployment in the console';
}

function lastOf<T extends ProgressEvent>(events: ProgressEvent[], type: T['type']): T | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.type === type) return events[i] as T;
  return undefined;
}

function lastTasks(events: ProgressEvent[], label: string): Tasks | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.type === 'tasks' && event.label === label) return event;
  }
  return undefined;
}
