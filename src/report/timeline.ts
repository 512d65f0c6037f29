/** The lifecycle events (CodeDeploy) or stages (ECS-native) of a run, one row each, for the table and the chart. */
import type { ProgressEvent } from './events.js';
import { lifecycleWords } from './progress-lines.js';

export interface TimelineRow {
  name: string;
  status: string;
  start?: number;
  end?: number;
  /** The start was not seen: it is the end of the row before (stages run one by one). */
  startDerived?: boolean;
  diagnostic?: string;
}

const ENDED = new Set(['succeeded', 'failed', 'skipped']);
const finite = (value: number | undefined): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * One row per run of a lifecycle event or stage, in the order they first appeared, with their last
 * state. A stage that comes round again after it ended (ECS re-runs stages in a rollback) gets a row
 * of its own, so a failure is never overwritten by the re-run's success.
 */
export function lifecycleTimeline(events: ProgressEvent[]): TimelineRow[] {
  const timeline: TimelineRow[] = [];
  const current = new Map<string, TimelineRow>();
  for (const event of events) {
    if (event.type !== 'lifecycle') continue;
    const words = lifecycleWords(event.status);
    let row = current.get(event.name);
    if (!row || ENDED.has(lifecycleWords(row.status))) {
      const again = row !== undefined;
      row = { name: again ? `${event.name} (again)` : event.name, status: event.status };
      current.set(event.name, row);
      timeline.push(row);
    }
    row.status = event.status;
    if (finite(event.startTime)) row.start = event.startTime;
    else if (words === 'in progress' && row.start === undefined && finite(event.at)) row.start = event.at;
    if (finite(event.endTime)) row.end = event.endTime;
    else if ((words === 'succeeded' || words === 'failed') && row.end === undefined && finite(event.at)) {
      row.end = event.at;
    }
    if (event.diagnostic && event.diagnostic.trim() !== '') row.diagnostic = event.diagnostic;
  }
  const shown = timeline.filter(
    (row) => !(lifecycleWords(row.status) === 'pending' && row.start === undefined),
  );
  for (const [i, row] of shown.entries()) {
    const before = shown[i - 1];
    if (row.start === undefined && row.end !== undefined && before?.end !== undefined) {
      row.start = Math.min(before.end, row.end);
      row.startDerived = true;
    }
  }
  return shown;
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
    if (!Number.isFinite(event.at)) continue;
    steps.push({ at: event.at, blue: event.blue, green: event.green, back: event.green < most });
    most = Math.max(most, event.green);
  }
  return steps;
}
