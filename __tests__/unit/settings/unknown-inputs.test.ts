import { describe, expect, it } from '@jest/globals';
import { INPUT_NAMES } from '../../../src/settings/inputs.js';
import { givenInputNames, unknownInputWarnings } from '../../../src/settings/unknown-inputs.js';

describe('unknown inputs', () => {
  it('reads the input names GitHub passes as INPUT_ variables', () => {
    expect(
      givenInputNames({
        'INPUT_TASK-DEFINITION': 'td.json',
        'INPUT_RUN-TASK-ASSIGN-PUBLIC-IP': 'ENABLED',
        PATH: '/bin',
      }),
    ).toEqual(['task-definition', 'run-task-assign-public-ip']);
  });

  it('names a typo and the input it was probably meant to be; known names pass in any case', () => {
    expect(unknownInputWarnings(['secret', 'run-task-assign-public-ip', 'service'], INPUT_NAMES)).toEqual([
      'Input "secret" is not an input of ecs-shift, so it has no effect; did you mean "secrets"? The inputs are listed in action.yml and the README.',
    ]);
  });

  it('suggests nothing for an input that is not close to any', () => {
    expect(unknownInputWarnings(['aws-region'], INPUT_NAMES)).toEqual([
      'Input "aws-region" is not an input of ecs-shift, so it has no effect. The inputs are listed in action.yml and the README.',
    ]);
  });
});
