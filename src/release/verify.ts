/**
 * Verify before change, in the engine: run the checks (verify/checks.ts) on the rendered task
 * definition, print one line per check in the "Render and check" group, and, as `verify` says, fail
 * before anything is registered (strict) or warn and go on (warn).
 */
import type { Service } from '../aws/ports.js';
import type { VerifyMode } from '../settings/settings.js';
import { UserError } from '../text/errors.js';
import { type CheckResult, verifyTaskDefinition } from '../verify/checks.js';
import type { Runtime } from './runtime.js';

const MARK: Record<CheckResult['state'], string> = {
  passed: '✓',
  failed: '✗',
  skipped: '– skipped:',
  'not-checked': '· not checked:',
};

export async function verifyBeforeChange(
  rt: Pick<Runtime, 'lookups' | 'region' | 'info' | 'warning' | 'notice'>,
  mode: VerifyMode,
  taskDefinition: Record<string, unknown>,
  service: Service | undefined,
): Promise<CheckResult[]> {
  if (mode === 'off') {
    rt.info('Verify before change: off (verify: off).');
    return [];
  }
  const results = await runChecks(rt, taskDefinition, service);
  const problems = problemsOf(results);
  if (problems.length === 0) return results;
  if (mode === 'warn') {
    for (const problem of problems) rt.warning(`Verify (warn, going on): ${problem}`);
    return results;
  }
  throw new UserError(
    `Verify before change found ${problems.length === 1 ? 'a problem' : `${problems.length} problems`} that would stop the new tasks from starting; nothing was registered or deployed.`,
    [...problems, 'Fix the above and re-run; to deploy anyway, set verify: warn (or off).'],
  );
}

/** Runs every check and prints one line each (and a notice per skipped one); decides nothing. */
export async function runChecks(
  rt: Pick<Runtime, 'lookups' | 'region' | 'info' | 'notice'>,
  taskDefinition: Record<string, unknown>,
  service: Service | undefined,
): Promise<CheckResult[]> {
  const results = await verifyTaskDefinition(rt.lookups, {
    taskDefinition,
    region: rt.region,
    account: service?.serviceArn?.split(':')[4] || undefined,
  });
  if (results.length === 0) {
    rt.info('Verify before change: nothing to check (no ECR image, role, secret or awslogs group).');
    return results;
  }
  rt.info('Verify before change:');
  for (const result of results) rt.info(`  ${MARK[result.state]} ${result.line}`);
  // One notice for all of them: GitHub shows only a few annotations per step.
  const skipped = results.filter((r) => r.state === 'skipped');
  if (skipped.length > 0) {
    const what = skipped.length === 1 ? 'Check skipped' : `${skipped.length} checks skipped`;
    rt.notice(
      `${what}, ${skipped.map((r) => r.line).join('; ')}: grant it to check this before the next release (see "IAM permissions" in the README).`,
    );
  }
  return results;
}

/** Each failed check with what to do, one line each. */
export function problemsOf(results: CheckResult[]): string[] {
  return results.filter((r) => r.state === 'failed').map((r) => `${r.line}. ${r.fix ?? ''}`.trim());
}
