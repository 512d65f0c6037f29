/**
 * What changed between the revision a service ran (as DescribeTaskDefinition returned it) and the
 * register input about to replace it: per container (matched by name) and for the task, setting by
 * setting. What AWS fills in (read-only keys, defaults, the host port awsvpc copies) is normalised
 * away first, so only what a person changed shows. Pure.
 *
 * Environment variable and docker label values never enter the result, only their names: in
 * practice environments hold secrets. Secrets and secret options are reported by name too.
 */
import { READ_ONLY_TASK_DEFINITION_KEYS } from './clean.js';
import { isPlainObject } from '../text/format.js';

/** A setting whose value changed; an absent side means "not set" (after normalisation). */
export interface ValueChange {
  kind: 'value';
  /** `cpu`, `healthCheck.interval`, `linuxParameters.initProcessEnabled`, `volumes[data].host.sourcePath` */
  setting: string;
  before?: string;
  after?: string;
}

export type EntryChangeKind = 'added' | 'removed' | 'value changed' | 'source changed';

/** One named entry of a list or map (an environment variable, a secret, a label): name only. */
export interface EntryChange {
  name: string;
  change: EntryChangeKind;
}

/** A list or map compared entry by entry, by name, without the values. */
export interface EntriesChange {
  kind: 'entries';
  /** `environment`, `secrets`, `environmentFiles`, `dockerLabels`, `logConfiguration.secretOptions`, `volumes` */
  setting: string;
  entries: EntryChange[];
}

export type SettingChange = ValueChange | EntriesChange;

export interface ContainerPresence {
  name: string;
  image?: string;
}

export interface ContainerChanges {
  name: string;
  changes: SettingChange[];
}

export interface ContainerRename {
  before: string;
  after: string;
  /** What else changed, the name aside. */
  changes: SettingChange[];
}

export interface TaskDefinitionDiff {
  containers: {
    added: ContainerPresence[];
    removed: ContainerPresence[];
    renamed: ContainerRename[];
    /** Containers in both, by name, with at least one change; in the new definition's order. */
    changed: ContainerChanges[];
  };
  /** Task-level settings. */
  task: SettingChange[];
  /** Nothing differs. */
  empty: boolean;
}

type Definition = Record<string, unknown>;
type Differ = (setting: string, before: unknown, after: unknown) => SettingChange[];

/** Longest value the diff keeps (the report cuts shorter); image URIs are kept whole. */
const MAX_VALUE_LENGTH = 500;

export function diffTaskDefinitions(before: Definition, after: Definition): TaskDefinitionDiff {
  const containers = diffContainers(containersOf(before), containersOf(after));
  const task = diffTask(before, after);
  const empty =
    task.length === 0 &&
    containers.added.length === 0 &&
    containers.removed.length === 0 &&
    containers.renamed.length === 0 &&
    containers.changed.length === 0;
  return { containers, task, empty };
}

// ——— containers ———

function containersOf(definition: Definition): Definition[] {
  const list = definition.containerDefinitions;
  return Array.isArray(list) ? list.filter(isPlainObject) : [];
}

function nameOf(container: Definition): string {
  return typeof container.name === 'string' ? container.name : '';
}

function imageOf(container: Definition): string | undefined {
  return typeof container.image === 'string' && container.image !== '' ? container.image : undefined;
}

function presence(container: Definition): ContainerPresence {
  const image = imageOf(container);
  return image === undefined ? { name: nameOf(container) } : { name: nameOf(container), image };
}

function diffContainers(before: Definition[], after: Definition[]): TaskDefinitionDiff['containers'] {
  const beforeByName = new Map(before.map((container) => [nameOf(container), container]));
  const afterNames = new Set(after.map(nameOf));
  const changed: ContainerChanges[] = [];
  const onlyAfter: Definition[] = [];
  for (const container of after) {
    const old = beforeByName.get(nameOf(container));
    if (!old) {
      onlyAfter.push(container);
      continue;
    }
    const changes = diffContainer(old, container);
    if (changes.length > 0) changed.push({ name: nameOf(container), changes });
  }
  const onlyBefore = before.filter((container) => !afterNames.has(nameOf(container)));

  const renames = pairRenames(onlyBefore, onlyAfter);
  const renamedBefore = new Set(renames.map(([old]) => old));
  const renamedAfter = new Set(renames.map(([, renamed]) => renamed));
  return {
    added: onlyAfter.filter((container) => !renamedAfter.has(container)).map(presence),
    removed: onlyBefore.filter((container) => !renamedBefore.has(container)).map(presence),
    renamed: renames.map(([old, renamed]) => ({
      before: nameOf(old),
      after: nameOf(renamed),
      changes: diffContainer(old, renamed),
    })),
    changed,
  };
}

