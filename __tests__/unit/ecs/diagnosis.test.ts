import { describe, expect, it } from '@jest/globals';
import { diagnoseEcsFailure, type EcsFailureInput } from '../../../src/ecs/diagnosis.js';

const NEW_TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:42';
const ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc';

function input(overrides: Partial<EcsFailureInput>): EcsFailureInput {
  return {
    strategy: 'ROLLING',
    stoppedTasks: [],
    serviceEvents: [],
    newTaskDefinitionArn: NEW_TD,
    region: 'us-east-1',
    cluster: 'prod',
    service: 'web',
    ...overrides,
  };
}

describe('diagnoseEcsFailure', () => {
  it('a rolling update the circuit breaker rolled back: why, the breaker, where the service went', () => {
    const { headline, details } = diagnoseEcsFailure(
      input({
        deployment: {
          serviceDeploymentArn: ARN,
          status: 'ROLLBACK_SUCCESSFUL',
          statusReason: 'circuit breaker\ntriggered',
          deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 },
        },
        rollout: { rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' },
        rollback: { state: 'succeeded', line: 'The rollback succeeded: production traffic is on web:41.' },
      }),
    );
    expect(headline).toBe('ECS rolling update of service web was rolled back: tasks failed to start');
    expect(details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Deployment +circuit breaker triggered$/),
        expect.stringMatching(/^Rollout +FAILED: tasks failed to start$/),
        expect.stringMatching(/^Circuit breaker +triggered after 3 failed tasks \(threshold 3\)$/),
        expect.stringMatching(/^Rollback +The rollback succeeded: production traffic is on web:41\.$/),
        expect.stringMatching(/^Stopped tasks +none of the new revision web:42$/),
      ]),
    );
  });

  it('a blue/green deployment stopped at a stage, with its failed hook and triggered alarms', () => {
    const { headline, details } = diagnoseEcsFailure(
      input({
        strategy: 'BLUE_GREEN',
        deployment: {
          serviceDeploymentArn: ARN,
          status: 'STOPPED',
          lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
          alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['web-5xx'] },
          lifecycleHookDetails: [{ hookId: 'smoke', status: 'FAILED' }] as never,
        },
      }),
    );
    expect(headline).toBe('ECS blue/green deployment of service web was stopped at POST_TEST_TRAFFIC_SHIFT');
    expect(details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Alarms +triggered: web-5xx$/),
        expect.stringMatching(/^Lifecycle hook +smoke failed$/),
      ]),
    );
    expect(details.at(-1)).toMatch(
      /^Service +https:\/\/.*console\.aws\.amazon\.com\/ecs\/v2\/clusters\/prod\/services\/web/,
    );
  });
});
