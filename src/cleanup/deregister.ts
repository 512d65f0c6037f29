/**
 * `deregister-old-revisions: N`, after a successful release: keep the family's newest N ACTIVE
 * revisions and deregister the older ones, never one that something uses. Every cluster given is
 * scanned first (its services: their task definitions, deployments in flight and task sets; its
 * running and pending tasks), then the engine's own users are added (rollback targets, scheduled
 * tasks). When any part of the scan fails or is incomplete, nothing is deregistered: a revision is
 * never guessed unused.
 */
import type { RevisionsPort, ServiceRevisions } from '../aws/ports.js';
import { CancelledBeforeChange } from '../release/cancel.js';
import { UserError, errorMessage } from '../text/errors.js';
import { revisionsToDeregister, shortName } from './choose.js';

export interface CleanupRequest {
  family: string;
  /** How many of the newest ACTIVE revisions to keep (at least 1: the released one counts). */
  keep: number;
  /** Every cluster to scan for services and tasks on the family (the release's, at least). */
  clusters: string[];
  newTaskDefinitionArn: string;
  /**
   * What else uses a revision, as the engine knows it (`rollback target of web`, `rule/web-nightly`):
   * read only when there is something to deregister. A throw skips the clean-up.
   */
  moreUsers: () => Promise<{ taskDefinition: string; by: string }[]>;
}

export interface CleanupReport {
  /** Oldest first. */
  deregistered: string[];
  /** Older than the newest N, kept because something uses them. */
  keptInUse: { arn: string; by: string[] }[];
  failed: { arn: string; error: string }[];
  /** Why the clean-up did not run (a scan failed or was incomplete) or stopped (a cancel); absent when it ran. */
  skipped?: string;
}

export interface CleanupLog {
  info(line: string): void;
  warning(line: string): void;
}

/** At most this many revisions are named in the "kept because in use" line. */
const MAX_NAMED = 10;
/** At most this many users are named per revision. */
const MAX_USERS_NAMED = 3;

