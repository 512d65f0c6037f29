import { describe, expect, it } from '@jest/globals';
import { MAX_LINE_LENGTH, safeText } from '../../../src/text/sanitise.js';

/** What the GitHub runner takes for a workflow command: `::` after leading spaces, or `##[` anywhere. */
const isWorkflowCommand = (line: string) => line.trimStart().startsWith('::') || line.includes('##[');

describe('safeText', () => {
  it.each([
    '::add-mask::hunter2',
    '    ::set-output name=deployment-status::succeeded',
    '\t::stop-commands::token',
    '##[set-env name=PATH;]/tmp/evil',
    'log tail ##[error]x',
  ])('leaves no workflow command in %j, and the text still reads the same', (line) => {
    const safe = safeText(`first line\n${line}`);
    expect(safe.split('\n').some(isWorkflowCommand)).toBe(false);
    expect(safe.replace(/\u200b/g, '')).toBe(`first line\n${line}`);
  });

  it('keeps an ARN with :: in the middle of a line as it is', () => {
    const line = 'Registered arn:aws:iam::123456789012:role/deploy';
    expect(safeText(line)).toBe(line);
  });

  it('drops terminal escapes and control characters', () => {
    expect(safeText('\u001b[31mred\u001b[0m bell\u0007 ok')).toBe('red bell ok');
  });

  it('bounds every line', () => {
    const safe = safeText(`${'x'.repeat(10_000)}\nshort`);
    const [long, short] = safe.split('\n');
    expect(long).toHaveLength(MAX_LINE_LENGTH);
    expect(long.endsWith('…')).toBe(true);
    expect(short).toBe('short');
  });
});
