import { describe, expect, it } from '@jest/globals';
import { awsUserError } from '../../../src/aws/errors.js';
import { PollErrors } from '../../../src/release/poll-errors.js';
import type { ProgressEvent } from '../../../src/report/events.js';

const throttled = () =>
  awsUserError(
    'CodeDeploy',
    'GetDeploymentTarget',
    Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
  );
const denied = () =>
  awsUserError(
    'ECS',
    'DescribeTasks',
    Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }),
  );

describe('PollErrors', () => {
  it('folds the same error, again and again, into one note with a count', () => {
    const events: ProgressEvent[] = [];
    const errors = new PollErrors((e) => events.push(e));
    for (let i = 0; i < 40; i++) errors.failed(throttled(), i);
    errors.succeeded(40);
    expect(events.map((e) => (e.type === 'note' ? e.message : e.type))).toEqual([
      'Could not read the deployment (CodeDeploy GetDeploymentTarget failed: Rate exceeded (ThrottlingException).); retrying.',
      'The same error 39 more times in a row.',
    ]);
  });

  it('gives up on a non-transient error that repeats, naming what it reads', () => {
    const events: ProgressEvent[] = [];
    const errors = new PollErrors((e) => events.push(e), 'task 0a1b');
    errors.failed(denied(), 0);
    errors.failed(denied(), 1);
    expect(() => errors.failed(denied(), 2)).toThrow(/not authorized/);
    expect(events).toEqual([
      {
        type: 'note',
        at: 0,
        message: expect.stringMatching(/^Could not read task 0a1b \(ECS DescribeTasks failed/),
      },
      { type: 'note', at: 2, message: 'The same error once more in a row.' },
    ]);
  });
});
