import { describe, expect, it } from '@jest/globals';
import type { RevisionsPort, ServiceRevisions } from '../../../src/aws/ports.js';
import { deregisterOldRevisions, type CleanupRequest } from '../../../src/cleanup/deregister.js';
import { CancelledBeforeChange } from '../../../src/release/cancel.js';
import { UserError } from '../../../src/text/errors.js';

const arn = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`;

/** A cluster's services and tasks as plain values; every call recorded. */
function fakePort(world: {
  active: number;
  services?: Record<string, ServiceRevisions[]>;
  tasks?: Record<string, string[]>;
  tasksComplete?: boolean;
  failDeregister?: number[];
  deregisterError?: Error;
  failServices?: Error;
}) {
  const calls: string[] = [];
  const port: RevisionsPort = {
    activeRevisions: async (family) => {
      calls.push(`ListTaskDefinitions ${family}`);
      return Array.from({ length: world.active }, (_, i) => arn(world.active - i));
    },
    servicesUsing: async (cluster) => {
      calls.push(`ListServices ${cluster}`);
      if (world.failServices) throw world.failServices;
      return world.services?.[cluster] ?? [];
    },
    runningTaskRevisions: async (cluster) => {
      calls.push(`ListTasks ${cluster}`);
      return { taskDefinitions: world.tasks?.[cluster] ?? [], complete: world.tasksComplete ?? true };
    },
    deregister: async (taskDefinition) => {
      calls.push(`Deregister ${taskDefinition.split('/')[1]}`);
      if (world.deregisterError && taskDefinition === arn(world.failDeregister?.[0] ?? -1)) {
        throw world.deregisterError;
      }
    },
  };
  return { port, calls };
}

function run(port: RevisionsPort, request: Partial<CleanupRequest> = {}) {
  const lines: string[] = [];
  const warnings: string[] = [];
  const report = deregisterOldRevisions(
    port,
    {
      family: 'web',
      keep: 2,
      clusters: ['prod'],
      newTaskDefinitionArn: arn(6),
      moreUsers: async () => [],
      ...request,
    },
    { info: (line) => lines.push(line), warning: (line) => warnings.push(line) },
  );
  return { report, lines, warnings };
}

const service = (
  name: string,
  revision: number,
  extra: Partial<ServiceRevisions> = {},
): ServiceRevisions => ({
  service: name,
  taskDefinition: arn(revision),
  deployments: [{ taskDefinition: arn(revision), status: 'PRIMARY' }],
  taskSets: [],
  ...extra,
});

describe('deregisterOldRevisions', () => {
  it('deregisters what the newest N leave, oldest first, and lists each', async () => {
    const { port, calls } = fakePort({ active: 6, services: { prod: [service('web', 6)] } });
    const { report, lines, warnings } = run(port);
    await expect(report).resolves.toEqual({
      deregistered: [arn(1), arn(2), arn(3), arn(4)],
      keptInUse: [],
      failed: [],
    });
    expect(calls).toEqual([
      'ListTaskDefinitions web',
      'ListServices prod',
      'ListTasks prod',
      'Deregister web:1',
      'Deregister web:2',
      'Deregister web:3',
      'Deregister web:4',
    ]);
    expect(lines[0]).toBe('Deregistered web:1 (older than the newest 2 ACTIVE revisions).');
    expect(warnings).toEqual([]);
  });

  it('never deregisters a revision a service, a deployment in flight, a task set, a task or the engine uses', async () => {
    const { port, calls } = fakePort({
      active: 8,
      services: {
        prod: [
          service('web', 8),
          service('worker', 3, {
            deployments: [
              { taskDefinition: arn(3), status: 'PRIMARY' },
              { taskDefinition: arn(2), status: 'ACTIVE' },
            ],
          }),
          service('admin', 8, { taskSets: [{ taskDefinition: arn(4), status: 'ACTIVE' }] }),
        ],
      },
      tasks: { prod: [arn(5), arn(5)] },
    });
    const { report, lines } = run(port, {
      newTaskDefinitionArn: arn(8),
      moreUsers: async () => [
        { taskDefinition: arn(6), by: 'rollback target of web' },
        { taskDefinition: 'web:1', by: 'rule/web-nightly' },
      ],
    });
    const done = await report;
    expect(done.deregistered).toEqual([]);
    expect(done.keptInUse.map(({ arn: kept, by }) => [kept.split('/')[1], by])).toEqual([
      ['web:1', ['rule/web-nightly']],
      ['web:2', ["service worker's deployment in flight"]],
      ['web:3', ['service worker']],
      ['web:4', ["service admin's ACTIVE task set"]],
      ['web:5', ['2 running tasks']],
      ['web:6', ['rollback target of web']],
    ]);
    expect(calls.filter((call) => call.startsWith('Deregister'))).toEqual([]);
    expect(lines.at(-1)).toBe(
      'Kept 6 older revisions because they are in use: web:1 by rule/web-nightly; ' +
        "web:2 by service worker's deployment in flight; web:3 by service worker; " +
        "web:4 by service admin's ACTIVE task set; web:5 by 2 running tasks; web:6 by rollback target of web.",
    );
  });

  it('scans nothing when nothing is older than the newest N', async () => {
    const { port, calls } = fakePort({ active: 2 });
    const { report, lines } = run(port, {
      newTaskDefinitionArn: arn(2),
      moreUsers: () => Promise.reject(new Error('not read')),
    });
    await expect(report).resolves.toEqual({ deregistered: [], keptInUse: [], failed: [] });
    expect(calls).toEqual(['ListTaskDefinitions web']);
    expect(lines).toEqual([
      'No old revisions of web to deregister: it has 2 ACTIVE revisions, and the newest 2 are kept.',
    ]);
  });

  it('deregisters nothing when a scan fails, and says why', async () => {
    const { port, calls } = fakePort({
      active: 5,
      failServices: new UserError('The AWS credentials in use are not allowed to call ecs:ListServices.', [
        'Grant ecs:ListServices.',
      ]),
    });
    const { report, warnings } = run(port, { newTaskDefinitionArn: arn(5) });
    expect((await report).skipped).toBe(
      'could not check what uses them in cluster "prod". The AWS credentials in use are not allowed to call ecs:ListServices. Grant ecs:ListServices.',
    );
    expect(calls.some((call) => call.startsWith('Deregister'))).toBe(false);
    expect(warnings).toEqual([
      'Deregistered no old revisions of web: could not check what uses them in cluster "prod". The AWS credentials in use are not allowed to call ecs:ListServices. Grant ecs:ListServices.',
    ]);
  });

  it('deregisters nothing when the running tasks could not all be read', async () => {
    const { port, calls } = fakePort({ active: 5, tasks: { prod: [arn(5)] }, tasksComplete: false });
    const { report } = run(port, { newTaskDefinitionArn: arn(5) });
    expect((await report).skipped).toMatch(
      /^cluster "prod" has more running tasks of web than ecs-shift reads/,
    );
    expect(calls.some((call) => call.startsWith('Deregister'))).toBe(false);
  });

  it('deregisters nothing when what else uses them cannot be read', async () => {
    const { port, calls } = fakePort({ active: 5 });
    const { report } = run(port, {
      newTaskDefinitionArn: arn(5),
      moreUsers: () => Promise.reject(new UserError('could not read the rules.')),
    });
    expect((await report).skipped).toBe('could not read the rules.');
    expect(calls.some((call) => call.startsWith('Deregister'))).toBe(false);
  });

  it('scans every cluster given, naming the cluster of each user', async () => {
    const { port, calls } = fakePort({
      active: 4,
      services: { prod: [service('web', 4)], batch: [service('jobs', 2)] },
      tasks: { batch: [arn(1)] },
    });
    const { report } = run(port, { newTaskDefinitionArn: arn(4), clusters: ['prod', 'batch', 'prod'] });
    const done = await report;
    expect(calls.filter((call) => call.startsWith('List'))).toEqual([
      'ListTaskDefinitions web',
      'ListServices prod',
      'ListTasks prod',
      'ListServices batch',
      'ListTasks batch',
    ]);
    expect(done.keptInUse).toEqual([
      { arn: arn(1), by: ['a running task in batch'] },
      { arn: arn(2), by: ['service batch/jobs'] },
    ]);
    expect(done.deregistered).toEqual([]);
  });

  it('goes on after one deregistration fails, reporting it', async () => {
    const { port, calls } = fakePort({
      active: 4,
      failDeregister: [1],
      deregisterError: new UserError('ECS DeregisterTaskDefinition: throttled.'),
    });
    const { report, warnings } = run(port, { newTaskDefinitionArn: arn(4) });
    const done = await report;
    expect(done.deregistered).toEqual([arn(2)]);
    expect(done.failed).toEqual([{ arn: arn(1), error: 'ECS DeregisterTaskDefinition: throttled.' }]);
    expect(calls.filter((call) => call.startsWith('Deregister'))).toEqual([
      'Deregister web:1',
      'Deregister web:2',
    ]);
    expect(warnings).toEqual(['Could not deregister web:1: ECS DeregisterTaskDefinition: throttled.']);
  });

  it('stops at a cancel, keeping what was done and changing nothing more', async () => {
    const { port, calls } = fakePort({
      active: 5,
      failDeregister: [2],
      deregisterError: new CancelledBeforeChange(
        'The workflow was cancelled before old revisions were deregistered; nothing further was changed.',
      ),
    });
    const { report, warnings } = run(port, { newTaskDefinitionArn: arn(5) });
    const done = await report;
    expect(done.deregistered).toEqual([arn(1)]);
    expect(done.skipped).toMatch(/^The workflow was cancelled/);
    expect(calls.filter((call) => call.startsWith('Deregister'))).toEqual([
      'Deregister web:1',
      'Deregister web:2',
    ]);
    expect(warnings[0]).toMatch(/^Stopped deregistering old revisions of web: The workflow was cancelled/);
  });
});
