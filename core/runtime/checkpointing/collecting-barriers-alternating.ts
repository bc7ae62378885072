/**
 * Unaligned handler, aligning (Flink's AlternatingCollectingBarriers): the checkpoint runs
 * aligned, each channel that delivered its barrier blocked, as in collecting-barriers.ts.
 * When the last open channel delivers it, the snapshot is aligned; an unaligned barrier
 * makes the subtask follow its upstream at once; the timeout switches it to unaligned
 * (switch-to-unaligned.ts).
 */
import type { CheckpointBarrier } from '../elements.ts';
import { followUnaligned } from './switch-to-unaligned.ts';
import { waiting, type StateOf, type UnalignedHandlerContext, type UnalignedState } from './unaligned-state.ts';

type Aligning = StateOf<'aligning'>;

export function aligningOnBarrier(ctx: UnalignedHandlerContext, s: Aligning, input: number, barrier: CheckpointBarrier, priority: boolean): UnalignedState {
  if (priority || barrier.alignment === 'unaligned') return followUnaligned(ctx, s, input, priority);
  s.received.add(input);
  s.announced.delete(input);
  ctx.block(input);
  return completeIfAligned(ctx, s);
}

export function aligningOnAnnouncement(s: Aligning, input: number): UnalignedState {
  if (!s.received.has(input)) s.announced.add(input);
  return s;
}

/** A closed channel counts as aligned (FLIP-147), as in the aligned handler. */
export function aligningOnEndOfPartition(ctx: UnalignedHandlerContext, s: Aligning, input: number): UnalignedState {
  s.received.delete(input);
  s.announced.delete(input);
  return completeIfAligned(ctx, s);
}

function completeIfAligned(ctx: UnalignedHandlerContext, s: Aligning): UnalignedState {
  if (s.received.size < ctx.openInputs()) return s;
  ctx.checkpoint(s.barrier, ctx.now() - s.startedMs);
  ctx.resumeAll();
  return waiting(s.barrier.id);
}
