/**
 * How a subtask with input channels takes part in a checkpoint: its barrier handler,
 * after Flink's CheckpointBarrierHandler. The barrier of checkpoint n arrives on each input
 * channel; once it has come on every open channel, the subtask's state reflects exactly
 * the records before barrier n on every input, and the subtask takes its snapshot.
 *
 * Exactly-once needs that cut to be clean: a channel that has delivered barrier n must not
 * deliver records from after it before the snapshot, so the aligned handler blocks it
 * (the record stays in the channel, its credit does not come back, and the producer is
 * backpressured: the cost of alignment). At-least-once skips the blocking: the barrier
 * tracker only counts barriers, and records from after the barrier may be in the
 * snapshot, so after a restore they are processed again.
 */
import type { TraceLog } from '../../trace/index.ts';
import type { CheckpointBarrier } from '../elements.ts';

/** What a barrier handler may do to its task. */
export interface BarrierHandlerContext {
  readonly task: string;
  readonly attempt: number;
  readonly trace: TraceLog;
  /**
   * The task's own time: the clock plus the processing time of the records it has handled
   * in this step. Alignment durations are measured on it, so time spent processing the
   * data in front of a barrier counts.
   */
  now(): number;
  /** The kernel's clock, for trace events. */
  clockMs(): number;
  /** Input channels, open or closed. */
  readonly inputCount: number;
  /** Input channels not yet closed by end of partition. */
  openInputs(): number;
  isOpen(input: number): boolean;
  block(input: number): void;
  resumeAll(): void;
  /** Every open channel delivered the barrier: snapshot now and send the barrier on. */
  checkpoint(barrier: CheckpointBarrier, alignmentMs: number): void;
  /** The task cannot take this checkpoint (Flink: declineCheckpoint with a reason). */
  decline(checkpointId: number, reason: string): void;
}

export interface CheckpointBarrierHandler {
  /** `priority`: the barrier came on the priority lane (unaligned), not in the data. */
  onBarrier(input: number, barrier: CheckpointBarrier, priority?: boolean): void;
  /** A timeoutable barrier arrived on `input` behind queued data (only with an aligned-checkpoint timeout). */
  onAnnouncement?(input: number, barrier: CheckpointBarrier): void;
  /** Input channel `input` closed (its producer finished). */
  onEndOfPartition(input: number): void;
  /** The coordinator aborted checkpoint `checkpointId`: stop waiting for it. */
  abort(checkpointId: number): void;
  /** The checkpoint being aligned or counted, or null. */
  readonly pending: number | null;
}

export function traceBarrier(ctx: BarrierHandlerContext, input: number, barrier: CheckpointBarrier): void {
  ctx.trace.emit({ tag: 'barrier.received', timeMs: ctx.clockMs(), task: ctx.task, attempt: ctx.attempt, checkpoint: barrier.id, input });
}
