/**
 * The one poll loop every watch runs: read a snapshot, turn the change into progress events, stop at
 * the wait target, a failure, the deadline or a cancel, and sleep as the path's pace says (never past
 * the deadline). A failed read is folded by PollErrors; only one that keeps coming back ends the loop.
 * A crash check (release/crash-loop.ts), when given, can end it early too.
 * It never prints and never stops a deployment: the strategy and release/follow.ts decide that.
 */
import { inTimeOrder, type ProgressEvent, type ProgressListener } from '../report/events.js';
import type { Clock } from './clock.js';
import type { CrashCheck, CrashLoop } from './crash-loop.js';
import { PollErrors } from './poll-errors.js';

export type PollEnd = 'reached' | 'failed' | 'deadline' | 'cancelled' | 'crash-loop';

export interface PollLoop<Snapshot> {
  clock: Clock;
  signal?: AbortSignal;
  /** Epoch ms after which the loop ends with `deadline`. */
  deadline: number;
  onEvent: ProgressListener;
  /** One round of reads, from the last snapshot (the first round starts from `{}`). */
  read(last: Snapshot): Promise<Snapshot>;
  /** The events between two snapshots. */
  progress(last: Snapshot, next: Snapshot, now: number): ProgressEvent[];
  /** Where the deployment stands: at the target, failed, or neither yet. */
  verdict(snapshot: Snapshot): 'reached' | 'failed' | undefined;
  /** Time to the next round; `changedAt` is when an event was last seen. */
  pause(snapshot: Snapshot, now: number, changedAt: number): number;
  /** `wait-max-delay-seconds`: the longest pause, whatever `pause` says. */
  maxPauseMs?: number;
  /** Run after each round the verdict leaves open: a crash loop of the new tasks ends the loop. */
  crashCheck?: CrashCheck;
}

export async function pollUntil<Snapshot extends object>(
  loop: PollLoop<Snapshot>,
): Promise<{ end: PollEnd; snapshot: Snapshot; crashLoop?: CrashLoop }> {
  const { clock, signal } = loop;
  let snapshot = {} as Snapshot;
  let changedAt = clock.now();
  const pollErrors = new PollErrors(loop.onEvent);
  for (;;) {
    if (signal?.aborted) return { end: 'cancelled', snapshot };
    if (clock.now() >= loop.deadline) return { end: 'deadline', snapshot };
    try {
      const next = await loop.read(snapshot);
      const events = loop.progress(snapshot, next, clock.now());
      if (events.length > 0) changedAt = clock.now();
      for (const event of inTimeOrder(events)) loop.onEvent(event);
      snapshot = next;
      pollErrors.succeeded(clock.now());
    } catch (error) {
      pollErrors.failed(error, clock.now());
    }
    const verdict = loop.verdict(snapshot);
    if (verdict) return { end: verdict, snapshot };
    const crashLoop = await loop.crashCheck?.(clock.now());
    if (crashLoop) return { end: 'crash-loop', snapshot, crashLoop };
    const pause = Math.min(loop.pause(snapshot, clock.now(), changedAt), loop.maxPauseMs ?? Infinity);
    await clock.sleep(Math.max(0, Math.min(pause, loop.deadline - clock.now())), signal);
  }
}
