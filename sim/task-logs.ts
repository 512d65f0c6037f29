/**
 * What a stopped task's awslogs containers leave in CloudWatch Logs: stream
 * `<awslogs-stream-prefix>/<container>/<task id>` (or the container's runtime id without a prefix),
 * lines timed between the task's start and stop.
 */
import type { LogStore } from './log-store.js';
import { awslogsOptions, type StopCause } from './task-stops.js';
import type { ScenarioTaskDefinition } from './scenarios.js';

/** A Node service that starts, fails to reach its database, and exits 1. */
export const crashLines = [
  '> web@2.0.0 start',
  '> node --enable-source-maps dist/server.js',
  '{"level":30,"msg":"loading configuration","stage":"prod"}',
  '{"level":30,"msg":"configuration loaded","keys":23}',
  '{"level":30,"msg":"registering routes","count":41}',
  '{"level":30,"msg":"metrics exporter started","endpoint":"http://localhost:4318"}',
  '{"level":30,"msg":"connecting to redis","host":"web-cache.abc123.ng.0001.use1.cache.amazonaws.com"}',
  '{"level":30,"msg":"redis ready"}',
  '{"level":30,"msg":"connecting to postgres","host":"10.0.3.12","port":5432,"database":"web"}',
  '{"level":40,"msg":"postgres connection failed, retrying","attempt":1,"delayMs":500}',
  '{"level":40,"msg":"postgres connection failed, retrying","attempt":2,"delayMs":1000}',
  '{"level":40,"msg":"postgres connection failed, retrying","attempt":3,"delayMs":2000}',
  '{"level":40,"msg":"postgres connection failed, retrying","attempt":4,"delayMs":4000}',
  '{"level":50,"msg":"giving up on postgres after 4 attempts"}',
  'node:internal/process/promises:289',
  '            triggerUncaughtException(err, true /* fromPromise */);',
  '            ^',
  '',
  'Error: connect ECONNREFUSED 10.0.3.12:5432',
  '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
  '    at Pool.connect (/app/node_modules/pg-pool/index.js:45:11)',
  '    at async connectDatabase (/app/dist/db.js:18:5)',
  '    at async main (/app/dist/server.js:27:3) {',
  '  errno: -111,',
  "  code: 'ECONNREFUSED',",
  "  syscall: 'connect',",
  "  address: '10.0.3.12',",
  '  port: 5432',
  '}',
  '',
  'Node.js v20.11.1',
];

/** A one-off command (a migration) that ran cleanly. */
export const cleanRunLines = [
  '> web@2.0.0 migrate',
  '> node dist/migrate.js',
  '{"level":30,"msg":"connecting to postgres","host":"10.0.3.12","port":5432}',
  '{"level":30,"msg":"3 migrations pending"}',
  '{"level":30,"msg":"applied 20240611_add_orders_index"}',
  '{"level":30,"msg":"applied 20240612_backfill_order_totals"}',
  '{"level":30,"msg":"applied 20240614_drop_legacy_sessions"}',
  '{"level":30,"msg":"migrations complete","ms":4210}',
];

/** A healthy container asked to stop (SIGTERM). */
export const shutdownLines = [
  '{"level":30,"msg":"listening","port":8080}',
  '{"level":30,"msg":"GET /health 200","ms":2}',
  '{"level":30,"msg":"received SIGTERM, draining connections"}',
  '{"level":30,"msg":"server closed"}',
];

function linesFor(cause: StopCause, failed: boolean): string[] {
  if (failed && cause.logLines) return cause.logLines;
  if (!failed || cause.stopCode === 'UserInitiated') return shutdownLines;
  return cause.exitCode === 0 ? cleanRunLines : crashLines;
}

export interface StoppedTaskView {
  taskArn: string;
  /** Epoch seconds. */
  startedAt: number;
  stoppedAt: number;
  containers: { name: string; runtimeId?: string }[];
}

/** Writes each awslogs container's last lines; nothing for a task that failed to start. */
export function writeLastWords(
  logs: LogStore,
  task: StoppedTaskView,
  definition: Pick<ScenarioTaskDefinition, 'containerDefinitions'>,
  cause: StopCause,
  region: string,
): void {
  if (cause.stopCode === 'TaskFailedToStart') return;
  const taskId = task.taskArn.split('/').pop()!;
  for (const container of definition.containerDefinitions) {
    const options = awslogsOptions(container);
    const group = options?.['awslogs-group']
      ? logs.group(options['awslogs-region'] ?? region, options['awslogs-group'])
      : undefined;
    if (!options || !group) continue;
    const prefix = options['awslogs-stream-prefix'];
    const runtimeId = task.containers.find((c) => c.name === container.name)?.runtimeId;
    const stream = prefix ? `${prefix}/${container.name}/${taskId}` : runtimeId;
    if (!stream) continue;
    const failed = cause.container === undefined || cause.container === container.name;
    const lines = linesFor(cause, failed);
    // Spread over the task's life, in order, the last one just before it stopped (scaled time can
    // make that life a few milliseconds: lines then share timestamps, as fast output does).
    const startMs = task.startedAt * 1000;
    const stepMs = Math.max(0, task.stoppedAt * 1000 - 1 - startMs) / (lines.length + 1);
    logs.write(
      group,
      stream,
      lines.map((message, i) => {
        const timestamp = Math.floor(startMs + (i + 1) * stepMs);
        return { timestamp, message, ingestionTime: timestamp + 150 + (i % 7) * 11 };
      }),
    );
  }
}
