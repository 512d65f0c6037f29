/**
 * What changed between the revision a service ran (as DescribeTaskDefinition returned it) and the
 * register input about to replace it: per container (matched by name) and for the task, setting by
 * setting. What AWS fills in (read-only keys, defaults, the host port awsvpc copies) is normalised
 * away first, so only what a person changed shows. Pure.
 *
 * Environment variable, docker label and tag values never enter the result, only their names: in
 * practice environments hold secrets. Secrets and secret options are reported by name too, and so are
 * the free-form maps a driver reads (log and FireLens options, docker volume labels and options) but
 * for the few option keys known to hold settings rather than credentials.
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
  /** `environment`, `secrets`, `environmentFiles`, `dockerLabels`, `logConfiguration.options`, `volumes`, `tags` */
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

/**
 * Longest value the diff keeps, cut in the middle as the report cuts (shorter). Image URIs are kept
 * whole (ECS takes at most 255 characters); the report cuts them in the middle too, keeping the tag.
 */
const MAX_VALUE_LENGTH = 500;
/** Longest command the diff keeps: enough to see what changed, not a whole inline script. */
const MAX_COMMAND_LENGTH = 200;

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
 * A removed and an added container are one container renamed when they are the only pair running
 * images of the same repository; a sidecar swapped for another is a removal and an addition.
 */
function pairRenames(removed: Definition[], added: Definition[]): [Definition, Definition][] {
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
  ['command', diffCommand],
  ['entryPoint', diffCommand],
  ['healthCheck', diffHealthCheck],
  ['essential', diffEssential],
  ['dependsOn', asSet(dependencyLabels)], // ECS starts what a container waits for in any order
  ['logConfiguration', diffLogConfiguration],
  ['firelensConfiguration', diffFirelensConfiguration],
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

/** A command shows as it is (the change people look for), but bounded: an inline script can run to pages. */
function diffCommand(setting: string, before: unknown, after: unknown): SettingChange[] {
  const old = pruned(before);
  const next = pruned(after);
  if (canonical(old) === canonical(next)) return [];
  return [valueChange(setting, render(old, MAX_COMMAND_LENGTH), render(next, MAX_COMMAND_LENGTH))];
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
        : diffCommand(`${setting}.${key}`, old[key], next[key]),
    ),
    ...otherKeys(old, next, new Set(keys)).map((key) => diffNested(`${setting}.${key}`, old[key], next[key])),
  ].flat();
}

/**
 * Log driver (and FireLens) options whose values are settings, safe and useful to show. Any other
 * key is reported by name only: a New Relic `licenseKey` or a Splunk token is an option too.
 */
const SAFE_OPTIONS = new Set(['mode', 'max-buffer-size', 'tag']);

function isSafeOption(key: string): boolean {
  return key.startsWith('awslogs-') || SAFE_OPTIONS.has(key);
}

const DRIVER_OPTIONS = new Map([['options', isSafeOption]]);

function diffLogConfiguration(setting: string, before: unknown, after: unknown): SettingChange[] {
  const { secretOptions: oldSecrets, ...old } = plainObject(before);
  const { secretOptions: nextSecrets, ...next } = plainObject(after);
  return [
    ...diffWithMaps(setting, old, next, DRIVER_OPTIONS),
    ...diffEntries(
      `${setting}.secretOptions`,
      namedValues(oldSecrets, 'valueFrom'),
      namedValues(nextSecrets, 'valueFrom'),
      'source changed',
    ),
  ];
}

function diffFirelensConfiguration(setting: string, before: unknown, after: unknown): SettingChange[] {
  return diffWithMaps(setting, before, after, DRIVER_OPTIONS);
}

// ——— the task ———

/** Not compared: read-only keys, and the containers (compared above). */
const NOT_TASK_SETTINGS = new Set<string>([...READ_ONLY_TASK_DEFINITION_KEYS, 'containerDefinitions']);

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
  // `[{key, value}]` as RegisterTaskDefinition takes them. DescribeTaskDefinition returns them beside
  // the definition (with include TAGS), not in it: the caller puts them in.
  ['tags', byName(tagValues, 'value changed')],
];

function diffTask(before: Definition, after: Definition): SettingChange[] {
  const ownComparison = new Set([...NOT_TASK_SETTINGS, ...TASK_SETTINGS.map(([key]) => key)]);
  return [
    ...TASK_SETTINGS.flatMap(([key, differ]) => differ(key, before[key], after[key])),
    ...otherKeys(before, after, ownComparison).flatMap((key) => diffNested(key, before[key], after[key])),
  ];
}

/** Task cpu and memory are strings to ECS, written as `256`, 256, `0.25 vCPU`, `.25 vcpu` or `1 GB`. */
function diffTaskSize(setting: string, before: unknown, after: unknown): SettingChange[] {
  return diffScalar(setting, taskSize(before), taskSize(after));
}

function taskSize(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const units = /^\s*(\d*\.?\d+)\s*(vcpu|gb)\s*$/i.exec(value); // `.25 vcpu` too
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
    ...names.flatMap((name) => diffVolume(`${setting}[${name}]`, old.get(name), next.get(name))),
  ];
}

