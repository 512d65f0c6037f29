import { execFileSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { deploymentChart, label, type ChartInput } from '../../../src/report/chart.js';
import type { ProgressEvent } from '../../../src/report/events.js';

const start = Date.UTC(2026, 11, 2, 3, 0, 0);
const at = (seconds: number) => start + seconds * 1000;

/** The text inside the ```mermaid fence. */
function diagram(lines: string[]): string {
  expect(lines[0]).toBe('```mermaid');
  expect(lines[lines.length - 1]).toBe('```');
  return lines.slice(1, -1).join('\n');
}

interface DrawnTask {
  section: string;
  task: string;
  milestone: boolean;
  start: number;
  end: number;
}

/**
 * Parses with Mermaid's own parser and lays the gantt tasks out as Mermaid would draw them. Mermaid
 * needs a DOM and native ESM, so it runs in a node of its own (__tests__/helpers/mermaid-check.mjs).
 */
function tasksOf(text: string): DrawnTask[] {
  const output = execFileSync(process.execPath, ['__tests__/helpers/mermaid-check.mjs'], {
    input: JSON.stringify([text]),
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const [result] = JSON.parse(output) as { diagramType?: string; tasks?: DrawnTask[]; error?: string }[];
  expect(result).toMatchObject({ diagramType: 'gantt' });
  return result!.tasks!;
}

const codeDeploy: ProgressEvent[] = [
  { type: 'lifecycle', at: at(10), name: 'Install', status: 'InProgress', startTime: at(5) },
  { type: 'lifecycle', at: at(60), name: 'Install', status: 'Succeeded', startTime: at(5), endTime: at(60) },
  { type: 'traffic', at: at(61), blue: 100, green: 0 },
  { type: 'lifecycle', at: at(62), name: 'AllowTraffic', status: 'InProgress', startTime: at(62) },
  { type: 'traffic', at: at(62), blue: 90, green: 10 },
  { type: 'traffic', at: at(362), blue: 0, green: 100 },
  {
    type: 'lifecycle',
    at: at(363),
    name: 'AllowTraffic',
    status: 'Succeeded',
    startTime: at(62),
    endTime: at(363),
  },
  {
    type: 'lifecycle',
    at: at(400),
    name: 'AfterAllowTraffic',
    status: 'Failed',
    startTime: at(363),
    endTime: at(400),
    diagnostic: 'smoke: test; failed #1',
  },
];

function input(overrides: Partial<ChartInput>): ChartInput {
  return {
    controller: 'CODE_DEPLOY',
    startedAt: start,
    endedAt: at(420),
    events: codeDeploy,
    before: 'web:41',
    after: 'web:42',
    ...overrides,
  };
}

describe('deploymentChart', () => {
  it('CodeDeploy: lifecycle events as bars (failed ones critical), each traffic step a milestone', () => {
    const tasks = tasksOf(diagram(deploymentChart(input({}))));
    expect(tasks.map((t) => [t.section, t.task, t.milestone])).toEqual([
      ['Lifecycle', 'Install', false],
      ['Lifecycle', 'AllowTraffic', false],
      ['Lifecycle', 'AfterAllowTraffic', false],
      ['Traffic to web∶42', 'new at 10%', true],
      ['Traffic to web∶42', 'new at 100%', true],
    ]);
    expect(tasks[0]!.start).toBe(at(5));
    expect(tasks[0]!.end).toBe(at(60));
    expect(tasks[3]!.start).toBe(at(62));
    expect(deploymentChart(input({})).join('\n')).toContain(
      `AfterAllowTraffic: crit, ${at(363)}, ${at(400)}`,
    );
  });

  it('ECS-native: stages as bars, a rollback as a step going back', () => {
    const events: ProgressEvent[] = [
      { type: 'lifecycle', at: at(5), name: 'SCALE_UP', status: 'InProgress', startTime: at(5) },
      { type: 'lifecycle', at: at(50), name: 'SCALE_UP', status: 'Succeeded', endTime: at(50) },
      {
        type: 'lifecycle',
        at: at(50),
        name: 'PRODUCTION_TRAFFIC_SHIFT',
        status: 'InProgress',
        startTime: at(50),
      },
      { type: 'traffic', at: at(50), blue: 90, green: 10 },
      { type: 'traffic', at: at(230), blue: 0, green: 100 },
      {
        type: 'lifecycle',
        at: at(240),
        name: 'PRODUCTION_TRAFFIC_SHIFT',
        status: 'Failed',
        endTime: at(240),
      },
      { type: 'traffic', at: at(250), blue: 100, green: 0 },
    ];
    const tasks = tasksOf(diagram(deploymentChart(input({ controller: 'ECS', events }))));
    expect(tasks.map((t) => `${t.section}: ${t.task}`)).toEqual([
      'Stages: SCALE_UP',
      'Stages: PRODUCTION_TRAFFIC_SHIFT',
      'Traffic to web∶42: new at 10%',
      'Traffic to web∶42: new at 100%',
      'Traffic to web∶42: new back to 0%',
    ]);
  });

  it('rolling: task counts of the new and the old revision over time, one row each', () => {
    const events: ProgressEvent[] = [
      { type: 'tasks', at: at(1), label: 'old', running: 4, pending: 0, desired: 4 },
      { type: 'tasks', at: at(1), label: 'new', running: 0, pending: 2, desired: 4 },
      { type: 'tasks', at: at(30), label: 'new', running: 2, pending: 2, desired: 4 },
      { type: 'tasks', at: at(31), label: 'old', running: 2, pending: 0, desired: 2 },
      { type: 'tasks', at: at(60), label: 'new', running: 4, pending: 0, desired: 4 },
      { type: 'tasks', at: at(61), label: 'old', running: 0, pending: 0, desired: 0 },
    ];
    const lines = deploymentChart(input({ controller: 'ROLLING', events, endedAt: at(90) }));
    expect(lines.slice(1, 4)).toEqual(['---', 'displayMode: compact', '---']);
    const tasks = tasksOf(diagram(lines));
    expect(tasks.map((t) => [t.section, t.task, (t.start - start) / 1000, (t.end - start) / 1000])).toEqual([
      ['New web∶42', '2 running', 30, 60],
      ['New web∶42', '4 running', 60, 90],
      ['Old web∶41', '4 running', 1, 31],
      ['Old web∶41', '2 running', 31, 61],
    ]);
  });

  it('always draws the last traffic step, however many there were', () => {
    const events: ProgressEvent[] = Array.from({ length: 100 }, (_, i) => ({
      type: 'traffic' as const,
      at: at(10 + i),
      blue: 99 - i,
      green: i + 1,
    }));
    const tasks = tasksOf(diagram(deploymentChart(input({ events, endedAt: at(200) }))));
    expect(tasks).toHaveLength(40);
    expect(tasks[tasks.length - 1]!.task).toBe('new at 100%');
  });

  it('draws nothing without lifecycle, traffic or task counts', () => {
    expect(deploymentChart(input({ events: [{ type: 'note', at: at(1), message: 'waiting' }] }))).toEqual([]);
  });

  it('keeps names the gantt grammar would misread out of the chart', () => {
    expect(label('web:42; drop #table')).toBe('web∶42 drop table');
    const events: ProgressEvent[] = [
      { type: 'lifecycle', at: at(5), name: 'Hook: a;b#c', status: 'InProgress', startTime: at(5) },
    ];
    const tasks = tasksOf(diagram(deploymentChart(input({ events, after: 'x:1 ```' }))));
    expect(tasks.map((t) => t.task)).toEqual(['Hook∶ a b c']);
  });
});
