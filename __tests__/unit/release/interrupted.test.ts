import { describe, expect, it } from '@jest/globals';
import { interruptedResult, type Stopper } from '../../../src/release/interrupted.js';
import type { RollbackReport, StopOutcome } from '../../../src/release/stop.js';
import { UserError } from '../../../src/text/errors.js';
import { testContext } from '../../helpers/context.js';

function stopper(
  stop: StopOutcome,
  rollback: RollbackReport = {
    state: 'succeeded',
    line: 'Rollback d-RB succeeded: production traffic is on web:1 (the previous revision).',
  },
) {
  const calls: string[] = [];
  const s: Stopper = {
    stopOrLeave: async (setting, because, budgetMs) => {
      calls.push(`stop ${setting} (${because}) within ${budgetMs} ms`);
      return stop;
    },
    confirmRollback: async () => {
      calls.push('confirm');
      return rollback;
    },
  };
  return { s, calls };
}

const STOPPED: StopOutcome = {
  kind: 'stopped',
  line: 'Stopped deployment d-1 with rollback because the 30m00s deadline passed.',
};

describe('interruptedResult', () => {
  it('at the deadline: stops as on-timeout says, follows the rollback, and says where traffic is', async () => {
    const t = testContext();
    const { s, calls } = stopper(STOPPED);
    const result = await interruptedResult(
      'deployment d-1',
      { ...t.wait, until: 'shifted' },
      { kind: 'deadline' },
      s,
      t.ctx.words,
    );
    expect(calls).toEqual(['stop rollback (the 30m00s deadline passed) within 30000 ms', 'confirm']);
    expect(result).toMatchObject({
      outcome: 'failure',
      status: 'timed out — rolled back',
      deploymentStatus: 'timed-out',
    });
    expect(result.failure?.headline).toBe(
      'Deployment d-1 did not reach "shifted" within wait-for-minutes (30m00s).',
    );
    expect(result.failure?.details.slice(0, 2)).toEqual([
      STOPPED.line,
      'Rollback d-RB succeeded: production traffic is on web:1 (the previous revision).',
    ]);
  });

  it('says "rollback still running" rather than "rolled back" when it has not finished', async () => {
    const t = testContext();
    const { s } = stopper(STOPPED, {
      state: 'running',
      line: 'Rollback d-RB is InProgress (still running after 5m00s)',
    });
    const result = await interruptedResult(
      'deployment d-1',
      { ...t.wait, until: 'shifted' },
      { kind: 'deadline' },
      s,
      t.ctx.words,
    );
    expect(result.status).toBe('timed out — rollback still running');
  });

  it('on cancel: stops within the grace window and does not wait for the rollback', async () => {
    const t = testContext();
    const { s, calls } = stopper(STOPPED);
    const result = await interruptedResult(
      'deployment d-1',
      { ...t.wait, until: 'shifted' },
      { kind: 'cancelled' },
      s,
      t.ctx.words,
    );
    expect(calls).toEqual(['stop rollback (the workflow was cancelled) within 4000 ms']);
    expect(result).toMatchObject({ status: 'cancelled — rollback started', deploymentStatus: 'cancelled' });
  });

  it('when the watch cannot go on: keeps the hint of why, and applies on-timeout', async () => {
    const t = testContext({ settings: { wait: { onTimeout: 'leave' } } });
    const { s, calls } = stopper({ kind: 'left', line: 'Left deployment d-1 running as asked.' });
    const error = new UserError('CodeDeploy GetDeployment failed: expired', [
      'The AWS session expired. Raise role-duration-seconds.',
    ]);
    const result = await interruptedResult(
      'deployment d-1',
      { ...t.wait, until: 'shifted' },
      { kind: 'unwatchable', error },
      s,
      t.ctx.words,
    );
    expect(calls).toEqual(['stop leave (the watch could not continue) within 30000 ms']);
    expect(result.status).toBe('watch failed — left running');
    expect(result.failure?.details).toEqual([
      'The AWS session expired. Raise role-duration-seconds.',
      'Left deployment d-1 running as asked.',
    ]);
  });
});
