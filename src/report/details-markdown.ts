/**
 * The failure details, written for a monospace log (labels padded into a column, nested lines
 * indented, the app's log lines behind `| `), as Markdown that wraps to the width of the page:
 * labelled lines become `**Label:** value` items, indentation becomes nested lists, and the app's
 * lines become code that wraps (GitHub sets `white-space: break-spaces` on inline code), not a
 * `<pre>` that runs off the side.
 */
import { LABEL_WIDTH } from './diagnosis.js';
import { escapeInline, link } from './markdown.js';

interface Item {
  level: number;
  text: string;
  /** A labelled line, which continuation lines (indented to the value column) extend. */
  labelled?: boolean;
  /** The item holds the app's log lines. */
  log?: boolean;
}

const LOG_LINE = /^\| ?(.*)$/;

export function detailsMarkdown(lines: string[]): string[] {
  const items: Item[] = [];
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, '');
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    const text = line.trimStart();
    const last = items[items.length - 1];
    const logLine = LOG_LINE.exec(text);
    if (logLine && indent > 0) {
      // One item per line: joined, twenty lines would pass the sanitiser's line cap and lose the last.
      const level = last?.log ? last.level : levelFor(indent, last);
      items.push({ level, text: codeSpan(logLine[1] ?? ''), log: true });
      continue;
    }
    if (indent === 0) {
      const label = labelOf(line);
      items.push(
        label
          ? { level: 0, text: `**${escapeInline(label.name)}:** ${inline(label.value)}`, labelled: true }
          : { level: 0, text: inline(text) },
      );
      continue;
    }
    if (last?.labelled && indent >= LABEL_WIDTH) {
      last.text += `<br>${inline(text)}`;
      continue;
    }
    const nested = gapLabelOf(text);
    const clock = nested && /^\d\d:\d\d:\d\d$/.test(nested.name);
    items.push({
      level: levelFor(indent, last),
      text: nested && !clock ? `${escapeInline(nested.name)}: ${inline(nested.value)}` : inline(text),
    });
  }
  return items.map((item) => `${'  '.repeat(item.level)}- ${item.text}`);
}

/** Two spaces of indentation per level, never deeper than one below the item before. */
function levelFor(indent: number, previous: Item | undefined): number {
  const wanted = Math.max(1, Math.floor(indent / 2));
  return Math.min(wanted, (previous?.level ?? 0) + 1);
}

/**
 * `Stopped tasks     of the new revision web:2` → label and value: a line diagnosis.ts `labelled`
 * wrote has its value at the label column after a gap of two or more spaces (a sentence has none).
 */
function labelOf(line: string): { name: string; value: string } | undefined {
  const label = gapLabelOf(line);
  if (!label || line.length <= LABEL_WIDTH || line[LABEL_WIDTH] === ' ') return undefined;
  if (label.name.length >= LABEL_WIDTH || line.slice(label.name.length, LABEL_WIDTH).trim() !== '') {
    return undefined;
  }
  return label;
}

/** `error code      ScriptFailed` (a nested label, at any column) → label and value. */
function gapLabelOf(text: string): { name: string; value: string } | undefined {
  const gap = /^(\S(?:\S| (?! ))*?) {2,}(\S.*)$/.exec(text);
  if (!gap || (gap[1] ?? '').length > 24) return undefined;
  return { name: gap[1] ?? '', value: gap[2] ?? '' };
}

/** Text with its https URLs as links and everything else escaped, spaces around them kept. */
function inline(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .split(/(https:\/\/[^\s<>"]+)/g)
    .map((part, i) => (i % 2 === 1 ? link(part, part) : escapeText(part)))
    .join('');
}

function escapeText(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[\\`*_[\]#|~]/g, '\\$&')
      // What would open a block at the start of an item: a rule, a list, a setext heading.
      .replace(/^(\s*)([-+=])/, '$1\\$2')
      .replace(/^(\s*\d+)([.)])/, '$1\\$2')
  );
}

/** A line of the app's output as inline code that wraps; a backtick in it gets a longer fence. */
function codeSpan(text: string): string {
  // Indentation kept (a stack trace reads by it); GitHub's inline code keeps spaces and wraps.
  const content =
    text
      .replace(/\t/g, '  ')
      .replace(/[\r\n]+/g, ' ')
      .trimEnd() || ' ';
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}
