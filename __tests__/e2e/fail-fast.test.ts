/**
 * Catching the costly failure early, through the bundle against the simulator: verify before change
 * (a missing tag, an amd64-only image on an ARM64 task, a check the credentials may not make) and a
 * crash loop of the new tasks under CodeDeploy, ECS-native blue/green and rolling without a breaker.
 */
import { describe, expect, it } from '@jest/globals';
import {
  codeDeployScenario,
  ecsBlueGreenScenario,
  rollingScenario,
  webTaskDefinition,
} from '../../sim/index.js';
import { mutatingCalls, runAction } from '../../sim/run-action.js';
import { requestsOf, simulate, errorAnnotation } from './setup.js';

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const DEPLOY = { cluster: 'prod', service: 'web', 'container-name': 'app' };

describe('verify before change', () => {
  it('fails a tag that was never pushed in the check phase, with zero mutating calls', async () => {
    const s = await simulate(codeDeployScenario());
    const run = await runAction(s, { inputs: { ...DEPLOY, image: `${ECR}/web:never-pushed` } });
    expect(run.code).toBe(1);
    expect(mutatingCalls(s)).toEqual([]);
    expect(run.log).toContain(
      `  ✗ image ${ECR}/web:never-pushed: tag "never-pushed" is not in repository "web" (registry 123456789012, us-east-1)`,
    );
    expect(errorAnnotation(run.log)).toMatch(
      /^Verify before change found a problem that would stop the new tasks from starting; nothing was registered or deployed\./m,
    );
    expect(run.log).toContain('Push the image before deploying');
    expect(run.outputs['deployment-status']).toBe('failed');
    expect(run.outputs['task-definition-arn']).toBeUndefined();
    expect(requestsOf(s, 'DescribeImages')).toHaveLength(1);
  });

  it('fails an amd64-only image on an ARM64 task likewise', async () => {
    const s = await simulate(
      codeDeployScenario({
        ecr: {
          repositories: [
            { name: 'web', images: [{ tags: ['amd64-only'], platforms: ['linux/amd64'], index: 'oci' }] },
          ],
        },
      }),
    );
    const td = {
      ...webTaskDefinition(),
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    };
    delete (td as { tags?: unknown }).tags;
    const run = await runAction(s, {
      inputs: { ...DEPLOY, 'task-definition': 'td.json', image: `${ECR}/web:amd64-only` },
      files: { 'td.json': JSON.stringify(td) },
    });
    expect(run.code).toBe(1);
    expect(mutatingCalls(s)).toEqual([]);
    expect(run.log).toContain(
      `image ${ECR}/web:amd64-only offers linux/amd64, not linux/arm64, which the task runs on`,
    );
    expect(run.log).toContain('docker buildx build --platform linux/arm64');
  });

  it("fails a single-platform amd64 image on an ARM64 task, read from the image's config", async () => {
    const s = await simulate(codeDeployScenario());
    const td = {
      ...webTaskDefinition(),
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    };
    delete (td as { tags?: unknown }).tags;
    const run = await runAction(s, {
      inputs: { ...DEPLOY, 'task-definition': 'td.json', image: `${ECR}/web:2` },
      files: { 'td.json': JSON.stringify(td) },
    });
    expect(run.code).toBe(1);
    expect(mutatingCalls(s)).toEqual([]);
    expect(requestsOf(s, 'GetDownloadUrlForLayer')).toHaveLength(1);
    expect(run.log).toContain(
      `image ${ECR}/web:2 is built for linux/amd64, not linux/arm64, which the task runs on`,
    );
    expect(run.log).not.toContain('X-Amz-Signature');
  });

  it('makes a notice of a check the credentials may not make, and releases', async () => {
    const s = await simulate(
      codeDeployScenario({
        faults: [
          { kind: 'operationErrors', operation: 'DescribeImages', count: 99, error: 'AccessDeniedException' },
        ],
      }),
    );
    const run = await runAction(s, { inputs: { ...DEPLOY, image: `${ECR}/web:2` } });
    expect(run.code).toBe(0);
    expect(run.log).toContain(`  – skipped: image ${ECR}/web:2: needs ecr:DescribeImages`);
    expect(run.log).toContain(`::notice::Check skipped, image ${ECR}/web:2: needs ecr:DescribeImages`);
    expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'CreateDeployment']);
  });

  it('passes the stock service and reads no secret value', async () => {
    const s = await simulate(
      codeDeployScenario({ secretsManager: { secrets: [{ name: 'db', arnSuffix: 'AbCdEf' }] } }),
    );
    const run = await runAction(s, {
      inputs: {
        ...DEPLOY,
        image: `${ECR}/web:2`,
        secrets: 'DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::',
      },
    });
    expect(run.code).toBe(0);
    expect(run.log).toContain(`  ✓ image web:2 exists (sha256:`);
    expect(run.log).toContain(
      '  ✓ execution role arn:aws:iam::123456789012:role/ecsTaskExecutionRole exists and trusts ecs-tasks.amazonaws.com',
    );
    expect(run.log).toContain('  ✓ log group /ecs/web (us-east-1) exists');
    expect(run.log).toContain('exists (JSON key "password" not checked)');
    const operations = s.requests.map((r) => r.operation);
    expect(operations).toContain('DescribeSecret');
    expect(operations).not.toContain('GetSecretValue');
    expect(operations).not.toContain('GetParameters');
  });
});

