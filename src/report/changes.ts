/**
 * "What changed" from the revision a service ran to the one deployed, as the log and the job summary
 * show it: plain lines grouped by container, and a collapsed Markdown table. Strings only. The diff
 * (taskdef/diff.ts) carries no environment, label, tag or driver option values; every name and value
 * printed here still goes through the sanitiser and is bounded, because it comes from a file or from AWS.
 * A long one is cut in the middle: two image URIs that differ only in their tag must not look the same.
 */
import {
  cutInTheMiddle,
  type EntryChange,
  type EntryChangeKind,
  type SettingChange,
  type TaskDefinitionDiff,
} from '../taskdef/diff.js';
import { oneLine } from '../text/format.js';
import { safeText } from '../text/sanitise.js';
import { escapeHtml } from './markdown.js';

/** How the two revisions are named, e.g. `web:41` and `web:42`. */
export interface ChangeLabels {
  before: string;
  after: string;
}

export interface ImageChange {
  container: string;
  /** Absent: the container is new. As in the diff: sanitise before printing. */
  before?: string;
  /** Absent: the container was removed. */
  after?: string;
}

/** Most lines (and table rows) shown; the rest are counted. */
const MAX_ROWS = 200;
/** Longest value on a log line: an image URI shows whole unless longer (then cut in the middle). */
const LINE_VALUE_MAX = 200;
/** Longest value in a table cell. */
const CELL_VALUE_MAX = 120;
/** Most entry names on one log line (an environment of hundreds of variables stays readable). */
const MAX_ENTRIES_PER_LINE = 30;
/** The setting column of a container's lines: as wide as `environment`. */
const CONTAINER_SETTING_WIDTH = 'environment'.length;
/** The widest the setting column grows: one long path (`linuxParameters.initProcessEnabled`) runs past it. */
const MAX_SETTING_WIDTH = 'logConfiguration.options'.length;
const NOT_SET = '(not set)';

/** The sentence for two revisions with nothing between them. */
function noDifferences(labels: ChangeLabels): string {
  return `No differences from ${label(labels.before)}: the same settings with the same images.`;
}

// ——— what the headline and the counts use ———

/** Containers whose image changed, or that were added or removed, in the order the report lists them. */
export function imageChanges(diff: TaskDefinitionDiff): ImageChange[] {
  const changedImage = (container: string, changes: SettingChange[]): ImageChange[] =>
    changes
      .filter((change) => change.kind === 'value' && change.setting === 'image')
      .map((change) => ({ container, ...imageSides(change) }));
  return [
    ...diff.containers.changed.flatMap(({ name, changes }) => changedImage(name, changes)),
    ...diff.containers.renamed.flatMap(({ after, changes }) => changedImage(after, changes)),
    ...diff.containers.added.map(({ name, image }) => ({ container: name, ...(image && { after: image }) })),
    ...diff.containers.removed.map(({ name, image }) => ({
      container: name,
      ...(image && { before: image }),
    })),
  ];
}

function imageSides(change: SettingChange): Pick<ImageChange, 'before' | 'after'> {
  if (change.kind !== 'value') return {};
  return { ...(change.before && { before: change.before }), ...(change.after && { after: change.after }) };
}

/** How many changes: a container added, removed or renamed counts one, and so does each setting or entry. */
export function countChanges(diff: TaskDefinitionDiff): number {
  return tableRows(diff).length;
}

// ——— log lines ———

/**
 * One line per change, grouped by container, for a collapsed log group:
 * `container app` / `  image        …:41 → …:42` / `container worker added (image …)` / `task  memory  512 → 1024`.
 */
export function changeLines(diff: TaskDefinitionDiff, labels: ChangeLabels): string[] {
  if (diff.empty) return [noDifferences(labels)];
  const { changed, renamed, added, removed } = diff.containers;
  const lines = [
    ...changed.flatMap(({ name, changes }) => [`container ${label(name)}`, ...containerLines(changes)]),
    ...renamed.flatMap(({ before, after, changes }) => [
      `container ${label(after)} (renamed from ${label(before)})`,
      ...containerLines(changes),
    ]),
    ...added.map(
      ({ name, image }) => `container ${label(name)} added${image ? ` (image ${lineValue(image)})` : ''}`,
    ),
    ...removed.map(
      ({ name, image }) => `container ${label(name)} removed${image ? ` (image ${lineValue(image)})` : ''}`,
    ),
    ...settingLines(diff.task, 'task  ', 0),
  ];
  if (lines.length <= MAX_ROWS) return lines;
  return [...lines.slice(0, MAX_ROWS), `… ${lines.length - MAX_ROWS} more`];
}

function containerLines(changes: SettingChange[]): string[] {
  return settingLines(changes, '  ', CONTAINER_SETTING_WIDTH);
}

/** `<prefix><setting, padded to the group's widest>  <what changed>` */
function settingLines(changes: SettingChange[], prefix: string, minWidth: number): string[] {
  const settings = changes.map((change) => label(change.setting));
  const width = Math.min(MAX_SETTING_WIDTH, Math.max(minWidth, ...settings.map((setting) => setting.length)));
  return changes.map((change, i) => `${prefix}${settings[i].padEnd(width)}  ${describeChange(change)}`);
}

function describeChange(change: SettingChange): string {
  if (change.kind === 'value') {
    return `${change.before === undefined ? NOT_SET : lineValue(change.before)} → ${
      change.after === undefined ? NOT_SET : lineValue(change.after)
    }`;
  }
  const shown = change.entries.slice(0, MAX_ENTRIES_PER_LINE).map(describeEntry);
  const more = change.entries.length - shown.length;
  return [...shown, ...(more > 0 ? [`… ${more} more`] : [])].join('; ');
}

