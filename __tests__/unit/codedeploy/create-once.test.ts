import { describe, expect, it } from '@jest/globals';
import { DeploymentLimitExceededError } from '../../../src/aws/codedeploy.js';
import { awsUserError } from '../../../src/aws/errors.js';
import type { CreateDeploymentRequest, DeploymentInfo } from '../../../src/aws/ports.js';
import {
  type CreateOnce,
  createDeploymentOnce,
  MAX_DESCRIPTION_LENGTH,
  withRequestToken,
} from '../../../src/codedeploy/create-once.js';
import { scriptedCodeDeploy } from '../../helpers/codedeploy-fake.js';
import { testContext } from '../../helpers/context.js';

const REQUEST: CreateDeploymentRequest = {
  applicationName: 'AppECS-prod-web',
  deploymentGroupName: 'DgpECS-prod-web',
  revision: { revisionType: 'AppSpecContent' },
  description: 'Deployed by ecs-shift [ecs-shift:tok123]',
};

const networkError = (message: string, code: string) =>
  awsUserError('CodeDeploy', 'CreateDeployment', Object.assign(new Error(message), { code }));
const serverError = () =>
  awsUserError(
    'CodeDeploy',
    'CreateDeployment',
    Object.assign(new Error('internal'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }),
  );

/** One CreateDeployment answer: the id it creates, or an error (after starting `started`, if set). */
type Answer = string | { error: Error; started?: string };

/**
 * A group holding `existing` deployments (id → description, oldest first) whose CreateDeployment
 * gives each of `answers` in turn. `visibleAfter`: lookups that miss a new deployment (eventual consistency).
 */
function group(
  answers: Answer[],
  options: { existing?: Record<string, string>; maxRetries?: number; visibleAfter?: number } = {},
) {
  const port = scriptedCodeDeploy([{ status: 'InProgress' }]);
  const deployments: Record<string, string> = { ...options.existing };
  const created: string[] = [];
  let lookups = 0;
  port.createDeployment = async (request) => {
    port.calls.push('CreateDeployment');
    const answer = answers.shift();
    if (answer === undefined) throw new Error('no more answers scripted');
    const id = typeof answer === 'string' ? answer : answer.started;
    if (id) {
      created.push(id);
      deployments[id] = request.description ?? '';
    }
    if (typeof answer === 'string') return answer;
    throw answer.error;
  };
  port.listDeploymentsSince = async () => {
    port.calls.push('ListDeployments');
    const ids = Object.keys(deployments).reverse();
    return lookups++ < (options.visibleAfter ?? 0) ? ids.filter((id) => id in (options.existing ?? {})) : ids;
  };
  port.getDeployment = async (id) => {
    port.calls.push('GetDeployment');
    return { deploymentId: id, description: deployments[id] } as DeploymentInfo;
  };
  const t = testContext({ codeDeploy: port });
  const creates = () => port.calls.filter((c) => c === 'CreateDeployment').length;
  const once: CreateOnce = {
    token: 'tok123',
    deadline: Infinity,
    maxRetries: options.maxRetries,
    onCancel: 'rollback',
  };
  return { port, created, creates, once, ...t };
}

describe('withRequestToken', () => {
  it('appends the token to the description', () => {
    expect(withRequestToken('Deployed by ecs-shift', 'abc')).toBe('Deployed by ecs-shift [ecs-shift:abc]');
  });

  it("shortens a long description so the whole fits CodeDeploy's 512 characters, keeping the token", () => {
    const tagged = withRequestToken('x'.repeat(600), 'abc123');
    expect(tagged).toHaveLength(MAX_DESCRIPTION_LENGTH);
    expect(tagged.endsWith('… [ecs-shift:abc123]')).toBe(true);
  });
});

