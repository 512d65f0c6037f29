/**
 * Which of a family's ACTIVE revisions `deregister-old-revisions: N` deregisters: those older than the
 * newest N, except the released one and any that something uses. Pure: the scan that finds the users
 * is deregister.ts's.
 */
import { parseTaskDefinitionRef } from '../schedules/targets.js';

export interface RevisionChoice {
  /** Oldest first, the order they are deregistered in. */
  deregister: string[];
  /** Older than the newest N but in use, oldest first, with who uses each. */
  keptInUse: { arn: string; by: string[] }[];
}

/**
 * `active` is the family's ACTIVE revisions, newest first (ListTaskDefinitions sort DESC). The newest
 * `keep` are kept, and so is `newArn` (the released revision): when it is one of the newest it counts
 * toward `keep`; when it is older (a reused revision) it is kept as well, never in place of a newer one.
 * `inUse` maps a revision (ARN, `family:revision`, or a family alone: its newest ACTIVE revision) to
 * who uses it. Revisions are compared as `family:revision`.
 */
export function revisionsToDeregister(
  active: string[],
  keep: number,
  inUse: Map<string, string[]>,
  newArn: string,
): RevisionChoice {
  const newest = unique(active);
  const users = new Map<string, string[]>();
  for (const [ref, by] of inUse) {
    // A family alone (as a schedule may name it) runs its newest ACTIVE revision.
    const key = keyOf(ref) ?? keyOf(newest.find((arn) => familyOf(arn) === ref) ?? '');
    if (!key) continue;
    users.set(key, unique([...(users.get(key) ?? []), ...by]));
  }
  // Not a number: keep everything (settings validate `keep`; this is only the last guard).
  const count = Number.isFinite(keep) ? Math.max(1, Math.floor(keep)) : newest.length;
  const kept = new Set(newest.slice(0, count).map((arn) => keyOf(arn)));
  kept.add(keyOf(newArn) ?? newArn);
  const deregister: string[] = [];
  const keptInUse: RevisionChoice['keptInUse'] = [];
  for (const arn of [...newest].reverse()) {
    const key = keyOf(arn);
    if (!key || kept.has(key)) continue;
    const by = users.get(key);
    if (by && by.length > 0) keptInUse.push({ arn, by });
    else deregister.push(arn);
  }
  return { deregister, keptInUse };
}

/** `web:3` for `arn:…:task-definition/web:3` (and for `web:3`); anything else as it is. */
export function shortName(ref: string): string {
  return keyOf(ref) ?? ref;
}

/** `family:revision` of a revision's ARN or short name; undefined for a family alone or anything else. */
function keyOf(ref: string): string | undefined {
  const parsed = parseTaskDefinitionRef(ref);
  return parsed?.revision === undefined ? undefined : `${parsed.family}:${parsed.revision}`;
}

function familyOf(ref: string): string | undefined {
  return parseTaskDefinitionRef(ref)?.family;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