/**
 * A removed and an added container are one container renamed when they are the only ones, or when
 * they are the only pair running images of the same repository.
 */
function pairRenames(removed: Definition[], added: Definition[]): [Definition, Definition][] {
  if (removed.length === 1 && added.length === 1) return [[removed[0], added[0]]];
  const withRepository = (list: Definition[], repository: string) =>
    list.filter((container) => repositoryOf(imageOf(container)) === repository);
  const pairs: [Definition, Definition][] = [];
  for (const old of removed) {
    const repository = repositoryOf(imageOf(old));
    if (repository === undefined) continue;
    const sameBefore = withRepository(removed, repository);
    const sameAfter = withRepository(added, repository);
    if (sameBefore.length === 1 && sameAfter.length === 1) pairs.push([old, sameAfter[0]]);
  }
  return pairs;
}

/** The image URI without its tag or digest; a registry's `:port` is not a tag. */
function repositoryOf(image: string | undefined): string | undefined {
  if (image === undefined) return undefined;
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}

/** Settings with a comparison of their own, in the order a report lists them. */
const CONTAINER_SETTINGS: [string, Differ][] = [
  ['image', diffImage],
  ['environment', byName((list) => namedValues(list, 'value'), 'value changed')],
  ['environmentFiles', byName(environmentFiles, 'value changed')],
  ['secrets', byName((list) => namedValues(list, 'valueFrom'), 'source changed')],
  ['portMappings', asSet(portLabels)],
  ['cpu', asScalar(0)], // AWS writes an unset cpu as 0
  ['memory', asScalar()],
  ['memoryReservation', asScalar()],
  ['command', diffNested],
  ['entryPoint', diffNested],
  ['healthCheck', diffHealthCheck],
  ['essential', diffEssential],
  ['dependsOn', asSet(dependencyLabels)], // ECS starts what a container waits for in any order
  ['logConfiguration', diffLogConfiguration],
  ['dockerLabels', byName(mapValues, 'value changed')],
];

function diffContainer(before: Definition, after: Definition): SettingChange[] {
  const ownComparison = new Set(['name', ...CONTAINER_SETTINGS.map(([key]) => key)]);
  return [
    ...CONTAINER_SETTINGS.flatMap(([key, differ]) => differ(key, before[key], after[key])),
    ...otherKeys(before, after, ownComparison).flatMap((key) => diffNested(key, before[key], after[key])),
  ];
}

function diffImage(setting: string, before: unknown, after: unknown): SettingChange[] {
  const old = typeof before === 'string' && before !== '' ? before : undefined;
  const next = typeof after === 'string' && after !== '' ? after : undefined;
  return old === next ? [] : [valueChange(setting, old, next)]; // whole URIs: the report decides how to show them
}

/** `essential` is true unless written false. */
function diffEssential(setting: string, before: unknown, after: unknown): SettingChange[] {
  const old = String(before !== false);
  const next = String(after !== false);
  return old === next ? [] : [valueChange(setting, old, next)];
}

/** What ECS uses when a health check leaves a setting out (DescribeTaskDefinition writes them in). */
const HEALTH_CHECK_DEFAULTS: Record<string, number> = {
  interval: 30,
  timeout: 5,
  retries: 3,
  startPeriod: 0,
};

