/**
 * The transport's narration: the event the cursor stands on, in words, for the line a screen
 * reader announces after each step or jump ("t=2,201 ms: window [0, 2,000) of counts#1 fired
 * for key k3"). Each tag has its sentence; a tag without one reads as the trace list shows it
 * (describeEvent), so a new kind of event is never silent.
 */
import type { TraceEvent } from '../../../core/index.ts';
import { compactJson, countOf, describeEvent, formatBytes, formatCount, formatWatermark } from './format.ts';
import { jumpNoun, type JumpKind } from './jumps.ts';
import type { Moment } from './moment.ts';
import { restartCountdown, type PendingRestart } from './pending-restarts.ts';

/**
 * @example
 * narrate({ tag: 'window.fired', timeMs: 2201, task: 'counts#1', attempt: 1, operator: 'counts', key: 'k3', start: 0, end: 2000 })
 * // 't=2,201 ms: window [0, 2,000) of counts#1 fired for key k3'
 */
export function narrate(event: TraceEvent | null): string {
  if (event === null) return 'Before the first event.';
  return `t=${formatCount(event.timeMs)} ms: ${sentence(event)}`;
}

/**
 * The line after a move of the cursor: the event it stands on, after a jump that found
 * nothing the words for that first.
 * @example
 * narrateCursor(last, { kind: 'failure', direction: 'next' }) // 'No later failure. t=8,004 ms: the run ended, ...'
 */
export function narrateCursor(
  last: TraceEvent | null,
  miss: { kind: JumpKind; direction: 'next' | 'previous' } | null,
  now?: Pick<Moment, 'timeMs' | 'pendingRestarts' | 'subtasks'> & { note?: string | null },
): string {
  const note = now?.note ?? null;
  // What holds at the cursor goes first: the line is one row on the page, cut at its end.
  const line = (note === null ? '' : `Here ${note}. `) + (now === undefined ? '' : countdownNow(now.timeMs, now.pendingRestarts, now.subtasks.length)) + narrate(last);
  return miss === null ? line : `No ${miss.direction === 'next' ? 'later' : 'earlier'} ${jumpNoun(miss.kind)}. ${line}`;
}

/**
 * While restarts are pending, the line says what is left of each delay at the cursor, not
 * only what was decided; one decided at the cursor's very ms is the event narrated after it.
 */
function countdownNow(timeMs: number, pending: readonly PendingRestart[], subtasksInJob: number): string {
  const countdowns = pending.filter((p) => p.decidedAtMs !== timeMs).map((p) => restartCountdown(p, timeMs, null, subtasksInJob));
  return countdowns.length === 0 ? '' : `Now t=${formatCount(timeMs)} ms, ${countdowns.join('; ')}. `;
}

function value(v: unknown): string {
  return typeof v === 'string' ? v : compactJson(v, 80);
}

function attemptOf(attempt: number): string {
  return attempt > 1 ? ` (attempt ${attempt})` : '';
}

function because(cause: string | null | undefined): string {
  return cause === null || cause === undefined || cause === '' ? '' : `: ${cause}`;
}

function checkpointName(id: number, savepoint: boolean): string {
  return `${savepoint ? 'savepoint' : 'checkpoint'} ${id}`;
}

