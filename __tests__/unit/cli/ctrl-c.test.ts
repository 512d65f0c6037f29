import { afterEach, describe, expect, it } from '@jest/globals';
import { cancelOnCtrlC, exitOnCtrlCOutsideARun } from '../../../src/cli/ctrl-c.js';
import type { InFlightDeployment } from '../../../src/release/runtime.js';

/** Exits are recorded instead of ending the test process. */
class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
const exit = (code: number): never => {
  throw new Exited(code);
};
const stderr = () => {
  const written: string[] = [];
  return { written, stream: { write: (text: string) => written.push(text) } as never };
};
const exitCode = (emit: () => void) => {
  try {
    emit();
  } catch (error) {
    if (error instanceof Exited) return error.code;
    throw error;
  }
  return undefined;
};

afterEach(() => {
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(name);
});

describe('Ctrl-C in the CLI', () => {
  it('the first cancels the run (no exit), the second exits 4 and says how to follow what is left', () => {
    const err = stderr();
    const inFlight: InFlightDeployment = {
      kind: 'codedeploy',
      deploymentId: 'd-ABCDEFGHI',
      onCancel: 'rollback',
    };
    const cancel = cancelOnCtrlC({ inFlight: () => inFlight }, err.stream, exit);
    expect(exitCode(() => process.emit('SIGINT', 'SIGINT'))).toBeUndefined();
    expect(cancel.signal.aborted).toBe(true);
    expect(err.written.join('')).toContain('SIGINT: cancelling');
    expect(exitCode(() => process.emit('SIGINT', 'SIGINT'))).toBe(4);
    expect(err.written.join('')).toContain('aws deploy get-deployment --deployment-id d-ABCDEFGHI');
    cancel.dispose();
  });

  it('SIGTERM cancels like the first Ctrl-C', () => {
    const cancel = cancelOnCtrlC({ inFlight: () => undefined }, stderr().stream, exit);
    expect(exitCode(() => process.emit('SIGTERM', 'SIGTERM'))).toBeUndefined();
    expect(cancel.signal.aborted).toBe(true);
    cancel.dispose();
  });

  it('outside a run (setting up, printing the result) exits at once with 4, not 130', () => {
    exitOnCtrlCOutsideARun(exit);
    const cancel = cancelOnCtrlC({ inFlight: () => undefined }, stderr().stream, exit);
    // During the run, only the run's own handler acts.
    expect(exitCode(() => process.emit('SIGINT', 'SIGINT'))).toBeUndefined();
    cancel.dispose();
    expect(exitCode(() => process.emit('SIGINT', 'SIGINT'))).toBe(4);
  });
});
