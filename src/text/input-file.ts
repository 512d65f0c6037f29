/**
 * Reading a file a user points an input at (task-definition, codedeploy-appspec) as data, never as
 * something to echo: it must be a regular file (not a directory, FIFO, device or /proc entry), a
 * symlink may not lead out of the workspace, and its size is capped. A committed symlink to
 * /proc/self/environ would otherwise print the runner's environment into the log.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from './errors.js';

/** Far above ECS's own limits (a task definition is at most 64 KiB), far below a memory problem. */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;
/** Pseudo-filesystems whose "files" are live system state, not a user's document. */
const SYSTEM_TREES = ['/proc', '/sys', '/dev'];

export interface InputFile {
  /** Absolute path, as the input resolved. */
  absPath: string;
  /** `task-definition: .aws/td.json`: the input and the path as the user wrote it. */
  subject: string;
  workspace: string;
  /** What the file should hold, for the messages: "a JSON or YAML task definition". */
  expected: string;
  /** How a correct value reads, e.g. "task-definition: .aws/task-definition.json". */
  example?: string;
}

export function readInputFile(file: InputFile): string {
  const { absPath, subject, expected } = file;
  let real: string;
  let stats: fs.Stats;
  try {
    const link = fs.lstatSync(absPath);
    real = fs.realpathSync(absPath);
    // A path in the workspace must stay there, through a linked file or a linked folder on the way.
    const leaves =
      (isInside(absPath, file.workspace) || link.isSymbolicLink()) &&
      !isInside(real, realWorkspace(file.workspace));
    if (leaves) {
      throw new UserError(
        `${subject} is a symbolic link to ${real} (or lies in a linked folder that leads there), outside the workspace. ecs-shift reads input files from the workspace only: commit the file itself, or point the input at it.`,
      );
    }
    stats = fs.statSync(real);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw unreadable(file, error);
  }
  if (SYSTEM_TREES.some((tree) => isInside(real, tree))) {
    throw new UserError(
      `${subject} is ${real}, a system file, not ${expected}. Point the input at a file in the repository.`,
    );
  }
  if (!stats.isFile()) {
    throw new UserError(`${subject} is ${kindOf(stats)} (${absPath}). Expected ${expected}.`);
  }
  if (stats.size > MAX_INPUT_FILE_BYTES) {
    throw new UserError(
      `${subject} is ${stats.size} bytes, more than the ${MAX_INPUT_FILE_BYTES} (1 MiB) ecs-shift reads. Expected ${expected}; ECS itself accepts task definitions of at most 64 KiB.`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(real);
  } catch (error) {
    throw unreadable(file, error);
  }
  if (bytes.includes(0)) {
    throw new UserError(`${subject} is not a text file (it holds NUL bytes). Expected ${expected}.`);
  }
  return bytes.toString('utf8');
}

function unreadable(file: InputFile, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  const { subject, absPath } = file;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new UserError(
      `${subject} does not exist (looked for ${absPath}). Expected a path relative to the workspace, ` +
        `e.g. ${file.example ?? `${subject.split(':')[0]}: ${exampleFor(subject)}`}; check the path and that the repository was checked out ` +
        '(actions/checkout) before this step.',
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new UserError(
      `${subject} cannot be read: permission denied (${absPath}). Make the file readable by the runner user.`,
    );
  }
  if (code === 'ELOOP')
    return new UserError(`${subject} is a symbolic link that loops (${absPath}). Point the input at a file.`);
  return new UserError(`${subject} cannot be read (${absPath}): ${code ?? 'unknown error'}.`);
}

function exampleFor(subject: string): string {
  return subject.startsWith('codedeploy-appspec') ? 'appspec.yaml' : '.aws/task-definition.json';
}

function realWorkspace(workspace: string): string {
  try {
    return fs.realpathSync(workspace);
  } catch {
    return path.resolve(workspace);
  }
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function kindOf(stats: fs.Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}
