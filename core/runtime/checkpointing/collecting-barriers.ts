/**
 * Aligned checkpoints, second state (Flink's CollectingBarriers): checkpoint n is being
 * aligned. Each channel that delivers barrier n is blocked; when the last open channel
 * has delivered it, the task snapshots, the channels are released, and the time they were
 * blocked is the checkpoint's alignment time.
 *
 * A barrier of a newer checkpoint means n can never complete here (its barrier on some
 * channel was lost to a failure upstream, or n was aborted): n is declined and the new one
 * starts. A channel that closes before it delivered barrier n cancels the alignment
 * (declined as CHECKPOINT_DECLINED_INPUT_END_OF_STREAM, as Flink does).
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
  if (state.received.has(input)) {
    state.received.delete(input);
    return completeIfAligned(ctx, state);
  }
  ctx.resumeAll();
  ctx.decline(state.barrier.id, 'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM');
  return { kind: 'waiting', latest: state.barrier.id };
}

function completeIfAligned(ctx: BarrierHandlerContext, state: Collecting): AlignedState {
  if (state.received.size < ctx.openInputs()) return state;
  ctx.checkpoint(state.barrier, ctx.now() - state.startedMs);
  ctx.resumeAll();
  return { kind: 'waiting', latest: state.barrier.id };
}
