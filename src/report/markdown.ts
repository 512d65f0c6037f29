/**
 * The Markdown building blocks of the job summary, each safe for what GitHub does with it: table cells
 * with `|` and newlines escaped, inline text with Markdown's special characters escaped, links whose
 * URLs cannot break out, and HTML text escaped.
 */
import { oneLine } from '../text/format.js';

const CELL_MAX = 300;

/**
 * Text safe inside a Markdown table cell: `|` and Markdown's inline marks escaped (text from AWS must
 * not become an image or a link; `_` is left, as in ROLLBACK_IN_PROGRESS it emphasises nothing),
 * newlines as `<br>`, HTML brackets escaped.
 */
export function escapeCell(text: string): string {
  const cell = text
    .trim()
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*[\]!~|]/g, '\\$&')
    .replace(/\r?\n/g, '<br>');
  return cell.length > CELL_MAX ? `${cell.slice(0, CELL_MAX - 1)}…` : cell;
}

/** Inline Markdown with its special characters escaped (a heading, bold text, a list item). */
export function escapeInline(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]#|~]/g, '\\$&');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `[text](url)`, or the text alone without a URL; the URL's brackets and spaces encoded. */
export function link(text: string, url: string | undefined): string {
  const label = escapeCell(text);
  return url ? `[${label}](${url.replace(/[()\s]/g, encodeURIComponent)})` : label;
}

/** A table with a header row of real names (GitHub draws an empty header as a blank band). */
export function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ];
}

/** Rows of a table, lines of the failure details: the log has the rest. */
export const MAX_ROWS = 200;

/** At most MAX_ROWS items, the last one saying how many were left out. */
export function capped<T>(items: T[], leftOut: (count: number) => T, max = MAX_ROWS): T[] {
  return items.length <= max ? items : [...items.slice(0, max - 1), leftOut(items.length - max + 1)];
}

/** Text as HTML with its https URLs made clickable. */
export function htmlWithLinks(text: string): string {
  return text
    .split(/(https:\/\/[^\s<>"]+)/g)
    .map((part, i) =>
      i % 2 === 1 ? `<a href="${escapeHtml(part)}">${escapeHtml(part)}</a>` : escapeHtml(part),
    )
    .join('');
}
