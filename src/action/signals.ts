/**
 * Turns the runner's cancellation (SIGINT, then SIGTERM 7.5 s later; SIGHUP on older runners) into an
 * AbortSignal, so the watch can stop the deployment inside the grace window instead of being killed.
 */
const CANCEL_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export function cancelSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      process.stdout.write(`Received ${signal}: cancelling.\n`);
      controller.abort(signal);
    }
  };
  for (const name of CANCEL_SIGNALS) process.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => CANCEL_SIGNALS.forEach((name) => process.off(name, onSignal)),
  };
}
