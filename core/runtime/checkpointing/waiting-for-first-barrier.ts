/**
 * Aligned checkpoints, first state (Flink's WaitingForFirstBarrier): no checkpoint is in
 * progress. The first barrier of a newer checkpoint starts one: with a single open input
 * there is nothing to align and the snapshot is taken at once; otherwise the channel that
 * delivered it is blocked and the handler starts collecting the others' barriers.
 */
import { traceBarrier, type BarrierHandlerContext } from './barrier-handler.ts';
import type { AlignedState } from './aligned-state.ts';
import type { CheckpointBarrier } from '../elements.ts';

export function waitingOnBarrier(ctx: BarrierHandlerContext, state: AlignedState & { kind: 'waiting' }, input: number, barrier: CheckpointBarrier): AlignedState {
  // A barrier of a checkpoint already taken or aborted here: left over, ignore it.
  if (barrier.id <= state.latest) return state;
  traceBarrier(ctx, input, barrier);
  if (ctx.openInputs() <= 1) {
    ctx.checkpoint(barrier, 0);
    return { kind: 'waiting', latest: barrier.id };
  }
  ctx.block(input);
  ctx.trace.emit({ tag: 'alignment.started', timeMs: ctx.clockMs(), task: ctx.task, attempt: ctx.attempt, checkpoint: barrier.id });
  return { kind: 'collecting', barrier, startedMs: ctx.now(), received: new Set([input]) };
}
