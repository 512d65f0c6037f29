/**
 * `deregister-old-revisions`, through the bundle: after a successful release, the family's revisions
 * older than the newest N are deregistered, never one that a service, a running task, a scheduled
 * task or a rollback target uses; after a failure, none is.
 */
import { describe, expect, it } from '@jest/globals';
import { ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs';
import { releaseScenario, type Scenario, webTaskDefinition } from '../../sim/index.js';
import { mutatingCalls, runAction } from '../../sim/run-action.js';
import { annotation, requestsOf, simulate } from './setup.js';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:4f2a9c1';
const ARN = (revision: string) => `arn:aws:ecs:us-east-1:123456789012:task-definition/${revision}`;

/**
 * web:1 (what the rules and schedules run), web:2 (what the services run), then web:3 to web:5 that
 * nothing runs; the release registers web:6.
 */
function manyRevisions(options: Pick<Scenario, 'timings' | 'faults'> = {}) {
  const unused = [3, 4, 5].map((revision) => {
    const definition = webTaskDefinition();
    // Images that exist (a task of one may run), each revision a little different.
    definition.containerDefinitions[0].image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:2';
    definition.containerDefinitions[0].environment = [{ name: 'BUILD', value: `old-${revision}` }];
    return definition;
  });
  return releaseScenario({ taskDefinitions: unused, ...options });
}

const deregistered = (s: Awaited<ReturnType<typeof simulate>>) =>
  requestsOf(s, 'DeregisterTaskDefinition').map(
    (r) => (r.input as { taskDefinition: string }).taskDefinition,
  );

describe('deregister-old-revisions', () => {
  it('deregisters only what nothing uses, after the release, and lists it', async () => {
    const s = await simulate(manyRevisions());
    const run = await runAction(s, {
      inputs: {
        cluster: 'prod',
        service: 'web\nworker',
        'container-name': 'app',
        image: IMAGE,
        'deregister-old-revisions': '2',
      },
    });
    expect(run.code).toBe(0);
    expect(s.serviceTaskDefinition('prod', 'web')).toBe(ARN('web:6'));

    // Kept: web:6 and web:5 (the newest two), web:2 (admin runs it; web and worker roll back to it),
    // web:1 (the rules and schedules run it). The clean-up comes last.
    expect(deregistered(s)).toEqual([ARN('web:3'), ARN('web:4')]);
    expect(mutatingCalls(s).slice(-2)).toEqual(['DeregisterTaskDefinition', 'DeregisterTaskDefinition']);
    expect(run.log).toMatch(/^Deregistered web:3 \(older than the newest 2 ACTIVE revisions\)\.$/m);
    expect(run.log).toMatch(
      /^Kept 2 older revisions because they are in use: web:1 by rule\/web-hourly \(target web-sync\), rule\/web-nightly/m,
    );
    expect(run.log).toMatch(
      /; web:2 by service web's deployment in flight, service web's ACTIVE task set, service admin and 2 more\.$/m,
    );
    const headline = annotation(run.log, 'notice').split('\n');
    expect(headline).toContain('   Old revisions: deregistered web:3, web:4; kept web:1, web:2 (in use).');
    expect(run.summary).toContain('### Old revisions');
    expect(run.summary).toContain('| web:3 | 🗑️ deregistered |');
    expect(run.summary).toMatch(
      /\| web:1 \| kept, in use: rule\/web-hourly \(target web-sync\), rule\/web-nightly/,
    );
  });

  it('keeps a revision only a scheduled task in another cluster runs, and one a running task runs', async () => {
    // The one-off task outlives the release.
    const scenario = manyRevisions({ timings: { oneOffTask: 10_000 } });
    const warmup = scenario.scheduler!.schedules.find((candidate) => candidate.name === 'web-warmup')!;
    const target = warmup.target as unknown as { Arn: string; EcsParameters: { TaskDefinitionArn: string } };
    target.Arn = 'arn:aws:ecs:us-east-1:123456789012:cluster/batch';
    target.EcsParameters.TaskDefinitionArn = ARN('web:3');
    const s = await simulate(scenario);
    const ecs = new ECSClient({
      region: 'us-east-1',
      endpoint: s.url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    });
    await ecs.send(
      new RunTaskCommand({
        cluster: 'prod',
        taskDefinition: 'web:4',
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
      }),
    );
    const run = await runAction(s, {
      inputs: {
        cluster: 'prod',
        service: 'worker',
        'container-name': 'app',
        image: IMAGE,
        'deregister-old-revisions': '1',
      },
    });
    expect(run.code).toBe(0);
    expect(deregistered(s)).toEqual([ARN('web:5')]);
    expect(run.log).toMatch(/web:3 by schedule\/jobs\/web-warmup[;.]/);
    expect(run.log).toMatch(/web:4 by a running task[;.]/);
  });

  it('deregisters nothing after a failed release', async () => {
    const s = await simulate(manyRevisions({ faults: [{ kind: 'hookFails', event: 'AfterAllowTraffic' }] }));
    const run = await runAction(s, {
      inputs: {
        cluster: 'prod',
        service: 'web',
        'container-name': 'app',
        image: IMAGE,
        'deregister-old-revisions': '1',
      },
    });
    expect(run.code).toBe(1);
    expect(mutatingCalls(s)).not.toContain('DeregisterTaskDefinition');
    expect(requestsOf(s, 'ListTaskDefinitions')).toEqual([]);
  });
});