export async function deregisterOldRevisions(
  port: RevisionsPort,
  request: CleanupRequest,
  log: CleanupLog,
): Promise<CleanupReport> {
  const { family, keep, newTaskDefinitionArn } = request;
  const skip = (reason: string): CleanupReport => {
    log.warning(`Deregistered no old revisions of ${family}: ${reason}`);
    return { deregistered: [], keptInUse: [], failed: [], skipped: reason };
  };
  if (!Number.isInteger(keep) || keep < 1) {
    return skip(`deregister-old-revisions must be a whole number of at least 1, got ${String(keep)}.`);
  }

  let active: string[];
  try {
    active = await port.activeRevisions(family);
  } catch (error) {
    return skip(`could not list its ACTIVE revisions. ${problemOf(error)}`);
  }
  // Nothing older than the newest N (and the released one): no scan needed.
  const candidates = revisionsToDeregister(active, keep, new Map(), newTaskDefinitionArn);
  if (candidates.deregister.length === 0) {
    log.info(
      `No old revisions of ${family} to deregister: it has ${active.length} ACTIVE ${plural(active.length, 'revision')}, ` +
        `and the newest ${keep} are kept.`,
    );
    return { deregistered: [], keptInUse: [], failed: [] };
  }

  const clusters = [...new Set(request.clusters)];
  if (clusters.length === 0) return skip('no cluster was given to check for services and tasks using them.');
  const inUse = new Map<string, string[]>();
  const use = (taskDefinition: string, by: string) => {
    const users = inUse.get(taskDefinition) ?? [];
    if (!users.includes(by)) users.push(by);
    inUse.set(taskDefinition, users);
  };
  for (const cluster of clusters) {
    const where = clusters.length > 1 ? `${cluster}/` : '';
    let services: ServiceRevisions[];
    let tasks: { taskDefinitions: string[]; complete: boolean };
    try {
      services = await port.servicesUsing(cluster);
      tasks = await port.runningTaskRevisions(cluster, family);
    } catch (error) {
      return skip(`could not check what uses them in cluster "${cluster}". ${problemOf(error)}`);
    }
    if (!tasks.complete) {
      return skip(
        `cluster "${cluster}" has more running tasks of ${family} than ecs-shift reads ` +
          `(${tasks.taskDefinitions.length}), so it cannot tell which revisions they run.`,
      );
    }
    for (const service of services) usersOf(service, `${where}${service.service}`, use);
    const counts = new Map<string, number>();
    for (const arn of tasks.taskDefinitions) counts.set(arn, (counts.get(arn) ?? 0) + 1);
    for (const [arn, count] of counts) {
      use(
        arn,
        `${count === 1 ? 'a running task' : `${count} running tasks`}${where ? ` in ${cluster}` : ''}`,
      );
    }
  }
  let moreUsers: { taskDefinition: string; by: string }[];
  try {
    moreUsers = await request.moreUsers();
  } catch (error) {
    return skip(problemOf(error));
  }
  for (const { taskDefinition, by } of moreUsers) use(taskDefinition, by);

  const choice = revisionsToDeregister(active, keep, inUse, newTaskDefinitionArn);
  const deregistered: string[] = [];
  const failed: CleanupReport['failed'] = [];
  for (const arn of choice.deregister) {
    try {
      await port.deregister(arn);
      deregistered.push(arn);
      log.info(
        `Deregistered ${shortName(arn)} (older than the newest ${keep} ACTIVE ${plural(keep, 'revision')}).`,
      );
    } catch (error) {
      // A cancel stops the clean-up: nothing further is changed, what is done stays done.
      if (error instanceof CancelledBeforeChange) {
        log.warning(`Stopped deregistering old revisions of ${family}: ${error.message}`);
        return { deregistered, keptInUse: choice.keptInUse, failed, skipped: error.message };
      }
      const problem = problemOf(error);
      failed.push({ arn, error: problem });
      log.warning(`Could not deregister ${shortName(arn)}: ${problem}`);
    }
  }
  if (choice.keptInUse.length > 0) log.info(keptLine(choice.keptInUse));
  return { deregistered, keptInUse: choice.keptInUse, failed };
}

/** "service web" for what the service runs; its deployments and task sets on other revisions apart. */
function usersOf(service: ServiceRevisions, name: string, use: (arn: string, by: string) => void): void {
  const own = service.taskDefinition;
  if (own) use(own, `service ${name}`);
  for (const deployment of service.deployments) {
    if (deployment.taskDefinition !== own)
      use(deployment.taskDefinition, `service ${name}'s deployment in flight`);
  }
  for (const taskSet of service.taskSets) {
    if (taskSet.taskDefinition !== own) {
      use(taskSet.taskDefinition, `service ${name}'s ${taskSet.status ? `${taskSet.status} ` : ''}task set`);
    }
  }
}

/** `Kept 2 older revisions because they are in use: web:1 by rollback target of web; web:3 by service worker.` */
function keptLine(kept: { arn: string; by: string[] }[]): string {
  const named = kept.slice(0, MAX_NAMED).map(({ arn, by }) => {
    const users = by.slice(0, MAX_USERS_NAMED).join(', ');
    const more = by.length > MAX_USERS_NAMED ? ` and ${by.length - MAX_USERS_NAMED} more` : '';
    return `${shortName(arn)} by ${users}${more}`;
  });
  const rest = kept.length > MAX_NAMED ? `; and ${kept.length - MAX_NAMED} more` : '';
  const count = `${kept.length} older ${plural(kept.length, 'revision')}`;
  return `Kept ${count} because ${kept.length === 1 ? 'it is' : 'they are'} in use: ${named.join('; ')}${rest}.`;
}

/** A UserError's message and hints (what to grant, what to check); anything else, its message. */
function problemOf(error: unknown): string {
  if (error instanceof UserError) return [error.message, ...error.details].join(' ');
  return errorMessage(error);
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
