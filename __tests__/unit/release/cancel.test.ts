import { describe, expect, it } from '@jest/globals';
import { ACTION_WORDS } from '../../../src/action/words.js';
import {
  CancelledBeforeChange,
  GUARDED_METHODS,
  guardMutations,
  UNGUARDED_METHODS,
} from '../../../src/release/cancel.js';
import { scriptedCodeDeploy } from '../../helpers/codedeploy-fake.js';
import { fakeEcs, noRevisions, noSchedules } from '../../helpers/context.js';

describe('guardMutations', () => {
  it('lets every call through while the step is not cancelled', async () => {
    const ecs = fakeEcs();
    const codeDeploy = scriptedCodeDeploy([{ status: 'InProgress' }]);
    const ports = guardMutations(
      { ecs, codeDeploy },
      { signal: new AbortController().signal, words: ACTION_WORDS },
    );
    await ports.ecs.registerTaskDefinition({ family: 'web', containerDefinitions: [] });
    await ports.ecs.updateService({ cluster: 'prod', service: 'web' });
    await expect(
      ports.codeDeploy.createDeployment({
        applicationName: 'a',
        deploymentGroupName: 'g',
        revision: {},
      }),
    ).resolves.toBe('d-TEST12345');
    expect(ecs.calls).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(codeDeploy.calls).toEqual(['CreateDeployment']);
  });

  it('refuses every change once cancelled, saying what was not done, but still stops and reads', async () => {
    const ecs = fakeEcs();
    const codeDeploy = scriptedCodeDeploy([{ status: 'InProgress' }]);
    const cancel = new AbortController();
    const ports = guardMutations({ ecs, codeDeploy }, { signal: cancel.signal, words: ACTION_WORDS });
    cancel.abort('SIGINT');

    await expect(
      ports.ecs.registerTaskDefinition({ family: 'web', containerDefinitions: [] }),
    ).rejects.toThrow(
      'The workflow was cancelled before the task definition was registered; nothing further was changed.',
    );
    await expect(ports.ecs.updateService({ cluster: 'prod', service: 'web' })).rejects.toBeInstanceOf(
      CancelledBeforeChange,
    );
    await expect(ports.ecs.runTask({ taskDefinition: 'web:2' })).rejects.toThrow(
      'before the one-off task was started',
    );
    await expect(
      ports.codeDeploy.createDeployment({ applicationName: 'a', deploymentGroupName: 'g', revision: {} }),
    ).rejects.toThrow('before the CodeDeploy deployment was created');
    await expect(ports.codeDeploy.continueDeployment('d-1', 'READY_WAIT')).rejects.toThrow('promoted');
    await expect(ports.ecs.continueServiceDeployment('arn', 'hook', 'CONTINUE')).rejects.toThrow(
      'promoted or rolled back',
    );
    expect(ecs.calls).toEqual([]);
    expect(codeDeploy.calls).toEqual([]);

    // Stopping is the one change a cancel asks for; reads go on.
    await ports.codeDeploy.stopDeployment('d-1', true);
    await ports.ecs.stopServiceDeployment('arn');
    await ports.ecs.stopTask('prod', 'task', 'why');
    await ports.ecs.describeService('prod', 'web');
    expect(codeDeploy.calls).toEqual(['StopDeployment']);
    expect(ecs.calls).toEqual(['StopServiceDeployment', 'StopTask', 'DescribeServices']);
  });
});

describe('the guard covers every port method', () => {
  it('names each method of the ports as guarded or as a read/stop', () => {
    const { eventBridge, scheduler } = noSchedules();
    const methods = [
      ...Object.keys(eventBridge),
      ...Object.keys(scheduler),
      ...Object.keys(noRevisions()),
      ...Object.keys(fakeEcs()).filter((k) => k !== 'calls'),
      ...Object.keys(scriptedCodeDeploy([{ status: 'InProgress' }])).filter(
        (k) => !['calls', 'stopped'].includes(k),
      ),
    ].sort();
    // A new port method must be classified in src/release/cancel.ts before this passes.
    expect([...GUARDED_METHODS, ...UNGUARDED_METHODS].sort()).toEqual(methods);
  });
});
