/**
 * `npm run demo` as a newcomer runs it: `tsx sim/demo.ts` (the script's command, from node_modules/.bin
 * as npx finds it) in a pipe with NO_COLOR, against the built dist/ bundle. Its help, a bad argument,
 * one success path and one failure story at a fast pace, and the folder of files it names at the end.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-demo-test-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function demo(args: string[], env: Record<string, string> = {}): Promise<DemoRun> {
  // Not the test runner's environment: jest may set FORCE_COLOR for its workers.
  const childEnv = { PATH: process.env.PATH ?? '', HOME: tmp, TMPDIR: tmp, NO_COLOR: '1', ...env };
  const child = spawn(TSX, ['sim/demo.ts', ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The folder the demo names at the end, checked to hold the run's files. */
function keptFolder(stdout: string): string {
  const folder = /^Files of this run, in (.+):$/m.exec(stdout)?.[1];
  expect(folder).toBeDefined();
  return folder!;
}

const FAST = ['--ms-per-minute', '50', '--config', 'CodeDeployDefault.ECSAllAtOnce'];

describe('npm run demo', () => {
  it('--help: every option and scenario, exit 0, nothing started', async () => {
    const run = await demo(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Usage: npm run demo -- \[options\]/);
    for (const name of [
      'codedeploy',
      'hook-fails',
      'crash-loop',
      'timeout',
      'circuit-breaker',
      'container-typo',
    ]) {
      expect(run.stdout).toContain(`  ${name} `);
    }
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).not.toMatch(ANSI);
  });

  it('a bad argument: one line naming it and what was expected, exit 2, nothing started', async () => {
    const run = await demo(['--ms-per-minute', 'abc']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'demo: --ms-per-minute "abc": expected a positive number of real milliseconds per simulated minute, such as 1000 (the default) or 100 (10× faster). Run "npm run demo -- --help" for the options and scenarios.\n',
    );
    expect(existsSync(path.join(tmp, 'ecs-shift-demo'))).toBe(false);
  });

  it('a success path: plain output, exit 0, and the files kept in a new folder under the temp dir', async () => {
    const run = await demo(['--scenario', 'codedeploy', ...FAST]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(ANSI);
    // Workflow commands shown as a run page shows them.
    expect(run.stdout).toContain('▸ Register task definition');
    expect(run.stdout).not.toContain('::group::');
    expect(run.stdout).toMatch(/^Notice: ✅ web on prod: web:1 → web:2/m);
    expect(run.stdout).toContain('✓ Played out as designed: the step exited 0.');
    expect(run.stdout).not.toContain('NodeVersionSupportWarning');

    const folder = keptFolder(run.stdout);
    expect(path.dirname(folder)).toBe(path.join(tmp, 'ecs-shift-demo'));
    expect(path.basename(folder)).toMatch(/^codedeploy-\d{8}-\d{6}$/);
    const files = readdirSync(folder);
    const rendered = files.find((name) => /^ecs-shift-web-\w+\.json$/.test(name));
    expect(rendered).toBeDefined();
    // The path the step's log printed is the file that is kept.
    expect(run.stdout).toContain(`Rendered task definition written to ${path.join(folder, rendered!)}`);
    const taskDefinition = JSON.parse(readFileSync(path.join(folder, rendered!), 'utf8'));
    expect(taskDefinition.containerDefinitions[0].image).toBe(
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:4f2a9c1',
    );
    expect(readFileSync(path.join(folder, 'summary.md'), 'utf8')).toMatch(
      /^## ✅ web on prod: web:1 → web:2/,
    );
    const html = readFileSync(path.join(folder, 'summary.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<h2>✅ web on prod: web:1 → web:2</h2>');
    expect(JSON.parse(readFileSync(path.join(folder, 'outputs.json'), 'utf8'))['deployment-status']).toBe(
      'shifted',
    );
    expect(readFileSync(path.join(folder, 'step.log'), 'utf8')).toContain(
      '::group::Register task definition',
    );
  });

  it('a failure story: the step fails as designed, the demo exits 0 and keeps the files in --out', async () => {
    const out = path.join(tmp, 'chosen', 'hook-fails');
    const run = await demo(['--scenario', 'hook-fails', ...FAST, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(ANSI);
    expect(run.stdout).toContain('What goes wrong: the smoke test that runs after production traffic moved');
    expect(run.stdout).toMatch(/^Error: ❌ web on prod: web:1 → web:2 — Failed — rolled back/m);
    expect(run.stdout).toContain('── outputs (exit code 1)');
    expect(run.stdout).toContain("CodeDeploy's automatic rollback put production traffic back on web:1");
    expect(run.stdout).toContain('✓ Played out as designed: the step exited 1, as this story means it to.');
    expect(keptFolder(run.stdout)).toBe(out);
    const files = readdirSync(out);
    expect(files.filter((name) => /^ecs-shift-web-\w+\.json$/.test(name))).toHaveLength(1);
    expect(files).toEqual(expect.arrayContaining(['summary.md', 'summary.html', 'step.log', 'outputs.json']));
    expect(readFileSync(path.join(out, 'summary.md'), 'utf8')).toContain('smoke test failed');
    expect(readFileSync(path.join(out, 'summary.html'), 'utf8')).toContain('smoke test failed');
  });
});