function diffHealthCheck(setting: string, before: unknown, after: unknown): SettingChange[] {
  const old = isPlainObject(before) ? before : {};
  const next = isPlainObject(after) ? after : {};
  const keys = ['command', ...Object.keys(HEALTH_CHECK_DEFAULTS)];
  return [
    ...keys.map((key) =>
      key in HEALTH_CHECK_DEFAULTS
        ? diffScalar(`${setting}.${key}`, old[key], next[key], HEALTH_CHECK_DEFAULTS[key])
        : diffNested(`${setting}.${key}`, old[key], next[key]),
    ),
    ...otherKeys(old, next, new Set(keys)).map((key) => diffNested(`${setting}.${key}`, old[key], next[key])),
  ].flat();
}

function diffLogConfiguration(setting: string, before: unknown, after: unknown): SettingChange[] {
  const { secretOptions: oldSecrets, ...old } = isPlainObject(before) ? before : {};
  const { secretOptions: nextSecrets, ...next } = isPlainObject(after) ? after : {};
  return [
    ...diffNested(setting, old, next),
    ...diffEntries(
      `${setting}.secretOptions`,
      namedValues(oldSecrets, 'valueFrom'),
      namedValues(nextSecrets, 'valueFrom'),
      'source changed',
    ),
  ];
}

// ——— the task ———

/** Not compared: read-only keys, the containers (compared above), and tags (DescribeTaskDefinition leaves them out). */
const NOT_TASK_SETTINGS = new Set<string>([
  ...READ_ONLY_TASK_DEFINITION_KEYS,
  'containerDefinitions',
  'tags',
]);

const TASK_SETTINGS: [string, Differ][] = [
  ['family', diffNested],
  ['cpu', diffTaskSize],
  ['memory', diffTaskSize],
  ['taskRoleArn', diffNested],
  ['executionRoleArn', diffNested],
  ['networkMode', diffNested],
  ['requiresCompatibilities', asSet(stringList)],
  ['runtimePlatform', diffNested],
  ['volumes', diffVolumes],
  ['ephemeralStorage', diffNested],
  ['placementConstraints', diffNested],
  ['pidMode', diffNested],
  ['ipcMode', diffNested],
  ['proxyConfiguration', diffNested],
];

function diffTask(before: Definition, after: Definition): SettingChange[] {
  const ownComparison = new Set([...NOT_TASK_SETTINGS, ...TASK_SETTINGS.map(([key]) => key)]);
  return [
    ...TASK_SETTINGS.flatMap(([key, differ]) => differ(key, before[key], after[key])),
    ...otherKeys(before, after, ownComparison).flatMap((key) => diffNested(key, before[key], after[key])),
  ];
}

/** Task cpu and memory are strings to ECS, written as `256`, 256, `0.25 vCPU` or `1 GB`. */
function diffTaskSize(setting: string, before: unknown, after: unknown): SettingChange[] {
  return diffScalar(setting, taskSize(before), taskSize(after));
}

function taskSize(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const units = /^\s*(\d+(?:\.\d+)?)\s*(vcpu|gb)\s*$/i.exec(value);
  return units ? String(Math.round(Number(units[1]) * 1024)) : value.trim();
}

/** Volumes by name: which were added or removed, then each one's settings key by key. */
function diffVolumes(setting: string, before: unknown, after: unknown): SettingChange[] {
  const old = volumesByName(before);
  const next = volumesByName(after);
  const presenceOf = (volumes: Map<string, Definition>) =>
    new Map([...volumes.keys()].map((name) => [name, '']));
  const names = [...new Set([...next.keys(), ...old.keys()])];
  return [
    ...diffEntries(setting, presenceOf(old), presenceOf(next), 'value changed'),
    ...names.flatMap((name) => diffNested(`${setting}[${name}]`, old.get(name), next.get(name))),
  ];
}

function volumesByName(value: unknown): Map<string, Definition> {
  const volumes = new Map<string, Definition>();
  for (const volume of Array.isArray(value) ? value.filter(isPlainObject) : []) {
    const { name, ...settings } = volume;
    if (typeof name === 'string') volumes.set(name, settings);
  }
  return volumes;
}

// ——— comparisons ———

/** Entries by name, read from either side by `read`; `changed` says how a changed value reads. */
function byName(read: (value: unknown) => Map<string, string>, changed: EntryChangeKind): Differ {
  return (setting, before, after) => diffEntries(setting, read(before), read(after), changed);
}

