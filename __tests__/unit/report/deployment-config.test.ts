import { describe, expect, it } from '@jest/globals';
import { codeDeployConfigWords, ecsConfigWords } from '../../../src/report/deployment-config.js';

describe('deployment configs in words', () => {
  it('CodeDeploy: the canary or linear step and its interval, from the config itself', () => {
    expect(
      codeDeployConfigWords('CodeDeployDefault.ECSCanary10Percent5Minutes', {
        type: 'TimeBasedCanary',
        timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 },
      }),
    ).toBe('CodeDeployDefault.ECSCanary10Percent5Minutes (canary: 10%, the rest 5 minutes later)');
    expect(
      codeDeployConfigWords('my-linear', {
        type: 'TimeBasedLinear',
        timeBasedLinear: { linearPercentage: 25, linearInterval: 1 },
      }),
    ).toBe('my-linear (linear: 25% every 1 minute)');
    expect(codeDeployConfigWords('CodeDeployDefault.ECSAllAtOnce', { type: 'AllAtOnce' })).toBe(
      'CodeDeployDefault.ECSAllAtOnce (all at once)',
    );
  });

  it('ECS-native: the percent and interval of a canary or linear strategy, and the bake time', () => {
    expect(
      ecsConfigWords({
        strategy: 'CANARY',
        canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 },
        bakeTimeInMinutes: 30,
      }),
    ).toBe('canary: 10% for 3 minutes, then 100%; bake time 30 minutes');
    expect(
      ecsConfigWords({
        strategy: 'LINEAR',
        linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 2 },
      }),
    ).toBe('linear: 20% more every 2 minutes');
    expect(ecsConfigWords({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 })).toBe(
      'blue/green: 100% at once; bake time 5 minutes',
    );
  });

  it('rolling: its bounds and circuit breaker, not the word ROLLING again', () => {
    expect(
      ecsConfigWords({
        minimumHealthyPercent: 50,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      }),
    ).toBe('at least 50% healthy, at most 200% running; circuit breaker on with rollback');
    expect(ecsConfigWords(undefined)).toBe('');
  });
});
