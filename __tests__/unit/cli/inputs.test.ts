import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { cliSettings, readConfigFile } from '../../../src/cli/inputs.js';
import { exitCodeFor } from '../../../src/cli/exit-codes.js';

let cwd: string;
beforeEach(() => {
  cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-cli-')));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

describe('readConfigFile', () => {
  it('reads the action input names as keys; lists become lines, objects JSON', () => {
    fs.writeFileSync(
      path.join(cwd, 'ecs-shift.yaml'),
      [
        'service: web',
        'wait-for-minutes: 5',
        'images: [app=repo/app:2, worker=repo/worker:2]',
        'run-task-container-overrides: [{name: app, command: [npm, run, migrate]}]',
      ].join('\n'),
    );
    expect(readConfigFile('ecs-shift.yaml', cwd)).toEqual({
      service: 'web',
      'wait-for-minutes': '5',
      images: 'app=repo/app:2\nworker=repo/worker:2',
      'run-task-container-overrides': '[{"name":"app","command":["npm","run","migrate"]}]',
    });
  });

  it('names keys that are not inputs (a typo would otherwise be ignored)', () => {
    fs.writeFileSync(path.join(cwd, 'c.yaml'), 'service: web\nwait-for-minute: 5\n');
    expect(() => readConfigFile('c.yaml', cwd)).toThrow(
      '--config c.yaml has keys that are not ecs-shift inputs: "wait-for-minute".',
    );
  });
});

describe('readConfigFile: broken YAML', () => {
  it('says where the YAML breaks, ending the sentence instead of pointing at an unshown snippet', () => {
    fs.writeFileSync(path.join(cwd, 'broken.yaml'), 'service: web\n  cluster: prod\n');
    let message = '';
    try {
      readConfigFile('broken.yaml', cwd);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^--config broken\.yaml is not valid YAML: .+ at line \d+, column \d+\.$/);
  });
});

describe('cliSettings', () => {
  it('lets a flag win over the config file, and applies the action defaults', () => {
    const settings = cliSettings(
      { service: 'api' },
      { service: 'web', cluster: 'prod', 'task-definition-family': 'web' },
      { AWS_REGION: 'us-east-1' },
    );
    expect(settings).toMatchObject({
      target: { service: 'api', cluster: 'prod' },
      wait: { until: 'shifted', onCancel: 'rollback' },
    });
  });
});

describe('cliSettings for promote and abort', () => {
  const deployConfig = {
    cluster: 'prod',
    service: 'web',
    'task-definition': 'td.json',
    'container-name': 'app',
    image: 'repo/web:2',
    'run-task': 'true',
    'wait-until': 'ready',
  };
  const id = 'd-ABCDEFGHI';

  it("sets the shared config file's release keys aside, keeping where and how long to wait", () => {
    const settings = cliSettings({ promote: id }, deployConfig, { AWS_REGION: 'us-east-1' });
    expect(settings.continuation).toEqual({ action: 'promote', target: id });
    expect(settings.target).toMatchObject({
      cluster: 'prod',
      service: 'web',
      register: false,
      dryRun: false,
    });
    expect(settings.wait.until).toBe('ready');
    expect(settings.runTask).toBeUndefined();
  });

  it('still refuses release inputs given as flags', () => {
    expect(() => cliSettings({ abort: id, image: 'repo/web:3' }, {}, {})).toThrow(
      /^--abort: continues a deployment that already has its task definition, so image cannot be set in the same step\./,
    );
  });
});

describe('exitCodeFor', () => {
  it('gives each way a run ends its documented code', () => {
    expect(
      ['success', 'started', 'failed', 'bad-input', 'timed-out', 'cancelled'].map((end) =>
        exitCodeFor(end as never),
      ),
    ).toEqual([0, 0, 1, 2, 3, 4]);
  });
});