describe('createDeploymentOnce', () => {
  it('adopts the deployment a lost answer had started instead of creating a second one', async () => {
    const lost = { error: networkError('socket hang up', 'ECONNRESET'), started: 'd-LOST' };
    const g = group([lost, 'd-SECOND'], { existing: { 'd-OTHER': 'someone else' } });
    await expect(createDeploymentOnce(g.ctx, REQUEST, g.once)).resolves.toBe('d-LOST');
    expect(g.created).toEqual(['d-LOST']);
    expect(g.creates()).toBe(1);
    expect(g.lines.join('\n')).toMatch(/answer was lost, but it had started deployment d-LOST/);
  });

  it('retries after a backoff when the failed attempt started nothing', async () => {
    const g = group([{ error: serverError() }, { error: serverError() }, 'd-NEW'], {
      existing: { 'd-OTHER': 'someone else' },
    });
    await expect(createDeploymentOnce(g.ctx, REQUEST, g.once)).resolves.toBe('d-NEW');
    expect(g.created).toEqual(['d-NEW']);
    expect(g.clock.slept).toEqual([1_000, 2_000]);
    expect(g.lines[0]).toMatch(
      /no deployment of ours in the group, so trying again in 1s \(attempt 2 of 3\)/,
    );
  });

  it('finds its own deployment when the retry is refused because the group is busy with it', async () => {
    const timedOut = { error: networkError('Connection timed out', 'ETIMEDOUT'), started: 'd-LOST' };
    const busy = { error: new DeploymentLimitExceededError('busy', [], 'd-LOST') };
    // The lookup right after the timeout does not list d-LOST yet; the one after the refusal does.
    const g = group([timedOut, busy], { visibleAfter: 1 });
    await expect(createDeploymentOnce(g.ctx, REQUEST, g.once)).resolves.toBe('d-LOST');
    expect(g.created).toEqual(['d-LOST']);
    expect(g.creates()).toBe(2);
  });

  it('passes on "group busy" at once when no attempt of ours can have started anything', async () => {
    const busy = new DeploymentLimitExceededError('busy', [], 'd-OLD');
    const g = group([{ error: busy }]);
    await expect(createDeploymentOnce(g.ctx, REQUEST, g.once)).rejects.toBe(busy);
    expect(g.port.calls).toEqual(['CreateDeployment']);
  });

  it('does not retry an error that is not transient, and looks for nothing', async () => {
    const denied = awsUserError(
      'CodeDeploy',
      'CreateDeployment',
      Object.assign(new Error('denied'), { name: 'AccessDeniedException' }),
    );
    const g = group([{ error: denied }]);
    await expect(createDeploymentOnce(g.ctx, REQUEST, g.once)).rejects.toThrow(
      /CreateDeployment failed: denied/,
    );
    expect(g.port.calls).toEqual(['CreateDeployment']);
  });

  it('gives up after max-retries + 1 attempts with the last error', async () => {
    const refused = () => ({ error: networkError('connect ECONNREFUSED 10.0.0.1:443', 'ECONNREFUSED') });
    const g = group([refused(), refused(), refused()], { maxRetries: 1 });
    await expect(createDeploymentOnce(g.ctx, REQUEST, g.once)).rejects.toThrow(/ECONNREFUSED/);
    expect(g.creates()).toBe(2);
    expect(g.created).toEqual([]);
  });

  it('saves the request token before the first attempt, and clears it when CreateDeployment refuses outright', async () => {
    const denied = awsUserError(
      'CodeDeploy',
      'CreateDeployment',
      Object.assign(new Error('denied'), { name: 'AccessDeniedException' }),
    );
    const g = group([{ error: denied }]);
    await expect(createDeploymentOnce(g.ctx, REQUEST, g.once)).rejects.toThrow(/denied/);
    expect(g.inFlight).toEqual([
      {
        kind: 'codedeploy-requested',
        application: 'AppECS-prod-web',
        deploymentGroup: 'DgpECS-prod-web',
        token: 'tok123',
        requestedAt: g.clock.now(),
        onCancel: 'rollback',
      },
      undefined,
    ]);
  });

  it('a cancel during the backoff after a lost answer adopts the deployment that answer started', async () => {
    const lost = { error: networkError('socket hang up', 'ECONNRESET'), started: 'd-LOST' };
    // The first lookup misses d-LOST (eventual consistency); the cancel arrives during the backoff.
    const g = group([lost, 'd-SECOND'], { visibleAfter: 1 });
    const cancel = new AbortController();
    g.ctx.signal = cancel.signal;
    g.ctx.clock = { ...g.clock, sleep: async () => cancel.abort('SIGINT') };
    await expect(createDeploymentOnce(g.ctx, REQUEST, g.once)).resolves.toBe('d-LOST');
    expect(g.creates()).toBe(1);
  });

  it('a cancel during the backoff creates nothing more, and keeps the token for the post step', async () => {
    const g = group([{ error: serverError() }, 'd-SECOND']);
    const cancel = new AbortController();
    g.ctx.signal = cancel.signal;
    g.ctx.clock = { ...g.clock, sleep: async () => cancel.abort('SIGINT') };
    await expect(createDeploymentOnce(g.ctx, REQUEST, g.once)).rejects.toThrow(
      /cancelled while CreateDeployment was being retried; no deployment of ours is in the group/,
    );
    expect(g.creates()).toBe(1);
    expect(g.inFlight.at(-1)).toMatchObject({ kind: 'codedeploy-requested', token: 'tok123' });
  });

  it('starts no retry past the wait-for-minutes deadline', async () => {
    const g = group([{ error: serverError() }, 'd-NEW']);
    await expect(
      createDeploymentOnce(g.ctx, REQUEST, { ...g.once, deadline: g.clock.now() + 500 }),
    ).rejects.toThrow(/the wait-for-minutes deadline leaves no time to try again/);
    expect(g.creates()).toBe(1);
    expect(g.clock.slept).toEqual([]);
  });

  it('adopts the deployment even when the lost answer was the last attempt allowed', async () => {
    const lost = { error: networkError('socket hang up', 'ECONNRESET'), started: 'd-LOST' };
    const g = group([lost], { maxRetries: 0 });
    await expect(createDeploymentOnce(g.ctx, REQUEST, g.once)).resolves.toBe('d-LOST');
    expect(g.creates()).toBe(1);
  });
});
