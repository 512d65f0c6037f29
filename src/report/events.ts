/**
 * What the watch loop reports while it follows a deployment. The loop emits these; report/ turns
 * them into log lines and the summary timeline. No watch prints: the front end's Sink does.
 */

export type ProgressEvent =
  /** The deployment's overall status changed (CodeDeploy: Created/InProgress/Ready/…). */
  (
    | { type: 'status'; at: number; status: string; previous?: string }
    /** A lifecycle event (CodeDeploy) or lifecycle stage (ECS-native) changed state. */
    | {
        type: 'lifecycle';
        at: number;
        name: string;
        status: string; // Pending | InProgress | Succeeded | Failed | Skipped | Unknown
        startTime?: number;
        endTime?: number;
        diagnostic?: string;
      }
    /** Production traffic split changed. Percentages, 0–100. */
    | { type: 'traffic'; at: number; blue: number; green: number }
    /** Task counts of one task set changed. */
    | {
        type: 'tasks';
        at: number;
        label: string; // Blue | Green | PRIMARY …
        running: number;
        pending: number;
        desired: number;
      }
    /** Informational line, such as "waiting for d-123 ahead of us". */
    | { type: 'note'; at: number; message: string }
  ) & {
    /** With several services, which one it is about (release/services.ts). */
    service?: string;
  };

export type ProgressListener = (event: ProgressEvent) => void;

/**
 * Oldest first by the time each event carries (AWS's where it gave one); events of the same time keep
 * the order they were made in, which each path chooses to read well.
 */
export function inTimeOrder(events: ProgressEvent[]): ProgressEvent[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.at - b.event.at || a.index - b.index)
    .map(({ event }) => event);
}
