/**
 * The picture in the job summary: a Mermaid gantt chart (GitHub draws Mermaid in job summaries).
 * CodeDeploy and ECS-native: the lifecycle events or stages as bars, each traffic step as a
 * milestone. Rolling: the task counts of the new and the old revision over time, as bars labelled
 * with the count. Times go in as epoch ms (`dateFormat x`); Mermaid draws the axis in the reader's own
 * time zone (d3's local time), so the title says so — the tables below are in UTC.
 */
import type { ProgressEvent } from './events.js';
import { lifecycleWords } from './progress-lines.js';
import { lifecycleTimeline, type TrafficStep, trafficSteps } from './timeline.js';

export interface ChartInput {
  controller: 'CODE_DEPLOY' | 'ECS' | 'ROLLING' | 'NONE';
  startedAt: number;
  endedAt: number;
  events: ProgressEvent[];
  /** `web:41`, `web:42`: section names. */
  before?: string;
  after?: string;
}

/** Bars per section at most: a chart with more is unreadable, and the tables have them all. */
const MAX_BARS = 40;

/** The lines of a ```mermaid block, or none when there is nothing to draw. */
export function deploymentChart(input: ChartInput): string[] {
  const body = input.controller === 'ROLLING' ? taskCountSections(input) : lifecycleSections(input);
  if (body.length === 0) return [];
  return [
    '```mermaid',
    // Rolling: each side's stretches share one row (they never overlap).
    ...(input.controller === 'ROLLING' ? ['---', 'displayMode: compact', '---'] : []),
    'gantt',
    `  title ${label(chartTitle(input))}`,
    '  dateFormat x',
    `  axisFormat ${input.endedAt - input.startedAt > 2 * 3600_000 ? '%H:%M' : '%H:%M:%S'}`,
    '  todayMarker off',
    ...body,
    '```',
  ];
}

function chartTitle(input: ChartInput): string {
  const what = input.controller === 'ROLLING' ? 'Tasks running' : 'Lifecycle and traffic';
  const revisions = input.before && input.after ? `, ${input.before} → ${input.after}` : '';
  return `${what}${revisions} (times in your time zone)`;
}

/** Short enough to be drawn at the chart's scale: a 0 s bar would be invisible. */
function minimumBar(input: ChartInput): number {
  return Math.max(1000, Math.round((input.endedAt - input.startedAt) / 100));
}

const TAGS: Record<string, string> = {
  succeeded: 'done, ',
  failed: 'crit, ',
  'in progress': 'active, ',
};

function lifecycleSections(input: ChartInput): string[] {
  const rows = lifecycleTimeline(input.events).filter((row) => row.start !== undefined);
  const lines: string[] = [];
  if (rows.length > 0) {
    lines.push(`  section ${input.controller === 'ECS' ? 'Stages' : 'Lifecycle'}`);
    for (const row of rows.slice(0, MAX_BARS)) {
      if (row.start === undefined) continue; // narrows the type: rows without a start were filtered out
      const end = Math.max(row.end ?? input.endedAt, row.start + minimumBar(input));
      const tag = TAGS[lifecycleWords(row.status)] ?? '';
      lines.push(`  ${label(row.name)}: ${tag}${row.start}, ${end}`);
    }
  }
  const steps = trafficSteps(input.events);
  if (steps.length > 0) {
    lines.push(`  section Traffic${input.after ? ` to ${label(input.after)}` : ''}`);
    // The last step (where traffic ended) is always drawn.
    const drawn =
      steps.length > MAX_BARS ? [...steps.slice(0, MAX_BARS - 1), steps[steps.length - 1]!] : steps;
    for (const step of drawn) {
      lines.push(`  ${formatShare(step)}: milestone, ${step.at}, 0ms`);
    }
  }
  return lines;
}

/** `new at 10%`: the word first, as Mermaid's gantt grammar drops a task whose name starts with `0`. */
function formatShare(step: TrafficStep): string {
  return `new ${step.back ? 'back to' : 'at'} ${Math.round(step.green * 10) / 10}%`;
}

type Tasks = Extract<ProgressEvent, { type: 'tasks' }>;

/** Rolling: one section per side, a bar for each stretch of time with the same count of running tasks. */
function taskCountSections(input: ChartInput): string[] {
  const lines: string[] = [];
  const sides: [string, string | undefined][] = [
    ['new', input.after],
    ['old', input.before],
  ];
  for (const [side, revision] of sides) {
    const counts = input.events.filter((e): e is Tasks => e.type === 'tasks' && e.label === side);
    if (counts.length === 0) continue;
    const stretches: { from: number; to: number; running: number }[] = [];
    for (const count of counts) {
      const last = stretches[stretches.length - 1];
      if (last?.running === count.running) continue;
      if (last) last.to = count.at;
      stretches.push({ from: count.at, to: input.endedAt, running: count.running });
    }
    lines.push(`  section ${label(`${side === 'new' ? 'New' : 'Old'}${revision ? ` ${revision}` : ''}`)}`);
    // A side with no task running has nothing to draw for that stretch.
    for (const stretch of stretches.filter((s) => s.running > 0).slice(0, MAX_BARS)) {
      const end = Math.max(stretch.to, stretch.from + minimumBar(input));
      const tag = side === 'new' ? 'active, ' : 'done, ';
      lines.push(`  ${stretch.running} running: ${tag}${stretch.from}, ${end}`);
    }
  }
  return lines;
}

/**
 * Text Mermaid's gantt grammar reads as a name: a colon ends a name and `#` / `;` start comments or
 * entities, so those become look-alikes; everything else outside printable ASCII and common
 * letters is dropped (the summary is sanitised as a whole as well).
 */
export function label(text: string): string {
  return text
    .replace(/:/g, '∶')
    .replace(/[#;]/g, ' ')
    .replace(/[^\p{L}\p{N}\p{P}\p{Zs}→∶%+<>=]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
}
