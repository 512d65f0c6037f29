import { describe, expect, it } from '@jest/globals';
import type { ProgressEvent } from '../../../src/report/events.js';
import { lifecycleTimeline, trafficSteps } from '../../../src/report/timeline.js';
import { escapeCell } from '../../../src/report/markdown.js';

const t = (s: number) => Date.UTC(2026, 11, 2, 3) + s * 1000;

describe('lifecycleTimeline', () => {
  it('gives a stage that comes round again (a rollback) a row of its own: the failure stays a failure', () => {
    const events: ProgressEvent[] = [
      {
        type: 'lifecycle',
        at: t(10),
        name: 'PRODUCTION_TRAFFIC_SHIFT',
        status: 'InProgress',
        startTime: t(10),
      },
      { type: 'lifecycle', at: t(60), name: 'PRODUCTION_TRAFFIC_SHIFT', status: 'Failed', endTime: t(60) },
      {
        type: 'lifecycle',
        at: t(70),
        name: 'PRODUCTION_TRAFFIC_SHIFT',
        status: 'InProgress',
        startTime: t(70),
      },
      { type: 'lifecycle', at: t(90), name: 'PRODUCTION_TRAFFIC_SHIFT', status: 'Succeeded', endTime: t(90) },
    ];
    expect(lifecycleTimeline(events).map((r) => [r.name, r.status, r.start, r.end])).toEqual([
      ['PRODUCTION_TRAFFIC_SHIFT', 'Failed', t(10), t(60)],
      ['PRODUCTION_TRAFFIC_SHIFT (again)', 'Succeeded', t(70), t(90)],
    ]);
  });

  it('marks a start it only inferred, and ignores times that are not numbers', () => {
    const rows = lifecycleTimeline([
      { type: 'lifecycle', at: t(5), name: 'SCALE_UP', status: 'InProgress', startTime: t(5) },
      { type: 'lifecycle', at: t(50), name: 'SCALE_UP', status: 'Succeeded', endTime: t(50) },
      { type: 'lifecycle', at: t(50), name: 'POST_SCALE_UP', status: 'Succeeded', endTime: t(50) },
      {
        type: 'lifecycle',
        at: Number.NaN,
        name: 'TEST_TRAFFIC_SHIFT',
        status: 'InProgress',
        startTime: Number.NaN,
      },
    ]);
    expect(rows[1]).toMatchObject({ name: 'POST_SCALE_UP', start: t(50), startDerived: true });
    expect(rows[0]!.startDerived).toBeUndefined();
    expect(rows[2]!.start).toBeUndefined();
  });
});

describe('trafficSteps', () => {
  it('starts at the first step onto the new revision and marks the way back', () => {
    const steps = trafficSteps([
      { type: 'traffic', at: t(1), blue: 100, green: 0 },
      { type: 'traffic', at: t(2), blue: 90, green: 10 },
      { type: 'traffic', at: t(3), blue: 90, green: 10 },
      { type: 'traffic', at: t(4), blue: 0, green: 100 },
      { type: 'traffic', at: t(5), blue: 100, green: 0 },
    ]);
    expect(steps.map((s) => [s.green, s.back])).toEqual([
      [10, false],
      [100, false],
      [0, true],
    ]);
  });
});

describe('escapeCell', () => {
  it('lets no text from AWS become an image, a link or code in a table', () => {
    expect(escapeCell('![x](https://e.vil/p.png) `code` *b*')).toBe(
      '\\!\\[x\\](https://e.vil/p.png) \\`code\\` \\*b\\*',
    );
    expect(escapeCell('ROLLBACK_IN_PROGRESS')).toBe('ROLLBACK_IN_PROGRESS');
  });
});
