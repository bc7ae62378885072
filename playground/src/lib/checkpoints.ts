/**
 * The checkpoint history as Flink's web UI shows it (Job > Checkpoints > History): one row
 * per checkpoint or savepoint with its status, trigger time, end-to-end duration (trigger to
 * completion, or to failure), the bytes written for it, its full size and the longest
 * alignment. Rows come from the run report; the time a checkpoint failed comes from the
 * trace (`checkpoint.failed`), because the report keeps only completion times.
 *
 * The history reads oldest first, unlike Flink's live view (newest on top): a finished run
 * is read as a story, with the restarts between the checkpoints they fell between.
 */
import type { CheckpointingSpec, RunReport } from '../../../core/index.ts';
import { formatCount } from './format.ts';

export type ReportCheckpoint = RunReport['checkpoints'][number];
export type ReportRestart = RunReport['restarts'][number];

export interface CheckpointRow {
  kind: 'checkpoint';
  id: number;
  savepoint: boolean;
  status: ReportCheckpoint['status'];
  triggeredAt: number;
  /** When it completed or failed; null while in progress (or when the trace does not say). */
  endedAt: number | null;
  /** endedAt - triggeredAt, or null. */
  endToEndMs: number | null;
  checkpointedSize: number;
  stateSize: number;
  alignmentMs: number;
  /** EXPIRED, DECLINED, TASK_FAILURE, SUBSUMED, ... for FAILED and ABORTED ones. */
  failureReason: string | null;
  failureCause: string | null;
  /** The attempts of the restarts that restored their subtasks from this checkpoint. */
  restoredBy: number[];
}

/** A restart, placed in the history between the checkpoints it fell between. */
export interface RestartMarker {
  kind: 'restart';
  attempt: number;
  at: number;
  cause: string;
  restoredFrom: number | null;
}

export type HistoryRow = CheckpointRow | RestartMarker;

interface EventLike {
  readonly tag: string;
  readonly timeMs: number;
}

/** The time each checkpoint ended without completing, from `checkpoint.failed` events. */
function failureTimes(events: readonly EventLike[]): Map<number, number> {
  const times = new Map<number, number>();
  for (const event of events) {
    if (event.tag !== 'checkpoint.failed') continue;
    const id = (event as { checkpoint?: unknown }).checkpoint;
    if (typeof id === 'number') times.set(id, event.timeMs);
  }
  return times;
}

/**
 * The history, oldest first, with a marker row for each restart after the checkpoints
 * triggered before it.
 *
 * @example
 * checkpointHistory([{ id: 1, status: 'COMPLETED', triggeredAt: 1000, completedAt: 1004, stateSize: 9, checkpointedSize: 9, alignmentMs: 1 }], [], []);
 * // [{ kind: 'checkpoint', id: 1, endToEndMs: 4, ... }]
 */
export function checkpointHistory(
  checkpoints: readonly ReportCheckpoint[],
  restarts: readonly ReportRestart[],
  events: readonly EventLike[] = [],
): HistoryRow[] {
  const failedAt = failureTimes(events);
  const rows: CheckpointRow[] = [...checkpoints]
    .sort((a, b) => a.triggeredAt - b.triggeredAt || a.id - b.id)
    .map((c) => {
      const endedAt = c.completedAt ?? (c.status === 'IN_PROGRESS' ? null : (failedAt.get(c.id) ?? null));
      return {
        kind: 'checkpoint',
        id: c.id,
        savepoint: c.savepoint === true,
        status: c.status,
        triggeredAt: c.triggeredAt,
        endedAt,
        endToEndMs: endedAt === null ? null : endedAt - c.triggeredAt,
        checkpointedSize: c.checkpointedSize,
        stateSize: c.stateSize,
        alignmentMs: c.alignmentMs,
        failureReason: c.failureReason ?? null,
        failureCause: c.failureCause ?? null,
        restoredBy: restarts.filter((r) => r.restoredFrom === c.id).map((r) => r.attempt),
      };
    });
  const markers: RestartMarker[] = [...restarts]
    .sort((a, b) => a.at - b.at || a.attempt - b.attempt)
    .map((r) => ({ kind: 'restart', attempt: r.attempt, at: r.at, cause: r.cause, restoredFrom: r.restoredFrom }));
  const out: HistoryRow[] = [];
  let next = 0;
  for (const row of rows) {
    // A checkpoint triggered at the failure's very ms was triggered before it (the failure ended it).
    while (next < markers.length && markers[next]!.at < row.triggeredAt) out.push(markers[next++]!);
    out.push(row);
  }
  while (next < markers.length) out.push(markers[next++]!);
  return out;
}

export interface CheckpointCounts {
  triggered: number;
  completed: number;
  failed: number;
  aborted: number;
  inProgress: number;
  savepoints: number;
}

/** Flink's Checkpoints > Overview counts. */
export function checkpointCounts(checkpoints: readonly ReportCheckpoint[]): CheckpointCounts {
  const counts: CheckpointCounts = { triggered: checkpoints.length, completed: 0, failed: 0, aborted: 0, inProgress: 0, savepoints: 0 };
  for (const c of checkpoints) {
    if (c.status === 'COMPLETED') counts.completed++;
    else if (c.status === 'FAILED') counts.failed++;
    else if (c.status === 'ABORTED') counts.aborted++;
    else counts.inProgress++;
    if (c.savepoint === true) counts.savepoints++;
  }
  return counts;
}

/**
 * What to say when there is no checkpoint to show: checkpointing is off, or it is on but
 * the run ended before the first trigger.
 *
 * @example
 * noCheckpointsSentence(null, 5000); // 'Checkpointing is off for this job, so …'
 */
export function noCheckpointsSentence(checkpointing: CheckpointingSpec | null, virtualTimeMs: number): string {
  if (checkpointing === null) {
    return 'Checkpointing is off for this job, so a restart would begin again from empty state.';
  }
  return `Checkpointing is on, every ${formatCount(checkpointing.intervalMs)} ms, but no checkpoint was triggered: the run ended at ${formatCount(virtualTimeMs)} ms.`;
}

/**
 * The settings a reader of the history needs, in one line.
 *
 * @example
 * describeCheckpointing({ intervalMs: 1000, mode: 'exactly-once', unaligned: false, ... });
 * // 'every 1,000 ms, exactly-once, aligned'
 */
export function describeCheckpointing(spec: CheckpointingSpec): string {
  const barriers = spec.mode === 'at-least-once' ? 'barriers not aligned' : spec.unaligned ? 'unaligned' : 'aligned';
  const parts = [`every ${formatCount(spec.intervalMs)} ms`, spec.mode, barriers];
  if (spec.minPauseMs > 0) parts.push(`min pause ${formatCount(spec.minPauseMs)} ms`);
  if (spec.tolerableFailures > 0) parts.push(`${formatCount(spec.tolerableFailures)} tolerable failures`);
  return parts.join(', ');
}