function describeEntry(entry: EntryChange): string {
  return `${label(entry.name)} ${entry.change}`;
}

function lineValue(value: string): string {
  return bounded(oneLine(value), LINE_VALUE_MAX);
}

/** A name (container, setting, variable) or a revision label, on one line and bounded. */
function label(text: string): string {
  return bounded(oneLine(text), CELL_VALUE_MAX);
}

/** Cut in the middle, keeping the start and the end (an image's tag); sanitised last. */
function bounded(text: string, max: number): string {
  return safeText(cutInTheMiddle(text, max));
}

// ——— Markdown ———

/** A piece of a table cell: a value or name (in backticks where it can be), words, or a note in italics. */
type Part = { code: string } | { words: string } | { note: string };
type Cell = Part[];
type Row = [where: Cell, setting: Cell, before: Cell, after: Cell];

/** How an entry reads in the Before and After columns: never its value. */
const ENTRY_CELLS: Record<EntryChangeKind, [before: string, after: string]> = {
  added: ['not set', 'added'],
  removed: ['set', 'removed'],
  'value changed': ['set', 'value changed'],
  'source changed': ['set', 'source changed'],
};

/**
 * A collapsed `<details>` block for the job summary: `What changed: web:41 → web:42 (3 changes)` over
 * a `| Where | Setting | Before | After |` table, at most MAX_ROWS rows.
 */
export function changesMarkdown(diff: TaskDefinitionDiff, labels: ChangeLabels): string {
  const rows = tableRows(diff);
  const count = diff.empty ? 'no changes' : `${rows.length} ${rows.length === 1 ? 'change' : 'changes'}`;
  const title = `What changed: ${escapeHtml(label(labels.before))} → ${escapeHtml(label(labels.after))} (${count})`;
  const body = diff.empty ? [escapeText(noDifferences(labels))] : table(rows);
  // The blank line after </summary> lets GitHub render the Markdown inside the HTML block.
  return [`<details><summary>${title}</summary>`, '', ...body, '', '</details>'].join('\n');
}

function table(rows: Row[]): string[] {
  const shown = rows.slice(0, MAX_ROWS);
  const lines = [
    '| Where | Setting | Before | After |',
    '|---|---|---|---|',
    ...shown.map((row) => `| ${row.map(renderCell).join(' | ')} |`),
  ];
  // A paragraph needs a blank line before it, or it would read as one more row of the table.
  return rows.length > shown.length ? [...lines, '', `… ${rows.length - shown.length} more`] : lines;
}

function tableRows(diff: TaskDefinitionDiff): Row[] {
  const { changed, renamed, added, removed } = diff.containers;
  const container = (name: string): Cell => [{ words: 'container ' }, { code: name }];
  const task: Cell = [{ words: 'task' }];
  return [
    ...changed.flatMap(({ name, changes }) =>
      changes.flatMap((change) => settingRows(container(name), change)),
    ),
    ...renamed.flatMap(({ before, after, changes }): Row[] => [
      [container(after), [{ words: 'name' }], [{ code: before }], [{ code: after }]],
      ...changes.flatMap((change) => settingRows(container(after), change)),
    ]),
    ...added.map(({ name, image }): Row => [
      container(name),
      [{ words: 'container' }],
      [{ note: 'not present' }],
      [{ note: 'added' }, ...(image ? [{ words: ' ' }, { code: image }] : [])],
    ]),
    ...removed.map(({ name, image }): Row => [
      container(name),
      [{ words: 'container' }],
      [{ note: 'present' }, ...(image ? [{ words: ' ' }, { code: image }] : [])],
      [{ note: 'removed' }],
    ]),
    ...diff.task.flatMap((change) => settingRows(task, change)),
  ];
}

function settingRows(where: Cell, change: SettingChange): Row[] {
  if (change.kind === 'value') {
    return [[where, [{ words: change.setting }], valueCell(change.before), valueCell(change.after)]];
  }
  return change.entries.map(({ name, change: kind }): Row => {
    const [before, after] = ENTRY_CELLS[kind];
    return [where, [{ words: `${change.setting} ` }, { code: name }], [{ note: before }], [{ note: after }]];
  });
}

function valueCell(value: string | undefined): Cell {
  return value === undefined ? [{ note: 'not set' }] : [{ code: value }];
}

function renderCell(cell: Cell): string {
  return cell.map(renderPart).join('');
}

/**
 * A value goes in backticks unless it holds a character a code span would show wrongly (a backtick,
 * or `<`, `>`, `&`, `\`, which must be escaped and are not decoded inside one); then it is escaped text.
 */
function renderPart(part: Part): string {
  if ('note' in part) return `*${part.note}*`;
  // Words keep their edge spaces (`container ` before a name); values and names are trimmed.
  const text =
    'code' in part
      ? bounded(oneLine(part.code), CELL_VALUE_MAX)
      : bounded(collapseSpace(part.words), CELL_VALUE_MAX);
  if ('code' in part && text !== '' && !/[`<>&\\]/.test(text)) return `\`${text.replace(/\|/g, '\\|')}\``;
  return escapeText(text);
}

/** Text safe in a table cell and as a paragraph: Markdown punctuation escaped, HTML as entities. */
function escapeText(text: string): string {
  return collapseSpace(text)
    .replace(/[\\`*_[\]#|~!]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Whitespace (newlines included) as single spaces, not trimmed. */
function collapseSpace(text: string): string {
  return text.replace(/\s+/g, ' ');
}
