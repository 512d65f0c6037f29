/**
 * Scaled time: durations in the scenario are simulated minutes, each lasting `msPerMinute` real
 * milliseconds. Timestamps in answers are real wall-clock time, so clients see consistent clocks.
 */
import { Cancelled } from './errors.js';

export class SimClock {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly shutdown = new AbortController();

  constructor(readonly msPerMinute: number) {}

  /** Epoch seconds (fractional), the JSON 1.1 timestamp format. */
  nowSeconds(): number {
    return Date.now() / 1000;
  }

  /** Resolves after `minutes` of simulated time; rejects with Cancelled if `signal` aborts or the clock stops. */
  sleep(minutes: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted || this.shutdown.signal.aborted) return reject(new Cancelled());
      const onAbort = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        cleanup();
        reject(new Cancelled());
      };
      const cleanup = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.shutdown.signal.removeEventListener('abort', onAbort);
      };
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          cleanup();
          resolve();
        },
        Math.max(0, minutes * this.msPerMinute),
      );
      this.timers.add(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.shutdown.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Resolves when `latch` is released, or after `minutes` (resolving false), whichever is first. */
  async waitFor(latch: Latch, minutes: number, signal?: AbortSignal): Promise<boolean> {
    const timeout = new AbortController();
    const abortTimeout = (): void => timeout.abort();
    signal?.addEventListener('abort', abortTimeout, { once: true });
    try {
      return await Promise.race([
        latch.promise.then(() => true),
        this.sleep(minutes, timeout.signal).then(() => false),
      ]);
    } finally {
      signal?.removeEventListener('abort', abortTimeout);
      timeout.abort();
    }
  }

  /** Never resolves; rejects with Cancelled when `signal` aborts or the clock stops (the neverFinishes fault). */
  hang(signal?: AbortSignal): Promise<never> {
    return new Promise((_, reject) => {
      if (signal?.aborted || this.shutdown.signal.aborted) return reject(new Cancelled());
      const onAbort = (): void => reject(new Cancelled());
      signal?.addEventListener('abort', onAbort, { once: true });
      this.shutdown.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Cancels every pending sleep; used by Simulator.stop(). */
  stop(): void {
    this.shutdown.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** A one-shot gate released from outside (ContinueDeployment and friends). */
export class Latch {
  released = false;
  private release_: () => void = () => undefined;
  readonly promise = new Promise<void>((resolve) => (this.release_ = resolve));

  release(): void {
    this.released = true;
    this.release_();
  }
}
