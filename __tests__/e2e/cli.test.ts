/**
 * The CLI as a user gets it: the package packed (npm pack), installed from the tarball into a
 * temporary folder, and the installed `ecs-shift` run against the simulator.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  codeDeployScenario,
  ecsBlueGreenScenario,
  rollingScenario,
  type Simulator,
} from '../../sim/index.js';
import { mutatingCalls } from '../../sim/run-action.js';
import { requestsOf, simulate, until } from './setup.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
let dir: string;
let bin: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-cli-'));
  const npm = (args: string[], cwd: string) =>
    execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });
  const tarball = npm(['pack', '--pack-destination', dir], ROOT).trim().split('\n').pop()!;
  npm(['install', '--prefix', path.join(dir, 'install'), '--offline', path.join(dir, tarball)], dir);
  bin = path.join(dir, 'install', 'node_modules', '.bin', 'ecs-shift');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tmp(): string {
  const folder = path.join(dir, 'os-tmp');
  mkdirSync(folder, { recursive: true });
  return folder;
}

function cli(
  sim: Simulator | undefined,
  args: string[],
  onStart?: (child: ChildProcess) => void,
): Promise<CliRun> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    ...(sim
      ? sim.env()
      : {
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
          AWS_EC2_METADATA_DISABLED: 'true',
        }),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ECS_SHIFT_POLL_SECONDS: '0.1',
    // The OS temp folder, as a user's shell has it: what ecs-shift leaves there is checked.
    TMPDIR: tmp(),
  };
  const child = spawn(bin, args, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  onStart?.(child);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const DEPLOY = [
  'deploy',
  '--cluster',
  'prod',
  '--service',
  'web',
  '--container-name',
  'app',
  '--image',
  'repo/web:2',
];

describe('the installed ecs-shift CLI', () => {
  it('prints its version and the help of each command', async () => {
    const version = await cli(undefined, ['--version']);
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
    );
    const help = await cli(undefined, ['deploy', '--help']);
    expect(help.code).toBe(0);
    // Every action input is a flag of the same name, described as in action.yml.
    expect(help.stdout).toMatch(/--wait-until <value>\s+`shifted`: all production traffic/);
    expect(help.stdout).toContain('--output <format>');
  });

  it('deploys with CodeDeploy blue/green, with the same log lines as the action, and --output json', async () => {
    const s = await simulate(codeDeployScenario());
    const summary = path.join(dir, 'summary.md');
    const run = await cli(s, [...DEPLOY, '--output', 'json', '--summary', summary]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ result: 'success', outputs: { 'deployment-status': 'shifted' } });
    expect(result.outputs['codedeploy-deployment-id']).toMatch(/^d-/);
    expect(run.stderr).toMatch(/AfterAllowTraffic\s+succeeded/);
    expect(run.stderr).toMatch(/traffic\s+blue 0% │ green 100%/);
    // The same headline as the action, at the end of the log and atop the summary file.
    expect(run.stderr).toMatch(
      /✅ web on prod: web:1 → web:2 — Traffic shifted \(.*\) in \d+s\.\n {3}Production traffic: 100% on web:2\.\n {3}app: \S+\/web:1 → repo\/web:2\n/,
    );
    expect(readFileSync(summary, 'utf8')).toMatch(/^## ✅ web on prod: web:1 → web:2\n\n\*\*Traffic shifted/);
    expect(mutatingCalls(s)).toEqual(['RegisterTaskDefinition', 'CreateDeployment']);
    // The rendered file (it may hold environment values) is not left in the temp folder.
    expect(readdirSync(tmp())).toEqual([]);
    expect(result.outputs['task-definition']).toBeUndefined();
    // …and the log says so, rather than pointing at a file that is gone.
    expect(run.stderr).toMatch(
      /Rendered task definition written to \S+ \(removed when ecs-shift exits, as it may hold environment values: `ecs-shift render > task-definition\.json` keeps a copy\)/,
    );
  });

  it('a summary file it cannot write is a warning, not a failed release', async () => {
    const s = await simulate(codeDeployScenario());
    const run = await cli(s, [...DEPLOY, '--output', 'json', '--summary', '/nonexistent/dir/summary.md']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ result: 'success', error: null });
    expect(run.stderr).toMatch(/warning: Could not write the summary to \/nonexistent\/dir\/summary\.md/);
  });

  it('runs a rolling update from a --config file', async () => {
    const s = await simulate(rollingScenario());
    writeFileSync(
      path.join(dir, 'ecs-shift.yaml'),
      'cluster: prod\nservice: web\ncontainer-name: app\nimage: repo/web:2\nwait-for-minutes: 5\n',
    );
    const run = await cli(s, ['deploy', '--config', 'ecs-shift.yaml']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/status\s+COMPLETED/);
    expect(requestsOf(s, 'UpdateService')).toHaveLength(1);
  });

  it('runs an ECS-native blue/green deployment to the shift, showing the traffic split', async () => {
    const s = await simulate(ecsBlueGreenScenario());
    const run = await cli(s, [...DEPLOY, '--output', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).outputs['service-deployment-arn']).toMatch(
      /:service-deployment\/prod\/web\//,
    );
    expect(run.stderr).toMatch(/PRODUCTION_TRAFFIC_SHIFT\s+succeeded/);
    expect(run.stderr).toMatch(/traffic\s+blue 0% │ green 100%/);
  });

  it('renders a task definition file with no AWS call at all', async () => {
    const s = await simulate(codeDeployScenario());
    writeFileSync(
      path.join(dir, 'td.json'),
      '{"family":"web","containerDefinitions":[{"name":"app","image":"a"}]}',
    );
    const run = await cli(s, [
      'render',
      '--task-definition',
      'td.json',
      '--container-name',
      'app',
      '--image',
      'repo/web:9',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).containerDefinitions[0].image).toBe('repo/web:9');
    expect(s.requests).toHaveLength(0);
  });

  it('verify runs every check and changes nothing: exit 1 with the failed check, 0 when all is well', async () => {
    const sim = await simulate(codeDeployScenario());
    const ecr = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
    const base = ['verify', '--cluster', 'prod', '--service', 'web', '--container-name', 'app'];
    const bad = await cli(sim, [...base, '--image', `${ecr}/web:nope`, '--output', 'json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ failed: 1 });
    expect(bad.stderr).toContain(`✗ image ${ecr}/web:nope: tag "nope" is not in repository "web"`);
    const good = await cli(sim, [...base, '--image', `${ecr}/web:2`]);
    expect(good.code).toBe(0);
    expect(good.stderr).toContain('✓ image web:2 exists');
    expect(good.stderr).toContain('Nothing found that would stop the release.');
    expect(mutatingCalls(sim)).toEqual([]);
  });

  it('diff renders, checks and shows what would change against the service, changing nothing', async () => {
    const s = await simulate(ecsBlueGreenScenario());
    const summary = path.join(dir, 'diff.md');
    const run = await cli(s, [
      'diff',
      ...DEPLOY.slice(1),
      '--environment-variables',
      'TOKEN=s3cr3t-v4lue',
      '--summary',
      summary,
      '--output',
      'json',
    ]);
    expect(run.code).toBe(0);
    expect(mutatingCalls(s)).toEqual([]);
    expect(run.stderr).toContain('What changed: web:1 → the new revision');
    expect(run.stderr).toMatch(/image +\S+\/web:1 → repo\/web:2/);
    expect(run.stderr).toContain('environment  TOKEN added');
    expect(JSON.parse(run.stdout)).toMatchObject({
      result: 'success',
      outputs: { 'deployment-status': 'dry-run' },
    });
    expect(readFileSync(summary, 'utf8')).toContain('## ✅ web on prod: web:1 → new revision (dry run)');
    expect(`${run.stderr}${readFileSync(summary, 'utf8')}`).not.toContain('s3cr3t-v4lue');
  });

  it('exits 2 on bad input, naming it, with nothing changed', async () => {
    const s = await simulate(codeDeployScenario());
    const run = await cli(s, [...DEPLOY, '--wait-until', 'never', '--output', 'json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--wait-until: "never" is not one of shifted, ready, complete');
    expect(JSON.parse(run.stdout).result).toBe('bad-input');
    expect(mutatingCalls(s)).toEqual([]);
  });

  it('Ctrl-C during the watch stops the deployment with rollback and exits 4', async () => {
    const s = await simulate(
      codeDeployScenario({ faults: [{ kind: 'neverFinishes', event: 'AfterInstall' }] }),
    );
    const run = await cli(
      s,
      DEPLOY,
      (child) => void until(s, 'GetDeploymentTarget').then(() => child.kill('SIGINT')),
    );
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('SIGINT: cancelling');
    expect(run.stderr).toMatch(/Stopped deployment d-\w+ with rollback because the run was interrupted/);
    expect(requestsOf(s, 'StopDeployment')).toHaveLength(1);
  });

  it('status says what runs now', async () => {
    const s = await simulate(codeDeployScenario());
    const run = await cli(s, ['status', '--cluster', 'prod', '--service', 'web', '--output', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ service: 'web', controller: 'CODE_DEPLOY', inFlight: [] });
  });
});
