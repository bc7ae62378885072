// The readable form of a run for a terminal: a timeline of what a person watching the job
// would want to see (job state, watermarks, failures, what the sinks printed) and a summary.
import { jobGraphLines } from './job-graph-text.ts';
import { jsonText as json } from './json-text.ts';
import { faultLines } from './timeline-faults.ts';
import { planBackPressure } from './timeline-backpressure.ts';
import { untimedSideOutputLines } from './timeline-side-outputs.ts';
import { planWatermarks, type WatermarkPlan } from './timeline-watermarks.ts';
import { formatWatermark, isGlobalWindow, type FaultSpec, type RunReport, type TraceEvent } from '../core/index.ts';

const MAX_LINES = 400;

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
    case 'sideoutput.wrote':
      return `${at}  ${event.task} wrote ${json(event.value)}${event.timestamp === null ? '' : ` @${event.timestamp}`} to side output '${event.sideOutput}'`;
    case 'watermark.advanced':
      // Merged and thinned across events: see timeline-watermarks.ts.
      return null;
    case 'record.emitted':
      return null;
    case 'task.backpressure':
      // Episodes, from pairs of events: see timeline-backpressure.ts.
      return null;
    case 'watermark.status':
      return `${at}  task ${event.task} is ${event.status === 'IDLE' ? 'idle: its watermark no longer holds others back' : 'active again'}`;
    case 'window.fired':
      return `${at}  ${event.task} fired ${isGlobalWindow(event) ? 'the global window' : `window [${event.start}, ${event.end})`} for key ${json(event.key)}`;
    case 'window.created':
      return `${at}  ${event.task} opened ${windowText(event)} for key ${json(event.key)}`;
    case 'window.merged':
      return `${at}  ${event.task} merged ${event.merged.map(windowText).join(' and ')} with a new element into ${windowText(event)} for key ${json(event.key)}`;
    case 'window.purged':
      return `${at}  ${event.task} ${event.cleanup ? 'cleaned up' : 'purged the contents of'} ${windowText(event)} for key ${json(event.key)}`;
    case 'timer.registered':
    case 'timer.fired':
      return `${at}  ${event.task} ${event.tag === 'timer.fired' ? 'fired its' : 'registered an'} ${event.domain} timer at ${event.timestamp} for key ${json(event.key)}`;
    case 'state.updated':
      return `${at}  ${event.task} ${stateChange(event)} for key ${json(event.key)}`;
    case 'record.late':
      return `${at}  ${event.task} got a late record ${json(event.value)}${event.timestamp === null ? '' : ` @${event.timestamp}`} behind watermark ${formatWatermark(event.watermark)}: ${event.sideOutput === null ? 'dropped' : `to side output '${event.sideOutput}'`}`;
    case 'record.deduplicated':
      // A true duplicate is what dedup is for; a false positive is the record a learner asks about.
      return event.falsePositive ? `${at}  ${event.task} dropped ${json(event.value)}: its key was new, but the Bloom filter took it for one seen before (a false positive)` : null;
    case 'checkpoint.triggered':
      return `${at}  ${event.savepoint ? 'savepoint' : 'checkpoint'} ${event.checkpoint} triggered (${event.tasks} subtasks to acknowledge)`;
    case 'checkpoint.completed':
      return `${at}  ${event.savepoint ? 'savepoint' : 'checkpoint'} ${event.checkpoint} COMPLETED in ${event.durationMs} ms, ${event.stateSize} bytes of state${event.checkpointedSize !== event.stateSize ? ` (${event.checkpointedSize} written, incremental)` : ''}`;
    case 'checkpoint.failed':
      return `${at}  ${event.savepoint ? 'savepoint' : 'checkpoint'} ${event.checkpoint} ${event.status}: ${event.reason}${event.cause ? ` (${event.cause})` : ''}${event.counted ? ' [counts against tolerableFailures]' : ''}`;
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
      // Checkpoint 0: the one commit of a sink in a job without periodic checkpoints, at the end of its input.
      return event.step === 'begin' ? null : `${at}  ${event.task} ${event.step} ${event.checkpoint === 0 ? 'the end-of-input transaction' : `checkpoint ${event.checkpoint}`}${event.transactionalId ? ` (${event.transactionalId})` : ''}: ${event.records} record(s)${event.detail ? `, ${event.detail}` : ''}`;
    case 'run.ended':
      return `${at}  run ended: ${event.reason}`;
  }
}

