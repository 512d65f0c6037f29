import { describe, expect, it } from '@jest/globals';
import { terminal, wantsColour } from '../../../src/cli/terminal.js';

/** A stream that records what is written; `isTTY` as a terminal (or a CI log) would say. */
function stream(isTTY: boolean) {
  const chunks: string[] = [];
  const s = {
    isTTY,
    columns: 100,
    write: (chunk: string) => chunks.push(chunk) > 0,
  } as unknown as NodeJS.WriteStream;
  return { s, text: () => chunks.join('') };
}

const events = [
  { type: 'traffic', at: 1_000, blue: 90, green: 10 },
  { type: 'tasks', at: 1_000, label: 'Green', running: 2, pending: 0, desired: 2 },
] as const;

describe('terminal', () => {
  it('on a TTY: one line per change, and a live status line that redraws and is cleared at the end', () => {
    const { s, text } = stream(true);
    const term = terminal({ stream: s, env: {}, startedAt: 0 });
    for (const event of events) term.sink.onEvent(event);
    expect(text()).toContain('traffic              blue 90% │ green 10%\n');
    expect(
      text().endsWith('\r\u001b[2K\u001b[2mtraffic blue 90% / green 10%  │  tasks 2/2 running\u001b[0m'),
    ).toBe(true);
    term.done();
    expect(text().endsWith('\r\u001b[2K')).toBe(true);
    term.sink.info('✅ done');
    expect(text().endsWith('✅ done\n')).toBe(true);
  });

  it('with NO_COLOR: the status line without colour', () => {
    const { s, text } = stream(true);
    const term = terminal({ stream: s, env: { NO_COLOR: '1' }, startedAt: 0 });
    term.sink.onEvent(events[0]);
    term.sink.warning('careful');
    for (const code of ['1', '2', '31', '33']) expect(text()).not.toContain(`\u001b[${code}m`);
    expect(text()).toContain('warning: careful\n');
  });

  it('colours as NO_COLOR and FORCE_COLOR say: an empty NO_COLOR does not count, FORCE_COLOR wins', () => {
    expect(wantsColour(true, {})).toBe(true);
    expect(wantsColour(true, { NO_COLOR: '' })).toBe(true);
    expect(wantsColour(true, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour(false, {})).toBe(false);
    expect(wantsColour(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColour(true, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColour(true, { FORCE_COLOR: '0' })).toBe(false);
  });

  it('in a CI log (no TTY): plain lines only, no redraws, no colour', () => {
    const { s, text } = stream(false);
    const term = terminal({ stream: s, env: {}, startedAt: 0 });
    for (const event of events) term.sink.onEvent(event);
    expect(text()).not.toContain('\u001b');
    expect(text().split('\n').filter(Boolean)).toHaveLength(2);
  });
});