function asSet(labels: (value: unknown) => string[]): Differ {
  return (setting, before, after) => diffSet(setting, labels(before), labels(after));
}

function asScalar(defaultValue?: number): Differ {
  return (setting, before, after) => diffScalar(setting, before, after, defaultValue);
}

function valueChange(setting: string, before: string | undefined, after: string | undefined): ValueChange {
  return {
    kind: 'value',
    setting,
    ...(before !== undefined && { before }),
    ...(after !== undefined && { after }),
  };
}

/** A number or string: absent, null, '' and the default all mean "not set"; 256 equals "256". */
function diffScalar(
  setting: string,
  before: unknown,
  after: unknown,
  defaultValue?: number,
): SettingChange[] {
  const old = scalarText(before, defaultValue);
  const next = scalarText(after, defaultValue);
  return old === next ? [] : [valueChange(setting, old, next)];
}

function scalarText(value: unknown, defaultValue?: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (defaultValue !== undefined && String(value) === String(defaultValue)) return undefined;
  return typeof value === 'string' ? value : render(value);
}

/** Two sets of labels (port mappings, dependencies): order does not matter, the lists show as they are. */
function diffSet(setting: string, before: string[], after: string[]): SettingChange[] {
  const old = sortedUnique(before).join(', ');
  const next = sortedUnique(after).join(', ');
  return old === next ? [] : [valueChange(setting, old || undefined, next || undefined)];
}

/**
 * Named entries compared by name. The values are only compared here, never returned: the caller says
 * how a changed value reads (`value changed`, `source changed`).
 */
function diffEntries(
  setting: string,
  before: Map<string, string>,
  after: Map<string, string>,
  changed: EntryChangeKind,
): SettingChange[] {
  const sorted = (names: Iterable<string>) => [...names].sort();
  const entries: EntryChange[] = [
    ...sorted(after.keys())
      .filter((name) => before.has(name) && before.get(name) !== after.get(name))
      .map((name) => ({ name, change: changed })),
    ...sorted(after.keys())
      .filter((name) => !before.has(name))
      .map((name): EntryChange => ({ name, change: 'added' })),
    ...sorted(before.keys())
      .filter((name) => !after.has(name))
      .map((name): EntryChange => ({ name, change: 'removed' })),
  ];
  return entries.length === 0 ? [] : [{ kind: 'entries', setting, entries }];
}

/**
 * Any other setting, key by key into objects (`linuxParameters.initProcessEnabled`); lists compare
 * in order and show whole. A key that looks like it holds a secret (a log driver's token) is
 * reported by name only, unless both sides are ARNs, which name a secret rather than hold one.
 */
function diffNested(path: string, before: unknown, after: unknown, key = path): SettingChange[] {
  const old = pruned(before);
  const next = pruned(after);
  if (
    (old === undefined || isPlainObject(old)) &&
    (next === undefined || isPlainObject(next)) &&
    (old || next)
  ) {
    const oldObject = (old ?? {}) as Definition;
    const nextObject = (next ?? {}) as Definition;
    return mergeEntries(
      otherKeys(oldObject, nextObject, new Set()).flatMap((child) =>
        diffNested(`${path}.${child}`, oldObject[child], nextObject[child], child),
      ),
    );
  }
  if (canonical(old) === canonical(next)) return [];
  if (looksSecret(key) && !(namesASecret(old) && namesASecret(next))) {
    const parent = path.slice(0, path.length - key.length - 1) || path;
    const change: EntryChangeKind =
      old === undefined ? 'added' : next === undefined ? 'removed' : 'value changed';
    return [{ kind: 'entries', setting: parent, entries: [{ name: key, change }] }];
  }
  return [valueChange(path, render(old), render(next))];
}

const SECRET_LOOKING_KEY = /secret|passw|token|credential|api[-_]?key|private[-_]?key|auth/i;

function looksSecret(key: string): boolean {
  return SECRET_LOOKING_KEY.test(key);
}

/** Absent, an ARN, or a list of them (`credentialspec:arn:…` too): a reference, safe to show. */
function namesASecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(namesASecret);
  return value === undefined || (typeof value === 'string' && /^([\w-]+:)?arn:/.test(value));
}

