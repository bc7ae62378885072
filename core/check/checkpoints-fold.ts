/**
 * The run report's checkpoints, folded from the trace alone: every checkpoint and savepoint
 * the CheckpointCoordinator triggered, by id, with what became of it, as Flink's checkpoint
 * statistics list them. Every event it reads is of level summary, so a summary trace, a
 * full one, or a prefix of either (a run seen up to some moment) gives the report's own
 * entries; a checkpoint the prefix has not seen end is IN_PROGRESS.
 *
 * - `checkpoint.triggered` opens an entry (IN_PROGRESS).
 * - `barrier.aligned` carries a subtask's alignment time, the one its acknowledgement gives
 *   the coordinator; a checkpoint's `alignmentMs` is the longest of them. A source injects
 *   the barrier itself and aligns nothing, so it has no such event.
 * - `checkpoint.completed` gives the sizes and the completion time.
 * - `checkpoint.failed` ends it FAILED or ABORTED. Only a savepoint asked for while not every
 *   subtask runs fails without having been triggered, so such an entry is a savepoint.
 */
import type { TraceEvent, TraceTag } from '../trace/index.ts';

/** One checkpoint or savepoint (CONTRACT 3): COMPLETED, FAILED with a reason, ABORTED, or IN_PROGRESS when the run stopped. */
export interface ReportCheckpoint {
  id: number;
  status: 'COMPLETED' | 'FAILED' | 'ABORTED' | 'IN_PROGRESS';
  triggeredAt: number;
  completedAt?: number;
  /** Bytes of state in the checkpoint (the full size). */
  stateSize: number;
  /** Bytes written for it: the full size for `hashmap`, only what changed for `rocksdb` (incremental). */
  checkpointedSize: number;
  /** The longest time a subtask's inputs were blocked aligning this checkpoint. */
  alignmentMs: number;
  failureReason?: string;
  failureCause?: string;
  savepoint?: true;
}

/** The tags the fold reads: all of level summary. */
export const CHECKPOINT_TAGS: readonly TraceTag[] = ['checkpoint.triggered', 'barrier.aligned', 'checkpoint.completed', 'checkpoint.failed'];

interface Entry {
  readonly id: number;
  readonly savepoint: boolean;
  readonly triggeredAt: number;
  status: ReportCheckpoint['status'];
  completedAt: number | null;
  stateSize: number;
  checkpointedSize: number;
  /** The longest alignment seen so far; reported only once the checkpoint completed. */
  alignmentMs: number;
  failureReason: string | null;
  failureCause: string | null;
}

/**
 * @example
 * const fold = new CheckpointsFold();
 * for (const e of sim.trace.events) fold.apply(e);
 * fold.checkpoints(); // [{ id: 1, status: 'COMPLETED', triggeredAt: 1000, ... }, ...]
 */
export class CheckpointsFold {
  /** In id order: ids are given out in increasing order, at trigger time. */
  readonly #entries: Entry[] = [];
  readonly #byId = new Map<number, Entry>();

  apply(event: TraceEvent): void {
    switch (event.tag) {
      case 'checkpoint.triggered':
        this.#open(event.checkpoint, event.timeMs, event.savepoint);
        break;
      case 'barrier.aligned': {
        const entry = this.#byId.get(event.checkpoint);
        if (entry !== undefined && entry.status === 'IN_PROGRESS') entry.alignmentMs = Math.max(entry.alignmentMs, event.alignmentMs);
        break;
      }
      case 'checkpoint.completed': {
        const entry = this.#byId.get(event.checkpoint);
        if (entry === undefined) break;
        entry.status = 'COMPLETED';
        entry.completedAt = event.timeMs;
        entry.stateSize = event.stateSize;
        entry.checkpointedSize = event.checkpointedSize;
        break;
      }
      case 'checkpoint.failed': {
        const entry = this.#byId.get(event.checkpoint) ?? this.#open(event.checkpoint, event.timeMs, true);
        entry.status = event.status;
        entry.failureReason = shortFailureReason(event.reason);
        entry.failureCause = event.cause;
        break;
      }
      default:
        break;
    }
  }

  /** The entries so far, in id order, shaped as the report's (optional fields only where they apply). */
  checkpoints(): ReportCheckpoint[] {
    return this.#entries.map((c) => {
      const completed = c.status === 'COMPLETED';
      const out: ReportCheckpoint = { id: c.id, status: c.status, triggeredAt: c.triggeredAt, stateSize: c.stateSize, checkpointedSize: c.checkpointedSize, alignmentMs: completed ? c.alignmentMs : 0 };
      if (c.completedAt !== null) out.completedAt = c.completedAt;
      if (c.failureReason !== null) out.failureReason = c.failureReason;
      if (c.failureCause !== null) out.failureCause = c.failureCause;
      if (c.savepoint) out.savepoint = true;
      return out;
    });
  }

  #open(id: number, timeMs: number, savepoint: boolean): Entry {
    const entry: Entry = { id, savepoint, triggeredAt: timeMs, status: 'IN_PROGRESS', completedAt: null, stateSize: 0, checkpointedSize: 0, alignmentMs: 0, failureReason: null, failureCause: null };
    this.#entries.push(entry);
    this.#byId.set(id, entry);
    return entry;
  }
}

/**
 * @example
 * foldCheckpoints(sim.trace.events.filter((e) => e.timeMs <= 2500)) // the checkpoints as they stood at t=2500
 */
export function foldCheckpoints(events: Iterable<TraceEvent>): ReportCheckpoint[] {
  const fold = new CheckpointsFold();
  for (const e of events) fold.apply(e);
  return fold.checkpoints();
}

/** The report's short failure reasons (Flink's CheckpointFailureReason, grouped; docs/report.md). */
export function shortFailureReason(reason: string): string {
  if (reason === 'CHECKPOINT_EXPIRED') return 'EXPIRED';
  if (reason === 'CHECKPOINT_SUBSUMED' || reason === 'CHECKPOINT_DECLINED_SUBSUMED') return 'SUBSUMED';
  if (reason.startsWith('CHECKPOINT_DECLINED') || reason === 'CHECKPOINT_ASYNC_EXCEPTION' || reason === 'IO_EXCEPTION') return 'DECLINED';
  return reason;
}
