/**
 * Unaligned handler, first state: no checkpoint in progress. An unaligned barrier (or one on
 * the priority lane) makes the subtask snapshot at once. An aligned barrier starts an
 * alignment, as in the aligned handler; with a timeout, it is timed from the checkpoint's
 * start. The announcement of a timeoutable barrier starts the timeout before that barrier
 * is read (Flink's processBarrierAnnouncement on a new checkpoint).
 */
import { isTimeoutable, type CheckpointBarrier } from '../elements.ts';
import { startUnaligned } from './recording-channel-state.ts';
import { startTimeout } from './switch-to-unaligned.ts';
import { waiting, type StateOf, type UnalignedHandlerContext, type UnalignedState } from './unaligned-state.ts';

export function waitingOnBarrier(ctx: UnalignedHandlerContext, input: number, barrier: CheckpointBarrier, priority: boolean, timeoutMs: number): UnalignedState {
  if (barrier.alignment !== 'aligned' || priority) return startUnaligned(ctx, input, barrier, priority);
  if (ctx.openInputs() <= 1) {
    ctx.checkpoint(barrier, 0);
    return waiting(barrier.id);
  }
  ctx.block(input);
  ctx.trace.emit({ tag: 'alignment.started', timeMs: ctx.clockMs(), task: ctx.task, attempt: ctx.attempt, checkpoint: barrier.id });
  const aligning: StateOf<'aligning'> = { kind: 'aligning', barrier, startedMs: ctx.now(), received: new Set([input]), announced: new Set() };
  // A savepoint never turns unaligned (Flink has no unaligned savepoints).
  return timeoutMs > 0 && isTimeoutable(barrier) ? startTimeout(ctx, aligning, timeoutMs, input) : aligning;
}

export function waitingOnAnnouncement(ctx: UnalignedHandlerContext, input: number, barrier: CheckpointBarrier, timeoutMs: number): UnalignedState {
  return startTimeout(ctx, { kind: 'announced', barrier, announced: new Set([input]) }, timeoutMs, null);
}
