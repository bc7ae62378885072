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
      if (event.status === 'FAILED') return `${at}  task ${event.task} (attempt ${event.attempt}) FAILED: ${event.cause}`;
      return event.status === 'RUNNING' && event.attempt > 1 ? `${at}  task ${event.task} running again (attempt ${event.attempt})` : null;
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
    case 'checkpoint.triggered':
      return `${at}  ${event.savepoint ? 'savepoint' : 'checkpoint'} ${event.checkpoint} triggered (${event.tasks} subtasks to acknowledge)`;
    case 'checkpoint.completed':
      return `${at}  ${event.savepoint ? 'savepoint' : 'checkpoint'} ${event.checkpoint} COMPLETED in ${event.durationMs} ms, ${event.stateSize} bytes of state${event.checkpointedSize !== event.stateSize ? ` (${event.checkpointedSize} written, incremental)` : ''}`;
    case 'checkpoint.failed':
      return `${at}  checkpoint ${event.checkpoint} ${event.status}: ${event.reason}${event.cause ? ` (${event.cause})` : ''}${event.counted ? ' [counts against tolerableFailures]' : ''}`;
    case 'barrier.aligned':
      return event.alignmentMs > 0 ? `${at}  ${event.task} aligned checkpoint ${event.checkpoint}: inputs blocked for ${event.alignmentMs} ms` : null;
    case 'barrier.received':
    case 'alignment.started':
    case 'snapshot.taken':
      return null;
    case 'snapshot.declined':
      return `${at}  ${event.task} declined checkpoint ${event.checkpoint}: ${event.reason}`;
    case 'fault.injected':
      return `${at}  FAULT ${event.fault} on ${event.target}: ${event.description}`;
    case 'job.restarting':
      return `${at}  restart ${event.attempt} in ${event.delayMs} ms of ${event.tasks.length} subtask(s) after: ${event.cause}`;
    case 'job.restored':
      return `${at}  ${event.tasks.length} subtask(s) deployed again, ${event.checkpoint === null ? 'with empty state (no checkpoint had completed)' : `restored from ${event.savepoint ? 'savepoint' : 'checkpoint'} ${event.checkpoint}`}`;
    case 'taskmanager.status':
      return `${at}  TaskManager ${event.taskManager} ${event.status === 'LOST' ? 'died' : event.status === 'TIMED_OUT' ? 'declared lost (heartbeat timeout)' : 'registered'}`;
    case 'action.skipped':
      return `${at}  ACTION ${event.action} skipped: ${event.reason}`;
    case 'log.transaction':
      if (event.status === 'OPEN') return null;
      return `${at}  log: transaction ${event.transactionalId} (epoch ${event.epoch}, ${event.records} record(s)) ${event.status}${event.reason ? `: ${event.reason}` : ''}`;
    case 'sink.commit':
      return event.step === 'begin' ? null : `${at}  ${event.task} ${event.step} checkpoint ${event.checkpoint}${event.transactionalId ? ` (${event.transactionalId})` : ''}: ${event.records} record(s)${event.detail ? `, ${event.detail}` : ''}`;
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
    ...(report.checkpoints.length > 0 ? [`checkpoints  ${summarizeCheckpoints(report)}`] : []),
    ...(report.restarts.length > 0 ? [`restarts     ${report.restarts.length}: ${report.restarts.map((r) => `t=${r.at} ${r.cause}`).join('; ')}`] : []),
    `trace        ${report.traceEvents} events at level ${report.traceLevel}, hash ${report.traceHash}`,
  );
  return out.join('\n') + '\n';
}

function summarizeCheckpoints(report: RunReport): string {
  const counts = new Map<string, number>();
  for (const c of report.checkpoints) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  return [...counts.entries()].map(([status, n]) => `${n} ${status}`).join(', ');
}
