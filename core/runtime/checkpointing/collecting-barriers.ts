/**
 * Aligned checkpoints, second state (Flink's CollectingBarriers): checkpoint n is being
 * aligned. Each channel that delivers barrier n is blocked; when the last open channel
 * has delivered it, the task snapshots, the channels are released, and the time they were
 * blocked is the checkpoint's alignment time.
 *
 * A barrier of a newer checkpoint means n can never complete here (its barrier on some
 * channel was lost to a failure upstream, or n was aborted): n is declined and the new one
 * starts. A channel that closes (end of partition) counts as aligned: its producer has
 * finished and will send nothing more, as Flink does with checkpoints after tasks finish
 * (FLIP-147, on by default since 1.15; before it, the alignment was declined with
 * CHECKPOINT_DECLINED_INPUT_END_OF_STREAM).
 */
import { traceBarrier, type BarrierHandlerContext } from './barrier-handler.ts';
import type { AlignedState } from './aligned-state.ts';
import { waitingOnBarrier } from './waiting-for-first-barrier.ts';
import type { CheckpointBarrier } from '../elements.ts';

type Collecting = AlignedState & { kind: 'collecting' };

export function collectingOnBarrier(ctx: BarrierHandlerContext, state: Collecting, input: number, barrier: CheckpointBarrier): AlignedState {
  const current = state.barrier.id;
  if (barrier.id < current) return state;
  if (barrier.id > current) {
    ctx.resumeAll();
    ctx.decline(current, 'CHECKPOINT_DECLINED_SUBSUMED');
    return waitingOnBarrier(ctx, { kind: 'waiting', latest: current }, input, barrier);
  }
  traceBarrier(ctx, input, barrier);
  state.received.add(input);
  ctx.block(input);
  return completeIfAligned(ctx, state);
}

export function collectingOnEndOfPartition(ctx: BarrierHandlerContext, state: Collecting, input: number): AlignedState {
  // The closed channel is no longer among the open ones that must deliver the barrier.
  state.received.delete(input);
  return completeIfAligned(ctx, state);
}

function completeIfAligned(ctx: BarrierHandlerContext, state: Collecting): AlignedState {
  if (state.received.size < ctx.openInputs()) return state;
  ctx.checkpoint(state.barrier, ctx.now() - state.startedMs);
  ctx.resumeAll();
  return { kind: 'waiting', latest: state.barrier.id };
}
