/** Durations, times and one-line text, as every report and message writes them. */

/** `42s`, `1m05s`, `1h02m`. Negative or non-finite durations read as `0s`. */
export function formatDuration(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.round(ms / 1000) : 0;
  if (total < 60) return `${total}s`;
  if (total < 3600) return `${Math.floor(total / 60)}m${pad2(total % 60)}s`;
  const minutes = Math.floor(total / 60);
  return `${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
}

/** `HH:MM:SS` in UTC of an epoch-ms time. */
export function formatUtcTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** Whitespace (newlines included) collapsed to single spaces, trimmed. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The text with its first letter in upper case, for a sentence that starts with a name. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** An object that is not null and not an array: what a parsed JSON/YAML mapping is. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