/** Hidden keys of one object, reported together: `logConfiguration.options` with two names. */
function mergeEntries(changes: SettingChange[]): SettingChange[] {
  const merged: SettingChange[] = [];
  for (const change of changes) {
    const last = merged[merged.length - 1];
    if (change.kind === 'entries' && last?.kind === 'entries' && last.setting === change.setting) {
      merged[merged.length - 1] = { ...last, entries: [...last.entries, ...change.entries] };
    } else {
      merged.push(change);
    }
  }
  return merged;
}

/**
 * The value with what means "not set" removed at any depth: null, '', empty lists and objects, and
 * false (every ECS flag compared here defaults to false; `essential` has its own comparison). Plain
 * items of a list stay as they are: `["sh", "-c", ""]` is not `["sh", "-c"]`.
 */
function pruned(value: unknown): unknown {
  if (value === null || value === undefined || value === '' || value === false) return undefined;
  if (Array.isArray(value)) {
    const items = value
      .map((item) => (typeof item === 'object' && item !== null ? pruned(item) : item))
      .filter((item) => item !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value)
      .map(([key, child]) => [key, pruned(child)] as const)
      .filter(([, child]) => child !== undefined);
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value;
}

/** JSON with object keys sorted, so key order never counts as a change. */
function canonical(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

/** A short, one-line rendering: strings as they are, anything else as JSON, bounded. */
function render(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

/** Keys of either object not in `exclude`, sorted: a stable order for settings with no place of their own. */
function otherKeys(before: Definition, after: Definition, exclude: Set<string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => !exclude.has(key))
    .sort();
}

function sortedUnique(labels: string[]): string[] {
  return [...new Set(labels)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

function objectsOf(value: unknown): Definition[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** `[{name, value}]` as name → value (compared, never returned); a later duplicate wins, as in Docker. */
function namedValues(value: unknown, valueKey: 'value' | 'valueFrom'): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of objectsOf(value)) {
    if (typeof entry.name === 'string') map.set(entry.name, comparable(entry[valueKey] ?? ''));
  }
  return map;
}

function mapValues(value: unknown): Map<string, string> {
  return new Map(
    Object.entries(isPlainObject(value) ? value : {}).map(([name, text]) => [name, comparable(text)]),
  );
}

/** A value as compared: "8080" and 8080 alike. */
function comparable(value: unknown): string {
  return typeof value === 'string' ? value : canonical(value);
}

/** Environment files by their S3 ARN (safe to show: a location, not the contents). */
function environmentFiles(value: unknown): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of objectsOf(value)) {
    if (typeof file.value !== 'string' || file.value === '') continue;
    const type = typeof file.type === 'string' && file.type !== 's3' ? ` (${file.type})` : '';
    files.set(`${file.value}${type}`, '');
  }
  return files;
}

/**
 * `8080/tcp`, `80:8080/tcp`, `8080/tcp (web, http)`. TCP is the default protocol, and a host port
 * equal to the container port (awsvpc writes it in) or 0 (bridge: any free port) is no choice at all.
 */
function portLabels(value: unknown): string[] {
  return objectsOf(value).map((raw) => {
    const mapping = (pruned(raw) ?? {}) as Definition;
    const { containerPort, containerPortRange, hostPort, protocol, name, appProtocol, ...rest } = mapping;
    const port = containerPort ?? containerPortRange ?? '?';
    const chosenHost = hostPort !== undefined && hostPort !== 0 && hostPort !== containerPort;
    const extras = [
      ...[name, appProtocol].filter((extra) => extra !== undefined).map((extra) => render(extra)),
      ...Object.keys(rest)
        .sort()
        .map((key) => `${key}=${render(rest[key])}`),
    ];
    return [
      `${chosenHost ? `${render(hostPort)}:` : ''}${render(port)}/${render(protocol ?? 'tcp')}`,
      extras.length > 0 ? ` (${extras.join(', ')})` : '',
    ].join('');
  });
}

/** `db HEALTHY`: what a container waits for, as a set. */
function dependencyLabels(value: unknown): string[] {
  return objectsOf(value).map((dependency) =>
    [dependency.containerName, dependency.condition].filter((part) => typeof part === 'string').join(' '),
  );
}
