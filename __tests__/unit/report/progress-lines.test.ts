import { formatElapsed, formatProgressEvent } from '../../../src/report/progress-lines.js';
import type { ProgressEvent } from '../../../src/report/events.js';

const start = Date.UTC(2026, 10, 23, 19, 0, 0);
const at = (seconds: number) => start + seconds * 1000;

describe('formatProgressEvent', () => {
  it('prints a CodeDeploy run as short aligned lines', () => {
    const events: ProgressEvent[] = [
      { type: 'status', at: at(1), status: 'InProgress', previous: 'Created' },
      { type: 'lifecycle', at: at(12), name: 'Install', status: 'InProgress', startTime: at(12) },
      { type: 'tasks', at: at(60), label: 'Green', running: 1, pending: 2, desired: 3 },
      {
        type: 'lifecycle',
        at: at(100),
        name: 'Install',
        status: 'Succeeded',
        startTime: at(12),
        endTime: at(100),
      },
      { type: 'traffic', at: at(122), blue: 90, green: 10 },
      { type: 'tasks', at: at(122), label: 'Green', running: 3, pending: 0, desired: 3 },
      { type: 'lifecycle', at: at(125), name: 'AfterAllowTestTraffic', status: 'Skipped' },
      {
        type: 'lifecycle',
        at: at(340),
        name: 'AfterAllowTraffic',
        status: 'Failed',
        startTime: at(270),
        endTime: at(340),
        diagnostic: 'ScriptFailed: Smoke test failed:\n  /health returned 503',
      },
      { type: 'note', at: at(700), message: 'waiting for d-OTHER0001 ahead of us' },
      { type: 'traffic', at: at(3725), blue: 0, green: 100 },
    ];
    expect(events.map((event) => formatProgressEvent(event, start))).toEqual([
      '+0m01s  status               InProgress',
      '+0m12s  Install              started',
      '+1m00s  tasks Green          1/3 running, 2 pending',
      '+1m40s  Install              succeeded (1m28s)',
      '+2m02s  traffic              blue 90% │ green 10%',
      '+2m02s  tasks Green          3/3 running',
      '+2m05s  AfterAllowTestTraffic skipped',
      '+5m40s  AfterAllowTraffic    failed (1m10s): ScriptFailed: Smoke test failed: /health returned 503',
      '+11m40s note                 waiting for d-OTHER0001 ahead of us',
      '+1h02m05s traffic              blue 0% │ green 100%',
    ]);
  });

  it('words every lifecycle status in lower case', () => {
    const line = (status: string) =>
      formatProgressEvent({ type: 'lifecycle', at: at(5), name: 'BeforeInstall', status }, start);
    expect(line('Pending')).toBe('+0m05s  BeforeInstall        pending');
    expect(line('InProgress')).toBe('+0m05s  BeforeInstall        started');
    expect(line('Succeeded')).toBe('+0m05s  BeforeInstall        succeeded');
    expect(line('Failed')).toBe('+0m05s  BeforeInstall        failed');
    expect(line('Skipped')).toBe('+0m05s  BeforeInstall        skipped');
    expect(line('Unknown')).toBe('+0m05s  BeforeInstall        unknown');
  });

  it('prints ECS-native lifecycle stages and fractional traffic weights', () => {
    expect(
      formatProgressEvent(
        { type: 'lifecycle', at: at(30), name: 'PRE_SCALE_UP', status: 'IN_PROGRESS' },
        start,
      ),
    ).toBe('+0m30s  PRE_SCALE_UP         started');
    expect(
      formatProgressEvent(
        {
          type: 'lifecycle',
          at: at(95),
          name: 'PRODUCTION_TRAFFIC_SHIFT',
          status: 'SUCCESSFUL',
          startTime: at(60),
          endTime: at(95),
        },
        start,
      ),
    ).toBe('+1m35s  PRODUCTION_TRAFFIC_SHIFT succeeded (35s)');
    expect(formatProgressEvent({ type: 'traffic', at: at(61), blue: 66.66667, green: 33.33333 }, start)).toBe(
      '+1m01s  traffic              blue 66.7% │ green 33.3%',
    );
    expect(
      formatProgressEvent(
        { type: 'tasks', at: at(61), label: 'PRIMARY', running: 2, pending: 0, desired: 4 },
        start,
      ),
    ).toBe('+1m01s  tasks PRIMARY        2/4 running');
  });

  it('shows a status change and never a negative elapsed time', () => {
    expect(formatProgressEvent({ type: 'status', at: start - 3000, status: 'Created' }, start)).toBe(
      '+0m00s  status               Created',
    );
  });

  it('shortens a very long diagnostic to one line', () => {
    const line = formatProgressEvent(
      { type: 'lifecycle', at: at(9), name: 'AfterInstall', status: 'Failed', diagnostic: 'x'.repeat(500) },
      start,
    );
    expect(line.startsWith('+0m09s  AfterInstall         failed: xxx')).toBe(true);
    expect(line.endsWith('…')).toBe(true);
    expect(line.length).toBeLessThan(260);
  });
});

describe('formatElapsed', () => {
  it.each([
    [0, '+0m00s'],
    [12_400, '+0m12s'],
    [65_000, '+1m05s'],
    [3_725_000, '+1h02m05s'],
    [Number.NaN, '+0m00s'],
  ])('%d ms → %s', (ms, text) => expect(formatElapsed(ms)).toBe(text));
});