function windowText(w: { start: number; end: number }): string {
  return isGlobalWindow(w) ? 'the global window' : `window [${w.start}, ${w.end})`;
}

function stateChange(e: Extract<TraceEvent, { tag: 'state.updated' }>): string {
  switch (e.change) {
    case 'update':
      return `set state ${e.state} to ${json(e.value)}`;
    case 'add':
      return `added ${json(e.value)} to state ${e.state}`;
    case 'put':
      return `put ${json(e.entry)}: ${json(e.value)} into state ${e.state}`;
    case 'remove':
      return `removed ${json(e.entry)} from state ${e.state}`;
    case 'clear':
      return `cleared state ${e.state}`;
  }
}

/** The events about one key's windows, timers and state: folded first when a run is too long to show whole. */
const DETAIL_TAGS: ReadonlySet<TraceEvent['tag']> = new Set(['window.fired', 'window.created', 'window.merged', 'window.purged', 'timer.registered', 'timer.fired', 'state.updated']);

/** Lines kept from the end of a long run, after its first ones: how it ended matters as much as how it began. */
const TAIL_LINES = 100;

/** Watermark lines in the folded middle of a long run that stay listed; more than this many are folded with the rest. */
const MIDDLE_WATERMARK_LINES = 100;

export function renderTimeline(events: readonly TraceEvent[], report: RunReport, faults: readonly FaultSpec[] = []): string {
  const out: string[] = [];
  const sources = new Set(report.jobGraph.vertices.map((v) => v.id).filter((id) => !report.jobGraph.edges.some((e) => e.target === id)));
  const watermarks = planWatermarks(events, sources);
  const backPressure = planBackPressure(events);
  const textOf = (event: TraceEvent, index: number): string | null =>
    event.tag === 'watermark.advanced' ? (watermarks.lines.get(index) ?? null) : event.tag === 'task.backpressure' ? (backPressure.lines.get(index) ?? null) : line(event);
  // Window firings, openings and timers and state changes (lines per key and window) go
  // first when the run is too long to show whole, so that what the sinks wrote is not the
  // part summarised away.
  let lines = 0;
  events.forEach((event, i) => {
    if (textOf(event, i) !== null) lines++;
  });
  const foldFirings = lines > MAX_LINES;
  let firings = 0;
  const shown: { text: string; event: TraceEvent }[] = [];
  events.forEach((event, i) => {
    if (foldFirings && DETAIL_TAGS.has(event.tag)) {
      if (line(event) !== null) firings++;
      return;
    }
    const text = textOf(event, i);
    if (text !== null) shown.push({ text, event });
  });
  // A long run is summarised, not cut: its beginning, what happened in between counted by
  // kind of event, and its end.
  const head = Math.min(shown.length, MAX_LINES - TAIL_LINES);
  const tailFrom = Math.max(head, shown.length - TAIL_LINES);
  for (let i = 0; i < head; i++) out.push(shown[i]!.text);
  const middle = shown.slice(head, tailFrom);
  // What stays of the middle, in order: backpressure lines (few, as planBackPressure folds
  // them, and each ends an episode a reader saw begin), and watermark lines when they are
  // few: a watermark that stalls while records pile up is the story of the middle, and
  // the records are what is folded.
  const keepWatermarks = middle.filter((m) => m.event.tag === 'watermark.advanced').length <= MIDDLE_WATERMARK_LINES;
  const between = new Map<string, number>();
  let betweenCount = 0;
  let betweenFrom: number | null = null;
  let betweenTo: number | null = null;
  for (const { text, event } of middle) {
    if (event.tag === 'task.backpressure' || (keepWatermarks && event.tag === 'watermark.advanced')) {
      out.push(text);
      continue;
    }
    betweenCount++;
    betweenFrom ??= event.timeMs;
    betweenTo = event.timeMs;
    between.set(event.tag, (between.get(event.tag) ?? 0) + 1);
  }
  if (betweenCount > 0) {
    const kinds = [...between.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([tag, n]) => `${n} ${tag}`);
    out.push(`          … ${betweenCount} more lines from t=${betweenFrom} to t=${betweenTo}: ${kinds.join(', ')} (use --json or --trace FILE for everything)`);
  }
  for (let i = tailFrom; i < shown.length; i++) out.push(shown[i]!.text);
  if (firings > 0) out.push(`          (${firings} lines about windows, timers and state not listed, one or more per key and window: --json or --trace FILE has them)`);
  if (watermarks.everyMs > 1) out.push(thinnedNote(watermarks));
  out.push(...untimedSideOutputLines(events, report));
  const lastWatermarks = report.tasks.filter((t) => t.watermark !== null).map((t) => `${t.id}=${formatWatermark(t.watermark!)}`);
  out.push(
    '',
    `scenario     ${report.scenario}`,
    `status       ${report.status}${report.failureCause ? ` (${report.failureCause})` : ''}`,
    `seed         ${report.seed}`,
    `virtual time ${report.virtualTime} ms`,
    ...jobGraphLines(report.jobGraph).map((l, i) => `${i === 0 ? 'job graph   ' : '            '} ${l}`),
    `records      ${report.metrics.recordsIn} in, ${report.metrics.recordsOut} written by sinks`,
    ...storyLines(report),
    ...(lastWatermarks.length > 0 ? [`watermarks   ${lastWatermarks.join(', ')}`] : []),
    ...(report.checkpoints.length > 0 ? [`checkpoints  ${summarizeCheckpoints(report)}`] : []),
    ...(report.restarts.length > 0 ? [`restarts     ${report.restarts.length}: ${report.restarts.map((r) => `t=${r.at} ${r.cause}`).join('; ')}`] : []),
    ...faultLines(report, faults),
    `trace        ${report.traceEvents} events at level ${report.traceLevel}, hash ${report.traceHash}`,
  );
  return out.join('\n') + '\n';
}

