/**
 * What followed the release, for the headline and the summary: the scheduled tasks moved onto the new
 * revision (or left, and why), the old revisions deregistered.
 */
import type { FollowUps } from '../release/follow-ups.js';
import { scheduledTargetName, shortTaskDefinition } from '../schedules/targets.js';
import { shortName } from '../cleanup/choose.js';
import { escapeCell, table } from './markdown.js';

const RESULT = { updated: '✅ moved', unchanged: '✅ already on it', failed: '❌ not moved' } as const;

/** `rule/web-nightly, schedule/default/web-hourly → web:3.` for the headline; undefined when none. */
export function scheduledTasksLine(followUps: FollowUps | undefined): string | undefined {
  const updates = followUps?.scheduledTasks ?? [];
  if (updates.length === 0) return followUps?.scheduledTasksLeft && `${followUps.scheduledTasksLeft}.`;
  const on = updates.filter((u) => u.outcome !== 'failed').map((u) => scheduledTargetName(u));
  const left = updates.filter((u) => u.outcome === 'failed').map((u) => scheduledTargetName(u));
  const to = shortTaskDefinition(updates[0]!.to);
  return [
    on.length > 0 ? `${on.join(', ')} on ${to}` : undefined,
    left.length > 0 ? `${left.join(', ')} NOT moved (still on the earlier revision)` : undefined,
  ]
    .filter(Boolean)
    .join('; ')
    .concat('.');
}

/** At most this many revisions are named in the headline line; the summary lists every one. */
const MAX_NAMED = 8;

/** `deregistered web:1, web:2; kept web:3 (in use).` for the headline; undefined without the input. */
export function oldRevisionsLine(followUps: FollowUps | undefined): string | undefined {
  const cleanup = followUps?.revisions;
  if (!cleanup) return undefined;
  const parts = [
    cleanup.deregistered.length > 0 ? `deregistered ${names(cleanup.deregistered)}` : undefined,
    cleanup.keptInUse.length > 0 ? `kept ${names(cleanup.keptInUse.map((k) => k.arn))} (in use)` : undefined,
    cleanup.failed.length > 0 ? `could NOT deregister ${names(cleanup.failed.map((f) => f.arn))}` : undefined,
    cleanup.skipped
      ? `${cleanup.deregistered.length > 0 ? 'then stopped' : 'none deregistered'}: ${cleanup.skipped}`
      : undefined,
  ].filter(Boolean);
  return parts.length > 0
    ? `${parts.join('; ')}${parts.at(-1)!.endsWith('.') ? '' : '.'}`
    : 'none to deregister.';
}

function names(arns: string[]): string {
  const named = arns.slice(0, MAX_NAMED).map(shortName).join(', ');
  return arns.length > MAX_NAMED ? `${named} and ${arns.length - MAX_NAMED} more` : named;
}

export function followUpsMarkdown(followUps: FollowUps | undefined): string[] {
  if (!followUps) return [];
  const lines: string[] = [];
  const updates = followUps.scheduledTasks ?? [];
  if (updates.length > 0) {
    lines.push(
      '### Scheduled tasks',
      '',
      ...table(
        ['Scheduled task', 'Before', 'After', 'Result'],
        updates.map((update) => [
          escapeCell(scheduledTargetName(update)),
          escapeCell(shortTaskDefinition(update.from)),
          update.outcome === 'failed' ? '—' : escapeCell(shortTaskDefinition(update.to)),
          `${RESULT[update.outcome]}${update.error ? `: ${escapeCell(update.error)}` : ''}`,
        ]),
      ),
      '',
    );
  } else if (followUps.scheduledTasksLeft) {
    lines.push(
      '### Scheduled tasks',
      '',
      `Left on their revision: ${escapeCell(followUps.scheduledTasksLeft)}.`,
      '',
    );
  }
  const cleanup = followUps.revisions;
  if (cleanup) {
    const rows = [
      ...cleanup.deregistered.map((arn) => [escapeCell(shortName(arn)), '🗑️ deregistered']),
      ...cleanup.keptInUse.map(({ arn, by }) => [
        escapeCell(shortName(arn)),
        `kept, in use: ${escapeCell(by.join(', '))}`,
      ]),
      ...cleanup.failed.map(({ arn, error }) => [
        escapeCell(shortName(arn)),
        `❌ not deregistered: ${escapeCell(error)}`,
      ]),
    ];
    lines.push('### Old revisions', '');
    if (cleanup.skipped) {
      lines.push(
        `${cleanup.deregistered.length > 0 ? 'Then stopped' : 'None deregistered'}: ${escapeCell(cleanup.skipped)}`,
        '',
      );
    }
    if (rows.length > 0) lines.push(...table(['Revision', 'Result'], rows), '');
    else if (!cleanup.skipped) lines.push('None older than the revisions kept.', '');
  }
  return lines;
}
