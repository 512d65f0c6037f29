/**
 * What followed the release, for the headline and the summary: the scheduled tasks moved onto the new
 * revision (or left, and why), the old revisions deregistered.
 */
import type { FollowUps } from '../release/follow-ups.js';
import { scheduledTargetName, shortTaskDefinition } from '../schedules/targets.js';
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
  return lines;
}