/** Late records, side outputs and backpressure: what the run's report says a reader should know. */
function storyLines(report: RunReport): string[] {
  const out: string[] = [];
  const { lateRecordsDropped, lateRecordsToSideOutput } = report.metrics;
  if (lateRecordsDropped + lateRecordsToSideOutput > 0) out.push(`late records ${lateRecordsDropped} dropped, ${lateRecordsToSideOutput} sent to a side output`);
  const sides = Object.entries(report.sideOutputs).map(([tag, records]) => `${tag}: ${records.length}`);
  if (sides.length > 0) out.push(`side outputs ${sides.join(', ')}`);
  const pressed = report.tasks.filter((t) => t.backPressuredTimeMs > 0).map((t) => `${t.id} ${t.backPressuredTimeMs} ms`);
  if (pressed.length > 0) {
    out.push(`backpressure ${pressed.join(', ')} (time each subtask waited for credit)`);
    // Where the waiting went: records the log held that the backpressured sources had not read.
    const lag = Object.entries(report.consumerLag).flatMap(([topic, parts]) => parts.filter((p) => p.max > 0).map((p) => `${topic}[${p.partition}] ${p.max} at t=${p.maxAt}`));
    if (lag.length > 0) out.push(`consumer lag ${lag.join(', ')} (the most records appended but not yet read, and when)`);
  }
  return out;
}

function thinnedNote(plan: WatermarkPlan): string {
  return `          (watermark lines thinned to one per subtask every ${plan.everyMs} ms, and each subtask's last: ${plan.hidden} of ${plan.advances} advances not listed; --json or --trace FILE has them)`;
}

function summarizeCheckpoints(report: RunReport): string {
  const counts = new Map<string, number>();
  for (const c of report.checkpoints) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  return [...counts.entries()].map(([status, n]) => `${n} ${status}`).join(', ');
}
