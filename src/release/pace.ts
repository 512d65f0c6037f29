/**
 * The polling pace every watch shares: the base interval and the factors by which a path slows down
 * where nothing can happen soon. Each path decides when (codedeploy/pace.ts, ecs/progress.ts).
 */

/** The fast interval: a wait target within reach is seen within this long. */
export const DEFAULT_POLL_INTERVAL_MS = 4_000;
/** Where the target is still several stages away (tasks starting, a canary interval). */
export const SLOW_FACTOR = 2.5;
/** After a minute without change (a long hook). */
export const QUIET_FACTOR = 1.5;
/** No change for this long counts as quiet. */
export const QUIET_AFTER_MS = 60_000;
