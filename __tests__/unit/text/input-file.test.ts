import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { MAX_INPUT_FILE_BYTES, readInputFile } from '../../../src/text/input-file.js';

let workspace: string;
beforeEach(() => {
  workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-input-')));
});
afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

const read = (name: string) =>
  readInputFile({
    absPath: path.join(workspace, name),
    subject: `task-definition: ${name}`,
    workspace,
    expected: 'a JSON or YAML file',
  });

describe('readInputFile', () => {
  it('reads a regular file, and a symlink to one inside the workspace', () => {
    fs.writeFileSync(path.join(workspace, 'td.json'), '{"family":"web"}');
    fs.symlinkSync('td.json', path.join(workspace, 'link.json'));
    expect(read('td.json')).toBe('{"family":"web"}');
    expect(read('link.json')).toBe('{"family":"web"}');
  });

  it('refuses a symlink out of the workspace (the runner environment must never be printed)', () => {
    fs.symlinkSync('/proc/self/environ', path.join(workspace, 'td.json'));
    expect(() => read('td.json')).toThrow(
      /^task-definition: td\.json is a symbolic link to .*, outside the workspace/,
    );
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.json'), '{}');
    fs.symlinkSync(path.join(outside, 'secret.json'), path.join(workspace, 'other.json'));
    expect(() => read('other.json')).toThrow(/outside the workspace/);
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('refuses /proc and device paths given directly', () => {
    expect(() =>
      readInputFile({
        absPath: '/proc/self/environ',
        subject: 'task-definition: /proc/self/environ',
        workspace,
        expected: 'a file',
      }),
    ).toThrow(/^task-definition: \/proc\/self\/environ is \/proc\/\d+\/environ, a system file, not a file\./);
    expect(() =>
      readInputFile({
        absPath: '/dev/zero',
        subject: 'task-definition: /dev/zero',
        workspace,
        expected: 'a file',
      }),
    ).toThrow(/a system file/);
  });

  it('refuses a directory and a named pipe, saying which', () => {
    fs.mkdirSync(path.join(workspace, '.aws'));
    expect(() => read('.aws')).toThrow(
      `task-definition: .aws is a directory (${path.join(workspace, '.aws')}). Expected a JSON or YAML file.`,
    );
    execFileSync('mkfifo', [path.join(workspace, 'pipe.json')]);
    expect(() => read('pipe.json')).toThrow(/is a named pipe \(FIFO\)/);
  });

  it('refuses a file over the size cap, and binary content', () => {
    fs.writeFileSync(path.join(workspace, 'big.json'), Buffer.alloc(MAX_INPUT_FILE_BYTES + 1, 32));
    expect(() => read('big.json')).toThrow(
      /is 1048577 bytes, more than the 1048576 \(1 MiB\) ecs-shift reads/,
    );
    fs.writeFileSync(path.join(workspace, 'bin.json'), Buffer.from([123, 0, 125]));
    expect(() => read('bin.json')).toThrow(/is not a text file/);
  });
});

describe('readInputFile through linked folders', () => {
  it('refuses a file reached through a folder symlink that leads out of the workspace', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-outside-'));
    fs.writeFileSync(path.join(outside, 'creds.json'), '{"secret": 1}');
    fs.symlinkSync(outside, path.join(workspace, 'cfg'));
    expect(() => read('cfg/creds.json')).toThrow(/outside the workspace/);
    fs.rmSync(outside, { recursive: true, force: true });
  });
});
