/**
 * Runs the built bundle the way the GitHub runner does: `node dist/index.js` with INPUT_* variables and
 * the GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files, against the simulator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Simulator } from '../../sim/index.js';
import { parseFileCommand } from '../helpers/file-commands.js';

export const BUNDLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/index.js');

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  log: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  startedAt: number;
  endedAt: number;
  workspace: string;
}

export interface ActionOptions {
  inputs: Record<string, string>;
  /** Files to create in the workspace before the run (relative path → content). */
  files?: Record<string, string>;
  env?: Record<string, string>;
  /** Called with the child once it started (to send signals). */
  onStart?: (child: ChildProcess) => void;
  /** Run as the post step with this state (from a previous run's `state`). */
  postState?: Record<string, string>;
  pollSeconds?: number;
}

/** action.yml defaults, as the runner fills them in. */
const DEFAULT_INPUTS: Record<string, string> = {
  cluster: 'default',
  'wait-for-service-stability': 'true',
  'wait-for-minutes': '30',
  'wait-until': 'shifted',
  'on-timeout': 'rollback',
  'on-cancel': 'rollback',
  'on-conflict': 'wait',
  'force-new-deployment': 'false',
};

export function runAction(sim: Simulator, options: ActionOptions): Promise<ActionRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-e2e-'));
  const workspace = path.join(dir, 'workspace');
  const files = {
    output: path.join(dir, 'output'),
    state: path.join(dir, 'state'),
    summary: path.join(dir, 'summary'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  mkdirSync(workspace, { recursive: true });
  for (const [name, content] of Object.entries(options.files ?? {})) {
    const target = path.join(workspace, name);
    mkdirSync(path.dirname(target), { recursive: true });
    // '<dir>' makes a directory, to test a directory given where a file is expected.
    if (content === '<dir>') mkdirSync(target, { recursive: true });
    else writeFileSync(target, content);
  }

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    ...sim.env(),
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: path.join(dir, 'tmp'),
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_REPOSITORY: 'acme/web',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    ECS_SHIFT_POLL_SECONDS: String(options.pollSeconds ?? 0.1),
    ...options.env,
  };
  for (const [name, value] of Object.entries({ ...DEFAULT_INPUTS, ...options.inputs })) {
    env[`INPUT_${name.toUpperCase()}`] = value;
  }
  for (const [name, value] of Object.entries(options.postState ?? {})) env[`STATE_${name}`] = value;

  const startedAt = Date.now();
  const child = spawn(process.execPath, [BUNDLE], { env, cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  options.onStart?.(child);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        code,
        signal,
        log,
        outputs: parseFileCommand(readFileSync(files.output, 'utf8')),
        state: parseFileCommand(readFileSync(files.state, 'utf8')),
        summary: readFileSync(files.summary, 'utf8'),
        startedAt,
        endedAt: Date.now(),
        workspace,
      });
    });
  });
}

/** Names of the operations that change something, in the order the simulator received them. */
export function mutatingCalls(sim: Simulator): string[] {
  const mutating = new Set([
    'RegisterTaskDefinition',
    'CreateDeployment',
    'UpdateService',
    'StopDeployment',
    'ContinueDeployment',
  ]);
  return sim.requests.filter((r) => mutating.has(r.operation)).map((r) => r.operation);
}
