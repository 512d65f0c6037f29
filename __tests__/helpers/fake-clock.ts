import type { Clock } from '../../src/release/clock.js';

/** A clock whose sleep advances time instantly; `slept` records each requested pause. */
export function fakeClock(
  start = Date.UTC(2026, 10, 23, 12, 0, 0),
): Clock & { slept: number[]; advance(ms: number): void } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: async (ms, signal) => {
      slept.push(ms);
      if (!signal?.aborted) now += ms;
    },
  };
}