function sentence(e: TraceEvent): string {
  switch (e.tag) {
    case 'job.submitted':
      return `job “${e.name}” submitted: ${e.vertices} vertices, ${e.subtasks} subtasks`;
    case 'job.status':
      return `the job is ${e.status}${because(e.cause)}`;
    case 'task.status':
      return `${e.task}${attemptOf(e.attempt)} is ${e.status}${because(e.cause)}`;
    case 'record.emitted':
      return `${e.task}${attemptOf(e.attempt)} emitted ${value(e.value)}`;
    case 'watermark.advanced':
      return `the watermark of ${e.task} advanced to ${formatWatermark(e.watermark)}`;
    case 'watermark.status':
      return e.status === 'IDLE' ? `${e.task} went idle` : `${e.task} is active again`;
    case 'task.backpressure':
      return e.backPressured ? `${e.task}${attemptOf(e.attempt)} is back-pressured: no credit from ${e.downstream ?? 'its consumer'}` : `${e.task}${attemptOf(e.attempt)} is no longer back-pressured`;
    case 'window.fired':
      return `window [${formatCount(e.start)}, ${formatCount(e.end)}) of ${e.task}${attemptOf(e.attempt)} fired for key ${value(e.key)}`;
    case 'window.created':
      return `${e.task}${attemptOf(e.attempt)} opened window [${formatCount(e.start)}, ${formatCount(e.end)}) for key ${value(e.key)}`;
    case 'window.merged':
      return `${e.task}${attemptOf(e.attempt)} merged ${e.merged.map((w) => `[${formatCount(w.start)}, ${formatCount(w.end)})`).join(' and ')} into window [${formatCount(e.start)}, ${formatCount(e.end)}) for key ${value(e.key)}`;
    case 'window.purged':
      return e.cleanup
        ? `${e.task}${attemptOf(e.attempt)} cleaned up window [${formatCount(e.start)}, ${formatCount(e.end)}) for key ${value(e.key)}: the watermark passed its end and the allowed lateness`
        : `${e.task}${attemptOf(e.attempt)} purged window [${formatCount(e.start)}, ${formatCount(e.end)}) for key ${value(e.key)}: its trigger emptied it`;
    case 'timer.registered':
      return `${e.task}${attemptOf(e.attempt)} registered an ${e.domain} timer at ${formatCount(e.timestamp)} for key ${value(e.key)}`;
    case 'timer.fired':
      return `the ${e.domain} timer at ${formatCount(e.timestamp)} of ${e.task}${attemptOf(e.attempt)} fired for key ${value(e.key)}`;
    case 'state.updated':
      return `${e.task}${attemptOf(e.attempt)} ${stateChange(e)} (key ${value(e.key)})`;
    case 'record.late':
      return `${e.task} got a late record ${value(e.value)} (watermark ${formatWatermark(e.watermark)}): ${e.sideOutput === null ? 'dropped' : `sent to side output ${e.sideOutput}`}`;
    case 'record.deduplicated':
      return e.falsePositive
        ? `${e.task} dropped ${value(e.value)}: its key was new, but the Bloom filter took it for one seen before (a false positive)`
        : `${e.task} dropped ${value(e.value)}: its key was seen before`;
    case 'sink.wrote':
      return `sink ${e.sink} (${e.task}) wrote ${value(e.value)}`;
    case 'sideoutput.wrote':
      return `${e.task} wrote ${value(e.value)} to side output ${e.sideOutput}`;
    case 'sink.commit':
      return `sink ${e.sink} (${e.task}): ${e.step} for checkpoint ${e.checkpoint}, ${formatCount(e.records)} records`;
    case 'log.transaction':
      return `transaction ${e.transactionalId} (epoch ${e.epoch}) is ${e.status}, ${formatCount(e.records)} records${because(e.reason)}`;
    case 'checkpoint.triggered':
      return `${checkpointName(e.checkpoint, e.savepoint)} triggered: barriers injected at the sources`;
    case 'checkpoint.completed':
      return `${checkpointName(e.checkpoint, e.savepoint)} completed (${formatBytes(e.stateSize)} of state, ${formatCount(e.durationMs)} ms)`;
    case 'checkpoint.failed':
      return `checkpoint ${e.checkpoint} ${e.status === 'FAILED' ? 'failed' : 'was aborted'}: ${e.reason}`;
    case 'barrier.received':
      return `the barrier of checkpoint ${e.checkpoint} reached ${e.task} on input ${e.input}`;
    case 'alignment.started':
      return `${e.task} started aligning for checkpoint ${e.checkpoint}`;
    case 'barrier.aligned':
      return e.unaligned
        ? `${e.task} has every barrier of checkpoint ${e.checkpoint} (unaligned)`
        : `${e.task} aligned checkpoint ${e.checkpoint} after ${formatCount(e.alignmentMs)} ms`;
    case 'snapshot.taken':
      return `${e.task} took its snapshot for checkpoint ${e.checkpoint} (${formatBytes(e.stateSize)})`;
    case 'snapshot.declined':
      return `${e.task} declined checkpoint ${e.checkpoint}: ${e.reason}`;
    case 'fault.injected':
      return `fault ${e.fault} hit ${e.target}: ${e.description}`;
    case 'job.restarting':
      return `the job restarts in ${formatCount(e.delayMs)} ms (attempt ${e.attempt})${because(e.cause)}`;
    case 'job.restored':
      return `${countOf(e.tasks.length, 'subtask')} redeployed ${e.checkpoint === null ? 'with empty state' : `from ${checkpointName(e.checkpoint, e.savepoint)}`}`;
    case 'taskmanager.status':
      return `TaskManager ${e.taskManager} ${e.status === 'REGISTERED' ? 'registered' : e.status === 'LOST' ? 'was lost' : 'timed out'}`;
    case 'action.skipped':
      return `action ${e.action} skipped: ${e.reason}`;
    case 'run.ended':
      return `the run ended, ${e.status}: ${e.reason}`;
    default:
      return generic(e);
  }
}

function stateChange(e: Extract<TraceEvent, { tag: 'state.updated' }>): string {
  switch (e.change) {
    case 'update':
      return `set state ${e.state} to ${value(e.value)}`;
    case 'add':
      return `added ${value(e.value)} to state ${e.state}`;
    case 'put':
      return `put ${value(e.entry)} → ${value(e.value)} into state ${e.state}`;
    case 'remove':
      return `removed ${value(e.entry)} from state ${e.state}`;
    case 'clear':
      return `cleared state ${e.state}`;
  }
}

function generic(e: object): string {
  const line = describeEvent(e);
  return [line.tag, line.who, line.details].filter((s) => s !== '').join(' ');
}
