/** The lifecycle events (CodeDeploy) or stages (ECS-native) of a run, one row each, for the table and the chart. */
import type { ProgressEvent } from './events.js';
import { lifecycleWords } from './progress-lines.js';

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
  const timeline = [...rows.values()].filter(
    (row) => !(lifecycleWords(row.status) === 'pending' && row.start === undefined),
  );
  // A stage a poll saw only as passed began when the one before it ended (stages run one by one).
  for (const [i, row] of timeline.entries()) {
    const before = timeline[i - 1];
    if (row.start === undefined && row.end !== undefined && before?.end !== undefined) {
      row.start = Math.min(before.end, row.end);
    }
  }
  return timeline;
}

export interface TrafficStep {
  at: number;
  blue: number;
  green: number;
  /** Less on the new revision than before: the traffic is going back (a rollback). */
  back: boolean;
}

/**
 * Each change of the production split, from the first that puts traffic on the new revision (the
 * split before it, all on the old one, is where every deployment starts).
 */
export function trafficSteps(events: ProgressEvent[]): TrafficStep[] {
  const steps: TrafficStep[] = [];
  let most = 0;
  for (const event of events) {
    if (event.type !== 'traffic') continue;
    const last = steps[steps.length - 1];
    if (last ? last.blue === event.blue && last.green === event.green : event.green <= 0) continue;
    steps.push({ at: event.at, blue: event.blue, green: event.green, back: event.green < most });
    most = Math.max(most, event.green);
  }
  return steps;
}