describe('fail fast on a crash loop', () => {
  // 1 simulated minute = 1 s: CodeDeploy's own Install timeout (60 simulated minutes) would be a minute away.
  const MS_PER_MINUTE = 1000;
  const crashLoop = [{ kind: 'tasksKeepStopping' as const, exitCode: 1 }];

  it('under CodeDeploy: StopDeployment with rollback long before the deadline, the exit code and the app’s last lines', async () => {
    const s = await simulate(
      codeDeployScenario({ faults: crashLoop, timings: { installFailure: 60, install: 0.5 } }),
      MS_PER_MINUTE,
    );
    const run = await runAction(s, { inputs: { ...DEPLOY, image: `${ECR}/web:2` } });
    expect(run.code).toBe(1);
    expect(run.endedAt - run.startedAt).toBeLessThan(30_000);
    expect(requestsOf(s, 'StopDeployment').map((r) => r.input)).toEqual([
      expect.objectContaining({ autoRollbackEnabled: true }),
    ]);
    expect(run.outputs['deployment-status']).toBe('failed');
    expect(errorAnnotation(run.log)).toMatch(
      /^The new revision's tasks keep failing: \d+ of them stopped before deployment d-\w+ reached "shifted"/m,
    );
    expect(run.log).toMatch(
      /tasks stopped \[EssentialContainerExited\]: Essential container in task exited — app exit code 1/,
    );
    expect(run.log).toContain('Error: connect ECONNREFUSED 10.0.3.12:5432');
    expect(run.summary).toContain('Error: connect ECONNREFUSED 10.0.3.12:5432');
    expect(run.summary).toContain('exit code 1');
  });

  it('under ECS-native blue/green without a breaker: StopServiceDeployment, the same report', async () => {
    const s = await simulate(
      ecsBlueGreenScenario({
        faults: crashLoop,
        deploymentConfiguration: {
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: 2,
          maximumPercent: 200,
          minimumHealthyPercent: 100,
        },
      }),
      MS_PER_MINUTE,
    );
    const run = await runAction(s, { inputs: { ...DEPLOY, image: `${ECR}/web:2` } });
    expect(run.code).toBe(1);
    expect(run.endedAt - run.startedAt).toBeLessThan(30_000);
    expect(requestsOf(s, 'StopServiceDeployment')).toHaveLength(1);
    expect(errorAnnotation(run.log)).toMatch(/^The new revision's tasks keep failing/m);
    expect(run.log).toContain('Error: connect ECONNREFUSED 10.0.3.12:5432');
  });

  it('under rolling without a breaker: the same; with one, the breaker is left to act', async () => {
    const noBreaker = await simulate(
      rollingScenario({
        faults: crashLoop,
        deploymentConfiguration: { strategy: 'ROLLING', maximumPercent: 200, minimumHealthyPercent: 100 },
      }),
      MS_PER_MINUTE,
    );
    const run = await runAction(noBreaker, { inputs: { ...DEPLOY, image: `${ECR}/web:2` } });
    expect(run.code).toBe(1);
    expect(requestsOf(noBreaker, 'StopServiceDeployment')).toHaveLength(1);
    expect(errorAnnotation(run.log)).toMatch(/^The new revision's tasks keep failing/m);
    expect(run.log).toMatch(/app exit code 1/);
    expect(run.log).toContain('Error: connect ECONNREFUSED 10.0.3.12:5432');
    await noBreaker.stop();

    const withBreaker = await simulate(rollingScenario({ faults: crashLoop }), 100);
    const left = await runAction(withBreaker, { inputs: { ...DEPLOY, image: `${ECR}/web:2` } });
    expect(left.log).toContain("The service's deployment circuit breaker is on");
    expect(requestsOf(withBreaker, 'StopServiceDeployment')).toHaveLength(0);
    expect(left.code).toBe(1); // the breaker failed it
  });

  it('app-logs: false shows the stop reasons but reads no app log line', async () => {
    const s = await simulate(codeDeployScenario({ faults: crashLoop }), 100);
    const run = await runAction(s, { inputs: { ...DEPLOY, image: `${ECR}/web:2`, 'app-logs': 'false' } });
    expect(run.code).toBe(1);
    expect(run.log).toContain('app exit code 1');
    expect(run.log).not.toContain('ECONNREFUSED');
    expect(requestsOf(s, 'GetLogEvents')).toHaveLength(0);
  });

  it('one flaky task in a release that then succeeds does not stop it', async () => {
    const s = await simulate(codeDeployScenario({ faults: [{ kind: 'tasksKeepStopping', count: 1 }] }), 100);
    const run = await runAction(s, { inputs: { ...DEPLOY, image: `${ECR}/web:2` } });
    expect(run.code).toBe(0);
    expect(requestsOf(s, 'StopDeployment')).toHaveLength(0);
  });
});
