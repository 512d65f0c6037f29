/**
 * Stopping a deployment and confirming its rollback, the same for every path: the stop is retried
 * (bounded, and short enough on cancel to go out inside the runner's grace window); a stop that still
 * fails is said loudly, with the command that stops it; a rollback is followed for a bounded time so
 * the report says where production traffic ended up, not just that a rollback was asked for.
 */
import { isTransient } from '../aws/errors.js';
import { errorMessage, hintsWhileLive } from '../text/errors.js';
import type { RollbackSeen } from '../report/diagnosis.js';
import { capitalize, formatDuration } from '../text/format.js';
import type { Clock } from './clock.js';
import type { Ending } from './runtime.js';

/** How long a rollback ecs-shift started (or saw start) is followed before the step ends. */
export const ROLLBACK_CONFIRM_MS = 5 * 60_000;
/**
 * When ecs-shift stops retrying a failed stop after a cancel (the runner kills the step 10 s after its
 * SIGINT). The first request goes out at once; this bounds only ecs-shift's own retries, not the SDK's
 * retries inside one attempt, which is why the post step tries again if the step is killed first.
 */
export const STOP_BUDGET_ON_CANCEL_MS = 4_000;
/** The same bound otherwise (deadline, failure). */
export const STOP_BUDGET_MS = 30_000;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 8_000;

/** The stop failed: the deployment is still running. */
export interface StopFailed {
  kind: 'stop-failed';
  line: string;
  details: string[];
}

export type StopOutcome =
  | { kind: 'stopped'; line: string }
  | { kind: 'already-ended'; line: string }
  | { kind: 'left'; line: string }
  | StopFailed;

/** Where a rollback stands once it was followed: ended well, ended badly, still running, or none. */
export type RollbackReport = RollbackSeen;

/**
 * Runs `stop` until it answers, retrying transient errors within `budgetMs` (not interrupted by the
 * cancel signal: a stop after a cancel is the point). Throws the last error when it gives up.
 */
export async function retryStop<T>(
  ctx: { clock: Clock; info(line: string): void },
  stop: () => Promise<T>,
  budgetMs: number,
): Promise<T> {
  const giveUpAt = ctx.clock.now() + budgetMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await stop();
    } catch (error) {
      const pause = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1));
      if (!isTransient(error) || ctx.clock.now() + pause > giveUpAt) throw error;
      ctx.info(`The stop request failed (${errorMessage(error)}); trying again in ${formatDuration(pause)}.`);
      await ctx.clock.sleep(pause);
    }
  }
}

/** The loud report of a stop that failed: the deployment is still running, and how to stop it. */
export function stopFailed(subject: string, error: unknown, stopCommand: string): StopFailed {
  const hints = hintsWhileLive(error);
  return {
    kind: 'stop-failed',
    line: `${capitalize(subject)} IS STILL RUNNING: ecs-shift could not stop it (${errorMessage(error)}).`,
    details: [...hints, `Stop it now: ${stopCommand}`],
  };
}

/**
 * Polls `read` until the rollback ends or `boundMs` passes (a cancel ends the wait early). A read that
 * fails is retried; the last view is what the report says.
 */
export async function followRollback(
  ctx: { clock: Clock; signal: AbortSignal; pollIntervalMs?: number; maxPollDelayMs?: number },
  read: () => Promise<RollbackReport>,
  boundMs = ROLLBACK_CONFIRM_MS,
): Promise<RollbackReport> {
  const { clock } = ctx;
  const giveUpAt = clock.now() + boundMs;
  const interval = Math.min(ctx.pollIntervalMs ?? 5_000, ctx.maxPollDelayMs ?? Infinity);
  for (;;) {
    let last: RollbackReport;
    try {
      last = await read();
    } catch (error) {
      const unread = `The rollback could not be read (${errorMessage(error)}); check it in the console.`;
      if (!isTransient(error)) return { state: 'unknown', line: unread };
      last = { state: 'running', line: unread };
    }
    if (last.state !== 'running' || ctx.signal.aborted) return last;
    if (clock.now() >= giveUpAt) {
      return { ...last, line: `${last.line} (still running after ${formatDuration(boundMs)})` };
    }
    await clock.sleep(Math.min(interval, giveUpAt - clock.now()), ctx.signal);
  }
}

/** Where a stop (if one was made) and the rollback seen after it (if followed) leave the deployment. */
export function endingOf(
  stop: StopOutcome | undefined,
  rollback: RollbackReport | undefined,
): Ending | undefined {
  if (stop?.kind === 'left' || stop?.kind === 'stop-failed') return 'still-running';
  if (rollback?.state === 'succeeded') return 'rolled-back';
  if (rollback?.state === 'failed') return 'rollback-failed';
  // `none`: it ended without a rollback; where traffic is, the last split the step saw says.
  if (rollback?.state === 'none') return undefined;
  if (stop?.kind === 'stopped' || rollback) return 'rollback-unconfirmed';
  return undefined;
}