/** What ECS uses for a volume setting left out (DescribeTaskDefinition writes some in), by path. */
const VOLUME_DEFAULTS = new Map<string, unknown>([
  ['efsVolumeConfiguration.rootDirectory', '/'],
  ['efsVolumeConfiguration.transitEncryption', 'DISABLED'],
  ['efsVolumeConfiguration.authorizationConfig.iam', 'DISABLED'],
  ['dockerVolumeConfiguration.scope', 'task'],
]);

/** Docker volume labels and driver options are free-form (a driver's password goes there): names only. */
const DOCKER_VOLUME_MAPS = new Map([
  ['labels', showsNoValue],
  ['driverOpts', showsNoValue],
]);

function diffVolume(setting: string, before: unknown, after: unknown): SettingChange[] {
  const { dockerVolumeConfiguration: oldDocker, ...old } = plainObject(
    withoutDefaults(before, VOLUME_DEFAULTS),
  );
  const { dockerVolumeConfiguration: nextDocker, ...next } = plainObject(
    withoutDefaults(after, VOLUME_DEFAULTS),
  );
  return [
    ...diffNested(setting, old, next),
    ...diffWithMaps(`${setting}.dockerVolumeConfiguration`, oldDocker, nextDocker, DOCKER_VOLUME_MAPS),
  ];
}

/** The object without the keys (dotted paths from its top) that hold their default. */
function withoutDefaults(value: unknown, defaults: Map<string, unknown>, path = ''): unknown {
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, child]) => defaults.get(`${path}${key}`) !== child)
      .map(([key, child]) => [key, withoutDefaults(child, defaults, `${path}${key}.`)]),
  );
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

/** Whether a key of a free-form map may show its value; any other is reported by name. */
type ShowsValue = (key: string) => boolean;

function showsNoValue(): boolean {
  return false;
}

/** An object compared key by key, but for the free-form maps named in `maps`, compared as maps. */
function diffWithMaps(
  setting: string,
  before: unknown,
  after: unknown,
  maps: Map<string, ShowsValue>,
): SettingChange[] {
  const old = plainObject(before);
  const next = plainObject(after);
  const withoutMaps = (object: Definition) =>
    Object.fromEntries(Object.entries(object).filter(([key]) => !maps.has(key)));
  return [
    ...diffNested(setting, withoutMaps(old), withoutMaps(next)),
    ...[...maps].flatMap(([key, showsValue]) =>
      diffMap(`${setting}.${key}`, old[key], next[key], showsValue),
    ),
  ];
}

/**
 * A free-form map (driver options, labels), key by key. Values show only for keys on the allow-list
 * `showsValue`, that pass the secret-looking deny-list too, and that are plain values; every other key
 * is reported by name: added, removed, value changed.
 */
function diffMap(setting: string, before: unknown, after: unknown, showsValue: ShowsValue): SettingChange[] {
  const old = plainObject(pruned(before));
  const next = plainObject(pruned(after));
  const shown = (key: string) =>
    showsValue(key) && !looksSecret(key) && isPlainValue(old[key]) && isPlainValue(next[key]);
  const hidden = (map: Definition) =>
    mapValues(Object.fromEntries(Object.entries(map).filter(([key]) => !shown(key))));
  return [
    ...otherKeys(old, next, new Set())
      .filter(shown)
      .flatMap((key) => diffScalar(`${setting}.${key}`, old[key], next[key])),
    ...diffEntries(setting, hidden(old), hidden(next), 'value changed'),
  ];
}

/** Absent, or a string, number or boolean: nothing nested that could hold more. */
function isPlainValue(value: unknown): boolean {
  return value === undefined || ['string', 'number', 'boolean'].includes(typeof value);
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

/** A short rendering: strings as they are, anything else as JSON, bounded. */
function render(value: unknown, max = MAX_VALUE_LENGTH): string | undefined {
  if (value === undefined) return undefined;
  return cutInTheMiddle(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)), max);
}

/**
 * The text cut to `max` characters in the middle: a third from the start, the rest from the end (an
 * image's tag, a path's file name, a script's last command), so values that differ at the end still do.
 */
export function cutInTheMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const characters = Array.from(text); // never split a surrogate pair
  if (characters.length <= max) return text;
  const head = Math.floor((max - 1) / 3);
  const tail = Math.max(0, max - 1 - head);
  return `${characters.slice(0, head).join('')}…${characters.slice(characters.length - tail).join('')}`;
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

function plainObject(value: unknown): Definition {
  return isPlainObject(value) ? value : {};
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

/** Tags as key → value (compared, never returned); AWS's own `aws:` tags are not the user's to change. */
function tagValues(value: unknown): Map<string, string> {
  const tags = new Map<string, string>();
  for (const tag of objectsOf(value)) {
    if (typeof tag.key === 'string' && !tag.key.toLowerCase().startsWith('aws:')) {
      tags.set(tag.key, comparable(tag.value ?? ''));
    }
  }
  return tags;
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
