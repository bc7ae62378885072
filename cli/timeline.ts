// The readable form of a run for a terminal: a timeline of what a person watching the job
// would want to see (job state, failures, what the sinks printed) and a summary.
import { formatWatermark, type RunReport, type TraceEvent } from '../core/index.ts';

const MAX_LINES = 400;

function json(value: unknown): string {
  return JSON.stringify(value);
}

function line(event: TraceEvent): string | null {
  const at = `t=${event.timeMs}`.padStart(9);
  switch (event.tag) {
    case 'job.submitted':
      return `${at}  job '${event.name}' submitted (${event.vertices} vertices, ${event.subtasks} subtasks)`;
    case 'job.status':
      return `${at}  job ${event.status}${event.cause ? `: ${event.cause}` : ''}`;
    case 'task.status':
      return event.status === 'FAILED' ? `${at}  task ${event.task} FAILED: ${event.cause}` : null;
    case 'sink.wrote':
      return `${at}  ${event.sink}> ${json(event.value)}${event.timestamp === null ? '' : ` @${event.timestamp}`}`;
    case 'watermark.advanced':
      return null;
    case 'record.emitted':
      return null;
    case 'watermark.status':
      return `${at}  task ${event.task} is ${event.status === 'IDLE' ? 'idle: its watermark no longer holds others back' : 'active again'}`;
    case 'window.fired':
      return `${at}  ${event.task} fired window [${event.start}, ${event.end}) for key ${json(event.key)}`;
    case 'run.ended':
      return `${at}  run ended: ${event.reason}`;
  }
}

export function renderTimeline(events: readonly TraceEvent[], report: RunReport): string {
  const out: string[] = [];
  let skipped = 0;
  for (const event of events) {
    const text = line(event);
    if (text === null) continue;
    if (out.length < MAX_LINES) out.push(text);
    else skipped++;
  }
  if (skipped > 0) out.push(`          … ${skipped} more lines (use --json or --trace FILE for everything)`);
  const watermarks = report.tasks.filter((t) => t.watermark !== null).map((t) => `${t.id}=${formatWatermark(t.watermark!)}`);
  out.push(
    '',
    `scenario     ${report.scenario}`,
    `status       ${report.status}${report.failureCause ? ` (${report.failureCause})` : ''}`,
    `seed         ${report.seed}`,
    `virtual time ${report.virtualTime} ms`,
    `job graph    ${report.jobGraph.vertices.map((v) => `${v.name} [${v.parallelism}]`).join('  =>  ')}`,
    `records      ${report.metrics.recordsIn} in, ${report.metrics.recordsOut} written by sinks`,
    ...(watermarks.length > 0 ? [`watermarks   ${watermarks.join(', ')}`] : []),
    `trace        ${report.traceEvents} events at level ${report.traceLevel}, hash ${report.traceHash}`,
  );
  return out.join('\n') + '\n';
}
