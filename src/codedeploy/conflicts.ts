/**
 * `on-conflict`: an earlier deployment still holds the CodeDeploy group. Wait for it (naming it), stop
 * it with rollback and then wait for the group to clear, or fail — before our deployment is created.
 */
import { UserError } from '../text/errors.js';
import { codeDeployDeploymentUrl } from '../report/console-urls.js';
import { DEFAULT_POLL_INTERVAL_MS } from '../release/pace.js';
import { throwIfCancelled } from '../release/cancel.js';
import type { Runtime } from '../release/runtime.js';
import type { OnConflict } from '../settings/settings.js';
import { capitalize } from '../text/format.js';

export interface GroupRef {
  application: string;
  deploymentGroup: string;
}

/**
 * With on-conflict: fail, a busy group is an input problem found before anything changes (the plan
 * calls this before registering); the create step checks again for one that slipped in since.
 */
export async function refuseIfBusy(rt: Runtime, group: GroupRef, onConflict: OnConflict): Promise<void> {
  if (onConflict !== 'fail') return;
  const active = await rt.codeDeploy.listActiveDeployments(group.application, group.deploymentGroup);
  if (active.length > 0) throw busyGroup(rt, group, active);
}

function busyGroup(rt: Runtime, group: GroupRef, active: string[]): UserError {
  const where = `deployment group "${group.deploymentGroup}" (application "${group.application}")`;
  const link = (id: string) => `${id} (${codeDeployDeploymentUrl(rt.region, id)})`;
  return new UserError(
    `${capitalize(where)} already has an active deployment: ${active.map(link).join(', ')}. ` +
      `on-conflict is "fail", so nothing was changed. Let it finish, or set on-conflict to "wait" or "stop".`,
  );
}

/** Returns once the group has no active deployment; throws a UserError when it must not wait. */
export async function clearTheWay(
  rt: Runtime,
  group: GroupRef,
  { onConflict, deadline }: { onConflict: OnConflict; deadline: number },
): Promise<void> {
  const { codeDeploy, clock } = rt;
  const where = `deployment group "${group.deploymentGroup}" (application "${group.application}")`;
  const link = (id: string) => `${id} (${codeDeployDeploymentUrl(rt.region, id)})`;
  let active = await codeDeploy.listActiveDeployments(group.application, group.deploymentGroup);
  if (active.length === 0) return;

  if (onConflict === 'fail') throw busyGroup(rt, group, active);
  if (onConflict === 'stop') {
    for (const id of active) {
      // Stopping someone else's deployment is a change: not after a cancel.
      throwIfCancelled(rt, `deployment ${id} was stopped (on-conflict: stop)`);
      rt.info(
        `Stopping deployment ${link(id)} with rollback, which still holds ${where} (on-conflict: stop).`,
      );
      await codeDeploy.stopDeployment(id, true);
    }
  }

  let announced = '';
  const interval = Math.min(rt.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, rt.maxPollDelayMs ?? Infinity);
  while (active.length > 0) {
    const key = active.join(',');
    if (key !== announced) {
      rt.onEvent({
        type: 'note',
        at: clock.now(),
        message: `Waiting for ${active.length === 1 ? 'deployment' : 'deployments'} ${active.map(link).join(', ')} to finish: it holds ${where}.`,
      });
      announced = key;
    }
    if (rt.signal.aborted) {
      throw new UserError(
        `${capitalize(rt.words.cancelled)} while waiting for ${active.join(', ')} in ${where}; no deployment was created.`,
      );
    }
    if (clock.now() >= deadline) {
      throw new UserError(
        `${capitalize(where)} was still busy with ${active.map(link).join(', ')} at the wait-for-minutes deadline; no deployment was created. ` +
          `Raise wait-for-minutes, or set on-conflict: stop to stop the earlier deployment.`,
      );
    }
    await clock.sleep(Math.max(0, Math.min(interval, deadline - clock.now())), rt.signal);
    active = await codeDeploy.listActiveDeployments(group.application, group.deploymentGroup);
  }
  rt.info(`${capitalize(where)} is free; starting our deployment.`);
}
