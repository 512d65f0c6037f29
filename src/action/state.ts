/**
 * The one piece of state the main step hands to the post step: the deployment still in flight, if any.
 * Saved the moment it changes, so a step killed mid-wait still leaves the post step what it needs.
 */
import * as core from '@actions/core';
import type { InFlightDeployment } from '../release/runtime.js';

const IN_FLIGHT = 'inFlight';

export function saveInFlight(deployment: InFlightDeployment | undefined): void {
  core.saveState(IN_FLIGHT, deployment ? JSON.stringify(deployment) : '');
}

export function loadInFlight(): InFlightDeployment | undefined {
  const raw = core.getState(IN_FLIGHT);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as InFlightDeployment;
  } catch {
    return undefined;
  }
}
