/**
 * Runs the built bundle the way the GitHub runner does: `node dist/index.js` with INPUT_* variables and
 * the GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files, against the simulator. Shared by the
 * end-to-end tests, the demo and the benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Simulator } from './index.js';
import { parseFileCommand } from './file-commands.js';

export const BUNDLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/index.js');

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  log: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  startedAt: number;
  endedAt: number;
}

export interface ActionOptions {
  inputs: Record<string, string>;
  /** Files to create in the workspace before the run (relative path → content). */
  files?: Record<string, string>;
  /** RUNNER_TEMP shared by several runs, as the steps of one job share it (kept after the run). */
  runnerTemp?: string;
  env?: Record<string, string>;
  /** Called with the child once it started (to send signals). */
  onStart?: (child: ChildProcess) => void;
  /** Run as the post step with this state (from a previous run's `state`). */
  postState?: Record<string, string>;
  /** ECS_SHIFT_POLL_SECONDS; default 0.1 (scaled time), null for the action's own default (5 s). */
  pollSeconds?: number | null;
  /** Each chunk of the step's stdout/stderr as it arrives (the demo streams it live). */
  onOutput?: (chunk: string) => void;
}

/** action.yml defaults, as the runner fills them in. */
const DEFAULT_INPUTS: Record<string, string> = {
  cluster: 'default',
  'max-parallel': '4',
  'on-service-failure': 'stop-others',
  'wait-for-service-stability': 'true',
  'wait-for-minutes': '30',
  'wait-until': 'shifted',
  'on-timeout': 'rollback',
  'on-cancel': 'rollback',
  'on-conflict': 'wait',
  verify: 'strict',
  'max-task-failures': 'auto',
  'app-logs': 'true',
  'force-new-deployment': 'false',
  'run-task': 'false',
  'dry-run': 'false',
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
    // '<dir>' makes a directory, '<symlink:TARGET>' a symbolic link: for inputs that must be files.
    const link = /^<symlink:(.+)>$/.exec(content)?.[1];
    if (content === '<dir>') mkdirSync(target, { recursive: true });
    else if (link) symlinkSync(link, target);
    else writeFileSync(target, content);
  }

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    ...sim.env(),
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: options.runnerTemp ?? path.join(dir, 'tmp'),
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_REPOSITORY: 'acme/web',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    // The runner runs the action on Node 24; this machine's Node 20 would add the SDK's upgrade notice.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ECS_SHIFT_POLL_SECONDS: options.pollSeconds === null ? '' : String(options.pollSeconds ?? 0.1),
    ...options.env,
  };
  for (const [name, value] of Object.entries({ ...DEFAULT_INPUTS, ...options.inputs })) {
    env[`INPUT_${name.toUpperCase()}`] = value;
  }
  for (const [name, value] of Object.entries(options.postState ?? {})) env[`STATE_${name}`] = value;

  const startedAt = Date.now();
  const child = spawn(process.execPath, [BUNDLE], { env, cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const collect = (chunk: Buffer): void => {
    log += chunk;
    options.onOutput?.(chunk.toString());
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  options.onStart?.(child);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const endedAt = Date.now();
      const read = (file: string): string => readFileSync(file, 'utf8');
      const run = {
        code,
        signal,
        log,
        outputs: parseFileCommand(read(files.output)),
        state: parseFileCommand(read(files.state)),
        summary: read(files.summary),
        startedAt,
        endedAt,
      };
      rmSync(dir, { recursive: true, force: true });
      resolve(run);
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
    'StopServiceDeployment',
    'ContinueServiceDeployment',
    'RunTask',
    'StopTask',
    'DeregisterTaskDefinition',
    'PutTargets',
    'UpdateSchedule',
  ]);
  return sim.requests.filter((r) => mutating.has(r.operation)).map((r) => r.operation);
}

/**
 * Cancels a step as the GitHub runner does: SIGINT; SIGTERM 7.5 s later if it is still running;
 * SIGKILL 2.5 s after that. Resolves with the signals sent once the child has exited.
 */
export function cancelLikeTheRunner(child: ChildProcess): Promise<NodeJS.Signals[]> {
  const sent: NodeJS.Signals[] = [];
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const send = (signal: NodeJS.Signals) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      sent.push(signal);
      child.kill(signal);
    };
    child.once('exit', () => {
      timers.forEach(clearTimeout);
      resolve(sent);
    });
    send('SIGINT');
    timers.push(setTimeout(() => send('SIGTERM'), 7_500));
    timers.push(setTimeout(() => send('SIGKILL'), 10_000));
  });
}
