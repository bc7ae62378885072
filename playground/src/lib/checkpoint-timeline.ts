/**
 * One checkpoint subtask by subtask, as Flink's web UI shows it under Checkpoints >
 * History > a checkpoint's details: when the coordinator triggered it, when each subtask
 * got its first and last barrier, when its alignment started and ended, and when it took
 * its snapshot, as a pure function of the trace.
 *
 * Weir takes a snapshot in one step of virtual time and sends the acknowledgement with
 * it (`snapshot.taken`), so there are no separate synchronous and asynchronous phases,
 * and the acknowledgement's arrival at the coordinator has no event of its own: only the
 * checkpoint's completion (`checkpoint.completed`) says that every acknowledgement got
 * there. A source subtask gets no barrier on an input: the coordinator's trigger makes it
 * inject one, so its row starts at its snapshot.
 */
import type { TraceEvent } from '../../../core/index.ts';

export interface SubtaskCheckpoint {
  readonly task: string;
  /** The execution attempt the events are of; null when the subtask has none for this checkpoint. */
  readonly attempt: number | null;
  readonly firstBarrierMs: number | null;
  readonly lastBarrierMs: number | null;
  /** Input channels the barrier arrived on. */
  readonly barriers: number;
  readonly alignmentStartMs: number | null;
  /** When the subtask had the barrier from every input (`barrier.aligned`). */
  readonly alignedMs: number | null;
  readonly alignmentMs: number | null;
  readonly unaligned: boolean | null;
  /** When it took its snapshot and sent its acknowledgement. */
  readonly snapshotMs: number | null;
  readonly stateSize: number | null;
  readonly channelStateRecords: number | null;
  readonly declinedMs: number | null;
  readonly declineReason: string | null;
}

export interface CheckpointTimeline {
  readonly checkpoint: number;
  readonly savepoint: boolean;
  readonly triggeredMs: number;
  /** Subtasks that must acknowledge it. */
  readonly tasks: number;
  readonly outcome: 'COMPLETED' | 'FAILED' | 'ABORTED' | 'IN_PROGRESS';
  /** When it completed or ended without completing; null while in progress at the run's end. */
  readonly endedMs: number | null;
  readonly reason: string | null;
  readonly rows: readonly SubtaskCheckpoint[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const emptyRow = (task: string): Mutable<SubtaskCheckpoint> => ({
  task,
  attempt: null,
  firstBarrierMs: null,
  lastBarrierMs: null,
  barriers: 0,
  alignmentStartMs: null,
  alignedMs: null,
  alignmentMs: null,
  unaligned: null,
  snapshotMs: null,
  stateSize: null,
  channelStateRecords: null,
  declinedMs: null,
  declineReason: null,
});

/** The checkpoints (and savepoints) the coordinator triggered, in trigger order. */
export function triggeredCheckpoints(events: readonly TraceEvent[]): number[] {
  return events.flatMap((e) => (e.tag === 'checkpoint.triggered' ? [e.checkpoint] : []));
}

/**
 * Checkpoint `id` per subtask; `tasks` gives the rows' order (the report's, job graph
 * order) and a row for each subtask that has no event for it. Null when `id` was never
 * triggered.
 *
 * @example
 * checkpointTimeline(run.events, 1, run.report.tasks.map((t) => t.id));
 * // { checkpoint: 1, triggeredMs: 500, outcome: 'COMPLETED', rows: [{ task: 'readings#0', snapshotMs: 501, ... }, ...] }
 */
export function checkpointTimeline(events: readonly TraceEvent[], id: number, tasks: readonly string[]): CheckpointTimeline | null {
  const rows = new Map<string, Mutable<SubtaskCheckpoint>>(tasks.map((t) => [t, emptyRow(t)]));
  let trigger: Extract<TraceEvent, { tag: 'checkpoint.triggered' }> | null = null;
  let outcome: CheckpointTimeline['outcome'] = 'IN_PROGRESS';
  let endedMs: number | null = null;
  let reason: string | null = null;
  const rowOf = (task: string, attempt: number): Mutable<SubtaskCheckpoint> => {
    let row = rows.get(task);
    if (row === undefined) rows.set(task, (row = emptyRow(task)));
    row.attempt = attempt;
    return row;
  };
  for (const e of events) {
    if (!('checkpoint' in e) || e.checkpoint !== id) continue;
    switch (e.tag) {
      case 'checkpoint.triggered':
        trigger = e;
        break;
      case 'checkpoint.completed':
        outcome = 'COMPLETED';
        endedMs = e.timeMs;
        break;
      case 'checkpoint.failed':
        outcome = e.status;
        endedMs = e.timeMs;
        reason = e.cause === null ? e.reason : `${e.reason}: ${e.cause}`;
        break;
      case 'barrier.received': {
        const row = rowOf(e.task, e.attempt);
        row.firstBarrierMs ??= e.timeMs;
        row.lastBarrierMs = e.timeMs;
        row.barriers++;
        break;
      }
      case 'alignment.started':
        rowOf(e.task, e.attempt).alignmentStartMs ??= e.timeMs;
        break;
      case 'barrier.aligned': {
        const row = rowOf(e.task, e.attempt);
        row.alignedMs = e.timeMs;
        row.alignmentMs = e.alignmentMs;
        row.unaligned = e.unaligned;
        break;
      }
      case 'snapshot.taken': {
        const row = rowOf(e.task, e.attempt);
        row.snapshotMs = e.timeMs;
        row.stateSize = e.stateSize;
        row.channelStateRecords = e.channelStateRecords;
        break;
      }
      case 'snapshot.declined': {
        const row = rowOf(e.task, e.attempt);
        row.declinedMs = e.timeMs;
        row.declineReason = e.reason;
        break;
      }
      default:
        break; // sink commits name the checkpoint too; they are the sink's story, not the snapshot's
    }
  }
  if (trigger === null) return null;
  return {
    checkpoint: id,
    savepoint: trigger.savepoint,
    triggeredMs: trigger.timeMs,
    tasks: trigger.tasks,
    outcome,
    endedMs,
    reason,
    rows: [...rows.values()],
  };
}

/** The last time on the timeline: its end, or the latest event of any row while in progress. */
export function timelineEndMs(timeline: CheckpointTimeline): number {
  if (timeline.endedMs !== null) return timeline.endedMs;
  let end = timeline.triggeredMs;
  for (const r of timeline.rows) {
    for (const t of [r.lastBarrierMs, r.alignedMs, r.snapshotMs, r.declinedMs]) if (t !== null && t > end) end = t;
  }
  return end;
}
