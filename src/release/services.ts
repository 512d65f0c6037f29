/**
 * One step, several services: each service gets the step's settings with its own cluster, service and
 * CodeDeploy names, and its own label for the log. Pure.
 */
import type { ServiceTarget, Settings } from '../settings/settings.js';
import type { Runtime } from './runtime.js';

/** The step's settings as one service's deployment sees them. */
export function settingsForService(settings: Settings, target: ServiceTarget): Settings {
  const cluster = target.cluster.split('/').pop() ?? target.cluster;
  const { given } = settings.codeDeploy;
  return {
    ...settings,
    target: { ...settings.target, cluster: target.cluster, service: target.service },
    codeDeploy: {
      ...settings.codeDeploy,
      application: given?.application ?? `AppECS-${cluster}-${target.service}`,
      deploymentGroup: given?.deploymentGroup ?? `DgpECS-${cluster}-${target.service}`,
    },
  };
}

/** How the log names each service: its name, or cluster/name when the step spans clusters. */
export function serviceLabels(targets: readonly ServiceTarget[]): string[] {
  const clusters = new Set(targets.map((t) => t.cluster.split('/').pop()));
  return targets.map((t) => (clusters.size > 1 ? `${t.cluster.split('/').pop()}/${t.service}` : t.service));
}

/** One service's view of the runtime: its log lines and progress events carry its label. */
export function labelledRuntime<R extends Runtime>(rt: R, label: string): R {
  return {
    ...rt,
    info: (line) => rt.info(`[${label}] ${line}`),
    warning: (line) => rt.warning(`[${label}] ${line}`),
    notice: (line) => rt.notice(`[${label}] ${line}`),
    onEvent: (event) => rt.onEvent({ ...event, service: label }),
  };
}
