/**
 * The one sanitiser for text that reaches the log or the job summary. Names, ARNs, messages and log
 * tails come from AWS or from files, so none of it may act on the runner: a line that starts with
 * `::` (after any indentation) is a workflow command to the GitHub runner (`::add-mask::`,
 * `::stop-commands::`, …), and so is the older `##[…]` form. Terminal escapes and other control
 * characters are dropped, and every line is bounded in length.
 */

/** Longest line written to the log; longer ones end in "…". */
export const MAX_LINE_LENGTH = 2_000;
/** U+200B between the two characters of a command marker: the line reads the same, the runner ignores it. */
const ZERO_WIDTH_SPACE = '\u200b';

// Control characters other than tab and newline, and ANSI escape sequences (colours, cursor moves).
// eslint-disable-next-line no-control-regex
const CONTROL = /\u001b\[[0-?]*[ -/]*[@-~]|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** One line (or several, each treated alike) made safe to print. */
export function safeText(text: string, maxLineLength = MAX_LINE_LENGTH): string {
  return text
    .split(/\r?\n|\r/)
    .map((line) => safeLine(line, maxLineLength))
    .join('\n');
}

function safeLine(line: string, max: number): string {
  const plain = line.replace(CONTROL, '');
  const bounded = plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
  return bounded.replace(/^(\s*):(?=:)/, `$1:${ZERO_WIDTH_SPACE}`).replace(/##\[/g, `#${ZERO_WIDTH_SPACE}#[`);
}

/** Control characters (and terminal escapes) replaced by `?`, for an excerpt of a file. */
export function withoutControlCharacters(text: string): string {
  return text.replace(CONTROL, '?');
}
