import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  childColourEnv,
  defaultOutFolder,
  heading,
  lineSplitter,
  painter,
  prepareOutFolder,
  runnerView,
  timestamp,
  wantsColour,
} from '../../sim/demo-output.js';

describe('colour', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ TERM: 'dumb' }, true, false],
    [{ NO_COLOR: '1' }, true, false],
    // no-color.org: only a non-empty value counts.
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    // As in Node: FORCE_COLOR wins over NO_COLOR.
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
  ])('%j on a terminal: %s → %s', (env, isTTY, expected) => {
    expect(wantsColour(env, isTTY)).toBe(expected);
  });

  it('gives the step exactly one of NO_COLOR and FORCE_COLOR', () => {
    expect(childColourEnv(true)).toEqual({ FORCE_COLOR: '1' });
    expect(childColourEnv(false)).toEqual({ NO_COLOR: '1' });
  });

  it('paints only with colour on', () => {
    expect(painter(false)('red', 'x')).toBe('x');
    expect(painter(true)('red', 'x')).toBe('\u001b[31mx\u001b[0m');
    expect(heading(painter(false), 'kept')).toBe(`\n── kept ${'─'.repeat(66)}`);
  });
});

describe("the step's log as a run page shows it", () => {
  const plain = painter(false);

  it('turns workflow commands into what the runner shows', () => {
    expect(runnerView('::group::Register task definition', plain)).toEqual(['▸ Register task definition']);
    expect(runnerView('::endgroup::', plain)).toEqual([]);
    expect(runnerView('::debug::polling', plain)).toEqual([]);
    expect(runnerView('::error::❌ failed%0A   traffic: 100%25 on web:1', plain)).toEqual([
      'Error: ❌ failed',
      '   traffic: 100% on web:1',
    ]);
    expect(runnerView('::warning title=x::desired-count has no effect', plain)).toEqual([
      'Warning: desired-count has no effect',
    ]);
    expect(runnerView('::notice::✅ done', plain)).toEqual(['Notice: ✅ done']);
  });

  it('leaves every other line alone', () => {
    expect(runnerView('+0m01s  traffic  blue 0% │ green 100%', plain)).toEqual([
      '+0m01s  traffic  blue 0% │ green 100%',
    ]);
    expect(runnerView('a :: b', plain)).toEqual(['a :: b']);
  });

  it('splits a stream into whole lines, however it is chunked', () => {
    const lines = lineSplitter();
    expect(lines.push('::gro')).toEqual([]);
    expect(lines.push('up::A\nb\nc')).toEqual(['::group::A', 'b']);
    expect(lines.push('d\n')).toEqual(['cd']);
    expect(lines.push('tail')).toEqual([]);
    expect(lines.end()).toEqual(['tail']);
    expect(lines.end()).toEqual([]);
  });
});

describe('the output folder', () => {
  it('is <tmp>/ecs-shift-demo/<scenario>-<UTC time>, never one that exists', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'demo-out-'));
    try {
      const now = new Date('2026-05-01T14:30:26.123Z');
      expect(timestamp(now)).toBe('20260501-143026');
      const first = defaultOutFolder('timeout', now, tmp);
      expect(first).toBe(path.join(tmp, 'ecs-shift-demo', 'timeout-20260501-143026'));
      mkdirSync(first, { recursive: true });
      expect(defaultOutFolder('timeout', now, tmp)).toBe(`${first}-2`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('is created with its parents; a file in its place is refused', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'demo-out-'));
    try {
      expect(prepareOutFolder(path.join(tmp, 'a', 'b'))).toBeUndefined();
      expect(prepareOutFolder(path.join(tmp, 'a', 'b'))).toBeUndefined();
      writeFileSync(path.join(tmp, 'file'), '');
      expect(prepareOutFolder(path.join(tmp, 'file'))).toBe('it exists and is not a folder');
      expect(prepareOutFolder(path.join(tmp, 'file', 'below'))).toBe('ENOTDIR');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
