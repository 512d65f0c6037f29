/**
 * `service` (one per line: `web`, `prod/web` or a service ARN), `max-parallel` and
 * `on-service-failure`: which services one step releases the new revision to, how many deploy at once,
 * and what a failure of one does to the others.
 */
import { describeValue } from '../text/errors.js';
import type { InputReader } from './parse.js';
import type { OnServiceFailure, ServiceTarget } from './settings.js';

/** Deployments followed at once when `max-parallel` is unset: enough for an app, gentle on ECS's API rate. */
export const DEFAULT_MAX_PARALLEL = 4;
/** ECS and CodeDeploy throttle a burst of describes from one account; more at once only waits longer. */
export const MAX_PARALLEL = 10;

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const SERVICE_ARN =
  /^arn:([\w-]+):ecs:([\w-]+):(\d{12}):service\/(?:([A-Za-z0-9_-]{1,255})\/)?([A-Za-z0-9_-]{1,255})$/;

export type ServiceInputName = 'service' | 'max-parallel' | 'on-service-failure';

export interface ServiceInputs {
  services: ServiceTarget[];
  maxParallel: number;
  onServiceFailure: OnServiceFailure;
}

/**
 * The services, each with its cluster (`cluster` unless the line names one; a service ARN's as a
 * cluster ARN). A short-form service ARN (no cluster in it) keeps `cluster`; the same service twice is
 * a mistake worth stopping for.
 */
export function parseServiceInputs<Name extends string>(
  read: InputReader<Name | ServiceInputName>,
  cluster: string,
): ServiceInputs {
  const services: ServiceTarget[] = [];
  const example = 'service: web, or several, one per line: web, worker, prod/admin';
  for (const { text, line } of read.lines('service')) {
    const target = serviceTarget(text, cluster);
    if (!target) {
      read.fail(
        'service',
        `line ${line} (${describeValue(text)}) is not a service. Expected a service name, cluster/service or a service ARN, e.g. ${example}.`,
      );
      continue;
    }
    const twice = services.find(
      (s) => s.service === target.service && sameCluster(s.cluster, target.cluster),
    );
    if (twice) {
      read.fail(
        'service',
        `names ${target.service} in cluster ${shortCluster(target.cluster)} twice (line ${line}). Name each service once.`,
      );
      continue;
    }
    services.push(target);
  }
  const maxParallel = read.count('max-parallel', 'max-parallel: 2') ?? DEFAULT_MAX_PARALLEL;
  if (maxParallel < 1 || maxParallel > MAX_PARALLEL) {
    read.fail(
      'max-parallel',
      `${maxParallel} is out of range. Expected 1 (one service after the other) to ${MAX_PARALLEL}, e.g. max-parallel: 2.`,
    );
  }
  const onServiceFailure =
    read.oneOf<OnServiceFailure>('on-service-failure', ['stop-others', 'continue']) ?? 'stop-others';
  return { services, maxParallel, onServiceFailure };
}

function serviceTarget(text: string, cluster: string): ServiceTarget | undefined {
  if (text.startsWith('arn:')) {
    const match = SERVICE_ARN.exec(text);
    if (!match) return undefined;
    const [, partition, region, account, clusterName, service] = match;
    // As a cluster ARN, so that the plan refuses a service of another region or account (checkClusterArn).
    const clusterOfArn = clusterName && `arn:${partition}:ecs:${region}:${account}:cluster/${clusterName}`;
    return { cluster: clusterOfArn ?? cluster, service: service! };
  }
  const parts = text.split('/');
  if (parts.length === 1 && NAME.test(text)) return { cluster, service: text };
  if (parts.length === 2 && NAME.test(parts[0]!) && NAME.test(parts[1]!)) {
    return { cluster: parts[0]!, service: parts[1]! };
  }
  return undefined;
}

function shortCluster(cluster: string): string {
  return cluster.split('/').pop() ?? cluster;
}

function sameCluster(a: string, b: string): boolean {
  return shortCluster(a) === shortCluster(b);
}
